#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "styrdok/testing/server_process.hpp"

namespace styrdok::testing {

/// The nginx of the Debian package (scripts/install-deps installs it).
inline constexpr const char* kNginxBinary = "/usr/sbin/nginx";

/// A loopback TCP port nobody listens on at the moment (for programs that need a number).
std::uint16_t FreePort();

/// A real nginx as a reverse proxy in a test: started in the constructor in the foreground
/// (no daemon, no master process: one process, which the test owns) with every file it writes
/// (pid, logs, temporary bodies) in `dir`, and stopped in the destructor.
class NginxProcess {
public:
    /// Runs kNginxBinary with `http_config` (directives of its http {} block, usually a site's
    /// server {} blocks listening on 127.0.0.1) and waits until each of `ports` accepts
    /// connections. Throws std::runtime_error with nginx's error log when it does not start
    /// within `timeout_seconds`.
    NginxProcess(const std::filesystem::path& dir, const std::string& http_config,
                 const std::vector<std::uint16_t>& ports, int timeout_seconds = 20);
    ~NginxProcess();
    NginxProcess(const NginxProcess&) = delete;
    NginxProcess& operator=(const NginxProcess&) = delete;

    /// Stops nginx (SIGQUIT: it finishes what it serves) and waits for it.
    void Stop();
    /// nginx's error log so far.
    std::string ErrorLog() const;

private:
    std::filesystem::path dir_;
    pid_t pid_ = -1;
};

/// How HttpExchange reaches the server.
struct Connection {
    std::uint16_t port = 0;
    /// The local address the connection comes from: any 127.x.y.z is this machine, so one
    /// test can be many clients.
    std::string from = "127.0.0.1";
    bool tls = false;  ///< TLS without checking the certificate (a test's own)
};

/// One HTTP/1.0 request (no keep-alive, no chunked answer) to 127.0.0.1 over `connection`,
/// `target` sent as written. Throws std::runtime_error when no answer comes.
HttpResponse HttpExchange(const Connection& connection, const std::string& method,
                          const std::string& target,
                          const std::map<std::string, std::string>& headers = {},
                          const std::string& body = {});

/// Makes a self-signed certificate for "localhost" with openssl: `dir`/cert.pem and
/// `dir`/key.pem. Throws std::runtime_error when openssl fails.
void MakeTestCertificate(const std::filesystem::path& dir);

}  // namespace styrdok::testing
