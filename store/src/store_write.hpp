#pragma once

// What the writers share: store_commit.cpp (commits on main) and drafts.cpp (commits on
// refs/drafts/<id>, adoption, discarding, migration).

#include <git2.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "document_tree.hpp"
#include "git_handle.hpp"
#include "store_impl.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/store/store.hpp"
#include "write_lock.hpp"

namespace styrdok::store {

/// How long a write waits for another one: the last step of an import of 100 000 documents
/// (its pack and the branch) takes seconds.
inline constexpr std::chrono::seconds kWritePatience(30);

/// One document's write, checked: its metadata as the XML to store.
struct PreparedWrite {
    DocumentWrite* write = nullptr;  ///< its text and files are let go once written
    std::string xml;
};

/// Checks what a write can be refused for before anything is written: the id, the file
/// names, the form of expected_version, and that the metadata reads back as written.
/// Throws Error(kBadInput).
PreparedWrite PrepareWrite(DocumentWrite& write);

/// `metadata` as metadata.xml, once it has been read back unchanged: what cannot be read back
/// must never reach the source of truth. Throws Error(kBadInput) otherwise.
std::string CheckedMetadataXml(const core::Metadata& metadata);

/// Throws Error(kBadInput) when `text` holds a NUL: libgit2 takes it as a C string and would
/// silently cut it short.
void RequireNoNul(std::string_view text, std::string_view what);

/// A signature for `author` at `time` (seconds since the epoch, UTC). Throws
/// Error(kBadInput) for a name or e-mail git refuses.
SignaturePtr MakeSignature(const Author& author, std::int64_t time);

/// `message` as a commit message: checked for NUL, ending with a newline as git tools expect.
std::string CommitMessage(const std::string& message);

git_oid WriteBlob(git_repository* repo, std::string_view content);

/// Edits of a tree by path, applied at once with git_tree_create_updated.
class TreeUpdates {
public:
    /// Puts `oid` at `path`: a blob, or with GIT_FILEMODE_TREE a whole folder.
    void Upsert(std::string path, const git_oid& oid, git_filemode_t mode = GIT_FILEMODE_BLOB);
    /// Removes the entry at `path`, which must exist.
    void Remove(std::string path);
    bool empty() const { return paths_.empty(); }
    /// Writes `baseline` (null: the empty tree) with the edits made, and returns its id.
    git_oid Apply(git_repository* repo, const git_tree* baseline) const;

private:
    std::vector<std::string> paths_;
    std::vector<git_tree_update> updates_;  ///< path pointers filled in by Apply
};

/// The layout a write into documents/ tree `documents` keeps: its own (a flat tree stays flat
/// until MigrateLayout moves it), or for the first documents of a commit (`documents` null)
/// the fan-out, whose kLayoutFile it then adds to `updates`. Paths come from DocumentPath.
Layout WriteLayout(git_repository* repo, const git_tree* documents, TreeUpdates& updates);

/// Writes the blobs of one document write and adds its edits to `updates`, each path
/// prefixed by `prefix` (DocumentPath + "/" in a commit's tree, "" in the document's folder).
/// `old_folder` is the document's folder before the write (null when new): files to remove
/// that it does not hold are skipped. The write's text and files are let go once written.
void AddDocumentWrite(git_repository* repo, PreparedWrite& prepared, const std::string& prefix,
                      const git_tree* old_folder, TreeUpdates& updates);

/// Takes the write lock (waiting up to kWritePatience) and clears what interrupted writes
/// left: with the lock held, every git lock file and libgit2 temporary in the repository
/// belongs to a dead writer, and a draft ref that main's head has adopted (an adoption
/// interrupted before it deleted the ref) is deleted.
WriteLock LockForWriting(StoreState& impl);

/// The same as LockForWriting when nobody holds the lock; nullopt when a writer does.
std::optional<WriteLock> TryLockForWriting(StoreState& impl);

/// Moves reference `name` from `from` (nullopt: it must not exist yet) to `to` by
/// compare-and-swap. Throws Error(kConflict) when it was moved, created or locked meanwhile.
void MoveReference(git_repository* repo, const std::string& name,
                   const std::optional<git_oid>& from, const git_oid& to, const char* log_message);

/// The draft refs' prefix: refs/drafts/<id>.
inline constexpr std::string_view kDraftsPrefix = "refs/drafts/";

/// "refs/drafts/<id>".
std::string DraftRefName(std::string_view id);

/// Ids of every draft (refs/drafts/<id> with a valid id), unordered.
std::vector<std::string> DraftIds(git_repository* repo);

/// Where the draft ending in commit `head` started, as its first commit says: "" for a new
/// document, else the commit id of main's version.
std::string DraftBaseOf(git_repository* repo, const git_oid& head);

/// The ref an interrupted adoption left ("refs/drafts/<id>"): main's head adopted that draft
/// (its second parent is the ref's commit) but the ref was not deleted yet. nullopt when
/// there is none. Reads two commits at most.
std::optional<std::string> FindAdoptedDraft(StoreState& impl);

/// Deletes the ref FindAdoptedDraft finds, if any, and returns its name; `held` is the proof
/// that the caller holds the write lock.
std::optional<std::string> DeleteAdoptedDraft(StoreState& impl, const WriteLock& held);

}  // namespace styrdok::store
