// Sessions, sign-in throttling, the gatekeeper and the rights table (server/src/auth),
// without a server.
#include <Poco/Base64Encoder.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "auth/gatekeeper.hpp"
#include "auth/local_target.hpp"
#include "auth/lru_map.hpp"
#include "auth/sessions.hpp"
#include "auth/throttle.hpp"
#include "auth/user_directory.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/server/users.hpp"
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
    const std::string token = sessions.Create("anna", "stamp", start);
    std::optional<Session> session = sessions.Use(token, start + 20s);
    ASSERT_TRUE(session);
    EXPECT_EQ(session->user, "anna");
    EXPECT_EQ(session->account_stamp, "stamp");
    EXPECT_FALSE(session->csrf.empty());
    EXPECT_NE(session->csrf, token);
    // Used every 20 s it lives on, until the longest time.
    for (auto at = start + 40s; at < start + 100s; at += 20s) {
        EXPECT_TRUE(sessions.Use(token, at)) << (at - start).count();
    }
    EXPECT_FALSE(sessions.Use(token, start + 100s));
    // Idle too long.
    const std::string other = sessions.Create("bertil", "stamp", start);
    EXPECT_FALSE(sessions.Use(other, start + 31s));
    EXPECT_FALSE(sessions.Use(other, start + 32s));  // and it stays gone
}

TEST(Sessions, UnknownTokensAndSignedOutSessionsFindNothing) {
    SessionStore sessions(30s, 100s);
    const std::string token = sessions.Create("anna", "stamp");
    EXPECT_FALSE(sessions.Use(""));
    EXPECT_FALSE(sessions.Use(token + "x"));
    EXPECT_FALSE(sessions.Use(RandomToken()));
    sessions.Remove(token);
    EXPECT_FALSE(sessions.Use(token));
    EXPECT_EQ(sessions.size(), 0u);
}

TEST(Sessions, OneAccountKeepsAtMostItsShareAndTheStoreItsCapacity) {
    SessionStore sessions(30min, 8h, /*per_account=*/3, /*capacity=*/5);
    const Clock::time_point t = Clock::now();
    std::vector<std::string> anna;
    for (int i = 0; i < 3; ++i) anna.push_back(sessions.Create("anna", "s", t + i * 1s));
    EXPECT_TRUE(sessions.Use(anna[0], t + 10s));  // now anna[1] is her least recently used
    anna.push_back(sessions.Create("anna", "s", t + 11s));
    EXPECT_FALSE(sessions.Use(anna[1], t + 12s));
    for (std::size_t i : {0u, 2u, 3u}) EXPECT_TRUE(sessions.Use(anna[i], t + 12s)) << i;
    // Others sign in: the store stays at its capacity, ending the least recently used.
    const std::string bertil = sessions.Create("bertil", "s", t + 13s);
    const std::string cecilia = sessions.Create("cecilia", "s", t + 14s);
    const std::string david = sessions.Create("david", "s", t + 15s);
    EXPECT_EQ(sessions.size(), 5u);
    EXPECT_FALSE(sessions.Use(anna[0], t + 16s));
    EXPECT_TRUE(sessions.Use(david, t + 16s));
    EXPECT_TRUE(sessions.Use(bertil, t + 16s));
    EXPECT_TRUE(sessions.Use(cecilia, t + 16s));
}

TEST(LruMap, MakingRoomEvictsTheEntryUsedLongestAgo) {
    LruMap<int> map(3);
    map.Use("a") = 1;
    map.Use("b") = 2;
    map.Use("c") = 3;
    EXPECT_EQ(*map.Find("a"), 1);  // looking is not using
    map.Use("a");                  // using is
    map.Use("d") = 4;
    EXPECT_EQ(map.size(), 3u);
    EXPECT_EQ(map.Find("b"), nullptr);
    EXPECT_EQ(*map.Find("a"), 1);
    EXPECT_EQ(*map.Find("c"), 3);
    EXPECT_EQ(*map.Find("d"), 4);
    map.Use("e") = 5;  // c is the oldest now
    EXPECT_EQ(map.Find("c"), nullptr);
}

TEST(LruMap, ErasesByKeyByPredicateAndTheOldestMatch) {
    LruMap<int> map(10);
    for (int i = 0; i < 6; ++i) map.Use(std::to_string(i)) = i;
    map.Erase("0");
    map.Erase("nothing");
    EXPECT_EQ(map.size(), 5u);
    map.EraseIf([](const std::string&, int value) { return value == 5; });
    EXPECT_EQ(map.Find("5"), nullptr);
    EXPECT_EQ(map.CountIf([](const std::string&, int value) { return value % 2 == 0; }), 2u);
    EXPECT_TRUE(map.EraseOldestIf([](const std::string&, int value) { return value % 2 == 0; }));
    EXPECT_EQ(map.Find("2"), nullptr);  // 2 was used before 4
    EXPECT_NE(map.Find("4"), nullptr);
    EXPECT_FALSE(map.EraseOldestIf([](const std::string&, int value) { return value > 100; }));
    EXPECT_EQ(map.size(), 3u);
    // A key erased and used again is a new entry, found by its key.
    map.Use("2") = 22;
    EXPECT_EQ(*map.Find("2"), 22);
}

TEST(Throttle, KeepsAtMostItsCapacityEvictingTheOldestFailure) {
    SignInThrottle throttle(1, 60s, 15min, /*capacity=*/100);
    const Clock::time_point t = Clock::now();
    throttle.Failed("anna", t);
    for (int i = 0; i < 99; ++i) throttle.Failed("gissning" + std::to_string(i), t + 1s);
    EXPECT_TRUE(throttle.Wait("anna", t + 2s));
    EXPECT_EQ(throttle.size(), 100u);
    for (int i = 99; i < 1000; ++i) throttle.Failed("gissning" + std::to_string(i), t + 2s);
    EXPECT_EQ(throttle.size(), 100u);
    // Evicting anna's record took 900 failures, each a password check for its sender.
    EXPECT_FALSE(throttle.Wait("anna", t + 2s));
    EXPECT_TRUE(throttle.Wait("gissning999", t + 2s));
}

TEST(HashSlots, NoMoreThanTheirCountRunAtOnce) {
    HashSlots slots(2, 5s);
    std::atomic<int> running = 0;
    std::atomic<int> most = 0;
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&] {
            std::optional<HashSlots::Slot> slot = slots.Take();
            ASSERT_TRUE(slot);
            const int now = ++running;
            int seen = most.load();
            while (now > seen && !most.compare_exchange_weak(seen, now)) {
            }
            std::this_thread::sleep_for(20ms);
            --running;
        });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(most.load(), 2);
}

TEST(HashSlots, WithoutAFreeSlotTheCallerIsRefusedAfterTheWait) {
    HashSlots slots(1, 50ms);
    std::optional<HashSlots::Slot> held = slots.Take();
    ASSERT_TRUE(held);
    const auto start = Clock::now();
    EXPECT_FALSE(slots.Take());
    EXPECT_GE(Clock::now() - start, 50ms);
    EXPECT_GE(slots.RetryAfter(), 1s);
    held.reset();
    EXPECT_TRUE(slots.Take());
    EXPECT_GE(HashSlots::DefaultCount(), 1);
    EXPECT_LE(HashSlots::DefaultCount(), 4);
}

TEST(LocalTarget, OnlyAPathOfThisSite) {
    struct Case {
        std::string next;
        std::string target;
    };
    const std::vector<Case> cases = {
        {"/", "/"},
        {"/granskning", "/granskning"},
        {"/documents/a?at=2024-01-01#x", "/documents/a?at=2024-01-01#x"},
        {"/s%C3%B6k?q=a%20b", "/s%C3%B6k?q=a%20b"},
        {"/100%", "/100%"},
        {"", "/"},
        {"granskning", "/"},
        {"https://elak.example/", "/"},
        {"javascript:alert(1)", "/"},
        {"//elak.example", "/"},
        {"///elak.example", "/"},
        {"/\\elak.example", "/"},
        {"\\/elak.example", "/"},
        {"/a\\b", "/"},
        {"/\t/elak.example", "/"},
        {"/\r/elak.example", "/"},
        {"/\n/elak.example", "/"},
        {"\t//elak.example", "/"},
        {" //elak.example", "/"},
        {"/%09/elak.example", "/"},
        {"/%0d%0aSet-Cookie:%20a=b", "/"},
        {"/x\r\nSet-Cookie: a=b", "/"},
        {"/%2F/elak.example", "/"},
        {"/%2f/elak.example", "/"},
        {"/%5Celak.example", "/"},
        {"/%252F/elak.example", "/"},
        {"/%25252F/elak.example", "/"},
        {"/%00", "/"},
        {std::string("/a\0b", 4), "/"},
        {"/\x7f", "/"},
        {"/" + std::string(1998, 'a'), "/" + std::string(1998, 'a')},
        {"/" + std::string(1999, 'a'), "/"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.next);
        EXPECT_EQ(LocalTarget(c.next), c.target);
    }
}

TEST(FromOwnSite, TheBrowsersWordOnWhereAnUnsafeRequestComesFrom) {
    struct Case {
        std::map<std::string, std::string, std::less<>> headers;
        bool own;
    };
    const std::string host = "styrdok.exempelby.se";
    const std::vector<Case> cases = {
        {{}, true},  // not a browser, or one too old to say: the token decides
        {{{"sec-fetch-site", "same-origin"}}, true},
        {{{"sec-fetch-site", "none"}}, true},
        {{{"sec-fetch-site", "same-site"}}, false},
        {{{"sec-fetch-site", "cross-site"}}, false},
        {{{"sec-fetch-site", "cross-site"}, {"origin", "https://" + host}}, false},
        {{{"origin", "https://" + host}}, true},
        {{{"origin", "https://STYRDOK.exempelby.se"}}, true},
        {{{"origin", "https://elak.example"}}, false},
        {{{"origin", "https://" + host + ".elak.example"}}, false},
        {{{"origin", "https://" + host + ":8443"}}, false},
        {{{"origin", "null"}}, false},
        {{{"origin", "https://" + host + "/"}}, false},
        {{{"origin", "https://"}}, false},
        // Behind a proxy that names us differently, the name the browser used.
        {{{"origin", "https://" + host}, {"host", "127.0.0.1:8080"}, {"x-forwarded-host", host}},
         true},
        {{{"origin", "https://elak.example"},
          {"host", "127.0.0.1:8080"},
          {"x-forwarded-host", host}},
         false},
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        SCOPED_TRACE(i);
        Request request;
        request.method = "POST";
        request.headers = {{"host", host}};
        for (const auto& [name, value] : cases[i].headers) request.headers[name] = value;
        EXPECT_EQ(FromOwnSite(request), cases[i].own);
    }
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

// --- the gatekeeper, with accounts in a users.xml ---------------------------------------------

// The code of the Error `action` throws; nullopt when it throws nothing.
std::optional<ErrorCode> Refusal(const std::function<void()>& action) {
    try {
        action();
    } catch (const Error& error) {
        return error.code();
    }
    return std::nullopt;
}

class GatekeeperTest : public ::testing::Test {
protected:
    static constexpr const char* kPassword = "rätt lösenord";

    // Hashing takes a while on purpose: the accounts are made once for the suite.
    static void SetUpTestSuite() { hash_ = new std::string(HashPassword(kPassword)); }
    static void TearDownTestSuite() {
        delete hash_;
        hash_ = nullptr;
    }

    GatekeeperTest() {
        UserFile users = UserFile::Load(file_);
        users.Add({"anna", Role::kOwner, "anna@exempelby.se", *hash_, {}});
        users.Add({"bertil", Role::kReader, "", *hash_, {}});
        users.Save();
        directory_ = std::make_unique<UserDirectory>(file_, 0ms);  // every change at once
    }

    std::unique_ptr<Gatekeeper> Make(GatekeeperConfig config = {}) {
        return std::make_unique<Gatekeeper>(*directory_, std::move(config));
    }

    void Change(const std::function<void(UserFile&)>& change) {
        UserFile users = UserFile::Load(file_);
        change(users);
        users.Save();
    }

    static Request MakeRequest(std::string method, std::vector<std::string> segments,
                               std::map<std::string, std::string, std::less<>> headers = {}) {
        Request request;
        request.method = std::move(method);
        request.segments = std::move(segments);
        request.headers = std::move(headers);
        request.client_address = "10.0.0.1";
        return request;
    }

    static std::string Basic(const std::string& name, const std::string& password) {
        std::ostringstream encoded;
        Poco::Base64Encoder encoder(encoded);
        encoder.rdbuf()->setLineLength(0);
        encoder << name << ':' << password;
        encoder.close();
        return "Basic " + encoded.str();
    }

    static std::string Cookie(const std::string& token) {
        return std::string(Gatekeeper::kCookie) + "=" + token;
    }

    // Who the gatekeeper finds in a GET with `cookie`: the name, or "" for nobody.
    static std::string Who(Gatekeeper& gatekeeper, const std::string& token) {
        Request request = MakeRequest("GET", {}, {{"cookie", Cookie(token)}});
        gatekeeper.Admit(request);
        return request.identity.user ? request.identity.user->name : "";
    }

    static inline std::string* hash_ = nullptr;
    testing::Sandbox sandbox_;
    std::filesystem::path file_ = sandbox_ / "users.xml";
    std::unique_ptr<UserDirectory> directory_;
};

TEST_F(GatekeeperTest, ASessionEndsWhenItsAccountsPasswordOrRoleChangesOrItIsRemoved) {
    auto gatekeeper = Make();
    const std::string anna = gatekeeper->SignIn("anna", kPassword, "10.0.0.1");
    const std::string bertil = gatekeeper->SignIn("bertil", kPassword, "10.0.0.1");
    const std::string again = gatekeeper->SignIn("bertil", kPassword, "10.0.0.2");
    EXPECT_EQ(Who(*gatekeeper, anna), "anna");
    EXPECT_EQ(Who(*gatekeeper, bertil), "bertil");

    // The same password hashed again is a new hash: the session ends as for a new password.
    Change([](UserFile& users) { users.SetPasswordHash("anna", HashPassword(kPassword)); });
    EXPECT_EQ(Who(*gatekeeper, anna), "");
    EXPECT_EQ(Who(*gatekeeper, anna), "");  // and stays ended
    EXPECT_EQ(Who(*gatekeeper, bertil), "bertil");

    Change([](UserFile& users) {
        User bertil = *users.Find("bertil");
        users.Remove("bertil");
        bertil.role = Role::kAdmin;
        users.Add(bertil);
    });
    EXPECT_EQ(Who(*gatekeeper, bertil), "");
    const std::string promoted = gatekeeper->SignIn("bertil", kPassword, "10.0.0.1");
    EXPECT_EQ(Who(*gatekeeper, promoted), "bertil");

    Change([](UserFile& users) { users.Remove("bertil"); });
    EXPECT_EQ(Who(*gatekeeper, promoted), "");
    EXPECT_EQ(Who(*gatekeeper, again), "");
}

TEST_F(GatekeeperTest, AnAccountOrAddressThatMustWaitIsRefusedBeforeAnyPasswordCheck) {
    GatekeeperConfig config;
    config.sign_in_attempts = 2;
    auto gatekeeper = Make(config);
    for (int i = 0; i < 2; ++i) {
        EXPECT_EQ(Refusal([&] { gatekeeper->SignIn("anna", "fel", "10.0.0.1"); }),
                  ErrorCode::kUnauthorized);
    }
    const auto one_check_start = Clock::now();
    VerifyPassword(*hash_, "fel");
    const auto one_check = Clock::now() - one_check_start;
    // Twenty refusals take less time than one password check: none of them made one.
    const auto start = Clock::now();
    for (int i = 0; i < 20; ++i) {
        try {
            Request request = MakeRequest("GET", {"api", "search"},
                                          {{"authorization", Basic("anna", kPassword)}});
            gatekeeper->Admit(request);
            ADD_FAILURE() << "admitted";
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), ErrorCode::kTooManyRequests);
            EXPECT_GE(error.retry_after(), 1s);
        }
    }
    EXPECT_LT(Clock::now() - start, one_check);
    // Another account from another address is not held up.
    EXPECT_FALSE(gatekeeper->SignIn("bertil", kPassword, "10.0.0.2").empty());
}

TEST_F(GatekeeperTest, WithoutAFreeSlotAPasswordCheckIsRefusedWith503) {
    GatekeeperConfig config;
    config.hash_slots = 1;
    config.hash_slot_wait = 1ms;
    auto gatekeeper = Make(config);
    std::mutex mutex;
    std::map<ErrorCode, int> codes;
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&, i] {
            // Unknown names are checked against a decoy, in a slot like any other.
            const std::string name = i % 2 == 0 ? "anna" : "okand" + std::to_string(i);
            try {
                gatekeeper->SignIn(name, "fel", "10.0.0." + std::to_string(i));
                ADD_FAILURE() << "signed in with a wrong password";
            } catch (const Error& error) {
                std::lock_guard lock(mutex);
                ++codes[error.code()];
                if (error.code() == ErrorCode::kUnavailable) {
                    EXPECT_GE(error.retry_after(), 1s);
                }
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_GE(codes[ErrorCode::kUnauthorized], 1);
    EXPECT_GE(codes[ErrorCode::kUnavailable], 1);
    EXPECT_EQ(codes[ErrorCode::kUnauthorized] + codes[ErrorCode::kUnavailable], 8);
}

TEST_F(GatekeeperTest, ANameNoAccountCanHaveIsRefusedUnchecked) {
    auto gatekeeper = Make();
    const std::string name(5000, 'x');
    Request request = MakeRequest("GET", {"api"}, {{"authorization", Basic(name, kPassword)}});
    EXPECT_EQ(Refusal([&] { gatekeeper->Admit(request); }), ErrorCode::kUnauthorized);
    EXPECT_EQ(Refusal([&] { gatekeeper->SignIn("anna bertil", kPassword, "10.0.0.1"); }),
              ErrorCode::kUnauthorized);
}

TEST_F(GatekeeperTest, EveryFormNeedsItsTokenWhateverTheSignIn) {
    auto gatekeeper = Make();
    const std::string basic = Basic("anna", kPassword);
    Request page = MakeRequest("GET", {"nytt"}, {{"authorization", basic}});
    gatekeeper->Admit(page);
    const std::string basic_token = page.identity.csrf;
    ASSERT_FALSE(basic_token.empty());

    const std::string session = gatekeeper->SignIn("anna", kPassword, "10.0.0.1");
    Request session_page = MakeRequest("GET", {}, {{"cookie", Cookie(session)}});
    gatekeeper->Admit(session_page);
    const std::string session_token = session_page.identity.csrf;
    ASSERT_FALSE(session_token.empty());
    EXPECT_NE(session_token, basic_token);

    struct Case {
        std::string what;
        std::vector<std::string> segments;
        std::map<std::string, std::string, std::less<>> headers;
        std::string csrf;
        bool admitted;
    };
    const std::vector<Case> cases = {
        {"basic form, no token", {"nytt"}, {{"authorization", basic}}, "", false},
        {"basic form, wrong token", {"nytt"}, {{"authorization", basic}}, "x" + basic_token, false},
        {"basic form, session's token", {"nytt"}, {{"authorization", basic}}, session_token, false},
        {"basic form, its token", {"nytt"}, {{"authorization", basic}}, basic_token, true},
        {"basic sign-out, its token", {"logga-ut"}, {{"authorization", basic}}, basic_token, true},
        {"basic JSON write, no token", {"api", "documents"}, {{"authorization", basic}}, "", true},
        {"session form, no token", {"nytt"}, {{"cookie", Cookie(session)}}, "", false},
        {"session form, its token", {"nytt"}, {{"cookie", Cookie(session)}}, session_token, true},
        {"session JSON write, no token",
         {"api", "documents"},
         {{"cookie", Cookie(session)}},
         "",
         false},
        {"basic form from another site",
         {"nytt"},
         {{"authorization", basic}, {"sec-fetch-site", "cross-site"}},
         basic_token,
         false},
        {"nobody's sign-in from another site",
         {"logga-in"},
         {{"origin", "https://elak.example"}, {"host", "styrdok.exempelby.se"}},
         "",
         false},
        {"nobody's sign-in from this site",
         {"logga-in"},
         {{"origin", "https://styrdok.exempelby.se"}, {"host", "styrdok.exempelby.se"}},
         "",
         true},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        Request request = MakeRequest("POST", c.segments, c.headers);
        if (!c.csrf.empty()) request.form.emplace_back("csrf", c.csrf);
        const std::optional<ErrorCode> refusal = Refusal([&] { gatekeeper->Admit(request); });
        if (c.admitted) {
            EXPECT_FALSE(refusal) << static_cast<int>(*refusal);
        } else {
            EXPECT_EQ(refusal, ErrorCode::kForbidden);
        }
    }
    // A forged request is refused before its password is looked at: wrong or right, 403.
    Request forged =
        MakeRequest("POST", {"nytt"},
                    {{"authorization", Basic("anna", "fel")}, {"sec-fetch-site", "cross-site"}});
    EXPECT_EQ(Refusal([&] { gatekeeper->Admit(forged); }), ErrorCode::kForbidden);
}

TEST_F(GatekeeperTest, AProxysUserIsItsAccountOrAReaderRaisedByItsGroupsNeverLowered) {
    GatekeeperConfig config;
    config.trusted_user_header = "X-Remote-User";
    config.trusted_groups_header = "X-Remote-Groups";
    config.groups = {{"GRP-Registratorer", Role::kClerk, {}, 1},
                     {"GRP-Socialnamnden", Role::kOwner, {"sn"}, 2},
                     {"GRP-Byggnadsnamnden", Role::kOwner, {"bun", "sn"}, 3},
                     {"GRP-Alla", Role::kReader, {}, 4}};
    auto readers = Make(config);
    config.unknown_users = UnknownUsers::kRefuse;
    auto refusing = Make(config);
    struct Case {
        std::string what;
        Gatekeeper* gatekeeper;
        std::string name;
        std::string groups;
        bool via_proxy;
        std::optional<ErrorCode> refused;
        std::string user;  // "" for nobody
        Role role;
        std::vector<std::string> bodies;
    };
    const std::vector<Case> cases = {
        {"an account", readers.get(), "anna", "", true, {}, "anna", Role::kOwner, {}},
        {"an account raised",
         readers.get(),
         "anna",
         "GRP-Registratorer",
         true,
         {},
         "anna",
         Role::kClerk,
         {}},
        {"an account never lowered",
         readers.get(),
         "anna",
         "GRP-Alla",
         true,
         {},
         "anna",
         Role::kOwner,
         {}},
        {"bodies unioned",
         readers.get(),
         "anna",
         "GRP-Socialnamnden; GRP-Byggnadsnamnden,x",
         true,
         {},
         "anna",
         Role::kOwner,
         {"sn", "bun"}},
        {"names compared exactly",
         readers.get(),
         "bertil",
         "grp-registratorer, GRP-Registratorer-2, GRP-Registratorer.",
         true,
         {},
         "bertil",
         Role::kReader,
         {}},
        {"an unknown name reads", readers.get(), "okand", "", true, {}, "okand", Role::kReader, {}},
        {"an unknown name with groups",
         readers.get(),
         "okand",
         "GRP-Okand;GRP-Socialnamnden;GRP-Registratorer",
         true,
         {},
         "okand",
         Role::kClerk,
         {"sn"}},
        {"a name no account can have",
         readers.get(),
         "Åsa Öberg",
         "",
         true,
         ErrorCode::kForbidden,
         "",
         Role::kReader,
         {}},
        {"not through a trusted proxy",
         readers.get(),
         "anna",
         "GRP-Registratorer",
         false,
         {},
         "",
         Role::kReader,
         {}},
        {"refused: an unknown name",
         refusing.get(),
         "okand",
         "GRP-Okand",
         true,
         ErrorCode::kForbidden,
         "",
         Role::kReader,
         {}},
        {"refused unless a group maps",
         refusing.get(),
         "okand",
         "GRP-Alla",
         true,
         {},
         "okand",
         Role::kReader,
         {}},
        {"refused: an account is its account",
         refusing.get(),
         "bertil",
         "",
         true,
         {},
         "bertil",
         Role::kReader,
         {}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        Request request =
            MakeRequest("GET", {}, {{"x-remote-user", c.name}, {"x-remote-groups", c.groups}});
        request.via_trusted_proxy = c.via_proxy;
        EXPECT_EQ(Refusal([&] { c.gatekeeper->Admit(request); }), c.refused);
        if (c.refused) continue;
        if (c.user.empty()) {
            EXPECT_FALSE(request.identity.user);
            continue;
        }
        ASSERT_TRUE(request.identity.user);
        EXPECT_EQ(request.identity.source, Identity::Source::kProxy);
        EXPECT_EQ(request.identity.user->name, c.user);
        EXPECT_EQ(request.identity.user->role, c.role);
        EXPECT_EQ(request.identity.user->bodies, c.bodies);
        EXPECT_FALSE(request.identity.csrf.empty());
    }
    // Nobody the proxy vouched for was written into users.xml.
    EXPECT_FALSE(directory_->Find("okand"));
}

TEST(GrantOf, TheHighestRoleAndEveryBodyOfTheMappedGroups) {
    const std::vector<GroupGrant> groups = {{"A", Role::kOwner, {"sn"}, 1},
                                            {"B", Role::kClerk, {}, 2},
                                            {"C", Role::kOwner, {"bun", "sn"}, 3}};
    EXPECT_FALSE(GrantOf(groups, ""));
    EXPECT_FALSE(GrantOf(groups, " ; , a, b"));
    EXPECT_FALSE(GrantOf({}, "A"));
    const std::optional<GroupsGrant> grant = GrantOf(groups, "C;A , X");
    ASSERT_TRUE(grant);
    EXPECT_EQ(grant->role, Role::kOwner);
    EXPECT_EQ(grant->bodies, (std::vector<std::string>{"bun", "sn"}));
    EXPECT_EQ(GrantOf(groups, "A,B")->role, Role::kClerk);
}

}  // namespace
}  // namespace styrdok::server
