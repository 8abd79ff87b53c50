#include "document_tree.hpp"

#include "git_check.hpp"

namespace styrdok::store {

namespace {

const git_tree_entry* EntryOfType(const git_tree* tree, std::string_view name, git_object_t type) {
    if (tree == nullptr) return nullptr;
    const git_tree_entry* entry = git_tree_entry_byname(tree, std::string(name).c_str());
    return entry != nullptr && git_tree_entry_type(entry) == type ? entry : nullptr;
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

std::vector<FolderChange> DiffFolders(const git_tree* before, const git_tree* after) {
    std::vector<FolderChange> changes;
    if (before != nullptr && after != nullptr &&
        git_oid_equal(git_tree_id(before), git_tree_id(after))) {
        return changes;
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
    return changes;
}

}  // namespace styrdok::store
