#include <iostream>
#include <map>

#include "commands.hpp"
#include "registry.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/indexer/search.hpp"
#include "styrdok/store/follow.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::cli {

void AddStatusCommand(CLI::App& app, Context& context) {
    auto* command = app.add_subcommand(
        "status", "Summarise the registry: documents by type and status, versions, index");
    command->callback([&context] {
        Registry registry = Registry::Open(context.data);
        auto store = store::Store::Open(registry.repository());
        auto searcher = indexer::Searcher::Open(registry.index_dir(), registry.schema());

        // Counted from the index, which holds every version's metadata; `check` says whether
        // the index is at the repository's head.
        indexer::SearchRequest everything;
        everything.status = "alla";
        everything.per_page = 1;
        auto result = searcher.Search(everything);

        std::cout << "Registry     " << registry.root().string() << "\n"
                  << "Schema       " << registry.schema().name() << "\n"
                  << "Repository   "
                  << (store.Head() ? "at " + store.Head()->substr(0, 12) : std::string("empty"))
                  << "\n"
                  << "Index        "
                  << (searcher.LastIndexedCommit() == store.Head() ? "up to date" : "behind")
                  << ", " << searcher.DocumentCount() << " documents, " << searcher.VersionCount()
                  << " versions\n";
        if (std::optional<std::string> primary = store::FollowedPrimary(registry.repository())) {
            std::cout << "Follows      " << store::PrimaryForDisplay(*primary) << " (read-only)\n";
        }
        for (const auto& facet : {"status", "doctype"}) {
            auto counts = result.facets.find(facet);
            if (counts == result.facets.end()) continue;
            std::cout << (std::string_view(facet) == "status" ? "By status  " : "By type    ");
            const char* separator = " ";
            for (const auto& [value, count] : counts->second) {
                std::cout << separator << value << " " << count;
                separator = ", ";
            }
            std::cout << "\n";
        }
    });
}

}  // namespace styrdok::cli
