#include "styrdok/store/snapshot.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "styrdok/testing/sandbox.hpp"

namespace styrdok::store {
namespace {

using Ids = std::vector<std::string>;

core::Metadata Meta(const std::string& id, Ids implements = {}, Ids replaces = {}) {
    core::Metadata m;
    m.id = id;
    m.title = id;
    m.doctype = "plan";
    m.decided_by = "kf";
    m.decided_on = *core::Date::FromYmd(2026, 11, 16);
    m.implements = std::move(implements);
    m.replaces = std::move(replaces);
    return m;
}

class SnapshotTest : public ::testing::Test {
protected:
    std::shared_ptr<const Snapshot> Commit(std::vector<core::Metadata> documents) {
        CommitRequest request;
        for (core::Metadata& m : documents) {
            DocumentWrite write;
            write.metadata = std::move(m);
            write.text = "Text\n";
            request.writes.push_back(std::move(write));
        }
        request.author = {"Anna Andersson", "anna@exempel.se"};
        request.message = "Ändring";
        store_.Commit(request);
        return cache_.At(store_);
    }

    testing::Sandbox sandbox_;
    Store store_ = Store::Init(sandbox_ / "registry.git");
    SnapshotCache cache_;
};

TEST_F(SnapshotTest, DerivesBothOtherEndsFromTheDocumentsThatNameThem) {
    auto snapshot = Commit({Meta("vision-2040"), Meta("kommunprogram-2023", {"vision-2040"}),
                            Meta("vip-2027", {"kommunprogram-2023", "vision-2040"}),
                            Meta("riktlinjer-a"), Meta("riktlinjer-b"),
                            Meta("riktlinjer-stod", {}, {"riktlinjer-a", "riktlinjer-b"})});
    EXPECT_EQ(snapshot->ImplementedBy("vision-2040"), (Ids{"kommunprogram-2023", "vip-2027"}));
    EXPECT_EQ(snapshot->ImplementedBy("kommunprogram-2023"), (Ids{"vip-2027"}));
    EXPECT_EQ(snapshot->ImplementedBy("vip-2027"), Ids{});
    EXPECT_EQ(snapshot->ReplacedBy("riktlinjer-a"), (Ids{"riktlinjer-stod"}));
    EXPECT_EQ(snapshot->ReplacedBy("riktlinjer-b"), (Ids{"riktlinjer-stod"}));
    EXPECT_EQ(snapshot->ReplacedBy("riktlinjer-stod"), Ids{});

    // A later commit that drops a relation drops its other end too.
    snapshot = Commit({Meta("vip-2027", {"kommunprogram-2023"})});
    EXPECT_EQ(snapshot->ImplementedBy("vision-2040"), (Ids{"kommunprogram-2023"}));
    EXPECT_EQ(snapshot->ImplementedBy("kommunprogram-2023"), (Ids{"vip-2027"}));
}

TEST_F(SnapshotTest, WalksDownTheChainOnceEvenThroughACycle) {
    auto snapshot =
        Commit({Meta("vision-2040", {"vp-sn-2027"}), Meta("kommunprogram-2023", {"vision-2040"}),
                Meta("vip-2027", {"kommunprogram-2023"}), Meta("vp-bun-2027", {"vip-2027"}),
                Meta("vp-sn-2027", {"vip-2027"}), Meta("sjalv", {"sjalv"})});
    EXPECT_EQ(snapshot->ImplementingBelow("vip-2027", 100),
              (Ids{"kommunprogram-2023", "vision-2040", "vp-bun-2027", "vp-sn-2027"}));
    EXPECT_EQ(snapshot->ImplementingBelow("kommunprogram-2023", 100).size(), 4u);
    EXPECT_EQ(snapshot->ImplementingBelow("kommunprogram-2023", 2).size(), 2u);
    EXPECT_EQ(snapshot->ImplementingBelow("sjalv", 100), Ids{});
    EXPECT_EQ(snapshot->ImplementingBelow("saknas", 100), Ids{});
}

}  // namespace
}  // namespace styrdok::store
