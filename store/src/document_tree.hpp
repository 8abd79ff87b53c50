#pragma once

// The documents/ layout of git trees, and reading documents out of them.
//
// Two layouts exist (store/README.md):
// - flat, what every commit before the fan-out was: documents/<id>/;
// - fanned out: documents/<xx>/<id>/, where <xx> is DocumentBucket(id), and documents/ holds
//   the blob kLayoutFile that says so. A commit then rewrites one bucket of ~n/256 entries
//   and the 257-entry documents/ tree, not a tree with an entry per document.
// Each documents/ tree says its own layout (the marker, never a guess from names: a document
// id may well be two hex digits), so old commits stay readable as they are and every reader
// goes through the functions below, which read both.

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
/// The blob in a fanned-out documents/ tree that marks it so. Its name starts with a dot,
/// which no document id does (core::IsValidDocumentId), and it is a blob where ids are trees.
inline constexpr const char* kLayoutFile = ".layout";
/// kLayoutFile's content: what a person reading the tree with plain git needs to know.
inline constexpr const char* kLayoutText =
    "documents/<xx>/<id>/ where <xx> is the first two hex digits of the git blob id of the "
    "document id: printf %s ID | git hash-object --stdin | cut -c1-2\n";

/// How a documents/ tree places its document folders.
enum class Layout {
    kFlat,    ///< documents/<id>/: commits written before the fan-out, and drafts
    kFanOut,  ///< documents/<xx>/<id>/: main from the fan-out on
};

/// The layout of documents/ tree `documents`: kFanOut when it holds kLayoutFile. A null tree
/// (no documents yet) is kFanOut, the layout a first write creates.
Layout LayoutOf(const git_tree* documents);

/// The bucket of document `id` in the fan-out layout: the first two hex digits (lower case)
/// of the git blob id of the id's bytes, as `printf %s ID | git hash-object --stdin` prints
/// it. Stable for ever: every fanned-out commit depends on it.
std::string DocumentBucket(std::string_view id);

/// The one place a document's folder path is decided: "documents/<id>" (kFlat) or
/// "documents/<xx>/<id>" (kFanOut), from the root of a commit's tree, without a final '/'.
std::string DocumentPath(std::string_view id, Layout layout);

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

/// The tree id of document `id`'s folder in documents/ tree `documents` (either layout; may be
/// null); nullopt when the document is not there. Reads at most one bucket tree.
std::optional<git_oid> FolderId(git_repository* repo, const git_tree* documents,
                                std::string_view id);

/// Document `id`'s folder in documents/ tree `documents` (either layout; may be null); null
/// when the document is not there.
TreePtr Folder(git_repository* repo, const git_tree* documents, std::string_view id);

/// One document folder of a documents/ tree.
struct FolderEntry {
    std::string id;
    git_oid folder{};
};

/// Every document folder of documents/ tree `documents` (either layout; may be null), sorted
/// by id (byte order). Reads every bucket of a fanned-out tree.
std::vector<FolderEntry> ListFolders(git_repository* repo, const git_tree* documents);

/// The content of blob `name` in `tree`; nullopt when absent or not a blob.
std::optional<std::string> ReadBlob(git_repository* repo, const git_tree* tree,
                                    std::string_view name);

/// One document folder that differs between two documents/ trees.
struct FolderChange {
    std::string id;
    bool present = false;  ///< false when the folder was removed
    git_oid folder{};      ///< the folder's tree id when present
};

/// The document folders that differ between two documents/ trees, either of which may be
/// null (no documents), in no particular order. Two fanned-out trees are compared bucket by
/// bucket, and only the buckets whose tree ids differ are read: a commit that changed one
/// document costs two 257-entry and two ~n/256-entry comparisons. Two flat trees are one
/// linear pass, reading nothing. Trees of different layouts (the fan-out's own commit) are
/// compared by id and folder tree id, so moving a folder changes no document.
std::vector<FolderChange> DiffFolders(const git_tree* before, const git_tree* after);

}  // namespace styrdok::store
