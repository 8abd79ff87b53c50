#include "write_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <thread>
#include <utility>

#include "styrdok/core/error.hpp"

namespace styrdok::store {

namespace fs = std::filesystem;

namespace {

// Waits between attempts: flock(2) has no timeout, and a blocking flock could keep a server
// thread forever behind a stuck writer.
constexpr std::chrono::milliseconds kFirstPause(1);
constexpr std::chrono::milliseconds kLongestPause(50);

int OpenLockFile(const fs::path& git_dir) {
    fs::path file = git_dir / kWriteLockFile;
    int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) {
        throw Error(ErrorCode::kInternal,
                    "cannot open the write lock " + file.string() + ": " + std::strerror(errno));
    }
    return fd;
}

// True when the lock was taken, false when someone else holds it.
bool TryLock(int fd) {
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK) return false;
        if (errno != EINTR) {
            int error = errno;
            ::close(fd);
            throw Error(ErrorCode::kInternal,
                        std::string("cannot take the write lock: ") + std::strerror(error));
        }
    }
    return true;
}

bool StartsWith(const std::string& text, std::string_view prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

bool EndsWith(const std::string& text, std::string_view suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Regular files directly in `dir` (none when it does not exist).
std::vector<std::string> FileNames(const fs::path& dir) {
    std::vector<std::string> names;
    std::error_code error;
    for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
        std::error_code type_error;
        if (it->is_regular_file(type_error)) names.push_back(it->path().filename().string());
    }
    return names;
}

}  // namespace

WriteLock WriteLock::Acquire(const fs::path& git_dir, std::chrono::milliseconds patience) {
    int fd = OpenLockFile(git_dir);
    auto deadline = std::chrono::steady_clock::now() + patience;
    std::chrono::milliseconds pause = kFirstPause;
    while (!TryLock(fd)) {
        if (std::chrono::steady_clock::now() >= deadline) {
            ::close(fd);
            throw Error(ErrorCode::kConflict,
                        "another write to the registry is still running; try again later");
        }
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, kLongestPause);
    }
    return WriteLock(fd);
}

std::optional<WriteLock> WriteLock::TryAcquire(const fs::path& git_dir) {
    int fd = OpenLockFile(git_dir);
    if (!TryLock(fd)) {
        ::close(fd);
        return std::nullopt;
    }
    return WriteLock(fd);
}

WriteLock::WriteLock(WriteLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

WriteLock& WriteLock::operator=(WriteLock&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

WriteLock::~WriteLock() {
    // Closing the last descriptor of the open file releases the flock.
    if (fd_ >= 0) ::close(fd_);
}

std::vector<std::string> FindLeftovers(const fs::path& git_dir) {
    std::vector<std::string> found;
    // A reference moves by writing <name>.lock and renaming it over <name> (libgit2 and git
    // alike); a writer killed in between leaves the .lock, and every later update of that
    // reference fails with GIT_ELOCKED.
    const fs::path refs = git_dir / "refs";
    std::error_code error;
    for (fs::recursive_directory_iterator it(refs, error), end; !error && it != end;
         it.increment(error)) {
        std::error_code type_error;
        if (it->is_regular_file(type_error) && EndsWith(it->path().filename().string(), ".lock")) {
            found.push_back("refs/" + it->path().lexically_relative(refs).string());
        }
    }
    if (fs::exists(git_dir / "packed-refs.lock", error)) found.push_back("packed-refs.lock");
    // libgit2 writes a loose object to objects/tmp_object_git2_XXXXXX and renames it into
    // place once whole.
    for (const std::string& name : FileNames(git_dir / "objects")) {
        if (StartsWith(name, "tmp_object")) found.push_back("objects/" + name);
    }
    // libgit2 writes a pack to objects/pack/pack_git2_ and six random characters, its
    // index through pack-<hash>.idx.lock, then renames the pack to pack-<hash>.pack once the
    // index is in place; the store's own pack writer (pack_writer.hpp) writes tmp_pack_* and
    // tmp_idx_* and puts the pack in place before its index. With the lock held, an index
    // without its pack or a pack without its index is a write that did not finish (git and
    // libgit2 skip both).
    std::vector<std::string> packs = FileNames(git_dir / "objects" / "pack");
    auto has = [&packs](const std::string& name) {
        return std::find(packs.begin(), packs.end(), name) != packs.end();
    };
    for (const std::string& name : packs) {
        const bool pack_file = StartsWith(name, "pack-");
        bool orphan_index =
            pack_file && EndsWith(name, ".idx") && !has(name.substr(0, name.size() - 4) + ".pack");
        bool orphan_pack =
            pack_file && EndsWith(name, ".pack") && !has(name.substr(0, name.size() - 5) + ".idx");
        if (StartsWith(name, "pack_git2_") || StartsWith(name, "tmp_pack_") ||
            StartsWith(name, "tmp_idx_") || EndsWith(name, ".lock") || orphan_index ||
            orphan_pack) {
            found.push_back("objects/pack/" + name);
        }
    }
    std::sort(found.begin(), found.end());
    return found;
}

std::vector<std::string> RemoveLeftovers(const fs::path& git_dir, const WriteLock& held) {
    (void)held;
    std::vector<std::string> removed = FindLeftovers(git_dir);
    for (const std::string& leftover : removed) {
        std::error_code error;
        fs::remove(git_dir / leftover, error);
        if (error) {
            throw Error(ErrorCode::kInternal,
                        "cannot remove " + (git_dir / leftover).string() +
                            ", left by an interrupted write: " + error.message());
        }
    }
    return removed;
}

}  // namespace styrdok::store
