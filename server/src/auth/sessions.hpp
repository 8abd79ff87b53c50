#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "lru_map.hpp"

namespace styrdok::server {

/// A signed-in browser: whose it is, and the token its forms must carry (CSRF).
struct Session {
    std::string user;  ///< sign-in name
    /// What the account was when it signed in (Gatekeeper::AccountStamp: its password hash
    /// and role); the session ends when the account no longer matches.
    std::string account_stamp;
    std::string csrf;
    std::chrono::steady_clock::time_point created;
    std::chrono::steady_clock::time_point last_used;
};

/// The server's sessions, in memory: a restart signs everyone out, which loses no work (every
/// form is saved or refused in one request). Tokens are 256 random bits from libsodium; only
/// a hash of each is kept, so a memory dump gives no usable cookie. A session ends after
/// `idle` without use or `longest` after sign-in, whichever comes first. One account has at
/// most `per_account` sessions (signing in once more ends its least recently used one), and
/// the store at most `capacity` (then the least recently used session of all ends): memory
/// stays bounded however often someone signs in. Thread-safe.
class SessionStore {
public:
    using Clock = std::chrono::steady_clock;

    // A person's browsers and devices, or the colleagues who share one account (a reader
    // account for the documents that are not public); enough that an active session is
    // seldom the least recently used of its account.
    static constexpr std::size_t kDefaultPerAccount = 64;
    static constexpr std::size_t kDefaultCapacity = 50000;

    SessionStore(std::chrono::seconds idle, std::chrono::seconds longest,
                 std::size_t per_account = kDefaultPerAccount,
                 std::size_t capacity = kDefaultCapacity);

    /// A new session for `user` (whose account is `account_stamp` now); returns the token for
    /// the cookie.
    std::string Create(const std::string& user, const std::string& account_stamp,
                       Clock::time_point now = Clock::now());

    /// The live session of `token`, its last use set to `now`; nullopt for a token that is
    /// unknown or expired (an expired session is removed).
    std::optional<Session> Use(std::string_view token, Clock::time_point now = Clock::now());

    /// Signs out: the token no longer works.
    void Remove(std::string_view token);

    std::size_t size() const;

private:
    static std::string Key(std::string_view token);
    bool Expired(const Session& session, Clock::time_point now) const;

    const std::chrono::seconds idle_;
    const std::chrono::seconds longest_;
    const std::size_t per_account_;
    mutable std::mutex mutex_;
    LruMap<Session> sessions_;  // by Key(token)
    std::size_t creations_since_prune_ = 0;
};

/// 256 random bits from libsodium, base64url without padding (43 characters).
std::string RandomToken();

}  // namespace styrdok::server
