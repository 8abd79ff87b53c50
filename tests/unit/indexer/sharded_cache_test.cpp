#include "sharded_cache.hpp"

#include <gtest/gtest.h>
#include <xapian.h>

#include <string>
#include <thread>
#include <vector>

namespace styrdok::indexer::detail {
namespace {

TEST(ShardedCache, ComputesEachKeysValueOnce) {
    ShardedCache<std::string> memo(1000);
    std::size_t asked = 0;
    const Xapian::Stem swedish("swedish");
    const auto stem = [&](const std::string& word) {
        ++asked;
        return swedish(word);
    };
    for (const std::string word : {"budgetar", "skolor", "budgetar", "skolor", "och"}) {
        SCOPED_TRACE(word);
        EXPECT_EQ(memo.Get(word, [&] { return stem(word); }), swedish(word));
    }
    EXPECT_EQ(asked, 3u);
    EXPECT_EQ(memo.Size(), 3u);
}

TEST(ShardedCache, StaysBounded) {
    ShardedCache<std::string> memo(256);
    const auto same = [](const std::string& word) { return word; };
    for (int i = 0; i < 10000; ++i) {
        const std::string word = "ord" + std::to_string(i);
        ASSERT_EQ(memo.Get(word, [&] { return same(word); }), word);
    }
    EXPECT_LE(memo.Size(), 256u);
}

TEST(ShardedCache, ServesThreadsAtOnce) {
    ShardedCache<std::string> memo(512);
    std::vector<std::string> words;
    for (int i = 0; i < 2000; ++i) words.push_back("förvaltningar" + std::to_string(i % 700));
    std::vector<std::size_t> wrong(4, 0);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < wrong.size(); ++t) {
        threads.emplace_back([&, t] {
            // A stemmer of its own each, as each Searcher has.
            const Xapian::Stem swedish("swedish");
            for (const std::string& word : words) {
                if (memo.Get(word, [&] { return swedish(word); }) != swedish(word)) {
                    ++wrong[t];
                }
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(wrong, std::vector<std::size_t>(wrong.size(), 0));
}

}  // namespace
}  // namespace styrdok::indexer::detail
