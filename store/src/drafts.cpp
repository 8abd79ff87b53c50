// Drafts beside main (store/README.md, "Drafts"): refs/drafts/<id>, whose commits hold only
// documents/<id>/; adoption as one commit on main, discarding, and the migration of drafts
// that older versions wrote on main.

#include <algorithm>
#include <ctime>
#include <memory>
#include <utility>

#include "document_tree.hpp"
#include "git_check.hpp"
#include "object_sink.hpp"
#include "store_impl.hpp"
#include "store_write.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/metadata_xml.hpp"

namespace styrdok::store {

namespace {

/// Where discarded drafts keep their history: refs/drafts-discarded/<id>/<commit>. Not under
/// refs/drafts/, where refs/drafts/<id> would be both a ref and a folder of refs.
constexpr std::string_view kDiscardedPrefix = "refs/drafts-discarded/";

/// A commit of main at which no document on main was a draft, so that the next migration
/// needs to look only at what changed since (MigrateDraftsOffMain).
constexpr const char* kCheckedRef = "refs/styrdok/drafts-checked";

/// The trailer of a draft's first commit that names the version of main it started from:
/// the last line of its message, "Draft-of: <commit>" or "Draft-of: new document".
constexpr std::string_view kBaseTrailer = "Draft-of: ";
constexpr std::string_view kNewDocument = "new document";

std::string WithBase(std::string message, const std::optional<git_oid>& base) {
    if (message.empty() || message.back() != '\n') message += '\n';
    message += '\n';
    message += kBaseTrailer;
    message += base ? OidString(*base) : std::string(kNewDocument);
    message += '\n';
    return message;
}

// Where the trailer's line starts in `message` (trailing newlines trimmed); npos when the
// message does not end with one.
std::size_t BaseTrailerStart(std::string_view message) {
    std::size_t line = message.rfind('\n');
    line = line == std::string_view::npos ? 0 : line + 1;
    if (message.substr(line).rfind(kBaseTrailer, 0) != 0) return std::string_view::npos;
    return line;
}

std::string_view TrimNewlines(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    return text;
}

// The first commit of the draft that ends in `head`: draft commits follow one another by
// their first (only) parent, and the first has none.
CommitPtr DraftRoot(git_repository* repo, const git_oid& head) {
    CommitPtr commit = LookupCommit(repo, head);
    while (git_commit_parentcount(commit.get()) > 0) {
        commit = LookupCommit(repo, *git_commit_parent_id(commit.get(), 0));
    }
    return commit;
}

// The base its first commit names: a commit id, or "" for a new document (and for a
// trailer that names no commit: a first commit not written by the store).
std::string BaseOf(const git_commit* root) {
    std::string_view message = TrimNewlines(git_commit_message(root));
    std::size_t start = BaseTrailerStart(message);
    if (start == std::string_view::npos) return "";
    std::string_view value = message.substr(start + kBaseTrailer.size());
    git_oid base;
    if (value.size() != GIT_OID_HEXSZ || git_oid_fromstrn(&base, value.data(), value.size()) < 0) {
        git_error_clear();
        return "";
    }
    return OidString(base);
}

// documents/<id>/ in a draft's commit. Throws kInternal when it is not there.
TreePtr DraftFolder(git_repository* repo, const git_commit* commit, std::string_view id) {
    TreePtr folder = Folder(repo, DocumentsOf(repo, commit).get(), id);
    if (!folder) {
        throw Error(ErrorCode::kInternal, DraftRefName(id) + " at " +
                                              OidString(*git_commit_id(commit)) +
                                              " holds no documents/" + std::string(id));
    }
    return folder;
}

// A draft commit: its tree holds only documents/<id>/ = `folder`, so writing it costs the
// same whatever main holds. Flat, not fanned out: with one folder there is nothing to spread,
// drafts written before the fan-out stay as they are (their commits are their history, and
// refs/drafts-discarded/ names them), and `git log refs/drafts/<id> -- documents/<id>` reads
// the same for every draft.
git_oid WriteDraftCommit(git_repository* repo, std::string_view id, const git_oid& folder,
                         const git_signature* author, const git_signature* committer,
                         const std::string& message, const git_commit* parent) {
    TreeUpdates root;
    root.Upsert(DocumentPath(id, Layout::kFlat), folder, GIT_FILEMODE_TREE);
    git_oid tree_id = root.Apply(repo, nullptr);
    git_tree* raw = nullptr;
    CheckGit(git_tree_lookup(&raw, repo, &tree_id), "read written tree");
    TreePtr tree(raw);
    const git_commit* parents[] = {parent};
    git_oid commit;
    CheckGit(git_commit_create(&commit, repo, nullptr, author, committer, nullptr, message.c_str(),
                               tree.get(), parent != nullptr ? 1 : 0, parents),
             "write draft commit");
    return commit;
}

// Deletes reference `name` if it still points at `expected`; kConflict when it moved.
void DeleteReference(git_repository* repo, const std::string& name, const git_oid& expected) {
    git_reference* raw = nullptr;
    int rc = git_reference_lookup(&raw, repo, name.c_str());
    ReferencePtr reference(raw);
    if (rc == GIT_ENOTFOUND) {
        git_error_clear();
        throw Error(ErrorCode::kConflict, "the registry changed during the write; try again");
    }
    CheckGit(rc, "read " + name);
    const git_oid* target = git_reference_target(reference.get());
    if (target == nullptr || !git_oid_equal(target, &expected)) {
        throw Error(ErrorCode::kConflict, "the registry changed during the write; try again");
    }
    rc = git_reference_delete(reference.get());
    if (rc == GIT_EMODIFIED || rc == GIT_ELOCKED) {
        git_error_clear();
        throw Error(ErrorCode::kConflict, "the registry changed during the write; try again");
    }
    CheckGit(rc, "delete " + name);
}

// The draft's commit, checked against what the caller expects.
git_oid RequireDraftAt(StoreState& impl, std::string_view id, const git_oid& expected) {
    std::optional<git_oid> draft = impl.DraftHead(id);
    if (!draft) {
        throw Error(ErrorCode::kStaleVersion, "document " + std::string(id) + " has no draft");
    }
    if (!git_oid_equal(&*draft, &expected)) {
        throw Error(ErrorCode::kStaleVersion,
                    "the draft of " + std::string(id) + " has changed since version " +
                        OidString(expected) + ": it is now " + OidString(*draft));
    }
    return *draft;
}

bool IsDraft(git_repository* repo, const git_oid& folder_id) {
    git_tree* raw = nullptr;
    CheckGit(git_tree_lookup(&raw, repo, &folder_id), "tree " + OidString(folder_id));
    TreePtr folder(raw);
    std::optional<std::string> xml = ReadBlob(repo, folder.get(), kMetadataFile);
    // The store writes metadata.xml itself (core::WriteMetadataXml), which spells the status
    // out: without the word, parsing (a quarter of a first migration's time) cannot find it.
    if (!xml || xml->find(core::StatusName(core::Status::kDraft)) == std::string::npos) {
        return false;
    }
    core::MetadataParseResult parsed = core::ParseMetadataXml(*xml);
    return parsed.problems.empty() && parsed.metadata.status == core::Status::kDraft;
}

// Documents whose version at `head` has status utkast, sorted. Only the folders that differ
// from the last commit known to hold no draft are read, when there is one; metadata that does
// not parse is Verify's to report.
std::vector<std::string> FindDraftsOnMain(git_repository* repo, const git_oid& head) {
    TreePtr documents = DocumentsAt(repo, head);
    std::vector<std::pair<std::string, git_oid>> folders;
    git_oid checked;
    bool compared = false;
    if (CheckGitFound(git_reference_name_to_id(&checked, repo, kCheckedRef), "read drafts mark")) {
        try {
            TreePtr before = DocumentsAt(repo, checked);
            for (FolderChange& change : DiffFolders(before.get(), documents.get())) {
                if (change.present) folders.emplace_back(std::move(change.id), change.folder);
            }
            compared = true;
        } catch (const Error&) {
            // The marked commit is gone (history rewritten, then collected): read everything.
        }
    }
    if (!compared) {
        for (FolderEntry& entry : ListFolders(repo, documents.get())) {
            folders.emplace_back(std::move(entry.id), entry.folder);
        }
    }
    std::vector<std::string> ids;
    for (auto& [id, folder] : folders) {
        if (IsDraft(repo, folder)) ids.push_back(std::move(id));
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

void MarkChecked(git_repository* repo, const git_oid& commit) {
    git_reference* raw = nullptr;
    CheckGit(
        git_reference_create(&raw, repo, kCheckedRef, &commit, 1, "styrdok: no drafts on main"),
        "mark drafts checked");
    git_reference_free(raw);
}

// Marks `commit` as holding no draft when nobody is writing: an optimisation, so a busy lock
// or a repository this process may not write to (`styrdok index` as another user) skips it.
void TryMarkChecked(StoreState& impl, const git_oid& commit) {
    git_oid marked;
    if (CheckGitFound(git_reference_name_to_id(&marked, impl.repo.get(), kCheckedRef),
                      "read drafts mark") &&
        git_oid_equal(&marked, &commit)) {
        return;
    }
    try {
        if (std::optional<WriteLock> lock = TryLockForWriting(impl)) {
            MarkChecked(impl.repo.get(), commit);
        }
    } catch (const Error&) {
    }
}

}  // namespace

std::string DraftBaseOf(git_repository* repo, const git_oid& head) {
    return BaseOf(DraftRoot(repo, head).get());
}

std::string DraftRefName(std::string_view id) {
    return std::string(kDraftsPrefix) + std::string(id);
}

std::optional<git_oid> StoreState::DraftHead(std::string_view id) {
    git_oid oid;
    if (!CheckGitFound(git_reference_name_to_id(&oid, repo.get(), DraftRefName(id).c_str()),
                       "read draft " + std::string(id))) {
        return std::nullopt;
    }
    return oid;
}

std::vector<std::string> DraftIds(git_repository* repo) {
    std::vector<std::string> ids;
    git_reference_iterator* raw = nullptr;
    const std::string glob = std::string(kDraftsPrefix) + "*";
    CheckGit(git_reference_iterator_glob_new(&raw, repo, glob.c_str()), "list drafts");
    std::unique_ptr<git_reference_iterator, decltype(&git_reference_iterator_free)> iterator(
        raw, git_reference_iterator_free);
    const char* name = nullptr;
    int rc = 0;
    while ((rc = git_reference_next_name(&name, iterator.get())) == 0) {
        std::string_view id = std::string_view(name).substr(kDraftsPrefix.size());
        if (core::IsValidDocumentId(id)) ids.emplace_back(id);
    }
    if (rc != GIT_ITEROVER) CheckGit(rc, "list drafts");
    git_error_clear();
    return ids;
}

std::optional<std::string> FindAdoptedDraft(StoreState& impl) {
    git_repository* repo = impl.repo.get();
    std::optional<git_oid> head = impl.HeadOid();
    if (!head) return std::nullopt;
    CommitPtr commit = LookupCommit(repo, *head);
    if (git_commit_parentcount(commit.get()) != 2) return std::nullopt;
    const git_oid adopted = *git_commit_parent_id(commit.get(), 1);
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, repo, &adopted) < 0) {
        // A missing parent is Verify's to report; there is no draft to tell by it.
        git_error_clear();
        return std::nullopt;
    }
    CommitPtr draft(raw);
    TreePtr documents = DocumentsOf(repo, draft.get());
    if (!documents || git_tree_entrycount(documents.get()) != 1) return std::nullopt;
    std::string id = git_tree_entry_name(git_tree_entry_byindex(documents.get(), 0));
    if (!core::IsValidDocumentId(id)) return std::nullopt;
    std::optional<git_oid> ref = impl.DraftHead(id);
    if (!ref || !git_oid_equal(&*ref, &adopted)) return std::nullopt;
    return DraftRefName(id);
}

std::optional<std::string> DeleteAdoptedDraft(StoreState& impl, const WriteLock& held) {
    (void)held;
    std::optional<std::string> name = FindAdoptedDraft(impl);
    if (!name) return std::nullopt;
    git_repository* repo = impl.repo.get();
    CommitPtr head = LookupCommit(repo, *impl.HeadOid());
    DeleteReference(repo, *name, *git_commit_parent_id(head.get(), 1));
    return name;
}

std::vector<DraftRef> Store::ListDrafts() const {
    // A save reads the list twice (the index keeper, the index's sync); reading each of some
    // thousand refs again costs milliseconds, a stamp two stat calls.
    std::optional<RefsStamp> stamp = StampDraftRefs(impl_->GitDir());
    if (stamp) {
        if (std::optional<std::vector<DraftRef>> kept = impl_->DraftListing().Find(*stamp)) {
            return std::move(*kept);
        }
    }
    std::vector<DraftRef> drafts;
    // One pass that takes each ref's commit as it goes: DraftIds and a DraftHead each would
    // read every ref file twice.
    git_reference_iterator* raw = nullptr;
    const std::string glob = std::string(kDraftsPrefix) + "*";
    CheckGit(git_reference_iterator_glob_new(&raw, impl_->repo.get(), glob.c_str()), "list drafts");
    std::unique_ptr<git_reference_iterator, decltype(&git_reference_iterator_free)> iterator(
        raw, git_reference_iterator_free);
    git_reference* next = nullptr;
    int rc = 0;
    while ((rc = git_reference_next(&next, iterator.get())) == 0) {
        ReferencePtr reference(next);
        const std::string_view id =
            std::string_view(git_reference_name(reference.get())).substr(kDraftsPrefix.size());
        if (!core::IsValidDocumentId(id)) continue;
        if (const git_oid* target = git_reference_target(reference.get())) {
            drafts.push_back({std::string(id), OidString(*target)});
        } else if (std::optional<git_oid> head = impl_->DraftHead(id)) {
            // A symbolic ref has no commit of its own (Verify names it): where it leads.
            drafts.push_back({std::string(id), OidString(*head)});
        }
    }
    if (rc != GIT_ITEROVER) CheckGit(rc, "list drafts");
    git_error_clear();
    std::sort(drafts.begin(), drafts.end(),
              [](const DraftRef& a, const DraftRef& b) { return a.id < b.id; });
    impl_->DraftListing().Keep(stamp, drafts);
    return drafts;
}

std::optional<Document> Store::ReadDraft(std::string_view id) const {
    RequireDocumentId(id);
    std::optional<git_oid> head = impl_->DraftHead(id);
    if (!head) return std::nullopt;
    CommitPtr commit = LookupCommit(impl_->repo.get(), *head);
    TreePtr folder = DraftFolder(impl_->repo.get(), commit.get(), id);
    return impl_->Load(folder.get(), id, *head);
}

std::optional<std::string> Store::DraftBase(std::string_view id) const {
    RequireDocumentId(id);
    std::optional<git_oid> head = impl_->DraftHead(id);
    if (!head) return std::nullopt;
    return DraftBaseOf(impl_->repo.get(), *head);
}

std::vector<VersionInfo> Store::DraftHistory(std::string_view id) const {
    RequireDocumentId(id);
    std::vector<VersionInfo> history;
    std::optional<git_oid> head = impl_->DraftHead(id);
    if (!head) return history;
    CommitPtr commit = LookupCommit(impl_->repo.get(), *head);
    for (;;) {
        history.push_back(VersionOf(commit.get()));
        if (git_commit_parentcount(commit.get()) == 0) break;
        commit = LookupCommit(impl_->repo.get(), *git_commit_parent_id(commit.get(), 0));
    }
    std::string& first = history.back().message;
    if (std::size_t start = BaseTrailerStart(first); start != std::string::npos) {
        first = std::string(TrimNewlines(std::string_view(first).substr(0, start)));
    }
    return history;
}

std::string Store::CommitDraft(const DocumentWrite& write, const Author& author,
                               const std::string& message,
                               std::optional<std::int64_t> author_time) {
    DocumentWrite own = write;
    PreparedWrite prepared = PrepareWrite(own);
    const std::string id = own.metadata.id;
    if (own.metadata.status != core::Status::kDraft) {
        throw Error(ErrorCode::kBadInput, "a draft has status utkast: " + id + " has " +
                                              std::string(core::StatusName(own.metadata.status)));
    }
    std::int64_t now = std::time(nullptr);
    SignaturePtr author_signature = MakeSignature(author, author_time.value_or(now));
    SignaturePtr committer = MakeSignature(author, now);
    std::string text = CommitMessage(message);

    StoreState& impl = *impl_;
    WriteLock lock = LockForWriting(impl);
    // The draft's objects reach the disk together at Flush, synced at once rather than one
    // after the other (object_sink.hpp). Before the trees read through it, which must not
    // outlive it.
    ObjectSink sink(impl.repo.get(), impl.path, false);
    git_repository* repo = sink.repo();
    std::optional<git_oid> draft = impl.DraftHead(id);
    const std::optional<std::string>& expected = own.expected_version;
    CommitPtr parent;
    TreePtr old_folder;
    if (draft) {
        if (expected && expected->empty()) {
            throw Error(ErrorCode::kConflict,
                        "document " + id + " is being drafted already: its id is taken");
        }
        if (expected) RequireDraftAt(impl, id, ParseCommitId(*expected));
        parent = LookupCommit(repo, *draft);
        old_folder = DraftFolder(repo, parent.get(), id);
    } else {
        std::optional<git_oid> head = impl.HeadOid();
        TreePtr documents;
        if (head) documents = DocumentsAt(repo, *head);
        std::optional<git_oid> folder = FolderId(repo, documents.get(), id);
        std::optional<git_oid> current;
        if (folder) current = impl.VersionAt(id, *head, *folder);
        if (expected && expected->empty() && current) {
            throw Error(ErrorCode::kStaleVersion, "document " + id + " already exists");
        }
        if (expected && !expected->empty()) {
            if (!current) {
                throw Error(ErrorCode::kStaleVersion, "document " + id + " does not exist");
            }
            git_oid version = ParseCommitId(*expected);
            if (!git_oid_equal(&version, &*current)) {
                throw Error(ErrorCode::kStaleVersion,
                            "document " + id + " has changed since version " + OidString(version) +
                                ": it is now " + OidString(*current));
            }
        }
        old_folder = Folder(repo, documents.get(), id);
        text = WithBase(std::move(text), current);
    }
    TreeUpdates updates;
    AddDocumentWrite(repo, prepared, "", old_folder.get(), updates);
    git_oid folder = updates.Apply(repo, old_folder.get());
    git_oid commit = WriteDraftCommit(repo, id, folder, author_signature.get(), committer.get(),
                                      text, parent.get());
    sink.Flush();
    const std::optional<RefsStamp> before = StampDraftRefs(impl.GitDir());
    MoveReference(impl.repo.get(), DraftRefName(id), draft, commit, "styrdok: draft");
    impl.DraftListing().Moved(before, impl.GitDir(), id, OidString(commit));
    return OidString(commit);
}

std::string Store::AdoptDraft(std::string_view id, const core::Metadata& metadata,
                              const std::string& expected_version, const Author& author,
                              const std::string& message) {
    RequireDocumentId(id);
    if (metadata.id != id) {
        throw Error(ErrorCode::kBadInput, "the metadata's id '" + metadata.id +
                                              "' is not the draft's, " + std::string(id));
    }
    if (metadata.status == core::Status::kDraft) {
        throw Error(ErrorCode::kBadInput,
                    "an adopted version is decided: its status cannot be utkast");
    }
    std::string xml = CheckedMetadataXml(metadata);
    git_oid expected = ParseCommitId(expected_version);
    std::int64_t now = std::time(nullptr);
    SignaturePtr signature = MakeSignature(author, now);
    std::string text = CommitMessage(message);

    StoreState& impl = *impl_;
    git_repository* repo = impl.repo.get();
    WriteLock lock = LockForWriting(impl);
    git_oid draft_id = RequireDraftAt(impl, id, expected);
    CommitPtr draft = LookupCommit(repo, draft_id);
    TreePtr draft_folder = DraftFolder(repo, draft.get(), id);

    TreeUpdates folder_updates;
    folder_updates.Upsert(kMetadataFile, WriteBlob(repo, xml));
    git_oid folder = folder_updates.Apply(repo, draft_folder.get());

    std::optional<git_oid> head = impl.HeadOid();
    CommitPtr main;
    if (head) {
        main = LookupCommit(repo, *head);
    } else {
        // The first parent must be main's: History and Log follow first parents, and the
        // draft's commits are never a document's public history. An empty repository gets
        // an empty commit to be that parent (in Swedish: the site's feed shows it).
        git_oid empty_tree = TreeUpdates().Apply(repo, nullptr);
        git_tree* raw = nullptr;
        CheckGit(git_tree_lookup(&raw, repo, &empty_tree), "read empty tree");
        TreePtr tree(raw);
        git_oid root;
        CheckGit(git_commit_create(&root, repo, nullptr, signature.get(), signature.get(), nullptr,
                                   "Registret påbörjat\n", tree.get(), 0, nullptr),
                 "write commit");
        main = LookupCommit(repo, root);
    }
    TreePtr main_tree = CommitTree(main.get());
    TreePtr main_documents = Subtree(repo, main_tree.get(), kDocumentsDir);
    TreeUpdates updates;
    const Layout layout = WriteLayout(repo, main_documents.get(), updates);
    updates.Upsert(DocumentPath(id, layout), folder, GIT_FILEMODE_TREE);
    git_oid tree_id = updates.Apply(repo, main_tree.get());
    git_tree* raw_tree = nullptr;
    CheckGit(git_tree_lookup(&raw_tree, repo, &tree_id), "read written tree");
    TreePtr tree(raw_tree);
    const git_commit* parents[] = {main.get(), draft.get()};
    git_oid commit;
    CheckGit(git_commit_create(&commit, repo, nullptr, signature.get(), signature.get(), nullptr,
                               text.c_str(), tree.get(), 2, parents),
             "write commit");
    MoveReference(repo, kBranch, head, commit, "styrdok: adopt draft");
    try {
        const std::optional<RefsStamp> before = StampDraftRefs(impl.GitDir());
        if (DeleteAdoptedDraft(impl, lock)) {
            impl.DraftListing().Moved(before, impl.GitDir(), id, std::nullopt);
        }
    } catch (const Error&) {
        // main has adopted the draft, which is what the caller asked for; the ref left
        // behind is recognised as adopted, and the next writer deletes it (LockForWriting).
    }
    return OidString(commit);
}

void Store::DiscardDraft(std::string_view id, const std::string& expected_version) {
    RequireDocumentId(id);
    git_oid expected = ParseCommitId(expected_version);
    StoreState& impl = *impl_;
    git_repository* repo = impl.repo.get();
    WriteLock lock = LockForWriting(impl);
    git_oid draft = RequireDraftAt(impl, id, expected);
    // The archive first: interrupted in between, both refs hold the draft, and it is still a
    // draft; the other way round it would be unreachable, and git gc would delete it.
    const std::string archive =
        std::string(kDiscardedPrefix) + std::string(id) + "/" + OidString(draft);
    git_reference* raw = nullptr;
    CheckGit(git_reference_create(&raw, repo, archive.c_str(), &draft, 1, "styrdok: discard draft"),
             "archive draft");
    git_reference_free(raw);
    const std::optional<RefsStamp> before = StampDraftRefs(impl.GitDir());
    DeleteReference(repo, DraftRefName(id), draft);
    impl.DraftListing().Moved(before, impl.GitDir(), id, std::nullopt);
}

MigrationReport Store::MigrateDraftsOffMain(const Author& author) {
    MigrationReport report;
    StoreState& impl = *impl_;
    git_repository* repo = impl.repo.get();
    SignaturePtr signature = MakeSignature(author, std::time(nullptr));
    std::optional<git_oid> head = impl.HeadOid();
    if (!head) return report;
    std::vector<std::string> ids = FindDraftsOnMain(repo, *head);
    if (ids.empty()) {
        TryMarkChecked(impl, *head);
        return report;
    }

    WriteLock lock = LockForWriting(impl);
    std::optional<git_oid> now_head = impl.HeadOid();
    if (!now_head || !git_oid_equal(&*now_head, &*head)) {
        throw Error(ErrorCode::kConflict,
                    "the registry changed during the migration; nothing was moved, try again");
    }
    impl.history.Update(repo, head);
    CommitPtr main = LookupCommit(repo, *head);
    TreePtr main_tree = CommitTree(main.get());
    TreeUpdates main_updates;
    // Not null: main has the drafts found in it.
    const Layout layout = LayoutOf(Subtree(repo, main_tree.get(), kDocumentsDir).get());
    for (const std::string& id : ids) {
        std::vector<HistoryIndex::Version> versions = impl.history.VersionFolders(id);
        std::optional<std::size_t> decided;
        for (std::size_t i = 0; i < versions.size(); ++i) {
            if (!IsDraft(repo, versions[i].folder)) decided = i;
        }
        // The versions after the last decided one, with their own authors, dates and
        // messages: the same commits again on every run, so a run after a crash finds the
        // ref it made and goes on.
        std::optional<git_oid> tip;
        for (std::size_t i = decided ? *decided + 1 : 0; i < versions.size(); ++i) {
            CommitPtr original = LookupCommit(repo, versions[i].commit);
            std::string message = git_commit_message(original.get());
            CommitPtr parent;
            if (tip) {
                parent = LookupCommit(repo, *tip);
            } else {
                std::optional<git_oid> base;
                if (decided) base = versions[*decided].commit;
                message = WithBase(std::move(message), base);
            }
            tip = WriteDraftCommit(repo, id, versions[i].folder, git_commit_author(original.get()),
                                   git_commit_committer(original.get()), message, parent.get());
        }
        std::optional<git_oid> existing = impl.DraftHead(id);
        if (existing) {
            bool ours = git_oid_equal(&*existing, &*tip);
            if (!ours) {
                int rc = git_graph_descendant_of(repo, &*existing, &*tip);
                CheckGit(rc, "ancestry of " + DraftRefName(id));
                ours = rc == 1;
            }
            if (!ours) {
                report.conflicts.push_back(id);
                continue;
            }
        } else {
            MoveReference(repo, DraftRefName(id), std::nullopt, *tip,
                          "styrdok: draft moved off main");
        }
        report.moved.push_back(id);
        const std::string path = DocumentPath(id, layout);
        if (decided) {
            main_updates.Upsert(path, versions[*decided].folder, GIT_FILEMODE_TREE);
        } else {
            main_updates.Remove(path);
            report.removed.push_back(id);
        }
    }
    if (report.moved.empty()) return report;

    git_oid tree_id = main_updates.Apply(repo, main_tree.get());
    git_tree* raw_tree = nullptr;
    CheckGit(git_tree_lookup(&raw_tree, repo, &tree_id), "read written tree");
    TreePtr tree(raw_tree);
    // Shown in the documents' history on the site, hence Swedish.
    std::string message =
        "Utkast flyttade till egna grenar (refs/drafts/): huvudgrenen visar bara beslutade "
        "versioner\n\n";
    for (const std::string& id : report.moved) message += id + "\n";
    const git_commit* parents[] = {main.get()};
    git_oid commit;
    CheckGit(git_commit_create(&commit, repo, nullptr, signature.get(), signature.get(), nullptr,
                               message.c_str(), tree.get(), 1, parents),
             "write commit");
    MoveReference(repo, kBranch, head, commit, "styrdok: move drafts off main");
    report.commit = OidString(commit);
    if (report.conflicts.empty()) MarkChecked(repo, commit);
    return report;
}

}  // namespace styrdok::store
