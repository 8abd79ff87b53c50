#include <iostream>
#include <set>
#include <string_view>

#include "commands.hpp"
#include "registry.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/validation.hpp"
#include "styrdok/indexer/search.hpp"
#include "styrdok/server/users.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::cli {

namespace {

/// Prints one checked item and its problems; returns whether it passed.
bool Report(std::string_view what, const std::vector<std::string>& problems,
            std::string_view detail = {}) {
    std::cout << (problems.empty() ? "ok    " : "FAIL  ") << what;
    if (!detail.empty()) std::cout << " (" << detail << ")";
    std::cout << "\n";
    for (const auto& problem : problems) std::cout << "      - " << problem << "\n";
    return problems.empty();
}

bool CheckMetadata(const store::Store& store, const core::Schema& schema, core::Date today) {
    std::vector<std::string> problems;
    std::vector<std::string> drafts_on_main;
    auto ids = store.ListDocuments();
    // A document that so far is only a draft exists as well.
    std::set<std::string, std::less<>> known(ids.begin(), ids.end());
    for (const store::DraftRef& draft : store.ListDrafts()) known.insert(draft.id);
    const auto exists = [&known](std::string_view id) { return known.contains(id); };
    for (const auto& id : ids) {
        auto document = store.Read(id);
        if (!document) {
            problems.push_back(id + ": listed but unreadable");
            continue;
        }
        for (const auto& problem : core::Validate(document->metadata, schema, today)) {
            problems.push_back(id + ": " + problem.field + ": " + problem.message);
        }
        for (const auto& problem : core::ValidateRelations(document->metadata, exists)) {
            problems.push_back(id + ": " + problem.message);
        }
        if (document->metadata.status == core::Status::kDraft) drafts_on_main.push_back(id);
    }
    auto drafts = store.ListDrafts();
    for (const auto& draft : drafts) {
        try {
            auto document = store.ReadDraft(draft.id);
            if (!document) continue;  // adopted or discarded meanwhile
            for (const auto& problem : core::Validate(document->metadata, schema, today)) {
                problems.push_back("draft " + draft.id + ": " + problem.field + ": " +
                                   problem.message);
            }
        } catch (const Error& error) {
            // The repository check names what is wrong with the draft's ref.
            problems.push_back("draft " + draft.id + ": " + error.what());
        }
    }
    bool ok = Report(
        "metadata of every document and draft is valid against the schema", problems,
        std::to_string(ids.size()) + " documents, " + std::to_string(drafts.size()) + " drafts");
    std::vector<std::string> misplaced;
    for (const auto& id : drafts_on_main) {
        misplaced.push_back(id +
                            " is a draft (status utkast) on main: run `styrdok migrate-drafts`");
    }
    return Report("main holds decided documents only; drafts are on refs/drafts/", misplaced) && ok;
}

bool CheckIndex(const Registry& registry, const store::Store& store) {
    std::vector<std::string> problems;
    std::string detail;
    try {
        auto searcher = indexer::Searcher::Open(registry.index_dir(), registry.schema());
        auto indexed = searcher.LastIndexedCommit();
        auto head = store.Head();
        if (indexed != head) {
            problems.push_back(
                "the index is at " + (indexed ? indexed->substr(0, 12) : std::string("(nothing)")) +
                ", the repository at " + (head ? head->substr(0, 12) : std::string("(empty)")) +
                ": run `styrdok index`");
        }
        std::size_t documents = store.ListDocuments().size();
        if (searcher.DocumentCount() != documents) {
            problems.push_back("the index holds " + std::to_string(searcher.DocumentCount()) +
                               " documents, the repository " + std::to_string(documents));
        }
        detail = std::to_string(searcher.VersionCount()) + " versions indexed";
    } catch (const Error& error) {
        problems.push_back(error.what());
    }
    return Report("the index is at the repository's latest commit", problems, detail);
}

bool CheckInterruptedWrites(store::Store& store) {
    store::InterruptedWrites found = store.FindInterruptedWrites();
    std::vector<std::string> problems;
    for (const std::string& leftover : found.leftovers) {
        problems.push_back(leftover + " was left by a write that did not finish");
    }
    if (!problems.empty()) {
        problems.push_back(
            "the next write removes them, or `styrdok serve` when it starts; nothing is lost");
    }
    return Report("no interrupted write left lock or temporary files in the repository", problems,
                  found.write_in_progress ? "a write is running: not judged" : "");
}

bool CheckUsers(const Registry& registry) {
    std::vector<std::string> problems;
    std::string detail;
    try {
        auto users = server::UserFile::Load(registry.users_file());
        detail = std::to_string(users.users().size()) + " accounts";
    } catch (const Error& error) {
        problems.push_back(error.what());
    }
    return Report("users.xml is readable", problems, detail);
}

}  // namespace

void AddCheckCommand(CLI::App& app, Context& context) {
    auto* command = app.add_subcommand(
        "check",
        "Check the registry: schema, repository integrity (drafts included), leftovers of "
        "interrupted writes, metadata against the schema, no drafts on main, index at the "
        "latest commit, accounts; prints each item it checks");
    auto today = std::make_shared<std::optional<core::Date>>();
    AddTodayOption(*command, *today);
    command->callback([&context, today] {
        Registry registry = Registry::Open(context.data);
        const core::Schema& schema = registry.schema();
        bool ok =
            Report("schema.xml is valid", {},
                   schema.name() + ", " + std::to_string(schema.doctypes().size()) +
                       " document types, " + std::to_string(schema.bodies().size()) + " bodies");
        auto store = store::Store::Open(registry.repository());
        ok &= Report(
            "the repository's objects are intact, every document has metadata and every "
            "draft holds one document",
            store.Verify(), store.Head() ? "at " + store.Head()->substr(0, 12) : "empty");
        ok &= CheckInterruptedWrites(store);
        ok &= CheckMetadata(store, schema, today->value_or(Today()));
        ok &= CheckIndex(registry, store);
        ok &= CheckUsers(registry);
        std::cout << (ok ? "All checks passed.\n" : "Some checks failed.\n");
        if (!ok) context.exit_code = kExitProblems;
    });
}

}  // namespace styrdok::cli
