#include "styrdok/store/follow.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "styrdok/core/error.hpp"
#include "styrdok/store/store.hpp"
#include "styrdok/testing/sandbox.hpp"

namespace styrdok::store {
namespace {

using testing::Sandbox;
using testing::ShellQuote;

CommitRequest Change(const std::string& id, const std::string& text) {
    core::Metadata metadata;
    metadata.id = id;
    metadata.title = "Dokument " + id;
    metadata.doctype = "policy";
    metadata.decided_by = "kf";
    metadata.decided_on = core::Date::FromYmd(2021, 5, 24);
    CommitRequest request;
    DocumentWrite write;
    write.metadata = metadata;
    write.text = text;
    request.writes.push_back(std::move(write));
    request.author = {"Anna Andersson", "anna@exempel.se"};
    request.message = "Ändring av " + id;
    return request;
}

// A primary and a follower of it, each a repository of its own.
class FollowTest : public ::testing::Test {
protected:
    FollowTest() : primary_(Store::Init(sandbox_ / "primary")) {
        Store::Init(sandbox_ / "follower");
        SetPrimary(Follower(), PrimaryPath().string());
    }
    std::filesystem::path PrimaryPath() const { return sandbox_ / "primary"; }
    std::filesystem::path Follower() const { return sandbox_ / "follower"; }

    Sandbox sandbox_;
    Store primary_;
};

TEST_F(FollowTest, RecordsThePrimaryOnceAsAGitRemote) {
    EXPECT_EQ(FollowedPrimary(Follower()), PrimaryPath().string());
    EXPECT_EQ(FollowedPrimary(PrimaryPath()), std::nullopt);
    try {
        SetPrimary(Follower(), "/elsewhere");
        ADD_FAILURE() << "a second primary was recorded";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), ErrorCode::kConflict);
    }
    testing::RunResult remote = testing::Run("git -C " + ShellQuote(Follower().string()) +
                                             " config --get remote.primary.fetch");
    EXPECT_EQ(remote.out, std::string(kFollowRefspec) + "\n");
}

TEST_F(FollowTest, FetchesMainAndOnlyMain) {
    FetchReport empty = FetchFromPrimary(Follower(), PrimaryPath().string());
    EXPECT_FALSE(empty.moved());

    const std::string first = primary_.Commit(Change("policy-a", "Första\n"));
    CommitRequest draft = Change("policy-b", "Utkast\n");
    draft.writes[0].expected_version = "";
    draft.writes[0].metadata.status = core::Status::kDraft;
    primary_.CommitDraft(draft.writes[0], draft.author, draft.message);
    FetchReport fetched = FetchFromPrimary(Follower(), PrimaryPath().string());
    EXPECT_EQ(fetched.before, std::nullopt);
    EXPECT_EQ(fetched.after, first);
    EXPECT_FALSE(fetched.rewritten);

    const std::string second = primary_.Commit(Change("policy-a", "Andra\n"));
    fetched = FetchFromPrimary(Follower(), PrimaryPath().string());
    EXPECT_EQ(fetched.before, first);
    EXPECT_EQ(fetched.after, second);
    EXPECT_FALSE(fetched.rewritten);
    EXPECT_FALSE(FetchFromPrimary(Follower(), PrimaryPath().string()).moved());

    Store follower = Store::Open(Follower());
    EXPECT_EQ(follower.Head(), second);
    EXPECT_EQ(follower.Read("policy-a")->text, "Andra\n");
    // Drafts stay on the primary.
    EXPECT_TRUE(follower.ListDrafts().empty());
}

TEST_F(FollowTest, FollowsAPrimaryThatRewroteMain) {
    const std::string first = primary_.Commit(Change("policy-a", "Första\n"));
    const std::string second = primary_.Commit(Change("policy-a", "Andra\n"));
    FetchFromPrimary(Follower(), PrimaryPath().string());
    // The primary goes back to its first commit and goes on from there.
    ASSERT_EQ(testing::Run("git -C " + ShellQuote(PrimaryPath().string()) +
                           " update-ref refs/heads/main " + first)
                  .exit_code,
              0);
    Store rewound = Store::Open(PrimaryPath());
    const std::string other = rewound.Commit(Change("policy-a", "Annan väg\n"));

    FetchReport fetched = FetchFromPrimary(Follower(), PrimaryPath().string());
    EXPECT_EQ(fetched.before, second);
    EXPECT_EQ(fetched.after, other);
    EXPECT_TRUE(fetched.rewritten);
    EXPECT_EQ(Store::Open(Follower()).Read("policy-a")->text, "Annan väg\n");
}

TEST_F(FollowTest, APrimaryThatCannotBeReachedIsUnavailableAndChangesNothing) {
    const std::string first = primary_.Commit(Change("policy-a", "Första\n"));
    FetchFromPrimary(Follower(), PrimaryPath().string());
    for (const std::string& url : {(sandbox_ / "no-such-repository").string(),
                                   std::string("http://127.0.0.1:1/repository")}) {
        SCOPED_TRACE(url);
        try {
            FetchFromPrimary(Follower(), url);
            ADD_FAILURE() << "fetched from nowhere";
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), ErrorCode::kUnavailable);
        }
        EXPECT_EQ(Store::Open(Follower()).Head(), first);
    }
}

TEST(PrimaryForDisplay, HidesOnlyAPassword) {
    struct Row {
        std::string url;
        std::string shown;
    };
    const std::vector<Row> rows = {
        {"/srv/styrdok/repository", "/srv/styrdok/repository"},
        {"file:///srv/styrdok/repository", "file:///srv/styrdok/repository"},
        {"https://git.exempelby.se/styrdok.git", "https://git.exempelby.se/styrdok.git"},
        {"https://styrdok:hemligt@git.exempelby.se/styrdok.git",
         "https://styrdok:***@git.exempelby.se/styrdok.git"},
        {"https://styrdok@git.exempelby.se/styrdok.git",
         "https://styrdok@git.exempelby.se/styrdok.git"},
        {"https://git.exempelby.se:8443/a@b", "https://git.exempelby.se:8443/a@b"},
        {"git@git.exempelby.se:styrdok.git", "git@git.exempelby.se:styrdok.git"},
    };
    for (const Row& row : rows) {
        SCOPED_TRACE(row.url);
        EXPECT_EQ(PrimaryForDisplay(row.url), row.shown);
    }
}

}  // namespace
}  // namespace styrdok::store
