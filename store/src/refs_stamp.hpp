#pragma once

// Telling, without reading them, whether the drafts' refs may have changed since they were
// listed: what Store::ListDrafts keeps its last answer by.

#include <sys/types.h>

#include <ctime>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "styrdok/store/store.hpp"

namespace styrdok::store {

/// What the file system says about the two places a ref under refs/drafts/ lives: the
/// directory of loose refs (git writes a ref by renaming a lock file into it, and deletes it
/// by unlinking, so every change moves the directory's mtime) and packed-refs (rewritten by
/// renaming, by `git pack-refs` and when a packed ref is deleted).
struct RefsStamp {
    struct File {
        bool exists = false;
        dev_t device = 0;
        ino_t inode = 0;
        off_t size = 0;
        timespec mtime{};
        timespec ctime{};
        bool operator==(const File& other) const;
    };
    File loose;   ///< refs/drafts/
    File packed;  ///< packed-refs
    bool operator==(const RefsStamp&) const = default;
};

/// The stamp of `git_dir`'s drafts' refs now, or nullopt when it cannot be trusted to differ
/// after the next change: a change within the file system clock's current tick may leave
/// the same times (the "racy git" problem), so a stamp is only given once that tick is over
/// for both files. Take it before listing the refs, so that a change made during the listing
/// shows in the next stamp. Refs written in place (not by git's lock file and rename) go
/// unnoticed; no git tool writes them so. Never throws: what cannot be stamped is nullopt.
std::optional<RefsStamp> StampDraftRefs(const std::filesystem::path& git_dir);

/// Store::ListDrafts' last answer for one repository and the stamp it was read under, shared
/// by every Store of the process that opens the repository: a writer's Store passes its own
/// moves of the drafts' refs on to the others' (the server's index keeper). Thread-safe.
class DraftList {
public:
    /// The listing kept under `stamp`; nullopt when it was kept under another or none.
    std::optional<std::vector<DraftRef>> Find(const RefsStamp& stamp);

    /// Keeps `drafts` (sorted by id), listed after `stamp` was taken; nullopt keeps nothing
    /// to trust.
    void Keep(const std::optional<RefsStamp>& stamp, std::vector<DraftRef> drafts);

    /// Call under the write lock, after refs/drafts/<id> moved to `head` (nullopt: deleted).
    /// When `before`, stamped under the same lock before the move, is the stamp the listing
    /// was kept under, the listing moves with the ref and is kept under the new stamp, once
    /// the file system clock's tick is over (a wait of a few milliseconds, under the lock, so
    /// that no other writer's change can share the stamp). Otherwise nothing is kept.
    void Moved(const std::optional<RefsStamp>& before, const std::filesystem::path& git_dir,
               std::string_view id, const std::optional<std::string>& head);

private:
    std::mutex mutex_;
    std::optional<RefsStamp> stamp_;
    std::vector<DraftRef> drafts_;
};

/// The process's DraftList of the repository whose git directory is `git_dir`.
std::shared_ptr<DraftList> SharedDraftList(const std::filesystem::path& git_dir);

}  // namespace styrdok::store
