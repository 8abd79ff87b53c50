#pragma once

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/ServerSocket.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace styrdok::server {

/// How the listener holds connections ([server] in styrdok.ini; docs/operations.md).
struct ListenerConfig {
    int threads = 64;  ///< request threads
    int queue = 256;   ///< complete requests that may wait for a thread; more are answered 503
    /// A request's head must have arrived this long after the connection was accepted (or
    /// after the first byte of a kept-alive connection's next request), else 408.
    std::chrono::milliseconds header_timeout{20'000};
    /// A small body (see kGateBodyBytes) must have arrived this long after its head, else 408.
    std::chrono::milliseconds body_timeout{20'000};
    /// A kept-alive connection with no new request for this long is closed.
    std::chrono::milliseconds keep_alive{5'000};
    std::size_t max_connections = 10'000;             ///< held at once, in every state
    std::size_t max_connections_per_address = 1'000;  ///< of those, from one address
    std::size_t max_head_bytes = 40 << 10;            ///< a longer head is answered 431
    /// True for a peer (a sockaddr of `length` bytes) whose connections carry many clients, a
    /// trusted reverse proxy: max_connections_per_address does not apply to it. Called on the
    /// listener's thread for each accepted connection; empty: none.
    std::function<bool(const void* address, std::size_t length)> carries_many_clients;
};

/// A body this small, announced with a plain Content-Length, is waited for before a thread
/// is given the request, so that slow small bodies (forms, sign-in) cost no thread.
inline constexpr std::size_t kGateBodyBytes = 16 << 10;

/// The key connections are counted under for `max_connections_per_address`: the IPv4 address,
/// or the /64 prefix of an IPv6 one (one subscriber's network). `address` is a sockaddr.
std::string AddressKey(const void* address, std::size_t length);

/// Bytes that can be read from `request`'s connection without waiting: what Poco has read
/// ahead of the head and what the kernel holds. 0 for a request that a Listener did not read.
std::size_t BytesWaiting(Poco::Net::HTTPServerRequest& request);

/// Sends `response`'s head followed by `body` (nothing of it when `request` is a HEAD) on a
/// connection a Listener holds, in one write, with Content-Length set to body's size: Poco's
/// own send() formats the head twice and writes it and the body through a 4 KiB buffer, a
/// system call (and TCP segment) per 4 KiB. Elsewhere it falls back to send(). False when the
/// client is gone or stopped reading: the connection must then be closed.
bool SendWhole(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
               std::string_view body);

/// HTTP/1.1 on a listening socket, with a thread only for a request that has arrived: one
/// thread with epoll holds every connection while its request head (and a small body) comes
/// in, against `header_timeout`, and while it is kept alive between requests; only a complete
/// head is handed to one of the `threads`, which answers it through `handlers`. After the
/// answer the thread waits on the kept-alive connection for its next request only while no
/// other request needs a thread, and answers it if it arrives whole; otherwise the connection
/// goes back to the epoll thread. A slow or idle client therefore costs a file descriptor and
/// holds no thread that another request wants. The listener answers 408 to a head that is late, 400
/// to one that is not HTTP/1.x, 431 to one larger than max_head_bytes and 503 when `queue` requests
/// already wait; at max_connections (or max_connections_per_address) a new connection makes room by
/// closing the one that has waited longest for its request (of its address). Bytes of a pipelined
/// request already read with the previous one close the connection after its answer.
class Listener {
public:
    /// Takes over `socket` (bound and listening); `handlers` and `logger` must outlive it.
    Listener(Poco::Net::ServerSocket socket, ListenerConfig config,
             Poco::Net::HTTPRequestHandlerFactory& handlers, Poco::Logger& logger);
    ~Listener();
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;

    /// Starts accepting connections. Throws Poco::Exception when the system refuses epoll.
    void Start();
    /// Stops accepting, closes the connections that wait for a request, lets requests under
    /// way finish for up to `grace` and then cuts their connections.
    void Stop(std::chrono::milliseconds grace);

    std::uint16_t port() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace styrdok::server
