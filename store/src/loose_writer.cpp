#include "loose_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "styrdok/core/error.hpp"

namespace styrdok::store {

namespace {

namespace fs = std::filesystem;

// What git itself writes loose objects with; zlib's fastest level saves nothing worth having
// on the few objects of an edit, and git gc repacks them anyway.
constexpr int kCompressionLevel = Z_DEFAULT_COMPRESSION;

[[noreturn]] void Fail(const std::string& what, int error) {
    throw Error(ErrorCode::kInternal,
                "cannot write a git object: " + what + ": " + std::strerror(error));
}

// "<type> <size>\0<content>", deflated: a loose object's bytes on disk.
std::string LooseBytes(const MemoryObject& object) {
    std::string raw = git_object_type2string(object.type);
    raw += ' ';
    raw += std::to_string(object.data.size());
    raw += '\0';
    raw += object.data;
    uLongf size = compressBound(static_cast<uLong>(raw.size()));
    std::string out(size, '\0');
    const int rc = compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                             reinterpret_cast<const Bytef*>(raw.data()),
                             static_cast<uLong>(raw.size()), kCompressionLevel);
    if (rc != Z_OK) {
        throw Error(ErrorCode::kInternal,
                    "cannot write a git object: zlib error " + std::to_string(rc));
    }
    out.resize(size);
    return out;
}

// A temporary file in objects/ until it is renamed into place; removed when it is not.
class Temporary {
public:
    Temporary(const fs::path& objects, const fs::path& final_path)
        : path_((objects / "tmp_object_styrdok_XXXXXX").string()), final_(final_path) {
        fd_ = mkostemp(path_.data(), O_CLOEXEC);
        if (fd_ < 0) Fail(path_, errno);
    }
    Temporary(const Temporary&) = delete;
    Temporary& operator=(const Temporary&) = delete;
    Temporary(Temporary&& other) noexcept
        : path_(std::move(other.path_)),
          final_(std::move(other.final_)),
          fd_(std::exchange(other.fd_, -1)),
          placed_(std::exchange(other.placed_, true)) {}
    Temporary& operator=(Temporary&&) = delete;
    ~Temporary() {
        if (fd_ >= 0) ::close(fd_);
        if (!placed_) ::unlink(path_.c_str());
    }

    // Writes the bytes and starts their writeback, so that the first sync finds every
    // file's blocks in the journal transaction it commits and the next ones have no work.
    void Write(std::string_view bytes) {
        while (!bytes.empty()) {
            const ssize_t written = ::write(fd_, bytes.data(), bytes.size());
            if (written < 0 && errno == EINTR) continue;
            if (written <= 0) Fail(path_, written < 0 ? errno : EIO);
            bytes.remove_prefix(static_cast<std::size_t>(written));
        }
        // Read-only, as git leaves its objects.
        if (::fchmod(fd_, 0444) != 0) Fail(path_, errno);
        ::sync_file_range(fd_, 0, 0, SYNC_FILE_RANGE_WRITE);
    }

    void Sync() {
        if (::fsync(fd_) != 0) Fail(path_, errno);
        const int rc = ::close(std::exchange(fd_, -1));
        if (rc != 0) Fail(path_, errno);
    }

    void Place() {
        if (::rename(path_.c_str(), final_.c_str()) != 0) Fail(final_.string(), errno);
        placed_ = true;
    }

    const fs::path& final_path() const { return final_; }

private:
    std::string path_;
    fs::path final_;
    int fd_ = -1;
    bool placed_ = false;
};

void SyncFolder(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) Fail(dir.string(), errno);
    const int rc = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (rc != 0) Fail(dir.string(), error);
}

}  // namespace

void WriteLooseObjects(const fs::path& git_dir, std::vector<MemoryObject>& objects) {
    const fs::path dir = git_dir / "objects";
    std::vector<Temporary> files;
    files.reserve(objects.size());
    for (MemoryObject& object : objects) {
        char hex[GIT_OID_HEXSZ + 1] = {};
        git_oid_tostr(hex, sizeof hex, &object.id);
        const std::string_view name(hex);
        fs::path final_path = dir / name.substr(0, 2) / name.substr(2);
        std::error_code error;
        // One placed before is whole: it was synced before its rename, like these.
        if (fs::exists(final_path, error)) continue;
        files.emplace_back(dir, final_path).Write(LooseBytes(object));
        std::string().swap(object.data);
    }
    for (Temporary& file : files) file.Sync();
    std::set<fs::path> folders;
    bool created = false;
    for (Temporary& file : files) {
        const fs::path folder = file.final_path().parent_path();
        if (folders.insert(folder).second) {
            std::error_code error;
            created |= fs::create_directory(folder, error);
            if (error) Fail(folder.string(), error.value());
        }
        file.Place();
    }
    for (const fs::path& folder : folders) SyncFolder(folder);
    // A folder made here is an entry in objects/, which must reach the disk too.
    if (created) SyncFolder(dir);
}

}  // namespace styrdok::store
