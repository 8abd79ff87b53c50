#include "listener.hpp"

#include <Poco/Buffer.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <Poco/Timestamp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <list>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "request_head.hpp"

namespace styrdok::server {

namespace {

using Clock = std::chrono::steady_clock;

// A closing connection is read from (its bytes dropped) for this long after its last answer,
// so that the answer is not lost to a reset for bytes left unread (nginx's lingering close).
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 1 << 20;
// What the listener turned away is summed up in the log at most this often.
constexpr auto kReportEvery = std::chrono::seconds(10);
constexpr std::chrono::seconds kSendTimeout(60);
// Without descriptors (EMFILE), accepting pauses this long; new connections wait in the backlog.
constexpr auto kAcceptPause = std::chrono::milliseconds(100);

enum class Phase {
    kIdle,     // kept alive, no byte of a next request yet
    kHead,     // a new connection, or a head coming in
    kBody,     // a complete head whose small body is coming in
    kServing,  // with a request thread
    kLinger,   // answered for the last time; read until the client closes
};

struct Connection {
    Poco::Net::StreamSocket socket;
    std::string address;  // AddressKey
    Phase phase = Phase::kHead;
    bool polled = false;  // registered with epoll
    bool timed = false;   // in deadlines_
    Clock::time_point deadline;
    std::size_t seen = 0;     // bytes of the request there at the last look
    std::size_t needed = 0;   // kBody: the head and its body
    std::size_t drained = 0;  // kLinger
    // Places in the waiting orders (every phase but kServing), oldest first.
    std::list<int>::iterator in_address;
    std::list<int>::iterator in_all;
};

struct Address {
    std::size_t count = 0;
    std::list<int> waiting;
};

// An answer the listener gives by itself, with the connection closed after it.
struct Refusal {
    int status;
    const char* reason;
    const char* text;  // one line, Swedish
};
constexpr Refusal kBadRequest{400, "Bad Request", "felaktig förfrågan"};
constexpr Refusal kLate{408, "Request Timeout", "förfrågan kom inte fram i tid"};
constexpr Refusal kHeadTooLarge{431, "Request Header Fields Too Large",
                                "förfrågans huvud är för stort"};
constexpr Refusal kBusy{503, "Service Unavailable", "servern är upptagen; försök igen om en stund"};

std::string AnswerText(const Refusal& refusal) {
    std::string body = std::string(refusal.text) + "\n";
    std::string answer =
        "HTTP/1.1 " + std::to_string(refusal.status) + " " + refusal.reason + "\r\nDate: " +
        Poco::DateTimeFormatter::format(Poco::Timestamp(), Poco::DateTimeFormat::HTTP_FORMAT) +
        "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
        std::to_string(body.size()) +
        "\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-cache\r\n";
    if (refusal.status == 503) answer += "Retry-After: 1\r\n";
    answer += "Connection: close\r\n\r\n";
    return answer + body;
}

// What the listener turned away since the last report.
struct Counts {
    std::size_t late = 0;
    std::size_t malformed = 0;
    std::size_t too_large = 0;
    std::size_t busy = 0;
    std::size_t evicted = 0;
    std::size_t refused = 0;
    std::size_t accept_paused = 0;

    bool Any() const {
        return late + malformed + too_large + busy + evicted + refused + accept_paused > 0;
    }
};

class Gate;

// A server session that tells how many bytes it has read ahead.
class ListenerSession : public Poco::Net::HTTPServerSession {
public:
    using Poco::Net::HTTPServerSession::HTTPServerSession;
    std::size_t ReadAhead() const { return static_cast<std::size_t>(buffered()); }
};

bool ServeOne(Poco::Net::StreamSocket& socket, Gate& gate);
bool NextRequestArrives(int fd, Gate& gate, Clock::time_point until);

class Gate {
public:
    Gate(Poco::Net::ServerSocket socket, ListenerConfig config,
         Poco::Net::HTTPRequestHandlerFactory& handlers, Poco::Logger& logger)
        : socket_(std::move(socket)),
          config_(std::move(config)),
          handlers_(handlers),
          logger_(logger),
          params_(new Poco::Net::HTTPServerParams),
          peek_(config_.max_head_bytes + kGateBodyBytes) {
        params_->setKeepAlive(true);
    }

    ~Gate() {
        if (thread_.joinable()) Stop(std::chrono::milliseconds(0));
        if (epoll_ >= 0) ::close(epoll_);
        if (wake_ >= 0) ::close(wake_);
        if (wanted_ >= 0) ::close(wanted_);
    }

    void Start() {
        epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
        wake_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        wanted_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (epoll_ < 0 || wake_ < 0 || wanted_ < 0)
            throw Poco::Net::NetException("epoll", std::strerror(errno));
        socket_.setBlocking(false);
        listen_fd_ = socket_.impl()->sockfd();
        AddToEpoll(wake_, EPOLLIN);
        AddToEpoll(listen_fd_, EPOLLIN);
        next_report_ = Clock::now() + kReportEvery;
        thread_ = std::thread([this] { Run(); });
    }

    void Stop(std::chrono::milliseconds grace) {
        stopping_.store(true);
        Wake();
        if (thread_.joinable()) thread_.join();
        {
            // Threads that wait on kept-alive connections give them up (to be closed).
            std::lock_guard lock(work_mutex_);
            SignalWanted();
        }
        for (auto deadline = Clock::now() + grace; Clock::now() < deadline;) {
            {
                std::lock_guard lock(work_mutex_);
                if (work_.empty() && idle_workers_ == static_cast<int>(workers_.size())) break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        {
            std::lock_guard lock(mutex_);
            for (auto& [fd, connection] : connections_) ::shutdown(fd, SHUT_RDWR);
        }
        {
            std::lock_guard lock(work_mutex_);
            workers_stopping_ = true;
        }
        work_ready_.notify_all();
        for (std::thread& worker : workers_) worker.join();
        workers_.clear();
        std::lock_guard lock(mutex_);
        for (auto& [fd, connection] : connections_) connection.socket.close();
        connections_.clear();
    }

    std::uint16_t port() const { return socket_.address().port(); }

    std::size_t peek_limit() const { return peek_.size(); }
    // Readable while a request waits for a thread that none is free to take.
    int wanted_fd() const { return wanted_; }

    // From a request thread: the connection `fd` has been answered, and has been idle since
    // `idle_since` if it is kept alive.
    void Returned(int fd, bool keep_alive, Clock::time_point idle_since) {
        std::lock_guard lock(mutex_);
        if (!stopped_) {
            returned_.push_back({fd, keep_alive, idle_since});
            if (returned_.size() == 1) Wake();
            return;
        }
        auto found = connections_.find(fd);
        if (found == connections_.end()) return;
        found->second.socket.close();
        connections_.erase(found);
    }

    Poco::Net::HTTPRequestHandlerFactory& handlers() { return handlers_; }
    const Poco::Net::HTTPServerParams::Ptr& params() const { return params_; }

private:
    void Wake() {
        std::uint64_t one = 1;
        [[maybe_unused]] ssize_t written = ::write(wake_, &one, sizeof one);
    }

    void AddToEpoll(int fd, std::uint32_t events) {
        epoll_event event{};
        event.events = events;
        event.data.fd = fd;
        ::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event);
    }

    void Poll(int fd, Connection& connection) {
        if (connection.polled) return;
        AddToEpoll(fd, EPOLLIN | EPOLLRDHUP | EPOLLET);
        connection.polled = true;
    }

    void Unpoll(int fd, Connection& connection) {
        if (!connection.polled) return;
        ::epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
        connection.polled = false;
    }

    void SetDeadline(int fd, Connection& connection, Clock::time_point deadline) {
        if (connection.timed) deadlines_.erase({connection.deadline, fd});
        deadlines_.emplace(deadline, fd);
        connection.deadline = deadline;
        connection.timed = true;
    }

    void ClearDeadline(int fd, Connection& connection) {
        if (connection.timed) deadlines_.erase({connection.deadline, fd});
        connection.timed = false;
    }

    // Puts a connection that has no thread into `phase`, keeping its place in the waiting
    // orders if it had one.
    void Wait(int fd, Connection& connection, Phase phase, Clock::time_point deadline) {
        if (connection.phase == Phase::kServing) {
            Address& address = addresses_[connection.address];
            connection.in_address = address.waiting.insert(address.waiting.end(), fd);
            connection.in_all = waiting_.insert(waiting_.end(), fd);
        }
        connection.phase = phase;
        SetDeadline(fd, connection, deadline);
    }

    void Run() {
        std::vector<epoll_event> events(256);
        while (!stopping_.load()) {
            int n = ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()),
                                 Timeout(Clock::now()));
            if (n < 0 && errno != EINTR) {
                logger_.error("listener: epoll_wait: %s", std::string(std::strerror(errno)));
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
                continue;
            }
            auto now = Clock::now();
            for (int i = 0; i < n; ++i) {
                int fd = events[i].data.fd;
                if (fd == wake_) {
                    std::uint64_t count;
                    [[maybe_unused]] ssize_t read = ::read(wake_, &count, sizeof count);
                } else if (fd == listen_fd_) {
                    Accept(now);
                } else if (auto found = connections_.find(fd); found != connections_.end()) {
                    if (found->second.phase == Phase::kLinger) {
                        Drain(fd, found->second);
                    } else if (found->second.phase != Phase::kServing) {
                        Look(fd, found->second, events[i].events, now);
                    }
                }
            }
            TakeReturned(now);
            Expire(now);
            if (accept_paused_ && now >= accept_resume_) {
                AddToEpoll(listen_fd_, EPOLLIN);
                accept_paused_ = false;
            }
            Report(now);
        }
        // Connections that wait are closed now; those with a thread when they come back.
        std::vector<Return> returned;
        {
            std::lock_guard lock(mutex_);
            stopped_ = true;
            returned.swap(returned_);
            socket_.close();
            for (const Return& back : returned) connections_[back.fd].phase = Phase::kIdle;
            for (auto it = connections_.begin(); it != connections_.end();) {
                if (it->second.phase == Phase::kServing) {
                    ++it;
                } else {
                    it->second.socket.close();
                    it = connections_.erase(it);
                }
            }
        }
    }

    int Timeout(Clock::time_point now) const {
        auto next = now + std::chrono::seconds(1);
        if (!deadlines_.empty()) next = std::min(next, deadlines_.begin()->first);
        if (accept_paused_) next = std::min(next, accept_resume_);
        if (next <= now) return 0;
        return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(next - now).count());
    }

    void Accept(Clock::time_point now) {
        for (int accepted = 0; accepted < 64; ++accepted) {
            sockaddr_storage address{};
            socklen_t length = sizeof address;
            int fd =
                ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length, SOCK_CLOEXEC);
            if (fd >= 0) {
                const bool capped = !config_.carries_many_clients ||
                                    !config_.carries_many_clients(&address, length);
                Admit(fd, AddressKey(&address, length), capped, now);
                continue;
            }
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                ::epoll_ctl(epoll_, EPOLL_CTL_DEL, listen_fd_, nullptr);
                accept_paused_ = true;
                accept_resume_ = now + kAcceptPause;
                ++counts_.accept_paused;
            }
            return;
        }
    }

    // Closes the connection that has waited longest in `order`; false when there is none.
    bool Evict(const std::list<int>& order) {
        if (order.empty()) return false;
        Close(order.front());
        ++counts_.evicted;
        return true;
    }

    // `capped`: max_connections_per_address applies to this peer.
    void Admit(int fd, const std::string& key, bool capped, Clock::time_point now) {
        bool room = connections_.size() < config_.max_connections || Evict(waiting_);
        if (room && capped) {
            auto address = addresses_.find(key);
            if (address != addresses_.end() &&
                address->second.count >= config_.max_connections_per_address) {
                room = Evict(address->second.waiting);
            }
        }
        if (!room) {
            ::close(fd);
            ++counts_.refused;
            return;
        }
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        // A client that does not read its answer ends a write after this (Poco's sessions set
        // only the receiving side's timeout).
        timeval send_timeout{kSendTimeout.count(), 0};
        ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
        Connection& connection = connections_[fd];
        connection.socket = Poco::Net::StreamSocket(new Poco::Net::StreamSocketImpl(fd));
        connection.address = key;
        connection.phase = Phase::kServing;  // not yet waiting
        ++addresses_[key].count;
        Wait(fd, connection, Phase::kHead, now + config_.header_timeout);
        Poll(fd, connection);
        peak_ = std::max(peak_, connections_.size());
    }

    // Looks at what has come of a waiting connection's request, without reading it.
    void Look(int fd, Connection& connection, std::uint32_t events, Clock::time_point now) {
        const bool hangup = (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;
        int available = 0;
        if (!hangup && ::ioctl(fd, FIONREAD, &available) == 0 && available > 0 &&
            static_cast<std::size_t>(available) == connection.seen) {
            return;  // nothing new
        }
        ssize_t n = ::recv(fd, peek_.data(), peek_.size(), MSG_PEEK | MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
        if (n <= 0) {
            Close(fd);
            return;
        }
        connection.seen = static_cast<std::size_t>(n);
        if (connection.phase == Phase::kIdle) {
            Wait(fd, connection, Phase::kHead, now + config_.header_timeout);
        }
        if (connection.phase == Phase::kBody) {
            if (connection.seen >= connection.needed) {
                Dispatch(fd, connection, now);
            } else if (hangup) {
                Close(fd);
            }
            return;
        }
        RequestHead head = ScanRequestHead(std::string_view(peek_.data(), connection.seen));
        if (head.state == RequestHead::State::kMalformed) {
            ++counts_.malformed;
            Refuse(fd, connection, kBadRequest, now);
            return;
        }
        if (head.state == RequestHead::State::kIncomplete) {
            if (connection.seen >= config_.max_head_bytes) {
                ++counts_.too_large;
                Refuse(fd, connection, kHeadTooLarge, now);
            } else if (hangup) {
                Close(fd);  // the client has stopped sending before the head was whole
            }
            return;
        }
        if (head.size > config_.max_head_bytes) {
            ++counts_.too_large;
            Refuse(fd, connection, kHeadTooLarge, now);
            return;
        }
        if (head.body_length && *head.body_length > 0 && *head.body_length <= kGateBodyBytes &&
            connection.seen < head.size + *head.body_length) {
            if (hangup) {
                Close(fd);
                return;
            }
            connection.needed = head.size + static_cast<std::size_t>(*head.body_length);
            Wait(fd, connection, Phase::kBody, now + config_.body_timeout);
            return;
        }
        Dispatch(fd, connection, now);
    }

    void Dispatch(int fd, Connection& connection, Clock::time_point now) {
        if (queued_.load(std::memory_order_relaxed) >= static_cast<std::size_t>(config_.queue)) {
            ++counts_.busy;
            Refuse(fd, connection, kBusy, now);
            return;
        }
        Unpoll(fd, connection);
        ClearDeadline(fd, connection);
        addresses_[connection.address].waiting.erase(connection.in_address);
        waiting_.erase(connection.in_all);
        connection.phase = Phase::kServing;
        Enqueue(connection.socket);
    }

    void Enqueue(const Poco::Net::StreamSocket& socket) {
        std::lock_guard lock(work_mutex_);
        work_.push_back(socket);
        queued_.store(work_.size(), std::memory_order_relaxed);
        // A thread woken for an earlier request leaves idle_workers_ only once it has the lock
        // again, so the idle threads are free only for as many requests as they outnumber the
        // queue: a burst of requests must not all be promised the same few threads (and wait
        // behind their kept-alive connections).
        if (static_cast<std::size_t>(idle_workers_) >= work_.size()) {
            work_ready_.notify_one();
        } else if (workers_.size() < static_cast<std::size_t>(config_.threads)) {
            workers_.emplace_back([this] { Work(); });
        } else {
            SignalWanted();
        }
    }

    // Under work_mutex_: tells the threads that wait on kept-alive connections to give them
    // back to the gate and take the waiting requests.
    void SignalWanted() {
        if (wanted_signalled_) return;
        std::uint64_t one = 1;
        [[maybe_unused]] ssize_t written = ::write(wanted_, &one, sizeof one);
        wanted_signalled_ = true;
    }

    // A request thread: answers the connections handed to it, one after the other.
    void Work() {
        std::unique_lock lock(work_mutex_);
        while (true) {
            ++idle_workers_;
            work_ready_.wait(lock, [this] { return !work_.empty() || workers_stopping_; });
            --idle_workers_;
            if (work_.empty()) return;
            Poco::Net::StreamSocket socket = std::move(work_.front());
            work_.pop_front();
            queued_.store(work_.size(), std::memory_order_relaxed);
            if (work_.empty() && wanted_signalled_ && !stopping_.load()) {
                std::uint64_t count;
                [[maybe_unused]] ssize_t read = ::read(wanted_, &count, sizeof count);
                wanted_signalled_ = false;
            }
            lock.unlock();
            // While no other request needs the thread, it waits on the kept-alive connection
            // for its next request (as Poco's threads did): a client that sends its requests
            // one after the other then costs no trip through the gate for each. A head that
            // does not arrive whole at once goes to the gate and its deadline.
            const int fd = socket.impl()->sockfd();
            bool keep_alive = ServeOne(socket, *this);
            auto idle_since = Clock::now();
            while (keep_alive && NextRequestArrives(fd, *this, idle_since + config_.keep_alive)) {
                keep_alive = ServeOne(socket, *this);
                idle_since = Clock::now();
            }
            Returned(fd, keep_alive, idle_since);
            lock.lock();
        }
    }

    void Refuse(int fd, Connection& connection, const Refusal& refusal, Clock::time_point now) {
        std::string answer = AnswerText(refusal);
        [[maybe_unused]] ssize_t sent =
            ::send(fd, answer.data(), answer.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        Linger(fd, connection, now);
    }

    void Linger(int fd, Connection& connection, Clock::time_point now) {
        ::shutdown(fd, SHUT_WR);
        connection.drained = 0;
        Wait(fd, connection, Phase::kLinger, now + kLingerTime);
        Poll(fd, connection);
        Drain(fd, connection);
    }

    void Drain(int fd, Connection& connection) {
        while (true) {
            ssize_t n = ::recv(fd, peek_.data(), peek_.size(), MSG_DONTWAIT);
            if (n > 0) {
                connection.drained += static_cast<std::size_t>(n);
                if (connection.drained <= kLingerBytes) continue;
            } else if (n < 0 && errno == EINTR) {
                continue;
            } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                return;
            }
            Close(fd);
            return;
        }
    }

    void Close(int fd) {
        auto found = connections_.find(fd);
        if (found == connections_.end()) return;
        Connection& connection = found->second;
        Unpoll(fd, connection);
        ClearDeadline(fd, connection);
        auto address = addresses_.find(connection.address);
        if (connection.phase != Phase::kServing) {
            address->second.waiting.erase(connection.in_address);
            waiting_.erase(connection.in_all);
        }
        if (--address->second.count == 0) addresses_.erase(address);
        connection.socket.close();
        connections_.erase(found);
    }

    void TakeReturned(Clock::time_point now) {
        {
            std::lock_guard lock(mutex_);
            taken_.swap(returned_);
        }
        for (const Return& back : taken_) {
            auto found = connections_.find(back.fd);
            if (found == connections_.end()) continue;
            Connection& connection = found->second;
            if (back.keep_alive) {
                connection.seen = 0;
                Wait(back.fd, connection, Phase::kIdle, back.idle_since + config_.keep_alive);
                Poll(back.fd, connection);
            } else {
                Linger(back.fd, connection, now);
            }
        }
        taken_.clear();
    }

    void Expire(Clock::time_point now) {
        while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
            int fd = deadlines_.begin()->second;
            Connection& connection = connections_.at(fd);
            if (connection.phase == Phase::kIdle && Pending(fd)) {
                // The next request came as the connection was to be closed (its event not yet
                // seen, or a request thread gave the connection back at its deadline): closing
                // would lose it, so it gets its head's deadline like any other.
                Look(fd, connection, 0, now);
                auto still = connections_.find(fd);
                if (still != connections_.end() && still->second.phase == Phase::kIdle) Close(fd);
            } else if (connection.phase == Phase::kBody ||
                       (connection.phase == Phase::kHead && connection.seen > 0)) {
                ++counts_.late;
                Refuse(fd, connection, kLate, now);
            } else {
                Close(fd);  // idle, silent, or lingering long enough
            }
        }
    }

    // True when bytes have arrived on `fd` that nobody has read.
    static bool Pending(int fd) {
        int available = 0;
        return ::ioctl(fd, FIONREAD, &available) == 0 && available > 0;
    }

    void Report(Clock::time_point now) {
        if (now < next_report_) return;
        next_report_ = now + kReportEvery;
        if (!counts_.Any()) return;
        logger_.warning(
            "listener: %z connections (peak %z); in the last %d s %z heads or bodies late (408), "
            "%z malformed (400), %z heads too large (431), %z busy (503), %z closed to make "
            "room, %z refused for want of room, %z pauses for want of descriptors",
            connections_.size(), peak_, static_cast<int>(kReportEvery.count()), counts_.late,
            counts_.malformed, counts_.too_large, counts_.busy, counts_.evicted, counts_.refused,
            counts_.accept_paused);
        counts_ = Counts{};
        peak_ = connections_.size();
    }

    Poco::Net::ServerSocket socket_;
    ListenerConfig config_;
    Poco::Net::HTTPRequestHandlerFactory& handlers_;
    Poco::Logger& logger_;
    Poco::Net::HTTPServerParams::Ptr params_;

    int epoll_ = -1;
    int wake_ = -1;
    int listen_fd_ = -1;
    std::thread thread_;
    std::atomic<bool> stopping_{false};

    // The gate thread's own, until it has stopped; then under mutex_.
    std::unordered_map<int, Connection> connections_;
    std::unordered_map<std::string, Address> addresses_;
    std::list<int> waiting_;
    std::set<std::pair<Clock::time_point, int>> deadlines_;
    std::vector<char> peek_;
    bool accept_paused_ = false;
    Clock::time_point accept_resume_;
    Counts counts_;
    std::size_t peak_ = 0;
    Clock::time_point next_report_;
    struct Return {
        int fd;
        bool keep_alive;
        Clock::time_point idle_since;
    };
    std::vector<Return> taken_;

    std::mutex mutex_;
    std::vector<Return> returned_;  // from request threads
    bool stopped_ = false;

    // The request threads, started as they are needed, up to config_.threads.
    std::mutex work_mutex_;
    std::condition_variable work_ready_;
    std::deque<Poco::Net::StreamSocket> work_;
    std::atomic<std::size_t> queued_{0};  // work_.size(), read without the lock
    std::vector<std::thread> workers_;
    int idle_workers_ = 0;
    bool workers_stopping_ = false;
    int wanted_ = -1;  // eventfd, readable while wanted_signalled_
    bool wanted_signalled_ = false;
};

// Answers the one request whose head is on `socket`; true when the connection may carry
// another request.
bool ServeOne(Poco::Net::StreamSocket& socket, Gate& gate) {
    Poco::Net::HTTPServerParams::Ptr params = gate.params();
    // (Its constructor sets the socket's timeouts, which cannot fail on a socket the gate
    // holds open; a session destroyed without detachSocket would close it under the gate.)
    ListenerSession session(socket, params);
    bool keep_alive = false;
    try {
        Poco::Net::HTTPServerResponseImpl response(session);
        try {
            Poco::Net::HTTPServerRequestImpl request(response, session, params.get());
            response.setDate(Poco::Timestamp());
            response.setVersion(request.getVersion());
            response.setKeepAlive(request.getKeepAlive());
            std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(
                gate.handlers().createRequestHandler(request));
            if (request.getExpectContinue() &&
                response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK) {
                response.sendContinue();
            }
            handler->handleRequest(request, response);
            // A write that failed leaves an answer cut short: the connection cannot go on.
            keep_alive = response.getKeepAlive() && !session.networkException();
        } catch (const Poco::Net::MessageException&) {
            // A head Poco will not take (a field too long, too many fields).
            if (!response.sent()) {
                response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
                response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
                response.setKeepAlive(false);
                response.setContentLength(0);
                response.send();
            }
        }
    } catch (const Poco::Exception&) {
        // The client went away or stopped reading: nothing more to say on this connection.
    } catch (const std::exception&) {
        // Whatever went wrong, the connection goes back to the gate, to be closed.
    }
    // Bytes of a next request read along with this one cannot be handed back to the kernel.
    Poco::Buffer<char> unread(0);
    session.drainBuffer(unread);
    session.detachSocket();  // else the session closes the socket
    return keep_alive && unread.size() == 0;
}

// True when the next request's whole head (and body) is there on `fd` before `until`, and no
// other request has wanted the thread meanwhile.
bool NextRequestArrives(int fd, Gate& gate, Clock::time_point until) {
    pollfd ready[2] = {{fd, POLLIN, 0}, {gate.wanted_fd(), POLLIN, 0}};
    auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now()).count();
    if (left <= 0 || ::poll(ready, 2, static_cast<int>(left)) <= 0) return false;
    if (ready[1].revents != 0 || ready[0].revents == 0) return false;
    thread_local std::vector<char> peeked;
    peeked.resize(gate.peek_limit());
    ssize_t n = ::recv(fd, peeked.data(), peeked.size(), MSG_PEEK | MSG_DONTWAIT);
    if (n <= 0) return false;
    auto seen = static_cast<std::size_t>(n);
    RequestHead head = ScanRequestHead(std::string_view(peeked.data(), seen));
    return head.state == RequestHead::State::kComplete && head.body_length &&
           seen >= head.size + *head.body_length;
}

}  // namespace

std::string AddressKey(const void* address, std::size_t length) {
    const auto* generic = static_cast<const sockaddr*>(address);
    if (generic->sa_family == AF_INET && length >= sizeof(sockaddr_in)) {
        const auto* in4 = static_cast<const sockaddr_in*>(address);
        return std::string(reinterpret_cast<const char*>(&in4->sin_addr), 4);
    }
    if (generic->sa_family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
        const auto* in6 = static_cast<const sockaddr_in6*>(address);
        const auto* bytes = reinterpret_cast<const char*>(in6->sin6_addr.s6_addr);
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) return std::string(bytes + 12, 4);
        return std::string(bytes, 8);
    }
    return {};
}

std::size_t BytesWaiting(Poco::Net::HTTPServerRequest& request) {
    auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
    if (!impl) return 0;
    auto* session = dynamic_cast<ListenerSession*>(&impl->session());
    if (!session) return 0;
    int kernel = 0;
    if (::ioctl(impl->socket().impl()->sockfd(), FIONREAD, &kernel) != 0) kernel = 0;
    return session->ReadAhead() + static_cast<std::size_t>(std::max(kernel, 0));
}

bool SendWhole(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
               std::string_view body) {
    const bool head_only = request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD;
    const auto status = response.getStatus();
    // Answers that carry no body are left to Poco, as before.
    const bool bodiless = status < 200 || status == Poco::Net::HTTPResponse::HTTP_NO_CONTENT ||
                          status == Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED;
    response.setContentLength64(static_cast<Poco::Int64>(body.size()));
    auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
    if (bodiless || !impl || !dynamic_cast<ListenerSession*>(&impl->session())) {
        std::ostream& out = response.send();
        if (!head_only) out.write(body.data(), static_cast<std::streamsize>(body.size()));
        return out.good();
    }
    thread_local std::ostringstream head;
    head.str({});
    head.clear();
    response.write(head);
    std::string whole = std::move(head).str();
    if (!head_only) whole.append(body);
    Poco::Net::StreamSocket& socket = impl->socket();
    try {
        for (std::size_t sent = 0; sent < whole.size();) {
            const int n =
                socket.sendBytes(whole.data() + sent, static_cast<int>(whole.size() - sent));
            if (n <= 0) return false;
            sent += static_cast<std::size_t>(n);
        }
    } catch (const Poco::Exception&) {
        return false;  // reset, or the send timeout of a client that does not read
    }
    return true;
}

struct Listener::Impl : Gate {
    using Gate::Gate;
};

Listener::Listener(Poco::Net::ServerSocket socket, ListenerConfig config,
                   Poco::Net::HTTPRequestHandlerFactory& handlers, Poco::Logger& logger)
    : impl_(std::make_unique<Impl>(std::move(socket), std::move(config), handlers, logger)) {}

Listener::~Listener() = default;

void Listener::Start() { impl_->Start(); }

void Listener::Stop(std::chrono::milliseconds grace) { impl_->Stop(grace); }

std::uint16_t Listener::port() const { return impl_->port(); }

}  // namespace styrdok::server
