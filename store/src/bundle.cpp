#include "styrdok/store/bundle.hpp"

#include <fcntl.h>
#include <git2.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <memory>
#include <unordered_set>

#include "git_check.hpp"
#include "git_handle.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/store/store.hpp"
#include "write_lock.hpp"

namespace styrdok::store {

namespace {

namespace fs = std::filesystem;

using PackBuilderPtr = GitPtr<git_packbuilder, git_packbuilder_free>;
using RevwalkPtr = GitPtr<git_revwalk, git_revwalk_free>;
using IndexerPtr = GitPtr<git_indexer, git_indexer_free>;
using ReferenceIteratorPtr = GitPtr<git_reference_iterator, git_reference_iterator_free>;

constexpr std::string_view kSignatureV2 = "# v2 git bundle\n";
constexpr std::string_view kSignatureV3 = "# v3 git bundle\n";
constexpr const char* kMainRef = "refs/heads/main";
// A write holds the lock for its pack and the branch move: an import of 100 000 documents
// for tens of seconds.
constexpr std::chrono::seconds kLockPatience(60);
// A header is about 60 bytes a reference: this allows a million of them, and stops a file
// that is not a bundle from being read whole into memory.
constexpr std::size_t kMaxHeaderBytes = std::size_t{64} << 20;
constexpr std::size_t kChunkBytes = std::size_t{1} << 20;

[[noreturn]] void BadBundle(const std::string& what) {
    throw Error(ErrorCode::kBadInput, "not a sound git bundle: " + what);
}

bool IsObjectId(std::string_view text) {
    return text.size() == GIT_OID_HEXSZ && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

// The line as an error message may show it: at most 80 bytes, control bytes as '?'.
std::string Shown(std::string_view line) {
    std::string shown(line.substr(0, 80));
    for (char& c : shown) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    }
    return shown;
}

// A file opened for reading, closed with its owner.
class InputFile {
public:
    explicit InputFile(const fs::path& file) : path_(file) {
        fd_ = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) Fail();
    }
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;
    ~InputFile() { ::close(fd_); }

    /// Appends up to `size` bytes to `out`; returns how many (0 at the end).
    std::size_t ReadInto(std::string& out, std::size_t size) {
        const std::size_t before = out.size();
        out.resize(before + size);
        for (;;) {
            const ssize_t got = ::read(fd_, out.data() + before, size);
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) Fail();
            out.resize(before + static_cast<std::size_t>(got));
            return static_cast<std::size_t>(got);
        }
    }

private:
    [[noreturn]] void Fail() {
        throw Error(ErrorCode::kInternal,
                    "cannot read " + path_.string() + ": " + std::strerror(errno));
    }
    fs::path path_;
    int fd_ = -1;
};

// A file written under a temporary name beside its final one, which it gets only from
// Publish; removed otherwise.
class OutputFile {
public:
    explicit OutputFile(const fs::path& file) : final_(file) {
        temporary_ = file.parent_path() /
                     ("." + file.filename().string() + ".tmp-" + std::to_string(::getpid()));
        // A backup holds the drafts and the whole history: its owner's alone.
        fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd_ < 0) Fail(temporary_);
    }
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;
    ~OutputFile() {
        if (fd_ >= 0) ::close(fd_);
        if (!published_) {
            std::error_code ignored;
            fs::remove(temporary_, ignored);
        }
    }

    void Write(std::string_view bytes) {
        while (!bytes.empty()) {
            const ssize_t written = ::write(fd_, bytes.data(), bytes.size());
            if (written < 0 && errno == EINTR) continue;
            if (written <= 0) Fail(temporary_);
            bytes.remove_prefix(static_cast<std::size_t>(written));
            bytes_ += static_cast<std::size_t>(written);
        }
    }

    std::uint64_t bytes() const { return bytes_; }

    void Publish() {
        if (::fsync(fd_) != 0) Fail(temporary_);
        const int rc = ::close(fd_);
        fd_ = -1;
        if (rc != 0) Fail(temporary_);
        if (fs::exists(final_)) {
            throw Error(ErrorCode::kConflict, final_.string() + " exists already");
        }
        std::error_code error;
        fs::rename(temporary_, final_, error);
        if (error) {
            throw Error(ErrorCode::kInternal,
                        "cannot write " + final_.string() + ": " + error.message());
        }
        published_ = true;
        const int dir = ::open(final_.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir >= 0) {
            ::fsync(dir);
            ::close(dir);
        }
    }

private:
    [[noreturn]] static void Fail(const fs::path& path) {
        throw Error(ErrorCode::kInternal,
                    "cannot write " + path.string() + ": " + std::strerror(errno));
    }
    fs::path final_;
    fs::path temporary_;
    int fd_ = -1;
    std::uint64_t bytes_ = 0;
    bool published_ = false;
};

RepositoryPtr OpenBare(const fs::path& repository) {
    git_repository* repo = nullptr;
    const int rc =
        git_repository_open_ext(&repo, repository.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
    if (rc == GIT_ENOTFOUND) {
        git_error_clear();
        throw Error(ErrorCode::kNotFound, "no repository at " + repository.string());
    }
    CheckGit(rc, "open repository " + repository.string());
    return RepositoryPtr(repo);
}

// Every reference under refs/ with the object it points at, sorted by name.
std::vector<std::pair<std::string, git_oid>> ReadRefs(git_repository* repo) {
    std::vector<std::pair<std::string, git_oid>> refs;
    git_reference_iterator* raw = nullptr;
    CheckGit(git_reference_iterator_new(&raw, repo), "list references");
    ReferenceIteratorPtr iterator(raw);
    for (;;) {
        git_reference* next = nullptr;
        const int rc = git_reference_next(&next, iterator.get());
        if (rc == GIT_ITEROVER) break;
        CheckGit(rc, "list references");
        ReferencePtr ref(next);
        git_reference* resolved = nullptr;
        // A symbolic reference whose target is missing has nothing to bundle.
        if (!CheckGitFound(git_reference_resolve(&resolved, ref.get()), "resolve reference")) {
            git_error_clear();
            continue;
        }
        ReferencePtr direct(resolved);
        refs.emplace_back(git_reference_name(ref.get()), *git_reference_target(direct.get()));
    }
    std::sort(refs.begin(), refs.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    return refs;
}

// Where git_packbuilder_foreach hands the pack, and what went wrong there: libgit2 knows
// only that the callback failed.
struct PackSink {
    OutputFile* out;
    std::exception_ptr failure;
};

int WritePackChunk(void* bytes, std::size_t size, void* payload) {
    auto* sink = static_cast<PackSink*>(payload);
    try {
        sink->out->Write(std::string_view(static_cast<const char*>(bytes), size));
        return 0;
    } catch (...) {
        sink->failure = std::current_exception();
        return -1;
    }
}

// Removes a repository RestoreBundle began, unless it was finished.
class RemoveUnlessKept {
public:
    explicit RemoveUnlessKept(fs::path path) : path_(std::move(path)) {}
    RemoveUnlessKept(const RemoveUnlessKept&) = delete;
    RemoveUnlessKept& operator=(const RemoveUnlessKept&) = delete;
    ~RemoveUnlessKept() {
        if (kept_) return;
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    void Keep() { kept_ = true; }

private:
    fs::path path_;
    bool kept_ = false;
};

std::string LastGitMessage() {
    const git_error* error = git_error_last();
    return error != nullptr && error->message != nullptr ? error->message : "unknown error";
}

}  // namespace

BundleHeader ParseBundleHeader(std::string_view bytes) {
    BundleHeader header;
    std::size_t at = 0;
    if (bytes.substr(0, kSignatureV2.size()) == kSignatureV2) {
        header.version = 2;
    } else if (bytes.substr(0, kSignatureV3.size()) == kSignatureV3) {
        header.version = 3;
    } else {
        BadBundle("it does not begin with \"# v2 git bundle\" or \"# v3 git bundle\"");
    }
    at = kSignatureV2.size();
    bool capabilities_end = header.version == 2;
    for (int line_number = 2;; ++line_number) {
        const std::size_t end = bytes.find('\n', at);
        if (end == std::string_view::npos) BadBundle("its header ends before its blank line");
        const std::string_view line = bytes.substr(at, end - at);
        at = end + 1;
        const std::string where =
            "line " + std::to_string(line_number) + " \"" + Shown(line) + "\"";
        if (line.empty()) break;
        if (line[0] == '@') {
            if (capabilities_end) BadBundle("unexpected capability at " + where);
            if (line != "@object-format=sha1") BadBundle("unsupported capability at " + where);
            continue;
        }
        capabilities_end = true;
        if (line[0] == '-') {
            const std::string_view id = line.substr(1, GIT_OID_HEXSZ);
            if (!IsObjectId(id) ||
                (line.size() > 1 + GIT_OID_HEXSZ && line[1 + GIT_OID_HEXSZ] != ' ')) {
                BadBundle("malformed prerequisite at " + where);
            }
            header.prerequisites.emplace_back(id);
            continue;
        }
        const std::string_view id = line.substr(0, GIT_OID_HEXSZ);
        const std::string_view name =
            line.size() > GIT_OID_HEXSZ + 1 ? line.substr(GIT_OID_HEXSZ + 1) : std::string_view();
        const bool name_sound = !name.empty() && std::none_of(name.begin(), name.end(), [](char c) {
            return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f;
        });
        if (line.size() <= GIT_OID_HEXSZ + 1 || !IsObjectId(id) || line[GIT_OID_HEXSZ] != ' ' ||
            !name_sound) {
            BadBundle("malformed reference at " + where);
        }
        header.refs.push_back({std::string(name), std::string(id)});
    }
    header.pack_offset = at;
    return header;
}

BundleSummary WriteBundle(const fs::path& repository, const fs::path& file) {
    EnsureLibgit2();
    if (fs::exists(file)) throw Error(ErrorCode::kConflict, file.string() + " exists already");
    RepositoryPtr repo = OpenBare(repository);

    std::vector<std::pair<std::string, git_oid>> refs;
    std::optional<git_oid> head;
    {
        // Between two writes: an adoption moves main and then deletes the draft's ref, and a
        // bundle taken in between would hold a draft that main has adopted already.
        WriteLock lock = WriteLock::Acquire(git_repository_commondir(repo.get()), kLockPatience);
        refs = ReadRefs(repo.get());
        git_oid head_id;
        if (CheckGitFound(git_reference_name_to_id(&head_id, repo.get(), "HEAD"), "read HEAD")) {
            head = head_id;
        } else {
            git_error_clear();
        }
    }

    git_packbuilder* raw_builder = nullptr;
    CheckGit(git_packbuilder_new(&raw_builder, repo.get()), "start a pack");
    PackBuilderPtr builder(raw_builder);
    git_packbuilder_set_threads(builder.get(), 0);
    git_revwalk* raw_walk = nullptr;
    CheckGit(git_revwalk_new(&raw_walk, repo.get()), "walk history");
    RevwalkPtr walk(raw_walk);
    git_odb* raw_odb = nullptr;
    CheckGit(git_repository_odb(&raw_odb, repo.get()), "open objects");
    OdbPtr odb(raw_odb);
    std::unordered_set<git_oid, OidHash, OidEqual> seen;
    for (const auto& [name, id] : refs) {
        if (!seen.insert(id).second) continue;
        std::size_t size = 0;
        git_object_t type = GIT_OBJECT_INVALID;
        CheckGit(git_odb_read_header(&size, &type, odb.get(), &id), "read " + name);
        if (type == GIT_OBJECT_COMMIT) {
            CheckGit(git_revwalk_push(walk.get(), &id), "walk " + name);
        } else {
            CheckGit(git_packbuilder_insert_recur(builder.get(), &id, nullptr), "pack " + name);
        }
    }
    CheckGit(git_packbuilder_insert_walk(builder.get(), walk.get()), "pack history");

    std::string header(kSignatureV2);
    BundleSummary summary;
    if (head) header += OidString(*head) + " HEAD\n";
    for (const auto& [name, id] : refs) {
        header += OidString(id) + " " + name + "\n";
        summary.refs.push_back({name, OidString(id)});
        if (name == kMainRef) summary.head = OidString(id);
    }
    header += "\n";

    OutputFile out(file);
    out.Write(header);
    PackSink sink{&out, nullptr};
    const int written = git_packbuilder_foreach(builder.get(), WritePackChunk, &sink);
    if (sink.failure) std::rethrow_exception(sink.failure);
    CheckGit(written, "write " + file.string());
    out.Publish();
    summary.objects = git_packbuilder_object_count(builder.get());
    summary.bytes = out.bytes();
    return summary;
}

BundleSummary RestoreBundle(const fs::path& file, const fs::path& repository) {
    EnsureLibgit2();
    if (fs::exists(repository)) {
        throw Error(ErrorCode::kConflict, repository.string() + " exists already");
    }
    InputFile in(file);
    std::string buffer;
    while (buffer.find("\n\n") == std::string::npos) {
        if (buffer.size() >= kMaxHeaderBytes) BadBundle("its header has no end");
        if (in.ReadInto(buffer, kChunkBytes) == 0) break;
    }
    const BundleHeader header = ParseBundleHeader(buffer);
    if (!header.prerequisites.empty()) {
        BadBundle("it is incremental (it needs " + std::to_string(header.prerequisites.size()) +
                  " commits it does not hold); a backup is a full bundle");
    }
    while (buffer.size() < header.pack_offset + 4 && in.ReadInto(buffer, kChunkBytes) > 0) {
    }
    if (buffer.compare(header.pack_offset, 4, "PACK") != 0) {
        BadBundle("no pack follows its header");
    }

    RemoveUnlessKept made(repository);
    Store::Init(repository);
    RepositoryPtr repo = OpenBare(repository);
    git_odb* raw_odb = nullptr;
    CheckGit(git_repository_odb(&raw_odb, repo.get()), "open objects");
    OdbPtr odb(raw_odb);

    git_indexer_options options;
    CheckGit(git_indexer_options_init(&options, GIT_INDEXER_OPTIONS_VERSION), "indexer options");
    // Every object a commit or tree of the pack names must be in it: a full bundle's pack is
    // closed, and a repository missing one would fail only when someone reads it.
    options.verify = 1;
    git_indexer* raw_indexer = nullptr;
    const fs::path pack_dir = repository / "objects" / "pack";
    CheckGit(git_indexer_new(&raw_indexer, pack_dir.c_str(), 0, odb.get(), &options),
             "index the pack");
    IndexerPtr indexer(raw_indexer);
    git_indexer_progress progress{};
    std::uint64_t bytes = buffer.size();
    auto append = [&](std::string_view chunk) {
        if (git_indexer_append(indexer.get(), chunk.data(), chunk.size(), &progress) < 0) {
            BadBundle("its pack is damaged (" + LastGitMessage() + ")");
        }
    };
    append(std::string_view(buffer).substr(header.pack_offset));
    for (;;) {
        buffer.clear();
        if (in.ReadInto(buffer, kChunkBytes) == 0) break;
        bytes += buffer.size();
        append(buffer);
    }
    if (git_indexer_commit(indexer.get(), &progress) < 0) {
        BadBundle("its pack is truncated or damaged (" + LastGitMessage() + ")");
    }
    indexer.reset();
    // The pack's index is new: a repository opened before it was written may not look again.
    CheckGit(git_odb_refresh(odb.get()), "read the new pack");

    BundleSummary summary;
    summary.objects = progress.total_objects;
    summary.bytes = bytes;
    for (const BundleRef& ref : header.refs) {
        if (ref.name == "HEAD") continue;
        git_oid id;
        CheckGit(git_oid_fromstrn(&id, ref.object.data(), ref.object.size()), "object id");
        int valid = 0;
        if (git_reference_name_is_valid(&valid, ref.name.c_str()) < 0 || !valid ||
            ref.name.rfind("refs/", 0) != 0) {
            BadBundle("not a reference name: \"" + Shown(ref.name) + "\"");
        }
        if (!git_odb_exists(odb.get(), &id)) {
            BadBundle(ref.name + " names " + ref.object + ", which its pack does not hold");
        }
        git_reference* created = nullptr;
        const int rc =
            git_reference_create(&created, repo.get(), ref.name.c_str(), &id, 0, "styrdok restore");
        if (rc == GIT_EEXISTS) BadBundle(ref.name + " is listed twice");
        CheckGit(rc, "set " + ref.name);
        git_reference_free(created);
        summary.refs.push_back(ref);
        if (ref.name == kMainRef) summary.head = ref.object;
    }
    std::sort(summary.refs.begin(), summary.refs.end(),
              [](const BundleRef& a, const BundleRef& b) { return a.name < b.name; });
    made.Keep();
    return summary;
}

std::string Sha256OfFile(const fs::path& file) {
    struct Free {
        void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
    };
    std::unique_ptr<EVP_MD_CTX, Free> context(EVP_MD_CTX_new());
    if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1) {
        throw Error(ErrorCode::kInternal, "SHA-256 is not available");
    }
    InputFile in(file);
    std::string buffer;
    for (;;) {
        buffer.clear();
        if (in.ReadInto(buffer, kChunkBytes) == 0) break;
        if (EVP_DigestUpdate(context.get(), buffer.data(), buffer.size()) != 1) {
            throw Error(ErrorCode::kInternal, "SHA-256 failed");
        }
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(context.get(), digest, &size) != 1) {
        throw Error(ErrorCode::kInternal, "SHA-256 failed");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < size; ++i) {
        hex += kHex[digest[i] >> 4];
        hex += kHex[digest[i] & 0x0f];
    }
    return hex;
}

}  // namespace styrdok::store
