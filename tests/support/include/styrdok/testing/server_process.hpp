#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace styrdok::testing {

/// A real `styrdok serve` on a free loopback port, started in the constructor (which waits
/// until it answers) and stopped with SIGTERM in the destructor.
class ServerProcess {
public:
    /// Runs `binary serve --data DATA --port 0 ARGS…`; throws std::runtime_error when it does
    /// not announce its port within `timeout_seconds`.
    ServerProcess(const std::filesystem::path& binary, const std::filesystem::path& data,
                  const std::vector<std::string>& arguments = {}, int timeout_seconds = 60);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    std::uint16_t port() const { return port_; }
    pid_t pid() const { return pid_; }
    /// Sends SIGTERM and waits; returns the exit status (-1 when it died of a signal).
    int Stop();
    /// What the server wrote on standard error so far (the log).
    std::string Log() const;
    /// The most memory the server has held resident since it started (VmHWM of
    /// /proc/PID/status), in bytes; throws std::runtime_error when it cannot be read.
    std::size_t PeakResidentBytes() const;

private:
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
    std::filesystem::path log_file_;
};

/// An HTTP response as a test sees it.
struct HttpResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  ///< names lower-cased
    std::string body;                            ///< as sent (still gzip when so encoded)

    std::string Header(const std::string& lower_name) const;
};

/// One HTTP/1.1 request to 127.0.0.1:`port`. `target` is sent as written (already encoded),
/// so tests can send malformed targets. Throws std::runtime_error when no answer comes.
HttpResponse HttpRequest(std::uint16_t port, const std::string& method, const std::string& target,
                         const std::map<std::string, std::string>& headers = {},
                         const std::string& body = {});

inline HttpResponse HttpGet(std::uint16_t port, const std::string& target,
                            const std::map<std::string, std::string>& headers = {}) {
    return HttpRequest(port, "GET", target, headers);
}

}  // namespace styrdok::testing
