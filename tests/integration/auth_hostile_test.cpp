// Signing in against someone who means harm (issue 15): floods of wrong passwords, sessions
// that must end, forms posted from another site, redirects to another site, files that hold
// secrets. The real styrdok binary on a registry of its own.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "registry_support.hpp"
#include "styrdok/testing/sandbox.hpp"
#include "styrdok/testing/server_process.hpp"

namespace styrdok {
namespace {

using testing::AddUser;
using testing::BasicAuth;
using testing::CsrfOf;
using testing::HttpRequest;
using testing::HttpResponse;
using testing::PostForm;
using testing::Sandbox;
using testing::ServerProcess;
using testing::SignedIn;
using testing::SignIn;
using testing::Styrdok;

using Headers = std::map<std::string, std::string>;

constexpr const char* kPassword = "rätt-lösenord-1";

// An empty registry (no documents: what is measured is the sign-in, not the corpus) with the
// accounts `names`, all owners with kPassword.
struct Registry {
    Sandbox sandbox;
    std::filesystem::path data = sandbox / "registry";

    explicit Registry(const std::vector<std::string>& names = {"anna"}) {
        Styrdok(data, "init");
        for (const std::string& name : names) {
            AddUser(data, name, "owner", name + "@exempelby.se", kPassword);
        }
    }
};

bool SignedInAs(std::uint16_t port, const std::string& cookie, const std::string& name) {
    return HttpRequest(port, "GET", "/", {{"Cookie", cookie}}).body.find("Inloggad som " + name) !=
           std::string::npos;
}

// users.xml is read again when it changes, looked at once a second: a change shows within
// a few seconds.
bool SignedOutWithin(std::uint16_t port, const std::string& cookie, const std::string& name) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
        if (!SignedInAs(port, cookie, name)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

TEST(HostileSignIn, ManyWrongPasswordsAtOnceAreAllAnsweredInBoundedMemory) {
    // Each password check takes 64 MiB (Argon2id): 128 at once were 8 GiB before they were
    // bounded; now a few run at a time and the rest are refused before hashing.
    Registry registry;
    ServerProcess server(STYRDOK_BINARY, registry.data);
    constexpr int kEach = 64;
    std::mutex mutex;
    std::map<int, int> statuses;
    std::vector<std::string> problems;
    std::vector<std::thread> clients;
    for (int i = 0; i < 2 * kEach; ++i) {
        clients.emplace_back([&, i] {
            // Half name the account, half names nobody has: both cost the server the same.
            const std::string name = i % 2 == 0 ? "anna" : "okand" + std::to_string(i);
            const std::string password = "fel-lösenord-" + std::to_string(i);
            HttpResponse response;
            try {
                response = i < kEach ? HttpRequest(server.port(), "GET", "/api/search?q=policy",
                                                   BasicAuth(name, password))
                                     : PostForm(server.port(), "/logga-in",
                                                {{"name", name}, {"password", password}});
            } catch (const std::exception& error) {
                std::lock_guard lock(mutex);
                problems.push_back(std::string("no answer: ") + error.what());
                return;
            }
            std::lock_guard lock(mutex);
            ++statuses[response.status];
            if (response.status != 401 && response.status != 429 && response.status != 503) {
                problems.push_back("status " + std::to_string(response.status));
            }
            if ((response.status == 429 || response.status == 503) &&
                std::atoi(response.Header("retry-after").c_str()) < 1) {
                problems.push_back(std::to_string(response.status) + " without Retry-After");
            }
        });
    }
    for (std::thread& client : clients) client.join();
    const std::size_t peak = server.PeakResidentBytes();
    std::ostringstream seen;
    for (const auto& [status, count] : statuses) seen << status << ": " << count << " ";
    SCOPED_TRACE(seen.str());
    EXPECT_TRUE(problems.empty()) << problems.front();
    EXPECT_LT(peak, 768u << 20) << "peak RSS " << (peak >> 20) << " MiB";
    // Some were checked and refused, the rest turned away unhashed.
    EXPECT_GT(statuses[401], 0);
    EXPECT_GT(statuses[429] + statuses[503], 0);
    // The server is still there for everyone else.
    EXPECT_EQ(HttpRequest(server.port(), "GET", "/").status, 200);
}

TEST(HostileSignIn, ASessionEndsWhenItsAccountsPasswordOrRoleChangesOrItIsRemoved) {
    Registry registry({"anna", "bertil", "cecilia", "david"});
    ServerProcess server(STYRDOK_BINARY, registry.data);
    std::map<std::string, SignedIn> sessions;
    for (const char* name : {"anna", "bertil", "cecilia", "david"}) {
        std::optional<SignedIn> session = SignIn(server.port(), name, kPassword);
        ASSERT_TRUE(session) << name;
        ASSERT_TRUE(SignedInAs(server.port(), session->cookie, name));
        sessions[name] = *session;
    }
    // Basic credentials that verified are remembered for a while: not past the change.
    EXPECT_EQ(
        HttpRequest(server.port(), "GET", "/api/search?q=x", BasicAuth("anna", kPassword)).status,
        200);

    Styrdok(registry.data, "user passwd anna", "ett-nytt-lösenord\n");
    EXPECT_TRUE(SignedOutWithin(server.port(), sessions["anna"].cookie, "anna"));
    EXPECT_EQ(
        HttpRequest(server.port(), "GET", "/api/search?q=x", BasicAuth("anna", kPassword)).status,
        401);
    EXPECT_TRUE(SignIn(server.port(), "anna", "ett-nytt-lösenord"));

    Styrdok(registry.data, "user remove bertil");
    EXPECT_TRUE(SignedOutWithin(server.port(), sessions["bertil"].cookie, "bertil"));

    // No command changes a role: an administrator edits users.xml (replaced whole, as the
    // commands do).
    const std::filesystem::path users = registry.data / "users.xml";
    std::string text = testing::ReadFile(users);
    const std::string before = "name=\"cecilia\" role=\"owner\"";
    ASSERT_NE(text.find(before), std::string::npos) << text;
    text.replace(text.find(before), before.size(), "name=\"cecilia\" role=\"reader\"");
    std::ofstream(registry.data / "users.xml.edit") << text;
    std::filesystem::rename(registry.data / "users.xml.edit", users);
    EXPECT_TRUE(SignedOutWithin(server.port(), sessions["cecilia"].cookie, "cecilia"));

    // Nothing happened to david's account: his session goes on.
    EXPECT_TRUE(SignedInAs(server.port(), sessions["david"].cookie, "david"));
}

// True for the gatekeeper's 403 to a forged request: from another site, or without the
// page's token (a handler's 403, "you may not", says something else).
bool Refused(const HttpResponse& response) {
    return response.status == 403 && (response.body.find("annan webbplats") != std::string::npos ||
                                      response.body.find("säkerhetskod") != std::string::npos);
}

TEST(HostileSignIn, AFormPostedFromAnotherSiteIsRefusedWhateverTheSignIn) {
    Registry registry({"anna", "bertil"});
    ServerProcess server(STYRDOK_BINARY, registry.data);
    const std::uint16_t port = server.port();
    const std::string own_origin = "http://127.0.0.1:" + std::to_string(port);

    // A session: the token alone is not enough when the browser says another site sent it.
    std::optional<SignedIn> session = SignIn(port, "anna", kPassword);
    ASSERT_TRUE(session);
    for (const Headers& forged : std::vector<Headers>{
             {{"Sec-Fetch-Site", "cross-site"}},
             {{"Sec-Fetch-Site", "same-site"}},
             {{"Origin", "https://elak.example"}},
             {{"Origin", "null"}},
             {{"Origin", "http://127.0.0.1:" + std::to_string(port + 1)}},
         }) {
        SCOPED_TRACE(forged.begin()->first + ": " + forged.begin()->second);
        Headers headers = forged;
        headers["Cookie"] = session->cookie;
        EXPECT_TRUE(Refused(PostForm(port, "/logga-ut", {{"csrf", session->csrf}}, headers)));
        EXPECT_TRUE(SignedInAs(port, session->cookie, "anna"));
    }
    EXPECT_EQ(PostForm(port, "/logga-ut", {{"csrf", session->csrf}},
                       {{"Cookie", session->cookie}, {"Origin", own_origin}})
                  .status,
              303);

    // HTTP Basic, which a browser sends to this site whatever page asks: the forms need the
    // token the pages give a Basic user, as a session's do.
    const Headers basic = BasicAuth("bertil", kPassword);
    EXPECT_TRUE(Refused(PostForm(port, "/nytt", {{"title", "Förfalskad"}}, basic)));
    HttpResponse form = HttpRequest(port, "GET", "/nytt", basic);
    ASSERT_EQ(form.status, 200);
    const std::string token = CsrfOf(form.body);
    ASSERT_FALSE(token.empty());
    // With it, the form reaches the page, which judges what was typed.
    HttpResponse with_token =
        PostForm(port, "/nytt", {{"csrf", token}, {"title", "Riktig"}}, basic);
    EXPECT_FALSE(Refused(with_token)) << with_token.status;
    EXPECT_LT(with_token.status, 500);
    EXPECT_TRUE(Refused(PostForm(port, "/nytt", {{"csrf", token + "x"}}, basic)));
    EXPECT_TRUE(Refused(PostForm(
        port, "/nytt", {{"csrf", token}},
        {{"Authorization", basic.at("Authorization")}, {"Sec-Fetch-Site", "cross-site"}})));

    // Nobody signed in: another site cannot sign a browser in to an account of its choice.
    HttpResponse login = PostForm(port, "/logga-in", {{"name", "anna"}, {"password", kPassword}},
                                  {{"Origin", "https://elak.example"}});
    EXPECT_TRUE(Refused(login));
    EXPECT_TRUE(login.Header("set-cookie").empty());
    EXPECT_EQ(PostForm(port, "/logga-in", {{"name", "anna"}, {"password", kPassword}},
                       {{"Sec-Fetch-Site", "same-origin"}})
                  .status,
              303);
}

TEST(HostileSignIn, NextLeadsOnlyToPagesOfThisSite) {
    Registry registry;
    ServerProcess server(STYRDOK_BINARY, registry.data);
    struct Case {
        std::string next;
        std::string location;
    };
    const std::vector<Case> cases = {
        {"/", "/"},
        {"/granskning", "/granskning"},
        {"/documents/vision-2030?at=2024-01-01#text", "/documents/vision-2030?at=2024-01-01#text"},
        {"", "/"},
        {"granskning", "/"},
        {"https://elak.example/", "/"},
        {"//elak.example/", "/"},
        {"///elak.example/", "/"},
        {"/\\elak.example", "/"},
        {"\\\\elak.example", "/"},
        {"/\t/elak.example", "/"},  // browsers drop the tab: //elak.example
        {"/\n/elak.example", "/"},
        {"\t//elak.example", "/"},
        {"/%09/elak.example", "/"},  // decoded once more on the way
        {"/%2F/elak.example", "/"},
        {"/%252F/elak.example", "/"},
        {"/%5Celak.example", "/"},
        {"/x\r\nSet-Cookie: styrdok_session=stulen", "/"},
        {"/x%0D%0ASet-Cookie:%20a=b", "/"},
        {"/x\x7f", "/"},
        {"/" + std::string(2500, 'a'), "/"},
    };
    for (const Case& test : cases) {
        SCOPED_TRACE(test.next);
        HttpResponse response =
            PostForm(server.port(), "/logga-in",
                     {{"name", "anna"}, {"password", kPassword}, {"next", test.next}});
        EXPECT_EQ(response.status, 303);
        EXPECT_EQ(response.Header("location"), test.location);
        EXPECT_TRUE(response.Header("set-cookie").find("stulen") == std::string::npos);
    }
    // The sign-in page carries only a safe `next` into its form.
    HttpResponse page = HttpRequest(server.port(), "GET", "/logga-in?next=%2F%09%2Felak.example");
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("name=\"next\" value=\"&#x2F;\">"), std::string::npos) << page.body;
}

TEST(HostileSignIn, FilesWithSecretsAreTheOwnersOnly) {
    Registry registry;
    for (const char* name : {"styrdok.ini", "users.xml"}) {
        SCOPED_TRACE(name);
        struct stat status {};
        ASSERT_EQ(::stat((registry.data / name).c_str(), &status), 0);
        EXPECT_EQ(status.st_mode & 0777, 0600u);
    }
}

}  // namespace
}  // namespace styrdok
