#include "read_deadlines.hpp"

#include <sys/socket.h>

#include <cstdint>

namespace styrdok::server {

std::chrono::steady_clock::time_point ReadBudget::Due(std::chrono::steady_clock::time_point start,
                                                      std::size_t received) const {
    auto due = start + initial;
    if (min_rate > 0) {
        due += std::chrono::milliseconds(static_cast<std::int64_t>(received * 1000 / min_rate));
    }
    return due;
}

ReadDeadlines::Watch::Watch(ReadDeadlines& deadlines, int fd, ReadBudget budget)
    : deadlines_(deadlines), fd_(fd), budget_(budget), start_(Clock::now()) {
    auto due = budget_.Due(start_, 0);
    std::lock_guard lock(deadlines_.mutex_);
    bool earliest = deadlines_.due_.empty() || due < deadlines_.due_.begin()->first;
    entry_ = deadlines_.due_.emplace(due, this);
    armed_ = true;
    if (earliest) deadlines_.wake_.notify_one();
}

ReadDeadlines::Watch::~Watch() {
    std::lock_guard lock(deadlines_.mutex_);
    if (armed_) deadlines_.due_.erase(entry_);
}

ReadDeadlines::ReadDeadlines() : thread_([this] { Run(); }) {}

ReadDeadlines::~ReadDeadlines() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void ReadDeadlines::Run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (due_.empty()) {
            wake_.wait(lock);
            continue;
        }
        auto first = due_.begin();
        auto now = Clock::now();
        if (first->first > now) {
            // A copy: a watch that ends while this waits takes its map entry with it.
            const Clock::time_point due = first->first;
            wake_.wait_until(lock, due);
            continue;
        }
        Watch* watch = first->second;
        due_.erase(first);
        // The deadline kept in the map is the one from the last look; the bytes received
        // since then may have moved it on.
        auto due =
            watch->budget_.Due(watch->start_, watch->received_.load(std::memory_order_relaxed));
        if (due > now) {
            watch->entry_ = due_.emplace(due, watch);
            continue;
        }
        watch->armed_ = false;
        // Said before the shutdown wakes the reader, so that it knows why its read ended.
        watch->expired_.store(true, std::memory_order_release);
        ::shutdown(watch->fd_, SHUT_RD);
    }
}

}  // namespace styrdok::server
