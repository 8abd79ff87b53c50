#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <thread>

namespace styrdok::server {

/// How long a read of a request body may take, as Apache's mod_reqtimeout counts it: `initial`
/// for the first bytes, and one second more for every `min_rate` bytes received (min_rate 0:
/// `initial` is the total).
struct ReadBudget {
    std::chrono::milliseconds initial{20'000};
    std::size_t min_rate = 500;  ///< bytes per second

    /// When a read that started at `start` and has received `received` bytes is late.
    std::chrono::steady_clock::time_point Due(std::chrono::steady_clock::time_point start,
                                              std::size_t received) const;
};

/// Ends blocking reads that run past their deadline: one thread that shuts down the reading
/// side of a watched socket (shutdown(SHUT_RD)) once its deadline has passed, so that a recv
/// blocked on it returns at once with end of file. Writing stays possible, so the reader can
/// still answer 408. Thread-safe.
class ReadDeadlines {
public:
    using Clock = std::chrono::steady_clock;

    /// Watches one socket while it lives: the thread that reads the body creates it, reports
    /// what it has received, and destroys it before the socket is closed.
    class Watch {
    public:
        /// Starts watching `fd` with `budget`, counted from now.
        Watch(ReadDeadlines& deadlines, int fd, ReadBudget budget);
        ~Watch();
        Watch(const Watch&) = delete;
        Watch& operator=(const Watch&) = delete;

        /// The bytes received so far (each report moves the deadline by the budget's rate).
        void Received(std::size_t total) { received_.store(total, std::memory_order_relaxed); }
        /// True once the deadline has passed and the socket's reading side is shut.
        bool Expired() const { return expired_.load(std::memory_order_acquire); }

    private:
        friend class ReadDeadlines;
        ReadDeadlines& deadlines_;
        int fd_;
        ReadBudget budget_;
        Clock::time_point start_;
        std::atomic<std::size_t> received_{0};
        std::atomic<bool> expired_{false};
        std::multimap<Clock::time_point, Watch*>::iterator entry_;
        bool armed_ = false;  // guarded by deadlines_.mutex_
    };

    ReadDeadlines();
    ~ReadDeadlines();
    ReadDeadlines(const ReadDeadlines&) = delete;
    ReadDeadlines& operator=(const ReadDeadlines&) = delete;

private:
    void Run();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::multimap<Clock::time_point, Watch*> due_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace styrdok::server
