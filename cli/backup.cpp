// `styrdok backup DIR` and `styrdok restore DIR` (docs/operations.md, "Backups"): a registry's
// repository as a git bundle, its accounts, settings and reminder records, and a manifest
// with each file's SHA-256; and a new registry made of them, its index rebuilt.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include "commands.hpp"
#include "progress.hpp"
#include "registry.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/indexer/index.hpp"
#include "styrdok/server/users.hpp"
#include "styrdok/store/bundle.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char* kManifest = "manifest";
constexpr const char* kBundle = "repository.bundle";
constexpr const char* kFormatLine = "styrdok-backup 1";

/// A file of the registry that a backup copies, under the same relative path.
struct CopiedFile {
    const char* path;
    bool required;
    /// Secrets (password hashes, the SMTP password) stay the service account's alone.
    bool private_file;
};

constexpr CopiedFile kCopiedFiles[] = {
    {"schema.xml", true, false},          {"styrdok.ini", false, true},
    {"users.xml", false, true},           {"reminders/sent.tsv", false, false},
    {"reminders/last-run", false, false},
};

[[noreturn]] void Fail(const fs::path& path, const std::string& what) {
    throw Error(ErrorCode::kInternal,
                "cannot " + what + " " + path.string() + ": " + std::strerror(errno));
}

void SyncFolder(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) Fail(dir, "open");
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) Fail(dir, "sync");
}

// The whole file, read at once: a writer that replaces it by rename (the server's users.xml,
// the reminder log) leaves it whole under the name we opened.
std::optional<std::string> ReadIfExists(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        if (!fs::exists(file)) return std::nullopt;
        Fail(file, "read");
    }
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (in.bad()) Fail(file, "read");
    return bytes.str();
}

// Writes `bytes` to `file` under a temporary name beside it, synced, with exactly `mode`,
// then renames it: `file` exists only whole.
void WriteAtomically(const fs::path& file, std::string_view bytes, mode_t mode) {
    fs::create_directories(file.parent_path());
    const fs::path temporary =
        file.parent_path() / ("." + file.filename().string() + ".tmp-" + std::to_string(getpid()));
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) Fail(temporary, "write");
    bool written = ::fchmod(fd, mode) == 0;
    for (std::string_view rest = bytes; written && !rest.empty();) {
        const ssize_t n = ::write(fd, rest.data(), rest.size());
        if (n < 0 && errno == EINTR) continue;
        written = n > 0;
        if (written) rest.remove_prefix(static_cast<std::size_t>(n));
    }
    written = written && ::fsync(fd) == 0;
    written = ::close(fd) == 0 && written;
    if (!written) {
        const int error = errno;
        std::error_code ignored;
        fs::remove(temporary, ignored);
        errno = error;
        Fail(file, "write");
    }
    fs::rename(temporary, file);
}

std::string UtcNow() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

std::string Megabytes(std::uint64_t bytes) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(1) << static_cast<double>(bytes) / 1e6 << " MB";
    return text.str();
}

/// A new or empty folder that a command fills; removed again (or emptied, when it existed
/// already) unless Keep is called.
class NewFolder {
public:
    NewFolder(const fs::path& path, const std::string& refusal) : path_(path) {
        if (fs::exists(path_) && (!fs::is_directory(path_) || !fs::is_empty(path_))) {
            throw Error(ErrorCode::kConflict, path_.string() + " " + refusal);
        }
        created_ = fs::create_directories(path_);
    }
    NewFolder(const NewFolder&) = delete;
    NewFolder& operator=(const NewFolder&) = delete;
    ~NewFolder() {
        if (kept_) return;
        std::error_code ignored;
        if (created_) {
            fs::remove_all(path_, ignored);
            return;
        }
        for (fs::directory_iterator it(path_, ignored), end; !ignored && it != end;
             it.increment(ignored)) {
            std::error_code also_ignored;
            fs::remove_all(it->path(), also_ignored);
        }
    }
    bool created() const { return created_; }
    void Keep() { kept_ = true; }

private:
    fs::path path_;
    bool created_ = false;
    bool kept_ = false;
};

// --- The manifest ----------------------------------------------------------------------------

struct ManifestFile {
    std::string sha256;
    std::uint64_t bytes = 0;
};

/// What `manifest` says: a line "styrdok-backup 1", then "key value" lines, and a line
/// "file <sha256> <bytes> <path>" for every other file of the backup.
struct Manifest {
    std::map<std::string, std::string> values;
    std::map<std::string, ManifestFile> files;  ///< by path relative to the backup
};

bool IsCopiedFile(const std::string& path) {
    if (path == kBundle) return true;
    for (const CopiedFile& file : kCopiedFiles) {
        if (path == file.path) return true;
    }
    return false;
}

Manifest ReadManifest(const fs::path& dir) {
    const fs::path file = dir / kManifest;
    const std::optional<std::string> text = ReadIfExists(file);
    if (!text) {
        throw Error(ErrorCode::kBadInput, "no manifest in " + dir.string() +
                                              ": not a backup, or one that did not finish");
    }
    std::istringstream lines(*text);
    std::string line;
    Manifest manifest;
    bool signed_ = false;
    for (int number = 1; std::getline(lines, line); ++number) {
        if (line.empty() || line[0] == '#') continue;
        if (!signed_) {
            if (line != kFormatLine) {
                throw Error(ErrorCode::kBadInput,
                            file.string() + " is not a manifest this version of Styrdok reads");
            }
            signed_ = true;
            continue;
        }
        std::istringstream fields(line);
        std::string key;
        fields >> key;
        if (key == "file") {
            std::string path;
            ManifestFile entry;
            if (!(fields >> entry.sha256 >> entry.bytes >> path) || entry.sha256.size() != 64 ||
                !IsCopiedFile(path)) {
                throw Error(ErrorCode::kBadInput,
                            file.string() + ": line " + std::to_string(number) + " is malformed");
            }
            manifest.files[path] = entry;
        } else {
            std::string value;
            std::getline(fields >> std::ws, value);
            manifest.values[key] = value;
        }
    }
    if (!signed_) {
        throw Error(ErrorCode::kBadInput, file.string() + " is empty");
    }
    for (const char* required : {kBundle, kCopiedFiles[0].path}) {
        if (manifest.files.count(required) == 0) {
            throw Error(ErrorCode::kBadInput,
                        file.string() + " lists no " + required + ": not a whole backup");
        }
    }
    return manifest;
}

// Every file the manifest lists is there, with its size and checksum.
void VerifyFiles(const fs::path& dir, const Manifest& manifest) {
    for (const auto& [path, expected] : manifest.files) {
        const fs::path file = dir / path;
        std::error_code error;
        const std::uintmax_t size = fs::file_size(file, error);
        if (error) {
            throw Error(ErrorCode::kBadInput, file.string() + " is missing from the backup");
        }
        if (size != expected.bytes) {
            throw Error(ErrorCode::kBadInput,
                        file.string() + " is damaged: it has " + std::to_string(size) +
                            " bytes, the manifest says " + std::to_string(expected.bytes));
        }
        if (store::Sha256OfFile(file) != expected.sha256) {
            throw Error(ErrorCode::kBadInput,
                        file.string() + " is damaged: its SHA-256 differs from the manifest's");
        }
    }
}

// --- backup ----------------------------------------------------------------------------------

void RunBackup(Context& context, const fs::path& dir) {
    const auto started = std::chrono::steady_clock::now();
    Registry registry = Registry::Open(context.data);
    NewFolder folder(dir, "is not empty: a backup goes into a new or empty folder");
    if (folder.created()) fs::permissions(dir, fs::perms::owner_all);

    const store::BundleSummary bundle = store::WriteBundle(registry.repository(), dir / kBundle);
    std::vector<std::string> written{kBundle};
    for (const CopiedFile& file : kCopiedFiles) {
        const std::optional<std::string> bytes = ReadIfExists(registry.root() / file.path);
        if (!bytes) {
            if (file.required) {
                throw Error(ErrorCode::kNotFound, "the registry has no " + std::string(file.path));
            }
            continue;
        }
        WriteAtomically(dir / file.path, *bytes, 0600);
        written.emplace_back(file.path);
    }

    // Counts of what the bundle holds, for whoever reads the manifest before restoring.
    std::size_t drafts = 0;
    for (const store::BundleRef& ref : bundle.refs) {
        if (ref.name.rfind("refs/drafts/", 0) == 0) ++drafts;
    }
    const store::Store store = store::Store::Open(registry.repository());
    const std::size_t documents =
        bundle.head ? store.ListDocuments(bundle.head).size() : std::size_t{0};
    std::optional<std::size_t> accounts;
    if (fs::exists(dir / "users.xml")) {
        try {
            accounts = server::UserFile::Load(dir / "users.xml").users().size();
        } catch (const Error& error) {
            std::cerr << "styrdok: warning: users.xml is copied as it is, but does not read: "
                      << error.what() << "\n";
            context.exit_code = kExitProblems;
        }
    } else {
        accounts = 0;
    }

    std::ostringstream manifest;
    manifest << "# A backup of a Styrdok registry: styrdok restore " << dir.string()
             << " --data NEW_FOLDER\n"
             << "# brings it back (docs/operations.md, \"Backups\").\n"
             << kFormatLine << "\n"
             << "created " << UtcNow() << "\n"
             << "registry " << fs::absolute(registry.root()).lexically_normal().string() << "\n"
             << "head " << bundle.head.value_or("none") << "\n"
             << "references " << bundle.refs.size() << "\n"
             << "documents " << documents << "\n"
             << "drafts " << drafts << "\n";
    if (accounts) manifest << "accounts " << *accounts << "\n";
    manifest << "objects " << bundle.objects << "\n";
    for (const std::string& path : written) {
        manifest << "file " << store::Sha256OfFile(dir / path) << " " << fs::file_size(dir / path)
                 << " " << path << "\n";
    }
    if (fs::exists(dir / "reminders")) SyncFolder(dir / "reminders");
    // Last: a backup without its manifest is one that did not finish, and restore says so.
    WriteAtomically(dir / kManifest, manifest.str(), 0600);
    SyncFolder(dir);
    folder.Keep();

    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << "Backed up " << registry.root().string() << " to " << dir.string() << ": "
              << documents << " documents, " << drafts << " drafts, " << bundle.refs.size()
              << " references, " << bundle.objects << " objects in a bundle of "
              << Megabytes(bundle.bytes);
    if (accounts) std::cout << ", " << *accounts << " accounts";
    std::cout << "; at commit "
              << (bundle.head ? bundle.head->substr(0, 12) : std::string("(empty)")) << " ("
              << std::fixed << std::setprecision(1) << seconds << " s)\n";
}

// --- restore ---------------------------------------------------------------------------------

void RunRestore(Context& context, const fs::path& dir, const std::optional<core::Date>& today) {
    const auto started = std::chrono::steady_clock::now();
    const Manifest manifest = ReadManifest(dir);
    VerifyFiles(dir, manifest);
    const fs::path target = context.data;
    if (Registry::Exists(target)) {
        throw Error(ErrorCode::kConflict, target.string() +
                                              " holds a registry already: restore into a new "
                                              "or empty folder");
    }
    NewFolder folder(target, "is not empty: restore into a new or empty folder");
    // Everything is made in here, and moved into place only once it is whole.
    const fs::path staging = target / (".restore-" + std::to_string(getpid()));
    fs::create_directory(staging);

    store::RequireDurableCommits();
    const store::BundleSummary bundle = store::RestoreBundle(dir / kBundle, staging / "repository");
    auto says = [&manifest](const std::string& key) {
        auto it = manifest.values.find(key);
        return it == manifest.values.end() ? std::string() : it->second;
    };
    if (says("head") != bundle.head.value_or("none") ||
        says("references") != std::to_string(bundle.refs.size())) {
        throw Error(ErrorCode::kBadInput, "the bundle does not hold what the manifest says (head " +
                                              says("head") + ", " + says("references") +
                                              " references)");
    }
    for (const CopiedFile& file : kCopiedFiles) {
        if (manifest.files.count(file.path) == 0) continue;
        const std::optional<std::string> bytes = ReadIfExists(dir / file.path);
        if (!bytes) throw Error(ErrorCode::kBadInput, file.path + std::string(" vanished"));
        WriteAtomically(staging / file.path, *bytes, file.private_file ? 0600 : 0644);
    }

    // The index is derived: rebuilt from the restored repository, as `index --rebuild` does.
    const core::Schema schema = core::Schema::Load(staging / "schema.xml");
    indexer::SyncReport report;
    {
        const store::Store store = store::Store::Open(staging / "repository");
        Progress progress("Indexing documents");
        report = indexer::Index::Open(staging / "index", schema)
                     .Sync(
                         store, true,
                         [&progress](std::size_t done, std::size_t total) {
                             progress.Update(done, total);
                         },
                         today);
    }

    // The repository last: a folder holds a registry (Registry::Exists) once it is there.
    std::vector<fs::path> entries;
    for (const fs::directory_entry& entry : fs::directory_iterator(staging)) {
        if (entry.path().filename() != "repository") entries.push_back(entry.path());
    }
    entries.push_back(staging / "repository");
    for (const fs::path& entry : entries) fs::rename(entry, target / entry.filename());
    fs::remove(staging);
    SyncFolder(target);
    folder.Keep();

    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << "Restored " << dir.string() << " (made " << says("created") << ") into "
              << target.string() << ": " << bundle.refs.size() << " references, " << bundle.objects
              << " objects; at commit "
              << (bundle.head ? bundle.head->substr(0, 12) : std::string("(empty)"))
              << "; index rebuilt: " << report.versions << " versions of " << report.documents
              << " documents, " << report.drafts << " drafts (" << std::fixed
              << std::setprecision(1) << seconds << " s)\n";
}

}  // namespace

void AddBackupCommands(CLI::App& app, Context& context) {
    auto* backup = app.add_subcommand(
        "backup",
        "Copy the registry into a new folder: its repository as a git bundle (every branch, "
        "draft and history), accounts, settings, reminder records and a manifest with their "
        "SHA-256; safe while the server runs");
    auto backup_dir = std::make_shared<fs::path>();
    backup->add_option("DIR", *backup_dir, "The backup's folder: new, or empty")->required();
    backup->callback([&context, backup_dir] { RunBackup(context, *backup_dir); });

    auto* restore = app.add_subcommand(
        "restore",
        "Make a new registry (--data, a new or empty folder) of a backup: checks the "
        "manifest's checksums and the bundle, restores the repository, accounts, settings and "
        "reminder records, and rebuilds the search index");
    auto restore_dir = std::make_shared<fs::path>();
    restore->add_option("DIR", *restore_dir, "A folder `styrdok backup` wrote")
        ->required()
        ->check(CLI::ExistingDirectory);
    auto today = std::make_shared<std::optional<core::Date>>();
    AddTodayOption(*restore, *today);
    restore->callback(
        [&context, restore_dir, today] { RunRestore(context, *restore_dir, *today); });
}

}  // namespace styrdok::cli
