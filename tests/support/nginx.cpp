#include "styrdok/testing/nginx.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "styrdok/testing/sandbox.hpp"

namespace styrdok::testing {

namespace {

sockaddr_in Loopback(const std::string& address, std::uint16_t port) {
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_port = htons(port);
    if (inet_pton(AF_INET, address.c_str(), &in.sin_addr) != 1) {
        throw std::runtime_error("not an IPv4 address: " + address);
    }
    return in;
}

bool Accepts(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    const sockaddr_in to = Loopback("127.0.0.1", port);
    const bool connected = ::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) == 0;
    ::close(fd);
    return connected;
}

// What `file` holds so far; empty when it is not there (yet).
std::string FileText(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// True once the head and as much body as its Content-Length says have come;
// false while more is to come.
bool Complete(const std::string& received) {
    const std::size_t head_end = received.find("\r\n\r\n");
    if (head_end == std::string::npos) return false;
    std::string head = received.substr(0, head_end);
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::size_t length = head.find("\r\ncontent-length:");
    if (length == std::string::npos) return false;  // to the end of the connection
    const std::size_t body = std::stoul(head.substr(length + 17));
    return received.size() >= head_end + 4 + body;
}

HttpResponse Parse(const std::string& received) {
    const std::size_t head_end = received.find("\r\n\r\n");
    if (head_end == std::string::npos || received.compare(0, 5, "HTTP/") != 0) {
        throw std::runtime_error("not an HTTP answer: " + received.substr(0, 200));
    }
    HttpResponse response;
    std::istringstream head(received.substr(0, head_end));
    std::string line;
    std::getline(head, line);
    response.status = std::stoi(line.substr(line.find(' ') + 1, 3));
    while (std::getline(head, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const std::size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::size_t value = colon + 1;
        while (value < line.size() && line[value] == ' ') ++value;
        response.headers[name] = line.substr(value);
    }
    response.body = received.substr(head_end + 4);
    return response;
}

}  // namespace

std::uint16_t FreePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address = Loopback("127.0.0.1", 0);
    socklen_t length = sizeof address;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        if (fd >= 0) ::close(fd);
        throw std::runtime_error("no free loopback port");
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

NginxProcess::NginxProcess(const std::filesystem::path& dir, const std::string& http_config,
                           const std::vector<std::uint16_t>& ports, int timeout_seconds)
    : dir_(dir) {
    std::filesystem::create_directories(dir_ / "temp");
    const std::string d = dir_.string();
    std::ofstream(dir_ / "nginx.conf")
        << "# A test's nginx (tests/support/nginx.cpp): one process in the foreground.\n"
        << "daemon off;\nmaster_process off;\nworker_processes 1;\n"
        << "pid " << d << "/nginx.pid;\n"
        << "error_log " << d << "/error.log info;\n"
        << "events { worker_connections 256; }\n"
        << "http {\n"
        << "    access_log " << d << "/access.log;\n"
        << "    client_body_temp_path " << d << "/temp/body;\n"
        << "    proxy_temp_path " << d << "/temp/proxy;\n"
        << "    fastcgi_temp_path " << d << "/temp/fastcgi;\n"
        << "    uwsgi_temp_path " << d << "/temp/uwsgi;\n"
        << "    scgi_temp_path " << d << "/temp/scgi;\n"
        << http_config << "\n}\n";
    const std::string conf = (dir_ / "nginx.conf").string();
    const std::string error_log = (dir_ / "error.log").string();
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        const int out = ::open((dir_ / "stderr.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (out >= 0) {
            ::dup2(out, STDOUT_FILENO);
            ::dup2(out, STDERR_FILENO);
        }
        // -e: nginx opens its error log before it reads the configuration.
        ::execl(kNginxBinary, kNginxBinary, "-p", d.c_str(), "-c", conf.c_str(), "-e",
                error_log.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
    for (std::uint16_t port : ports) {
        while (!Accepts(port)) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                throw std::runtime_error("nginx did not start: " + FileText(dir_ / "stderr.log") +
                                         ErrorLog());
            }
            if (std::chrono::steady_clock::now() > deadline) {
                Stop();
                throw std::runtime_error("nginx did not listen on port " + std::to_string(port) +
                                         ": " + ErrorLog());
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
}

NginxProcess::~NginxProcess() { Stop(); }

void NginxProcess::Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGQUIT);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

std::string NginxProcess::ErrorLog() const { return FileText(dir_ / "error.log"); }

HttpResponse HttpExchange(const Connection& connection, const std::string& method,
                          const std::string& target,
                          const std::map<std::string, std::string>& headers,
                          const std::string& body) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    const sockaddr_in from = Loopback(connection.from, 0);
    const sockaddr_in to = Loopback("127.0.0.1", connection.port);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&from), sizeof from) != 0 ||
        ::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot connect from " + connection.from + " to port " +
                                 std::to_string(connection.port));
    }
    Poco::Net::StreamSocket plain(new Poco::Net::StreamSocketImpl(fd));
    Poco::Net::StreamSocket socket = plain;
    if (connection.tls) {
        Poco::Net::Context::Params params;
        params.verificationMode = Poco::Net::Context::VERIFY_NONE;
        Poco::Net::Context::Ptr context =
            new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
        socket = Poco::Net::SecureStreamSocket::attach(plain, context);
    }
    socket.setReceiveTimeout(Poco::Timespan(30, 0));
    std::string request = method + " " + target + " HTTP/1.0\r\nHost: localhost\r\n";
    for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
    if (!body.empty() || method == "POST" || method == "PUT") {
        request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    request += "\r\n" + body;
    socket.sendBytes(request.data(), static_cast<int>(request.size()));
    std::string received;
    char buffer[16384];
    try {
        while (!Complete(received)) {
            const int n = socket.receiveBytes(buffer, sizeof buffer);
            if (n <= 0) break;
            received.append(buffer, static_cast<std::size_t>(n));
        }
    } catch (const Poco::Exception& error) {
        // A TLS peer may close without a close_notify once it has said everything.
        if (!Complete(received)) throw std::runtime_error("no answer: " + error.displayText());
    }
    socket.close();
    return Parse(received);
}

void MakeTestCertificate(const std::filesystem::path& dir) {
    const RunResult made =
        Run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
            "-nodes -days 2 -subj /CN=localhost -keyout " +
            ShellQuote((dir / "key.pem").string()) + " -out " +
            ShellQuote((dir / "cert.pem").string()));
    if (made.exit_code != 0) throw std::runtime_error("openssl failed: " + made.err);
}

}  // namespace styrdok::testing
