#include "index_keeper.hpp"

#include <gtest/gtest.h>

#include <chrono>

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

}  // namespace
}  // namespace styrdok::server
