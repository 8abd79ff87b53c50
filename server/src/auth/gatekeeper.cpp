#include "gatekeeper.hpp"

#include <Poco/Base64Decoder.h>
#include <Poco/Exception.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <sstream>

#include "styrdok/core/error.hpp"
#include "styrdok/core/utf8.hpp"

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
                     std::to_string(wait.count()) + " sekunder",
                 wait);
}

bool IsApi(const Request& request) {
    return !request.segments.empty() && request.segments.front() == "api";
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

GatekeeperConfig GatekeeperSettings(const ServerConfig& config) {
    GatekeeperConfig settings;
    settings.session_idle = std::chrono::seconds(config.session_idle_seconds);
    settings.session_longest = std::chrono::seconds(config.session_max_seconds);
    settings.sign_in_attempts = config.sign_in_attempts;
    settings.sign_in_wait = std::chrono::seconds(config.sign_in_wait_seconds);
    settings.trusted_user_header = config.trusted_user_header;
    settings.unknown_users = config.unknown_users;
    settings.trusted_groups_header = config.trusted_groups_header;
    settings.groups = config.groups;
    return settings;
}

std::optional<GroupsGrant> GrantOf(const std::vector<GroupGrant>& groups, std::string_view header) {
    std::optional<GroupsGrant> grant;
    std::size_t start = 0;
    while (start < header.size()) {
        std::size_t end = header.find_first_of(",;", start);
        if (end == std::string_view::npos) end = header.size();
        const std::string_view group = core::Trim(header.substr(start, end - start));
        start = end + 1;
        for (const GroupGrant& mapped : groups) {
            if (group.empty() || mapped.group != group) continue;
            if (!grant) grant.emplace();
            grant->role = std::max(grant->role, mapped.role);
            for (const std::string& body : mapped.bodies) {
                if (std::find(grant->bodies.begin(), grant->bodies.end(), body) ==
                    grant->bodies.end()) {
                    grant->bodies.push_back(body);
                }
            }
        }
    }
    return grant;
}

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

bool FromOwnSite(const Request& request) {
    // Fetch metadata is the browser's own word on where the request comes from.
    if (const std::string site = request.Header("sec-fetch-site"); !site.empty()) {
        return site == "same-origin" || site == "none";
    }
    const std::string origin = request.Header("origin");
    if (origin.empty()) return true;
    const std::size_t scheme_end = origin.find("://");
    if (scheme_end == std::string::npos) return false;  // "null": a sandbox or a redirect
    const std::string_view authority = std::string_view(origin).substr(scheme_end + 3);
    if (authority.empty() || authority.find('/') != std::string_view::npos) return false;
    const std::string forwarded_header = request.Header("x-forwarded-host");
    const std::string_view forwarded =
        core::Trim(std::string_view(forwarded_header).substr(0, forwarded_header.find(',')));
    // Behind a reverse proxy the Host may be the proxy's own name for us; the proxy then
    // names the one the browser used. A cross-site page cannot set either header.
    return EqualsIgnoringCase(authority, request.Header("host")) ||
           (!forwarded.empty() && EqualsIgnoringCase(authority, forwarded));
}

Gatekeeper::Gatekeeper(UserDirectory& users, GatekeeperConfig config)
    : users_(users),
      config_(std::move(config)),
      verified_(kMaxVerified),
      sessions_(config_.session_idle, config_.session_longest),
      account_throttle_(config_.sign_in_attempts, config_.sign_in_wait),
      address_throttle_(config_.sign_in_attempts * kAddressAttemptsFactor, config_.sign_in_wait),
      hash_slots_(config_.hash_slots, config_.hash_slot_wait),
      process_key_(RandomToken()) {
    // Request headers are looked up by their lower-case names.
    for (std::string* header : {&config_.trusted_user_header, &config_.trusted_groups_header}) {
        for (char& c : *header) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
}

void Gatekeeper::Admit(Request& request) {
    // Before anything that costs: a forged request gets no password checked.
    if (IsUnsafe(request.method) && !FromOwnSite(request)) {
        throw Error(ErrorCode::kForbidden,
                    "förfrågan kom från en annan webbplats och togs inte emot; gå till sidan "
                    "och försök igen därifrån");
    }
    const std::string authorization = request.Header("authorization");
    if (authorization.size() > 6 &&
        std::equal(authorization.begin(), authorization.begin() + 6, "Basic ", [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(b);
        })) {
        request.identity = FromBasic(authorization.substr(6), request.client_address);
    } else if (!config_.trusted_user_header.empty() && request.via_trusted_proxy &&
               !request.Header(config_.trusted_user_header).empty()) {
        request.identity = FromProxy(request.Header(config_.trusted_user_header),
                                     config_.trusted_groups_header.empty()
                                         ? std::string()
                                         : request.Header(config_.trusted_groups_header),
                                     request.client_address);
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
    if (!user || AccountStamp(*user) != session->account_stamp) {
        // Removed, or its password or role changed: whoever signed in before must again.
        sessions_.Remove(token);
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
        user = VerifyLogged(SignInMethod::kBasic, name, decoded.substr(colon + 1), client_address);
        if (!user) throw Error(ErrorCode::kUnauthorized, "fel användarnamn eller lösenord");
        std::lock_guard lock(verified_mutex_);
        verified_.Use(key) =
            Verified{user->password_hash, std::chrono::steady_clock::now() + kVerifiedFor};
    }
    Identity identity;
    identity.source = Identity::Source::kBasic;
    // A browser that has Basic credentials sends them to this site whatever page asks it to:
    // the forms carry a token as a session's do.
    identity.csrf = FormToken(*user);
    identity.user = std::move(user);
    return identity;
}

std::optional<User> Gatekeeper::RecentlyVerified(const std::string& key, std::string_view name) {
    std::optional<std::string> hash;
    {
        std::lock_guard lock(verified_mutex_);
        const Verified* found = verified_.Find(key);
        if (found == nullptr) return std::nullopt;
        if (found->until <= std::chrono::steady_clock::now()) {
            verified_.Erase(key);
            return std::nullopt;
        }
        hash = found->password_hash;
    }
    // The account may have been removed or its password changed since.
    std::optional<User> user = users_.Find(name);
    if (!user || user->password_hash != *hash) return std::nullopt;
    return user;
}

Identity Gatekeeper::FromProxy(const std::string& name, const std::string& groups,
                               const std::string& client_address) {
    std::optional<User> user = users_.Find(name);
    const std::optional<GroupsGrant> grant = GrantOf(config_.groups, groups);
    if (!user) {
        if (!grant && config_.unknown_users == UnknownUsers::kRefuse) {
            // The proxy signs people in; who it vouched for and Styrdok refused is worth a
            // line, those it let in are on every request's line already.
            LogSignIn(name, client_address, SignInMethod::kProxy, SignInOutcome::kUnknownAccount);
            throw Error(ErrorCode::kForbidden,
                        "du är inloggad men har ingen behörighet till Styrdok; be kommunens "
                        "registrator om ett konto");
        }
        // The name becomes the author of commits and a key of the forms' tokens: it must be
        // one an account could have.
        if (!IsValidUserName(name)) {
            LogSignIn(name, client_address, SignInMethod::kProxy, SignInOutcome::kNameRefused);
            throw Error(ErrorCode::kForbidden,
                        "inloggningstjänsten gav ett användarnamn som Styrdok inte kan ta emot");
        }
        // Not stored: the proxy vouches for it anew with every request.
        user = User{name, Role::kReader, {}, {}, {}};
    }
    if (grant) {
        user->role = std::max(user->role, grant->role);
        for (const std::string& body : grant->bodies) {
            if (std::find(user->bodies.begin(), user->bodies.end(), body) == user->bodies.end()) {
                user->bodies.push_back(body);
            }
        }
    }
    Identity identity;
    identity.source = Identity::Source::kProxy;
    // The proxy sends its header with every request, cross-site ones too: forms need a token
    // as with a session, one that stays the same for the account.
    identity.csrf = FormToken(*user);
    identity.user = std::move(user);
    return identity;
}

void Gatekeeper::CheckCsrf(const Request& request) const {
    if (request.identity.csrf.empty()) return;  // nobody signed in: nothing to borrow
    // The API's writes take JSON only, which a page of another site cannot send without a
    // CORS preflight that this server never answers: Basic clients (scripts) need no token.
    if (request.identity.source == Identity::Source::kBasic && IsApi(request)) return;
    std::string sent = request.Header("x-csrf-token");
    if (sent.empty()) sent = request.Field("csrf");
    if (!SameSecret(sent, request.identity.csrf)) {
        throw Error(ErrorCode::kForbidden,
                    "formuläret saknar en giltig säkerhetskod (CSRF); ladda om sidan och försök "
                    "igen");
    }
}

void Gatekeeper::CheckWaits(const std::string& account, const std::string& client_address) {
    for (auto [throttle, key] : {std::pair{&account_throttle_, &account},
                                 std::pair{&address_throttle_, &client_address}}) {
        if (auto wait = throttle->Wait(*key)) throw WaitError(*wait);
    }
}

std::optional<User> Gatekeeper::VerifyThrottled(std::string_view name, std::string_view password,
                                                const std::string& client_address) {
    // No account has such a name, and the rule is public: refusing it unhashed tells nothing,
    // and keeps what the throttle stores per name short.
    if (!IsValidUserName(name)) return std::nullopt;
    const std::string account(name);
    // The cheap refusals first: a request that must wait never reaches Argon2.
    CheckWaits(account, client_address);
    std::optional<HashSlots::Slot> slot = hash_slots_.Take();
    if (!slot) {
        throw Error(ErrorCode::kUnavailable,
                    "för många inloggningar just nu; försök igen om en stund",
                    hash_slots_.RetryAfter());
    }
    // Failures counted while this request waited for its slot count too.
    CheckWaits(account, client_address);
    // An unknown name is checked against a decoy hash, in a slot like any other.
    std::optional<User> user = users_.Verify(name, password);
    if (!user) {
        account_throttle_.Failed(account);
        address_throttle_.Failed(client_address);
        return std::nullopt;
    }
    account_throttle_.Succeeded(account);
    return user;
}

std::optional<User> Gatekeeper::VerifyLogged(SignInMethod method, std::string_view name,
                                             std::string_view password,
                                             const std::string& client_address) {
    try {
        std::optional<User> user = VerifyThrottled(name, password, client_address);
        SignInOutcome outcome = SignInOutcome::kOk;
        if (!user) {
            outcome =
                users_.Find(name) ? SignInOutcome::kWrongPassword : SignInOutcome::kUnknownAccount;
        }
        LogSignIn(name, client_address, method, outcome);
        return user;
    } catch (const Error& error) {
        if (error.code() == ErrorCode::kTooManyRequests) {
            LogSignIn(name, client_address, method, SignInOutcome::kThrottled);
        } else if (error.code() == ErrorCode::kUnavailable) {
            LogSignIn(name, client_address, method, SignInOutcome::kBusy);
        }
        throw;
    }
}

std::string Gatekeeper::SignIn(std::string_view name, std::string_view password,
                               const std::string& client_address) {
    std::optional<User> user = VerifyLogged(SignInMethod::kForm, name, password, client_address);
    if (!user) throw Error(ErrorCode::kUnauthorized, "fel användarnamn eller lösenord");
    return sessions_.Create(user->name, AccountStamp(*user));
}

std::string Gatekeeper::AccountStamp(const User& user) const {
    return Keyed(process_key_,
                 "account\n" + std::string(RoleName(user.role)) + "\n" + user.password_hash);
}

std::string Gatekeeper::FormToken(const User& user) const {
    return Keyed(process_key_, "form\n" + user.name);
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
