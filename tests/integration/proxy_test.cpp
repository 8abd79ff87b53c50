// Styrdok behind a real nginx (issue 18): the nginx configuration of docs/deployment.md
// (docs/nginx/styrdok.conf, used here as it stands), the client's address in logs and in the
// sign-in throttle, headers believed only from the trusted proxy, single sign-on with groups,
// and TLS at nginx making the session cookie Secure. Clients are told apart by the loopback
// address they connect from (127.0.0.2, 127.0.0.3, …), as different machines would be.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "registry_support.hpp"
#include "styrdok/testing/nginx.hpp"

namespace styrdok::testing {
namespace {

using Headers = std::map<std::string, std::string>;

// The test's stand-in for the sign-in module in front (mod_auth_openidc, an auth_request):
// it names the user and their groups from request headers that only the test sends.
constexpr const char* kNoUser = "set $styrdok_user \"\";";
constexpr const char* kNoGroups = "set $styrdok_groups \"\";";
constexpr const char* kTestUser = "set $styrdok_user $http_x_test_user;";
constexpr const char* kTestGroups = "set $styrdok_groups $http_x_test_groups;";

std::string Replaced(std::string text, const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    if (at == std::string::npos) throw std::runtime_error("the template has no " + from);
    text.replace(at, from.size(), to);
    return text;
}

std::string ReplacedEverywhere(std::string text, const std::string& from, const std::string& to) {
    if (text.find(from) == std::string::npos) {
        throw std::runtime_error("the template has no " + from);
    }
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

// Styrdok on an empty registry with the staff accounts and `auth` added to [auth], and nginx
// in front of it with the documented configuration.
class Deployment {
public:
    explicit Deployment(const std::string& auth, const std::string& server_settings = {}) {
        Styrdok(data_, "init");
        AddStaffAccounts(data_);
        std::ofstream(data_ / "styrdok.ini", std::ios::app)
            << "\n[server]\n"
            << server_settings << "\n[auth]\nsign_in_attempts = 2\ntrusted_proxies = 127.0.0.1\n"
            << "trusted_user_header = X-Remote-User\n"
            << "trusted_groups_header = X-Remote-Groups\n"
            << auth << "\n[groups]\nGRP-Styrdok-Registratorer = clerk\n"
            << "GRP-Socialnamnden = owner:sn\n";
        server_ = std::make_unique<ServerProcess>(STYRDOK_BINARY, data_,
                                                  std::vector<std::string>{"--today", kToday});
        MakeTestCertificate(sandbox_.path());
        http_port_ = FreePort();
        https_port_ = FreePort();
        std::ifstream in(SourceDir() / "docs/nginx/styrdok.conf");
        std::ostringstream site;
        site << in.rdbuf();
        std::string config = site.str();
        for (const auto& [placeholder, value] : std::vector<std::pair<std::string, std::string>>{
                 {"@SERVER_NAME@", "localhost"},
                 {"@HTTP_LISTEN@", "127.0.0.1:" + std::to_string(http_port_)},
                 {"@HTTPS_LISTEN@", "127.0.0.1:" + std::to_string(https_port_)},
                 {"@CERTIFICATE@", (sandbox_ / "cert.pem").string()},
                 {"@CERTIFICATE_KEY@", (sandbox_ / "key.pem").string()},
                 {"@UPSTREAM@", "127.0.0.1:" + std::to_string(server_->port())},
                 {"@MAX_BODY@", "10485760"},
             }) {
            config = ReplacedEverywhere(config, placeholder, value);
        }
        config = Replaced(Replaced(config, kNoUser, kTestUser), kNoGroups, kTestGroups);
        nginx_ = std::make_unique<NginxProcess>(
            sandbox_ / "nginx", config, std::vector<std::uint16_t>{http_port_, https_port_});
    }

    // A request through nginx over TLS, from the loopback address `from`.
    HttpResponse Through(const std::string& from, const std::string& method,
                         const std::string& target, const Headers& headers = {},
                         const std::string& body = {}) const {
        return HttpExchange({https_port_, from, true}, method, target, headers, body);
    }

    // A request straight to Styrdok, past nginx.
    HttpResponse Direct(const std::string& from, const std::string& target,
                        const Headers& headers = {}) const {
        return HttpExchange({server_->port(), from, false}, "GET", target, headers);
    }

    HttpResponse PlainHttp(const std::string& target) const {
        return HttpExchange({http_port_, "127.0.0.2", false}, "GET", target);
    }

    // The server's log line of the request with `request_id`, once it is written.
    std::string LogLineOf(const std::string& request_id) const {
        const std::string mark = "req=" + request_id + " ";
        for (int attempt = 0; attempt < 100; ++attempt) {
            std::istringstream log(server_->Log());
            for (std::string line; std::getline(log, line);) {
                if (line.find(mark) != std::string::npos) return line;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return {};
    }

    const ServerProcess& server() const { return *server_; }
    const NginxProcess& nginx() const { return *nginx_; }

private:
    Sandbox sandbox_;
    std::filesystem::path data_ = sandbox_ / "registry";
    std::unique_ptr<ServerProcess> server_;
    std::uint16_t http_port_ = 0;
    std::uint16_t https_port_ = 0;
    std::unique_ptr<NginxProcess> nginx_;
};

Headers SignInForm() { return {{"Content-Type", "application/x-www-form-urlencoded"}}; }

std::string SignInBody(const std::string& name, const std::string& password) {
    return "name=" + FormEncode(name) + "&password=" + FormEncode(password) + "&next=%2F";
}

bool SignedInAs(const HttpResponse& page, const std::string& name) {
    return page.body.find("Inloggad som " + name) != std::string::npos;
}

// One suite, one deployment: starting Styrdok and nginx is most of each test's time.
class Proxy : public ::testing::Test {
protected:
    static void SetUpTestSuite() { deployment_ = std::make_unique<Deployment>(""); }
    static void TearDownTestSuite() { deployment_.reset(); }
    static const Deployment& D() { return *deployment_; }

    static inline std::unique_ptr<Deployment> deployment_;
};

TEST_F(Proxy, TheClientsOwnAddressIsLoggedNotTheProxysNorOneTheClientWrote) {
    const HttpResponse page = D().Through("127.0.0.2", "GET", "/");
    ASSERT_EQ(page.status, 200) << D().nginx().ErrorLog();
    const std::string line = D().LogLineOf(page.Header("x-request-id"));
    EXPECT_NE(line.find("127.0.0.2"), std::string::npos) << line;

    // nginx appends the address it was connected from to whatever the client wrote.
    const HttpResponse spoofed =
        D().Through("127.0.0.3", "GET", "/", {{"X-Forwarded-For", "203.0.113.9"}});
    const std::string spoofed_line = D().LogLineOf(spoofed.Header("x-request-id"));
    EXPECT_NE(spoofed_line.find("127.0.0.3"), std::string::npos) << spoofed_line;
    EXPECT_EQ(spoofed_line.find("203.0.113.9"), std::string::npos) << spoofed_line;
}

TEST_F(Proxy, HeadersSentStraightToStyrdokByAnUntrustedPeerAreIgnored) {
    const HttpResponse page = D().Direct("127.0.0.4", "/",
                                         {{"X-Forwarded-For", "127.0.0.1, 198.51.100.7"},
                                          {"X-Forwarded-Proto", "https"},
                                          {"X-Remote-User", "admin"},
                                          {"X-Remote-Groups", "GRP-Styrdok-Registratorer"}});
    ASSERT_EQ(page.status, 200);
    EXPECT_FALSE(SignedInAs(page, "admin"));
    const std::string line = D().LogLineOf(page.Header("x-request-id"));
    EXPECT_NE(line.find("127.0.0.4"), std::string::npos) << line;
    EXPECT_EQ(line.find("198.51.100.7"), std::string::npos) << line;
    EXPECT_EQ(D().Direct("127.0.0.4", "/granskning", {{"X-Remote-User", "registrator"}}).status,
              401);
    EXPECT_NE(D().Direct("127.0.0.4", "/feed.atom", {{"X-Forwarded-Proto", "https"}})
                  .body.find("http://localhost/feed.atom"),
              std::string::npos);
    // Nor is the scheme believed: a session cookie over plain HTTP is not Secure.
    const HttpResponse signed_in = HttpExchange(
        {D().server().port(), "127.0.0.4", false}, "POST", "/logga-in",
        {{"Content-Type", "application/x-www-form-urlencoded"}, {"X-Forwarded-Proto", "https"}},
        SignInBody("lasare", kStaffPassword));
    ASSERT_EQ(signed_in.status, 303);
    EXPECT_EQ(signed_in.Header("set-cookie").find("Secure"), std::string::npos)
        << signed_in.Header("set-cookie");
}

TEST_F(Proxy, ClientHeadersNamingTheUserNeverPassNginx) {
    const HttpResponse page =
        D().Through("127.0.0.2", "GET", "/",
                    {{"X-Remote-User", "admin"}, {"X-Remote-Groups", "GRP-Styrdok-Registratorer"}});
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(page.body.find("Inloggad som"), std::string::npos);
    // With a user named by the sign-in in front, the client's headers still count for nothing.
    const HttpResponse vouched = D().Through("127.0.0.2", "GET", "/granskning",
                                             {{"X-Test-User", "okand"},
                                              {"X-Remote-User", "admin"},
                                              {"X-Remote-Groups", "GRP-Styrdok-Registratorer"}});
    EXPECT_EQ(vouched.status, 403);
    EXPECT_TRUE(SignedInAs(vouched, "okand"));
}

TEST_F(Proxy, AnUnknownEmployeeReadsAndAGroupMakesAClerk) {
    const HttpResponse reader = D().Through("127.0.0.2", "GET", "/", {{"X-Test-User", "okand"}});
    ASSERT_EQ(reader.status, 200) << reader.body;
    EXPECT_TRUE(SignedInAs(reader, "okand"));
    EXPECT_EQ(D().Through("127.0.0.2", "GET", "/granskning", {{"X-Test-User", "okand"}}).status,
              403);
    const HttpResponse clerk = D().Through(
        "127.0.0.2", "GET", "/granskning",
        {{"X-Test-User", "okand"}, {"X-Test-Groups", "GRP-Alla; GRP-Styrdok-Registratorer"}});
    EXPECT_EQ(clerk.status, 200);
    EXPECT_TRUE(SignedInAs(clerk, "okand"));
    // An account's role is raised by a group, and is its own without one.
    EXPECT_EQ(D().Through("127.0.0.2", "GET", "/granskning", {{"X-Test-User", "hr"}}).status, 403);
    EXPECT_EQ(D().Through("127.0.0.2", "GET", "/granskning",
                          {{"X-Test-User", "hr"}, {"X-Test-Groups", "GRP-Styrdok-Registratorer"}})
                  .status,
              200);
    EXPECT_EQ(
        D().Through("127.0.0.2", "GET", "/granskning", {{"X-Test-User", "registrator"}}).status,
        200);
}

TEST_F(Proxy, TlsAtNginxMakesTheSessionCookieSecureAndPlainHttpIsRedirected) {
    const HttpResponse signed_in = D().Through("127.0.0.5", "POST", "/logga-in", SignInForm(),
                                               SignInBody("lasare", kStaffPassword));
    ASSERT_EQ(signed_in.status, 303) << signed_in.body;
    const std::string cookie = signed_in.Header("set-cookie");
    EXPECT_NE(cookie.find("styrdok_session="), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("; Secure"), std::string::npos) << cookie;
    // Absolute links name the scheme the browser used.
    EXPECT_NE(
        D().Through("127.0.0.5", "GET", "/feed.atom").body.find("https://localhost/feed.atom"),
        std::string::npos);
    const HttpResponse plain = D().PlainHttp("/sok?q=policy");
    EXPECT_EQ(plain.status, 301);
    EXPECT_EQ(plain.Header("location"), "https://localhost/sok?q=policy");
}

TEST_F(Proxy, ASignInFloodFromOneClientDoesNotLockOutAnother) {
    // sign_in_attempts = 2: an address may fail 20 times, each time with another name so that
    // no account's own limit is reached first.
    int attempts = 0;
    int status = 0;
    while (attempts < 40) {
        status = D().Through("127.0.0.6", "POST", "/logga-in", SignInForm(),
                             SignInBody("gissning" + std::to_string(attempts), "fel"))
                     .status;
        ++attempts;
        if (status != 401) break;
    }
    EXPECT_EQ(status, 429);
    EXPECT_EQ(attempts, 21);
    // Writing another address in front of its own changes nothing.
    EXPECT_EQ(D().Through("127.0.0.6", "POST", "/logga-in",
                          {{"Content-Type", "application/x-www-form-urlencoded"},
                           {"X-Forwarded-For", "127.0.0.99"}},
                          SignInBody("lasare", kStaffPassword))
                  .status,
              429);
    // Another client behind the same proxy signs in.
    const HttpResponse other = D().Through("127.0.0.7", "POST", "/logga-in", SignInForm(),
                                           SignInBody("lasare", kStaffPassword));
    EXPECT_EQ(other.status, 303) << other.body;
}

TEST(ProxyDocumentation, TheDeploymentGuideShowsTheTestedConfigurationWordForWord) {
    const std::string conf = ReadFile(SourceDir() / "docs/nginx/styrdok.conf");
    const std::string guide = ReadFile(SourceDir() / "docs/deployment.md");
    EXPECT_NE(guide.find("```nginx\n" + conf + "```\n"), std::string::npos)
        << "docs/deployment.md must show docs/nginx/styrdok.conf unchanged";
    // The lines this test swaps for its stand-in of the sign-on module are the documented ones.
    EXPECT_NE(conf.find(kNoUser), std::string::npos);
    EXPECT_NE(conf.find(kNoGroups), std::string::npos);
}

TEST(ProxyRefusingUnknownUsers, AnUnknownEmployeeIsRefusedUnlessAGroupVouches) {
    Deployment deployment("unknown_users = refuse");
    const HttpResponse refused =
        deployment.Through("127.0.0.2", "GET", "/", {{"X-Test-User", "okand"}});
    EXPECT_EQ(refused.status, 403);
    EXPECT_NE(refused.body.find("ingen behörighet till Styrdok"), std::string::npos)
        << refused.body;
    // The refusal is a sign-in line of its own, naming whom and from where.
    EXPECT_NE(
        deployment.server().Log().find(
            R"(sign-in refused (unknown_account): account "okand" from "127.0.0.2" by proxy)"),
        std::string::npos)
        << deployment.server().Log();
    EXPECT_EQ(deployment
                  .Through("127.0.0.2", "GET", "/",
                           {{"X-Test-User", "okand"}, {"X-Test-Groups", "GRP-Socialnamnden"}})
                  .status,
              200);
    EXPECT_TRUE(SignedInAs(deployment.Through("127.0.0.2", "GET", "/", {{"X-Test-User", "lasare"}}),
                           "lasare"));
    // Nobody signed in at all is the public as ever.
    EXPECT_EQ(deployment.Through("127.0.0.2", "GET", "/").status, 200);
}

// A connection held open from `from` to `port`, sending nothing yet.
int OpenConnection(const std::string& from, std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    inet_pton(AF_INET, from.c_str(), &local.sin_addr);
    sockaddr_in remote{};
    remote.sin_family = AF_INET;
    remote.sin_port = htons(port);
    inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local), 0);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&remote), sizeof remote), 0);
    return fd;
}

// True when a request sent on `fd` is answered.
bool Answers(int fd) {
    const std::string request = "GET / HTTP/1.0\r\n\r\n";
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) < 0) return false;
    timeval wait{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    char buffer[64];
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    return n > 5 && std::string(buffer, 5) == "HTTP/";
}

TEST(ProxyConnections, ATrustedProxysConnectionsAreNotCappedPerAddress) {
    Sandbox sandbox;
    const std::filesystem::path data = sandbox / "registry";
    Styrdok(data, "init");
    std::ofstream(data / "styrdok.ini", std::ios::app)
        << "\n[server]\nmax_connections_per_address = 2\n[auth]\ntrusted_proxies = 127.0.0.1\n";
    ServerProcess server(STYRDOK_BINARY, data, {"--today", kToday});
    for (const auto& [from, all_answered] :
         std::vector<std::pair<std::string, bool>>{{"127.0.0.1", true}, {"127.0.0.8", false}}) {
        SCOPED_TRACE(from);
        std::vector<int> held;
        for (int i = 0; i < 4; ++i) {
            held.push_back(OpenConnection(from, server.port()));
            // In order: the listener closes the one that has waited longest.
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        EXPECT_EQ(Answers(held.front()), all_answered);
        EXPECT_TRUE(Answers(held.back()));
        for (int fd : held) ::close(fd);
    }
}

}  // namespace
}  // namespace styrdok::testing
