#include "styrdok/indexer/index.hpp"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "styrdok/core/error.hpp"
#include "terms.hpp"
#include "test_registry.hpp"

namespace styrdok::indexer {
namespace {

using testing::Day;
using testing::Ids;
using testing::IdsAndVersions;
using testing::Policy;
using testing::TestRegistry;
using Strings = std::vector<std::string>;

ErrorCode CodeOf(const std::function<void()>& action) {
    try {
        action();
    } catch (const Error& e) {
        return e.code();
    }
    ADD_FAILURE() << "no styrdok::Error thrown";
    return ErrorCode::kInternal;
}

// Searches whose answers two indexes of the same registry must agree on.
std::vector<SearchRequest> ProbeRequests() {
    std::vector<SearchRequest> requests(7);
    requests[1].query = "upphandling";
    requests[2].status = "alla";
    requests[3].valid_on = Day("2019-06-01");
    requests[4].valid_on = Day("2023-01-01");
    requests[5].doctype = {"riktlinje"};
    requests[5].status = "upphävd";
    requests[6].query = "kommunens";
    requests[6].status = "alla";
    return requests;
}

TEST(Index, SyncIndexesEveryVersionOfEveryDocument) {
    TestRegistry registry;
    core::Metadata a = Policy("upphandlingspolicy", "Upphandlingspolicy");
    core::Metadata b = Policy("arbetsmiljopolicy", "Arbetsmiljöpolicy");
    registry.Commit({{a, "Första."}, {b, "Arbetsmiljö."}});
    a.decided_on = Day("2022-01-10");
    std::string head = registry.Commit(a, "Andra.");

    std::vector<std::pair<std::size_t, std::size_t>> progress;
    Index index = Index::Open(registry.IndexDir(), registry.schema());
    SyncReport report = index.Sync(registry.store(), false, [&](std::size_t done, std::size_t of) {
        progress.emplace_back(done, of);
    });
    EXPECT_TRUE(report.rebuilt);
    EXPECT_EQ(report.documents, 2u);
    EXPECT_EQ(report.versions, 3u);
    EXPECT_EQ(report.from, std::nullopt);
    EXPECT_EQ(report.to, head);
    EXPECT_EQ(index.LastIndexedCommit(), head);
    EXPECT_EQ(progress, (std::vector<std::pair<std::size_t, std::size_t>>{{1, 2}, {2, 2}}));

    Searcher searcher = Searcher::Open(registry.IndexDir(), registry.schema());
    EXPECT_EQ(searcher.DocumentCount(), 2u);
    EXPECT_EQ(searcher.VersionCount(), 3u);
    EXPECT_EQ(searcher.LastIndexedCommit(), head);
}

// Nor does it write: a new revision would let Xapian recycle blocks a reader opened one
// revision before is reading, which then has to reopen (and sees the index move before a
// server has noticed it).
TEST(Index, SyncWithoutNewCommitsChangesNothing) {
    TestRegistry registry;
    registry.Commit(Policy("a", "A"), "Text.");
    core::Metadata draft = Policy("b", "B");
    draft.status = core::Status::kDraft;
    registry.CommitDraft(draft, "Utkast.");
    registry.Sync(false, "index", Day("2026-12-06"));
    auto revisions = [&] {
        std::vector<Xapian::rev> revisions;
        for (const char* database : {"", "current", "drafts"}) {
            revisions.push_back(
                Xapian::Database((registry.IndexDir() / database).string()).get_revision());
        }
        return revisions;
    };
    const auto before = revisions();
    SyncReport report = registry.Sync(false, "index", Day("2026-12-06"));
    EXPECT_FALSE(report.rebuilt);
    EXPECT_EQ(report.documents, 0u);
    EXPECT_EQ(report.drafts, 0u);
    EXPECT_EQ(report.from, report.to);
    EXPECT_EQ(revisions(), before);
}

// A draft (refs/drafts/<id>) is one version in the index, its head: indexed again when the
// draft moves on, gone when it is discarded, without main moving at all.
TEST(Index, ADraftIsIndexedAtItsHeadUntilDiscarded) {
    TestRegistry registry;
    const std::string head = registry.Commit(Policy("kassapolicy", "Kassapolicy"), "Kassan.");
    core::Metadata draft = Policy("mutor", "Policy mot mutor");
    draft.status = core::Status::kDraft;
    draft.decided_on.reset();
    const std::string first = registry.CommitDraft(draft, "Pengar tas aldrig emot.");
    SyncReport report = registry.Sync();
    EXPECT_EQ(report.drafts, 1u);

    SearchRequest drafts;
    drafts.status = "utkast";
    drafts.include_restricted = true;
    EXPECT_EQ(IdsAndVersions(registry.Search(drafts)), Strings{"mutor@" + first});

    const std::string second = registry.CommitDraft(draft, "Gåvor tas aldrig emot.");
    report = registry.Sync();
    EXPECT_EQ(report.drafts, 1u);
    EXPECT_EQ(report.documents, 0u);
    EXPECT_EQ(report.to, head);
    EXPECT_EQ(IdsAndVersions(registry.Search(drafts)), Strings{"mutor@" + second});
    drafts.query = "pengar";
    EXPECT_EQ(registry.Search(drafts).total, 0u);
    drafts.query = "gåvor";
    EXPECT_EQ(IdsAndVersions(registry.Search(drafts)), Strings{"mutor@" + second});
    // Drafts are no documents of main: neither counted nor versions.
    Searcher searcher = Searcher::Open(registry.IndexDir(), registry.schema());
    EXPECT_EQ(searcher.DocumentCount(), 1u);
    EXPECT_EQ(searcher.VersionCount(), 1u);

    registry.store().DiscardDraft("mutor", second);
    report = registry.Sync();
    EXPECT_EQ(report.drafts, 1u);
    drafts.query.clear();
    EXPECT_EQ(registry.Search(drafts).total, 0u);
    EXPECT_EQ(registry.Sync().drafts, 0u);
}

// Adopting a draft is one commit on main: the sync indexes the adopted version with the
// document's others, and the draft leaves.
TEST(Index, AnAdoptedDraftGivesWayToItsVersionOnMain) {
    TestRegistry registry;
    core::Metadata kassa = Policy("kassapolicy", "Kassapolicy");
    const std::string decided = registry.Commit(kassa, "Kassan stäms av varje vecka.");
    kassa.status = core::Status::kDraft;
    const std::string draft = registry.CommitDraft(kassa, "Kassan stäms av varje dag.");
    registry.Sync();
    SearchRequest alla;
    alla.status = "alla";
    alla.include_restricted = true;
    Strings both{"kassapolicy@" + decided, "kassapolicy@" + draft};
    std::sort(both.begin(), both.end());
    EXPECT_EQ(IdsAndVersions(registry.Search(alla)), both);

    kassa.status = core::Status::kInForce;
    kassa.decided_on = Day("2024-02-01");
    const std::string adopted = registry.Adopt(kassa);
    SyncReport report = registry.Sync();
    EXPECT_EQ(report.documents, 1u);
    EXPECT_EQ(report.drafts, 1u);
    EXPECT_EQ(IdsAndVersions(registry.Search(alla)), Strings{"kassapolicy@" + adopted});
    alla.query = "dag";
    alla.include_restricted = false;
    EXPECT_EQ(IdsAndVersions(registry.Search(alla)), Strings{"kassapolicy@" + adopted});
    SearchRequest drafts;
    drafts.status = "utkast";
    drafts.include_restricted = true;
    EXPECT_EQ(registry.Search(drafts).total, 0u);
    Searcher searcher = Searcher::Open(registry.IndexDir(), registry.schema());
    EXPECT_EQ(searcher.VersionCount(), 2u);
}

// A rebuild indexes every draft again; an incremental sync over an index whose drafts'
// database is gone (or of another format) indexes them all as well.
TEST(Index, ARebuildIndexesEveryDraftAgain) {
    TestRegistry registry;
    registry.Commit(Policy("kassapolicy", "Kassapolicy"), "Kassan.");
    for (const char* id : {"mutor", "gavor"}) {
        core::Metadata draft = Policy(id, id);
        draft.status = core::Status::kDraft;
        registry.CommitDraft(draft, "Utkast.");
    }
    EXPECT_EQ(registry.Sync().drafts, 2u);
    EXPECT_EQ(registry.Sync(true).drafts, 2u);
    {
        Xapian::WritableDatabase drafts((registry.IndexDir() / "drafts").string());
        drafts.set_metadata("styrdok.format", "1");
        drafts.commit();
    }
    SyncReport report = registry.Sync();
    EXPECT_FALSE(report.rebuilt);
    EXPECT_EQ(report.drafts, 2u);
    std::filesystem::remove_all(registry.IndexDir() / "drafts");
    report = registry.Sync();
    EXPECT_FALSE(report.rebuilt);
    EXPECT_EQ(report.drafts, 2u);
    SearchRequest drafts;
    drafts.status = "utkast";
    drafts.include_restricted = true;
    EXPECT_EQ(Ids(registry.Search(drafts)), (Strings{"gavor", "mutor"}));
}

TEST(Index, DocumentsNotPublicAreRestrictedUntilMadePublic) {
    TestRegistry registry;
    core::Metadata internal = Policy("intern-rutin", "Intern rutin för kassahantering");
    internal.is_public = false;
    registry.Commit(internal, "Kassan räknas varje dag.");
    registry.Commit(Policy("kassapolicy", "Kassapolicy"), "Kassan ska stämmas av.");
    registry.Sync();

    SearchRequest request;
    request.query = "kassa";
    EXPECT_EQ(Ids(registry.Search(request)), (Strings{"kassapolicy"}));
    EXPECT_EQ(registry.Search(request).facets["doctype"]["policy"], 1u);
    request.include_restricted = true;
    EXPECT_EQ(Ids(registry.Search(request)), (Strings{"intern-rutin", "kassapolicy"}));

    internal.is_public = true;
    registry.Commit(internal, "Kassan räknas varje dag.");
    registry.Sync();
    request.include_restricted = false;
    EXPECT_EQ(Ids(registry.Search(request)), (Strings{"intern-rutin", "kassapolicy"}));
}

TEST(Index, EmptyStoreGivesAnEmptyIndex) {
    TestRegistry registry;
    SyncReport report = registry.Sync();
    EXPECT_EQ(report.to, std::nullopt);
    Searcher searcher = Searcher::Open(registry.IndexDir(), registry.schema());
    EXPECT_EQ(searcher.VersionCount(), 0u);
    EXPECT_EQ(searcher.LastIndexedCommit(), std::nullopt);
    EXPECT_EQ(searcher.Search({}).total, 0u);
}

TEST(Index, IncrementalSyncGivesTheSameResultsAsARebuild) {
    TestRegistry registry;
    core::Metadata upphandling = Policy("upphandlingspolicy", "Upphandlingspolicy");
    upphandling.decided_on = Day("2015-03-01");
    core::Metadata medier = Policy("sociala-medier", "Riktlinjer för sociala medier");
    medier.doctype = "riktlinje";
    medier.decided_by = "ks";
    medier.decided_on = Day("2014-12-01");
    registry.Commit({{upphandling, "Upphandling ska ske konkurrensutsatt."},
                     {medier, "Sociala medier i kommunens kommunikation."},
                     {Policy("arbetsmiljopolicy", "Arbetsmiljöpolicy"), "Kommunens arbetsmiljö."}});
    registry.Sync();

    // After the first sync: a revision, a repeal, a new document and a draft.
    upphandling.decided_on = Day("2020-05-01");
    upphandling.dnr = "KS 2020/0099";
    registry.Commit(upphandling, "Upphandlingen ska ske hållbart.");
    medier.status = core::Status::kRepealed;
    medier.valid_to = Day("2022-12-31");
    core::Metadata hot = Policy("riktlinjer-hot", "Riktlinjer vid hot och våld");
    hot.doctype = "riktlinje";
    core::Metadata draft = Policy("mutor", "Policy mot mutor");
    draft.status = core::Status::kDraft;
    draft.decided_on.reset();
    registry.Commit({{medier, "Sociala medier i kommunens kommunikation."},
                     {hot, "Kommunens riktlinjer."},
                     {draft, "Utkast."}});

    SyncReport incremental = registry.Sync();
    EXPECT_FALSE(incremental.rebuilt);
    EXPECT_EQ(incremental.documents, 4u);  // upphandlingspolicy, sociala-medier, hot, mutor
    SyncReport rebuilt = registry.Sync(true, "rebuilt");
    EXPECT_TRUE(rebuilt.rebuilt);
    EXPECT_EQ(rebuilt.documents, 5u);

    for (const SearchRequest& request : ProbeRequests()) {
        SCOPED_TRACE(request.query + " status=" + request.status +
                     (request.valid_on ? " valid_on=" + request.valid_on->ToString() : ""));
        SearchResult a = registry.Search(request);
        SearchResult b = registry.Search(request, "rebuilt");
        EXPECT_EQ(IdsAndVersions(a), IdsAndVersions(b));
        EXPECT_EQ(a.total, b.total);
        EXPECT_EQ(a.facets, b.facets);
    }
    // The revision replaced the newest version: only one of upphandlingspolicy's versions
    // is the latest.
    SearchRequest alla;
    alla.status = "alla";
    alla.include_restricted = true;
    EXPECT_EQ(Ids(registry.Search(alla)), (Strings{"arbetsmiljopolicy", "mutor", "riktlinjer-hot",
                                                   "sociala-medier", "upphandlingspolicy"}));

    // Rebuilding the incrementally built index in place gives the same again.
    registry.Sync(true);
    for (const SearchRequest& request : ProbeRequests()) {
        EXPECT_EQ(IdsAndVersions(registry.Search(request)),
                  IdsAndVersions(registry.Search(request, "rebuilt")));
    }
}

// Enough documents that Sync builds them on worker threads, block by block: every version
// arrives, in the order of the ids, and two rebuilds number the documents alike.
TEST(Index, ParallelBuildWritesEveryVersionInOrder) {
    TestRegistry registry;
    std::vector<std::pair<core::Metadata, std::string>> documents;
    for (int i = 0; i < 70; ++i) {
        const std::string n = std::to_string(100 + i);
        documents.push_back({Policy("policy-" + n, "Policy nummer " + n),
                             "Kommunens styrdokument nummer " + n + " om upphandlingar."});
    }
    registry.Commit(documents);
    core::Metadata revised = Policy("policy-150", "Policy nummer 150");
    revised.decided_on = Day("2024-01-10");
    registry.Commit(revised, "Reviderad text om upphandlingar.");
    SyncReport first = registry.Sync(true);
    EXPECT_EQ(first.documents, 70u);
    EXPECT_EQ(first.versions, 71u);
    SyncReport second = registry.Sync(true, "again");
    EXPECT_EQ(second.versions, 71u);

    SearchRequest request;
    request.query = "upphandlingar";
    request.per_page = 100;
    request.status = "alla";
    request.valid_on = Day("2099-01-01");
    SearchResult a = registry.Search(request);
    EXPECT_EQ(a.total, 70u);
    EXPECT_EQ(IdsAndVersions(a), IdsAndVersions(registry.Search(request, "again")));
    // Spelling data is written by the writer thread: a misspelling still finds its word.
    SearchRequest misspelt;
    misspelt.query = "styrdokumnet";
    const std::string suggestion = registry.Search(misspelt).suggestion;
    EXPECT_TRUE(suggestion.starts_with("styrdokument")) << suggestion;
}

// Every word of the three databases with its spelling frequency.
std::map<std::string, Xapian::termcount> Spellings(const std::filesystem::path& index) {
    std::map<std::string, Xapian::termcount> words;
    for (const char* database : {"main", "current", "drafts"}) {
        const std::filesystem::path dir =
            std::string(database) == "main" ? index : index / database;
        Xapian::Database db(dir.string());
        for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) {
            words[std::string(database) + ":" + *it] = it.get_termfreq();
        }
    }
    return words;
}

TEST(Index, ARebuildGivesTheSpellingOfAFreshIndex) {
    TestRegistry registry;
    registry.Commit(Policy("policy-a", "Policy om upphandling"), "Upphandling och inköp.");
    registry.Commit(Policy("policy-b", "Policy om parkering"), "Parkering kostar.");
    registry.Sync();
    // An edit caught up with, then rebuilds over the index that has it.
    registry.Commit(Policy("policy-a", "Policy om upphandling"), "Upphandling, upphandling.");
    registry.Sync();
    registry.Commit(Policy("policy-c", "Policy om avfall"), "Avfall hämtas.");
    registry.Sync(true);
    registry.Sync(true);

    registry.Sync(true, "fresh");
    const auto fresh = Spellings(registry.IndexDir("fresh"));
    const auto rebuilt = Spellings(registry.IndexDir());
    for (const auto& [word, frequency] : fresh) {
        EXPECT_EQ(rebuilt.contains(word) ? rebuilt.at(word) : 0u, frequency) << word;
    }
    for (const auto& [word, frequency] : rebuilt) EXPECT_TRUE(fresh.contains(word)) << word;
    // A word of a title counts five times (the title's weight), of a text once.
    EXPECT_EQ(fresh.at("current:upphandling"), 7u);
    EXPECT_EQ(fresh.at("current:parkering"), 6u);
}

// The server's warm-up prepares the analysis of the words the current versions use most.
TEST(Index, CommonestWordsAreTheCurrentVersionsMostUsedFirst) {
    TestRegistry registry;
    EXPECT_TRUE(CommonestWords(registry.IndexDir(), 10).empty());
    registry.Commit(Policy("taxepolicy", "Taxepolicy"),
                    "Avgift, avgift, avgift, avgift, avgift, avgift, avgift, avgift, avgift, "
                    "avgift och taxa, taxa, taxa, taxa, taxa, taxa, taxa, taxa.");
    registry.Commit(Policy("parkering", "Parkeringsregler"), "Avgift och taxa för parkering.");
    registry.Sync();

    EXPECT_EQ(CommonestWords(registry.IndexDir(), 2), (Strings{"avgift", "taxa"}));
    std::map<std::string, Xapian::termcount> current;
    for (const auto& [word, frequency] : Spellings(registry.IndexDir())) {
        if (word.starts_with("current:")) current[word.substr(8)] = frequency;
    }
    const Strings all = CommonestWords(registry.IndexDir(), 1000);
    ASSERT_EQ(all.size(), current.size());
    for (std::size_t i = 1; i < all.size(); ++i) {
        const Xapian::termcount before = current.at(all[i - 1]);
        const Xapian::termcount after = current.at(all[i]);
        EXPECT_TRUE(before > after || (before == after && all[i - 1] < all[i]))
            << all[i - 1] << " before " << all[i];
    }
}

// A word of the spelling table may be anything a text holds: none is refused.
TEST(Index, PrepareWordAnalysisTakesAnyWord) {
    const std::vector<std::string> words = {
        "", "2021", "§", "hållbarhetsprogrammet", "kommunstyrelsen", std::string(300, 'a')};
    EXPECT_NO_THROW(PrepareWordAnalysis(words));
    EXPECT_NO_THROW(PrepareWordAnalysis({}));
}

// Drafts' words never reach the spelling table, where every reader's suggestions come from:
// neither at a sync nor at a rebuild, which takes the table from the vocabulary (issue 15).
TEST(Index, DraftsWordsNeverReachTheSpellingTable) {
    TestRegistry registry;
    registry.Commit(Policy("kassapolicy", "Kassapolicy"), "Kassan stäms av.");
    registry.Sync();
    core::Metadata draft = Policy("kassapolicy", "Kassapolicy");
    draft.status = core::Status::kDraft;
    registry.CommitDraft(draft, "Kassan stäms av. Kvastskaften står i skrubben.");
    core::Metadata created = Policy("stadrutin", "Städrutin");
    created.status = core::Status::kDraft;
    registry.CommitDraft(created, "Moppar och kvastskaft.");
    for (bool rebuild : {false, true}) {
        SCOPED_TRACE(rebuild ? "rebuilt" : "synced");
        EXPECT_EQ(registry.Sync(rebuild).drafts, 2u);
        const auto words = Spellings(registry.IndexDir());
        EXPECT_TRUE(words.contains("current:kassan"));
        for (const auto& [word, frequency] : words) {
            EXPECT_FALSE(word.starts_with("drafts:")) << word;
            for (const char* secret : {"kvastskaften", "skrubben", "moppar", "städrutin"}) {
                EXPECT_EQ(word.find(secret), std::string::npos) << word;
            }
        }
    }
}

TEST(Index, FormatMismatchForcesARebuild) {
    TestRegistry registry;
    registry.Commit(Policy("a", "A"), "Text.");
    registry.Sync();
    {
        Xapian::WritableDatabase db(registry.IndexDir().string(), Xapian::DB_OPEN);
        db.set_metadata("styrdok.format", "0");
        db.commit();
    }
    SyncReport report = registry.Sync();
    EXPECT_TRUE(report.rebuilt);
    EXPECT_EQ(report.documents, 1u);
    Xapian::Database db(registry.IndexDir().string());
    EXPECT_EQ(db.get_metadata("styrdok.format"), std::to_string(kIndexFormatVersion));
    EXPECT_EQ(db.get_metadata("styrdok.language"), "sv");
    EXPECT_EQ(db.get_metadata("styrdok.schema_version"),
              std::to_string(registry.schema().version()));
}

TEST(Index, LanguageMismatchForcesARebuild) {
    TestRegistry registry;
    registry.Commit(Policy("a", "A"), "Text.");
    registry.Sync();
    {
        Xapian::WritableDatabase db(registry.IndexDir().string(), Xapian::DB_OPEN);
        db.set_metadata("styrdok.language", "en");
        db.commit();
    }
    EXPECT_TRUE(registry.Sync().rebuilt);
}

TEST(Index, UnknownLastCommitForcesARebuild) {
    TestRegistry registry;
    registry.Commit(Policy("a", "A"), "Text.");
    registry.Sync();
    {
        Xapian::WritableDatabase db(registry.IndexDir().string(), Xapian::DB_OPEN);
        db.set_metadata("styrdok.last_commit", std::string(40, 'f'));
        db.commit();
    }
    SyncReport report = registry.Sync();
    EXPECT_TRUE(report.rebuilt);
    EXPECT_EQ(report.documents, 1u);
}

TEST(Index, RebuildDropsDocumentsNoLongerInTheStore) {
    TestRegistry registry;
    registry.Commit(Policy("a", "A"), "Text.");
    registry.Sync();
    {
        // A document indexed from somewhere else, which the store has never held.
        Xapian::WritableDatabase db(registry.IndexDir().string(), Xapian::DB_OPEN);
        Xapian::Document stray;
        stray.add_boolean_term("XIDstray");
        stray.add_boolean_term("XLATEST");
        db.add_document(stray);
        db.commit();
    }
    registry.Sync(true);
    Searcher searcher = Searcher::Open(registry.IndexDir(), registry.schema());
    EXPECT_EQ(searcher.DocumentCount(), 1u);
    EXPECT_EQ(searcher.VersionCount(), 1u);
}

// The unique terms (Q<id>@<commit>) of the versions in one of the index's databases.
Strings VersionsIn(const std::filesystem::path& dir) {
    Xapian::Database db(dir.string());
    Strings versions(db.allterms_begin("Q"), db.allterms_end("Q"));
    return versions;
}

// In term order, as VersionsIn gives them: commit ids are random.
Strings Sorted(Strings versions) {
    std::sort(versions.begin(), versions.end());
    return versions;
}

std::string Version(const std::string& id, const std::string& commit) {
    return "Q" + id + "@" + commit;
}

TEST(Index, TheNewestVersionsInForceHaveADatabaseOfTheirOwn) {
    TestRegistry registry;
    core::Metadata revised = Policy("revised", "Reviderad policy");
    core::Metadata repealed = Policy("repealed", "Upphävd policy");
    core::Metadata internal = Policy("internal", "Intern policy");
    internal.is_public = false;
    const std::string first =
        registry.Commit({{revised, "Första."}, {repealed, "Gäller."}, {internal, "Internt."}});
    registry.Sync();
    const std::filesystem::path current = registry.IndexDir() / "current";
    EXPECT_EQ(VersionsIn(current), (Strings{Version("internal", first), Version("repealed", first),
                                            Version("revised", first)}));
    EXPECT_EQ(VersionsIn(registry.IndexDir()), Strings{});

    // A revision, a repeal and a draft, caught up incrementally: the old versions move out.
    revised.decided_on = Day("2024-02-01");
    repealed.status = core::Status::kRepealed;
    core::Metadata draft = Policy("draft", "Utkast till policy");
    draft.status = core::Status::kDraft;
    draft.decided_on.reset();
    const std::string second =
        registry.Commit({{revised, "Andra."}, {repealed, "Gäller inte."}, {draft, "Utkast."}});
    EXPECT_FALSE(registry.Sync().rebuilt);
    EXPECT_EQ(VersionsIn(current),
              Sorted({Version("internal", first), Version("revised", second)}));
    EXPECT_EQ(VersionsIn(registry.IndexDir()),
              Sorted({Version("draft", second), Version("repealed", first),
                      Version("repealed", second), Version("revised", first)}));

    // Both databases answer the searches of their scope; a reader without rights does not
    // see the current version that is not public.
    SearchRequest request;
    EXPECT_EQ(Ids(registry.Search(request)), (Strings{"revised"}));
    request.include_restricted = true;
    EXPECT_EQ(Ids(registry.Search(request)), (Strings{"internal", "revised"}));
    request.status = "alla";
    EXPECT_EQ(Ids(registry.Search(request)), (Strings{"draft", "internal", "repealed", "revised"}));
}

// A revision writes the new version and the one it ends; the older versions come out of the
// build the same and stay as they were, so a save does not grow with the document's history.
TEST(Index, ARevisionRewritesOnlyTheVersionsItChanges) {
    TestRegistry registry;
    core::Metadata policy = Policy("upphandlingspolicy", "Upphandlingspolicy");
    for (const char* day : {"2015-03-01", "2018-03-01", "2021-03-01"}) {
        policy.decided_on = Day(day);
        registry.Commit(policy, std::string("Upphandling ") + day + ".");
    }
    EXPECT_EQ(registry.Sync().versions, 3u);

    policy.decided_on = Day("2024-03-01");
    registry.Commit(policy, "Upphandling ska ske hållbart.");
    const SyncReport revision = registry.Sync();
    EXPECT_EQ(revision.documents, 1u);
    EXPECT_EQ(revision.versions, 2u);

    registry.Sync(true, "rebuilt");
    for (const SearchRequest& request : ProbeRequests()) {
        SCOPED_TRACE(request.query + " status=" + request.status);
        SearchResult a = registry.Search(request);
        SearchResult b = registry.Search(request, "rebuilt");
        EXPECT_EQ(IdsAndVersions(a), IdsAndVersions(b));
        EXPECT_EQ(a.total, b.total);
    }
    SearchRequest alla;
    alla.status = "alla";
    alla.valid_on = Day("2019-01-01");
    EXPECT_EQ(IdsAndVersions(registry.Search(alla)),
              IdsAndVersions(registry.Search(alla, "rebuilt")));
    EXPECT_EQ(VersionsIn(registry.IndexDir()), VersionsIn(registry.IndexDir("rebuilt")));
}

// A rebuild keeps a version as indexed only when its whole term list is the one built now: a
// stored version with a term more, or one fewer, after the last term they share is rewritten.
TEST(Index, ARebuildRewritesAVersionWithATermMoreOrFewerAtTheEnd) {
    struct Case {
        const char* name;
        bool add;
    };
    for (const Case& c : {Case{"a term more", true}, Case{"a term fewer", false}}) {
        SCOPED_TRACE(c.name);
        TestRegistry registry;
        registry.Commit(Policy("policy", "Policy"), "Upphandling ska ske hållbart.");
        registry.Sync();
        EXPECT_EQ(registry.Sync(true).versions, 0u);
        const std::string current = (registry.IndexDir() / "current").string();
        std::string last;
        {
            Xapian::WritableDatabase db(current, Xapian::DB_OPEN);
            const Xapian::docid did = *db.postlist_begin("XIDpolicy");
            Xapian::Document doc = db.get_document(did);
            for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) last = *it;
            if (c.add) {
                doc.add_term(last + "x");
            } else {
                doc.remove_term(last);
            }
            db.replace_document(did, doc);
            db.commit();
        }
        EXPECT_EQ(registry.Sync(true).versions, 1u);
        Xapian::Database db(current);
        EXPECT_TRUE(db.term_exists(last));
        EXPECT_FALSE(db.term_exists(last + "x"));
    }
}

// The two databases commit at once: a crash may let main commit a sync and not the current
// versions' database, which then still holds the commit before. The next sync catches up
// from there rather than trusting main's last commit.
TEST(Index, ACurrentDatabaseACommitBehindMainIsCaughtUp) {
    TestRegistry registry;
    core::Metadata policy = Policy("policy", "Policy");
    const std::string first = registry.Commit(policy, "Första lydelsen.");
    registry.Sync();
    const std::filesystem::path current = registry.IndexDir() / "current";
    const std::filesystem::path behind = registry.IndexDir().parent_path() / "current-behind";
    std::filesystem::copy(current, behind);

    policy.decided_on = Day("2024-02-01");
    const std::string second = registry.Commit(policy, "Andra lydelsen.");
    registry.Sync();
    std::filesystem::remove_all(current);
    std::filesystem::rename(behind, current);
    ASSERT_EQ(VersionsIn(current), Strings{Version("policy", first)});

    const SyncReport report = registry.Sync();
    EXPECT_FALSE(report.rebuilt);
    EXPECT_EQ(report.documents, 1u);
    EXPECT_EQ(VersionsIn(current), Strings{Version("policy", second)});
    EXPECT_EQ(VersionsIn(registry.IndexDir()), Strings{Version("policy", first)});
}

TEST(Index, ALostCurrentDatabaseForcesARebuild) {
    TestRegistry registry;
    registry.Commit(Policy("a", "A"), "Text.");
    registry.Sync();
    std::filesystem::remove_all(registry.IndexDir() / "current");
    SyncReport report = registry.Sync();
    EXPECT_TRUE(report.rebuilt);
    EXPECT_EQ(Ids(registry.Search({})), (Strings{"a"}));
}

// The ids the default search finds on `day`.
Strings InForceOn(TestRegistry& registry, const char* day, const char* index = "index") {
    SearchRequest request;
    request.today = Day(day);
    return Ids(registry.Search(request, index));
}

// A successor committed after the document it replaces ends it from the day the successor
// takes effect, caught up incrementally as a rebuild would have it; and again when the
// successor moves its start or stops replacing it.
TEST(Index, ASuccessorInALaterCommitEndsTheDocumentItReplaces) {
    TestRegistry registry;
    registry.Commit(testing::Decided("reglemente-a", "Reglemente A", "2019-11-25", "2020-01-01"),
                    "Reglemente.");
    registry.Commit(Policy("annan", "Annan policy"), "Annat.");
    registry.Sync(false, "index", Day("2026-12-06"));
    EXPECT_EQ(InForceOn(registry, "2027-02-01"), (Strings{"annan", "reglemente-a"}));

    core::Metadata successor =
        testing::Decided("reglemente-b", "Reglemente B", "2026-11-16", "2027-01-01");
    successor.replaces = {"reglemente-a"};
    registry.Commit(successor, "Nytt reglemente.");
    auto expect = [&](const char* day, const Strings& ids) {
        SCOPED_TRACE(day);
        EXPECT_EQ(InForceOn(registry, day), ids);
        registry.Sync(true, "rebuilt", Day("2026-12-06"));
        EXPECT_EQ(InForceOn(registry, day, "rebuilt"), ids);
    };
    SyncReport report = registry.Sync(false, "index", Day("2026-12-06"));
    EXPECT_FALSE(report.rebuilt);
    EXPECT_EQ(report.documents, 2u);  // the successor, and the document it replaces
    expect("2026-12-31", {"annan", "reglemente-a"});
    expect("2027-01-01", {"annan", "reglemente-b"});

    // The successor is brought forward: the old document ends the day before.
    successor.valid_from = Day("2026-12-15");
    registry.Commit(successor, "Nytt reglemente, tidigare.");
    EXPECT_EQ(registry.Sync(false, "index", Day("2026-12-06")).documents, 2u);
    expect("2026-12-14", {"annan", "reglemente-a"});
    expect("2026-12-15", {"annan", "reglemente-b"});

    // An edit that leaves the successor's start alone leaves the old document alone.
    registry.Commit(successor, "Nytt reglemente, omformulerat.");
    EXPECT_EQ(registry.Sync(false, "index", Day("2026-12-06")).documents, 1u);

    // The successor stops replacing it: in force again, tillsvidare.
    successor.replaces.clear();
    registry.Commit(successor, "Nytt reglemente, fristående.");
    EXPECT_EQ(registry.Sync(false, "index", Day("2026-12-06")).documents, 2u);
    expect("2026-12-15", {"annan", "reglemente-a", "reglemente-b"});
}

// Versions that crossed a boundary since they were placed are placed again by a later sync,
// even with no new commit, and the default search is right before and after.
TEST(Index, VersionsThatCrossedABoundaryArePlacedAgain) {
    TestRegistry registry;
    core::Metadata budget2026 =
        testing::Decided("budget-2026", "Budget 2026", "2025-11-24", "2026-01-01", "2026-12-31");
    core::Metadata budget2027 =
        testing::Decided("budget-2027", "Budget 2027", "2026-11-16", "2027-01-01", "2027-12-31");
    budget2027.replaces = {"budget-2026"};
    const std::string commit = registry.Commit({{budget2026, "2026."}, {budget2027, "2027."}});
    registry.Sync(false, "index", Day("2026-12-06"));
    const std::filesystem::path current = registry.IndexDir() / "current";
    EXPECT_EQ(VersionsIn(current),
              Sorted({Version("budget-2026", commit), Version("budget-2027", commit)}));
    EXPECT_EQ(InForceOn(registry, "2027-01-02"), (Strings{"budget-2027"}));

    const SyncReport report = registry.Sync(false, "index", Day("2027-01-02"));
    EXPECT_FALSE(report.rebuilt);
    EXPECT_EQ(report.documents, 2u);
    EXPECT_EQ(VersionsIn(current), (Strings{Version("budget-2027", commit)}));
    EXPECT_EQ(VersionsIn(registry.IndexDir()), (Strings{Version("budget-2026", commit)}));
    EXPECT_EQ(InForceOn(registry, "2027-01-02"), (Strings{"budget-2027"}));
    EXPECT_EQ(InForceOn(registry, "2026-12-31"), (Strings{"budget-2026"}));
    // Nothing left to place again.
    EXPECT_EQ(registry.Sync(false, "index", Day("2027-01-02")).documents, 0u);
    // An earlier day never moves the day versions are placed by back.
    EXPECT_EQ(registry.Sync(false, "index", Day("2026-06-01")).documents, 0u);
    EXPECT_EQ(Xapian::Database(current.string()).get_metadata("styrdok.current_day"), "2027-01-02");
}

TEST(Index, SecondWriterGetsConflict) {
    TestRegistry registry;
    Index first = Index::Open(registry.IndexDir(), registry.schema());
    EXPECT_EQ(CodeOf([&] { Index::Open(registry.IndexDir(), registry.schema()); }),
              ErrorCode::kConflict);
}

// The boot id in the index's crash marker; nullopt when there is none.
std::optional<std::string> CrashMarker(const TestRegistry& registry) {
    std::ifstream in(registry.IndexDir() / kCrashMarker);
    if (!in) return std::nullopt;
    std::string boot;
    std::getline(in, boot);
    return boot;
}

TEST(Index, CrashMarkerOfAnotherBootStartsTheIndexOver) {
    struct Case {
        const char* name;
        const char* boot;                   // of the Open after the deferred sync by "boot-a"
        Durability durability;              // of that Open
        bool distrusted;                    // so its Sync rebuilds
        std::optional<std::string> marker;  // left after that Open
    };
    const std::vector<Case> cases = {
        {"server restarted in the same boot", "boot-a", Durability::kDeferred, false, "boot-a"},
        {"server started after a reboot", "boot-b", Durability::kDeferred, true, "boot-b"},
        {"styrdok index in the same boot", "boot-a", Durability::kSynced, false, "boot-a"},
        {"styrdok index after a reboot", "boot-b", Durability::kSynced, true, std::nullopt},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        TestRegistry registry;
        registry.Commit({{Policy("a", "Avfallspolicy"), "Sopor."}, {Policy("b", "B"), "Text."}});
        {
            Index index = Index::Open(registry.IndexDir(), registry.schema(), Durability::kDeferred,
                                      "boot-a");
            EXPECT_FALSE(index.Distrusted());
            EXPECT_TRUE(index.Sync(registry.store()).rebuilt);
        }
        EXPECT_EQ(CrashMarker(registry), "boot-a");

        Index index = Index::Open(registry.IndexDir(), registry.schema(), c.durability, c.boot);
        EXPECT_EQ(index.Distrusted(), c.distrusted);
        EXPECT_EQ(CrashMarker(registry), c.marker);
        if (c.distrusted) {
            EXPECT_EQ(index.LastIndexedCommit(), std::nullopt);
        }
        const SyncReport report = index.Sync(registry.store());
        EXPECT_EQ(report.rebuilt, c.distrusted);
        EXPECT_EQ(report.documents, c.distrusted ? 2u : 0u);
        SearchRequest request;
        request.query = "sopor";
        EXPECT_EQ(Ids(registry.Search(request)), (Strings{"a"}));
    }
}

TEST(Index, FlushedIndexIsTrustedInAnotherBoot) {
    TestRegistry registry;
    registry.Commit(Policy("a", "A"), "Text.");
    const std::string head = *registry.store().Head();
    Index::Open(registry.IndexDir(), registry.schema(), Durability::kDeferred, "boot-a")
        .Sync(registry.store());
    FlushIndex(registry.IndexDir());
    RemoveCrashMarker(registry.IndexDir());
    EXPECT_EQ(CrashMarker(registry), std::nullopt);

    Index index =
        Index::Open(registry.IndexDir(), registry.schema(), Durability::kDeferred, "boot-b");
    EXPECT_FALSE(index.Distrusted());
    EXPECT_EQ(index.LastIndexedCommit(), head);
    EXPECT_FALSE(index.Sync(registry.store()).rebuilt);
}

// The flush writes an index's pages back a piece at a time, with a pause after each piece in
// which a save may use the disk: every file of the three databases, a large one in pieces.
TEST(Index, WriteBackGoesThroughEveryFileAPieceAtATime) {
    TestRegistry registry;
    registry.Commit(Policy("a", "A"), "Text.");
    Index::Open(registry.IndexDir(), registry.schema(), Durability::kDeferred, "boot-a")
        .Sync(registry.store());
    std::size_t pieces = 0;
    const auto count = [&pieces] { ++pieces; };
    WriteBackIndex(registry.IndexDir(), count);
    const std::size_t small = pieces;
    // Xapian reads only the files it knows: a file of two and a half pieces beside its tables.
    const std::filesystem::path large = registry.IndexDir() / detail::kCurrentDatabase / "large";
    std::ofstream(large) << std::string(kWriteBackPiece * 5 / 2, 'x');
    pieces = 0;
    WriteBackIndex(registry.IndexDir(), count);
    EXPECT_GE(small, 3u) << "a piece at least for each database";
    EXPECT_EQ(pieces, small + 3);

    // A flush after it still makes the index durable.
    FlushIndex(registry.IndexDir());
    RemoveCrashMarker(registry.IndexDir());
    SearchRequest request;
    request.query = "text";
    EXPECT_EQ(Ids(registry.Search(request)), (Strings{"a"}));

    pieces = 0;
    WriteBackIndex(registry.IndexDir() / "none", count);
    EXPECT_EQ(pieces, 0u) << "no index";
}

TEST(Index, SyncedCommitsWriteNoCrashMarker) {
    TestRegistry registry;
    registry.Commit(Policy("a", "A"), "Text.");
    Index::Open(registry.IndexDir(), registry.schema(), Durability::kSynced, "boot-a")
        .Sync(registry.store());
    EXPECT_EQ(CrashMarker(registry), std::nullopt);
}

TEST(Index, SearcherOnAMissingIndexIsNotFound) {
    TestRegistry registry;
    EXPECT_EQ(CodeOf([&] { Searcher::Open(registry.IndexDir("nowhere"), registry.schema()); }),
              ErrorCode::kNotFound);
}

TEST(Index, SearcherSeesNewCommitsAfterReopen) {
    TestRegistry registry;
    registry.Commit(Policy("a", "A"), "Text.");
    registry.Sync();
    Searcher searcher = Searcher::Open(registry.IndexDir(), registry.schema());
    EXPECT_EQ(searcher.DocumentCount(), 1u);
    registry.Commit(Policy("b", "B"), "Text.");
    registry.Sync();
    searcher.Reopen();
    EXPECT_EQ(searcher.DocumentCount(), 2u);
    EXPECT_EQ(searcher.Search({}).total, 2u);
}

}  // namespace
}  // namespace styrdok::indexer
