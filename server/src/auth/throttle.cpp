#include "throttle.hpp"

#include <algorithm>
#include <thread>

namespace styrdok::server {

SignInThrottle::SignInThrottle(int free_attempts, std::chrono::seconds first_wait,
                               std::chrono::seconds window, std::size_t capacity)
    : free_attempts_(free_attempts), first_wait_(first_wait), window_(window), records_(capacity) {}

std::optional<std::chrono::seconds> SignInThrottle::Wait(std::string_view key,
                                                         Clock::time_point now) {
    std::lock_guard lock(mutex_);
    const Record* record = records_.Find(key);
    if (record == nullptr || now >= record->locked_until) return std::nullopt;
    auto left = std::chrono::ceil<std::chrono::seconds>(record->locked_until - now);
    return std::max(left, std::chrono::seconds(1));
}

void SignInThrottle::Failed(std::string_view key, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    Record& record = records_.Use(key);
    if (record.failures == 0 || now - record.first_failure > window_) {
        record = Record{0, now, now};
    }
    ++record.failures;
    const int over = record.failures - free_attempts_;
    if (over >= 0) {
        auto wait = first_wait_ * (1LL << std::min(over, 20));
        record.locked_until = now + std::min<std::chrono::seconds>(wait, window_);
    }
}

void SignInThrottle::Succeeded(std::string_view key) {
    std::lock_guard lock(mutex_);
    records_.Erase(key);
}

std::size_t SignInThrottle::size() {
    std::lock_guard lock(mutex_);
    return records_.size();
}

int HashSlots::DefaultCount() {
    const unsigned cores = std::thread::hardware_concurrency();
    return static_cast<int>(std::clamp(cores, 1u, 4u));
}

HashSlots::HashSlots(int count, std::chrono::milliseconds wait)
    : count_(std::max(count, 1)), wait_(wait) {}

std::optional<HashSlots::Slot> HashSlots::Take() {
    std::unique_lock lock(mutex_);
    if (!freed_.wait_for(lock, wait_, [this] { return taken_ < count_; })) return std::nullopt;
    ++taken_;
    return Slot(*this);
}

std::chrono::seconds HashSlots::RetryAfter() const {
    return std::max(std::chrono::ceil<std::chrono::seconds>(wait_), std::chrono::seconds(1));
}

void HashSlots::Release() {
    {
        std::lock_guard lock(mutex_);
        --taken_;
    }
    freed_.notify_one();
}

}  // namespace styrdok::server
