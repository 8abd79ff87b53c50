#pragma once

// Store's private state, shared by store.cpp (reads), store_commit.cpp (writes),
// store_verify.cpp and drafts.cpp.

#include <git2.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "git_handle.hpp"
#include "history_index.hpp"
#include "refs_stamp.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::store {

/// The one branch of a Styrdok repository.
inline constexpr const char* kBranch = "refs/heads/main";

/// Everything a Store holds. A namespace-level type (Store::Impl is private) so that the
/// helpers of store_commit.cpp and store_verify.cpp can take it.
struct StoreState {
    std::filesystem::path path;
    RepositoryPtr repo;
    HistoryIndex history;
    /// ListDrafts' last answer, shared with the process's other Stores of the repository;
    /// null until first asked for (DraftListing).
    std::shared_ptr<DraftList> drafts_listed;

    /// The repository's git directory (the repository itself: it is bare).
    std::filesystem::path GitDir() const { return git_repository_commondir(repo.get()); }

    /// The process's listing of this repository's drafts (refs_stamp.hpp).
    DraftList& DraftListing() {
        if (!drafts_listed) drafts_listed = SharedDraftList(GitDir());
        return *drafts_listed;
    }

    /// The commit the branch points at; nullopt while the repository is empty.
    std::optional<git_oid> HeadOid();

    /// The commit named by `at`, or HEAD when nullopt (itself nullopt for an empty repository).
    /// Throws kBadInput for a malformed id, kNotFound for an unknown commit.
    std::optional<git_oid> Resolve(const std::optional<std::string>& at);

    /// The last commit on the first-parent history of `commit` that changed documents/<id>/,
    /// where the folder at `commit` is `folder`.
    git_oid VersionAt(std::string_view id, const git_oid& commit, const git_oid& folder);

    /// The document in folder tree `folder`, with `version` as its version. Throws kInternal
    /// when its metadata.xml is missing or does not parse.
    Document Load(const git_tree* folder, std::string_view id, const git_oid& version);
    /// Load's metadata alone: metadata.xml, without the text and the files' names.
    core::Metadata LoadMetadata(const git_tree* folder, std::string_view id,
                                const git_oid& version);

    /// The document at `commit`; nullopt when it did not exist there.
    std::optional<Document> ReadAt(std::string_view id, const git_oid& commit);

    /// The commit refs/drafts/<id> points at; nullopt when there is no draft of `id`.
    std::optional<git_oid> DraftHead(std::string_view id);
};

struct Store::Impl : StoreState {};

/// `commit` as a history entry: its id, author, author time and message.
VersionInfo VersionOf(const git_commit* commit);

/// Throws Error(kBadInput) unless `id` is a valid document id.
void RequireDocumentId(std::string_view id);

/// Throws Error(kBadInput) unless `name` is a plain attachment file name.
void RequireFileName(std::string_view name);

}  // namespace styrdok::store
