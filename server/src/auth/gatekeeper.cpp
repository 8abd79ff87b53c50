#include "gatekeeper.hpp"

#include <Poco/Base64Decoder.h>
#include <Poco/Exception.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <sstream>

#include "styrdok/core/error.hpp"

namespace styrdok::server {

namespace {

constexpr int kAddressAttemptsFactor = 10;
constexpr auto kVerifiedFor = std::chrono::minutes(5);
constexpr std::size_t kMaxVerified = 1000;

bool IsUnsafe(const std::string& method) {
    return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

bool SameSecret(std::string_view a, std::string_view b) {
    return a.size() == b.size() && !a.empty() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Keyed(std::string_view key, std::string_view text) {
    std::array<unsigned char, crypto_generichash_BYTES> hash{};
    crypto_generichash(hash.data(), hash.size(),
                       reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                       reinterpret_cast<const unsigned char*>(key.data()), key.size());
    std::string hex(hash.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
    hex.pop_back();
    return hex;
}

Error WaitError(std::chrono::seconds wait) {
    return Error(ErrorCode::kTooManyRequests,
                 "för många misslyckade inloggningar; försök igen om " +
                     std::to_string(wait.count()) + " sekunder");
}

}  // namespace

std::string CookieValue(std::string_view header, std::string_view name) {
    std::size_t start = 0;
    while (start < header.size()) {
        std::size_t end = header.find(';', start);
        if (end == std::string_view::npos) end = header.size();
        std::string_view pair = header.substr(start, end - start);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=') {
            return std::string(pair.substr(name.size() + 1));
        }
        start = end + 1;
    }
    return {};
}

Gatekeeper::Gatekeeper(UserDirectory& users, GatekeeperConfig config)
    : users_(users),
      config_(std::move(config)),
      sessions_(config_.session_idle, config_.session_longest),
      account_throttle_(config_.sign_in_attempts, config_.sign_in_wait),
      address_throttle_(config_.sign_in_attempts * kAddressAttemptsFactor, config_.sign_in_wait),
      process_key_(RandomToken()) {
    // Request headers are looked up by their lower-case names.
    for (char& c : config_.trusted_user_header) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
}

void Gatekeeper::Admit(Request& request) {
    const std::string authorization = request.Header("authorization");
    if (authorization.size() > 6 &&
        std::equal(authorization.begin(), authorization.begin() + 6, "Basic ", [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(b);
        })) {
        request.identity = FromBasic(authorization.substr(6), request.client_address);
    } else if (!config_.trusted_user_header.empty() &&
               std::find(config_.trusted_proxies.begin(), config_.trusted_proxies.end(),
                         request.client_address) != config_.trusted_proxies.end() &&
               !request.Header(config_.trusted_user_header).empty()) {
        request.identity = FromProxy(request.Header(config_.trusted_user_header));
    } else if (std::string token = CookieValue(request.Header("cookie"), kCookie); !token.empty()) {
        request.identity = FromSession(token);
    }
    if (IsUnsafe(request.method)) CheckCsrf(request);
}

Identity Gatekeeper::FromSession(const std::string& token) {
    Identity identity;
    std::optional<Session> session = sessions_.Use(token);
    if (!session) return identity;  // expired or unknown: nobody, and the page says sign in
    std::optional<User> user = users_.Find(session->user);
    if (!user) {
        sessions_.Remove(token);  // the account was removed
        return identity;
    }
    identity.source = Identity::Source::kSession;
    identity.user = std::move(user);
    identity.csrf = session->csrf;
    identity.session_token = token;
    return identity;
}

Identity Gatekeeper::FromBasic(const std::string& credentials, const std::string& client_address) {
    std::string decoded;
    try {
        std::istringstream in(credentials);
        Poco::Base64Decoder decoder(in);
        std::ostringstream out;
        out << decoder.rdbuf();
        decoded = out.str();
    } catch (const Poco::Exception&) {
        throw Error(ErrorCode::kUnauthorized, "felaktig Authorization-rubrik");
    }
    const std::size_t colon = decoded.find(':');
    if (colon == std::string::npos) {
        throw Error(ErrorCode::kUnauthorized, "felaktig Authorization-rubrik");
    }
    const std::string name = decoded.substr(0, colon);
    const std::string key = Keyed(process_key_, decoded);
    std::optional<User> user = RecentlyVerified(key, name);
    if (!user) {
        user = VerifyThrottled(name, decoded.substr(colon + 1), client_address);
        if (!user) throw Error(ErrorCode::kUnauthorized, "fel användarnamn eller lösenord");
        std::lock_guard lock(verified_mutex_);
        const auto now = std::chrono::steady_clock::now();
        if (verified_.size() >= kMaxVerified) {
            std::erase_if(verified_,
                          [now](const auto& entry) { return entry.second.until <= now; });
        }
        if (verified_.size() < kMaxVerified) {
            verified_[key] = Verified{user->password_hash, now + kVerifiedFor};
        }
    }
    Identity identity;
    identity.source = Identity::Source::kBasic;
    identity.user = std::move(user);
    return identity;
}

std::optional<User> Gatekeeper::RecentlyVerified(const std::string& key, std::string_view name) {
    std::optional<std::string> hash;
    {
        std::lock_guard lock(verified_mutex_);
        auto found = verified_.find(key);
        if (found == verified_.end()) return std::nullopt;
        if (found->second.until <= std::chrono::steady_clock::now()) {
            verified_.erase(found);
            return std::nullopt;
        }
        hash = found->second.password_hash;
    }
    // The account may have been removed or its password changed since.
    std::optional<User> user = users_.Find(name);
    if (!user || user->password_hash != *hash) return std::nullopt;
    return user;
}

Identity Gatekeeper::FromProxy(const std::string& name) {
    std::optional<User> user = users_.Find(name);
    if (!user) {
        throw Error(ErrorCode::kForbidden, "kontot " + name + " finns inte i Styrdok");
    }
    Identity identity;
    identity.source = Identity::Source::kProxy;
    // The proxy sends its header with every request, cross-site ones too: forms need a token
    // as with a session, one that stays the same for the account.
    identity.csrf = Keyed(process_key_, user->name);
    identity.user = std::move(user);
    return identity;
}

void Gatekeeper::CheckCsrf(const Request& request) const {
    if (request.identity.csrf.empty()) return;
    std::string sent = request.Header("x-csrf-token");
    if (sent.empty()) sent = request.Field("csrf");
    if (!SameSecret(sent, request.identity.csrf)) {
        throw Error(ErrorCode::kForbidden,
                    "formuläret saknar en giltig säkerhetskod (CSRF); ladda om sidan och försök "
                    "igen");
    }
}

std::optional<User> Gatekeeper::VerifyThrottled(std::string_view name, std::string_view password,
                                                const std::string& client_address) {
    const std::string account(name);
    for (auto [throttle, key] : {std::pair{&account_throttle_, &account},
                                 std::pair{&address_throttle_, &client_address}}) {
        if (auto wait = throttle->Wait(*key)) throw WaitError(*wait);
    }
    std::optional<User> user = users_.Verify(name, password);
    if (!user) {
        account_throttle_.Failed(account);
        address_throttle_.Failed(client_address);
        return std::nullopt;
    }
    account_throttle_.Succeeded(account);
    return user;
}

std::string Gatekeeper::SignIn(std::string_view name, std::string_view password,
                               const std::string& client_address) {
    std::optional<User> user = VerifyThrottled(name, password, client_address);
    if (!user) throw Error(ErrorCode::kUnauthorized, "fel användarnamn eller lösenord");
    return sessions_.Create(user->name);
}

void Gatekeeper::SignOut(const Identity& identity) {
    if (!identity.session_token.empty()) sessions_.Remove(identity.session_token);
}

std::string Gatekeeper::Cookie(const std::string& token, bool https) const {
    std::string cookie = std::string(kCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict";
    if (token.empty()) cookie += "; Max-Age=0";
    if (https) cookie += "; Secure";
    return cookie;
}

}  // namespace styrdok::server
