#include "git_check.hpp"

#include <atomic>
#include <cstring>

#include "styrdok/core/error.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::store {

namespace {

std::string LastMessage() {
    const git_error* error = git_error_last();
    return error != nullptr && error->message != nullptr ? error->message : "unknown error";
}

[[noreturn]] void Throw(int rc, std::string_view what) {
    switch (rc) {
        case GIT_ENOTFOUND:
            throw Error(ErrorCode::kNotFound, std::string(what) + ": not found");
        case GIT_EMODIFIED:
        case GIT_ELOCKED:
        case GIT_EEXISTS:
            throw Error(ErrorCode::kConflict,
                        std::string(what) + ": changed concurrently, try again");
        default:
            throw Error(ErrorCode::kInternal, std::string(what) + ": " + LastMessage());
    }
}

}  // namespace

void EnsureLibgit2() {
    static const bool initialised = [] {
        // Never shut down: repositories may live in static objects until exit, and the OS
        // reclaims what libgit2 holds.
        git_libgit2_init();
        // The store writes every blob and tree it references just before referencing it, so
        // libgit2's per-entry existence checks would only add one stat per file to imports.
        git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0);
        // Reads must detect corrupted objects (Verify relies on it); this is the default,
        // stated here because the store depends on it.
        git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
        // The documents/ tree lists every document: 5 MB at 100 000 documents. libgit2
        // caches no tree over 4 KiB by default, so every read inflated and parsed it again
        // (33 ms of the server's 37 ms per document at 100 000). Trees are kept up to 64 MiB;
        // the cache's total stays bounded by libgit2's GIT_OPT_SET_CACHE_MAX_SIZE.
        git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE,
                         static_cast<size_t>(64) << 20);
        return true;
    }();
    (void)initialised;
}

namespace {
std::atomic<bool> durable_commits{false};
}  // namespace

void RequireDurableCommits() {
    EnsureLibgit2();
    git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);
    durable_commits = true;
}

bool DurableCommits() { return durable_commits; }

void CheckGit(int rc, std::string_view what) {
    if (rc < 0) Throw(rc, what);
}

bool CheckGitFound(int rc, std::string_view what) {
    if (rc == GIT_ENOTFOUND) {
        git_error_clear();
        return false;
    }
    CheckGit(rc, what);
    return true;
}

std::string OidString(const git_oid& oid) {
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, &oid);
    return hex;
}

git_oid ParseCommitId(std::string_view text) {
    bool hex = text.size() == GIT_OID_HEXSZ;
    for (char c : text) {
        hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
    }
    if (!hex) {
        throw Error(ErrorCode::kBadInput,
                    "not a version (a commit id of 40 hex digits): " + std::string(text));
    }
    git_oid oid;
    CheckGit(git_oid_fromstrn(&oid, text.data(), text.size()), "parse commit id");
    return oid;
}

std::size_t OidHash::operator()(const git_oid& oid) const noexcept {
    // Object ids are uniformly distributed already: their first bytes are a good hash.
    std::size_t hash;
    std::memcpy(&hash, oid.id, sizeof hash);
    return hash;
}

}  // namespace styrdok::store
