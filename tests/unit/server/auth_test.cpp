// Sessions, sign-in throttling and the rights table (server/src/auth), without a server.
#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "auth/gatekeeper.hpp"
#include "auth/sessions.hpp"
#include "auth/throttle.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/testing/sandbox.hpp"

namespace styrdok::server {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(Sessions, TokensAreLongRandomAndUrlSafe) {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        std::string token = RandomToken();
        EXPECT_EQ(token.size(), 43u);
        EXPECT_EQ(token.find_first_not_of(
                      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                  std::string::npos);
        EXPECT_TRUE(seen.insert(token).second);
    }
}

TEST(Sessions, EndAfterIdleTimeOrLongestTime) {
    SessionStore sessions(30s, 100s);
    const Clock::time_point start = Clock::now();
    const std::string token = sessions.Create("anna", start);
    std::optional<Session> session = sessions.Use(token, start + 20s);
    ASSERT_TRUE(session);
    EXPECT_EQ(session->user, "anna");
    EXPECT_FALSE(session->csrf.empty());
    EXPECT_NE(session->csrf, token);
    // Used every 20 s it lives on, until the longest time.
    for (auto at = start + 40s; at < start + 100s; at += 20s) {
        EXPECT_TRUE(sessions.Use(token, at)) << (at - start).count();
    }
    EXPECT_FALSE(sessions.Use(token, start + 100s));
    // Idle too long.
    const std::string other = sessions.Create("bertil", start);
    EXPECT_FALSE(sessions.Use(other, start + 31s));
    EXPECT_FALSE(sessions.Use(other, start + 32s));  // and it stays gone
}

TEST(Sessions, UnknownTokensAndSignedOutSessionsFindNothing) {
    SessionStore sessions(30s, 100s);
    const std::string token = sessions.Create("anna");
    EXPECT_FALSE(sessions.Use(""));
    EXPECT_FALSE(sessions.Use(token + "x"));
    EXPECT_FALSE(sessions.Use(RandomToken()));
    sessions.Remove(token);
    EXPECT_FALSE(sessions.Use(token));
    EXPECT_EQ(sessions.size(), 0u);
}

TEST(Throttle, WaitsGrowAfterTheFreeAttemptsAndASuccessClears) {
    SignInThrottle throttle(3, 10s, 15min);
    const Clock::time_point t = Clock::now();
    for (int i = 0; i < 2; ++i) {
        throttle.Failed("anna", t);
        EXPECT_FALSE(throttle.Wait("anna", t));
    }
    throttle.Failed("anna", t);
    EXPECT_EQ(throttle.Wait("anna", t), 10s);
    EXPECT_FALSE(throttle.Wait("anna", t + 10s));
    throttle.Failed("anna", t + 10s);
    EXPECT_EQ(throttle.Wait("anna", t + 10s), 20s);
    throttle.Failed("anna", t + 30s);
    EXPECT_EQ(throttle.Wait("anna", t + 30s), 40s);
    EXPECT_FALSE(throttle.Wait("bertil", t + 30s));  // keys are apart
    throttle.Succeeded("anna");
    EXPECT_FALSE(throttle.Wait("anna", t + 31s));
}

TEST(Throttle, WaitsNeverExceedTheWindowAndOldFailuresAreForgotten) {
    SignInThrottle throttle(1, 60s, 15min);
    const Clock::time_point t = Clock::now();
    for (int i = 0; i < 40; ++i) throttle.Failed("anna", t);
    EXPECT_LE(*throttle.Wait("anna", t), std::chrono::seconds(15min));
    SignInThrottle forgetting(2, 60s, 15min);
    forgetting.Failed("anna", t);
    forgetting.Failed("anna", t + 16min);  // the first failure is out of the window
    EXPECT_FALSE(forgetting.Wait("anna", t + 16min));
}

TEST(Cookies, ValueIsFoundAmongOthers) {
    EXPECT_EQ(CookieValue("styrdok_session=abc", "styrdok_session"), "abc");
    EXPECT_EQ(CookieValue("a=1; styrdok_session=abc; b=2", "styrdok_session"), "abc");
    EXPECT_EQ(CookieValue("xstyrdok_session=abc", "styrdok_session"), "");
    EXPECT_EQ(CookieValue("styrdok_sessionx=abc", "styrdok_session"), "");
    EXPECT_EQ(CookieValue("", "styrdok_session"), "");
}

}  // namespace
}  // namespace styrdok::server
