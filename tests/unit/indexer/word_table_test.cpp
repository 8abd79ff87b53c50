#include "word_table.hpp"

#include <gtest/gtest.h>

#include <string>

#include "snippet.hpp"  // SnippetTerms::HashWord

namespace styrdok::indexer::detail {
namespace {

std::uint64_t Hash(const std::string& word) { return SnippetTerms::HashWord(word); }

TEST(WordTable, FindsWhatItKeepsAndNothingElse) {
    WordTable<int> table(100, 1000);
    EXPECT_EQ(table.Find("budget", Hash("budget")), nullptr);
    EXPECT_EQ(table.Keep("budget", Hash("budget"), 1), 1);
    table.Keep("budgetar", Hash("budgetar"), 2);
    ASSERT_NE(table.Find("budget", Hash("budget")), nullptr);
    EXPECT_EQ(*table.Find("budget", Hash("budget")), 1);
    EXPECT_EQ(*table.Find("budgetar", Hash("budgetar")), 2);
    // The same hash for another word is another word.
    EXPECT_EQ(table.Find("skola", Hash("budget")), nullptr);
}

TEST(WordTable, GrowsAndStartsAgainWhenFull) {
    // More words than its first 1 024 slots hold, and than it may keep at once.
    WordTable<std::string> table(3000, 1 << 20);
    for (int round = 0; round < 2; ++round) {
        for (int i = 0; i < 5000; ++i) {
            const std::string word = "ord" + std::to_string(i);
            const std::string* kept = table.Find(word, Hash(word));
            if (kept == nullptr) kept = &table.Keep(word, Hash(word), word + "!");
            ASSERT_EQ(*kept, word + "!");
        }
    }
    // A byte bound as well as a count.
    WordTable<int> small(1000, 10);
    small.Keep("abcdefgh", Hash("abcdefgh"), 1);
    small.Keep("ijklmnop", Hash("ijklmnop"), 2);
    EXPECT_EQ(small.Find("abcdefgh", Hash("abcdefgh")), nullptr);
    EXPECT_EQ(*small.Find("ijklmnop", Hash("ijklmnop")), 2);
}

}  // namespace
}  // namespace styrdok::indexer::detail
