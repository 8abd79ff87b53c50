#include "styrdok/store/follow.hpp"

#include <git2.h>

#include <atomic>
#include <chrono>

#include "git_check.hpp"
#include "git_handle.hpp"
#include "styrdok/core/error.hpp"
#include "write_lock.hpp"

namespace styrdok::store {

namespace fs = std::filesystem;

namespace {

using RemotePtr = GitPtr<git_remote, git_remote_free>;

// libgit2 1.5 leaks a PCRE2 match context (about 20 KB) for every config entry that does not
// match url.*.insteadOf whenever it creates or looks up a remote with those rules applied:
// hundreds of kilobytes a fetch, gigabytes a day for a follower polling every few seconds.
// So remotes are created without them (url.<base>.insteadOf does not apply to the primary's
// URL), and the recorded primary is read from the config rather than looked up as a remote.
RemotePtr CreateRemote(git_repository* repo, const char* name, const std::string& url,
                       const char* fetchspec) {
    git_remote_create_options options;
    CheckGit(git_remote_create_options_init(&options, GIT_REMOTE_CREATE_OPTIONS_VERSION),
             "remote options");
    options.repository = repo;
    options.name = name;
    options.fetchspec = fetchspec;
    options.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
    git_remote* raw = nullptr;
    const int rc = git_remote_create_with_opts(&raw, url.c_str(), &options);
    if (rc == GIT_EEXISTS) {
        git_error_clear();
        throw Error(ErrorCode::kConflict,
                    std::string("a git remote \"") + (name ? name : "") + "\" exists already");
    }
    CheckGit(rc, "reach the primary " + PrimaryForDisplay(url));
    return RemotePtr(raw);
}

std::string RemoteKey(std::string_view key) {
    return std::string("remote.") + kPrimaryRemote + "." + std::string(key);
}

// A fetch waits this long for a writer of the same repository (on a follower: only a
// `styrdok check` repair, or a fetch of a second server, which both finish soon).
constexpr std::chrono::milliseconds kLockPatience(5000);

RepositoryPtr OpenRepository(const fs::path& repository) {
    EnsureLibgit2();
    git_repository* raw = nullptr;
    const int rc =
        git_repository_open_ext(&raw, repository.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
    if (rc == GIT_ENOTFOUND) {
        git_error_clear();
        throw Error(ErrorCode::kNotFound, "no repository at " + repository.string());
    }
    CheckGit(rc, "open repository " + repository.string());
    return RepositoryPtr(raw);
}

std::optional<git_oid> MainOf(git_repository* repo) {
    git_oid oid;
    if (!CheckGitFound(git_reference_name_to_id(&oid, repo, "refs/heads/main"), "read main")) {
        return std::nullopt;
    }
    return oid;
}

std::optional<std::string> Hex(const std::optional<git_oid>& oid) {
    if (!oid) return std::nullopt;
    return OidString(*oid);
}

// What the fetch's callbacks ask: stop now?
struct Limits {
    std::chrono::steady_clock::time_point deadline;
    const std::function<bool()>* cancelled;
    bool overran = false;

    int Check() {
        if (std::chrono::steady_clock::now() > deadline || (*cancelled && (*cancelled)())) {
            overran = true;
            return -1;
        }
        return 0;
    }
};

int OnTransfer(const git_indexer_progress*, void* payload) {
    return static_cast<Limits*>(payload)->Check();
}

int OnSideband(const char*, int, void* payload) { return static_cast<Limits*>(payload)->Check(); }

// libgit2's last message with any password of the URL hidden (an http error may quote it).
std::string LastMessage(const std::string& url) {
    const git_error* error = git_error_last();
    std::string message =
        error != nullptr && error->message != nullptr ? error->message : "unknown error";
    if (const std::string shown = PrimaryForDisplay(url); shown != url) {
        for (std::size_t at = message.find(url); at != std::string::npos;
             at = message.find(url, at + shown.size())) {
            message.replace(at, url.size(), shown);
        }
    }
    return message;
}

}  // namespace

std::string PrimaryForDisplay(std::string_view url) {
    const std::size_t scheme = url.find("://");
    if (scheme == std::string_view::npos) return std::string(url);
    const std::size_t authority = scheme + 3;
    const std::size_t end = std::min(url.find('/', authority), url.size());
    const std::size_t at = url.rfind('@', end);
    if (at == std::string_view::npos || at < authority) return std::string(url);
    const std::size_t colon = url.find(':', authority);
    if (colon == std::string_view::npos || colon > at) return std::string(url);
    return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

void SetPrimary(const fs::path& repository, const std::string& url) {
    if (FollowedPrimary(repository)) {
        throw Error(ErrorCode::kConflict, repository.string() +
                                              " follows a primary already (git remote \"" +
                                              kPrimaryRemote + "\")");
    }
    RepositoryPtr repo = OpenRepository(repository);
    CreateRemote(repo.get(), kPrimaryRemote, url, kFollowRefspec);
    git_config* raw = nullptr;
    CheckGit(git_repository_config(&raw, repo.get()), "open the repository's config");
    ConfigPtr config(raw);
    CheckGit(git_config_set_string(config.get(), RemoteKey("tagOpt").c_str(), "--no-tags"),
             "record the primary's tag option");
}

std::optional<std::string> FollowedPrimary(const fs::path& repository) {
    RepositoryPtr repo = OpenRepository(repository);
    git_config* raw = nullptr;
    CheckGit(git_repository_config_snapshot(&raw, repo.get()), "read the repository's config");
    ConfigPtr config(raw);
    const char* url = nullptr;
    if (!CheckGitFound(git_config_get_string(&url, config.get(), RemoteKey("url").c_str()),
                       "read the primary")) {
        return std::nullopt;
    }
    if (url == nullptr || *url == '\0') return std::nullopt;
    return std::string(url);
}

FetchReport FetchFromPrimary(const fs::path& repository, const std::string& url,
                             const FetchLimits& limits) {
    RepositoryPtr repo = OpenRepository(repository);
    // Held through the download: the pack libgit2 writes meanwhile (objects/pack/pack_git2_*)
    // is a leftover to RepairInterruptedWrites only when nobody holds the lock.
    WriteLock lock = WriteLock::Acquire(git_repository_commondir(repo.get()), kLockPatience);
    FetchReport report;
    const std::optional<git_oid> before = MainOf(repo.get());
    report.before = Hex(before);

    RemotePtr remote = CreateRemote(repo.get(), nullptr, url, nullptr);
    git_fetch_options options;
    CheckGit(git_fetch_options_init(&options, GIT_FETCH_OPTIONS_VERSION), "fetch options");
    options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
    options.prune = GIT_FETCH_NO_PRUNE;
    // Nothing reads FETCH_HEAD (libgit2 1.5 still leaves an empty one at every fetch).
    options.update_fetchhead = 0;
    Limits state{std::chrono::steady_clock::now() + limits.timeout, &limits.cancelled};
    options.callbacks.payload = &state;
    options.callbacks.transfer_progress = OnTransfer;
    options.callbacks.sideband_progress = OnSideband;
    char* refspec = const_cast<char*>(kFollowRefspec);
    git_strarray refspecs{&refspec, 1};
    if (git_remote_fetch(remote.get(), &refspecs, &options, nullptr) < 0) {
        if (state.overran) {
            git_error_clear();
            throw Error(ErrorCode::kUnavailable,
                        "fetch from " + PrimaryForDisplay(url) + " abandoned after " +
                            std::to_string(limits.timeout.count()) + " ms or on stop");
        }
        throw Error(ErrorCode::kUnavailable,
                    "fetch from " + PrimaryForDisplay(url) + ": " + LastMessage(url));
    }

    const std::optional<git_oid> after = MainOf(repo.get());
    report.after = Hex(after);
    if (before && after && !git_oid_equal(&*before, &*after)) {
        const int descends = git_graph_descendant_of(repo.get(), &*after, &*before);
        CheckGit(descends, "compare main before and after the fetch");
        report.rewritten = descends == 0;
    }
    return report;
}

}  // namespace styrdok::store
