#include "styrdok/indexer/index.hpp"

#include <iostream>

#include "commands.hpp"
#include "index_writer.hpp"
#include "progress.hpp"
#include "registry.hpp"
#include "styrdok/store/follow.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::cli {

void AddIndexCommand(CLI::App& app, Context& context) {
    auto* command =
        app.add_subcommand("index",
                           "Bring the search index up to the repository's latest commit, after "
                           "moving drafts off the main branch (see migrate-drafts)");
    auto rebuild = std::make_shared<bool>(false);
    command->add_flag("--rebuild", *rebuild, "Start over from the whole repository");
    command->callback([&context, rebuild] {
        Registry registry = Registry::Open(context.data);
        auto store = store::Store::Open(registry.repository());
        // main holds decided documents only; drafts older versions wrote there would be
        // indexed as the documents' latest versions. A follower's main is its primary's to
        // migrate.
        if (!store::FollowedPrimary(registry.repository()) && !MigrateDrafts(store, false)) {
            context.exit_code = kExitProblems;
        }
        indexer::SyncReport report;
        {
            Progress progress("Indexing documents");
            report = OpenIndexForWriting(registry).Sync(
                store, *rebuild,
                [&progress](std::size_t done, std::size_t total) { progress.Update(done, total); });
        }
        std::cout << (report.rebuilt ? "Rebuilt the index: " : "Updated the index: ")
                  << report.versions << " versions of " << report.documents
                  << " documents indexed; at commit "
                  << (report.to ? report.to->substr(0, 12) : std::string("(empty)")) << "\n";
    });
}

}  // namespace styrdok::cli
