#include "document_tree.hpp"

#include <algorithm>

#include "git_check.hpp"

namespace styrdok::store {

namespace {

const git_tree_entry* EntryOfType(const git_tree* tree, std::string_view name, git_object_t type) {
    if (tree == nullptr) return nullptr;
    const git_tree_entry* entry = git_tree_entry_byname(tree, std::string(name).c_str());
    return entry != nullptr && git_tree_entry_type(entry) == type ? entry : nullptr;
}

TreePtr LookupTree(git_repository* repo, const git_oid& oid) {
    git_tree* tree = nullptr;
    CheckGit(git_tree_lookup(&tree, repo, &oid), "tree " + OidString(oid));
    return TreePtr(tree);
}

// Every folder of a tree whose entries are document folders, appended.
void AddFolders(const git_tree* tree, std::vector<FolderEntry>& folders) {
    std::size_t count = git_tree_entrycount(tree);
    for (std::size_t i = 0; i < count; ++i) {
        const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
        if (git_tree_entry_type(entry) == GIT_OBJECT_TREE) {
            folders.push_back({git_tree_entry_name(entry), *git_tree_entry_id(entry)});
        }
    }
}

// The folders that differ between two trees whose entries are document folders (flat
// documents/ trees, or two buckets), appended to `changes`.
void DiffFlat(const git_tree* before, const git_tree* after, std::vector<FolderChange>& changes) {
    if (before != nullptr && after != nullptr &&
        git_oid_equal(git_tree_id(before), git_tree_id(after))) {
        return;
    }
    std::size_t before_count = before == nullptr ? 0 : git_tree_entrycount(before);
    std::size_t after_count = after == nullptr ? 0 : git_tree_entrycount(after);
    auto is_folder = [](const git_tree_entry* entry) {
        return git_tree_entry_type(entry) == GIT_OBJECT_TREE;
    };
    // Both entry lists are in git's tree order, which git_tree_entry_cmp defines: one merge
    // pass finds every difference.
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < before_count || j < after_count) {
        const git_tree_entry* old_entry =
            i < before_count ? git_tree_entry_byindex(before, i) : nullptr;
        const git_tree_entry* new_entry =
            j < after_count ? git_tree_entry_byindex(after, j) : nullptr;
        int order = old_entry == nullptr   ? 1
                    : new_entry == nullptr ? -1
                                           : git_tree_entry_cmp(old_entry, new_entry);
        if (order < 0) {
            if (is_folder(old_entry))
                changes.push_back({git_tree_entry_name(old_entry), false, {}});
            ++i;
        } else if (order > 0) {
            if (is_folder(new_entry)) {
                changes.push_back(
                    {git_tree_entry_name(new_entry), true, *git_tree_entry_id(new_entry)});
            }
            ++j;
        } else {
            bool was = is_folder(old_entry);
            bool is = is_folder(new_entry);
            if (is && (!was || !git_oid_equal(git_tree_entry_id(old_entry),
                                              git_tree_entry_id(new_entry)))) {
                changes.push_back(
                    {git_tree_entry_name(new_entry), true, *git_tree_entry_id(new_entry)});
            } else if (was && !is) {
                changes.push_back({git_tree_entry_name(old_entry), false, {}});
            }
            ++i;
            ++j;
        }
    }
}

// Two fanned-out documents/ trees (either may be null): the buckets are merged like folders,
// and only those whose ids differ are read and compared.
void DiffFannedOut(git_repository* repo, const git_tree* before, const git_tree* after,
                   std::vector<FolderChange>& changes) {
    std::vector<FolderEntry> old_buckets;
    std::vector<FolderEntry> new_buckets;
    if (before != nullptr) AddFolders(before, old_buckets);
    if (after != nullptr) AddFolders(after, new_buckets);
    auto by_name = [](const FolderEntry& a, const FolderEntry& b) { return a.id < b.id; };
    std::sort(old_buckets.begin(), old_buckets.end(), by_name);
    std::sort(new_buckets.begin(), new_buckets.end(), by_name);
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < old_buckets.size() || j < new_buckets.size()) {
        int order = i == old_buckets.size()   ? 1
                    : j == new_buckets.size() ? -1
                                              : old_buckets[i].id.compare(new_buckets[j].id);
        const bool same =
            order == 0 && git_oid_equal(&old_buckets[i].folder, &new_buckets[j].folder);
        if (!same) {
            TreePtr old_bucket;
            TreePtr new_bucket;
            if (order <= 0) old_bucket = LookupTree(repo, old_buckets[i].folder);
            if (order >= 0) new_bucket = LookupTree(repo, new_buckets[j].folder);
            DiffFlat(old_bucket.get(), new_bucket.get(), changes);
        }
        if (order <= 0) ++i;
        if (order >= 0) ++j;
    }
}

}  // namespace

CommitPtr LookupCommit(git_repository* repo, const git_oid& oid) {
    git_commit* commit = nullptr;
    CheckGit(git_commit_lookup(&commit, repo, &oid), "commit " + OidString(oid));
    return CommitPtr(commit);
}

TreePtr CommitTree(const git_commit* commit) {
    git_tree* tree = nullptr;
    CheckGit(git_commit_tree(&tree, commit), "tree of commit " + OidString(*git_commit_id(commit)));
    return TreePtr(tree);
}

TreePtr DocumentsOf(git_repository* repo, const git_commit* commit) {
    return Subtree(repo, CommitTree(commit).get(), kDocumentsDir);
}

TreePtr DocumentsAt(git_repository* repo, const git_oid& commit_id) {
    CommitPtr commit = LookupCommit(repo, commit_id);
    return DocumentsOf(repo, commit.get());
}

TreePtr Subtree(git_repository* repo, const git_tree* tree, std::string_view name) {
    const git_tree_entry* entry = EntryOfType(tree, name, GIT_OBJECT_TREE);
    if (entry == nullptr) return nullptr;
    git_tree* subtree = nullptr;
    CheckGit(git_tree_lookup(&subtree, repo, git_tree_entry_id(entry)),
             "tree " + std::string(name));
    return TreePtr(subtree);
}

std::optional<git_oid> SubtreeId(const git_tree* tree, std::string_view name) {
    const git_tree_entry* entry = EntryOfType(tree, name, GIT_OBJECT_TREE);
    if (entry == nullptr) return std::nullopt;
    return *git_tree_entry_id(entry);
}

std::optional<std::string> ReadBlob(git_repository* repo, const git_tree* tree,
                                    std::string_view name) {
    const git_tree_entry* entry = EntryOfType(tree, name, GIT_OBJECT_BLOB);
    if (entry == nullptr) return std::nullopt;
    git_blob* raw = nullptr;
    CheckGit(git_blob_lookup(&raw, repo, git_tree_entry_id(entry)), "blob " + std::string(name));
    BlobPtr blob(raw);
    const char* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
    return std::string(data, static_cast<std::size_t>(git_blob_rawsize(blob.get())));
}

Layout LayoutOf(const git_tree* documents) {
    if (documents == nullptr) return Layout::kFanOut;
    return EntryOfType(documents, kLayoutFile, GIT_OBJECT_BLOB) != nullptr ? Layout::kFanOut
                                                                           : Layout::kFlat;
}

std::string DocumentBucket(std::string_view id) {
    git_oid blob;
    CheckGit(git_odb_hash(&blob, id.data(), id.size(), GIT_OBJECT_BLOB),
             "hash of " + std::string(id));
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, &blob);
    return std::string(hex, 2);
}

std::string DocumentPath(std::string_view id, Layout layout) {
    std::string path = std::string(kDocumentsDir) + "/";
    if (layout == Layout::kFanOut) path += DocumentBucket(id) + "/";
    path += id;
    return path;
}

std::optional<git_oid> FolderId(git_repository* repo, const git_tree* documents,
                                std::string_view id) {
    if (documents == nullptr) return std::nullopt;
    if (LayoutOf(documents) == Layout::kFlat) return SubtreeId(documents, id);
    TreePtr bucket = Subtree(repo, documents, DocumentBucket(id));
    return SubtreeId(bucket.get(), id);
}

TreePtr Folder(git_repository* repo, const git_tree* documents, std::string_view id) {
    std::optional<git_oid> folder = FolderId(repo, documents, id);
    if (!folder) return nullptr;
    return LookupTree(repo, *folder);
}

std::vector<FolderEntry> ListFolders(git_repository* repo, const git_tree* documents) {
    std::vector<FolderEntry> folders;
    if (documents == nullptr) return folders;
    if (LayoutOf(documents) == Layout::kFlat) {
        folders.reserve(git_tree_entrycount(documents));
        AddFolders(documents, folders);
    } else {
        std::vector<FolderEntry> buckets;
        AddFolders(documents, buckets);
        for (const FolderEntry& bucket : buckets) {
            AddFolders(LookupTree(repo, bucket.folder).get(), folders);
        }
    }
    // git orders folders as if their names ended in '/', which is not byte order.
    std::sort(folders.begin(), folders.end(),
              [](const FolderEntry& a, const FolderEntry& b) { return a.id < b.id; });
    return folders;
}

std::vector<FolderChange> DiffFolders(const git_tree* before, const git_tree* after) {
    std::vector<FolderChange> changes;
    if (before == nullptr && after == nullptr) return changes;
    if (before != nullptr && after != nullptr &&
        git_oid_equal(git_tree_id(before), git_tree_id(after))) {
        return changes;
    }
    git_repository* repo = git_tree_owner(before != nullptr ? before : after);
    const Layout old_layout = before != nullptr ? LayoutOf(before) : LayoutOf(after);
    const Layout new_layout = after != nullptr ? LayoutOf(after) : old_layout;
    if (old_layout == new_layout) {
        if (new_layout == Layout::kFlat) {
            DiffFlat(before, after, changes);
        } else {
            DiffFannedOut(repo, before, after, changes);
        }
        return changes;
    }
    // Between layouts: by id, so that a folder that only moved is no change.
    std::vector<FolderEntry> old_folders = ListFolders(repo, before);
    std::vector<FolderEntry> new_folders = ListFolders(repo, after);
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < old_folders.size() || j < new_folders.size()) {
        int order = i == old_folders.size()   ? 1
                    : j == new_folders.size() ? -1
                                              : old_folders[i].id.compare(new_folders[j].id);
        if (order < 0) {
            changes.push_back({std::move(old_folders[i].id), false, {}});
            ++i;
        } else if (order > 0) {
            changes.push_back({std::move(new_folders[j].id), true, new_folders[j].folder});
            ++j;
        } else {
            if (!git_oid_equal(&old_folders[i].folder, &new_folders[j].folder)) {
                changes.push_back({std::move(new_folders[j].id), true, new_folders[j].folder});
            }
            ++i;
            ++j;
        }
    }
    return changes;
}

}  // namespace styrdok::store
