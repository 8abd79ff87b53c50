#include "pack_writer.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <future>
#include <memory>
#include <random>
#include <string_view>
#include <thread>

#include "styrdok/core/error.hpp"

namespace styrdok::store {

namespace {

namespace fs = std::filesystem;

// Text compresses nearly as well at zlib's fastest level as at git's default (6), in a
// third of the time; git reads either.
constexpr int kCompressionLevel = Z_BEST_SPEED;
// Objects per unit of compression work, and units in flight: enough to keep every core
// busy while the file is written, few enough that compressed data does not pile up.
constexpr std::size_t kObjectsPerBatch = 512;
constexpr std::size_t kBatchesPerThread = 4;
// Offsets up to here fit the index's 31-bit table; larger ones go to its 64-bit table.
constexpr std::uint64_t kMaxSmallOffset = 0x7fffffff;

[[noreturn]] void Fail(const std::string& what) {
    throw Error(ErrorCode::kInternal, "cannot write pack: " + what);
}

void PutBigEndian32(std::string& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}

void PutBigEndian64(std::string& out, std::uint64_t value) {
    PutBigEndian32(out, static_cast<std::uint32_t>(value >> 32));
    PutBigEndian32(out, static_cast<std::uint32_t>(value));
}

// An object's header in a pack: its type and size, seven bits of size a byte after the
// first four.
void PutObjectHeader(std::string& out, git_object_t type, std::size_t size) {
    unsigned char byte =
        static_cast<unsigned char>((static_cast<unsigned>(type) << 4) | (size & 0x0f));
    size >>= 4;
    while (size != 0) {
        out.push_back(static_cast<char>(byte | 0x80));
        byte = static_cast<unsigned char>(size & 0x7f);
        size >>= 7;
    }
    out.push_back(static_cast<char>(byte));
}

class Sha1 {
public:
    Sha1() : context_(EVP_MD_CTX_new()) {
        if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha1(), nullptr) != 1) {
            Fail("SHA-1 is not available");
        }
    }
    void Add(std::string_view bytes) {
        if (EVP_DigestUpdate(context_.get(), bytes.data(), bytes.size()) != 1) Fail("SHA-1");
    }
    std::array<unsigned char, GIT_OID_RAWSZ> Finish() {
        std::array<unsigned char, GIT_OID_RAWSZ> digest{};
        unsigned int size = 0;
        if (EVP_DigestFinal_ex(context_.get(), digest.data(), &size) != 1 ||
            size != digest.size()) {
            Fail("SHA-1");
        }
        return digest;
    }

private:
    struct Free {
        void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
    };
    std::unique_ptr<EVP_MD_CTX, Free> context_;
};

// A file written from scratch under a temporary name, removed unless Publish renames it.
class NewFile {
public:
    NewFile(const fs::path& dir, const std::string& prefix) {
        std::random_device random;
        for (int attempt = 0; attempt < 16 && fd_ < 0; ++attempt) {
            path_ = dir / (prefix + std::to_string(getpid()) + "_" + std::to_string(random()));
            fd_ = open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
            if (fd_ < 0 && errno != EEXIST) Fail(path_.string() + ": " + std::strerror(errno));
        }
        if (fd_ < 0) Fail("no free temporary name in " + dir.string());
    }
    NewFile(const NewFile&) = delete;
    NewFile& operator=(const NewFile&) = delete;
    ~NewFile() {
        if (fd_ >= 0) close(fd_);
        if (!published_) {
            std::error_code ignored;
            fs::remove(path_, ignored);
        }
    }

    void Write(std::string_view bytes) {
        while (!bytes.empty()) {
            ssize_t written = write(fd_, bytes.data(), bytes.size());
            if (written < 0 && errno == EINTR) continue;
            if (written <= 0) Fail(path_.string() + ": " + std::strerror(errno));
            bytes.remove_prefix(static_cast<std::size_t>(written));
        }
    }

    void Publish(const fs::path& final_path) {
        if (fsync(fd_) != 0) Fail(path_.string() + ": " + std::strerror(errno));
        if (close(fd_) != 0) {
            fd_ = -1;
            Fail(path_.string() + ": " + std::strerror(errno));
        }
        fd_ = -1;
        std::error_code error;
        fs::rename(path_, final_path, error);
        if (error) Fail(final_path.string() + ": " + error.message());
        published_ = true;
    }

private:
    fs::path path_;
    int fd_ = -1;
    bool published_ = false;
};

// Objects [begin, end) as they go into the pack, one after the other.
struct Batch {
    std::string bytes;
    std::vector<std::uint32_t> sizes;  ///< each object's bytes in the pack
    std::vector<std::uint32_t> crcs;   ///< CRC-32 of those bytes, which the index records
};

Batch Compress(std::vector<MemoryObject>& objects, std::size_t begin, std::size_t end) {
    Batch batch;
    batch.sizes.reserve(end - begin);
    batch.crcs.reserve(end - begin);
    for (std::size_t i = begin; i < end; ++i) {
        MemoryObject& object = objects[i];
        const std::size_t start = batch.bytes.size();
        PutObjectHeader(batch.bytes, object.type, object.data.size());
        const std::size_t header_end = batch.bytes.size();
        uLongf compressed = compressBound(static_cast<uLong>(object.data.size()));
        batch.bytes.resize(header_end + compressed);
        int rc = compress2(reinterpret_cast<Bytef*>(batch.bytes.data() + header_end), &compressed,
                           reinterpret_cast<const Bytef*>(object.data.data()),
                           static_cast<uLong>(object.data.size()), kCompressionLevel);
        if (rc != Z_OK) Fail("zlib error " + std::to_string(rc));
        batch.bytes.resize(header_end + compressed);
        const std::size_t size = batch.bytes.size() - start;
        batch.sizes.push_back(static_cast<std::uint32_t>(size));
        batch.crcs.push_back(static_cast<std::uint32_t>(
            crc32(0, reinterpret_cast<const Bytef*>(batch.bytes.data() + start),
                  static_cast<uInt>(size))));
        // Packed: its content is no longer needed, and the import's memory peaks here.
        std::string().swap(object.data);
    }
    return batch;
}

struct Entry {
    git_oid id;
    std::uint64_t offset;
    std::uint32_t crc;
};

std::string IndexBytes(std::vector<Entry>& entries,
                       const std::array<unsigned char, GIT_OID_RAWSZ>& pack_hash) {
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return std::memcmp(a.id.id, b.id.id, GIT_OID_RAWSZ) < 0;
    });
    std::string out = "\377tOc";
    PutBigEndian32(out, 2);
    std::array<std::uint32_t, 256> fanout{};
    for (const Entry& entry : entries) ++fanout[entry.id.id[0]];
    std::uint32_t running = 0;
    for (std::uint32_t& count : fanout) {
        running += count;
        PutBigEndian32(out, running);
    }
    for (const Entry& entry : entries) {
        out.append(reinterpret_cast<const char*>(entry.id.id), GIT_OID_RAWSZ);
    }
    for (const Entry& entry : entries) PutBigEndian32(out, entry.crc);
    std::vector<std::uint64_t> large;
    for (const Entry& entry : entries) {
        if (entry.offset <= kMaxSmallOffset) {
            PutBigEndian32(out, static_cast<std::uint32_t>(entry.offset));
        } else {
            PutBigEndian32(out, 0x80000000u | static_cast<std::uint32_t>(large.size()));
            large.push_back(entry.offset);
        }
    }
    for (std::uint64_t offset : large) PutBigEndian64(out, offset);
    out.append(reinterpret_cast<const char*>(pack_hash.data()), pack_hash.size());
    Sha1 index_hash;
    index_hash.Add(out);
    std::array<unsigned char, GIT_OID_RAWSZ> digest = index_hash.Finish();
    out.append(reinterpret_cast<const char*>(digest.data()), digest.size());
    return out;
}

void SyncFolder(const fs::path& dir) {
    int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) Fail(dir.string() + ": " + std::strerror(errno));
    int rc = fsync(fd);
    close(fd);
    if (rc != 0) Fail(dir.string() + ": " + std::strerror(errno));
}

}  // namespace

std::string WritePack(const fs::path& git_dir, std::vector<MemoryObject>& objects) {
    const fs::path dir = git_dir / "objects" / "pack";
    std::error_code error;
    const bool created = fs::create_directories(dir, error);
    if (error) Fail(dir.string() + ": " + error.message());
    // A folder made here is an entry in objects/, which must reach the disk too.
    if (created) SyncFolder(dir.parent_path());

    NewFile pack(dir, "tmp_pack_");
    Sha1 pack_hash;
    auto emit = [&](std::string_view bytes) {
        pack.Write(bytes);
        pack_hash.Add(bytes);
    };
    std::string header = "PACK";
    PutBigEndian32(header, 2);
    PutBigEndian32(header, static_cast<std::uint32_t>(objects.size()));
    emit(header);

    std::vector<Entry> entries;
    entries.reserve(objects.size());
    std::uint64_t offset = header.size();
    const std::size_t batches = (objects.size() + kObjectsPerBatch - 1) / kObjectsPerBatch;
    const std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
    const std::size_t in_flight = threads * kBatchesPerThread;
    std::vector<std::future<Batch>> pending;
    std::size_t next = 0;
    auto launch = [&] {
        const std::size_t begin = next * kObjectsPerBatch;
        const std::size_t end = std::min(objects.size(), begin + kObjectsPerBatch);
        pending.push_back(std::async(std::launch::async, Compress, std::ref(objects), begin, end));
        ++next;
    };
    try {
        while (next < batches && next < in_flight) launch();
        for (std::size_t done = 0; done < batches; ++done) {
            Batch batch = pending[done].get();
            if (next < batches) launch();
            std::size_t at = 0;
            for (std::size_t k = 0; k < batch.sizes.size(); ++k) {
                const MemoryObject& object = objects[done * kObjectsPerBatch + k];
                entries.push_back(Entry{object.id, offset + at, batch.crcs[k]});
                at += batch.sizes[k];
            }
            emit(batch.bytes);
            offset += batch.bytes.size();
            pending[done] = {};
        }
    } catch (...) {
        // Every compression still running reads `objects`: let it end first.
        for (std::future<Batch>& future : pending) {
            if (future.valid()) future.wait();
        }
        throw;
    }
    const std::array<unsigned char, GIT_OID_RAWSZ> digest = pack_hash.Finish();
    pack.Write(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));

    char hex[GIT_OID_HEXSZ + 1] = {};
    git_oid name;
    std::memcpy(name.id, digest.data(), digest.size());
    git_oid_tostr(hex, sizeof hex, &name);
    const std::string base = std::string("pack-") + hex;

    NewFile index(dir, "tmp_idx_");
    index.Write(IndexBytes(entries, digest));
    pack.Publish(dir / (base + ".pack"));
    index.Publish(dir / (base + ".idx"));
    SyncFolder(dir);
    return hex;
}

}  // namespace styrdok::store
