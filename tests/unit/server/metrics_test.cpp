#include "metrics.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace styrdok::server {
namespace {

using std::chrono::milliseconds;

Handler Nothing() {
    return [](const Request&, const PathParams&) { return Response(); };
}

// The line of `exposition` that starts with `prefix` up to its value; "" when none does.
std::string ValueAfter(const std::string& exposition, const std::string& prefix) {
    std::istringstream lines(exposition);
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with(prefix + " ")) return line.substr(prefix.size() + 1);
    }
    return {};
}

TEST(PrometheusLabelValue, EscapesWhatTheFormatAsksAndRepairsUtf8) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"/api/documents/{id}", R"("/api/documents/{id}")"},
        {"gällande", R"("gällande")"},
        {"a\"b", R"("a\"b")"},
        {"a\\b", R"("a\\b")"},
        {"a\nb", R"("a\nb")"},
        {"tab\tstays", "\"tab\tstays\""},
        {"bad \xff byte", "\"bad \xef\xbf\xbd byte\""},
        {"", R"("")"},
    };
    for (const auto& [value, quoted] : cases) {
        SCOPED_TRACE(value);
        EXPECT_EQ(PrometheusLabelValue(value), quoted);
    }
}

TEST(MethodLabel, KeepsHttpMethodsAndCallsTheRestOther) {
    for (const char* method : {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
        SCOPED_TRACE(method);
        EXPECT_EQ(MethodLabel(method), method);
    }
    for (const char* method : {"BREW", "get", "", "GET\"", "PROPFIND"}) {
        SCOPED_TRACE(method);
        EXPECT_EQ(MethodLabel(method), "other");
    }
}

TEST(MayReadMetrics, LoopbackNotForwardedOrAListedAddress) {
    const std::vector<std::string> allowed = {"192.0.2.10", "2001:db8::10"};
    struct Case {
        const char* address;
        bool forwarded;
        bool may;
    };
    for (const Case& c : std::vector<Case>{
             {"127.0.0.1", false, true},
             {"127.0.0.2", false, true},
             {"::1", false, true},
             {"::ffff:127.0.0.1", false, true},
             {"127.0.0.1", true, false},  // a reverse proxy on the machine, for anyone
             {"::1", true, false},
             {"192.0.2.10", false, true},
             {"192.0.2.10", true, true},
             {"2001:db8::10", false, true},
             {"192.0.2.11", false, false},
             {"10.0.0.1", false, false},
             {"1127.0.0.1", false, false},
             {"", false, false},
         }) {
        SCOPED_TRACE(std::string(c.address) + (c.forwarded ? " forwarded" : ""));
        EXPECT_EQ(MayReadMetrics(c.address, c.forwarded, allowed), c.may);
    }
    EXPECT_FALSE(MayReadMetrics("192.0.2.10", false, {}));
}

class MetricsTest : public ::testing::Test {
protected:
    MetricsTest() {
        router_.Add("GET", "/api/documents/{id}", Nothing());
        router_.Add("PUT", "/api/documents/{id}", Nothing());
        router_.Add("GET", "/a \"quoted\\\" route", Nothing());
    }
    Router router_;
};

TEST_F(MetricsTest, EveryLineIsACommentOrASample) {
    Metrics metrics(router_);
    metrics.CountRequest(0, "GET", 200, milliseconds(3));
    metrics.CountRequest(1, "GET", 404, milliseconds(3));
    metrics.CountRequest(Router::kNoPattern, "BREW", 405, milliseconds(3));
    metrics.CountReminders(3, 1);
    RegistryFacts facts;
    facts.index_behind = false;
    facts.last_sync_seconds = 1796580800.5;
    facts.documents_by_state = {{"gällande", 40}, {"ej i kraft än", 2}};
    const std::string text = metrics.Exposition(facts);
    static const std::regex kSample(
        R"re(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*\})? [-+0-9.eEInfa]+$)re");
    static const std::regex kComment(R"(^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$)");
    std::istringstream lines(text);
    int samples = 0;
    for (std::string line; std::getline(lines, line);) {
        SCOPED_TRACE(line);
        EXPECT_TRUE(std::regex_match(line, kComment) || std::regex_match(line, kSample));
        samples += line.starts_with("#") ? 0 : 1;
    }
    EXPECT_GT(samples, 20);
    EXPECT_TRUE(text.ends_with("\n"));
    EXPECT_EQ(ValueAfter(text, R"(styrdok_http_requests_total{route="/a \"quoted\\\" route",)"
                               R"(method="GET",status="404"})"),
              "1");
    EXPECT_EQ(ValueAfter(text, R"(styrdok_http_requests_total{route="unmatched",method="other",)"
                               R"(status="405"})"),
              "1");
    EXPECT_EQ(ValueAfter(text, R"(styrdok_documents{state="ej i kraft än"})"), "2");
    EXPECT_EQ(ValueAfter(text, "styrdok_index_behind"), "0");
    EXPECT_EQ(ValueAfter(text, "styrdok_index_last_sync_timestamp_seconds"), "1796580800.5");
    EXPECT_EQ(ValueAfter(text, "styrdok_reminders_sent_total"), "3");
    EXPECT_EQ(ValueAfter(text, "styrdok_reminders_failed_total"), "1");
    // Each family is described once, before its samples.
    EXPECT_EQ(text.find("# TYPE styrdok_http_requests_total counter"),
              text.rfind("# TYPE styrdok_http_requests_total counter"));
    EXPECT_LT(text.find("# TYPE styrdok_http_requests_total"),
              text.find("styrdok_http_requests_total{"));
}

TEST_F(MetricsTest, CountsByPatternMethodAndStatus) {
    Metrics metrics(router_);
    for (int i = 0; i < 3; ++i) metrics.CountRequest(0, "GET", 200, milliseconds(1));
    metrics.CountRequest(0, "HEAD", 200, milliseconds(1));
    metrics.CountRequest(0, "PUT", 412, milliseconds(1));
    metrics.CountRequest(0, "GET", 304, milliseconds(1));
    const std::string text = metrics.Exposition({});
    const std::string prefix = R"(styrdok_http_requests_total{route="/api/documents/{id}",)";
    EXPECT_EQ(ValueAfter(text, prefix + R"(method="GET",status="200"})"), "3");
    EXPECT_EQ(ValueAfter(text, prefix + R"(method="HEAD",status="200"})"), "1");
    EXPECT_EQ(ValueAfter(text, prefix + R"(method="PUT",status="412"})"), "1");
    EXPECT_EQ(ValueAfter(text, prefix + R"(method="GET",status="304"})"), "1");
    EXPECT_EQ(ValueAfter(text, "styrdok_http_requests_uncounted_total"), "0");
    // Unread facts are reported as such, not as a registry at HEAD.
    EXPECT_EQ(ValueAfter(text, "styrdok_registry_readable"), "0");
    EXPECT_EQ(text.find("styrdok_index_behind "), std::string::npos);
}

TEST_F(MetricsTest, TheHistogramIsCumulativeWithSumAndCount) {
    Metrics metrics(router_);
    for (auto duration : {std::chrono::microseconds(500), std::chrono::microseconds(1000),
                          std::chrono::microseconds(7000), std::chrono::microseconds(30'000'000)}) {
        metrics.CountRequest(0, "GET", 200, duration);
    }
    const std::string text = metrics.Exposition({});
    const std::string bucket =
        R"(styrdok_http_request_duration_seconds_bucket{route="/api/documents/{id}",le=)";
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"0.001", "2"}, {"0.0025", "2"}, {"0.005", "2"}, {"0.01", "3"},
        {"5", "3"},     {"10", "3"},     {"+Inf", "4"},
    };
    for (const auto& [le, count] : expected) {
        SCOPED_TRACE(le);
        EXPECT_EQ(ValueAfter(text, bucket + "\"" + le + "\"}"), count);
    }
    const std::string route = R"({route="/api/documents/{id}"})";
    EXPECT_EQ(ValueAfter(text, "styrdok_http_request_duration_seconds_count" + route), "4");
    EXPECT_EQ(ValueAfter(text, "styrdok_http_request_duration_seconds_sum" + route), "30.0085");
    // A route never asked for has no series.
    EXPECT_EQ(text.find("quoted"), std::string::npos);
}

TEST_F(MetricsTest, CountsEveryRequestOfManyThreads) {
    Metrics metrics(router_);
    constexpr int kThreads = 4;
    constexpr int kEach = 20000;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&metrics, t] {
            for (int i = 0; i < kEach; ++i) {
                // Statuses that differ by thread and by request: the slots are claimed at once.
                metrics.CountRequest(static_cast<std::size_t>(i % 2), i % 2 ? "POST" : "GET",
                                     200 + (i + t) % 8, std::chrono::microseconds(i));
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    const std::string text = metrics.Exposition({});
    std::istringstream lines(text);
    long total = 0;
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("styrdok_http_requests_total{")) {
            total += std::stol(line.substr(line.rfind(' ') + 1));
        }
    }
    EXPECT_EQ(total, static_cast<long>(kThreads) * kEach);
    const std::string count = "styrdok_http_request_duration_seconds_count";
    EXPECT_EQ(ValueAfter(text, count + R"({route="/api/documents/{id}"})"),
              std::to_string(kThreads * kEach / 2));
}

}  // namespace
}  // namespace styrdok::server
