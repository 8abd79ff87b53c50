// Drafts beside main (store.hpp, store/README.md "Drafts"): refs/drafts/<id>, adoption,
// discarding, the migration of drafts written on main, and import. Real git checks what
// the store leaves, as a user of the repository would see it.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sample_documents.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/store/import.hpp"
#include "styrdok/store/store.hpp"
#include "styrdok/testing/sandbox.hpp"

namespace styrdok::store {
namespace {

namespace fs = std::filesystem;
using testing::Sandbox;
using testing::ShellQuote;

using sample::Day;
using sample::Decided;
using sample::Draft;
using sample::kAnna;
using sample::Write;

// Document `id`'s folder on main (store/README.md): documents/<xx>/<id>, <xx> from plain git.
std::string Dir(const std::string& id) {
    testing::RunResult hash =
        testing::Run("printf %s " + ShellQuote(id) + " | git hash-object --stdin");
    EXPECT_EQ(hash.exit_code, 0) << hash.err;
    return "documents/" + hash.out.substr(0, 2) + "/" + id;
}

// `paths` one a line, sorted as git lists them.
std::string Lines(std::vector<std::string> paths) {
    std::sort(paths.begin(), paths.end());
    std::string lines;
    for (const std::string& path : paths) lines += path + "\n";
    return lines;
}

const Author kBertil{"Bertil Berg", "bertil@exempel.se"};

CommitRequest Request(DocumentWrite write, std::string message = "Ändring",
                      std::optional<std::int64_t> author_time = std::nullopt) {
    CommitRequest request;
    request.writes.push_back(std::move(write));
    request.author = kAnna;
    request.message = std::move(message);
    request.author_time = author_time;
    return request;
}

ErrorCode CodeOf(const std::function<void()>& action) {
    try {
        action();
    } catch (const Error& error) {
        return error.code();
    }
    ADD_FAILURE() << "no styrdok::Error thrown";
    return ErrorCode::kInternal;
}

class DraftsTest : public ::testing::Test {
protected:
    fs::path Repo() const { return sandbox_ / "registry.git"; }

    testing::RunResult Git(const std::string& arguments) const {
        return testing::Run("git --git-dir=" + ShellQuote(Repo().string()) + " " + arguments);
    }
    // Output of a git command that must succeed.
    std::string GitOut(const std::string& arguments) const {
        testing::RunResult result = Git(arguments);
        EXPECT_EQ(result.exit_code, 0) << arguments << ": " << result.err;
        return result.out;
    }
    // What git itself thinks of the repository: every object and every ref sound.
    void ExpectGitFsckClean() const {
        testing::RunResult fsck = Git("fsck --full --strict --no-dangling");
        EXPECT_EQ(fsck.exit_code, 0) << fsck.out << fsck.err;
        EXPECT_EQ(fsck.err.find("error"), std::string::npos) << fsck.err;
        EXPECT_TRUE(store_.Verify().empty()) << ::testing::PrintToString(store_.Verify());
    }

    std::string CommitDecided(const std::string& id, const std::string& title,
                              const std::string& text, std::string message = "Antagen") {
        return store_.Commit(Request(Write(Decided(id, title), text), std::move(message)));
    }

    Sandbox sandbox_;
    Store store_ = Store::Init(Repo());
};

TEST_F(DraftsTest, ADraftOfANewDocumentLivesOnItsOwnRef) {
    std::string main = CommitDecided("annan", "Annan", "Annan text.\n");
    DocumentWrite write = Write(Draft("ny-policy", "Ny policy"), "Utkast.\n", "");
    write.files.push_back({"underlag.txt", "Underlag.\n"});
    std::string draft = store_.CommitDraft(write, kAnna, "Första utkastet");

    EXPECT_EQ(store_.Head(), main);
    EXPECT_FALSE(store_.Read("ny-policy"));
    EXPECT_EQ(store_.ListDocuments(), std::vector<std::string>{"annan"});
    std::vector<DraftRef> drafts = store_.ListDrafts();
    ASSERT_EQ(drafts.size(), 1u);
    EXPECT_EQ(drafts[0].id, "ny-policy");
    EXPECT_EQ(drafts[0].version, draft);

    std::optional<Document> read = store_.ReadDraft("ny-policy");
    ASSERT_TRUE(read);
    EXPECT_EQ(read->metadata, write.metadata);
    EXPECT_EQ(read->text, "Utkast.\n");
    EXPECT_EQ(read->files, std::vector<std::string>{"underlag.txt"});
    EXPECT_EQ(read->version, draft);
    EXPECT_EQ(store_.ReadFile("ny-policy", "underlag.txt", draft), "Underlag.\n");
    EXPECT_EQ(store_.DraftBase("ny-policy"), "");
    std::vector<VersionInfo> history = store_.DraftHistory("ny-policy");
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].message, "Första utkastet");
    EXPECT_EQ(history[0].author, "Anna Andersson");

    // The commit holds the one document and says where it started; git sees a root commit.
    EXPECT_EQ(GitOut("ls-tree -r --name-only refs/drafts/ny-policy"),
              "documents/ny-policy/files/underlag.txt\ndocuments/ny-policy/metadata.xml\n"
              "documents/ny-policy/text.md\n");
    EXPECT_EQ(GitOut("log --format=%B refs/drafts/ny-policy"),
              "Första utkastet\n\nDraft-of: new document\n\n");
    EXPECT_FALSE(store_.ReadDraft("annan"));
    EXPECT_FALSE(store_.DraftBase("annan"));
    EXPECT_TRUE(store_.DraftHistory("annan").empty());
    ExpectGitFsckClean();
}

TEST_F(DraftsTest, ADraftOfARevisionLeavesMainsVersionReadableAndUnchanged) {
    DocumentWrite decided = Write(Decided("policy", "Policy"), "Gällande text.\n");
    decided.files.push_back({"bilaga.pdf", "%PDF bilaga"});
    std::string v1 = store_.Commit(Request(decided, "Antagen"));

    std::string d1 = store_.CommitDraft(Write(Draft("policy", "Policy 2"), "Ny text.\n", v1), kAnna,
                                        "Revision påbörjad");
    DocumentWrite second = Write(Draft("policy", "Policy 2"), "Nyare text.\n", d1);
    second.remove_files.push_back("bilaga.pdf");
    second.files.push_back({"ny-bilaga.pdf", "%PDF ny"});
    std::string d2 = store_.CommitDraft(second, kBertil, "Bilagan bytt", 1795425300);

    EXPECT_EQ(store_.Head(), v1);
    std::optional<Document> public_version = store_.Read("policy");
    ASSERT_TRUE(public_version);
    EXPECT_EQ(public_version->version, v1);
    EXPECT_EQ(public_version->text, "Gällande text.\n");
    EXPECT_EQ(public_version->files, std::vector<std::string>{"bilaga.pdf"});
    EXPECT_EQ(store_.History("policy").size(), 1u);

    // The draft started from main's version: its first commit kept main's attachment.
    EXPECT_EQ(store_.Read("policy", d1)->files, std::vector<std::string>{"bilaga.pdf"});
    std::optional<Document> draft = store_.ReadDraft("policy");
    ASSERT_TRUE(draft);
    EXPECT_EQ(draft->version, d2);
    EXPECT_EQ(draft->text, "Nyare text.\n");
    EXPECT_EQ(draft->files, std::vector<std::string>{"ny-bilaga.pdf"});
    EXPECT_EQ(store_.DraftBase("policy"), v1);

    std::vector<VersionInfo> history = store_.DraftHistory("policy");
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].version, d2);
    EXPECT_EQ(history[0].author, "Bertil Berg");
    EXPECT_EQ(history[0].message, "Bilagan bytt");
    EXPECT_EQ(history[0].date, "2026-11-23T09:15:00+00:00");
    EXPECT_EQ(history[1].version, d1);
    EXPECT_EQ(history[1].message, "Revision påbörjad");
    EXPECT_EQ(GitOut("rev-list refs/drafts/policy"), d2 + "\n" + d1 + "\n");
    EXPECT_NE(GitOut("log -1 --format=%B " + d1).find("Draft-of: " + v1), std::string::npos);

    // The server's diff of the draft against the version in force.
    DocumentDiff diff = store_.Diff("policy", v1, d2);
    EXPECT_EQ(diff.files_added, std::vector<std::string>{"ny-bilaga.pdf"});
    EXPECT_EQ(diff.files_removed, std::vector<std::string>{"bilaga.pdf"});
    ExpectGitFsckClean();
}

TEST_F(DraftsTest, StaleOrTakenVersionsAreRefusedAndNothingMoves) {
    std::string v1 = CommitDecided("policy", "Policy", "1\n");
    std::string v2 = store_.Commit(Request(Write(Decided("policy", "Policy"), "2\n", v1)));
    std::string revision =
        store_.CommitDraft(Write(Draft("policy", "P"), "utkast\n", v2), kAnna, "Utkast");
    std::string fresh = store_.CommitDraft(Write(Draft("ny", "Ny"), "ny\n", ""), kAnna, "Ny");
    std::string t1 = CommitDecided("tredje", "T", "1\n");
    store_.Commit(Request(Write(Decided("tredje", "T"), "2\n", t1)));
    const std::string unknown(40, 'a');

    const struct {
        const char* name;
        std::function<void()> action;
        ErrorCode code;
    } cases[] = {
        {"a second draft of a new document",
         [&] { store_.CommitDraft(Write(Draft("ny", "Ny"), "x\n", ""), kAnna, "m"); },
         ErrorCode::kConflict},
        {"a second draft of a revision, from main's version",
         [&] { store_.CommitDraft(Write(Draft("policy", "P"), "x\n", v2), kAnna, "m"); },
         ErrorCode::kStaleVersion},
        {"a draft of a revision that did not see the draft's last commit",
         [&] { store_.CommitDraft(Write(Draft("policy", "P"), "x\n", unknown), kAnna, "m"); },
         ErrorCode::kStaleVersion},
        {"a draft from an older version of main",
         [&] { store_.CommitDraft(Write(Draft("tredje", "T"), "x\n", t1), kAnna, "m"); },
         ErrorCode::kStaleVersion},
        {"a draft of a new document that main has",
         [&] { store_.CommitDraft(Write(Draft("tredje", "T"), "x\n", ""), kAnna, "m"); },
         ErrorCode::kStaleVersion},
        {"a draft of a revision of a document main does not have",
         [&] { store_.CommitDraft(Write(Draft("saknas", "S"), "x\n", v1), kAnna, "m"); },
         ErrorCode::kStaleVersion},
        {"a draft whose status is not utkast",
         [&] { store_.CommitDraft(Write(Decided("saknas", "S"), "x\n", ""), kAnna, "m"); },
         ErrorCode::kBadInput},
        {"a draft with a path for an id",
         [&] { store_.CommitDraft(Write(Draft("../main", "S"), "x\n"), kAnna, "m"); },
         ErrorCode::kBadInput},
        {"a malformed expected version",
         [&] { store_.CommitDraft(Write(Draft("policy", "P"), "x\n", "HEAD"), kAnna, "m"); },
         ErrorCode::kBadInput},
        {"a new document on main whose id a draft holds",
         [&] { store_.Commit(Request(Write(Decided("ny", "Ny"), "x\n", ""))); },
         ErrorCode::kConflict},
        {"a new document on main whose id a draft holds, written unconditionally",
         [&] { store_.Commit(Request(Write(Decided("ny", "Ny"), "x\n"))); }, ErrorCode::kConflict},
        {"an adoption of an older draft commit",
         [&] { store_.AdoptDraft("policy", Decided("policy", "P"), unknown, kAnna, "m"); },
         ErrorCode::kStaleVersion},
        {"an adoption of a document without a draft",
         [&] { store_.AdoptDraft("tredje", Decided("tredje", "T"), unknown, kAnna, "m"); },
         ErrorCode::kStaleVersion},
        {"an adoption as a draft",
         [&] { store_.AdoptDraft("policy", Draft("policy", "P"), revision, kAnna, "m"); },
         ErrorCode::kBadInput},
        {"an adoption with another document's metadata",
         [&] { store_.AdoptDraft("policy", Decided("ny", "P"), revision, kAnna, "m"); },
         ErrorCode::kBadInput},
        {"an adoption with a path for an id",
         [&] { store_.AdoptDraft("../x", Decided("x", "P"), revision, kAnna, "m"); },
         ErrorCode::kBadInput},
        {"a discard of an older draft commit", [&] { store_.DiscardDraft("ny", unknown); },
         ErrorCode::kStaleVersion},
        {"a discard of a document without a draft", [&] { store_.DiscardDraft("tredje", unknown); },
         ErrorCode::kStaleVersion},
        {"a discard with a malformed version", [&] { store_.DiscardDraft("ny", "ny"); },
         ErrorCode::kBadInput},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const std::optional<std::string> head = store_.Head();
        EXPECT_EQ(CodeOf(c.action), c.code);
        EXPECT_EQ(store_.Head(), head);
        std::vector<DraftRef> drafts = store_.ListDrafts();
        ASSERT_EQ(drafts.size(), 2u);
        EXPECT_EQ(drafts[0].version, fresh);
        EXPECT_EQ(drafts[1].version, revision);
    }
    EXPECT_FALSE(store_.Read("ny"));
    EXPECT_EQ(store_.Read("policy")->version, v2);
    ExpectGitFsckClean();
}

TEST_F(DraftsTest, AdoptionIsOneCommitOnMainWithTheDraftAsSecondParent) {
    std::string v1 = CommitDecided("policy", "Policy", "Gällande.\n", "Antagen av KF");
    CommitDecided("annan", "Annan", "Annan.\n");
    std::string d1 = store_.CommitDraft(Write(Draft("policy", "Policy"), "Utkast 1.\n", v1), kAnna,
                                        "Hemligt arbetsnamn");
    DocumentWrite second = Write(Draft("policy", "Policy"), "Reviderad.\n", d1);
    second.files.push_back({"bilaga.txt", "Bilaga.\n"});
    std::string d2 = store_.CommitDraft(second, kAnna, "Nästan klar");
    const std::string before = *store_.Head();
    const std::string first_parents_before = GitOut("rev-list --first-parent main");

    core::Metadata decision = Decided("policy", "Policy");
    decision.decided_on = Day(2026, 11, 23);
    decision.paragraph = "§ 112";
    decision.valid_from = Day(2027, 1, 1);
    std::string adopted = store_.AdoptDraft("policy", decision, d2, kBertil, "Antagen av KF § 112");

    EXPECT_EQ(store_.Head(), adopted);
    EXPECT_TRUE(store_.ListDrafts().empty());
    EXPECT_FALSE(store_.ReadDraft("policy"));
    std::optional<Document> now = store_.Read("policy");
    ASSERT_TRUE(now);
    EXPECT_EQ(now->version, adopted);
    EXPECT_EQ(now->metadata, decision);
    EXPECT_EQ(now->text, "Reviderad.\n");
    EXPECT_EQ(now->files, std::vector<std::string>{"bilaga.txt"});

    // main's tree: the adopted folder, nothing else changed.
    EXPECT_EQ(GitOut("diff --name-only " + before + " " + adopted),
              Lines({Dir("policy") + "/files/bilaga.txt", Dir("policy") + "/metadata.xml",
                     Dir("policy") + "/text.md"}));
    EXPECT_EQ(GitOut("rev-parse " + adopted + "^1 " + adopted + "^2"), before + "\n" + d2 + "\n");
    // First parents: the one adoption commit more, and the document's public history is its
    // versions on main; the drafts' messages are in neither.
    EXPECT_EQ(GitOut("rev-list --first-parent main"), adopted + "\n" + first_parents_before);
    std::vector<VersionInfo> history = store_.History("policy");
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].version, adopted);
    EXPECT_EQ(history[0].message, "Antagen av KF § 112");
    EXPECT_EQ(history[0].author, "Bertil Berg");
    EXPECT_EQ(history[1].version, v1);
    std::vector<ChangeEntry> log = store_.Log(10);
    ASSERT_EQ(log.size(), 3u);
    EXPECT_EQ(log[0].documents, std::vector<std::string>{"policy"});
    for (const ChangeEntry& entry : log) {
        EXPECT_EQ(entry.commit.message.find("Hemligt"), std::string::npos);
    }
    ChangedDocuments changed = store_.ChangedBetween(before, adopted);
    EXPECT_EQ(changed.changed, std::vector<std::string>{"policy"});
    EXPECT_TRUE(changed.removed.empty());
    EXPECT_EQ(store_.Versions("policy").size(), 2u);
    EXPECT_EQ(store_.Read("policy", v1)->text, "Gällande.\n");

    // The draft's history is kept, reachable from main: plain git log shows it, the
    // first-parent log does not.
    EXPECT_NE(GitOut("log --format=%s main -- ':(glob)documents/**/policy/**'")
                  .find("Hemligt arbetsnamn"),
              std::string::npos);
    EXPECT_EQ(GitOut("log --first-parent --format=%s main -- ':(glob)documents/**/policy/**'"),
              "Antagen av KF § 112\nAntagen av KF\n");
    EXPECT_TRUE(store_.IsAncestor(d1, adopted));
    ExpectGitFsckClean();

    // The next revision starts a draft of its own, from the adopted version.
    std::string next =
        store_.CommitDraft(Write(Draft("policy", "Policy"), "Nästa.\n", adopted), kAnna, "Nästa");
    EXPECT_EQ(store_.DraftBase("policy"), adopted);
    EXPECT_EQ(store_.DraftHistory("policy").size(), 1u);
    EXPECT_EQ(GitOut("rev-list refs/drafts/policy"), next + "\n");
}

TEST_F(DraftsTest, AdoptionOnAnEmptyRepositoryStartsMainWithAnEmptyCommit) {
    std::string draft =
        store_.CommitDraft(Write(Draft("forsta", "Första"), "Text.\n", ""), kAnna, "Utkast");
    std::string adopted =
        store_.AdoptDraft("forsta", Decided("forsta", "Första"), draft, kAnna, "Antagen");
    EXPECT_EQ(store_.Head(), adopted);
    EXPECT_EQ(store_.ListDocuments(), std::vector<std::string>{"forsta"});
    std::vector<VersionInfo> history = store_.History("forsta");
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].message, "Antagen");
    EXPECT_EQ(GitOut("rev-list --count --first-parent main"), "2\n");
    EXPECT_EQ(GitOut("rev-parse " + adopted + "^2"), draft + "\n");
    EXPECT_EQ(GitOut("ls-tree -r " + adopted + "^1"), "");
    ExpectGitFsckClean();
}

TEST_F(DraftsTest, DiscardingKeepsTheHistoryAndFreesTheId) {
    std::string d1 = store_.CommitDraft(Write(Draft("ny", "Ny"), "1\n", ""), kAnna, "Ett");
    std::string d2 = store_.CommitDraft(Write(Draft("ny", "Ny"), "2\n", d1), kAnna, "Två");
    store_.DiscardDraft("ny", d2);

    EXPECT_TRUE(store_.ListDrafts().empty());
    EXPECT_FALSE(store_.ReadDraft("ny"));
    const std::string archive = "refs/drafts-discarded/ny/" + d2;
    EXPECT_EQ(GitOut("for-each-ref --format='%(refname)' refs/"), archive + "\n");
    EXPECT_EQ(GitOut("log --format=%s " + archive), "Två\nEtt\n");
    ExpectGitFsckClean();

    // The id is free again, on main and for a new draft.
    std::string again = store_.CommitDraft(Write(Draft("ny", "Ny"), "3\n", ""), kAnna, "Igen");
    EXPECT_EQ(store_.DraftHistory("ny").size(), 1u);
    store_.DiscardDraft("ny", again);
    store_.Commit(Request(Write(Decided("ny", "Ny"), "Beslutad.\n", "")));
    EXPECT_EQ(store_.Read("ny")->text, "Beslutad.\n");
    ExpectGitFsckClean();
}

TEST_F(DraftsTest, TwoDraftsAreIndependent) {
    std::string v1 = CommitDecided("policy-a", "A", "A\n");
    std::string a = store_.CommitDraft(Write(Draft("policy-a", "A"), "A2\n", v1), kAnna, "A");
    std::string b = store_.CommitDraft(Write(Draft("policy-b", "B"), "B\n", ""), kAnna, "B");
    std::vector<DraftRef> drafts = store_.ListDrafts();
    ASSERT_EQ(drafts.size(), 2u);
    EXPECT_EQ(drafts[0].id, "policy-a");
    EXPECT_EQ(drafts[0].version, a);
    EXPECT_EQ(drafts[1].id, "policy-b");
    EXPECT_EQ(drafts[1].version, b);

    std::string adopted = store_.AdoptDraft("policy-b", Decided("policy-b", "B"), b, kAnna, "B");
    EXPECT_EQ(store_.ListDocuments(), (std::vector<std::string>{"policy-a", "policy-b"}));
    ASSERT_EQ(store_.ListDrafts().size(), 1u);
    EXPECT_EQ(store_.ReadDraft("policy-a")->text, "A2\n");
    EXPECT_EQ(store_.DraftBase("policy-a"), v1);
    // Main moved on; the draft of policy-a still goes on from its own commit.
    std::string a2 = store_.CommitDraft(Write(Draft("policy-a", "A"), "A3\n", a), kAnna, "A3");
    std::string adopted_a =
        store_.AdoptDraft("policy-a", Decided("policy-a", "A"), a2, kAnna, "A antagen");
    EXPECT_EQ(store_.Read("policy-b")->version, adopted);
    EXPECT_EQ(store_.Read("policy-a")->version, adopted_a);
    EXPECT_TRUE(store_.ListDrafts().empty());
    ExpectGitFsckClean();
}

TEST_F(DraftsTest, WhatACrashLeavesIsClearedByTheNextWrite) {
    std::string v1 = CommitDecided("policy", "Policy", "1\n");
    std::string d1 = store_.CommitDraft(Write(Draft("policy", "P"), "2\n", v1), kAnna, "Utkast");
    // Killed while it moved the draft's ref.
    sandbox_.Write("registry.git/refs/drafts/policy.lock", "half written");
    EXPECT_EQ(store_.FindInterruptedWrites().leftovers,
              std::vector<std::string>{"refs/drafts/policy.lock"});
    std::string d2 = store_.CommitDraft(Write(Draft("policy", "P"), "3\n", d1), kAnna, "Mer");
    EXPECT_EQ(store_.ReadDraft("policy")->version, d2);

    // Killed after main took the draft, before the draft's ref was deleted: the ref is put
    // back as the adoption found it.
    std::string adopted = store_.AdoptDraft("policy", Decided("policy", "P"), d2, kAnna, "Antagen");
    GitOut("update-ref refs/drafts/policy " + d2);
    InterruptedWrites found = store_.FindInterruptedWrites();
    EXPECT_EQ(found.leftovers, std::vector<std::string>{"refs/drafts/policy"});
    EXPECT_EQ(store_.RepairInterruptedWrites(), std::vector<std::string>{"refs/drafts/policy"});
    EXPECT_TRUE(store_.ListDrafts().empty());
    EXPECT_EQ(store_.Head(), adopted);

    // The same, cleared by the next write of any kind.
    std::string d3 =
        store_.CommitDraft(Write(Draft("policy", "P"), "4\n", adopted), kAnna, "Nästa");
    std::string again = store_.AdoptDraft("policy", Decided("policy", "P"), d3, kAnna, "Antagen");
    GitOut("update-ref refs/drafts/policy " + d3);
    store_.Commit(Request(Write(Decided("annan", "A"), "a\n")));
    EXPECT_TRUE(store_.ListDrafts().empty());
    EXPECT_EQ(store_.Read("policy")->version, again);
    EXPECT_TRUE(store_.FindInterruptedWrites().leftovers.empty());
    ExpectGitFsckClean();
}

// A registry written the old way: drafts as versions with status utkast on main.
class MigrationTest : public DraftsTest {
protected:
    void SetUp() override {
        v1_ = store_.Commit(
            Request(Write(Decided("policy", "Policy"), "Gällande.\n"), "Antagen", 1600000000));
        CommitRequest first = Request(Write(Draft("policy", "Policy"), "Utkast 1.\n", v1_),
                                      "Revision påbörjad", 1700000000);
        first.author = kBertil;
        draft1_ = store_.Commit(first);
        new1_ = store_.Commit(Request(Write(Draft("ny", "Ny"), "Ny 1.\n", ""), "Ny", 1700000100));
        draft2_ = store_.Commit(
            Request(Write(Draft("policy", "Policy"), "Utkast 2.\n", draft1_), "Mer", 1700000200));
        store_.Commit(Request(Write(Decided("stabil", "Stabil"), "Stabil.\n"), "Stabil"));
        old_head_ = *store_.Head();
    }

    std::string v1_, draft1_, draft2_, new1_, old_head_;
};

TEST_F(MigrationTest, MovesDraftsOffMainAndKeepsTheirHistory) {
    MigrationReport report = store_.MigrateDraftsOffMain(kAnna);
    EXPECT_EQ(report.moved, (std::vector<std::string>{"ny", "policy"}));
    EXPECT_EQ(report.removed, std::vector<std::string>{"ny"});
    EXPECT_TRUE(report.conflicts.empty());
    ASSERT_TRUE(report.commit);
    EXPECT_EQ(store_.Head(), report.commit);

    // main: the decided versions again, the never-decided document gone, main's history
    // as it was plus the one commit.
    EXPECT_EQ(store_.ListDocuments(), (std::vector<std::string>{"policy", "stabil"}));
    std::optional<Document> policy = store_.Read("policy");
    ASSERT_TRUE(policy);
    EXPECT_EQ(policy->text, "Gällande.\n");
    EXPECT_EQ(policy->metadata.status, core::Status::kInForce);
    EXPECT_EQ(GitOut("rev-parse " + *report.commit + "^"), old_head_ + "\n");
    EXPECT_EQ(GitOut("diff --name-only " + old_head_ + " " + *report.commit),
              Lines({Dir("ny") + "/metadata.xml", Dir("ny") + "/text.md",
                     Dir("policy") + "/metadata.xml", Dir("policy") + "/text.md"}));
    EXPECT_EQ(store_.Read("policy", draft2_)->text, "Utkast 2.\n");

    // The drafts: the same versions, authors, dates and messages, on their own refs.
    std::optional<Document> draft = store_.ReadDraft("policy");
    ASSERT_TRUE(draft);
    EXPECT_EQ(draft->text, "Utkast 2.\n");
    EXPECT_EQ(store_.DraftBase("policy"), v1_);
    std::vector<VersionInfo> history = store_.DraftHistory("policy");
    std::vector<VersionInfo> on_main = store_.History("policy");
    ASSERT_EQ(history.size(), 2u);
    ASSERT_EQ(on_main.size(), 4u);  // the migration, the two drafts, the decided version
    for (std::size_t i = 0; i < 2; ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(history[i].message, on_main[i + 1].message);
        EXPECT_EQ(history[i].author, on_main[i + 1].author);
        EXPECT_EQ(history[i].date, on_main[i + 1].date);
    }
    EXPECT_EQ(history[1].author, "Bertil Berg");
    EXPECT_EQ(store_.ReadDraft("ny")->text, "Ny 1.\n");
    EXPECT_EQ(store_.DraftBase("ny"), "");
    ExpectGitFsckClean();

    // Again: nothing to move, nothing written.
    const std::string head = *store_.Head();
    MigrationReport again = store_.MigrateDraftsOffMain(kAnna);
    EXPECT_TRUE(again.moved.empty());
    EXPECT_FALSE(again.commit);
    EXPECT_EQ(store_.Head(), head);

    // The migrated drafts are drafts like any other.
    std::string adopted = store_.AdoptDraft("policy", Decided("policy", "Policy"),
                                            store_.ListDrafts()[1].version, kAnna, "Antagen");
    EXPECT_EQ(store_.Read("policy")->version, adopted);
    EXPECT_EQ(store_.Read("policy")->text, "Utkast 2.\n");
    ExpectGitFsckClean();
}

TEST_F(MigrationTest, ARunAfterACrashFinishesTheWork) {
    MigrationReport first = store_.MigrateDraftsOffMain(kAnna);
    const std::vector<DraftRef> drafts = store_.ListDrafts();
    // As if killed after the drafts' refs were made, before main moved.
    GitOut("update-ref refs/heads/main " + old_head_);
    GitOut("update-ref -d refs/styrdok/drafts-checked");
    Store reopened = Store::Open(Repo());
    MigrationReport second = reopened.MigrateDraftsOffMain(kAnna);
    EXPECT_EQ(second.moved, first.moved);
    EXPECT_TRUE(second.conflicts.empty());
    ASSERT_EQ(reopened.ListDrafts().size(), drafts.size());
    for (std::size_t i = 0; i < drafts.size(); ++i) {
        EXPECT_EQ(reopened.ListDrafts()[i].version, drafts[i].version);
    }
    EXPECT_EQ(reopened.ListDocuments(), (std::vector<std::string>{"policy", "stabil"}));
    ExpectGitFsckClean();
}

TEST_F(MigrationTest, AnotherDraftOnTheRefIsLeftAloneAndReported) {
    // refs/drafts/ny made by someone else meanwhile, not from main's versions.
    Sandbox other_sandbox;
    std::string foreign;
    {
        Store other = Store::Init(other_sandbox / "other.git");
        foreign = other.CommitDraft(Write(Draft("ny", "Främmande"), "x\n", ""), kAnna, "x");
    }
    GitOut("fetch -q " + ShellQuote((other_sandbox / "other.git").string()) +
           " refs/drafts/ny:refs/drafts/ny");
    MigrationReport report = store_.MigrateDraftsOffMain(kAnna);
    EXPECT_EQ(report.moved, std::vector<std::string>{"policy"});
    EXPECT_EQ(report.conflicts, std::vector<std::string>{"ny"});
    EXPECT_EQ(store_.ReadDraft("ny")->version, foreign);
    EXPECT_EQ(store_.Read("ny")->text, "Ny 1.\n");
    // Not marked as checked: the next run looks again.
    EXPECT_EQ(store_.MigrateDraftsOffMain(kAnna).conflicts, std::vector<std::string>{"ny"});
}

TEST_F(MigrationTest, ADraftWrittenOnMainAfterTheMigrationIsFoundToo) {
    store_.MigrateDraftsOffMain(kAnna);
    // An old server still running writes a draft on main.
    std::string stable = store_.Read("stabil")->version;
    store_.Commit(Request(Write(Draft("stabil", "Stabil"), "Utkast.\n", stable), "Utkast"));
    MigrationReport report = store_.MigrateDraftsOffMain(kAnna);
    EXPECT_EQ(report.moved, std::vector<std::string>{"stabil"});
    EXPECT_EQ(store_.Read("stabil")->text, "Stabil.\n");
    EXPECT_EQ(store_.ReadDraft("stabil")->text, "Utkast.\n");
    EXPECT_EQ(store_.DraftBase("stabil"), stable);
}

TEST_F(DraftsTest, VerifyNamesDraftRefsThatHoldNoDraft) {
    CommitDecided("annan", "Annan", "a\n");
    std::string v1 = CommitDecided("policy", "Policy", "1\n");
    std::string draft = store_.CommitDraft(Write(Draft("ny", "Ny"), "x\n", ""), kAnna, "x");
    const struct {
        const char* ref;
        std::string target;
        const char* problem;
    } cases[] = {
        {"refs/drafts/policy", v1, "a draft holds exactly documents/policy/"},
        {"refs/drafts/annan", draft, "holds no documents/annan"},
        {"refs/drafts/Versaler", draft, "not a valid document id"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.ref);
        GitOut(std::string("update-ref ") + c.ref + " " + c.target);
        std::vector<std::string> problems = store_.Verify();
        EXPECT_TRUE(std::any_of(problems.begin(), problems.end(), [&](const std::string& problem) {
            return problem.find(c.ref) != std::string::npos &&
                   problem.find(c.problem) != std::string::npos;
        })) << ::testing::PrintToString(problems);
        GitOut(std::string("update-ref -d ") + c.ref);
    }
    EXPECT_TRUE(store_.Verify().empty());
}

const core::Schema& DefaultSchema() {
    static const core::Schema schema =
        core::Schema::Load(testing::SourceDir() / "schema/default.xml");
    return schema;
}

std::string MetadataXml(const std::string& id, const std::string& status,
                        const std::string& title) {
    std::string decision = status == "utkast" ? ""
                                              : "  <dnr>KS 2021/0123</dnr>\n"
                                                "  <decided_by>kf</decided_by>\n"
                                                "  <decided_on>2021-05-24</decided_on>\n"
                                                "  <paragraph>§ 67</paragraph>\n";
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<document>\n  <id>" + id +
           "</id>\n  <title>" + title + "</title>\n  <doctype>policy</doctype>\n" + decision +
           "  <owner>HR-chef</owner>\n  <status>" + status + "</status>\n</document>\n";
}

TEST_F(DraftsTest, ImportPutsVersionsAfterTheLastDecidedOneInTheDraft) {
    Sandbox sources;
    sources.Write("in/policy/history/01/metadata.xml", MetadataXml("policy", "gällande", "P1"));
    sources.Write("in/policy/history/01/text.md", "Beslutad.\n");
    sources.Write("in/policy/history/02/metadata.xml", MetadataXml("policy", "utkast", "P2"));
    sources.Write("in/policy/history/02/text.md", "Utkast 1.\n");
    sources.Write("in/policy/metadata.xml", MetadataXml("policy", "utkast", "P3"));
    sources.Write("in/policy/text.md", "Utkast 2.\n");
    sources.Write("in/policy/files/underlag.txt", "Underlag.\n");
    sources.Write("in/ny/metadata.xml", MetadataXml("ny", "utkast", "Ny"));
    sources.Write("in/ny/text.md", "Ny.\n");
    sources.Write("in/klar/metadata.xml", MetadataXml("klar", "gällande", "Klar"));
    sources.Write("in/klar/text.md", "Klar.\n");
    ImportOptions options;
    options.today = Day(2026, 11, 23);

    ImportReport report = Import(store_, DefaultSchema(), {sources / "in"}, options);
    ASSERT_TRUE(report.rejected.empty()) << report.rejected[0].reason;
    EXPECT_EQ(report.documents, 3u);
    EXPECT_EQ(report.drafts, 2u);
    EXPECT_EQ(report.versions, 5u);
    ASSERT_TRUE(report.commit);
    EXPECT_EQ(store_.ListDocuments(), (std::vector<std::string>{"klar", "policy"}));
    EXPECT_EQ(store_.Read("policy")->text, "Beslutad.\n");
    EXPECT_EQ(store_.History("policy").size(), 1u);
    std::optional<Document> draft = store_.ReadDraft("policy");
    ASSERT_TRUE(draft);
    EXPECT_EQ(draft->text, "Utkast 2.\n");
    EXPECT_EQ(draft->files, std::vector<std::string>{"underlag.txt"});
    EXPECT_EQ(store_.DraftHistory("policy").size(), 2u);
    EXPECT_EQ(store_.DraftBase("policy"), store_.Read("policy")->version);
    EXPECT_EQ(store_.ReadDraft("ny")->text, "Ny.\n");
    EXPECT_EQ(store_.DraftBase("ny"), "");
    ExpectGitFsckClean();

    // Again: everything is there already.
    const std::vector<DraftRef> drafts = store_.ListDrafts();
    ImportReport again = Import(store_, DefaultSchema(), {sources / "in"}, options);
    EXPECT_EQ(again.unchanged, 3u);
    EXPECT_EQ(again.versions, 0u);
    EXPECT_FALSE(again.commit);
    EXPECT_EQ(store_.ListDrafts()[0].version, drafts[0].version);
    EXPECT_EQ(store_.ListDrafts()[1].version, drafts[1].version);

    // A newer draft version goes on from the draft.
    sources.Write("in/ny/text.md", "Ny, omskriven.\n");
    ImportReport newer = Import(store_, DefaultSchema(), {sources / "in/ny"}, options);
    EXPECT_EQ(newer.versions, 1u);
    EXPECT_EQ(store_.DraftHistory("ny").size(), 2u);
    EXPECT_EQ(store_.ReadDraft("ny")->text, "Ny, omskriven.\n");

    // Decided versions of a document the registry drafts as new are refused.
    sources.Write("in/ny/metadata.xml", MetadataXml("ny", "gällande", "Ny"));
    ImportReport decided = Import(store_, DefaultSchema(), {sources / "in/ny"}, options);
    ASSERT_EQ(decided.rejected.size(), 1u);
    EXPECT_NE(decided.rejected[0].reason.find("draft"), std::string::npos);
    EXPECT_FALSE(store_.Read("ny"));
}

// ListDrafts keeps its last answer while the refs' files look the same (refs_stamp.hpp): what
// another Store, here or in another process, does to the drafts must show at once.
TEST_F(DraftsTest, ListDraftsSeesWhatAnotherStoreDidToTheDrafts) {
    const std::string main = CommitDecided("policy", "Policy", "Text.\n");
    Store other = Store::Open(Repo());
    const auto listed = [this] {
        std::string text;
        for (const DraftRef& draft : store_.ListDrafts()) text += draft.id + "@" + draft.version;
        return text;
    };
    // Once at once, then past the file system clock's tick, when the stamp is trusted and
    // the listing is kept, then once more from what was kept.
    const auto expect_listed = [&](const std::string& expected) {
        EXPECT_EQ(listed(), expected);
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        EXPECT_EQ(listed(), expected);
        EXPECT_EQ(listed(), expected);
    };
    expect_listed("");

    const std::string first =
        other.CommitDraft(Write(Draft("ny", "Ny"), "Utkast.\n", ""), kBertil, "Utkast");
    expect_listed("ny@" + first);
    const std::string second =
        other.CommitDraft(Write(Draft("ny", "Ny"), "Utkast 2.\n", first), kBertil, "Utkast");
    expect_listed("ny@" + second);
    const std::string revision = other.CommitDraft(
        Write(Draft("policy", "Policy"), "Ny text.\n", main), kBertil, "Revidering");
    expect_listed("ny@" + second + "policy@" + revision);

    // Another process moves a ref: git itself.
    ASSERT_EQ(Git("update-ref refs/drafts/ny " + first).exit_code, 0);
    expect_listed("ny@" + first + "policy@" + revision);
    ASSERT_EQ(Git("update-ref refs/drafts/ny " + second).exit_code, 0);
    expect_listed("ny@" + second + "policy@" + revision);

    // git gc packs the refs: the loose files go, packed-refs holds them.
    ASSERT_EQ(Git("pack-refs --all").exit_code, 0);
    expect_listed("ny@" + second + "policy@" + revision);
    const std::string third =
        other.CommitDraft(Write(Draft("ny", "Ny"), "Utkast 3.\n", second), kBertil, "Utkast");
    expect_listed("ny@" + third + "policy@" + revision);

    other.DiscardDraft("ny", third);
    expect_listed("policy@" + revision);
    other.AdoptDraft("policy", Decided("policy", "Policy"), revision, kBertil, "Antagen");
    expect_listed("");
}

}  // namespace
}  // namespace styrdok::store
