#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "styrdok/core/date.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/reminders/reminders.hpp"

namespace styrdok::server {

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

    // [mail]
    reminders::MailConfig mail;
};

/// Reads `file` (INI: sections [server], [auth], [site] and [mail]) over `defaults`; a missing
/// file gives the defaults. Throws Error(kBadInput) naming the key for a value that is not
/// valid, and for auth.trusted_user_header set without auth.trusted_proxies.
ServerConfig LoadServerConfig(const std::filesystem::path& file, ServerConfig defaults = {});

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
