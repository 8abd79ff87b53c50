#pragma once

// Which commits changed which document, along the branch's first-parent history. A document's
// version is the last commit that changed documents/<id>/; finding it by walking history per
// question would read every commit's documents/ tree each time, so the store keeps this index
// and extends it when the branch moves on.

#include <git2.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "git_check.hpp"

namespace styrdok::store {

class HistoryIndex {
public:
    /// Brings the index up to `head` (nullopt: the branch does not exist yet). Reads only the
    /// commits added since the last update, unless history was rewritten: then it rebuilds.
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

private:
    struct Change {
        std::size_t position;
        bool present;
        git_oid folder;  ///< the folder's tree when present
    };

    void Clear();
    void Append(git_repository* repo, const std::vector<git_oid>& newest_first);

    std::vector<git_oid> chain_;
    std::unordered_map<git_oid, std::size_t, OidHash, OidEqual> positions_;
    std::unordered_map<std::string, std::vector<Change>> changes_;
};

}  // namespace styrdok::store
