// Writing: Store::Commit and Store::CommitAll. Everything a request can be refused for is
// checked before the first object is written; the branch moves by compare-and-swap, so a
// concurrent writer's commit is never overwritten. Writers hold the write lock
// (write_lock.hpp) while they touch the repository, and first clear what crashed ones left.

#include <algorithm>
#include <chrono>
#include <ctime>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "document_tree.hpp"
#include "git_check.hpp"
#include "object_sink.hpp"
#include "store_impl.hpp"
#include "store_write.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/metadata_xml.hpp"
#include "write_lock.hpp"

namespace styrdok::store {

void RequireNoNul(std::string_view text, std::string_view what) {
    if (text.find('\0') != std::string_view::npos) {
        throw Error(ErrorCode::kBadInput, std::string(what) + " contains a NUL character");
    }
}

SignaturePtr MakeSignature(const Author& author, std::int64_t time) {
    RequireNoNul(author.name, "author name");
    RequireNoNul(author.email, "author email");
    git_signature* signature = nullptr;
    if (git_signature_new(&signature, author.name.c_str(), author.email.c_str(), time, 0) < 0) {
        const git_error* error = git_error_last();
        std::string reason = error != nullptr && error->message != nullptr ? error->message : "";
        git_error_clear();
        throw Error(ErrorCode::kBadInput, "invalid author: " + reason);
    }
    return SignaturePtr(signature);
}

std::string CommitMessage(const std::string& message) {
    RequireNoNul(message, "commit message");
    std::string text = message;
    if (text.empty() || text.back() != '\n') text += '\n';
    return text;
}

std::string CheckedMetadataXml(const core::Metadata& metadata) {
    std::string xml = core::WriteMetadataXml(metadata);
    core::MetadataParseResult parsed = core::ParseMetadataXml(xml);
    if (!parsed.problems.empty()) {
        const core::Problem& first = parsed.problems.front();
        throw Error(ErrorCode::kBadInput,
                    "metadata of " + metadata.id + ": " + first.field + ": " + first.message);
    }
    return xml;
}

PreparedWrite PrepareWrite(DocumentWrite& write) {
    const std::string& id = write.metadata.id;
    RequireDocumentId(id);
    std::unordered_set<std::string_view> names;
    for (const Attachment& file : write.files) {
        RequireFileName(file.name);
        if (!names.insert(file.name).second) {
            throw Error(ErrorCode::kBadInput,
                        "file " + file.name + " of " + id + " is given twice");
        }
    }
    for (const std::string& name : write.remove_files) {
        RequireFileName(name);
        if (names.contains(name)) {
            throw Error(ErrorCode::kBadInput,
                        "file " + name + " of " + id + " is both written and removed");
        }
    }
    if (write.expected_version && !write.expected_version->empty()) {
        ParseCommitId(*write.expected_version);
    }
    return {&write, CheckedMetadataXml(write.metadata)};
}

git_oid WriteBlob(git_repository* repo, std::string_view content) {
    git_oid oid;
    CheckGit(git_blob_create_from_buffer(&oid, repo, content.data(), content.size()), "write blob");
    return oid;
}

void TreeUpdates::Upsert(std::string path, const git_oid& oid, git_filemode_t mode) {
    git_tree_update update{};
    update.action = GIT_TREE_UPDATE_UPSERT;
    update.id = oid;
    update.filemode = mode;
    paths_.push_back(std::move(path));
    updates_.push_back(update);
}

void TreeUpdates::Remove(std::string path) {
    git_tree_update update{};
    update.action = GIT_TREE_UPDATE_REMOVE;
    update.filemode = GIT_FILEMODE_BLOB;
    paths_.push_back(std::move(path));
    updates_.push_back(update);
}

git_oid TreeUpdates::Apply(git_repository* repo, const git_tree* baseline) const {
    // The paths are pointed at only now, when paths_ no longer grows and moves them.
    std::vector<git_tree_update> updates = updates_;
    for (std::size_t i = 0; i < updates.size(); ++i) updates[i].path = paths_[i].c_str();
    git_oid tree;
    CheckGit(git_tree_create_updated(&tree, repo, const_cast<git_tree*>(baseline), updates.size(),
                                     updates.data()),
             "write tree");
    return tree;
}

Layout WriteLayout(git_repository* repo, const git_tree* documents, TreeUpdates& updates) {
    if (documents != nullptr) return LayoutOf(documents);
    updates.Upsert(std::string(kDocumentsDir) + "/" + kLayoutFile, WriteBlob(repo, kLayoutText));
    return Layout::kFanOut;
}

void AddDocumentWrite(git_repository* repo, PreparedWrite& prepared, const std::string& prefix,
                      const git_tree* old_folder, TreeUpdates& updates) {
    DocumentWrite& write = *prepared.write;
    updates.Upsert(prefix + kMetadataFile, WriteBlob(repo, prepared.xml));
    updates.Upsert(prefix + kTextFile, WriteBlob(repo, write.text));
    const std::string files = prefix + kFilesDir + "/";
    for (Attachment& file : write.files) {
        updates.Upsert(files + file.name, WriteBlob(repo, file.content));
        std::string().swap(file.content);
    }
    // In the object store now; the rest of the write needs only the metadata.
    std::string().swap(write.text);
    std::string().swap(prepared.xml);
    if (write.remove_files.empty()) return;
    // libgit2 refuses to remove what is not there; removing an absent file is a no-op.
    TreePtr old_files = Subtree(repo, old_folder, kFilesDir);
    for (const std::string& name : write.remove_files) {
        if (old_files && git_tree_entry_byname(old_files.get(), name.c_str()) != nullptr) {
            updates.Remove(files + name);
        }
    }
}

void MoveReference(git_repository* repo, const std::string& name,
                   const std::optional<git_oid>& from, const git_oid& to, const char* log_message) {
    git_reference* raw = nullptr;
    int rc =
        from ? git_reference_create_matching(&raw, repo, name.c_str(), &to, 1, &*from, log_message)
             : git_reference_create(&raw, repo, name.c_str(), &to, 0, log_message);
    ReferencePtr reference(raw);
    if (rc == GIT_EMODIFIED || rc == GIT_ELOCKED || rc == GIT_EEXISTS || rc == GIT_ENOTFOUND) {
        git_error_clear();
        throw Error(ErrorCode::kConflict,
                    "the registry changed during the write; nothing was written, try again");
    }
    CheckGit(rc, "move " + name);
}

WriteLock LockForWriting(StoreState& impl) {
    WriteLock lock = WriteLock::Acquire(impl.GitDir(), kWritePatience);
    RemoveLeftovers(impl.GitDir(), lock);
    DeleteAdoptedDraft(impl, lock);
    return lock;
}

std::optional<WriteLock> TryLockForWriting(StoreState& impl) {
    std::optional<WriteLock> lock = WriteLock::TryAcquire(impl.GitDir());
    if (lock) {
        RemoveLeftovers(impl.GitDir(), *lock);
        DeleteAdoptedDraft(impl, *lock);
    }
    return lock;
}

namespace {

// Writes of at least this many documents go through a pack (ObjectSink): below it, the
// handful of loose files costs less than a pack that git gc would have to merge later, and
// a pack per edit would leave every read looking through thousands of packs.
constexpr std::size_t kPackedWriteThreshold = 64;

struct PreparedCommit {
    std::vector<PreparedWrite> writes;
    SignaturePtr author;
    SignaturePtr committer;
    std::string message;
};

// The state of a chain of commits not yet on the branch.
struct Chain {
    std::optional<git_oid> head;  ///< the branch when the write began
    std::optional<git_oid> tip;   ///< the last commit written, or head
    TreePtr tip_tree;
    /// Versions of the documents the chain changed, by id.
    std::unordered_map<std::string, git_oid> changed;
    /// Documents the chain created: absent at head, present at tip.
    std::unordered_set<std::string> created;
};

PreparedCommit Prepare(CommitRequest& request, std::int64_t now) {
    PreparedCommit prepared;
    std::unordered_set<std::string> ids;
    for (DocumentWrite& write : request.writes) {
        const std::string& id = write.metadata.id;
        RequireDocumentId(id);
        if (!ids.insert(id).second) {
            throw Error(ErrorCode::kBadInput, "document " + id + " is written twice in one commit");
        }
        prepared.writes.push_back(PrepareWrite(write));
    }
    prepared.author = MakeSignature(request.author, request.author_time.value_or(now));
    prepared.committer = MakeSignature(request.author, now);
    prepared.message = CommitMessage(request.message);
    return prepared;
}

Chain StartChain(StoreState& impl, const ObjectSink& sink) {
    Chain chain;
    chain.head = impl.HeadOid();
    chain.tip = chain.head;
    if (chain.tip) chain.tip_tree = CommitTree(LookupCommit(sink.repo(), *chain.tip).get());
    return chain;
}

ObjectSink MakeSink(StoreState& impl, const std::vector<PreparedCommit>& commits) {
    std::size_t documents = 0;
    for (const PreparedCommit& commit : commits) documents += commit.writes.size();
    return ObjectSink(impl.repo.get(), impl.path, documents >= kPackedWriteThreshold);
}

void CheckExpectedVersions(StoreState& impl, const ObjectSink& sink, const PreparedCommit& prepared,
                           const Chain& chain) {
    TreePtr documents;
    bool documents_loaded = false;
    for (const PreparedWrite& prepared_write : prepared.writes) {
        const DocumentWrite& write = *prepared_write.write;
        if (!write.expected_version) continue;
        if (!documents_loaded) {
            documents = Subtree(sink.repo(), chain.tip_tree.get(), kDocumentsDir);
            documents_loaded = true;
        }
        const std::string& id = write.metadata.id;
        std::optional<git_oid> current;
        if (auto changed = chain.changed.find(id); changed != chain.changed.end()) {
            current = changed->second;
        } else if (std::optional<git_oid> folder = FolderId(sink.repo(), documents.get(), id)) {
            // Not touched by the chain, so its folder is the one at the branch head, whose
            // history the index knows.
            current = impl.VersionAt(id, *chain.head, *folder);
        }
        if (write.expected_version->empty()) {
            if (current) {
                throw Error(ErrorCode::kStaleVersion, "document " + id + " already exists");
            }
            continue;
        }
        if (!current) {
            throw Error(ErrorCode::kStaleVersion, "document " + id + " does not exist");
        }
        git_oid expected = ParseCommitId(*write.expected_version);
        if (!git_oid_equal(&expected, &*current)) {
            throw Error(ErrorCode::kStaleVersion, "document " + id + " has changed since version " +
                                                      OidString(expected) + ": it is now " +
                                                      OidString(*current));
        }
    }
}

// Writes the commit's blobs, tree and commit object on top of the chain's tip and advances
// the chain. The branch is not touched.
void WriteCommit(const ObjectSink& sink, PreparedCommit& prepared, Chain& chain) {
    git_repository* repo = sink.repo();
    TreePtr old_documents = Subtree(repo, chain.tip_tree.get(), kDocumentsDir);

    TreeUpdates updates;
    const Layout layout = WriteLayout(repo, old_documents.get(), updates);
    for (PreparedWrite& prepared_write : prepared.writes) {
        const std::string& id = prepared_write.write->metadata.id;
        // The old folder only tells which files to remove exist: read it only then.
        TreePtr old_folder;
        if (!prepared_write.write->remove_files.empty()) {
            old_folder = Folder(repo, old_documents.get(), id);
        }
        AddDocumentWrite(repo, prepared_write, DocumentPath(id, layout) + "/", old_folder.get(),
                         updates);
    }
    git_oid tree_id = updates.Apply(repo, chain.tip_tree.get());
    git_tree* raw_tree = nullptr;
    CheckGit(git_tree_lookup(&raw_tree, repo, &tree_id), "read written tree");
    TreePtr tree(raw_tree);

    CommitPtr parent;
    if (chain.tip) parent = LookupCommit(repo, *chain.tip);
    const git_commit* parents[] = {parent.get()};
    git_oid commit_id;
    CheckGit(git_commit_create(&commit_id, repo, nullptr, prepared.author.get(),
                               prepared.committer.get(), nullptr, prepared.message.c_str(),
                               tree.get(), parent ? 1 : 0, parents),
             "write commit");

    TreePtr new_documents = Subtree(repo, tree.get(), kDocumentsDir);
    for (const PreparedWrite& write : prepared.writes) {
        const std::string& id = write.write->metadata.id;
        std::optional<git_oid> before = FolderId(repo, old_documents.get(), id);
        std::optional<git_oid> after = FolderId(repo, new_documents.get(), id);
        if (after && (!before || !git_oid_equal(&*before, &*after))) chain.changed[id] = commit_id;
        if (after && !before) chain.created.insert(id);
    }
    chain.tip = commit_id;
    chain.tip_tree = std::move(tree);
}

// A draft of a new document holds its id (CommitDraft): main may not create a document of
// that name meanwhile. Asked under the write lock, which every draft writer holds too.
void RequireNoDraftsOfCreated(StoreState& impl, const Chain& chain) {
    if (chain.created.empty()) return;
    for (const std::string& id : DraftIds(impl.repo.get())) {
        if (chain.created.contains(id)) {
            throw Error(ErrorCode::kConflict, "document " + id +
                                                  " is being drafted as a new document; adopt "
                                                  "or discard that draft first");
        }
    }
}

// Writes the commits one on top of the other and moves the branch once, to the last.
std::string WriteChain(StoreState& impl, std::vector<PreparedCommit>& commits) {
    // The sink outlives the chain: the chain's trees may live in the sink's handle.
    ObjectSink sink = MakeSink(impl, commits);
    // Objects reach the repository only at Flush, so an import's work in memory holds up no
    // edit; a small write locks first all the same, so that it reads the branch it moves
    // (and waits for another writer) rather than failing on a concurrent commit.
    std::optional<WriteLock> lock;
    if (!sink.packed()) lock.emplace(LockForWriting(impl));
    Chain chain = StartChain(impl, sink);
    // Expected versions are checked per commit, against the chain so far: a later commit may
    // build on a document an earlier one created. A refusal leaves the branch untouched;
    // loose objects already written stay unreferenced until git gc, packed ones are dropped.
    for (PreparedCommit& commit : commits) {
        CheckExpectedVersions(impl, sink, commit, chain);
        WriteCommit(sink, commit, chain);
    }
    chain.tip_tree.reset();
    if (!lock) lock.emplace(LockForWriting(impl));
    RequireNoDraftsOfCreated(impl, chain);
    sink.Flush();
    MoveReference(impl.repo.get(), kBranch, chain.head, *chain.tip, "styrdok: commit");
    return OidString(*chain.tip);
}

}  // namespace

std::string Store::Commit(const CommitRequest& request) {
    // A copy the write may let go of as it goes (WriteCommit); one document costs little.
    CommitRequest own = request;
    std::vector<PreparedCommit> prepared;
    prepared.push_back(Prepare(own, std::time(nullptr)));
    return WriteChain(*impl_, prepared);
}

InterruptedWrites Store::FindInterruptedWrites() const {
    InterruptedWrites found;
    std::optional<WriteLock> lock = WriteLock::TryAcquire(impl_->GitDir());
    found.write_in_progress = !lock;
    if (lock) {
        found.leftovers = FindLeftovers(impl_->GitDir());
        if (std::optional<std::string> adopted = FindAdoptedDraft(*impl_)) {
            found.leftovers.push_back(std::move(*adopted));
            std::sort(found.leftovers.begin(), found.leftovers.end());
        }
    }
    return found;
}

std::vector<std::string> Store::RepairInterruptedWrites() {
    WriteLock lock = WriteLock::Acquire(impl_->GitDir(), kWritePatience);
    std::vector<std::string> removed = RemoveLeftovers(impl_->GitDir(), lock);
    if (std::optional<std::string> adopted = DeleteAdoptedDraft(*impl_, lock)) {
        removed.push_back(std::move(*adopted));
        std::sort(removed.begin(), removed.end());
    }
    return removed;
}

std::optional<std::string> Store::CommitAll(std::vector<CommitRequest> requests) {
    if (requests.empty()) return std::nullopt;
    std::int64_t now = std::time(nullptr);
    std::vector<PreparedCommit> prepared;
    prepared.reserve(requests.size());
    for (CommitRequest& request : requests) prepared.push_back(Prepare(request, now));
    return WriteChain(*impl_, prepared);
}

}  // namespace styrdok::store
