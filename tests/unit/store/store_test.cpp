#include "styrdok/store/store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "styrdok/core/error.hpp"
#include "styrdok/store/document_force.hpp"
#include "styrdok/testing/sandbox.hpp"

namespace styrdok::store {
namespace {

namespace fs = std::filesystem;
using testing::Sandbox;
using testing::ShellQuote;

testing::RunResult Sh(const std::string& command) { return testing::Run(command); }

core::Date Day(int year, int month, int day) { return *core::Date::FromYmd(year, month, day); }

core::Metadata Meta(const std::string& id, const std::string& title,
                    std::optional<core::Date> valid_from = Day(2021, 7, 1)) {
    core::Metadata m;
    m.id = id;
    m.title = title;
    m.doctype = "policy";
    m.decided_by = "kf";
    m.decided_on = Day(2021, 5, 24);
    m.paragraph = "§ 67";
    m.owner = "HR-chef";
    m.valid_from = valid_from;
    return m;
}

DocumentWrite Write(core::Metadata metadata, std::string text,
                    std::optional<std::string> expected_version = std::nullopt) {
    DocumentWrite write;
    write.metadata = std::move(metadata);
    write.text = std::move(text);
    write.expected_version = std::move(expected_version);
    return write;
}

CommitRequest Request(std::vector<DocumentWrite> writes, std::string message = "Ändring",
                      std::optional<std::int64_t> author_time = std::nullopt) {
    CommitRequest request;
    request.writes = std::move(writes);
    request.author = {"Anna Andersson", "anna@exempel.se"};
    request.message = std::move(message);
    request.author_time = author_time;
    return request;
}

// A repository per test, in its own sandbox.
class StoreTest : public ::testing::Test {
protected:
    fs::path RepoPath() const { return sandbox_ / "registry.git"; }
    std::string Git(const std::string& arguments) const {
        testing::RunResult result =
            Sh("git -C " + ShellQuote(RepoPath().string()) + " " + arguments);
        EXPECT_EQ(result.exit_code, 0) << arguments << ": " << result.err;
        return result.out;
    }
    // Document `id`'s folder in a checkout, as store/README.md tells a person to find it:
    // documents/<first two hex digits of its git blob id>/<id>.
    static std::string Dir(const std::string& id) {
        testing::RunResult hash = Sh("printf %s " + ShellQuote(id) + " | git hash-object --stdin");
        EXPECT_EQ(hash.exit_code, 0) << hash.err;
        return "documents/" + hash.out.substr(0, 2) + "/" + id;
    }

    Sandbox sandbox_;
    Store store_ = Store::Init(RepoPath());
};

ErrorCode CodeOf(const std::function<void()>& action) {
    try {
        action();
    } catch (const Error& error) {
        return error.code();
    }
    ADD_FAILURE() << "no styrdok::Error thrown";
    return ErrorCode::kInternal;
}

TEST_F(StoreTest, InitCreatesAnEmptyBareRepositoryOnMain) {
    EXPECT_FALSE(store_.Head());
    EXPECT_TRUE(store_.ListDocuments().empty());
    EXPECT_EQ(store_.path(), RepoPath());
    EXPECT_EQ(Git("rev-parse --is-bare-repository"), "true\n");
    EXPECT_EQ(Git("symbolic-ref HEAD"), "refs/heads/main\n");
}

TEST_F(StoreTest, InitWhereARepositoryExistsIsAConflict) {
    EXPECT_EQ(CodeOf([&] { Store::Init(RepoPath()); }), ErrorCode::kConflict);
}

TEST_F(StoreTest, OpenOfAMissingRepositoryIsNotFound) {
    EXPECT_EQ(CodeOf([&] { Store::Open(sandbox_ / "missing"); }), ErrorCode::kNotFound);
}

TEST_F(StoreTest, OpenSeesWhatAnotherStoreWrote) {
    std::string version = store_.Commit(Request({Write(Meta("policy-a", "A"), "Text\n")}));
    Store other = Store::Open(RepoPath());
    EXPECT_EQ(other.Head(), version);
    ASSERT_TRUE(other.Read("policy-a"));
    EXPECT_EQ(other.Read("policy-a")->version, version);
}

TEST_F(StoreTest, CreateThenReadAtHead) {
    core::Metadata metadata = Meta("arbetsmiljopolicy", "Arbetsmiljöpolicy");
    metadata.keywords = {"arbetsmiljö", "hälsa"};
    std::string version =
        store_.Commit(Request({Write(metadata, "# Arbetsmiljöpolicy\n\nVi arbetar.\n", "")}));
    ASSERT_EQ(version.size(), 40u);
    EXPECT_EQ(store_.Head(), version);

    std::optional<Document> document = store_.Read("arbetsmiljopolicy");
    ASSERT_TRUE(document);
    EXPECT_EQ(document->metadata, metadata);
    EXPECT_EQ(document->text, "# Arbetsmiljöpolicy\n\nVi arbetar.\n");
    EXPECT_TRUE(document->files.empty());
    EXPECT_EQ(document->version, version);
    EXPECT_EQ(store_.ListDocuments(), std::vector<std::string>{"arbetsmiljopolicy"});
}

TEST_F(StoreTest, ReadOfAnUnknownDocumentIsEmpty) {
    EXPECT_FALSE(store_.Read("saknas"));
    store_.Commit(Request({Write(Meta("finns", "Finns"), "")}));
    EXPECT_FALSE(store_.Read("saknas"));
    EXPECT_TRUE(store_.History("saknas").empty());
    EXPECT_TRUE(store_.Versions("saknas").empty());
}

TEST_F(StoreTest, ReviseKeepsTheOlderVersionReadable) {
    std::string v1 = store_.Commit(Request({Write(Meta("policy", "Policy"), "Första\n")}));
    std::string other = store_.Commit(Request({Write(Meta("annan", "Annan"), "x\n")}));
    std::string v2 =
        store_.Commit(Request({Write(Meta("policy", "Policy 2"), "Andra\n", v1)}, "Revidering"));

    std::optional<Document> now = store_.Read("policy");
    ASSERT_TRUE(now);
    EXPECT_EQ(now->metadata.title, "Policy 2");
    EXPECT_EQ(now->version, v2);

    std::optional<Document> then = store_.Read("policy", v1);
    ASSERT_TRUE(then);
    EXPECT_EQ(then->metadata.title, "Policy");
    EXPECT_EQ(then->text, "Första\n");
    EXPECT_EQ(then->version, v1);

    // A commit that touched another document does not make a new version of this one.
    std::optional<Document> between = store_.Read("policy", other);
    ASSERT_TRUE(between);
    EXPECT_EQ(between->version, v1);
    EXPECT_FALSE(store_.Read("annan", v1));
}

TEST_F(StoreTest, ReadAtAMalformedOrUnknownCommitIsRefused) {
    store_.Commit(Request({Write(Meta("policy", "Policy"), "")}));
    EXPECT_EQ(CodeOf([&] { store_.Read("policy", std::string("HEAD")); }), ErrorCode::kBadInput);
    EXPECT_EQ(CodeOf([&] { store_.Read("policy", std::string(39, 'a')); }), ErrorCode::kBadInput);
    EXPECT_EQ(CodeOf([&] { store_.Read("policy", std::string(40, 'a')); }), ErrorCode::kNotFound);
    EXPECT_EQ(CodeOf([&] { store_.ListDocuments(std::string(40, 'b')); }), ErrorCode::kNotFound);
}

TEST_F(StoreTest, HistoryIsNewestFirstWithAuthorDateAndMessage) {
    // 2026-11-23T09:15:00Z
    std::string v1 =
        store_.Commit(Request({Write(Meta("policy", "P"), "1\n")}, "Antagen", 1795425300));
    store_.Commit(Request({Write(Meta("annan", "A"), "\n")}, "Annan"));
    CommitRequest revision =
        Request({Write(Meta("policy", "P2"), "2\n", v1)}, "Reviderad\n\nMer text.");
    revision.author = {"Bertil Berg", "bertil@exempel.se"};
    std::string v2 = store_.Commit(revision);

    std::vector<VersionInfo> history = store_.History("policy");
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].version, v2);
    EXPECT_EQ(history[0].author, "Bertil Berg");
    EXPECT_EQ(history[0].author_email, "bertil@exempel.se");
    EXPECT_EQ(history[0].message, "Reviderad\n\nMer text.");
    EXPECT_EQ(history[1].version, v1);
    EXPECT_EQ(history[1].author, "Anna Andersson");
    EXPECT_EQ(history[1].message, "Antagen");
    EXPECT_EQ(history[1].date, "2026-11-23T09:15:00+00:00");
}

TEST_F(StoreTest, VersionsAreOldestFirst) {
    std::string v1 = store_.Commit(Request({Write(Meta("policy", "Ett"), "1\n")}));
    std::string v2 = store_.Commit(Request({Write(Meta("policy", "Två"), "2\n")}));
    std::string v3 = store_.Commit(Request({Write(Meta("policy", "Tre"), "3\n")}));
    std::vector<Document> versions = store_.Versions("policy");
    ASSERT_EQ(versions.size(), 3u);
    EXPECT_EQ(versions[0].version, v1);
    EXPECT_EQ(versions[0].metadata.title, "Ett");
    EXPECT_EQ(versions[1].version, v2);
    EXPECT_EQ(versions[2].version, v3);
    EXPECT_EQ(versions[2].text, "3\n");
    // The metadata alone, in the same order, as the yearly report reads it.
    std::vector<core::Metadata> metadata = store_.VersionMetadata("policy");
    ASSERT_EQ(metadata.size(), versions.size());
    for (std::size_t i = 0; i < versions.size(); ++i) EXPECT_EQ(metadata[i], versions[i].metadata);
    EXPECT_TRUE(store_.VersionMetadata("saknas").empty());
}

TEST_F(StoreTest, VersionsReadEachVersionsOwnContentAsTheBranchMoves) {
    std::string v1 = store_.Commit(Request({Write(Meta("policy", "Ett"), "1\n")}));
    store_.Commit(Request({Write(Meta("annan", "Annan"), "a\n")}));
    ASSERT_EQ(store_.Versions("policy").size(), 1u);
    // Another writer moves the branch: a revision, then a return to the first content.
    Store other = Store::Open(RepoPath());
    std::string v2 = other.Commit(Request({Write(Meta("policy", "Två"), "2\n")}));
    std::string v3 = other.Commit(Request({Write(Meta("policy", "Ett"), "1\n")}));
    std::vector<Document> versions = store_.Versions("policy");
    ASSERT_EQ(versions.size(), 3u);
    EXPECT_EQ(versions[0].version, v1);
    EXPECT_EQ(versions[1].version, v2);
    EXPECT_EQ(versions[1].metadata.title, "Två");
    EXPECT_EQ(versions[1].text, "2\n");
    EXPECT_EQ(versions[2].version, v3);
    EXPECT_EQ(versions[2].metadata.title, "Ett");
    EXPECT_EQ(versions[2].text, "1\n");
    EXPECT_EQ(store_.Versions("annan").size(), 1u);
}

// The handles of one repository in a process share what they have read of its history
// (store/src/history_index.hpp); each must still answer for the branch as it is now.
TEST_F(StoreTest, HandlesOfOneRepositoryShareHistoryAndEachFollowsTheBranch) {
    std::string v1 = store_.Commit(Request({Write(Meta("policy", "Ett"), "1\n")}));
    std::string v2 = store_.Commit(Request({Write(Meta("policy", "Två"), "2\n")}));
    ASSERT_EQ(store_.History("policy").size(), 2u);

    Store other = Store::Open(RepoPath());
    ASSERT_EQ(other.History("policy").size(), 2u);
    std::string v3 = other.Commit(Request({Write(Meta("policy", "Tre"), "3\n")}));
    store_.Commit(Request({Write(Meta("annan", "Annan"), "a\n")}));

    Store third = Store::Open(RepoPath());
    for (Store* store : {&store_, &other, &third}) {
        std::vector<Document> versions = store->Versions("policy");
        ASSERT_EQ(versions.size(), 3u);
        EXPECT_EQ(versions[0].version, v1);
        EXPECT_EQ(versions[1].version, v2);
        EXPECT_EQ(versions[2].version, v3);
        EXPECT_EQ(versions[2].text, "3\n");
        EXPECT_EQ(store->Read("policy")->version, v3);
        EXPECT_EQ(store->History("annan").size(), 1u);
    }
}

// Past 256 commits a handle merges what it read into a new shared part, and another handle
// that read the same commits takes that part instead: both keep every version.
TEST_F(StoreTest, HistoryStaysRightWhenHandlesMergeWhatTheyRead) {
    store_.Commit(Request({Write(Meta("policy", "0"), "0\n")}));
    ASSERT_EQ(store_.History("policy").size(), 1u);
    Store other = Store::Open(RepoPath());
    ASSERT_EQ(other.History("policy").size(), 1u);
    for (int round = 1; round <= 2; ++round) {
        SCOPED_TRACE(round);
        std::vector<CommitRequest> requests;
        for (int i = 0; i < 300; ++i) {
            const std::string text = std::to_string(round) + "-" + std::to_string(i) + "\n";
            requests.push_back(i % 3 == 0 ? Request({Write(Meta("annan", text), text)})
                                          : Request({Write(Meta("policy", text), text)}));
        }
        std::optional<std::string> last = other.CommitAll(std::move(requests));
        ASSERT_TRUE(last);
        const std::size_t policy = 1 + 200 * static_cast<std::size_t>(round);
        const std::size_t annan = 100 * static_cast<std::size_t>(round);
        Store fresh = Store::Open(RepoPath());
        for (Store* store : {&store_, &other, &fresh}) {
            std::vector<VersionInfo> history = store->History("policy");
            ASSERT_EQ(history.size(), policy);
            EXPECT_EQ(history.front().version, *last);
            EXPECT_EQ(store->History("annan").size(), annan);
            EXPECT_EQ(store->Read("policy")->text, std::to_string(round) + "-299\n");
        }
    }
}

// A handle that takes the shared part of a history since rewritten reads the new one.
TEST_F(StoreTest, AHandleOpenedAfterHistoryWasRewrittenReadsTheNewHistory) {
    std::string v1 = store_.Commit(Request({Write(Meta("policy", "Ett"), "1\n")}));
    store_.Commit(Request({Write(Meta("policy", "Två"), "2\n")}));
    ASSERT_EQ(store_.History("policy").size(), 2u);
    Git("update-ref refs/heads/main " + v1);
    std::string v2 = store_.Commit(Request({Write(Meta("annan", "Annan"), "a\n")}));

    Store fresh = Store::Open(RepoPath());
    for (Store* store : {&fresh, &store_}) {
        std::vector<VersionInfo> history = store->History("policy");
        ASSERT_EQ(history.size(), 1u);
        EXPECT_EQ(history[0].version, v1);
        EXPECT_EQ(store->Read("policy")->text, "1\n");
        EXPECT_EQ(store->History("annan").size(), 1u);
        EXPECT_EQ(store->Read("annan")->version, v2);
    }
}

TEST_F(StoreTest, RewritingTheSameContentMakesNoNewVersion) {
    std::string v1 = store_.Commit(Request({Write(Meta("policy", "P"), "1\n")}));
    store_.Commit(Request({Write(Meta("policy", "P"), "1\n")}));
    EXPECT_EQ(store_.Read("policy")->version, v1);
    EXPECT_EQ(store_.History("policy").size(), 1u);
}

// The version in force on a day, as DocumentForce reads it from the store.
std::optional<Document> InForce(const Store& store, std::string_view id, core::Date day,
                                const std::vector<std::string>& replaced_by = {}) {
    const DocumentForce force = DocumentForce::Read(store, id, replaced_by);
    const std::optional<std::size_t> index = force.InForceOn(day);
    if (!index) return std::nullopt;
    return force.versions()[*index];
}

TEST_F(StoreTest, VersionInForceIsDecidedByMetadataDates) {
    // Both versions are committed today; which applied when is in their metadata.
    store_.Commit(Request({Write(Meta("policy", "Gamla", Day(2019, 1, 1)), "gammal\n")}));
    store_.Commit(Request({Write(Meta("policy", "Nya", Day(2023, 3, 1)), "ny\n")}));

    EXPECT_FALSE(InForce(store_, "policy", Day(2018, 12, 31)));
    std::optional<Document> in_2021 = InForce(store_, "policy", Day(2021, 5, 5));
    ASSERT_TRUE(in_2021);
    EXPECT_EQ(in_2021->metadata.title, "Gamla");
    std::optional<Document> in_2024 = InForce(store_, "policy", Day(2024, 1, 1));
    ASSERT_TRUE(in_2024);
    EXPECT_EQ(in_2024->metadata.title, "Nya");
    EXPECT_FALSE(InForce(store_, "saknas", Day(2024, 1, 1)));
}

TEST_F(StoreTest, RepealedDocumentIsInForceUntilItsValidTo) {
    std::string v1 = store_.Commit(Request({Write(Meta("policy", "Policy", Day(2019, 1, 1)), "")}));
    core::Metadata repealed = Meta("policy", "Policy", Day(2019, 1, 1));
    repealed.status = core::Status::kRepealed;
    repealed.valid_to = Day(2024, 6, 30);
    store_.Commit(Request({Write(repealed, "", v1)}, "Upphävd"));

    EXPECT_TRUE(InForce(store_, "policy", Day(2024, 6, 1)));
    EXPECT_TRUE(InForce(store_, "policy", Day(2024, 6, 30)));
    EXPECT_FALSE(InForce(store_, "policy", Day(2024, 7, 1)));
}

TEST_F(StoreTest, AnAdoptedSuccessorEndsTheDocumentItReplacesOnItsFirstDay) {
    store_.Commit(Request({Write(Meta("budget-2026", "Budget 2026", Day(2025, 11, 24)), "")}));
    core::Metadata next = Meta("budget-2027", "Budget 2027", Day(2026, 11, 23));
    next.valid_from = Day(2027, 1, 1);
    next.replaces = {"budget-2026"};
    store_.Commit(Request({Write(next, "")}));
    const DocumentForce force = DocumentForce::Read(store_, "budget-2026", {"budget-2027"});
    EXPECT_EQ(force.replaced_from(), Day(2027, 1, 1));
    EXPECT_EQ(force.successor(), "budget-2027");
    EXPECT_TRUE(InForce(store_, "budget-2026", Day(2026, 12, 31), {"budget-2027"}));
    EXPECT_FALSE(InForce(store_, "budget-2026", Day(2027, 1, 1), {"budget-2027"}));
    EXPECT_EQ(force.DocumentStateOn(Day(2026, 12, 31)), core::ForceState::kInForce);
    EXPECT_EQ(force.DocumentStateOn(Day(2027, 1, 1)), core::ForceState::kExpired);
    // Without its successor the document would run on tillsvidare.
    EXPECT_TRUE(InForce(store_, "budget-2026", Day(2027, 1, 1)));
}

TEST_F(StoreTest, DiffShowsMetadataFieldsAndTextLines) {
    core::Metadata before = Meta("policy", "Policy");
    before.keywords = {"a"};
    std::string v1 = store_.Commit(
        Request({Write(before, "Rad 1\nRad 2\nRad 3\nRad 4\nRad 5\nRad 6\nRad 7\nRad 8\n")}));
    core::Metadata after = before;
    after.title = "Ny policy";
    after.valid_to = Day(2030, 12, 31);
    after.keywords = {"a", "b"};
    std::string v2 = store_.Commit(
        Request({Write(after, "Rad 1\nRad 2\nRad 3\nRad 4\nRad 5\nRad 6\nÄndrad 7\nRad 8\n")}));

    DocumentDiff diff = store_.Diff("policy", v1, v2);
    EXPECT_EQ(diff.from, v1);
    EXPECT_EQ(diff.to, v2);
    ASSERT_EQ(diff.metadata.size(), 3u);
    EXPECT_EQ(diff.metadata[0].field, "title");
    EXPECT_EQ(diff.metadata[0].before, "Policy");
    EXPECT_EQ(diff.metadata[0].after, "Ny policy");
    EXPECT_EQ(diff.metadata[1].field, "valid_to");
    EXPECT_EQ(diff.metadata[1].before, "");
    EXPECT_EQ(diff.metadata[1].after, "2030-12-31");
    EXPECT_EQ(diff.metadata[2].field, "keywords");
    EXPECT_EQ(diff.metadata[2].after, "a\nb");

    using Kind = TextDiffLine::Kind;
    std::vector<std::pair<Kind, std::string>> expected = {
        {Kind::kContext, "Rad 4"}, {Kind::kContext, "Rad 5"},  {Kind::kContext, "Rad 6"},
        {Kind::kRemoved, "Rad 7"}, {Kind::kAdded, "Ändrad 7"}, {Kind::kContext, "Rad 8"},
    };
    ASSERT_EQ(diff.text.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(diff.text[i].kind, expected[i].first);
        EXPECT_EQ(diff.text[i].text, expected[i].second);
    }
    EXPECT_TRUE(store_.Diff("policy", v2, v2).text.empty());
}

TEST_F(StoreTest, DiffOfADocumentMissingInAVersionIsNotFound) {
    std::string v1 = store_.Commit(Request({Write(Meta("annan", "A"), "")}));
    std::string v2 = store_.Commit(Request({Write(Meta("policy", "P"), "")}));
    EXPECT_EQ(CodeOf([&] { store_.Diff("policy", v1, v2); }), ErrorCode::kNotFound);
}

TEST_F(StoreTest, StaleVersionIsRefusedAndNothingIsLost) {
    std::string v1 = store_.Commit(Request({Write(Meta("policy", "P"), "1\n")}));
    std::string v2 = store_.Commit(Request({Write(Meta("policy", "P"), "2\n", v1)}));
    // A second editor still holds v1.
    EXPECT_EQ(CodeOf([&] { store_.Commit(Request({Write(Meta("policy", "P"), "3\n", v1)})); }),
              ErrorCode::kStaleVersion);
    EXPECT_EQ(store_.Head(), v2);
    EXPECT_EQ(store_.Read("policy")->text, "2\n");
    EXPECT_EQ(CodeOf([&] { store_.Commit(Request({Write(Meta("ny", "N"), "", v1)})); }),
              ErrorCode::kStaleVersion);
    EXPECT_EQ(store_.Head(), v2);
}

TEST_F(StoreTest, OneStaleWriteRefusesTheWholeCommit) {
    std::string v1 = store_.Commit(Request({Write(Meta("policy", "P"), "1\n")}));
    std::string v2 = store_.Commit(Request({Write(Meta("policy", "P"), "2\n")}));
    EXPECT_EQ(CodeOf([&] {
                  store_.Commit(Request(
                      {Write(Meta("ny", "N"), "", ""), Write(Meta("policy", "P"), "3\n", v1)}));
              }),
              ErrorCode::kStaleVersion);
    EXPECT_EQ(store_.Head(), v2);
    EXPECT_FALSE(store_.Read("ny"));
}

TEST_F(StoreTest, CreateOfAnExistingIdIsRefused) {
    std::string v1 = store_.Commit(Request({Write(Meta("policy", "P"), "1\n", "")}));
    EXPECT_EQ(CodeOf([&] { store_.Commit(Request({Write(Meta("policy", "Q"), "2\n", "")})); }),
              ErrorCode::kStaleVersion);
    EXPECT_EQ(store_.Head(), v1);
    EXPECT_EQ(store_.Read("policy")->metadata.title, "P");
}

TEST_F(StoreTest, BadIdsAreRefused) {
    std::string head = store_.Commit(Request({Write(Meta("policy", "P"), "")}));
    for (std::string id : {"../x", "A", "", "a/b", "-a", "a b", "documents/../x"}) {
        SCOPED_TRACE(id);
        EXPECT_EQ(CodeOf([&] { store_.Commit(Request({Write(Meta(id, "X"), "")})); }),
                  ErrorCode::kBadInput);
        EXPECT_EQ(CodeOf([&] { store_.Read(id); }), ErrorCode::kBadInput);
        EXPECT_EQ(CodeOf([&] { store_.History(id); }), ErrorCode::kBadInput);
    }
    // A good write beside a bad one is not written either.
    EXPECT_EQ(
        CodeOf([&] {
            store_.Commit(Request({Write(Meta("bra", "B"), ""), Write(Meta("../x", "X"), "")}));
        }),
        ErrorCode::kBadInput);
    EXPECT_EQ(store_.Head(), head);
    EXPECT_EQ(store_.ListDocuments(), std::vector<std::string>{"policy"});
}

TEST_F(StoreTest, AuthorWithoutNameIsRefused) {
    CommitRequest request = Request({Write(Meta("policy", "P"), "")});
    request.author = {"", "x@exempel.se"};
    EXPECT_EQ(CodeOf([&] { store_.Commit(request); }), ErrorCode::kBadInput);
    EXPECT_FALSE(store_.Head());
}

TEST_F(StoreTest, AttachmentsAreStoredListedAndRemoved) {
    DocumentWrite write = Write(Meta("policy", "P"), "text\n");
    write.files = {{"original.pdf", std::string("%PDF-1.4\0binary", 15)}, {"bilaga.docx", "PK"}};
    std::string v1 = store_.Commit(Request({write}));

    std::optional<Document> document = store_.Read("policy");
    ASSERT_TRUE(document);
    EXPECT_EQ(document->files, (std::vector<std::string>{"bilaga.docx", "original.pdf"}));
    EXPECT_EQ(store_.ReadFile("policy", "original.pdf"), std::string("%PDF-1.4\0binary", 15));
    EXPECT_FALSE(store_.ReadFile("policy", "saknas.pdf"));
    EXPECT_FALSE(store_.ReadFile("annan", "original.pdf"));
    EXPECT_EQ(CodeOf([&] { store_.ReadFile("policy", "../metadata.xml"); }), ErrorCode::kBadInput);

    // Files not named stay; removing an absent file is no error.
    DocumentWrite revision = Write(Meta("policy", "P"), "text 2\n", v1);
    revision.remove_files = {"bilaga.docx", "aldrig.txt"};
    std::string v2 = store_.Commit(Request({revision}));
    EXPECT_EQ(store_.Read("policy")->files, std::vector<std::string>{"original.pdf"});
    EXPECT_EQ(store_.ReadFile("policy", "bilaga.docx", v1), "PK");
    DocumentDiff diff = store_.Diff("policy", v1, v2);
    EXPECT_EQ(diff.files_removed, std::vector<std::string>{"bilaga.docx"});
    EXPECT_TRUE(diff.files_added.empty());

    DocumentWrite last = Write(Meta("policy", "P"), "text 2\n", v2);
    last.remove_files = {"original.pdf"};
    store_.Commit(Request({last}));
    EXPECT_TRUE(store_.Read("policy")->files.empty());
}

TEST_F(StoreTest, BadAttachmentNamesAreRefused) {
    for (const std::string& name : std::vector<std::string>{
             "", ".hidden", "a/b", "../x", std::string(201, 'a'), "rad\nbrytning"}) {
        SCOPED_TRACE(name);
        DocumentWrite write = Write(Meta("policy", "P"), "");
        write.files = {{name, "x"}};
        EXPECT_EQ(CodeOf([&] { store_.Commit(Request({write})); }), ErrorCode::kBadInput);
    }
    DocumentWrite both = Write(Meta("policy", "P"), "");
    both.files = {{"a.pdf", "x"}};
    both.remove_files = {"a.pdf"};
    EXPECT_EQ(CodeOf([&] { store_.Commit(Request({both})); }), ErrorCode::kBadInput);
    EXPECT_FALSE(store_.Head());
}

TEST_F(StoreTest, CommitAllWritesAChainAndMovesTheBranchOnce) {
    std::string base = store_.Commit(Request({Write(Meta("annan", "A"), "")}));
    std::optional<std::string> last = store_.CommitAll({
        Request({Write(Meta("policy", "Version 1"), "1\n", "")}, "Antagen 2015"),
        Request({Write(Meta("policy", "Version 2"), "2\n")}, "Reviderad 2019"),
    });
    ASSERT_TRUE(last);
    EXPECT_EQ(store_.Head(), last);
    std::vector<VersionInfo> history = store_.History("policy");
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].version, *last);
    EXPECT_EQ(history[1].message, "Antagen 2015");
    EXPECT_TRUE(store_.IsAncestor(base, *last));
    EXPECT_EQ(store_.CommitAll({}), std::nullopt);
    EXPECT_EQ(store_.Head(), last);
}

TEST_F(StoreTest, CommitAllIsAllOrNothing) {
    std::string head = store_.Commit(Request({Write(Meta("policy", "P"), "1\n")}));
    // The second commit creates what the first already created: the chain is refused.
    EXPECT_EQ(CodeOf([&] {
                  store_.CommitAll({
                      Request({Write(Meta("ny", "N"), "", "")}),
                      Request({Write(Meta("ny", "N2"), "", "")}),
                  });
              }),
              ErrorCode::kStaleVersion);
    EXPECT_EQ(store_.Head(), head);
    EXPECT_FALSE(store_.Read("ny"));
    // A bad id in the last commit refuses the first too.
    EXPECT_EQ(CodeOf([&] {
                  store_.CommitAll({
                      Request({Write(Meta("ny", "N"), "")}),
                      Request({Write(Meta("Dålig", "D"), "")}),
                  });
              }),
              ErrorCode::kBadInput);
    EXPECT_EQ(store_.Head(), head);
}

std::vector<DocumentWrite> ManyWrites(int count, const std::string& prefix) {
    std::vector<DocumentWrite> writes;
    for (int i = 0; i < count; ++i) {
        std::string id = prefix + std::to_string(i);
        DocumentWrite write = Write(Meta(id, "Dokument " + id), "Text " + id + "\n", "");
        write.files = {{"original.pdf", "%PDF " + id}};
        writes.push_back(std::move(write));
    }
    return writes;
}

std::size_t FilesUnder(const fs::path& folder) {
    std::size_t count = 0;
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
        count += entry.is_regular_file() ? 1 : 0;
    }
    return count;
}

TEST_F(StoreTest, LargeWritesArriveAsOnePack) {
    std::string head = store_.Commit(Request(ManyWrites(200, "dok-")));
    EXPECT_EQ(store_.ListDocuments().size(), 200u);
    std::optional<Document> document = store_.Read("dok-123");
    ASSERT_TRUE(document);
    EXPECT_EQ(document->text, "Text dok-123\n");
    EXPECT_EQ(document->version, head);
    EXPECT_EQ(store_.ReadFile("dok-7", "original.pdf"), "%PDF dok-7");
    // 200 documents: 600 blobs, 201 trees above them and a commit, but no loose objects.
    EXPECT_EQ(Git("count-objects"), "0 objects, 0 kilobytes\n");
    EXPECT_EQ(Store::Open(RepoPath()).Read("dok-199")->version, head);
    testing::RunResult fsck =
        Sh("git -C " + ShellQuote(RepoPath().string()) + " fsck --full --strict");
    EXPECT_EQ(fsck.exit_code, 0) << fsck.err;
    EXPECT_TRUE(store_.Verify().empty());

    // A small edit on top of the pack is written loose, and sees the packed history.
    store_.Commit(Request({Write(Meta("dok-5", "Ändrad"), "", head)}));
    EXPECT_EQ(store_.History("dok-5").size(), 2u);
}

TEST_F(StoreTest, RefusedLargeChainLeavesNothingOnDisk) {
    std::string head = store_.Commit(Request({Write(Meta("finns", "F"), "")}));
    std::size_t files = FilesUnder(RepoPath() / "objects");
    EXPECT_EQ(CodeOf([&] {
                  store_.CommitAll({Request(ManyWrites(100, "dok-")),
                                    Request({Write(Meta("finns", "F2"), "", "")})});
              }),
              ErrorCode::kStaleVersion);
    EXPECT_EQ(store_.Head(), head);
    EXPECT_EQ(FilesUnder(RepoPath() / "objects"), files);
}

TEST_F(StoreTest, ChangedBetweenNamesAddedModifiedAndRemovedDocuments) {
    std::string c1 = store_.Commit(Request(
        {Write(Meta("a", "A"), ""), Write(Meta("a-b", "AB"), ""), Write(Meta("b", "B"), "")}));
    std::string c2 =
        store_.Commit(Request({Write(Meta("b", "B2"), ""), Write(Meta("c", "C"), "")}));

    ChangedDocuments from_start = store_.ChangedBetween(std::nullopt, c1);
    EXPECT_EQ(from_start.changed, (std::vector<std::string>{"a", "a-b", "b"}));
    EXPECT_TRUE(from_start.removed.empty());

    ChangedDocuments forward = store_.ChangedBetween(c1, c2);
    EXPECT_EQ(forward.changed, (std::vector<std::string>{"b", "c"}));
    EXPECT_TRUE(forward.removed.empty());

    ChangedDocuments backward = store_.ChangedBetween(c2, c1);
    EXPECT_EQ(backward.changed, std::vector<std::string>{"b"});
    EXPECT_EQ(backward.removed, std::vector<std::string>{"c"});
    EXPECT_TRUE(store_.ChangedBetween(c2, c2).changed.empty());
}

std::vector<std::string> LogVersions(const std::vector<ChangeEntry>& log) {
    std::vector<std::string> versions;
    for (const ChangeEntry& entry : log) versions.push_back(entry.commit.version);
    return versions;
}

TEST_F(StoreTest, LogIsNewestFirstWithTheDocumentsEachCommitChanged) {
    // 2026-11-23T09:15:00Z
    std::string c1 = store_.Commit(Request(
        {Write(Meta("b", "B"), ""), Write(Meta("a-b", "AB"), ""), Write(Meta("a", "A"), "")},
        "Import", 1795425300));
    std::string c2 = store_.Commit(Request({Write(Meta("b", "B2"), "")}, "Revidering\n"));
    std::string c3 =
        store_.Commit(Request({Write(Meta("c", "C"), ""), Write(Meta("a", "A2"), "")}, "Ny"));

    std::vector<ChangeEntry> log = store_.Log(10);
    ASSERT_EQ(LogVersions(log), (std::vector<std::string>{c3, c2, c1}));
    EXPECT_EQ(log[0].documents, (std::vector<std::string>{"a", "c"}));
    EXPECT_EQ(log[0].commit.message, "Ny");
    EXPECT_EQ(log[1].documents, std::vector<std::string>{"b"});
    EXPECT_EQ(log[1].commit.message, "Revidering");
    EXPECT_EQ(log[2].documents, (std::vector<std::string>{"a", "a-b", "b"}));
    EXPECT_EQ(log[2].commit.author, "Anna Andersson");
    EXPECT_EQ(log[2].commit.author_email, "anna@exempel.se");
    EXPECT_EQ(log[2].commit.date, "2026-11-23T09:15:00+00:00");
}

TEST_F(StoreTest, LogStopsAtTheLimitAndPagesOnWithBefore) {
    std::vector<std::string> commits;
    for (int i = 0; i < 5; ++i) {
        commits.push_back(store_.Commit(Request({Write(Meta("policy", std::to_string(i)), "")})));
    }
    EXPECT_EQ(LogVersions(store_.Log(2)), (std::vector<std::string>{commits[4], commits[3]}));
    EXPECT_EQ(LogVersions(store_.Log(2, commits[3])),
              (std::vector<std::string>{commits[2], commits[1]}));
    EXPECT_EQ(LogVersions(store_.Log(2, commits[1])), std::vector<std::string>{commits[0]});
    EXPECT_TRUE(store_.Log(2, commits[0]).empty());
    EXPECT_TRUE(store_.Log(0).empty());
}

TEST_F(StoreTest, LogOfAnEmptyRepositoryIsEmpty) { EXPECT_TRUE(store_.Log(20).empty()); }

TEST_F(StoreTest, LogRefusesAMalformedOrUnknownBefore) {
    EXPECT_EQ(CodeOf([&] { store_.Log(5, std::string(40, 'a')); }), ErrorCode::kNotFound);
    store_.Commit(Request({Write(Meta("policy", "Policy"), "")}));
    EXPECT_EQ(CodeOf([&] { store_.Log(5, std::string("HEAD")); }), ErrorCode::kBadInput);
    EXPECT_EQ(CodeOf([&] { store_.Log(5, std::string(39, 'a')); }), ErrorCode::kBadInput);
    EXPECT_EQ(CodeOf([&] { store_.Log(5, std::string(40, 'a')); }), ErrorCode::kNotFound);
}

TEST_F(StoreTest, LogNamesRemovedDocumentsAndFollowsFirstParents) {
    std::string c1 = store_.Commit(Request(
        {Write(Meta("a", "A"), "1\n"), Write(Meta("b", "B"), ""), Write(Meta("c", "C"), "")}));
    fs::path clone = sandbox_ / "clone";
    std::string git =
        "git -C " + ShellQuote(clone.string()) + " -c user.name=C -c user.email=c@exempel.se ";
    ASSERT_EQ(
        Sh("git clone -q " + ShellQuote(RepoPath().string()) + " " + ShellQuote(clone.string()))
            .exit_code,
        0);
    // A side branch changes a, main removes b, and the merge brings a in.
    ASSERT_EQ(Sh(git + "checkout -qb sida").exit_code, 0);
    std::ofstream(clone / Dir("a") / "text.md") << "2\n";
    ASSERT_EQ(Sh(git + "commit -qam Sidogren && " + git + "checkout -q main && " + git + "rm -rq " +
                 Dir("b") + " && " + git + "commit -qm 'Tog bort b' && " + git +
                 "merge -q --no-ff -m Sammanfogning sida && " + git + "push -q origin main")
                  .exit_code,
              0);

    std::vector<ChangeEntry> log = store_.Log(10);
    ASSERT_EQ(log.size(), 3u);
    EXPECT_EQ(log[0].commit.message, "Sammanfogning");
    EXPECT_EQ(log[0].documents, std::vector<std::string>{"a"});
    EXPECT_EQ(log[1].commit.message, "Tog bort b");
    EXPECT_EQ(log[1].documents, std::vector<std::string>{"b"});
    EXPECT_EQ(log[2].commit.version, c1);
}

TEST_F(StoreTest, LogOfALargeImportListsItsDocuments) {
    store_.Commit(Request(ManyWrites(1000, "dok-"), "Import"));
    std::string c2 = store_.Commit(Request({Write(Meta("dok-5", "Ändrad"), "")}, "Ändring"));
    std::string c3 = store_.Commit(Request({Write(Meta("ny", "Ny"), "")}, "Ny"));

    std::vector<ChangeEntry> newest = store_.Log(2);
    ASSERT_EQ(LogVersions(newest), (std::vector<std::string>{c3, c2}));
    EXPECT_EQ(newest[0].documents, std::vector<std::string>{"ny"});
    EXPECT_EQ(newest[1].documents, std::vector<std::string>{"dok-5"});
    std::vector<ChangeEntry> older = store_.Log(20, c2);
    ASSERT_EQ(older.size(), 1u);
    EXPECT_EQ(older[0].commit.message, "Import");
    EXPECT_EQ(older[0].documents.size(), 1000u);
    EXPECT_TRUE(std::is_sorted(older[0].documents.begin(), older[0].documents.end()));
}

TEST_F(StoreTest, ListDocumentsIsInByteOrder) {
    std::string c1 =
        store_.Commit(Request({Write(Meta("ab", "x"), ""), Write(Meta("a-b", "x"), ""),
                               Write(Meta("a", "x"), ""), Write(Meta("a0", "x"), "")}));
    EXPECT_EQ(store_.ListDocuments(), (std::vector<std::string>{"a", "a-b", "a0", "ab"}));
    store_.Commit(Request({Write(Meta("z", "x"), "")}));
    EXPECT_EQ(store_.ListDocuments(c1).size(), 4u);
}

TEST_F(StoreTest, IsAncestorFollowsHistory) {
    std::string c1 = store_.Commit(Request({Write(Meta("a", "A"), "")}));
    std::string c2 = store_.Commit(Request({Write(Meta("a", "A2"), "")}));
    EXPECT_TRUE(store_.IsAncestor(c1, c2));
    EXPECT_TRUE(store_.IsAncestor(c2, c2));
    EXPECT_FALSE(store_.IsAncestor(c2, c1));
    EXPECT_EQ(CodeOf([&] { store_.IsAncestor(std::string(40, 'c'), c2); }), ErrorCode::kNotFound);
}

TEST_F(StoreTest, ConcurrentWritersNeverLoseACommit) {
    store_.Commit(Request({Write(Meta("start", "S"), "")}));
    std::atomic<int> written{0};
    std::atomic<int> conflicts{0};
    auto writer = [&](const std::string& prefix) {
        Store own = Store::Open(RepoPath());
        for (int i = 0; i < 15; ++i) {
            try {
                own.Commit(Request({Write(Meta(prefix + std::to_string(i), "x"), "")}));
                ++written;
            } catch (const Error& error) {
                EXPECT_EQ(error.code(), ErrorCode::kConflict) << error.what();
                ++conflicts;
            }
        }
    };
    std::thread first(writer, "a");
    std::thread second(writer, "b");
    first.join();
    second.join();
    EXPECT_EQ(written + conflicts, 30);
    // Every commit that was reported written is on the branch.
    EXPECT_EQ(Git("rev-list --count main"), std::to_string(written + 1) + "\n");
    EXPECT_EQ(store_.ListDocuments().size(), static_cast<std::size_t>(written + 1));
}

TEST_F(StoreTest, GitToolsReadTheRepository) {
    DocumentWrite write = Write(Meta("policy", "Policy"), "# Policy\n");
    write.files = {{"original.pdf", "%PDF"}};
    std::string v1 = store_.Commit(Request({write}, "Antagen av KF"));
    store_.Commit(Request({Write(Meta("policy", "Policy 2"), "# Policy 2\n", v1)}, "Reviderad"));

    testing::RunResult fsck =
        Sh("git -C " + ShellQuote(RepoPath().string()) + " fsck --full --strict");
    EXPECT_EQ(fsck.exit_code, 0) << fsck.err;
    EXPECT_EQ(Git("log '--format=%an|%ae|%s' main"),
              "Anna Andersson|anna@exempel.se|Reviderad\n"
              "Anna Andersson|anna@exempel.se|Antagen av KF\n");

    fs::path clone = sandbox_ / "clone";
    testing::RunResult cloned =
        Sh("git clone -q " + ShellQuote(RepoPath().string()) + " " + ShellQuote(clone.string()));
    ASSERT_EQ(cloned.exit_code, 0) << cloned.err;
    EXPECT_EQ(testing::ReadFile(clone / Dir("policy") / "text.md"), "# Policy 2\n");
    EXPECT_EQ(testing::ReadFile(clone / Dir("policy") / "files/original.pdf"), "%PDF");
    EXPECT_NE(
        testing::ReadFile(clone / Dir("policy") / "metadata.xml").find("<title>Policy 2</title>"),
        std::string::npos);
}

TEST_F(StoreTest, CommitsPushedWithGitAreSeen) {
    std::string v1 = store_.Commit(Request({Write(Meta("policy", "Policy"), "1\n")}));
    EXPECT_EQ(store_.Read("policy")->version, v1);  // builds the history index at v1

    fs::path clone = sandbox_ / "clone";
    std::string git = "git -C " + ShellQuote(clone.string()) +
                      " -c user.name=Cecilia -c user.email=cecilia@exempel.se ";
    ASSERT_EQ(
        Sh("git clone -q " + ShellQuote(RepoPath().string()) + " " + ShellQuote(clone.string()))
            .exit_code,
        0);
    std::ofstream(clone / Dir("policy") / "text.md") << "2\n";
    ASSERT_EQ(Sh(git + "commit -qam 'Rättat stavfel' && " + git + "push -q origin main").exit_code,
              0);

    std::vector<VersionInfo> history = store_.History("policy");
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].author, "Cecilia");
    EXPECT_EQ(history[0].message, "Rättat stavfel");
    EXPECT_EQ(store_.Read("policy")->text, "2\n");
    EXPECT_EQ(store_.Read("policy")->version, history[0].version);
}

TEST_F(StoreTest, VerifyFindsASoundRepositorySound) {
    EXPECT_TRUE(store_.Verify().empty());
    DocumentWrite write = Write(Meta("policy", "P"), "text\n");
    write.files = {{"a.pdf", "%PDF"}};
    std::string v1 = store_.Commit(Request({write}));
    store_.Commit(Request({Write(Meta("policy", "P2"), "text 2\n", v1)}));
    EXPECT_EQ(store_.Verify(), std::vector<std::string>{});
}

TEST_F(StoreTest, VerifyReportsACorruptObject) {
    store_.Commit(Request({Write(Meta("policy", "P"), "en text som bara finns här\n")}));
    // "100644 blob <id>\tdocuments/<xx>/policy/text.md"
    const std::string listing = Git("ls-tree -r main");
    const std::size_t path = listing.find("/policy/text.md\n");
    ASSERT_NE(path, std::string::npos) << listing;
    const std::size_t line = listing.rfind('\n', path) + 1;  // npos + 1 = 0 on the first line
    std::string blob = listing.substr(listing.find("blob ", line) + 5, 40);
    fs::path object = RepoPath() / "objects" / blob.substr(0, 2) / blob.substr(2);
    fs::permissions(object, fs::perms::owner_write, fs::perm_options::add);
    std::ofstream(object, std::ios::binary | std::ios::trunc) << "not zlib";

    std::vector<std::string> problems = Store::Open(RepoPath()).Verify();
    ASSERT_FALSE(problems.empty());
    EXPECT_NE(problems.front().find(blob), std::string::npos) << problems.front();
}

TEST_F(StoreTest, VerifyReportsAFolderWhoseMetadataNamesAnotherId) {
    store_.Commit(Request({Write(Meta("policy", "P"), "")}));
    fs::path clone = sandbox_ / "clone";
    std::string git =
        "git -C " + ShellQuote(clone.string()) + " -c user.name=C -c user.email=c@exempel.se ";
    ASSERT_EQ(
        Sh("git clone -q " + ShellQuote(RepoPath().string()) + " " + ShellQuote(clone.string()))
            .exit_code,
        0);
    fs::create_directories(clone / Dir("kopia"));
    fs::copy_file(clone / Dir("policy") / "metadata.xml", clone / Dir("kopia") / "metadata.xml");
    fs::create_directories(clone / Dir("tom"));
    std::ofstream(clone / Dir("tom") / "text.md") << "ingen metadata\n";
    ASSERT_EQ(
        Sh(git + "add -A && " + git + "commit -qm x && " + git + "push -q origin main").exit_code,
        0);

    std::vector<std::string> problems = store_.Verify();
    ASSERT_EQ(problems.size(), 2u);
    // In the buckets' order.
    const std::string all = problems[0] + "\n" + problems[1];
    EXPECT_NE(all.find(Dir("kopia") + "/metadata.xml: id 'policy'"), std::string::npos) << all;
    EXPECT_NE(all.find(Dir("tom") + " has no metadata.xml"), std::string::npos) << all;
}

}  // namespace
}  // namespace styrdok::store
