#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace styrdok::server {

/// A signed-in browser: whose it is, and the token its forms must carry (CSRF).
struct Session {
    std::string user;  ///< sign-in name
    std::string csrf;
    std::chrono::steady_clock::time_point created;
    std::chrono::steady_clock::time_point last_used;
};

/// The server's sessions, in memory: a restart signs everyone out, which loses no work (every
/// form is saved or refused in one request). Tokens are 256 random bits from libsodium; only
/// a hash of each is kept, so a memory dump gives no usable cookie. A session ends after
/// `idle` without use or `longest` after sign-in, whichever comes first. Thread-safe.
class SessionStore {
public:
    using Clock = std::chrono::steady_clock;

    SessionStore(std::chrono::seconds idle, std::chrono::seconds longest);

    /// A new session for `user`; returns the token for the cookie.
    std::string Create(const std::string& user, Clock::time_point now = Clock::now());

    /// The live session of `token`, its last use set to `now`; nullopt for a token that is
    /// unknown or expired (an expired session is removed).
    std::optional<Session> Use(std::string_view token, Clock::time_point now = Clock::now());

    /// Signs out: the token no longer works.
    void Remove(std::string_view token);

    std::size_t size() const;

private:
    static std::string Key(std::string_view token);
    bool Expired(const Session& session, Clock::time_point now) const;
    void Prune(Clock::time_point now);

    const std::chrono::seconds idle_;
    const std::chrono::seconds longest_;
    mutable std::mutex mutex_;
    std::map<std::string, Session, std::less<>> sessions_;  // by Key(token)
    std::size_t creations_since_prune_ = 0;
};

/// 256 random bits from libsodium, base64url without padding (43 characters).
std::string RandomToken();

}  // namespace styrdok::server
