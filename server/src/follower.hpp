#pragma once

#include <Poco/Logger.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
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
/// rewritten main is followed and logged. Thread-safe.
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

    /// Starts fetching every interval; the first fetch comes at once.
    void Start();
    /// Stops the thread: a fetch under way is abandoned at its next callback. A fetch blocked
    /// in the network (libgit2 has no socket timeout) is left to finish on its own after a
    /// short wait: it touches nothing of this object once it returns.
    void Stop();

private:
    // What the thread shares with Stop, kept alive by the thread when Stop leaves it.
    struct Shared {
        std::mutex mutex;
        std::condition_variable signal;
        std::atomic<bool> stopping = false;
        bool fetching = false;  ///< in store::FetchFromPrimary, touching only Shared
        bool done = false;      ///< the thread has returned
    };

    static void Loop(Follower* self, std::shared_ptr<Shared> shared,
                     std::filesystem::path repository, Settings settings);
    // After a fetch (`report`, or the `error` it failed with): logs what is worth a line and
    // has the keeper index what arrived.
    void Handle(const std::optional<store::FetchReport>& report, const std::string& error);

    std::filesystem::path repository_;
    Settings settings_;
    IndexKeeper& keeper_;
    Poco::Logger& logger_;
    std::shared_ptr<Shared> shared_;
    std::thread thread_;
    bool failing_ = false;  // only the thread reads and writes it
};

}  // namespace styrdok::server
