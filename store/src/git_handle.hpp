#pragma once

// Owning handles for libgit2 objects, so that every early return and every throw frees what
// it must. Internal to store/src: libgit2 never appears in a public header.

#include <git2.h>

#include <memory>

namespace styrdok::store {

template <typename T, void (*Free)(T*)>
struct GitFree {
    void operator()(T* object) const noexcept { Free(object); }
};

template <typename T, void (*Free)(T*)>
using GitPtr = std::unique_ptr<T, GitFree<T, Free>>;

using RepositoryPtr = GitPtr<git_repository, git_repository_free>;
using CommitPtr = GitPtr<git_commit, git_commit_free>;
using TreePtr = GitPtr<git_tree, git_tree_free>;
using TreeEntryPtr = GitPtr<git_tree_entry, git_tree_entry_free>;
using TreeBuilderPtr = GitPtr<git_treebuilder, git_treebuilder_free>;
using BlobPtr = GitPtr<git_blob, git_blob_free>;
using ReferencePtr = GitPtr<git_reference, git_reference_free>;
using SignaturePtr = GitPtr<git_signature, git_signature_free>;
using OdbPtr = GitPtr<git_odb, git_odb_free>;
using OdbObjectPtr = GitPtr<git_odb_object, git_odb_object_free>;
using PatchPtr = GitPtr<git_patch, git_patch_free>;
using ConfigPtr = GitPtr<git_config, git_config_free>;

}  // namespace styrdok::store
