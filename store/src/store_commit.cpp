// Writing: Store::Commit and Store::CommitAll. Everything a request can be refused for is
// checked before the first object is written; the branch moves by compare-and-swap, so a
// concurrent writer's commit is never overwritten. Writers hold the write lock
// (write_lock.hpp) while they touch the repository, and first clear what crashed ones left.

#include <chrono>
#include <ctime>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "document_tree.hpp"
#include "git_check.hpp"
#include "object_sink.hpp"
#include "store_impl.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/metadata_xml.hpp"
#include "write_lock.hpp"

namespace styrdok::store {

namespace {

// Writes of at least this many documents go through a pack (ObjectSink): below it, the
// handful of loose files costs less than a pack that git gc would have to merge later.
constexpr std::size_t kPackedWriteThreshold = 64;

// How long a write waits for another one: the last step of an import of 100 000 documents
// (its pack and the branch) takes seconds.
constexpr std::chrono::seconds kWritePatience(30);

struct PreparedWrite {
    DocumentWrite* write = nullptr;  ///< its text and files are let go once written
    std::string xml;
};

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
};

void RequireNoNul(std::string_view text, std::string_view what) {
    // libgit2 takes these as C strings: a NUL would silently cut them short.
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

PreparedCommit Prepare(CommitRequest& request, std::int64_t now) {
    PreparedCommit prepared;
    std::unordered_set<std::string> ids;
    for (DocumentWrite& write : request.writes) {
        const std::string& id = write.metadata.id;
        RequireDocumentId(id);
        if (!ids.insert(id).second) {
            throw Error(ErrorCode::kBadInput, "document " + id + " is written twice in one commit");
        }
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
        // Read the metadata back before storing it: what cannot be read back must never
        // reach the source of truth.
        std::string xml = core::WriteMetadataXml(write.metadata);
        core::MetadataParseResult parsed = core::ParseMetadataXml(xml);
        if (!parsed.problems.empty()) {
            const core::Problem& first = parsed.problems.front();
            throw Error(ErrorCode::kBadInput,
                        "metadata of " + id + ": " + first.field + ": " + first.message);
        }
        prepared.writes.push_back({&write, std::move(xml)});
    }
    prepared.author = MakeSignature(request.author, request.author_time.value_or(now));
    prepared.committer = MakeSignature(request.author, now);
    RequireNoNul(request.message, "commit message");
    prepared.message = request.message;
    // git tools expect a message to end with a newline.
    if (prepared.message.empty() || prepared.message.back() != '\n') prepared.message += '\n';
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
        } else if (std::optional<git_oid> folder = SubtreeId(documents.get(), id)) {
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

git_oid WriteBlob(git_repository* repo, std::string_view content) {
    git_oid oid;
    CheckGit(git_blob_create_from_buffer(&oid, repo, content.data(), content.size()), "write blob");
    return oid;
}

// Writes the commit's blobs, tree and commit object on top of the chain's tip and advances
// the chain. The branch is not touched.
void WriteCommit(const ObjectSink& sink, PreparedCommit& prepared, Chain& chain) {
    git_repository* repo = sink.repo();
    TreePtr old_documents = Subtree(repo, chain.tip_tree.get(), kDocumentsDir);

    std::size_t count = 0;
    for (const PreparedWrite& write : prepared.writes) {
        count += 2 + write.write->files.size() + write.write->remove_files.size();
    }
    // git_tree_update holds C strings: reserving keeps every path where it was put.
    std::vector<std::string> paths;
    paths.reserve(count);
    std::vector<git_tree_update> updates;
    updates.reserve(count);
    auto add = [&](git_tree_update_t action, std::string path, const git_oid& oid) {
        paths.push_back(std::move(path));
        git_tree_update update{};
        update.action = action;
        update.id = oid;
        update.filemode = GIT_FILEMODE_BLOB;
        update.path = paths.back().c_str();
        updates.push_back(update);
    };

    for (PreparedWrite& prepared_write : prepared.writes) {
        DocumentWrite& write = *prepared_write.write;
        std::string folder = std::string(kDocumentsDir) + "/" + write.metadata.id + "/";
        add(GIT_TREE_UPDATE_UPSERT, folder + kMetadataFile, WriteBlob(repo, prepared_write.xml));
        add(GIT_TREE_UPDATE_UPSERT, folder + kTextFile, WriteBlob(repo, write.text));
        for (Attachment& file : write.files) {
            add(GIT_TREE_UPDATE_UPSERT, folder + kFilesDir + "/" + file.name,
                WriteBlob(repo, file.content));
            std::string().swap(file.content);
        }
        // In the object store now; the rest of the write needs only the metadata.
        std::string().swap(write.text);
        std::string().swap(prepared_write.xml);
        if (write.remove_files.empty()) continue;
        // libgit2 refuses to remove what is not there; removing an absent file is a no-op.
        TreePtr old_folder = Subtree(repo, old_documents.get(), write.metadata.id);
        TreePtr old_files = Subtree(repo, old_folder.get(), kFilesDir);
        for (const std::string& name : write.remove_files) {
            if (old_files && git_tree_entry_byname(old_files.get(), name.c_str()) != nullptr) {
                add(GIT_TREE_UPDATE_REMOVE, folder + kFilesDir + "/" + name, git_oid{});
            }
        }
    }

    git_oid tree_id;
    CheckGit(git_tree_create_updated(&tree_id, repo, chain.tip_tree.get(), updates.size(),
                                     updates.data()),
             "write tree");
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
        std::optional<git_oid> before = SubtreeId(old_documents.get(), id);
        std::optional<git_oid> after = SubtreeId(new_documents.get(), id);
        if (after && (!before || !git_oid_equal(&*before, &*after))) chain.changed[id] = commit_id;
    }
    chain.tip = commit_id;
    chain.tip_tree = std::move(tree);
}

// Moves the branch from the chain's head to its tip, or fails if anyone moved it meanwhile.
void PublishChain(StoreState& impl, const Chain& chain) {
    git_reference* raw = nullptr;
    const char* log_message = "styrdok: commit";
    int rc = chain.head ? git_reference_create_matching(&raw, impl.repo.get(), kBranch, &*chain.tip,
                                                        1, &*chain.head, log_message)
                        : git_reference_create(&raw, impl.repo.get(), kBranch, &*chain.tip, 0,
                                               log_message);
    ReferencePtr reference(raw);
    if (rc == GIT_EMODIFIED || rc == GIT_ELOCKED || rc == GIT_EEXISTS || rc == GIT_ENOTFOUND) {
        git_error_clear();
        throw Error(ErrorCode::kConflict,
                    "the registry changed during the write; nothing was written, try again");
    }
    CheckGit(rc, "move branch");
}

// Takes the write lock and clears what interrupted writes left: with the lock held, every
// git lock file and libgit2 temporary in the repository belongs to a dead writer.
WriteLock LockForWriting(StoreState& impl) {
    WriteLock lock = WriteLock::Acquire(impl.GitDir(), kWritePatience);
    RemoveLeftovers(impl.GitDir(), lock);
    return lock;
}

// Writes the commits one on top of the other and moves the branch once, to the last.
std::string WriteChain(StoreState& impl, std::vector<PreparedCommit>& commits) {
    // The sink outlives the chain: the chain's trees may live in the sink's handle.
    ObjectSink sink = MakeSink(impl, commits);
    // The lock covers whatever touches the repository: loose objects reach it as they are
    // written, a pack only at Flush, so an import's work in memory holds up no edit.
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
    sink.Flush();
    PublishChain(impl, chain);
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
    if (lock) found.leftovers = FindLeftovers(impl_->GitDir());
    return found;
}

std::vector<std::string> Store::RepairInterruptedWrites() {
    WriteLock lock = WriteLock::Acquire(impl_->GitDir(), kWritePatience);
    return RemoveLeftovers(impl_->GitDir(), lock);
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
