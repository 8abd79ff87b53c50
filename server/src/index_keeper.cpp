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

IndexKeeper::~IndexKeeper() {
    try {
        Stop();
    } catch (const std::exception& error) {
        logger_.error("index: the last flush failed: %s", std::string(error.what()));
    }
}

namespace {

bool SameDrafts(const std::vector<store::DraftRef>& a, const std::vector<store::DraftRef>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
        return x.id == y.id && x.version == y.version;
    });
}

}  // namespace

IndexKeeper::Writing::Writing(IndexKeeper& keeper) : keeper_(keeper) {
    std::lock_guard lock(keeper_.writing_mutex_);
    ++keeper_.writing_;
    ++keeper_.writings_begun_;
}

IndexKeeper::Writing::~Writing() {
    {
        std::lock_guard lock(keeper_.writing_mutex_);
        --keeper_.writing_;
    }
    keeper_.writing_ended_.notify_all();
}

void IndexKeeper::WaitForPause() {
    std::unique_lock lock(writing_mutex_);
    if (writings_begun_ == outlasted_) return;
    if (!writing_ended_.wait_for(lock, kPauseLongest, [this] { return writing_ == 0; })) {
        outlasted_ = writings_begun_;
    }
}

void IndexKeeper::Sync() {
    const Writing writing(*this);
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
    indexer::SyncReport report;
    {
        // Before Open, which writes the crash marker; asked before the sync, so that one that
        // fails halfway is flushed too (the flush waits for this sync to end).
        ++syncs_;
        unflushed_ = true;
        WantFlush();
        indexer::Index index =
            indexer::Index::Open(paths_.index_dir, schema_, indexer::Durability::kDeferred);
        if (index.Distrusted()) {
            logger_.warning(
                "index: the machine went down before the index was on disk; rebuilding it");
        }
        report = index.Sync(*store_);
    }
    // Asked again now that the sync is over: a sync that took longer than kFlushDelay (a
    // large registry) would otherwise have its flush due at once, beside the next save.
    WantFlush();
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

void IndexKeeper::WarmUp() {
    std::lock_guard lock(sync_mutex_);
    if (!store_) store_ = store::Store::Open(paths_.repository);
    store_->IndexHistory();
}

void IndexKeeper::WarmUpWords() {
    indexer::PrepareWordAnalysis(indexer::CommonestWords(paths_.index_dir, kWarmWords));
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
        // A marker left by a process of this boot goes at once.
        flush_wanted_ = true;
    }
    thread_ = std::thread([this, interval_ms] { Loop(interval_ms); });
    flusher_ = std::thread([this] { FlushLoop(); });
}

void IndexKeeper::Stop() {
    {
        std::lock_guard lock(stop_mutex_);
        stopping_ = true;
    }
    stop_signal_.notify_all();
    if (thread_.joinable()) thread_.join();
    if (flusher_.joinable()) flusher_.join();
    Flush();
}

void IndexKeeper::Flush() {
    std::uint64_t seen = 0;
    {
        std::lock_guard lock(sync_mutex_);
        if (!unflushed_) return;
        seen = syncs_;
    }
    // Outside the lock: the writeback takes as long as a save's would, and a save need not
    // wait for it. What a save commits meanwhile stays under the marker.
    indexer::WriteBackIndex(paths_.index_dir, [this] { WaitForPause(); });
    {
        std::lock_guard lock(sync_mutex_);
        // A sync committed meanwhile: the marker stays, and the flush that sync asked for
        // comes next; fdatasyncs now would be done again by it.
        if (syncs_ != seen) return;
    }
    indexer::FlushIndex(paths_.index_dir);
    std::lock_guard lock(sync_mutex_);
    if (syncs_ != seen) return;
    indexer::RemoveCrashMarker(paths_.index_dir);
    unflushed_ = false;
}

std::chrono::steady_clock::time_point IndexKeeper::FlushDue(
    std::chrono::steady_clock::time_point first, std::chrono::steady_clock::time_point last) {
    return std::min(last + kFlushDelay, first + kFlushLongest);
}

void IndexKeeper::WantFlush() {
    {
        std::lock_guard lock(stop_mutex_);
        const std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now();
        if (!flush_wanted_) flush_first_ = now;
        flush_wanted_ = true;
        flush_asked_ = now;
    }
    stop_signal_.notify_all();
}

void IndexKeeper::FlushLoop() {
    std::unique_lock lock(stop_mutex_);
    while (!stopping_) {
        stop_signal_.wait(lock, [this] { return stopping_ || flush_wanted_; });
        // Saves close together share one flush, which waits for them to pause; Stop flushes
        // what is left.
        std::chrono::steady_clock::time_point due;
        while (!stopping_ &&
               std::chrono::steady_clock::now() < (due = FlushDue(flush_first_, flush_asked_))) {
            stop_signal_.wait_until(lock, due, [this] { return stopping_; });
        }
        if (stopping_) break;
        flush_wanted_ = false;
        lock.unlock();
        try {
            Flush();
        } catch (const std::exception& error) {
            logger_.warning("index: flush failed, will retry: %s", std::string(error.what()));
            lock.lock();
            // Tried again after a pause, as if a sync had asked now.
            flush_wanted_ = true;
            flush_first_ = flush_asked_ = std::chrono::steady_clock::now();
            continue;
        }
        lock.lock();
    }
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
