// Sessions, sign-in throttling and the rights table (server/src/auth), without a server.
#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "auth/access.hpp"
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

core::Metadata Document(std::string owner_email, std::string owner_body,
                        core::Status status = core::Status::kInForce,
                        std::optional<bool> is_public = std::nullopt) {
    core::Metadata m;
    m.id = "dokument";
    m.doctype = "policy";
    m.owner_email = std::move(owner_email);
    m.owner_body = std::move(owner_body);
    m.status = status;
    m.is_public = is_public;
    return m;
}

User Account(Role role, std::string email, std::vector<std::string> bodies = {}) {
    return User{"konto", role, std::move(email), "", std::move(bodies)};
}

TEST(Access, OwnershipIsByEmailWithoutCaseOrByBody) {
    const core::Metadata hr = Document("HR-chef@Exempelby.se", "ks");
    EXPECT_TRUE(Owns(Account(Role::kOwner, "hr-chef@exempelby.se"), hr));
    EXPECT_TRUE(Owns(Account(Role::kOwner, "annan@exempelby.se", {"bun", "ks"}), hr));
    EXPECT_FALSE(Owns(Account(Role::kOwner, "annan@exempelby.se", {"bun"}), hr));
    EXPECT_FALSE(Owns(Account(Role::kOwner, ""), Document("", "")));
}

TEST(Access, WhoSeesWhat) {
    const core::Schema schema = core::Schema::Load(testing::SourceDir() / "schema/default.xml");
    const core::Metadata open = Document("hr@x.se", "ks");
    const core::Metadata closed = Document("hr@x.se", "ks", core::Status::kInForce, false);
    const core::Metadata draft = Document("hr@x.se", "ks", core::Status::kDraft);
    const std::optional<User> nobody;
    EXPECT_TRUE(MaySee(nobody, open, schema));
    EXPECT_FALSE(MaySee(nobody, closed, schema));
    EXPECT_FALSE(MaySee(nobody, draft, schema));
    const std::optional<User> reader = Account(Role::kReader, "hr@x.se");
    EXPECT_TRUE(MaySee(reader, closed, schema));
    EXPECT_FALSE(MaySee(reader, draft, schema));
    EXPECT_TRUE(MaySee(Account(Role::kOwner, "hr@x.se"), draft, schema));
    EXPECT_FALSE(MaySee(Account(Role::kOwner, "annan@x.se"), draft, schema));
    EXPECT_TRUE(MaySee(Account(Role::kClerk, "c@x.se"), draft, schema));
    EXPECT_TRUE(MaySee(Account(Role::kAdmin, "a@x.se"), draft, schema));
    EXPECT_FALSE(MaySearchNonPublic(nobody));
    EXPECT_TRUE(MaySearchNonPublic(reader));
    EXPECT_FALSE(MaySearchEverything(reader));
    EXPECT_TRUE(MaySearchEverything(Account(Role::kClerk, "c@x.se")));
}

TEST(Access, WhoChangesWhat) {
    const core::Metadata hr = Document("hr@x.se", "ks");
    const core::Metadata taken = Document("annan@x.se", "ks");
    struct Case {
        User user;
        std::optional<core::Metadata> before;
        core::Metadata after;
        bool text_changed;
        bool allowed;
    };
    const std::vector<Case> cases = {
        {Account(Role::kReader, "hr@x.se"), hr, hr, false, false},
        {Account(Role::kOwner, "hr@x.se"), hr, hr, true, true},
        {Account(Role::kOwner, "hr@x.se"), hr, taken, false, true},      // hands it over
        {Account(Role::kOwner, "annan@x.se"), hr, taken, false, false},  // takes it over
        {Account(Role::kOwner, "hr@x.se"), std::nullopt, hr, true, true},
        {Account(Role::kOwner, "hr@x.se"), std::nullopt, taken, true, false},
        {Account(Role::kClerk, "c@x.se"), hr, hr, false, true},
        {Account(Role::kClerk, "c@x.se"), hr, hr, true, false},
        {Account(Role::kClerk, "hr@x.se"), hr, hr, true, true},  // a clerk who owns it
        {Account(Role::kClerk, "c@x.se"), std::nullopt, hr, true, true},
        {Account(Role::kAdmin, "a@x.se"), hr, taken, true, true},
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const Case& c = cases[i];
        std::optional<std::string_view> why =
            WhyNotAllowed(c.user, c.before, c.after, c.text_changed);
        EXPECT_EQ(!why.has_value(), c.allowed) << "case " << i;
        if (why) {
            EXPECT_FALSE(why->empty());
        }
    }
}

}  // namespace
}  // namespace styrdok::server
