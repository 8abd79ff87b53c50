#include <chrono>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "follow.hpp"
#include "index_writer.hpp"
#include "progress.hpp"
#include "registry.hpp"
#include "styrdok/indexer/index.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::cli {

namespace {

std::string Joined(const std::vector<std::string>& ids) {
    std::string text;
    for (const std::string& id : ids) text += (text.empty() ? "" : ", ") + id;
    return text;
}

}  // namespace

void MigrateLayout(store::Store& store) {
    const auto start = std::chrono::steady_clock::now();
    store::LayoutMigration migration = store.MigrateLayout({"Styrdok", "styrdok@styrdok.invalid"});
    if (!migration.commit) return;
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    std::cout << "Moved " << migration.documents
              << " document folders to documents/<xx>/<id>/ in commit "
              << migration.commit->substr(0, 12) << " (" << std::fixed << std::setprecision(1)
              << took.count() << " s); no document changed\n";
    std::cout.unsetf(std::ios::fixed);
}

bool MigrateDrafts(store::Store& store, bool say_when_nothing) {
    MigrateLayout(store);
    store::MigrationReport report =
        store.MigrateDraftsOffMain({"Styrdok", "styrdok@styrdok.invalid"});
    if (report.commit) {
        std::cout << "Moved " << report.moved.size()
                  << " drafts off main to refs/drafts/ in commit " << report.commit->substr(0, 12)
                  << ": " << Joined(report.moved) << "\n";
        if (!report.removed.empty()) {
            std::cout << "Never decided, so no longer on main: " << Joined(report.removed) << "\n";
        }
    } else if (say_when_nothing && report.conflicts.empty()) {
        std::cout << "No drafts on main: nothing to move\n";
    }
    for (const std::string& id : report.conflicts) {
        std::cerr << "not moved: " << id << ": refs/drafts/" << id
                  << " holds another draft already; adopt or discard it, then run `styrdok "
                     "migrate-drafts` again\n";
    }
    return report.conflicts.empty();
}

void AddMigrateDraftsCommand(CLI::App& app, Context& context) {
    auto* command = app.add_subcommand(
        "migrate-drafts",
        "Move drafts (status utkast) that older versions wrote on the main branch to their own "
        "refs, refs/drafts/<id>, so main holds decided documents only and the version in force "
        "is public again; then bring the index up to date. Safe to run any number of times");
    auto no_index = std::make_shared<bool>(false);
    command->add_flag("--no-index", *no_index, "Leave the index for `styrdok index`");
    command->callback([&context, no_index] {
        Registry registry = Registry::Open(context.data);
        RefuseOnFollower(registry, "styrdok migrate-drafts");
        auto store = store::Store::Open(registry.repository());
        std::optional<std::string> before = store.Head();
        if (!MigrateDrafts(store, true)) context.exit_code = kExitProblems;
        if (store.Head() != before && !*no_index) {
            Progress progress("Indexing documents");
            auto sync = OpenIndexForWriting(registry, "the migration")
                            .Sync(store, false, [&progress](std::size_t done, std::size_t total) {
                                progress.Update(done, total);
                            });
            std::cout << "Indexed " << sync.versions << " versions of " << sync.documents
                      << " documents\n";
        }
    });
}

}  // namespace styrdok::cli
