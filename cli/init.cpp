#include <iostream>

#include "commands.hpp"
#include "follow.hpp"
#include "registry.hpp"
#include "styrdok/indexer/index.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::cli {

void AddInitCommand(CLI::App& app, Context& context) {
    auto* command = app.add_subcommand("init", "Create an empty registry");
    auto schema = std::make_shared<std::filesystem::path>(DefaultSchemaFile());
    command->add_option("--schema", *schema, "Schema file to use (default: schema/default.xml)")
        ->check(CLI::ExistingFile);
    auto follow = std::make_shared<std::string>();
    command->add_option("--follow", *follow,
                        "Make a read-only follower of the registry whose repository is at URL "
                        "(a path, file://, https://, ssh://); --schema must name the primary's "
                        "schema (docs/operations.md, Followers)");
    auto if_missing = std::make_shared<bool>(false);
    command->add_flag("--if-missing", *if_missing,
                      "Leave an existing registry as it is and succeed (for a service's start)");
    command->callback([&context, schema, follow, if_missing] {
        if (*if_missing && Registry::Exists(context.data)) {
            std::cout << "A registry exists already in " << context.data.string() << "\n";
            return;
        }
        if (!follow->empty()) {
            InitFollower(context.data, *schema, *follow);
            return;
        }
        Registry registry = Registry::Create(context.data, *schema);
        // An empty index at an empty repository, so `check` is clean from the start.
        auto store = store::Store::Open(registry.repository());
        indexer::Index::Open(registry.index_dir(), registry.schema()).Sync(store);
        std::cout << "Created a registry in " << registry.root().string() << " (schema "
                  << registry.schema().name() << ", " << registry.schema().doctypes().size()
                  << " document types)\n";
    });
}

}  // namespace styrdok::cli
