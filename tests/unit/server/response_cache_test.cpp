#include "response_cache.hpp"

#include <gtest/gtest.h>
#include <malloc.h>

#include <string>

namespace styrdok::server {
namespace {

const core::Date kMonday = *core::Date::FromYmd(2026, 11, 23);
const core::Date kTuesday = *core::Date::FromYmd(2026, 11, 24);

Response Page(std::string body, int status = 200) {
    Response response;
    response.status = status;
    response.body = std::move(body);
    response.etag = "v1";
    return response;
}

TEST(ResponseCache, KeepsAnAnswerUntilCleared) {
    ResponseCache cache(1 << 20);
    EXPECT_FALSE(cache.Find("/documents/a", kMonday));
    cache.Keep("/documents/a", kMonday, cache.generation(), Page("A"));
    std::optional<Response> kept = cache.Find("/documents/a", kMonday);
    ASSERT_TRUE(kept);
    EXPECT_EQ(kept->Payload(), "A");
    EXPECT_EQ(kept->etag, "v1");
    EXPECT_FALSE(cache.Find("/documents/a?at=2020-01-01", kMonday));
    cache.Clear();
    EXPECT_FALSE(cache.Find("/documents/a", kMonday));
    EXPECT_EQ(cache.entries(), 0u);
    EXPECT_EQ(cache.bytes(), 0u);
}

TEST(ResponseCache, ForgetsEverythingWhenTheDateChanges) {
    ResponseCache cache(1 << 20);
    cache.Keep("/documents/a", kMonday, cache.generation(), Page("A"));
    EXPECT_FALSE(cache.Find("/documents/a", kTuesday));
    EXPECT_FALSE(cache.Find("/documents/a", kMonday));
}

TEST(ResponseCache, KeepsOnlySuccessfulAnswers) {
    ResponseCache cache(1 << 20);
    cache.Keep("/documents/saknas", kMonday, cache.generation(), Page("finns inte", 404));
    EXPECT_FALSE(cache.Find("/documents/saknas", kMonday));
}

TEST(ResponseCache, NeverKeepsAnAnswerComputedBeforeAClear) {
    ResponseCache cache(1 << 20);
    const std::uint64_t before = cache.generation();
    cache.Clear();  // HEAD moved while the answer was being computed from the old HEAD
    cache.Keep("/documents/a", kMonday, before, Page("old"));
    EXPECT_FALSE(cache.Find("/documents/a", kMonday));
    cache.Keep("/documents/a", kMonday, cache.generation(), Page("new"));
    EXPECT_EQ(cache.Find("/documents/a", kMonday)->Payload(), "new");
}

TEST(ResponseCache, DropsTheLeastRecentlyUsedBeyondItsMemory) {
    const std::string body(10000, 'x');
    ResponseCache cache(100000);
    for (int i = 0; i < 20; ++i) {
        cache.Keep("/documents/" + std::to_string(i), kMonday, cache.generation(), Page(body));
        ASSERT_TRUE(cache.Find("/documents/0", kMonday)) << i;  // kept in use: stays
    }
    EXPECT_LE(cache.bytes(), 100000u);
    EXPECT_GE(cache.entries(), 8u);
    EXPECT_TRUE(cache.Find("/documents/19", kMonday));
    EXPECT_FALSE(cache.Find("/documents/1", kMonday));
}

TEST(ResponseCache, LeavesOutAnAnswerTooLargeToShareTheCache) {
    ResponseCache cache(100000);
    cache.Keep("/documents/stor", kMonday, cache.generation(), Page(std::string(50000, 'x')));
    EXPECT_FALSE(cache.Find("/documents/stor", kMonday));
    ResponseCache off(0);
    off.Keep("/documents/a", kMonday, off.generation(), Page("A"));
    EXPECT_FALSE(off.Find("/documents/a", kMonday));
}

TEST(ResponseCache, SharesTheBodyAndKeepsItsGzip) {
    ResponseCache cache(1 << 20);
    Response page = Page(std::string(5000, 'a'));
    page.content_type = "application/json";
    cache.Keep("/api/documents/a", kMonday, cache.generation(), page);
    std::optional<Response> first = cache.Find("/api/documents/a", kMonday);
    std::optional<Response> second = cache.Find("/api/documents/a", kMonday);
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->Payload(), page.body);
    EXPECT_EQ(first->shared_body, second->shared_body);  // one copy, however many answers
    ASSERT_TRUE(first->shared_gzip);
    EXPECT_EQ(*first->shared_gzip, Gzip(page.body));
    // Too small to be worth compressing.
    cache.Keep("/api/documents/b", kMonday, cache.generation(), Page("kort"));
    EXPECT_FALSE(cache.Find("/api/documents/b", kMonday)->shared_gzip);
}

// Search answers are kept by the thousand and few are asked for again: each is compressed
// only when a request asks for gzip, not when it is kept.
TEST(ResponseCache, LeavesTheGzipToTheRequestWhenAskedTo) {
    ResponseCache cache(1 << 20);
    Response answer = Page(std::string(5000, 'a'));
    answer.content_type = "application/json";
    cache.Keep("search\na", kMonday, cache.generation(), answer, ResponseCache::Gzip::kOnRequest);
    std::optional<Response> kept = cache.Find("search\na", kMonday);
    ASSERT_TRUE(kept);
    EXPECT_EQ(kept->Payload(), answer.body);
    EXPECT_FALSE(kept->shared_gzip);
}

TEST(ResponseCache, CachedHandlerCallsTheHandlerOncePerTarget) {
    ResponseCache cache(1 << 20);
    int calls = 0;
    Handler handler = Cached(
        cache, [] { return kMonday; },
        [&calls](const Request& request, const PathParams&) {
            ++calls;
            return Page("svar på " + request.target);
        });
    Request request;
    request.target = "/documents/a";
    EXPECT_EQ(handler(request, {}).Payload(), "svar på /documents/a");
    EXPECT_EQ(handler(request, {}).Payload(), "svar på /documents/a");
    EXPECT_EQ(calls, 1);
    request.target = "/documents/a?at=2020-01-01";
    handler(request, {});
    EXPECT_EQ(calls, 2);
    cache.Clear();
    handler(request, {});
    EXPECT_EQ(calls, 3);
}

#if !defined(__SANITIZE_ADDRESS__)  // the sanitizer's allocator keeps its own books
TEST(ResponseCache, HoldsNoMoreMemoryThanItsLimitForAFloodOfTinyAnswers) {
    // Anyone can make a new key by adding a query string nobody reads: each tiny answer must
    // count all it holds, or a flood of them holds far more than the limit.
    constexpr std::size_t kLimit = 4 << 20;
    const std::size_t before = mallinfo2().uordblks;
    {
        ResponseCache cache(kLimit);
        for (int i = 0; i < 200000; ++i) {
            cache.Keep("/documents/a?x=" + std::to_string(i), kMonday, cache.generation(),
                       Page("A"));
        }
        const std::size_t held = mallinfo2().uordblks - before;
        EXPECT_LE(held, kLimit) << cache.entries() << " entries";
        EXPECT_GT(cache.entries(), 1000u);
    }
}
#endif

}  // namespace
}  // namespace styrdok::server
