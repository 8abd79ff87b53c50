#include "sessions.hpp"

#include <sodium.h>

#include <array>

namespace styrdok::server {

namespace {

// Expired sessions are swept out now and then, not on every request.
constexpr std::size_t kPruneEvery = 64;

}  // namespace

std::string RandomToken() {
    std::array<unsigned char, 32> random{};
    randombytes_buf(random.data(), random.size());
    char text[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(text, sizeof text, random.data(), random.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return text;
}

SessionStore::SessionStore(std::chrono::seconds idle, std::chrono::seconds longest,
                           std::size_t per_account, std::size_t capacity)
    : idle_(idle), longest_(longest), per_account_(per_account), sessions_(capacity) {}

std::string SessionStore::Key(std::string_view token) {
    std::array<unsigned char, crypto_generichash_BYTES> hash{};
    crypto_generichash(hash.data(), hash.size(),
                       reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr,
                       0);
    std::string hex(hash.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
    hex.pop_back();
    return hex;
}

bool SessionStore::Expired(const Session& session, Clock::time_point now) const {
    return now - session.last_used >= idle_ || now - session.created >= longest_;
}

std::string SessionStore::Create(const std::string& user, const std::string& account_stamp,
                                 Clock::time_point now) {
    std::string token = RandomToken();
    Session session{user, account_stamp, RandomToken(), now, now};
    const auto of_user = [&user](const std::string&, const Session& each) {
        return each.user == user;
    };
    std::lock_guard lock(mutex_);
    if (++creations_since_prune_ >= kPruneEvery) {
        sessions_.EraseIf(
            [&](const std::string&, const Session& each) { return Expired(each, now); });
        creations_since_prune_ = 0;
    }
    // Counting is a walk over every session, but it follows a password check, which costs
    // far more.
    if (sessions_.CountIf(of_user) >= per_account_) sessions_.EraseOldestIf(of_user);
    sessions_.Use(Key(token)) = std::move(session);
    return token;
}

std::optional<Session> SessionStore::Use(std::string_view token, Clock::time_point now) {
    if (token.empty()) return std::nullopt;
    const std::string key = Key(token);
    std::lock_guard lock(mutex_);
    if (sessions_.Find(key) == nullptr) return std::nullopt;
    Session& session = sessions_.Use(key);
    if (Expired(session, now)) {
        sessions_.Erase(key);
        return std::nullopt;
    }
    session.last_used = now;
    return session;
}

void SessionStore::Remove(std::string_view token) {
    const std::string key = Key(token);
    std::lock_guard lock(mutex_);
    sessions_.Erase(key);
}

std::size_t SessionStore::size() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
}

}  // namespace styrdok::server
