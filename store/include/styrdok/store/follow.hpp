#pragma once

// A follower: a registry whose repository is a read-only copy of another registry's (its
// primary's) main branch, kept up to date by fetching it with git. Drafts (refs/drafts/*)
// and everything outside the repository (accounts) stay on the primary.

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace styrdok::store {

/// The git remote under which a follower's repository records its primary, in the
/// repository's own git config (`git -C repository remote -v` shows it; `git remote set-url
/// primary URL` moves the follower to another primary).
inline constexpr const char* kPrimaryRemote = "primary";

/// The only refspec a follower fetches: the primary's main, forced (a follower holds no
/// writes of its own, so a primary that rewrote main is followed, not argued with).
inline constexpr const char* kFollowRefspec = "+refs/heads/main:refs/heads/main";

/// Records in the repository at `repository` that it follows `url` (any URL libgit2 fetches:
/// a local path, file://, https://, ssh://): the remote kPrimaryRemote with kFollowRefspec
/// and no tags. Throws Error(kConflict) when the repository follows a primary already,
/// Error(kNotFound) when there is no repository.
void SetPrimary(const std::filesystem::path& repository, const std::string& url);

/// The URL the repository at `repository` follows; nullopt when it is no follower (a
/// primary, or a registry on its own). Throws Error(kNotFound) when there is no repository.
std::optional<std::string> FollowedPrimary(const std::filesystem::path& repository);

/// `url` as logs and messages may show it: a password in it (https://user:token@host/…) is
/// replaced by "***".
std::string PrimaryForDisplay(std::string_view url);

/// How long a fetch may run, and how its caller stops it early.
struct FetchLimits {
    /// A fetch still receiving after this long is abandoned.
    std::chrono::milliseconds timeout{60000};
    /// Asked while the fetch receives; true abandons it. May be empty.
    std::function<bool()> cancelled;
};

/// What a fetch did to main.
struct FetchReport {
    std::optional<std::string> before;  ///< main's commit before the fetch; nullopt: none
    std::optional<std::string> after;   ///< and after it
    /// main moved to a commit that does not descend from `before`: the primary rewrote its
    /// history, and the follower followed.
    bool rewritten = false;

    bool moved() const { return before != after; }
};

/// Fetches `url`'s main into the main of the repository at `repository` (kFollowRefspec,
/// no tags), holding the store's WriteLock while it writes so that a fetch
/// killed halfway leaves only what Store::RepairInterruptedWrites clears. A primary without a
/// main changes nothing. The limits are checked whenever data arrives; a connection that
/// hangs without sending anything blocks (libgit2 1.5 has no socket timeout) until the
/// calling thread receives a signal whose handler was installed without SA_RESTART, which
/// ends the blocked connect or recv (server/src/follower.cpp does so past the timeout).
/// Throws Error(kUnavailable) when the primary cannot be reached or read, or the fetch ran
/// past its limits (the repository keeps what it had), Error(kConflict) when another writer
/// holds the repository, Error(kNotFound) when there is no repository. Thread-safe (each call
/// opens the repository itself).
FetchReport FetchFromPrimary(const std::filesystem::path& repository, const std::string& url,
                             const FetchLimits& limits = {});

}  // namespace styrdok::store
