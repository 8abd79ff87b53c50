#pragma once

#include <Poco/Logger.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "index_keeper.hpp"
#include "styrdok/store/follow.hpp"

namespace styrdok::server {

/// A follower's link to its primary: from a thread of its own (never a request thread), it
/// fetches the primary's main every interval (store::FetchFromPrimary) and has the
/// IndexKeeper index what arrived at once. A failed fetch is logged once per outage (not at
/// every poll) and tried again at the next; the first fetch that works again is logged too. A
/// rewritten main is followed and logged.
///
/// A fetch gets `timeout`: libgit2 1.5 has no socket timeout, so a watchdog thread interrupts
/// a fetch that runs past it (or past Stop) with a signal (kFetchInterruptSignal, whose
/// handler does nothing), which ends the blocked connect or recv with EINTR. Thread-safe.
class Follower {
public:
    struct Settings {
        std::string primary;  ///< the URL to fetch from
        std::chrono::milliseconds interval{5000};
        std::chrono::milliseconds timeout{60000};
    };

    /// `keeper` and `logger` must outlive the Follower.
    Follower(std::filesystem::path repository, Settings settings, IndexKeeper& keeper,
             Poco::Logger& logger);
    ~Follower();
    Follower(const Follower&) = delete;
    Follower& operator=(const Follower&) = delete;

    /// Starts fetching every interval; the first fetch comes at once. Call once.
    void Start();
    /// Interrupts a fetch under way and waits for the threads to end.
    void Stop();

private:
    using Clock = std::chrono::steady_clock;

    void Fetch();
    void Watch();
    // After a fetch (`report`, or the `error` it failed with): logs what is worth a line and
    // has the keeper index what arrived.
    void Handle(const std::optional<store::FetchReport>& report, const std::string& error);

    std::filesystem::path repository_;
    Settings settings_;
    IndexKeeper& keeper_;
    Poco::Logger& logger_;

    std::mutex mutex_;
    std::condition_variable signal_;
    bool stopping_ = false;
    bool fetcher_done_ = false;
    std::optional<Clock::time_point> fetch_deadline_;  ///< set while a fetch runs
    std::thread fetcher_;
    std::thread watchdog_;
    bool failing_ = false;  // the fetcher's alone
};

}  // namespace styrdok::server
