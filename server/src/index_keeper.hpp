#pragma once

#include <Poco/Logger.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "styrdok/core/schema.hpp"
#include "styrdok/server/server.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::server {

/// Keeps the index at the repository's HEAD and drafts: the one writer of the index in the
/// server. Syncs at start-up, then whenever HEAD or a draft's ref (refs/drafts/) moves, which
/// another program (styrdok import) may do while the server runs. The index is opened for
/// writing only while a sync runs, so such a program can take its turn. Thread-safe.
class IndexKeeper {
public:
    IndexKeeper(RegistryPaths paths, const core::Schema& schema, Poco::Logger& logger,
                std::function<void()> on_change);
    ~IndexKeeper();

    /// Brings the index up to HEAD and the drafts now; does nothing when neither moved since
    /// the last sync. Throws what Index::Sync throws.
    void Sync();

    /// Looks at HEAD and the drafts' refs every `interval_ms` from a thread of its own until
    /// Stop() or destruction; a failed sync is logged and tried again at the next look.
    void Start(int interval_ms);
    void Stop();

    /// When a sync last finished without an error (the index found at HEAD or brought
    /// there); nullopt before the first. For /metrics; does not wait for a running sync.
    std::optional<std::chrono::system_clock::time_point> LastSync() const;

private:
    void Loop(int interval_ms);

    RegistryPaths paths_;
    const core::Schema& schema_;
    Poco::Logger& logger_;
    std::function<void()> on_change_;
    std::mutex sync_mutex_;
    std::optional<std::string> synced_head_;
    std::vector<store::DraftRef> synced_drafts_;
    // Kept open between syncs (under sync_mutex_), so that the history it has read is only
    // extended by the new commits, never read again from the start.
    std::optional<store::Store> store_;
    // system_clock ticks since the epoch; 0 before the first sync.
    std::atomic<std::chrono::system_clock::rep> last_sync_{0};

    std::mutex stop_mutex_;
    std::condition_variable stop_signal_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace styrdok::server
