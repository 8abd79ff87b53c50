#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "styrdok/core/access.hpp"
#include "styrdok/core/date.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/reminders/reminders.hpp"

namespace styrdok::server {

/// One line of [groups]: members of the directory group `group` (compared exactly) have at
/// least `role` and own the documents of `bodies` (schema body ids), besides what their account
/// in users.xml gives them: a group raises an account's role, never lowers it.
struct GroupGrant {
    std::string group;
    core::Role role = core::Role::kReader;
    std::vector<std::string> bodies;
    int line = 0;  ///< in the configuration file, for messages
};

/// A name the reverse proxy vouches for that has no account in users.xml.
enum class UnknownUsers { kReader, kRefuse };

/// How the server writes its log lines (server.log_format).
enum class LogFormat {
    kText,  ///< "2026-12-06T10:00:00.123 I styrdok: text", local time
    kJson,  ///< one JSON object per line (docs/operations.md, "Monitoring")
};

/// How the server runs: read from the registry's configuration file (styrdok.ini), with the
/// command line's --port and --bind on top.
struct ServerConfig {
    std::string bind = "127.0.0.1";
    std::uint16_t port = 8080;  ///< 0 picks a free port
    /// Request threads. A thread is given a connection only once its request's head has
    /// arrived, and only for that request, so this bounds the requests answered at once.
    int threads = 64;
    int queue = 256;  ///< arrived requests waiting for a thread before new ones get 503
    std::size_t max_body_bytes = 10u << 20;
    std::size_t max_uri_bytes = 8192;
    /// A kept-alive connection without a new request for this long is closed.
    int keep_alive_seconds = 5;
    /// A request's head must arrive within this time (from the connection, or from the first
    /// byte of a kept-alive connection's next request); else 408.
    int header_timeout_seconds = 20;
    /// A body must arrive within body_timeout_seconds plus one second for every
    /// body_min_rate bytes received (Apache's mod_reqtimeout); else 408.
    int body_timeout_seconds = 20;
    int body_min_rate = 500;  ///< bytes per second; 0: body_timeout_seconds is the total
    /// Connections held at once, in any state (idle, slow, answered), and of those from one
    /// address (an IPv6 /64); at either limit a new one closes the one that has waited
    /// longest for its request. Lowered at start to fit the process's descriptor limit.
    int max_connections = 10000;
    int max_connections_per_address = 1000;
    /// How often the server looks for commits made outside it (styrdok import).
    int poll_milliseconds = 2000;
    /// Memory for finished document pages and JSON, kept until HEAD moves; 0 keeps none.
    std::size_t response_cache_bytes = 64u << 20;
    std::string site_name = "Styrdok";
    std::string municipality = "Exempelby kommun";
    std::string contact_email = "webb@exempelby.se";
    /// The address readers reach the site at, for absolute links in feeds; empty means the
    /// request's own Host.
    std::string public_url;
    /// templates/ with its assets/ folder.
    std::filesystem::path templates_dir;
    /// Today's date for banners and "in force" (tests and demonstrations); nullopt is the
    /// machine's local date.
    std::optional<core::Date> today;

    // [server], monitoring (docs/operations.md, "Monitoring")
    LogFormat log_format = LogFormat::kText;
    /// Addresses besides loopback that may read /metrics (as the request's client address);
    /// everyone else gets 404.
    std::vector<std::string> metrics_from;

    // [auth]
    /// A session ends after this long without a request, or this long after sign-in.
    int session_idle_seconds = 30 * 60;
    int session_max_seconds = 8 * 60 * 60;
    /// Failed sign-ins allowed for one account before each further attempt must wait,
    /// sign_in_wait_seconds at first and twice as long after each failure.
    int sign_in_attempts = 5;
    int sign_in_wait_seconds = 30;
    /// Single sign-on behind a reverse proxy: the header in which it names the account
    /// (empty: off), and the addresses it connects from. None by default: any process on the
    /// machine can connect from 127.0.0.1 and send the header, so the administrator names the
    /// proxy; LoadServerConfig refuses a header without proxies.
    std::string trusted_user_header;
    std::vector<std::string> trusted_proxies;

    // Behind a reverse proxy (docs/deployment.md). trusted_proxies are also believed on the
    // client's address (X-Forwarded-For) and scheme (X-Forwarded-Proto), and their connections
    // are not capped by max_connections_per_address.
    /// What a name in trusted_user_header without an account in users.xml is (auth.unknown_users):
    /// a reader, or refused (403) unless a group of [groups] gives it a role.
    UnknownUsers unknown_users = UnknownUsers::kReader;
    /// The header in which the proxy lists the user's directory groups, separated by commas or
    /// semicolons (auth.trusted_groups_header); empty: off. Believed as trusted_user_header is.
    std::string trusted_groups_header;
    /// [groups]: what membership of each directory group grants, in the file's order.
    std::vector<GroupGrant> groups;

    // [mail]
    reminders::MailConfig mail;

    // [follow]: a follower (styrdok init --follow), a read-only copy of its primary.
    /// The URL of the primary this registry follows; empty: the registry takes writes. Serve
    /// sets it from the repository (store::FollowedPrimary), whatever the caller put there. A
    /// follower fetches from it, answers every write 503 read_only naming it, offers no write
    /// form and sends no reminders.
    std::string primary;
    /// How often a follower fetches from its primary.
    int follow_poll_milliseconds = 5000;
    /// A fetch still running after this long is abandoned and tried again at the next poll.
    int follow_timeout_seconds = 60;
};

/// Reads `file` (INI: sections [server], [auth], [groups], [site], [mail] and [follow]) over
/// `defaults`; a missing file gives the defaults. Throws Error(kBadInput) naming the key (or the
/// line of [groups]) for a value that is not valid, for auth.trusted_user_header set without
/// auth.trusted_proxies, and for trusted_groups_header or [groups] without
/// trusted_user_header.
ServerConfig LoadServerConfig(const std::filesystem::path& file, ServerConfig defaults = {});

/// Throws Error(kBadInput) naming the line of [groups] that names a body `schema` does not
/// have. Serve calls it; `styrdok check` may too.
void CheckGroupBodies(const ServerConfig& config, const core::Schema& schema);

/// The commented configuration file `styrdok init` writes into a new registry.
std::string DefaultConfigText();

/// What the server serves from: the parts of a registry folder.
struct RegistryPaths {
    std::filesystem::path repository;
    std::filesystem::path index_dir;
    std::filesystem::path users_file;  ///< the accounts (users.xml)
};

/// Brings the index up to HEAD, then serves HTTP until SIGTERM or SIGINT, when it stops
/// taking connections, lets running requests finish and returns 0. Calls `on_ready` with the
/// bound port once requests are answered (the caller announces it). Must be called before
/// the process starts any other thread: it blocks the termination signals for every thread
/// it starts so that only its own wait receives them. Throws Error, with a one-line reason,
/// when it cannot start: a registry, templates or configuration it cannot use, an address it
/// cannot listen on (kUnavailable).
int Serve(const RegistryPaths& paths, const core::Schema& schema, const ServerConfig& config,
          const std::function<void(std::uint16_t port)>& on_ready);

}  // namespace styrdok::server
