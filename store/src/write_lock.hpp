#pragma once

// The lock every Styrdok writer holds while it writes, and what a write interrupted by a
// crash (kill -9, power loss) leaves in the repository.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace styrdok::store {

/// The lock file, in the repository's git directory. It is never removed: removing a file
/// others may be waiting to flock would let two writers hold "the" lock at once.
inline constexpr const char* kWriteLockFile = "styrdok-write.lock";

/// An exclusive flock(2) on <git directory>/styrdok-write.lock, held while the object lives.
/// Store::Commit and Store::CommitAll hold it while they put objects into the repository and
/// move the branch, so whoever holds it knows that no git lock file or libgit2 temporary file
/// in the repository belongs to a live write. The kernel drops the lock when its holder dies,
/// however it dies. Another tool that writes to the repository (git gc) takes the same lock
/// with `flock <repository>/styrdok-write.lock git gc`. Not reentrant: a thread that holds it
/// and asks again waits for itself.
class WriteLock {
public:
    /// Waits up to `patience` for the lock. Throws Error(kConflict) when another writer
    /// holds it longer, Error(kInternal) when the lock file cannot be opened.
    static WriteLock Acquire(const std::filesystem::path& git_dir,
                             std::chrono::milliseconds patience);
    /// The lock when nobody holds it; nullopt when a writer does.
    static std::optional<WriteLock> TryAcquire(const std::filesystem::path& git_dir);

    WriteLock(WriteLock&& other) noexcept;
    WriteLock& operator=(WriteLock&& other) noexcept;
    WriteLock(const WriteLock&) = delete;
    WriteLock& operator=(const WriteLock&) = delete;
    ~WriteLock();

private:
    explicit WriteLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

/// What interrupted writes left under `git_dir`, as paths relative to it, sorted: git's lock
/// files under refs/ and packed-refs.lock (a stale one refuses every later update of its
/// reference), libgit2's temporary object files (objects/tmp_object_git2_*) and pack files
/// (objects/pack/pack_git2_*, a pack's index without its pack). Only leftovers when nobody
/// holds the WriteLock: during a write they are that write's own files.
std::vector<std::string> FindLeftovers(const std::filesystem::path& git_dir);

/// Removes what FindLeftovers finds; `held` is the proof that the caller holds the lock.
/// Returns the paths removed. Throws Error(kInternal) when one cannot be removed.
std::vector<std::string> RemoveLeftovers(const std::filesystem::path& git_dir,
                                         const WriteLock& held);

}  // namespace styrdok::store
