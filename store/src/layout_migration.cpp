// Store::MigrateLayout: main from documents/<id>/ to documents/<xx>/<id>/ (document_tree.hpp).
// The new trees are built from the folders' tree ids alone, so no document's folder changes
// and no document gets a version; nothing of a document is read.

#include <ctime>
#include <map>
#include <utility>
#include <vector>

#include "document_tree.hpp"
#include "git_check.hpp"
#include "store_impl.hpp"
#include "store_write.hpp"
#include "styrdok/core/error.hpp"

namespace styrdok::store {

namespace {

TreeBuilderPtr NewBuilder(git_repository* repo, const git_tree* source) {
    git_treebuilder* raw = nullptr;
    CheckGit(git_treebuilder_new(&raw, repo, source), "tree builder");
    return TreeBuilderPtr(raw);
}

void Insert(git_treebuilder* builder, const std::string& name, const git_oid& oid,
            git_filemode_t mode) {
    CheckGit(git_treebuilder_insert(nullptr, builder, name.c_str(), &oid, mode), "tree " + name);
}

git_oid Write(git_treebuilder* builder) {
    git_oid oid;
    CheckGit(git_treebuilder_write(&oid, builder), "write tree");
    return oid;
}

// The subject in Swedish like the store's other system commits; the site shows it nowhere (it
// changes no document). The body says what a reader of `git log` needs.
constexpr const char* kMessage =
    "Registrets dokumentmappar fördelade på undermappar (documents/<xx>/<id>/)\n"
    "\n"
    "Inget dokument ändrades: varje mapp flyttades oförändrad.\n"
    "\n"
    "Every document folder moved unchanged from documents/<id>/ to documents/<xx>/<id>/,\n"
    "<xx> being the first two hex digits of `printf %s ID | git hash-object --stdin`, so\n"
    "that a commit rewrites one small tree instead of one listing every document. A\n"
    "document's whole history: git log -- ':(glob)documents/**/ID'\n";

}  // namespace

LayoutMigration Store::MigrateLayout(const Author& author) {
    LayoutMigration report;
    StoreState& impl = *impl_;
    git_repository* repo = impl.repo.get();
    const auto needed = [&](const std::optional<git_oid>& head) {
        if (!head) return false;
        TreePtr documents = DocumentsAt(repo, *head);
        return documents && LayoutOf(documents.get()) == Layout::kFlat;
    };
    if (!needed(impl.HeadOid())) return report;
    SignaturePtr signature = MakeSignature(author, std::time(nullptr));

    WriteLock lock = LockForWriting(impl);
    // Another process may have migrated, or written, while this one waited for the lock.
    const std::optional<git_oid> head = impl.HeadOid();
    if (!needed(head)) return report;
    CommitPtr main = LookupCommit(repo, *head);
    TreePtr root = CommitTree(main.get());
    TreePtr documents = Subtree(repo, root.get(), kDocumentsDir);

    std::map<std::string, std::vector<FolderEntry>> buckets;
    for (FolderEntry& folder : ListFolders(repo, documents.get())) {
        buckets[DocumentBucket(folder.id)].push_back(std::move(folder));
        ++report.documents;
    }
    TreeBuilderPtr fanned = NewBuilder(repo, nullptr);
    Insert(fanned.get(), kLayoutFile, WriteBlob(repo, kLayoutText), GIT_FILEMODE_BLOB);
    for (const auto& [name, folders] : buckets) {
        TreeBuilderPtr bucket = NewBuilder(repo, nullptr);
        for (const FolderEntry& folder : folders) {
            Insert(bucket.get(), folder.id, folder.folder, GIT_FILEMODE_TREE);
        }
        Insert(fanned.get(), name, Write(bucket.get()), GIT_FILEMODE_TREE);
    }
    TreeBuilderPtr new_root = NewBuilder(repo, root.get());
    Insert(new_root.get(), kDocumentsDir, Write(fanned.get()), GIT_FILEMODE_TREE);
    const git_oid tree_id = Write(new_root.get());
    git_tree* raw_tree = nullptr;
    CheckGit(git_tree_lookup(&raw_tree, repo, &tree_id), "read written tree");
    TreePtr tree(raw_tree);

    const git_commit* parents[] = {main.get()};
    git_oid commit;
    CheckGit(git_commit_create(&commit, repo, nullptr, signature.get(), signature.get(), nullptr,
                               kMessage, tree.get(), 1, parents),
             "write commit");
    MoveReference(repo, kBranch, head, commit, "styrdok: fan out documents/");
    report.commit = OidString(commit);
    return report;
}

}  // namespace styrdok::store
