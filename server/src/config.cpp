#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Util/IniFileConfiguration.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <limits>
#include <optional>

#include "auth/trusted_proxies.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/utf8.hpp"
#include "styrdok/server/server.hpp"

namespace styrdok::server {

namespace {

long Number(const Poco::Util::AbstractConfiguration& ini, const std::string& key, long fallback,
            long min, long max) {
    if (!ini.hasProperty(key)) return fallback;
    try {
        long value = ini.getInt64(key);
        if (value >= min && value <= max) return value;
    } catch (const Poco::Exception&) {
    }
    throw Error(ErrorCode::kBadInput, "configuration: " + key + " must be a whole number " +
                                          std::to_string(min) + "–" + std::to_string(max));
}

// A comma-separated list of IP addresses, each written as the server writes a client's
// address (Poco's IPAddress::toString), so that "2001:DB8::0010" matches 2001:db8::10.
std::vector<std::string> AddressList(const Poco::Util::AbstractConfiguration& ini,
                                     const std::string& key) {
    std::vector<std::string> addresses;
    const std::string list = ini.getString(key);
    for (std::size_t start = 0; start <= list.size();) {
        std::size_t comma = list.find(',', start);
        if (comma == std::string::npos) comma = list.size();
        const std::string address(core::Trim(std::string_view(list).substr(start, comma - start)));
        start = comma + 1;
        if (address.empty()) continue;
        Poco::Net::IPAddress parsed;
        if (!Poco::Net::IPAddress::tryParse(address, parsed)) {
            const std::string what = "configuration: " + key + " must be IP addresses";
            throw Error(ErrorCode::kBadInput, what + " separated by commas, not '" + address + "'");
        }
        addresses.push_back(parsed.toString());
    }
    return addresses;
}

// A header that names the account, believed from nobody, would be a setting that silently
// does nothing; believed from everybody, it would let anyone be anyone. Neither starts, and
// neither do groups that no header brings.
const ServerConfig& CheckedAuth(const ServerConfig& config) {
    if (!config.trusted_user_header.empty() && config.trusted_proxies.empty()) {
        throw Error(ErrorCode::kBadInput,
                    "configuration: auth.trusted_user_header is set but auth.trusted_proxies is "
                    "empty: name the address(es) of the reverse proxy that sets the header");
    }
    if (!config.trusted_groups_header.empty() && config.trusted_user_header.empty()) {
        throw Error(ErrorCode::kBadInput,
                    "configuration: auth.trusted_groups_header is set but "
                    "auth.trusted_user_header is empty: groups count only for a user the proxy "
                    "names");
    }
    if (!config.groups.empty() && config.trusted_groups_header.empty()) {
        throw Error(ErrorCode::kBadInput,
                    "configuration: [groups] maps groups but auth.trusted_groups_header is "
                    "empty: name the header in which the proxy sends them");
    }
    TrustedProxies check(config.trusted_proxies);  // throws naming an entry that is not valid
    return config;
}

std::vector<std::string> ListOf(const std::string& text, std::string_view separators) {
    std::vector<std::string> items;
    for (std::size_t start = 0; start <= text.size();) {
        std::size_t end = text.find_first_of(separators, start);
        if (end == std::string::npos) end = text.size();
        std::string item(core::Trim(std::string_view(text).substr(start, end - start)));
        if (!item.empty()) items.push_back(std::move(item));
        start = end + 1;
    }
    return items;
}

bool IsSection(std::string_view line, std::string_view name) {
    if (line.size() != name.size() + 2 || line.front() != '[' || line.back() != ']') return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(line[i + 1])) != name[i]) return false;
    }
    return true;
}

// [groups] is read line by line, not through Poco's keys: those ignore case and split at dots,
// and a group name is compared exactly, dots and all. A mistake names its line.
std::vector<GroupGrant> LoadGroups(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::vector<GroupGrant> groups;
    std::string raw;
    int number = 0;
    bool inside = false;
    while (std::getline(in, raw)) {
        ++number;
        const std::string_view line = core::Trim(raw);
        if (line.empty() || line.front() == ';' || line.front() == '#') continue;
        if (line.front() == '[') {
            inside = IsSection(line, "groups");
            continue;
        }
        if (!inside) continue;
        const auto refuse = [&](const std::string& why) {
            return Error(ErrorCode::kBadInput, file.string() + " line " + std::to_string(number) +
                                                   " ([groups] " + std::string(line) + "): " + why);
        };
        // A group name may hold '=' (a directory's "CN=…"); a role and body ids never do.
        const std::size_t equals = line.rfind('=');
        if (equals == std::string_view::npos) {
            throw refuse("write GROUP = ROLE or GROUP = ROLE:BODY,BODY");
        }
        GroupGrant grant;
        grant.line = number;
        grant.group = std::string(core::Trim(line.substr(0, equals)));
        if (grant.group.empty() || grant.group.find_first_of(",;") != std::string::npos) {
            throw refuse(
                "a group name is needed, without , or ; (they separate the groups in "
                "the header)");
        }
        const std::string value(core::Trim(line.substr(equals + 1)));
        const std::size_t colon = value.find(':');
        const std::string role(core::Trim(std::string_view(value).substr(0, colon)));
        const std::optional<core::Role> parsed = core::ParseRole(role);
        if (!parsed) throw refuse("unknown role \"" + role + "\" (reader, owner, clerk or admin)");
        grant.role = *parsed;
        if (colon != std::string::npos) {
            grant.bodies = ListOf(value.substr(colon + 1), ",");
            if (grant.bodies.empty()) throw refuse("name the body ids after the colon");
        }
        for (const GroupGrant& earlier : groups) {
            if (earlier.group == grant.group) {
                throw refuse("the group is mapped on line " + std::to_string(earlier.line) +
                             " too");
            }
        }
        groups.push_back(std::move(grant));
    }
    return groups;
}

UnknownUsers ParseUnknownUsers(const std::string& value) {
    if (value == "reader") return UnknownUsers::kReader;
    if (value == "refuse") return UnknownUsers::kRefuse;
    throw Error(ErrorCode::kBadInput, "configuration: auth.unknown_users must be reader or refuse");
}

}  // namespace

ServerConfig LoadServerConfig(const std::filesystem::path& file, ServerConfig config) {
    if (!std::filesystem::exists(file)) return CheckedAuth(config);
    Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini;
    try {
        ini = new Poco::Util::IniFileConfiguration(file.string());
    } catch (const Poco::Exception& error) {
        throw Error(ErrorCode::kBadInput, file.string() + ": " + error.displayText());
    }
    config.bind = ini->getString("server.bind", config.bind);
    config.port = static_cast<std::uint16_t>(Number(*ini, "server.port", config.port, 0, 65535));
    config.threads = static_cast<int>(Number(*ini, "server.threads", config.threads, 1, 1024));
    config.queue = static_cast<int>(Number(*ini, "server.queue", config.queue, 1, 65536));
    config.max_body_bytes = static_cast<std::size_t>(
        Number(*ini, "server.max_body_bytes", static_cast<long>(config.max_body_bytes), 1024,
               std::numeric_limits<int>::max()));
    config.max_uri_bytes = static_cast<std::size_t>(Number(
        *ini, "server.max_uri_bytes", static_cast<long>(config.max_uri_bytes), 256, 1 << 20));
    config.keep_alive_seconds = static_cast<int>(
        Number(*ini, "server.keep_alive_seconds", config.keep_alive_seconds, 1, 3600));
    config.header_timeout_seconds = static_cast<int>(
        Number(*ini, "server.header_timeout_seconds", config.header_timeout_seconds, 1, 3600));
    config.body_timeout_seconds = static_cast<int>(
        Number(*ini, "server.body_timeout_seconds", config.body_timeout_seconds, 1, 3600));
    config.body_min_rate =
        static_cast<int>(Number(*ini, "server.body_min_rate", config.body_min_rate, 0, 1 << 30));
    config.max_connections = static_cast<int>(
        Number(*ini, "server.max_connections", config.max_connections, 16, 1 << 20));
    config.max_connections_per_address =
        static_cast<int>(Number(*ini, "server.max_connections_per_address",
                                config.max_connections_per_address, 1, 1 << 20));
    config.poll_milliseconds = static_cast<int>(
        Number(*ini, "server.poll_milliseconds", config.poll_milliseconds, 100, 3600000));
    config.response_cache_bytes =
        static_cast<std::size_t>(Number(*ini, "server.response_cache_mb",
                                        static_cast<long>(config.response_cache_bytes >> 20), 0,
                                        1 << 20))
        << 20;

    // Monitoring.
    if (ini->hasProperty("server.log_format")) {
        const std::string format(core::Trim(ini->getString("server.log_format")));
        if (format != "text" && format != "json") {
            throw Error(ErrorCode::kBadInput,
                        "configuration: server.log_format must be text or json");
        }
        config.log_format = format == "json" ? LogFormat::kJson : LogFormat::kText;
    }
    if (ini->hasProperty("server.metrics_from")) {
        config.metrics_from = AddressList(*ini, "server.metrics_from");
    }

    config.session_idle_seconds = static_cast<int>(
        Number(*ini, "auth.session_idle_seconds", config.session_idle_seconds, 1, 7 * 24 * 3600));
    config.session_max_seconds = static_cast<int>(
        Number(*ini, "auth.session_max_seconds", config.session_max_seconds, 1, 30 * 24 * 3600));
    config.sign_in_attempts =
        static_cast<int>(Number(*ini, "auth.sign_in_attempts", config.sign_in_attempts, 1, 1000));
    config.sign_in_wait_seconds = static_cast<int>(
        Number(*ini, "auth.sign_in_wait_seconds", config.sign_in_wait_seconds, 1, 3600));
    config.trusted_user_header =
        ini->getString("auth.trusted_user_header", config.trusted_user_header);
    if (ini->hasProperty("auth.trusted_proxies")) {
        config.trusted_proxies = ListOf(ini->getString("auth.trusted_proxies"), ",");
    }
    if (ini->hasProperty("auth.unknown_users")) {
        config.unknown_users = ParseUnknownUsers(ini->getString("auth.unknown_users"));
    }
    config.trusted_groups_header =
        ini->getString("auth.trusted_groups_header", config.trusted_groups_header);
    if (std::vector<GroupGrant> groups = LoadGroups(file); !groups.empty()) {
        config.groups = std::move(groups);
    }
    config.site_name = ini->getString("site.name", config.site_name);
    config.municipality = ini->getString("site.municipality", config.municipality);
    config.contact_email = ini->getString("site.contact_email", config.contact_email);
    config.public_url = ini->getString("site.public_url", config.public_url);
    while (!config.public_url.empty() && config.public_url.back() == '/') {
        config.public_url.pop_back();
    }
    if (ini->hasProperty("site.templates")) {
        config.templates_dir = ini->getString("site.templates");
    }
    config.mail = reminders::LoadMailConfig(file, config.mail);
    config.follow_poll_milliseconds = static_cast<int>(
        Number(*ini, "follow.poll_milliseconds", config.follow_poll_milliseconds, 100, 86400000));
    config.follow_timeout_seconds = static_cast<int>(
        Number(*ini, "follow.timeout_seconds", config.follow_timeout_seconds, 1, 3600));
    return CheckedAuth(config);
}

void CheckGroupBodies(const ServerConfig& config, const core::Schema& schema) {
    for (const GroupGrant& grant : config.groups) {
        for (const std::string& body : grant.bodies) {
            const bool known =
                std::any_of(schema.bodies().begin(), schema.bodies().end(),
                            [&body](const core::Body& each) { return each.id == body; });
            if (!known) {
                throw Error(ErrorCode::kBadInput,
                            "configuration: [groups] line " + std::to_string(grant.line) + " (" +
                                grant.group + "): the schema has no body \"" + body + "\"");
            }
        }
    }
}

std::string DefaultConfigText() {
    return R"(; Styrdok's configuration. Lines starting with ; are comments; the values shown are the
; defaults. `styrdok serve --port N --bind ADDR` overrides the server's address.

[server]
; Address and port to listen on; 0.0.0.0 listens on every interface.
;bind = 127.0.0.1
;port = 8080
; Request threads, and requests that may wait for one before new ones get 503. A thread
; is given a connection only once its request has arrived, and only for that request.
;threads = 64
;queue = 256
; Largest request body and request line accepted (bigger: 413 / 414).
;max_body_bytes = 10485760
;max_uri_bytes = 8192
; Seconds a kept-alive connection may wait for its next request before it is closed.
;keep_alive_seconds = 5
; Slow clients (408): a request's head must arrive within header_timeout_seconds; a body
; within body_timeout_seconds plus a second for every body_min_rate bytes received.
;header_timeout_seconds = 20
;body_timeout_seconds = 20
;body_min_rate = 500
; Connections held at once, and of those from one address (an IPv6 /64); at either limit a
; new connection closes the one that has waited longest. The connections of a trusted reverse
; proxy ([auth] trusted_proxies) carry many clients and are not capped per address.
;max_connections = 10000
;max_connections_per_address = 1000
; How often to look for commits made by other programs (styrdok import), in milliseconds.
;poll_milliseconds = 2000
; Memory in MiB for finished document pages and their JSON, kept until a commit, and for
; answers of /api/search; 0 turns the cache off.
;response_cache_mb = 64
; Log lines as text, or as one JSON object per line (time, level, and for each request its
; id, method, target, route, status, bytes, duration_ms, client, account and user_agent;
; sign-ins and refused sign-ins as events of their own).
;log_format = text
; /metrics (Prometheus) answers requests from loopback that no proxy forwarded, and from the
; addresses listed here (comma-separated, as the server sees the client); everyone else gets
; 404: monitoring data is not for the public web. /healthz answers everyone.
;metrics_from = 192.0.2.10, 2001:db8::10

[auth]
; A session ends after this many seconds without a request, or this long after sign-in.
;session_idle_seconds = 1800
;session_max_seconds = 28800
; Failed sign-ins allowed for an account before each further attempt must wait, first
; sign_in_wait_seconds, then twice as long after each failure (an address gets ten times
; the attempts: many people share one behind a NAT).
;sign_in_attempts = 5
;sign_in_wait_seconds = 30
; Behind a reverse proxy (docs/deployment.md): the addresses or networks it connects from,
; comma-separated (127.0.0.1, 10.0.0.0/8, ::1, fd00::/8); none by default. Only from them is
; X-Forwarded-For believed (the client is its right-most address that is not one of them:
; logs and the sign-in throttle use it), X-Forwarded-Proto: https makes the session cookie
; Secure, and the single sign-on headers below count. Name only the proxy, and let nothing
; else on its machine reach the server: whoever connects from a trusted address can sign in
; as anyone.
;trusted_proxies = 127.0.0.1
; Single sign-on: the proxy, which has signed the user in, names them in this header (set
; without trusted_proxies, the server does not start). Off by default.
;trusted_user_header = X-Remote-User
; A name in that header without an account in users.xml: reader (signed in, not stored), or
; refuse (403, unless one of their groups in [groups] gives them a role).
;unknown_users = reader
; The header in which the proxy lists the user's directory groups, separated by commas or
; semicolons; [groups] says what they grant. Off by default.
;trusted_groups_header = X-Remote-Groups

[groups]
; Directory group = role, or role:body,body (body ids of the schema). A member has the highest
; role of their groups and owns the documents of every body named; an account of users.xml is
; raised to that role, never lowered. Names are compared exactly; other groups are ignored.
;GRP-Styrdok-Registratorer = clerk
;GRP-Socialnamnden = owner:sn

[site]
;name = Styrdok
;municipality = Exempelby kommun
; Where readers report accessibility problems (shown on /tillganglighet).
;contact_email = webb@exempelby.se
; The address readers reach the site at, for links in feeds (default: the request's Host).
;public_url = https://styrdok.exempelby.se
; Another folder of page templates and assets/.
;templates = /usr/share/styrdok/templates

[mail]
; Review reminders (styrdok remind, and the server once a day at `hour`, local time). With
; no smtp_host, each message is written to outbox/ in the registry folder as an .eml file.
;smtp_host = smtp.exempelby.se
;smtp_port = 25
; STARTTLS before login (true/false); without it, use a local relay for TLS.
;starttls = false
;username =
;password =
;sender = styrdok@exempelby.se
; Remind owners this many days before a document falls due, and again every repeat_days
; while it is overdue (the body's clerk is copied then).
;days_before = 30
;repeat_days = 14
;hour = 7

[follow]
; Only for a follower (styrdok init --follow URL; the repository records URL as its git
; remote "primary"). How often to fetch the primary's main, in milliseconds, and how long a
; fetch may take before it is abandoned until the next poll.
;poll_milliseconds = 5000
;timeout_seconds = 60
)";
}

}  // namespace styrdok::server
