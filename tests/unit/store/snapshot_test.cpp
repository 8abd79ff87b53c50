// The snapshot of main's documents (snapshot.hpp): its chunks shared between commits
// (SortedChunks), and SnapshotCache moving it to a new HEAD by a tree comparison or by the
// writer's word (Advance), checked against a snapshot read from scratch.

#include "styrdok/store/snapshot.hpp"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "styrdok/core/date.hpp"
#include "styrdok/testing/sandbox.hpp"

namespace styrdok::store {
namespace {

namespace fs = std::filesystem;

struct Item {
    std::string key;
    int value = 0;
};

struct ItemKey {
    std::string_view operator()(const Item& item) const { return item.key; }
};

using Items = SortedChunks<Item, ItemKey>;

std::string Key(int n) {
    std::string key = std::to_string(n);
    return std::string(6 - key.size(), '0') + key;
}

// Every item in order, as "key=value" lines.
std::string Listing(const Items& items) {
    std::string listing;
    for (const Item& item : items) listing += item.key + "=" + std::to_string(item.value) + "\n";
    return listing;
}

std::string Listing(const std::map<std::string, int>& expected) {
    std::string listing;
    for (const auto& [key, value] : expected) listing += key + "=" + std::to_string(value) + "\n";
    return listing;
}

TEST(SortedChunks, ChangesMatchASortedMap) {
    struct Case {
        const char* name;
        int initial;  // items 0, 2, 4, ... (2 * initial - 2)
        int rounds;
        int changes;  // per round
    };
    const Case cases[] = {
        {"empty, grown", 0, 4, 300},     {"one item", 1, 3, 2},
        {"one chunk", 255, 5, 5},        {"a chunk and one", 257, 5, 50},
        {"several chunks", 2000, 6, 40}, {"several chunks, many changes", 2000, 3, 1500},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        std::mt19937 random(42);
        std::map<std::string, int> expected;
        std::vector<Item> sorted;
        for (int i = 0; i < c.initial; ++i) {
            expected[Key(2 * i)] = i;
            sorted.push_back({Key(2 * i), i});
        }
        Items items = Items::FromSorted(sorted);
        ASSERT_EQ(Listing(items), Listing(expected));
        const int range = 2 * c.initial + 2 * c.changes + 2;
        for (int round = 0; round < c.rounds; ++round) {
            std::map<std::string, std::optional<int>> round_changes;
            for (int i = 0; i < c.changes; ++i) {
                const std::string key = Key(static_cast<int>(random() % range));
                // Two in three set a value, one in three removes.
                std::optional<int> value;
                if (random() % 3 != 0) value = static_cast<int>(random() % 1000);
                round_changes[key] = value;
            }
            std::vector<Items::Change> changes;
            for (const auto& [key, value] : round_changes) {
                std::optional<Item> item;
                if (value) item = Item{key, *value};
                changes.push_back({key, item});
                if (value) {
                    expected[key] = *value;
                } else {
                    expected.erase(key);
                }
            }
            const std::string before = Listing(items);
            Items next = items.With(changes);
            EXPECT_EQ(Listing(items), before) << "the original changed";
            items = std::move(next);
            ASSERT_EQ(Listing(items), Listing(expected)) << "round " << round;
            ASSERT_EQ(items.size(), expected.size());
            for (int k = 0; k < range; ++k) {
                const Item* found = items.Find(Key(k));
                const auto want = expected.find(Key(k));
                ASSERT_EQ(found != nullptr, want != expected.end()) << Key(k);
                if (found != nullptr) {
                    EXPECT_EQ(found->value, want->second);
                }
            }
        }
    }
}

TEST(SortedChunks, ACopyWithOneChangeSharesTheOtherChunks) {
    std::vector<Item> sorted;
    for (int i = 0; i < 10 * static_cast<int>(Items::kChunk); ++i) sorted.push_back({Key(i), i});
    const Items items = Items::FromSorted(sorted);
    const Items next = items.With({{Key(5), Item{Key(5), -1}}});
    std::size_t shared = 0;
    auto a = items.begin();
    auto b = next.begin();
    for (; a != items.end(); ++a, ++b) shared += &*a == &*b ? 1 : 0;
    EXPECT_EQ(shared, items.size() - Items::kChunk);
    EXPECT_EQ(next.Find(Key(5))->value, -1);
    EXPECT_EQ(items.Find(Key(5))->value, 5);
}

core::Metadata Decided(const std::string& id, const std::string& title,
                       const std::string& replaces = "") {
    core::Metadata m;
    m.id = id;
    m.title = title;
    m.doctype = "policy";
    m.decided_by = "kf";
    m.decided_on = core::Date::FromYmd(2021, 5, 24);
    m.paragraph = "§ 67";
    m.owner = "HR-chef";
    m.valid_from = core::Date::FromYmd(2021, 7, 1);
    if (!replaces.empty()) m.replaces = {replaces};
    return m;
}

DocumentWrite Write(core::Metadata metadata, std::string text = "Text.\n") {
    DocumentWrite write;
    write.metadata = std::move(metadata);
    write.text = std::move(text);
    return write;
}

CommitRequest Request(std::vector<DocumentWrite> writes) {
    CommitRequest request;
    request.writes = std::move(writes);
    request.author = {"Anna Andersson", "anna@exempel.se"};
    request.message = "Ändring";
    return request;
}

// Everything a snapshot says: each document's id, version, title, replaces and text flag,
// and each relation.
std::string Describe(const Snapshot& snapshot) {
    std::string text = "head " + snapshot.head().value_or("-") + "\n";
    for (const SnapshotEntry& entry : snapshot.documents()) {
        const core::Metadata& m = *entry.metadata;
        std::string replaces;
        for (const std::string& id : m.replaces) replaces += (replaces.empty() ? "" : ",") + id;
        text += m.id + " " + entry.version + " " + m.title + " <" + replaces + "> " +
                (entry.has_text ? "text" : "empty") + "\n";
        EXPECT_EQ(snapshot.Find(m.id), &entry) << m.id;
        const std::vector<std::string>& by = snapshot.ReplacedBy(m.id);
        if (!by.empty()) text += "  replaced by";
        for (const std::string& successor : by) text += " " + successor;
        if (!by.empty()) text += "\n";
    }
    return text;
}

class SnapshotCacheTest : public ::testing::Test {
protected:
    // What a cache that has never seen the store reads from scratch.
    std::string Fresh() {
        SnapshotCache fresh;
        return Describe(*fresh.At(store_));
    }

    testing::Sandbox sandbox_;
    Store store_ = Store::Init(sandbox_ / "registry.git");
};

TEST_F(SnapshotCacheTest, FollowsEachSaveAndTheDocumentsReplacingOthers) {
    SnapshotCache cache;
    EXPECT_TRUE(cache.At(store_)->documents().empty());
    std::vector<DocumentWrite> first;
    for (int i = 0; i < 700; ++i) first.push_back(Write(Decided("policy-" + Key(i), "P")));
    store_.Commit(Request(std::move(first)));
    ASSERT_EQ(Describe(*cache.At(store_)), Fresh());

    struct Step {
        const char* name;
        std::vector<DocumentWrite> writes;
    };
    std::vector<Step> steps;
    steps.push_back({"a new document replaces an old one",
                     {Write(Decided("policy-000300b", "Ny", "policy-000300"))}});
    steps.push_back({"an edit at the front", {Write(Decided("policy-000000", "Ändrad"))}});
    steps.push_back({"a second successor, at the end",
                     {Write(Decided("policy-zzz", "Sist", "policy-000300"))}});
    steps.push_back({"the successor turns to another",
                     {Write(Decided("policy-000300b", "Ny", "policy-000010"))}});
    steps.push_back(
        {"a successor replaces nothing any more", {Write(Decided("policy-zzz", "Sist"))}});
    steps.push_back({"an emptied text", {Write(Decided("policy-000500", "P"), " \n")}});
    std::vector<DocumentWrite> many;
    for (int i = 0; i < 700; i += 3) {
        many.push_back(Write(Decided("policy-" + Key(i) + "x", "Mellan", "policy-" + Key(i))));
    }
    steps.push_back({"many new ones between the old ones", std::move(many)});
    for (Step& step : steps) {
        SCOPED_TRACE(step.name);
        const std::shared_ptr<const Snapshot> before = cache.At(store_);
        const std::string described = Describe(*before);
        store_.Commit(Request(std::move(step.writes)));
        const std::shared_ptr<const Snapshot> after = cache.At(store_);
        EXPECT_EQ(after->head(), store_.Head());
        EXPECT_EQ(Describe(*after), Fresh());
        EXPECT_EQ(Describe(*before), described) << "the old snapshot changed";
    }
    EXPECT_EQ(cache.At(store_)->ReplacedBy("policy-000300"),
              std::vector<std::string>({"policy-000300x"}));
    EXPECT_EQ(cache.At(store_)->ReplacedBy("policy-000010"),
              std::vector<std::string>({"policy-000300b"}));
}

TEST_F(SnapshotCacheTest, AdvanceMovesToTheWritersCommitWithoutComparingTrees) {
    store_.Commit(Request({Write(Decided("gammal", "Gammal")), Write(Decided("annan", "A"))}));
    SnapshotCache cache;
    const std::shared_ptr<const Snapshot> before = cache.At(store_);

    const std::string version =
        store_.Commit(Request({Write(Decided("ny", "Ny", "gammal"), "Ny text.\n")}));
    cache.Advance(store_, version, {"ny"});
    const std::shared_ptr<const Snapshot> after = cache.At(store_);
    EXPECT_EQ(Describe(*after), Fresh());
    ASSERT_NE(after->Find("ny"), nullptr);
    EXPECT_EQ(after->Find("ny")->version, version);
    EXPECT_EQ(after->ReplacedBy("gammal"), std::vector<std::string>({"ny"}));
    EXPECT_EQ(before->Find("ny"), nullptr);
    EXPECT_TRUE(before->ReplacedBy("gammal").empty());
    // Advanced, not rebuilt: the next At hands out the same snapshot.
    EXPECT_EQ(cache.At(store_), after);
}

TEST_F(SnapshotCacheTest, AdvanceLeavesACommitItCannotFollowToTheTreeComparison) {
    store_.Commit(Request({Write(Decided("gammal", "Gammal"))}));
    SnapshotCache cache;
    const std::shared_ptr<const Snapshot> before = cache.At(store_);
    // Another writer commits in between: the cache is not at the parent of the next commit.
    Store other = Store::Open(sandbox_ / "registry.git");
    other.Commit(Request({Write(Decided("annan", "Annan", "gammal"))}));
    const std::string version = store_.Commit(Request({Write(Decided("ny", "Ny"))}));
    cache.Advance(store_, version, {"ny"});

    const std::shared_ptr<const Snapshot> after = cache.At(store_);
    EXPECT_NE(after, before);
    EXPECT_EQ(Describe(*after), Fresh());
    EXPECT_NE(after->Find("annan"), nullptr);
    EXPECT_EQ(after->ReplacedBy("gammal"), std::vector<std::string>({"annan"}));
}

TEST_F(SnapshotCacheTest, AdvanceBeforeAnyReadReadsNothing) {
    store_.Commit(Request({Write(Decided("gammal", "Gammal"))}));
    SnapshotCache cache;
    const std::string version = store_.Commit(Request({Write(Decided("ny", "Ny", "gammal"))}));
    cache.Advance(store_, version, {"ny"});
    EXPECT_EQ(Describe(*cache.At(store_)), Fresh());
}

// The snapshot reads every document in one pass over the commit's trees; it must say exactly
// what Store::Read says of each, on a registry with many versions, drafts beside main, an
// adopted draft, repealed documents, relations and texts that are empty or white space.
TEST_F(SnapshotCacheTest, ReadsEveryDocumentAsStoreReadDoes) {
    const Author author{"Anna Andersson", "anna@exempel.se"};
    // More documents than the reader hands over to the parser at once.
    std::vector<DocumentWrite> first;
    for (int i = 0; i < 2500; ++i) {
        core::Metadata m = Decided("policy-" + Key(i), "P " + std::to_string(i));
        if (i % 7 == 0) m.implements = {"policy-" + Key(i / 2), "policy-" + Key(i / 3)};
        if (i % 11 == 0) m.related = {"policy-" + Key(i + 1)};
        const char* texts[] = {"Text.\n", "", " \n\t\r\n", "# Rubrik\n\nMer text.\n"};
        first.push_back(Write(std::move(m), texts[i % 4]));
    }
    store_.Commit(Request(std::move(first)));
    for (int round = 0; round < 3; ++round) {
        std::vector<DocumentWrite> writes;
        for (int i = round; i < 2500; i += 97) {
            core::Metadata m = Decided("policy-" + Key(i), "Ändrad " + std::to_string(round));
            if (i % 3 == 0) {
                m.status = core::Status::kRepealed;
                m.valid_to = core::Date::FromYmd(2024, 12, 31);
            }
            writes.push_back(Write(std::move(m), round == 1 ? "" : "Ny text.\n"));
        }
        writes.push_back(Write(Decided("ny-" + std::to_string(round), "Ny", "policy-000005")));
        store_.Commit(Request(std::move(writes)));
    }
    core::Metadata draft = Decided("policy-000042", "Utkast");
    draft.status = core::Status::kDraft;
    store_.CommitDraft(Write(draft), author, "Utkast");
    draft.id = "helt-ny";
    store_.CommitDraft(Write(draft), author, "Utkast");
    draft.id = "antas";
    const std::string adopted = store_.CommitDraft(Write(draft), author, "Utkast");
    store_.AdoptDraft("antas", Decided("antas", "Antagen", "policy-000001"), adopted, author,
                      "Antagen");

    SnapshotCache cache;
    const std::shared_ptr<const Snapshot> snapshot = cache.At(store_);
    const std::vector<std::string> ids = store_.ListDocuments();
    ASSERT_EQ(snapshot->documents().size(), ids.size());
    std::size_t i = 0;
    for (const SnapshotEntry& entry : snapshot->documents()) {
        SCOPED_TRACE(ids[i]);
        const std::optional<Document> read = store_.Read(ids[i++]);
        ASSERT_TRUE(read.has_value());
        EXPECT_EQ(*entry.metadata, read->metadata);
        EXPECT_EQ(entry.version, read->version);
        EXPECT_EQ(entry.has_text, read->text.find_first_not_of(" \t\r\n") != std::string::npos);
    }
    EXPECT_EQ(snapshot->Find("helt-ny"), nullptr);
    EXPECT_EQ(snapshot->Find("policy-000042")->metadata->title, "P 42");
    EXPECT_EQ(snapshot->ReplacedBy("policy-000001"), std::vector<std::string>({"antas"}));
    EXPECT_EQ(snapshot->ImplementedBy("policy-000007"),
              std::vector<std::string>({"policy-000014", "policy-000021"}));
}

}  // namespace
}  // namespace styrdok::store
