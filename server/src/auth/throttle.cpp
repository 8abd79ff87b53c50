#include "throttle.hpp"

#include <algorithm>

namespace styrdok::server {

namespace {

// A flood of names and addresses must not grow the table without bound.
constexpr std::size_t kPruneAbove = 10000;

}  // namespace

SignInThrottle::SignInThrottle(int free_attempts, std::chrono::seconds first_wait,
                               std::chrono::seconds window)
    : free_attempts_(free_attempts), first_wait_(first_wait), window_(window) {}

std::optional<std::chrono::seconds> SignInThrottle::Wait(std::string_view key,
                                                         Clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto found = records_.find(key);
    if (found == records_.end() || now >= found->second.locked_until) return std::nullopt;
    auto left = std::chrono::ceil<std::chrono::seconds>(found->second.locked_until - now);
    return std::max(left, std::chrono::seconds(1));
}

void SignInThrottle::Failed(std::string_view key, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (records_.size() > kPruneAbove) Prune(now);
    auto [it, inserted] = records_.try_emplace(std::string(key));
    Record& record = it->second;
    if (inserted || now - record.first_failure > window_) {
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
    if (auto found = records_.find(key); found != records_.end()) records_.erase(found);
}

void SignInThrottle::Prune(Clock::time_point now) {
    std::erase_if(records_, [&](const auto& entry) {
        return now - entry.second.first_failure > window_ && now >= entry.second.locked_until;
    });
}

}  // namespace styrdok::server
