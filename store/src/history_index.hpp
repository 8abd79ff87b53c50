#pragma once

// Which commits changed which document, along the branch's first-parent history. A document's
// version is the last commit that changed documents/<id>/; finding it by walking history per
// question would read every commit's documents/ tree each time, so the store keeps this index
// and extends it when the branch moves on.
//
// Building it reads every commit (0.5-3 s at 100 000 documents), and a server opens a store
// handle for each reader thread, so what one handle has read is shared with the process's
// other handles of the repository: an immutable part kept per repository, which a new handle
// takes and extends by the commits made since.

#include <git2.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "git_check.hpp"

namespace styrdok::store {

/// Not thread-safe (one per store handle); the parts it shares are immutable.
class HistoryIndex {
public:
    /// Brings the index up to `head` (nullopt: the branch does not exist yet). Reads only the
    /// commits added since the last update, or since the part another handle of the same
    /// repository shared, unless history was rewritten: then it rebuilds.
    void Update(git_repository* repo, const std::optional<git_oid>& head);

    /// The position of `commit` on the indexed first-parent chain (0 = root).
    std::optional<std::size_t> Position(const git_oid& commit) const;

    /// The last commit at or before `position` that changed documents/<id>/ and left it
    /// present; nullopt when the document did not exist at that position.
    std::optional<git_oid> VersionAt(std::string_view id, std::size_t position) const;

    /// The commits that changed documents/<id>/ and left it present, oldest first.
    std::vector<git_oid> Versions(std::string_view id) const;

    /// One version of a document: the commit that made it and its folder's tree.
    struct Version {
        git_oid commit;
        git_oid folder;
    };

    /// Like Versions, with each version's documents/<id>/ tree id, so that reading a version
    /// needs no look-up through the commit's (large) documents/ tree.
    std::vector<Version> VersionFolders(std::string_view id) const;

    /// Commits read into this handle's own part before it is merged with the shared one into
    /// a new shared part (a copy of the whole index).
    static constexpr std::size_t kShareAfter = 256;

private:
    struct Change {
        std::size_t position;
        bool present;
        git_oid folder;  ///< the folder's tree when present
    };

    /// A stretch of the chain: positions first .. first + chain.size() - 1.
    struct Part {
        std::size_t first = 0;
        std::vector<git_oid> chain;
        std::unordered_map<git_oid, std::size_t, OidHash, OidEqual> positions;
        std::unordered_map<std::string, std::vector<Change>> changes;
    };

    std::size_t size() const { return own_.first + own_.chain.size(); }
    std::optional<git_oid> Tip() const;
    const git_oid& CommitAt(std::size_t position) const;
    void Clear();
    void Append(git_repository* repo, const std::vector<git_oid>& newest_first);
    /// Shares a part read from the root, or merges a long own part into a new shared one.
    void Share();
    /// Takes `latest` as the shared part when it is a longer stretch of this chain.
    void Rebase(std::shared_ptr<const Part> latest);

    /// Positions 0 .. shared_->chain.size() - 1, from the root; null when none is shared yet.
    std::shared_ptr<const Part> shared_;
    /// The positions after shared_'s, read by this handle.
    Part own_;
    /// The repository's git directory: the key the shared parts are kept under.
    std::string key_;
};

}  // namespace styrdok::store
