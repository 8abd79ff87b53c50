#include "refs_stamp.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <map>
#include <thread>
#include <utility>

namespace styrdok::store {

namespace {

bool Before(const timespec& a, const timespec& b) {
    return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

// nullopt when the file cannot be looked at (a missing one can: it is stamped as missing).
std::optional<RefsStamp::File> StampOf(const std::filesystem::path& path) {
    RefsStamp::File file;
    struct stat status {};
    if (stat(path.c_str(), &status) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) return file;
        return std::nullopt;
    }
    file.exists = true;
    file.device = status.st_dev;
    file.inode = status.st_ino;
    file.size = status.st_size;
    file.mtime = status.st_mtim;
    file.ctime = status.st_ctim;
    return file;
}

// Whether `time`'s tick is not yet known to be over at `now`: the tick of the coarse clock
// the file system stamps by, or a whole second for a file system that keeps seconds only
// (ext4 with small inodes), whose times show no nanoseconds.
bool RacyTime(const timespec& time, const timespec& now) {
    if (time.tv_nsec == 0) return now.tv_sec <= time.tv_sec;
    return !Before(time, now);
}

// Not yet known to be over: the next change may still be given `file`'s times.
bool Racy(const RefsStamp::File& file, const timespec& now) {
    return file.exists && (RacyTime(file.mtime, now) || RacyTime(file.ctime, now));
}

}  // namespace

bool RefsStamp::File::operator==(const File& other) const {
    return exists == other.exists && device == other.device && inode == other.inode &&
           size == other.size && mtime.tv_sec == other.mtime.tv_sec &&
           mtime.tv_nsec == other.mtime.tv_nsec && ctime.tv_sec == other.ctime.tv_sec &&
           ctime.tv_nsec == other.ctime.tv_nsec;
}

std::optional<RefsStamp> StampDraftRefs(const std::filesystem::path& git_dir) {
    // Read first: a change after this reading is stamped at this tick or later.
    timespec now{};
    clock_gettime(CLOCK_REALTIME_COARSE, &now);
    // What cannot be stamped is listed every time, and the listing says what is wrong.
    const std::optional<RefsStamp::File> loose = StampOf(git_dir / "refs" / "drafts");
    const std::optional<RefsStamp::File> packed = StampOf(git_dir / "packed-refs");
    if (!loose || !packed || Racy(*loose, now) || Racy(*packed, now)) return std::nullopt;
    return RefsStamp{*loose, *packed};
}

std::optional<std::vector<DraftRef>> DraftList::Find(const RefsStamp& stamp) {
    std::lock_guard lock(mutex_);
    if (!stamp_ || !(*stamp_ == stamp)) return std::nullopt;
    return drafts_;
}

void DraftList::Keep(const std::optional<RefsStamp>& stamp, std::vector<DraftRef> drafts) {
    std::lock_guard lock(mutex_);
    stamp_ = stamp;
    drafts_ = std::move(drafts);
}

void DraftList::Moved(const std::optional<RefsStamp>& before, const std::filesystem::path& git_dir,
                      std::string_view id, const std::optional<std::string>& head) {
    std::lock_guard lock(mutex_);
    if (!before || !stamp_ || !(*stamp_ == *before)) {
        stamp_.reset();
        return;
    }
    stamp_.reset();
    auto found = std::lower_bound(
        drafts_.begin(), drafts_.end(), id,
        [](const DraftRef& draft, std::string_view key) { return draft.id < key; });
    const bool present = found != drafts_.end() && found->id == id;
    if (head && present) {
        found->version = *head;
    } else if (head) {
        drafts_.insert(found, DraftRef{std::string(id), *head});
    } else if (present) {
        drafts_.erase(found);
    }
    // The clock ticks every few milliseconds (4 at HZ=250); a file system that stamps by a
    // coarser one, or a clock that stands still, only costs the next listing a full read.
    for (int attempt = 0; attempt < 50; ++attempt) {
        if (std::optional<RefsStamp> now = StampDraftRefs(git_dir)) {
            stamp_ = now;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

std::shared_ptr<DraftList> SharedDraftList(const std::filesystem::path& git_dir) {
    static std::mutex mutex;
    static std::map<std::string, std::weak_ptr<DraftList>> lists;
    std::error_code error;
    std::filesystem::path key = std::filesystem::weakly_canonical(git_dir, error);
    if (error) key = git_dir;
    std::lock_guard lock(mutex);
    std::erase_if(lists, [](const auto& entry) { return entry.second.expired(); });
    std::weak_ptr<DraftList>& slot = lists[key.string()];
    std::shared_ptr<DraftList> list = slot.lock();
    if (!list) {
        list = std::make_shared<DraftList>();
        slot = list;
    }
    return list;
}

}  // namespace styrdok::store
