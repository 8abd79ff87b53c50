#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../http.hpp"
#include "sessions.hpp"
#include "throttle.hpp"
#include "user_directory.hpp"

namespace styrdok::server {

/// How the server tells who sends a request.
struct GatekeeperConfig {
    std::chrono::seconds session_idle{30 * 60};
    std::chrono::seconds session_longest{8 * 60 * 60};
    int sign_in_attempts = 5;
    std::chrono::seconds sign_in_wait{30};
    /// Single sign-on: a header in which a trusted reverse proxy names the signed-in account
    /// (e.g. "X-Remote-User"); empty turns it off.
    std::string trusted_user_header;
    /// The addresses such a proxy connects from; the header is ignored from anyone else.
    std::vector<std::string> trusted_proxies;
};

/// Runs before every route: finds who sends the request (a session cookie, HTTP Basic, or a
/// trusted proxy's header) and refuses what must go no further: wrong Basic credentials
/// (401), too many failed attempts (429), a form or write from a session without its CSRF
/// token (403). Signs in and out. Thread-safe.
class Gatekeeper {
public:
    static constexpr std::string_view kCookie = "styrdok_session";

    Gatekeeper(UserDirectory& users, GatekeeperConfig config);

    /// Fills request.identity, or throws Error.
    void Admit(Request& request);

    /// Checks a password sign-in and opens a session: returns its token for the cookie.
    /// Throws Error(kUnauthorized) for a wrong name or password, kTooManyRequests while the
    /// account or the address must wait.
    std::string SignIn(std::string_view name, std::string_view password,
                       const std::string& client_address);

    /// Ends the session of `identity`, if it has one.
    void SignOut(const Identity& identity);

    /// The Set-Cookie value for `token` (empty: the cookie that clears it). Secure when the
    /// site is reached over TLS (`https` true).
    std::string Cookie(const std::string& token, bool https) const;

private:
    Identity FromSession(const std::string& token);
    Identity FromBasic(const std::string& credentials, const std::string& client_address);
    Identity FromProxy(const std::string& name);
    void CheckCsrf(const Request& request) const;
    std::optional<User> VerifyThrottled(std::string_view name, std::string_view password,
                                        const std::string& client_address);

    // HTTP Basic sends the password with every request, and checking an Argon2id hash takes
    // tens of milliseconds on purpose: a program writing many documents would pay that each
    // time. A name and password that verified are remembered for a few minutes, by a keyed
    // hash (never the password), and only while the account's hash stays the same.
    struct Verified {
        std::string password_hash;
        std::chrono::steady_clock::time_point until;
    };
    std::optional<User> RecentlyVerified(const std::string& key, std::string_view name);

    UserDirectory& users_;
    GatekeeperConfig config_;
    std::mutex verified_mutex_;
    std::map<std::string, Verified, std::less<>> verified_;  // by Keyed(name, password)
    SessionStore sessions_;
    SignInThrottle account_throttle_;
    // Many people share an address behind a municipality's NAT: it gets more attempts.
    SignInThrottle address_throttle_;
    std::string process_key_;  // random for each run: keys the proxy CSRF tokens and Verified
};

/// The value of cookie `name` in a Cookie header; empty when absent.
std::string CookieValue(std::string_view header, std::string_view name);

}  // namespace styrdok::server
