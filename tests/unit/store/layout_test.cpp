// The fanned-out layout documents/<xx>/<id>/ (store/README.md) and the migration of a flat
// registry to it (Store::MigrateLayout). A flat registry is made as older versions made it:
// its first commit with plain git, then Store::Commit, which keeps a flat main flat.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sample_documents.hpp"
#include "styrdok/core/metadata_xml.hpp"
#include "styrdok/store/follow.hpp"
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

const Author kStyrdok{"Styrdok", "styrdok@styrdok.invalid"};

CommitRequest Request(DocumentWrite write, std::string message = "Ändring") {
    CommitRequest request;
    request.writes.push_back(std::move(write));
    request.author = kAnna;
    request.message = std::move(message);
    return request;
}

std::string Shown(const std::optional<Document>& document) {
    if (!document) return "absent\n";
    std::string shown = document->version + "\n" + core::WriteMetadataXml(document->metadata) +
                        document->text + "\n";
    for (const std::string& file : document->files) shown += file + "\n";
    return shown;
}

// Everything a reader can ask of one document (History, Versions, Read at each commit) as
// text, to compare before and after a migration.
std::string Answers(const Store& store, const std::string& id,
                    const std::vector<std::string>& commits) {
    std::string answers;
    for (const VersionInfo& version : store.History(id)) {
        answers += version.version + " " + version.date + " " + version.author + " " +
                   version.message + "\n";
    }
    for (const Document& version : store.Versions(id)) answers += Shown(version);
    for (const std::string& commit : commits)
        answers += commit + ": " + Shown(store.Read(id, commit));
    return answers;
}

class LayoutTest : public ::testing::Test {
protected:
    fs::path Repo() const { return sandbox_ / "registry.git"; }

    std::string Git(const std::string& arguments) const {
        testing::RunResult result =
            testing::Run("git --git-dir=" + ShellQuote(Repo().string()) + " " + arguments);
        EXPECT_EQ(result.exit_code, 0) << arguments << ": " << result.err;
        return result.out;
    }

    // The bucket as the documentation tells a person to compute it with plain git.
    static std::string BucketByGit(const std::string& id) {
        testing::RunResult result =
            testing::Run("printf %s " + ShellQuote(id) + " | git hash-object --stdin | cut -c1-2");
        EXPECT_EQ(result.exit_code, 0) << result.err;
        return result.out.substr(0, 2);
    }

    // main's first commit, flat, as Styrdok wrote it before the fan-out: documents/<id>/.
    std::string SeedFlat(const core::Metadata& metadata, const std::string& text) {
        Store::Init(Repo());
        const fs::path xml = sandbox_ / "metadata.xml";
        const fs::path md = sandbox_ / "text.md";
        sandbox_.Write("metadata.xml", core::WriteMetadataXml(metadata));
        sandbox_.Write("text.md", text);
        const std::string git = "git --git-dir=" + ShellQuote(Repo().string());
        const std::string script =
            "set -e; m=$(" + git + " hash-object -w " + ShellQuote(xml.string()) + "); t=$(" + git +
            " hash-object -w " + ShellQuote(md.string()) +
            "); f=$(printf '100644 blob %s\\tmetadata.xml\\n100644 blob %s\\ttext.md\\n' $m $t | " +
            git + " mktree); d=$(printf '040000 tree %s\\t" + metadata.id + "\\n' $f | " + git +
            " mktree); r=$(printf '040000 tree %s\\tdocuments\\n' $d | " + git +
            " mktree); c=$(GIT_AUTHOR_NAME=Anna GIT_AUTHOR_EMAIL=anna@exempel.se "
            "GIT_COMMITTER_NAME=Anna GIT_COMMITTER_EMAIL=anna@exempel.se " +
            git + " commit-tree $r -m Antagen); " + git + " update-ref refs/heads/main $c; echo $c";
        testing::RunResult result = testing::Run(script);
        EXPECT_EQ(result.exit_code, 0) << result.err;
        return result.out.substr(0, 40);
    }

    Sandbox sandbox_;
};

TEST_F(LayoutTest, ANewRegistryIsFannedOutByTheDocumentedBucket) {
    Store store = Store::Init(Repo());
    for (const std::string id : {"policy", "ab", "riktlinje-7"}) {
        store.Commit(Request(Write(Decided(id, "Titel"), "Text.\n")));
    }
    std::string expected = "documents/.layout\n";
    std::map<std::string, std::string> paths;
    for (const std::string id : {"policy", "ab", "riktlinje-7"}) {
        paths["documents/" + BucketByGit(id) + "/" + id] = id;
    }
    for (const auto& [path, id] : paths) {
        expected += path + "/metadata.xml\n" + path + "/text.md\n";
    }
    EXPECT_EQ(Git("ls-tree -r --name-only main"), expected);
    EXPECT_EQ(store.ListDocuments(), (std::vector<std::string>{"ab", "policy", "riktlinje-7"}));
    EXPECT_EQ(store.Read("ab")->metadata.id, "ab");
    EXPECT_TRUE(store.Verify().empty()) << ::testing::PrintToString(store.Verify());
    EXPECT_FALSE(store.MigrateLayout(kStyrdok).commit);
}

TEST_F(LayoutTest, AFlatRegistryMigratesInOneCommitThatMakesNoVersion) {
    std::vector<std::string> commits{SeedFlat(Decided("policy", "Policy"), "Första.\n")};
    Store store = Store::Open(Repo());
    // "ab" is two hex digits, like a bucket: the marker, not the name, says the layout.
    commits.push_back(store.Commit(Request(Write(Decided("ab", "Ab"), "Ab.\n"))));
    commits.push_back(store.Commit(Request(Write(Decided("policy", "Policy 2"), "Andra.\n"))));
    commits.push_back(store.Commit(Request(Write(Decided("gammal", "Gammal"), "Gammal.\n"))));
    const std::string revision = store.CommitDraft(
        Write(Draft("policy", "Policy 3"), "Utkast.\n", commits[2]), kAnna, "Revision påbörjad");
    store.CommitDraft(Write(Draft("ny", "Ny"), "Ny.\n", ""), kAnna, "Ny påbörjad");
    EXPECT_EQ(Git("ls-tree --name-only main documents/"),
              "documents/ab\ndocuments/gammal\ndocuments/policy\n");

    const std::vector<std::string> ids{"ab", "gammal", "policy"};
    std::map<std::string, std::string> before;
    for (const std::string& id : ids) before[id] = Answers(store, id, commits);
    const std::vector<DraftRef> drafts = store.ListDrafts();
    ASSERT_EQ(drafts.size(), 2u);
    const std::optional<std::string> flat_head = store.Head();

    LayoutMigration migration = store.MigrateLayout(kStyrdok);
    ASSERT_TRUE(migration.commit);
    EXPECT_EQ(migration.documents, 3u);
    EXPECT_EQ(store.Head(), migration.commit);
    EXPECT_EQ(Git("log -1 --format=%an%n%P main"), "Styrdok\n" + *flat_head + "\n");
    EXPECT_EQ(Git("ls-tree --name-only main documents/" + BucketByGit("ab") + "/"),
              "documents/" + BucketByGit("ab") + "/ab\n");
    EXPECT_NE(Git("cat-file -p main:documents/.layout").find("hash-object"), std::string::npos);

    // No document changed: the same answers, from this Store and from a fresh one, whose
    // history index is built over both layouts.
    const ChangedDocuments changed = store.ChangedBetween(flat_head, *migration.commit);
    EXPECT_TRUE(changed.changed.empty() && changed.removed.empty());
    EXPECT_EQ(store.ListDocuments(), ids);
    Store fresh = Store::Open(Repo());
    for (const std::string& id : ids) {
        SCOPED_TRACE(id);
        EXPECT_EQ(Answers(store, id, commits), before[id]);
        EXPECT_EQ(Answers(fresh, id, commits), before[id]);
        EXPECT_EQ(fresh.Read(id)->version, fresh.Read(id, flat_head)->version);
    }
    ASSERT_EQ(store.ListDrafts().size(), 2u);
    for (std::size_t i = 0; i < drafts.size(); ++i) {
        EXPECT_EQ(store.ListDrafts()[i].id, drafts[i].id);
        EXPECT_EQ(store.ListDrafts()[i].version, drafts[i].version);
    }
    EXPECT_EQ(store.ReadDraft("policy")->version, revision);
    EXPECT_TRUE(store.Verify().empty()) << ::testing::PrintToString(store.Verify());
    EXPECT_EQ(Git("fsck --full --strict --no-dangling"), "");
    EXPECT_TRUE(store.Log(1).front().documents.empty());

    // A second run does nothing.
    EXPECT_FALSE(fresh.MigrateLayout(kStyrdok).commit);
    EXPECT_EQ(store.Head(), migration.commit);

    // Writes after it land in the new layout and make versions as before.
    const std::string edited =
        store.Commit(Request(Write(Decided("policy", "Policy 4"), "Fjärde.\n", commits[2])));
    EXPECT_EQ(Git("ls-tree --name-only main documents/" + BucketByGit("policy") + "/"),
              "documents/" + BucketByGit("policy") + "/policy\n");
    const std::vector<VersionInfo> history = store.History("policy");
    ASSERT_EQ(history.size(), 3u);
    EXPECT_EQ(history[0].version, edited);
    EXPECT_EQ(history[1].version, commits[2]);
    const ChangedDocuments after = store.ChangedBetween(migration.commit, edited);
    EXPECT_EQ(after.changed, std::vector<std::string>{"policy"});
    const std::string adopted = store.AdoptDraft(
        "ny", Decided("ny", "Ny"), store.ListDrafts().front().version, kAnna, "Antagen");
    EXPECT_EQ(store.Read("ny")->version, adopted);
    EXPECT_EQ(Git("ls-tree --name-only main documents/" + BucketByGit("ny") + "/"),
              "documents/" + BucketByGit("ny") + "/ny\n");
    EXPECT_TRUE(store.Verify().empty()) << ::testing::PrintToString(store.Verify());
}

TEST_F(LayoutTest, PlainGitLogFollowsADocumentAcrossTheMove) {
    const std::string first = SeedFlat(Decided("policy", "Policy"), "Första.\n");
    Store store = Store::Open(Repo());
    store.Commit(Request(Write(Decided("ab", "Ab"), "Ab.\n")));
    const std::string second =
        store.Commit(Request(Write(Decided("policy", "Policy 2"), "Andra.\n")));
    const std::string moved = *store.MigrateLayout(kStyrdok).commit;
    const std::string third =
        store.Commit(Request(Write(Decided("policy", "Policy 3"), "Tredje.\n")));
    store.Commit(Request(Write(Decided("ab", "Ab 2"), "Ab 2.\n")));

    // The command of docs/operations.md: every version, and the move, of this document only.
    EXPECT_EQ(Git("log --first-parent --format=%H main -- ':(glob)documents/**/policy/**'"),
              third + "\n" + moved + "\n" + second + "\n" + first + "\n");
}

TEST_F(LayoutTest, AFollowerFollowsItsPrimaryAcrossTheMove) {
    const std::string first = SeedFlat(Decided("policy", "Policy"), "Första.\n");
    Store primary = Store::Open(Repo());
    const std::string second =
        primary.Commit(Request(Write(Decided("policy", "Policy 2"), "Andra.\n")));
    const fs::path follower_path = sandbox_ / "follower";
    Store::Init(follower_path);
    SetPrimary(follower_path, Repo().string());
    FetchFromPrimary(follower_path, Repo().string());
    Store follower = Store::Open(follower_path);
    ASSERT_EQ(follower.Read("policy")->version, second);  // its history index, built flat

    const std::string moved = *primary.MigrateLayout(kStyrdok).commit;
    const std::string third =
        primary.Commit(Request(Write(Decided("policy", "Policy 3"), "Tredje.\n")));
    FetchFromPrimary(follower_path, Repo().string());

    EXPECT_EQ(follower.Head(), third);
    EXPECT_EQ(follower.Read("policy")->text, "Tredje.\n");
    EXPECT_EQ(follower.Read("policy", moved)->version, second);
    std::vector<std::string> versions;
    for (const VersionInfo& version : follower.History("policy"))
        versions.push_back(version.version);
    EXPECT_EQ(versions, (std::vector<std::string>{third, second, first}));
    EXPECT_EQ(follower.ChangedBetween(second, third).changed, std::vector<std::string>{"policy"});
    EXPECT_TRUE(follower.Verify().empty()) << ::testing::PrintToString(follower.Verify());
}

}  // namespace
}  // namespace styrdok::store
