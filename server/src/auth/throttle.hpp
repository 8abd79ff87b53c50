#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace styrdok::server {

/// Slows down password guessing: after `free_attempts` failed sign-ins for one key (an
/// account name, or a client address) within `window`, each further attempt must wait, twice
/// as long after each failure, from `first_wait` up to `window`. A success clears the key.
/// Thread-safe.
class SignInThrottle {
public:
    using Clock = std::chrono::steady_clock;

    SignInThrottle(int free_attempts, std::chrono::seconds first_wait,
                   std::chrono::seconds window = std::chrono::minutes(15));

    /// How long `key` must still wait before it may try again; nullopt when it may now.
    std::optional<std::chrono::seconds> Wait(std::string_view key,
                                             Clock::time_point now = Clock::now());
    void Failed(std::string_view key, Clock::time_point now = Clock::now());
    void Succeeded(std::string_view key);

private:
    struct Record {
        int failures = 0;
        Clock::time_point first_failure;
        Clock::time_point locked_until;
    };
    void Prune(Clock::time_point now);

    const int free_attempts_;
    const std::chrono::seconds first_wait_;
    const std::chrono::seconds window_;
    std::mutex mutex_;
    std::map<std::string, Record, std::less<>> records_;
};

}  // namespace styrdok::server
