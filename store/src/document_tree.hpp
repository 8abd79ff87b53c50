#pragma once

// Reading the documents/<id>/ layout out of git trees.

#include <git2.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "git_handle.hpp"

namespace styrdok::store {

inline constexpr const char* kDocumentsDir = "documents";
inline constexpr const char* kMetadataFile = "metadata.xml";
inline constexpr const char* kTextFile = "text.md";
inline constexpr const char* kFilesDir = "files";

/// The commit `oid`. Throws Error(kNotFound) when the repository has no such commit.
CommitPtr LookupCommit(git_repository* repo, const git_oid& oid);

/// The root tree of `commit`.
TreePtr CommitTree(const git_commit* commit);

/// The documents/ tree of `commit`; null when it has none.
TreePtr DocumentsOf(git_repository* repo, const git_commit* commit);

/// The documents/ tree of commit `commit_id`; null when it has none. Throws Error(kNotFound)
/// for an unknown commit.
TreePtr DocumentsAt(git_repository* repo, const git_oid& commit_id);

/// The subtree `name` of `tree`; null when absent or not a tree. `tree` may be null.
TreePtr Subtree(git_repository* repo, const git_tree* tree, std::string_view name);

/// The id of the subtree `name` of `tree`; nullopt when absent or not a tree.
std::optional<git_oid> SubtreeId(const git_tree* tree, std::string_view name);

/// The content of blob `name` in `tree`; nullopt when absent or not a blob.
std::optional<std::string> ReadBlob(git_repository* repo, const git_tree* tree,
                                    std::string_view name);

/// One document folder that differs between two documents/ trees.
struct FolderChange {
    std::string id;
    bool present = false;  ///< false when the folder was removed
    git_oid folder{};      ///< the folder's tree id when present
};

/// The folders (subtrees) that differ between two documents/ trees, either of which may be
/// null (no documents). Linear in the number of entries; no object is read.
std::vector<FolderChange> DiffFolders(const git_tree* before, const git_tree* after);

}  // namespace styrdok::store
