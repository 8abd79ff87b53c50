#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/IniFileConfiguration.h>

#include <limits>

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

// A header that names the account, believed from nobody, would be a setting that silently
// does nothing; believed from everybody, it would let anyone be anyone. Neither starts.
const ServerConfig& CheckedAuth(const ServerConfig& config) {
    if (!config.trusted_user_header.empty() && config.trusted_proxies.empty()) {
        throw Error(ErrorCode::kBadInput,
                    "configuration: auth.trusted_user_header is set but auth.trusted_proxies is "
                    "empty: name the address(es) of the reverse proxy that sets the header");
    }
    return config;
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
        config.trusted_proxies.clear();
        std::string list = ini->getString("auth.trusted_proxies");
        for (std::size_t start = 0; start <= list.size();) {
            std::size_t comma = list.find(',', start);
            if (comma == std::string::npos) comma = list.size();
            std::string address(core::Trim(std::string_view(list).substr(start, comma - start)));
            if (!address.empty()) config.trusted_proxies.push_back(address);
            start = comma + 1;
        }
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
; new connection closes the one that has waited longest. Behind a reverse proxy every
; connection comes from its address: give it max_connections_per_address = max_connections.
;max_connections = 10000
;max_connections_per_address = 1000
; How often to look for commits made by other programs (styrdok import), in milliseconds.
;poll_milliseconds = 2000
; Memory in MiB for finished document pages and their JSON, kept until a commit; 0 turns
; the cache off.
;response_cache_mb = 64

[auth]
; A session ends after this many seconds without a request, or this long after sign-in.
;session_idle_seconds = 1800
;session_max_seconds = 28800
; Failed sign-ins allowed for an account before each further attempt must wait, first
; sign_in_wait_seconds, then twice as long after each failure (an address gets ten times
; the attempts: many people share one behind a NAT).
;sign_in_attempts = 5
;sign_in_wait_seconds = 30
; Single sign-on: a reverse proxy that has signed the user in names the account in this
; header; it is believed only from trusted_proxies (comma-separated addresses), and a header
; without trusted_proxies stops the server at start. Name only the proxy's own address, and
; let nothing else on that machine reach the server: a process that connects from a trusted
; address can sign in as any account. Both off by default.
;trusted_user_header = X-Remote-User
;trusted_proxies = 127.0.0.1

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
