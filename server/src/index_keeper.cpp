#include "index_keeper.hpp"

#include <algorithm>
#include <chrono>

#include "styrdok/core/error.hpp"
#include "styrdok/indexer/index.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::server {

IndexKeeper::IndexKeeper(RegistryPaths paths, const core::Schema& schema, Poco::Logger& logger,
                         std::function<void()> on_change)
    : paths_(std::move(paths)),
      schema_(schema),
      logger_(logger),
      on_change_(std::move(on_change)) {}

IndexKeeper::~IndexKeeper() { Stop(); }

namespace {

bool SameDrafts(const std::vector<store::DraftRef>& a, const std::vector<store::DraftRef>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
        return x.id == y.id && x.version == y.version;
    });
}

}  // namespace

void IndexKeeper::Sync() {
    std::lock_guard lock(sync_mutex_);
    if (!store_) store_ = store::Store::Open(paths_.repository);
    std::optional<std::string> head = store_->Head();
    // A draft's save moves its ref, not HEAD. One read of each draft's ref (about a
    // millisecond for a thousand drafts) rather than reading any draft.
    std::vector<store::DraftRef> drafts = store_->ListDrafts();
    const bool drafts_moved = !SameDrafts(drafts, synced_drafts_);
    if (synced_head_ && head == synced_head_ && !drafts_moved) {
        last_sync_.store(std::chrono::system_clock::now().time_since_epoch().count());
        return;
    }
    indexer::Index index = indexer::Index::Open(paths_.index_dir, schema_);
    indexer::SyncReport report = index.Sync(*store_);
    // Another program (styrdok import) may have indexed the new commits and drafts itself:
    // what counts is that the index moved since the readers last opened it.
    const bool moved = !synced_head_ || report.to != *synced_head_ || drafts_moved ||
                       report.rebuilt || report.documents > 0 || report.drafts > 0;
    synced_head_ = report.to;
    // What the index holds may be newer than this listing; then the next look syncs again
    // and finds nothing to do.
    synced_drafts_ = std::move(drafts);
    last_sync_.store(std::chrono::system_clock::now().time_since_epoch().count());
    if (moved && (report.rebuilt || report.documents > 0)) {
        logger_.information("index: %s %z documents, %z versions, now at %s",
                            std::string(report.rebuilt ? "rebuilt" : "updated"), report.documents,
                            report.versions, report.to.value_or(std::string("(empty)")));
    }
    if (moved && on_change_) on_change_();
}

std::optional<std::chrono::system_clock::time_point> IndexKeeper::LastSync() const {
    const std::chrono::system_clock::rep ticks = last_sync_.load();
    if (ticks == 0) return std::nullopt;
    return std::chrono::system_clock::time_point(std::chrono::system_clock::duration(ticks));
}

void IndexKeeper::Start(int interval_ms) {
    Stop();
    {
        std::lock_guard lock(stop_mutex_);
        stopping_ = false;
    }
    thread_ = std::thread([this, interval_ms] { Loop(interval_ms); });
}

void IndexKeeper::Stop() {
    {
        std::lock_guard lock(stop_mutex_);
        stopping_ = true;
    }
    stop_signal_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void IndexKeeper::Loop(int interval_ms) {
    std::unique_lock lock(stop_mutex_);
    while (!stop_signal_.wait_for(lock, std::chrono::milliseconds(interval_ms),
                                  [this] { return stopping_; })) {
        lock.unlock();
        try {
            Sync();
        } catch (const std::exception& error) {
            // Another program may hold the index for a moment (kConflict); the next look
            // tries again, and readers keep the index they have meanwhile.
            logger_.warning("index: sync failed, will retry: %s", std::string(error.what()));
        }
        lock.lock();
    }
}

}  // namespace styrdok::server
