#pragma once

#include <Poco/Logger.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
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
/// writing only while a sync runs, so such a program can take its turn.
///
/// Commits are deferred (indexer::Durability::kDeferred): a save's new version is searchable
/// without waiting for a dozen fdatasyncs, and a thread of its own makes the index durable
/// (indexer::FlushIndex) once the syncs have stopped coming for kFlushDelay, or kFlushLongest
/// after the first unflushed one while they keep coming, then removes the crash marker.
/// git, which the index is derived from, stays synced on every save: a machine that goes
/// down in between loses no version, only index pages, and the next start rebuilds the index.
/// Thread-safe.
class IndexKeeper {
public:
    IndexKeeper(RegistryPaths paths, const core::Schema& schema, Poco::Logger& logger,
                std::function<void()> on_change);
    ~IndexKeeper();

    /// Brings the index up to HEAD and the drafts now; does nothing when neither moved since
    /// the last sync. Throws what Index::Sync throws.
    void Sync();

    /// Looks at HEAD and the drafts' refs every `interval_ms` from a thread of its own, and
    /// flushes the index when FlushDue says, until Stop() or destruction; a failed sync or
    /// flush is logged and tried again at the next look or sync.
    void Start(int interval_ms);
    /// Stops both threads and flushes what is left, so that a server stopped on purpose
    /// leaves a durable index without a crash marker.
    void Stop();

    /// Makes the index's deferred commits durable and removes the crash marker, unless a
    /// sync commits meanwhile (then the next flush does). The pages are first written back a
    /// piece at a time, each when no save is writing (WaitForPause), and the fdatasyncs follow
    /// only when no sync committed meanwhile: a flush beside a save held the save's git
    /// syncs up, from 6 to 20 ms at 100 000 documents, and set the saves' p99. Throws
    /// Error(kInternal) when a sync of a file fails. Start's thread calls it; public for tests.
    void Flush();

    /// Held while a save writes, from its git objects to the end of its sync: the flush
    /// writes the index back in the pauses between saves. Sync holds one too.
    class Writing {
    public:
        explicit Writing(IndexKeeper& keeper);
        ~Writing();
        Writing(const Writing&) = delete;
        Writing& operator=(const Writing&) = delete;

    private:
        IndexKeeper& keeper_;
    };

    /// Returns once no Writing is held, or after kPauseLongest, and at once when the Writings
    /// held all began before the last wait that ran out: a flush moves on beside a save that
    /// outlasts a wait (a large batch), and under saves that never pause a piece at a time.
    /// Public for tests.
    void WaitForPause();
    static constexpr std::chrono::milliseconds kPauseLongest{250};

    /// How long the syncs must have stopped before the flush: saves close together share
    /// it, and none of them waits behind it. A flush's writeback holds up the journal that
    /// the next save's git objects are synced through (on a shared disk, a save under a
    /// flush took twice as long), so it waits for a pause rather than running beside them.
    static constexpr std::chrono::milliseconds kFlushDelay{300};
    /// The longest the flush waits after the first unflushed sync while syncs keep coming.
    /// Short, because what it waits for piles up: each save dirties megabytes of index pages,
    /// and a flush of ten seconds' worth held a save at 100 000 documents for seconds (the
    /// save's own syncs queue behind its writeback); a second's worth is a short stall.
    static constexpr std::chrono::milliseconds kFlushLongest{1000};

    /// When the flush is due: kFlushDelay after the last sync that wanted one (`last`), but
    /// no later than kFlushLongest after the first still unflushed (`first`).
    static std::chrono::steady_clock::time_point FlushDue(
        std::chrono::steady_clock::time_point first, std::chrono::steady_clock::time_point last);

    /// Reads the history the first sync after a save would otherwise read
    /// (Store::IndexHistory), so that the first save after start is as fast as the next ones.
    /// Waits for a sync under way; throws what Store throws.
    void WarmUp();

    /// Works out the Swedish analysis of the kWarmWords commonest words of the index
    /// (indexer::PrepareWordAnalysis), which the first saves after start would otherwise work
    /// out through hunspell while their clients wait. Does not wait for a sync; throws what
    /// indexer::CommonestWords throws.
    void WarmUpWords();

    /// How many words WarmUpWords prepares. Every word of the generated registry of 100 000
    /// documents (9 357) took 0.6 to 1 s of one core; a larger vocabulary's rarest words come
    /// up in few saves, and this many fit the lexicon's caches with room to spare.
    static constexpr std::size_t kWarmWords = 20'000;

    /// When a sync last finished without an error (the index found at HEAD or brought
    /// there); nullopt before the first. For /metrics; does not wait for a running sync.
    std::optional<std::chrono::system_clock::time_point> LastSync() const;

private:
    void Loop(int interval_ms);
    void FlushLoop();
    void WantFlush();

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
    // Syncs that may have committed, and whether one may be unflushed (under sync_mutex_).
    // True at first: a process of this boot that ended before its flush may have left a
    // marker.
    std::uint64_t syncs_ = 0;
    bool unflushed_ = true;

    std::mutex writing_mutex_;
    std::condition_variable writing_ended_;
    // Writings held, Writings begun, and how many had begun when a wait last ran out (under
    // writing_mutex_).
    int writing_ = 0;
    std::uint64_t writings_begun_ = 0;
    std::optional<std::uint64_t> outlasted_;

    std::mutex stop_mutex_;
    std::condition_variable stop_signal_;
    bool stopping_ = false;
    bool flush_wanted_ = false;  // under stop_mutex_
    // When the first sync since the last flush began, and the last, asked for a flush
    // (under stop_mutex_); the epoch when Start asks for one at once.
    std::chrono::steady_clock::time_point flush_first_;
    std::chrono::steady_clock::time_point flush_asked_;
    std::thread thread_;
    std::thread flusher_;
};

}  // namespace styrdok::server
