#pragma once

// The one place where libgit2 return codes become styrdok::Error (STYLE.md, "Errors").

#include <git2.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace styrdok::store {

/// Initialises libgit2 once per process and sets the options the store relies on. Safe to
/// call from any thread, any number of times.
void EnsureLibgit2();

/// Whether RequireDurableCommits was called: what the store writes itself (packs) is then
/// synced to disk like what libgit2 writes.
bool DurableCommits();

/// Does nothing for rc >= 0. Otherwise throws Error: GIT_ENOTFOUND → kNotFound;
/// GIT_EMODIFIED, GIT_ELOCKED, GIT_EEXISTS → kConflict; anything else → kInternal carrying
/// git_error_last()'s message. `what` names the operation in the message.
void CheckGit(int rc, std::string_view what);

/// Like CheckGit, but "not found" is an expected outcome: returns false for GIT_ENOTFOUND,
/// true on success.
bool CheckGitFound(int rc, std::string_view what);

/// The 40 hex digits of `oid`.
std::string OidString(const git_oid& oid);

/// Parses a commit id given by a caller: exactly 40 hex digits. Throws Error(kBadInput)
/// otherwise; whether the commit exists is not checked.
git_oid ParseCommitId(std::string_view text);

/// Hash and equality for git_oid in unordered containers.
struct OidHash {
    std::size_t operator()(const git_oid& oid) const noexcept;
};
struct OidEqual {
    bool operator()(const git_oid& a, const git_oid& b) const noexcept {
        return git_oid_equal(&a, &b) != 0;
    }
};

}  // namespace styrdok::store
