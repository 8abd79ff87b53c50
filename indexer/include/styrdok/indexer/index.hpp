#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "styrdok/core/date.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::indexer {

/// Bumped whenever what a version becomes in Xapian changes; a mismatch forces a rebuild.
inline constexpr int kIndexFormatVersion = 15;

/// How the commits of an Index reach the disk.
enum class Durability {
    /// Each commit is on disk when it returns (Xapian's fdatasync of every table it wrote):
    /// for `styrdok import`, `index` and the other tools, which end right after their sync
    /// and have nobody to sync later.
    kSynced,
    /// Commits skip the fdatasyncs (Xapian::DB_NO_SYNC): readers see a commit at once, and it
    /// reaches the disk when the kernel writes the pages back or FlushIndex runs. While such
    /// commits may be unsynced, the index folder holds a crash marker (kCrashMarker) with the
    /// boot id of the machine; Open writes and syncs it before the first such commit, and
    /// RemoveCrashMarker takes it away once FlushIndex has made them durable. For the server,
    /// whose saves would otherwise wait for a dozen fdatasyncs each.
    kDeferred,
};

/// The crash marker's name in the index folder (Durability::kDeferred).
inline constexpr const char* kCrashMarker = "unsynced";

/// The machine's boot id (/proc/sys/kernel/random/boot_id), new at every boot; "" when the
/// system does not have one (then a marker is never trusted).
std::string CurrentBootId();

/// Makes what deferred commits wrote to the index in `dir` durable: fdatasync of every file
/// of its databases, then fsync of their folders. Safe while an Index writes there (what it
/// writes meanwhile is not covered). Throws Error(kInternal) when a sync fails.
void FlushIndex(const std::filesystem::path& dir);

/// Writes the dirty pages of the index in `dir` back to the disk a piece of a file at a time
/// (kWriteBackPiece), waiting for each, and calls `between` after each piece: a caller can
/// hold the writeback there while others need the disk. Makes nothing durable by itself
/// (neither the files' metadata nor the disk's cache): what FlushIndex has left to write is
/// then what changed since. Leaves to FlushIndex what it cannot write back this way (other
/// systems than Linux, file systems without sync_file_range, a failed write: FlushIndex
/// reports real failures). Safe while an Index writes there. Throws Error(kInternal) when a
/// folder of the index cannot be read.
void WriteBackIndex(const std::filesystem::path& dir, const std::function<void()>& between);

/// The piece of WriteBackIndex: a few milliseconds of this machine's disk.
inline constexpr std::size_t kWriteBackPiece = std::size_t{2} << 20;

/// Removes the crash marker of the index in `dir` (and syncs the folder), which says that
/// every commit so far is durable: call it after FlushIndex, and only when no commit ran
/// since FlushIndex began. Throws Error(kInternal) when it cannot.
void RemoveCrashMarker(const std::filesystem::path& dir);

/// The words of the current versions in the index in `dir`, as written (the spelling table's
/// words), those the versions use most often first and ties in byte order; at most `count`.
/// Empty when there is no index yet. Throws Error(kInternal) when the index cannot be read.
/// May run beside an Index.
std::vector<std::string> CommonestWords(const std::filesystem::path& dir, std::size_t count);

/// Works out the Swedish analysis of `words` (base forms, stems and compound parts) that
/// indexing a text with them needs, and keeps it for the process, as indexing does: hunspell
/// is slow on a word the process has not met yet (a version of a few hundred such words took
/// 100 ms to build, one of known words 1 ms). For the server's warm-up, so that the first
/// saves after start cost what later ones do. Thread-safe.
void PrepareWordAnalysis(const std::vector<std::string>& words);

struct SyncReport {
    bool rebuilt = false;       ///< started over (asked to, or format/schema/language changed)
    std::size_t documents = 0;  ///< documents (re)indexed
    std::size_t versions = 0;   ///< Xapian documents written (not those indexed alike before)
    std::optional<std::string> from;  ///< last indexed commit before
    std::optional<std::string> to;    ///< last indexed commit after (HEAD)
    std::size_t drafts = 0;           ///< drafts (re)indexed or removed
};

/// The writable side of the search index: Xapian databases derived entirely from the store.
/// Every version of every document is one Xapian document, with the interval in which it was
/// in force (core::ForceIntervals, ended by the successors that replace the document) and the
/// days on which it stands for its document (core::DocumentTimeline), so that a search works
/// out what is in force on the day it asks for. The versions whose interval had not ended on
/// the day they were placed are kept in a database of their own (`dir/current`), which
/// answers the default search for any day from then on with next to no filter; every other
/// version is in the database in `dir`, which records the index format, the schema version,
/// the language and the last indexed commit in its metadata. Each draft (refs/drafts/<id>) is
/// one restricted Xapian document in a third database (`dir/drafts`), which only searches
/// that may see drafts read.
///
/// Thread-safety: one Index per directory at a time (Xapian's write lock; a second opener
/// gets Error(kConflict)); use from one thread.
class Index {
public:
    /// Opens or creates the database in `dir`, committing as `durability` says. A crash marker
    /// (kCrashMarker) written in another boot than `boot_id` (nullopt: CurrentBootId()) means
    /// the machine went down while commits were unsynced, so pages of the index may be lost:
    /// its databases are then started over empty, and the next Sync rebuilds them from the
    /// store (as after a format change). A marker from this boot only means a process ended
    /// before its flush; the page cache still holds its commits, and the index is trusted.
    /// With kDeferred, the marker holds `boot_id` (written and synced here) when Open returns;
    /// with kSynced, a marker from another boot is removed once the databases are started
    /// over, and one from this boot is left to the server that will flush.
    static Index Open(const std::filesystem::path& dir, const core::Schema& schema,
                      Durability durability = Durability::kSynced,
                      std::optional<std::string> boot_id = std::nullopt);

    /// Whether Open started the databases over because of a crash marker from another boot.
    bool Distrusted() const;

    Index(Index&&) noexcept;
    Index& operator=(Index&&) noexcept;
    ~Index();

    /// The commit the index reflects; nullopt for an empty index.
    std::optional<std::string> LastIndexedCommit() const;

    /// Brings the index up to the store's HEAD: from the last indexed commit when it is an
    /// ancestor of HEAD and the format, schema version and language match, from scratch
    /// otherwise or when `rebuild`. Each changed document has all its versions rewritten so
    /// their force intervals stay right, and so has every document whose successors (the
    /// documents whose newest version replaces it) appeared, changed or went. Versions are
    /// placed by `today` (nullopt: the machine's local date); a sync that catches up never
    /// places them by an earlier day than the last one did, and places again those that have
    /// crossed a boundary since. Commits
    /// every few thousand versions, so memory stays bounded; the last indexed commit moves
    /// only at the end, so an interrupted sync is redone.
    ///
    /// Then the drafts: each draft whose head commit is not the one indexed is indexed again
    /// (all of them when `rebuild`), and the drafts adopted or discarded since are removed.
    /// Finding that nothing changed costs one read of each draft's ref. Drafts' words never
    /// reach the spelling table.
    SyncReport Sync(const store::Store& store, bool rebuild = false,
                    const std::function<void(std::size_t, std::size_t)>& progress = {},
                    std::optional<core::Date> today = std::nullopt);

private:
    struct Impl;
    explicit Index(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace styrdok::indexer
