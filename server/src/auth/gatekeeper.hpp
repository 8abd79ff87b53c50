#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../http.hpp"
#include "../logging.hpp"
#include "lru_map.hpp"
#include "sessions.hpp"
#include "styrdok/server/server.hpp"
#include "throttle.hpp"
#include "user_directory.hpp"

namespace styrdok::server {

/// How the server tells who sends a request.
struct GatekeeperConfig {
    std::chrono::seconds session_idle{30 * 60};
    std::chrono::seconds session_longest{8 * 60 * 60};
    int sign_in_attempts = 5;
    std::chrono::seconds sign_in_wait{30};
    /// Single sign-on: a header in which a trusted reverse proxy names the signed-in user
    /// (e.g. "X-Remote-User"); empty turns it off. Believed only on a request that came
    /// through a trusted proxy (Request::via_trusted_proxy).
    std::string trusted_user_header;
    /// A name in that header without an account: a reader, or refused unless `groups` map one
    /// of its groups.
    UnknownUsers unknown_users = UnknownUsers::kReader;
    /// The header in which the proxy lists the user's directory groups; empty: off.
    std::string trusted_groups_header;
    /// What each directory group grants (ServerConfig::groups).
    std::vector<GroupGrant> groups;
    /// Password checks at once (HashSlots), and how long a check may wait for a slot before
    /// its request is refused with 503.
    int hash_slots = HashSlots::DefaultCount();
    std::chrono::milliseconds hash_slot_wait{1000};
};

/// The gatekeeper's part of the server's configuration ([auth], [groups]).
GatekeeperConfig GatekeeperSettings(const ServerConfig& config);

/// What a user's directory groups grant: the highest role among the mapped groups and every
/// body they name.
struct GroupsGrant {
    core::Role role = core::Role::kReader;
    std::vector<std::string> bodies;
};

/// The grant of the groups listed in `header` (separated by commas or semicolons, names
/// compared exactly, unmapped ones ignored) under `groups`; nullopt when none is mapped.
std::optional<GroupsGrant> GrantOf(const std::vector<GroupGrant>& groups, std::string_view header);

/// Runs before every route: finds who sends the request (a session cookie, HTTP Basic, or a
/// trusted proxy's header: a name with an account is that account, its role raised by the
/// groups of the groups header, never lowered; a name without one is a reader with what its
/// groups grant, or refused by setting) and refuses what must go no further: wrong Basic
/// credentials (401), an account or address that must wait after failed attempts (429, before any
/// password is checked), no free password-check slot (503), an unsafe request a browser
/// sent from another site (Sec-Fetch-Site, else Origin: 403), and an unsafe request of a
/// signed-in user without its CSRF token (403): every form outside /api/, whatever the
/// sign-in, and the API's writes of sessions and the proxy. Signs in and out. Thread-safe.
class Gatekeeper {
public:
    static constexpr std::string_view kCookie = "styrdok_session";

    Gatekeeper(UserDirectory& users, GatekeeperConfig config);

    /// Fills request.identity, or throws Error.
    void Admit(Request& request);

    /// Checks a password sign-in and opens a session: returns its token for the cookie.
    /// Throws Error(kUnauthorized) for a wrong name or password, kTooManyRequests while the
    /// account or the address must wait, kUnavailable when no password check could start
    /// (both with Error::retry_after).
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
    Identity FromProxy(const std::string& name, const std::string& groups,
                       const std::string& client_address);
    void CheckCsrf(const Request& request) const;
    void CheckWaits(const std::string& account, const std::string& client_address);
    std::optional<User> VerifyThrottled(std::string_view name, std::string_view password,
                                        const std::string& client_address);
    // VerifyThrottled, with its outcome in the log (LogSignIn).
    std::optional<User> VerifyLogged(SignInMethod method, std::string_view name,
                                     std::string_view password, const std::string& client_address);
    // What a session keeps of its account: it ends when the password hash or role changes.
    std::string AccountStamp(const User& user) const;
    // The CSRF token of the forms of HTTP Basic and proxy users, who have no session: the
    // same for an account as long as the server runs.
    std::string FormToken(const User& user) const;

    // HTTP Basic sends the password with every request, and checking an Argon2id hash takes
    // tens of milliseconds on purpose: a program writing many documents would pay that each
    // time. A name and password that verified are remembered for a few minutes, by a keyed
    // hash (never the password), and only while the account's hash stays the same.
    // At most kMaxVerified are kept, the oldest evicted: an entry needs an account's correct
    // password, and whoever fills the table only makes other clients check theirs once more.
    struct Verified {
        std::string password_hash;
        std::chrono::steady_clock::time_point until;
    };
    std::optional<User> RecentlyVerified(const std::string& key, std::string_view name);

    UserDirectory& users_;
    GatekeeperConfig config_;
    std::mutex verified_mutex_;
    LruMap<Verified> verified_;  // by Keyed(name, password)
    SessionStore sessions_;
    SignInThrottle account_throttle_;
    // Many people share an address behind a municipality's NAT: it gets more attempts.
    SignInThrottle address_throttle_;
    HashSlots hash_slots_;
    // Random for each run: keys Verified, the account stamps and the form tokens.
    std::string process_key_;
};

/// True when a browser's unsafe request came from a page of this site: its Sec-Fetch-Site
/// is same-origin (or none: typed by the user), or, from a browser that does not send that,
/// its Origin names the request's Host (or X-Forwarded-Host). A request with neither header
/// is not a browser's cross-site request and passes.
bool FromOwnSite(const Request& request);

/// The value of cookie `name` in a Cookie header; empty when absent.
std::string CookieValue(std::string_view header, std::string_view name);

}  // namespace styrdok::server
