#include "index_keeper.hpp"

#include <Poco/Logger.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <optional>
#include <thread>
#include <vector>

#include "styrdok/testing/sandbox.hpp"

namespace styrdok::server {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// The flush waits for the syncs to pause, and for no longer than kFlushLongest while they
// keep coming: a flush running beside saves holds them up.
TEST(IndexKeeper, FlushIsDueWhenSyncsPauseOrAtTheLatestAfterTheLongestWait) {
    static_assert(IndexKeeper::kFlushDelay < IndexKeeper::kFlushLongest);
    const Clock::time_point first = Clock::now();
    struct Case {
        const char* what;
        milliseconds last;  ///< after `first`
        milliseconds due;   ///< after `first`
    };
    const Case cases[] = {
        {"one sync", milliseconds(0), IndexKeeper::kFlushDelay},
        {"a later sync moves the flush on", milliseconds(250),
         milliseconds(250) + IndexKeeper::kFlushDelay},
        {"syncs that keep coming are flushed at the latest", IndexKeeper::kFlushLongest,
         IndexKeeper::kFlushLongest},
        {"however long they keep coming", IndexKeeper::kFlushLongest + IndexKeeper::kFlushLongest,
         IndexKeeper::kFlushLongest},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        EXPECT_EQ(IndexKeeper::FlushDue(first, first + c.last), first + c.due);
    }
}

// A keeper that never opens its registry: Writing and WaitForPause do not touch the disk.
struct IdleKeeper {
    core::Schema schema = core::Schema::Load(testing::SourceDir() / "schema/default.xml");
    IndexKeeper keeper{RegistryPaths{"/nonexistent/repository", "/nonexistent/index", {}},
                       schema,
                       Poco::Logger::get("index_keeper_test"),
                       {}};
};

// How long WaitForPause took, `waits` times in a row, with `held` Writings held meanwhile
// and the last of them ended after `ended_after` (never, when nullopt).
std::vector<Clock::duration> TimeWaitsForPause(IndexKeeper& keeper, int held,
                                               std::optional<milliseconds> ended_after,
                                               int waits = 1) {
    std::vector<std::optional<IndexKeeper::Writing>> writings(static_cast<std::size_t>(held));
    for (auto& writing : writings) writing.emplace(keeper);
    std::promise<void> waiting;
    std::future<void> started = waiting.get_future();
    std::thread ender([&] {
        started.wait();
        if (!ended_after) return;
        std::this_thread::sleep_for(*ended_after);
        for (auto& writing : writings) writing.reset();
    });
    std::vector<Clock::duration> took;
    // Before the ender may start its clock, so that a wait is never timed short.
    Clock::time_point start = Clock::now();
    waiting.set_value();
    for (int i = 0; i < waits; ++i) {
        if (i > 0) start = Clock::now();
        keeper.WaitForPause();
        took.push_back(Clock::now() - start);
    }
    ender.join();
    return took;
}

Clock::duration TimeWaitForPause(IndexKeeper& keeper, int held,
                                 std::optional<milliseconds> ended_after) {
    return TimeWaitsForPause(keeper, held, ended_after).front();
}

// The flush writes the index back in the pauses between saves: it waits for the saves that
// are writing to end, for no longer than kPauseLongest when they do not, and not again for
// the same saves.
TEST(IndexKeeper, FlushWaitsForTheSavesWritingToEndButNotForever) {
    IdleKeeper idle;
    EXPECT_LT(TimeWaitForPause(idle.keeper, 0, std::nullopt), IndexKeeper::kPauseLongest)
        << "no save writing";
    // A save that outlasts a wait (a large batch) is waited for once: the flush goes on beside it.
    const std::vector<Clock::duration> outlasting =
        TimeWaitsForPause(idle.keeper, 2, std::nullopt, 2);
    EXPECT_GE(outlasting[0], IndexKeeper::kPauseLongest) << "saves that do not end";
    EXPECT_LT(outlasting[1], IndexKeeper::kPauseLongest) << "the same saves, waited for already";
    const Clock::duration ended = TimeWaitForPause(idle.keeper, 2, milliseconds(20));
    EXPECT_GE(ended, milliseconds(20)) << "saves that end";
    EXPECT_LT(ended, IndexKeeper::kPauseLongest) << "saves that end";
    // Every Writing has ended, whichever way: the next wait is over at once.
    EXPECT_LT(TimeWaitForPause(idle.keeper, 0, std::nullopt), IndexKeeper::kPauseLongest);
}

}  // namespace
}  // namespace styrdok::server
