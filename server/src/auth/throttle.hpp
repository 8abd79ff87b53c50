#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "lru_map.hpp"

namespace styrdok::server {

/// Slows down password guessing: after `free_attempts` failed sign-ins for one key (an
/// account name, or a client address) within `window`, each further attempt must wait, twice
/// as long after each failure, from `first_wait` up to `window`. A success clears the key.
/// Keeps at most `capacity` keys: a new key evicts the one that failed longest ago (see
/// kDefaultCapacity). Thread-safe.
class SignInThrottle {
public:
    using Clock = std::chrono::steady_clock;

    /// Keys kept by default. Each new key costs its sender a failed password check (an Argon2
    /// hash through the HashSlots), and the address throttle stops one address after ten
    /// times the free attempts: evicting a record takes this many failures after that
    /// record's last one, and frees only the record whose wait is the oldest, most likely over.
    static constexpr std::size_t kDefaultCapacity = 10000;

    SignInThrottle(int free_attempts, std::chrono::seconds first_wait,
                   std::chrono::seconds window = std::chrono::minutes(15),
                   std::size_t capacity = kDefaultCapacity);

    /// How long `key` must still wait before it may try again; nullopt when it may now.
    std::optional<std::chrono::seconds> Wait(std::string_view key,
                                             Clock::time_point now = Clock::now());
    void Failed(std::string_view key, Clock::time_point now = Clock::now());
    void Succeeded(std::string_view key);

    std::size_t size();

private:
    struct Record {
        int failures = 0;
        Clock::time_point first_failure;
        Clock::time_point locked_until;
    };

    const int free_attempts_;
    const std::chrono::seconds first_wait_;
    const std::chrono::seconds window_;
    std::mutex mutex_;
    LruMap<Record> records_;
};

/// Bounds the password checks that run at once. Checking an Argon2id hash takes 64 MiB and
/// tens of milliseconds on purpose; without a bound, every request thread could hold one
/// (64 threads: 4 GiB). A check takes a slot first, waiting at most `wait` for one; whoever
/// gets none is refused (503) instead of queueing without end. Thread-safe.
class HashSlots {
public:
    /// The slots of a server: one per core, at most 4. Argon2id is bound by memory
    /// bandwidth, so checks beyond the cores only queue inside the CPU while their memory is
    /// held; 4 slots cap that memory at 256 MiB and still check some 40 passwords a second,
    /// more than the sign-ins of a municipality's staff (HTTP Basic clients are served from
    /// the gatekeeper's cache of verified credentials, not checked again each request).
    static int DefaultCount();

    HashSlots(int count, std::chrono::milliseconds wait);

    /// A taken slot, given back when destroyed.
    class Slot {
    public:
        Slot(Slot&& other) noexcept : slots_(std::exchange(other.slots_, nullptr)) {}
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;
        Slot& operator=(Slot&&) = delete;
        ~Slot() {
            if (slots_ != nullptr) slots_->Release();
        }

    private:
        friend class HashSlots;
        explicit Slot(HashSlots& slots) : slots_(&slots) {}
        HashSlots* slots_;
    };

    /// A slot, waiting at most the configured time for one; nullopt when none came free.
    std::optional<Slot> Take();

    /// How long a refused caller should wait before trying again.
    std::chrono::seconds RetryAfter() const;

    int count() const { return count_; }

private:
    void Release();

    const int count_;
    const std::chrono::milliseconds wait_;
    std::mutex mutex_;
    std::condition_variable freed_;
    int taken_ = 0;
};

}  // namespace styrdok::server
