// What a writer killed in the middle of Store::Commit leaves, and how the next one clears it.
// The leftovers are made by hand, as libgit2 and the store's pack writer name them
// (write_lock.hpp).

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "styrdok/core/error.hpp"
#include "styrdok/store/store.hpp"
#include "styrdok/testing/sandbox.hpp"

namespace styrdok::store {
namespace {

namespace fs = std::filesystem;
using testing::Sandbox;

// A request that writes `count` documents (a write of 64 or more goes through a pack).
CommitRequest Documents(int count, const std::string& text) {
    CommitRequest request;
    for (int i = 0; i < count; ++i) {
        DocumentWrite write;
        write.metadata.id = "dokument-" + std::to_string(i);
        write.metadata.title = "Dokument " + std::to_string(i);
        write.metadata.doctype = "policy";
        write.metadata.decided_by = "kf";
        write.metadata.decided_on = core::Date::FromYmd(2021, 5, 24);
        write.text = text;
        request.writes.push_back(std::move(write));
    }
    request.author = {"Anna Andersson", "anna@exempel.se"};
    request.message = "Ändring";
    return request;
}

// Holds the write lock as another process would: its own open file and flock(2).
class ForeignWriter {
public:
    explicit ForeignWriter(const fs::path& repository)
        : fd_(::open((repository / "styrdok-write.lock").c_str(), O_RDWR | O_CREAT, 0666)) {
        EXPECT_GE(fd_, 0);
        EXPECT_EQ(::flock(fd_, LOCK_EX), 0);
    }
    ~ForeignWriter() { Release(); }
    void Release() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_;
};

class CrashRepairTest : public ::testing::Test {
protected:
    fs::path Repo() const { return sandbox_ / "registry.git"; }
    void Leave(const std::string& relative) const {
        sandbox_.Write("registry.git/" + relative, "half written");
    }

    Sandbox sandbox_;
    Store store_ = Store::Init(Repo());
};

TEST_F(CrashRepairTest, StaleBranchLockNoLongerRefusesTheNextCommit) {
    std::string first = store_.Commit(Documents(1, "Första."));
    // Killed after libgit2 locked the branch, before it renamed the lock over it.
    Leave("refs/heads/main.lock");
    std::string second = store_.Commit(Documents(1, "Andra."));
    EXPECT_NE(second, first);
    EXPECT_EQ(store_.Head(), second);
    EXPECT_FALSE(fs::exists(Repo() / "refs/heads/main.lock"));
    EXPECT_EQ(store_.Read("dokument-0")->text, "Andra.");
    EXPECT_TRUE(store_.Verify().empty());
}

TEST_F(CrashRepairTest, StaleBranchLockNoLongerRefusesAPackedImport) {
    store_.Commit(Documents(1, "Första."));
    Leave("refs/heads/main.lock");
    Leave("packed-refs.lock");
    std::optional<std::string> head = store_.CommitAll({Documents(70, "Importerad.")});
    EXPECT_EQ(store_.Head(), head);
    EXPECT_EQ(store_.ListDocuments().size(), 70u);
    EXPECT_TRUE(store_.FindInterruptedWrites().leftovers.empty());
}

TEST_F(CrashRepairTest, FindsEveryKindOfLeftoverAndRepairRemovesOnlyThem) {
    // A real pack and its index, which must survive the repair.
    store_.CommitAll({Documents(70, "Importerad.")});
    std::vector<std::string> packs;
    for (const auto& entry : fs::directory_iterator(Repo() / "objects/pack")) {
        packs.push_back(entry.path().filename().string());
    }
    ASSERT_EQ(packs.size(), 2u);

    const std::vector<std::string> leftovers{
        "objects/pack/pack-0123456789abcdef0123456789abcdef01234567.idx",  // pack not renamed
        "objects/pack/pack-89abcdef0123456789abcdef0123456789abcdef.idx.lock",
        "objects/pack/pack-fedcba9876543210fedcba9876543210fedcba98.pack",  // index not written
        "objects/pack/pack_git2_Q1w2E3",
        "objects/pack/tmp_idx_4711_2958413",  // the store's own pack writer (pack_writer.hpp)
        "objects/pack/tmp_pack_4711_2958412",
        "objects/tmp_object_git2_a1B2c3",
        "packed-refs.lock",
        "refs/heads/main.lock",
        "refs/tags/beslut.lock",
    };
    for (const std::string& leftover : leftovers) Leave(leftover);

    InterruptedWrites found = store_.FindInterruptedWrites();
    EXPECT_FALSE(found.write_in_progress);
    EXPECT_EQ(found.leftovers, leftovers);
    // Looking changes nothing.
    EXPECT_TRUE(fs::exists(Repo() / "refs/heads/main.lock"));

    EXPECT_EQ(store_.RepairInterruptedWrites(), leftovers);
    EXPECT_TRUE(store_.FindInterruptedWrites().leftovers.empty());
    for (const std::string& pack : packs) EXPECT_TRUE(fs::exists(Repo() / "objects/pack" / pack));
    EXPECT_TRUE(fs::exists(Repo() / "refs/heads/main"));
    EXPECT_TRUE(store_.Verify().empty());
}

TEST_F(CrashRepairTest, LockFilesOfARunningWriteAreNotJudged) {
    store_.Commit(Documents(1, "Första."));
    ForeignWriter writer(Repo());
    Leave("refs/heads/main.lock");  // that writer's own, live
    InterruptedWrites found = store_.FindInterruptedWrites();
    EXPECT_TRUE(found.write_in_progress);
    EXPECT_TRUE(found.leftovers.empty());
    EXPECT_TRUE(fs::exists(Repo() / "refs/heads/main.lock"));
}

TEST_F(CrashRepairTest, CommitWaitsForTheWriterThatHoldsTheLock) {
    std::string first = store_.Commit(Documents(1, "Första."));
    ForeignWriter writer(Repo());
    std::string second;
    std::thread committer([&] {
        Store other = Store::Open(Repo());
        second = other.Commit(Documents(1, "Andra."));
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_EQ(store_.Head(), first);
    writer.Release();
    committer.join();
    EXPECT_EQ(store_.Head(), second);
}

}  // namespace
}  // namespace styrdok::store
