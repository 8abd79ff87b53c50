#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "styrdok/core/date.hpp"
#include "styrdok/core/metadata.hpp"

namespace styrdok::store {

/// One version of a document as stored under documents/<id>/ in the git repository.
struct Document {
    core::Metadata metadata;         ///< category is not stored; callers derive it
    std::string text;                ///< text.md, CommonMark with GitHub tables
    std::vector<std::string> files;  ///< names of the original files under files/, sorted
    std::string version;             ///< id of the commit that last changed this document
};

/// An original file to store under documents/<id>/files/<name>.
struct Attachment {
    std::string name;     ///< a plain file name: no '/', no leading '.', at most 200 bytes
    std::string content;  ///< bytes
};

struct Author {
    std::string name;
    std::string email;
};

/// One document's new state within a commit.
struct DocumentWrite {
    core::Metadata metadata;  ///< metadata.id names the document
    std::string text;
    std::vector<Attachment> files;          ///< added or replaced
    std::vector<std::string> remove_files;  ///< names to remove
    /// The version the writer based its change on: nullopt writes unconditionally, an empty
    /// string requires that the document does not exist yet, anything else must equal the
    /// document's current version or the whole commit is refused (ErrorCode::kStaleVersion).
    std::optional<std::string> expected_version;
};

struct CommitRequest {
    std::vector<DocumentWrite> writes;
    Author author;
    std::string message;
    /// Author time in seconds since the epoch; nullopt is now.
    std::optional<std::int64_t> author_time;
};

/// One commit in a document's history.
struct VersionInfo {
    std::string version;  ///< commit id, 40 hex digits
    std::string date;     ///< author time, ISO 8601 with offset ("2026-11-23T10:15:00+01:00")
    std::string author;
    std::string author_email;
    std::string message;
};

struct FieldChange {
    std::string field;
    std::string before;  ///< as the XML has it; empty when absent
    std::string after;
};

struct TextDiffLine {
    enum class Kind { kContext, kAdded, kRemoved };
    Kind kind = Kind::kContext;
    std::string text;  ///< without the trailing newline
};

/// The change between two versions of a document.
struct DocumentDiff {
    std::string from;
    std::string to;
    std::vector<FieldChange> metadata;
    std::vector<TextDiffLine> text;  ///< line diff of text.md with three lines of context
    std::vector<std::string> files_added;
    std::vector<std::string> files_removed;
};

/// What changed between two commits, by document id.
struct ChangedDocuments {
    std::vector<std::string> changed;  ///< added or modified, sorted
    std::vector<std::string> removed;  ///< sorted
};

/// One commit of the branch and the documents it changed, for a change log or feed.
struct ChangeEntry {
    VersionInfo commit;
    /// Ids of the documents the commit added, modified or removed (compared with its first
    /// parent; for the root commit, with no documents), sorted. Empty for a commit that
    /// changed nothing under documents/.
    std::vector<std::string> documents;
};

/// What writes interrupted by a crash (kill -9, power loss) left in a repository.
struct InterruptedWrites {
    /// A writer holds the write lock now, so its files cannot be told from leftovers;
    /// `leftovers` is then empty.
    bool write_in_progress = false;
    /// Paths relative to the repository, sorted: stale git lock files under refs/ and
    /// packed-refs.lock (each refuses every later move of its reference), libgit2's temporary
    /// object and pack files (garbage, ignored by readers), and `refs/drafts/<id>` when an
    /// adoption was interrupted after main took the draft but before its ref was deleted
    /// (the draft would seem to be waiting still).
    std::vector<std::string> leftovers;
};

/// A draft beside main: the ref refs/drafts/<id> (store/README.md, "Drafts").
struct DraftRef {
    std::string id;
    std::string version;  ///< the draft ref's commit, 40 hex digits
};

/// What Store::MigrateDraftsOffMain did.
struct MigrationReport {
    /// Documents whose draft versions went from main to refs/drafts/<id>, sorted.
    std::vector<std::string> moved;
    /// Of `moved`, those that had never been decided: main holds them no more, sorted.
    std::vector<std::string> removed;
    /// Documents left on main as they were because refs/drafts/<id> holds another draft
    /// already (one not made by this migration), sorted. `styrdok check` reports them.
    std::vector<std::string> conflicts;
    std::optional<std::string> commit;  ///< main's new commit; nullopt when nothing moved
};

/// What Store::MigrateLayout did.
struct LayoutMigration {
    std::optional<std::string> commit;  ///< main's new commit; nullopt when nothing was to do
    std::size_t documents = 0;          ///< the document folders moved
};

/// From now on, every commit of this process is on disk before Commit returns (libgit2
/// fsyncs the objects, the pack and the ref). For a server that acknowledges writes; an
/// import, which can simply be run again, does without.
void RequireDurableCommits();

/// The git-backed store of governing documents: the source of truth. The repository is a bare
/// git repository with one branch, main, which holds decided documents only; every change is
/// one commit. A draft (a new document, or the next revision of one) lives beside main on its
/// own ref, refs/drafts/<id>, until it is adopted (one commit on main) or discarded.
///
/// Thread-safety: a Store is used from one thread at a time. Several Store objects (in this
/// or other processes) may open the same repository: reads never block, and Commit moves the
/// branch with compare-and-swap, so a write based on a state that has moved on is refused
/// (kConflict) rather than lost. Callers serialise their own writers.
///
/// Crashes: writers take an advisory lock, `styrdok-write.lock` in the repository, while
/// they put objects into it and move the branch (flock(2): the kernel releases it when the
/// holder dies). A writer that holds it first removes what interrupted writes left (see
/// InterruptedWrites), so a crash at any moment leaves the branch at the old or the new commit
/// and never blocks the next write. Other tools that write to the repository take the same
/// lock: `flock REPOSITORY/styrdok-write.lock git gc`.
class Store {
public:
    /// Creates an empty bare repository at `path` (created if missing). Throws
    /// Error(kConflict) when a repository already exists there.
    static Store Init(const std::filesystem::path& path);
    /// Opens an existing repository. Throws Error(kNotFound) when there is none.
    static Store Open(const std::filesystem::path& path);

    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();

    const std::filesystem::path& path() const;

    /// The commit at the branch head; nullopt while the repository is empty.
    std::optional<std::string> Head() const;

    /// Ids of the documents at `at` (a commit id; HEAD when nullopt), sorted.
    std::vector<std::string> ListDocuments(const std::optional<std::string>& at = {}) const;

    /// The document as it was at commit `at` (HEAD when nullopt); nullopt when it did not
    /// exist there. Throws Error(kBadInput) for an invalid id or a malformed commit id and
    /// Error(kNotFound) for a commit that does not exist.
    std::optional<Document> Read(std::string_view id,
                                 const std::optional<std::string>& at = {}) const;

    /// The bytes of an original file; nullopt when absent.
    std::optional<std::string> ReadFile(std::string_view id, std::string_view name,
                                        const std::optional<std::string>& at = {}) const;

    /// The commits that changed documents/<id>/, newest first. Empty for an unknown document.
    std::vector<VersionInfo> History(std::string_view id) const;

    /// Reads the branch's history up to HEAD into this handle's index of which commits changed
    /// which document now, rather than in the first Read or History that needs it: that
    /// first call reads every commit (about a second at 100 000 documents), later ones
    /// only the commits added since. For a server to warm a handle up before its first request.
    void IndexHistory() const;

    /// At most `limit` commits of the branch, newest first, following first parents: from HEAD,
    /// or with `before` from that commit's first parent on (to page on, pass the commit id of
    /// the previous page's last entry). Each entry costs one comparison of two documents/
    /// trees, however many documents and commits the repository holds. Empty for an empty
    /// repository. Throws Error(kBadInput) for a malformed `before` and Error(kNotFound) for
    /// an unknown one.
    std::vector<ChangeEntry> Log(std::size_t limit,
                                 const std::optional<std::string>& before = {}) const;

    /// Every version of the document, oldest first (the state after each commit of History).
    std::vector<Document> Versions(std::string_view id) const;

    /// The metadata of every version of the document, oldest first: Versions without the
    /// texts and the files' names, for what reads only the decisions (the yearly report).
    std::vector<core::Metadata> VersionMetadata(std::string_view id) const;

    /// The change from version `from` to version `to` of document `id` (commit ids). Throws
    /// Error(kNotFound) when the document does not exist in either.
    DocumentDiff Diff(std::string_view id, const std::string& from, const std::string& to) const;

    /// Writes one commit on top of HEAD and returns its id. Checks every write's id, file
    /// names and expected_version first; nothing is written when one fails (kBadInput,
    /// kStaleVersion). Throws kConflict when HEAD moved during the write, and when it would
    /// create a document that has a draft (a draft of a new document holds its id).
    std::string Commit(const CommitRequest& request);

    /// Writes a chain of commits and moves the branch once, at the end: all or nothing, with
    /// Commit's checks.
    /// Returns the id of the last commit (HEAD unchanged and nullopt when `requests` is empty).
    /// Takes the requests: each write's text and files are let go as soon as they are in the
    /// object store, so that an import of 100 000 documents holds its texts only once.
    std::optional<std::string> CommitAll(std::vector<CommitRequest> requests);

    /// What interrupted writes left, without changing anything (for `styrdok check`).
    InterruptedWrites FindInterruptedWrites() const;

    /// Removes what interrupted writes left, under the write lock (waiting up to 30 s for a
    /// running write; Error(kConflict) when it takes longer). Every write does this itself; a
    /// server calls it at start-up so that the repository is clean before the first write.
    /// Returns the paths removed, relative to the repository.
    std::vector<std::string> RepairInterruptedWrites();

    /// Documents that differ between commit `from` (nullopt: the empty tree) and `to`.
    ChangedDocuments ChangedBetween(const std::optional<std::string>& from,
                                    const std::string& to) const;

    /// True when `ancestor` is `descendant` or one of its ancestors.
    bool IsAncestor(const std::string& ancestor, const std::string& descendant) const;

    /// The first parent of `commit`; nullopt for a root commit. Reads one commit. Throws
    /// Error(kBadInput) for a malformed id and Error(kNotFound) for an unknown commit.
    std::optional<std::string> FirstParent(const std::string& commit) const;

    /// Reads every object reachable from HEAD and from the drafts' refs (refs/drafts/ and
    /// refs/drafts-discarded/) and checks its hash, that every document folder on main holds a
    /// metadata.xml, and that every draft holds exactly one document, named as its ref, whose
    /// metadata parses and has status utkast. Returns the problems found; empty when sound.
    std::vector<std::string> Verify() const;

    // --- Drafts (store/README.md, "Drafts") ------------------------------------------------
    // A draft's commits hold only documents/<id>/. Read, ReadFile and Diff take a draft's
    // commit as `at`, `from` or `to` like any other. Writers take the same write lock as
    // Commit and move refs by compare-and-swap.

    /// Every draft, sorted by id: one ref read each, no tree read; while refs/drafts/ and
    /// packed-refs are unchanged on disk (and since the file system clock moved on from
    /// their last change), the answer kept from the last call by any Store of this process
    /// on the repository, for two stat calls. Refs under refs/drafts/ whose name is not a
    /// valid document id are left out (Verify reports them).
    std::vector<DraftRef> ListDrafts() const;

    /// The draft of `id`, its version the draft's commit; nullopt when there is none. Throws
    /// Error(kBadInput) for an invalid id, Error(kInternal) for a draft that holds no such
    /// document.
    std::optional<Document> ReadDraft(std::string_view id) const;

    /// The version of main the draft of `id` started from: a commit id, or "" when it is a
    /// draft of a new document; nullopt when there is no draft. Reads the draft's commits.
    std::optional<std::string> DraftBase(std::string_view id) const;

    /// The draft's own commits, newest first; none of main's. Empty when there is no draft.
    /// The first one's note of where the draft started (a trailer, "Draft-of:") is not part of
    /// its message here.
    std::vector<VersionInfo> DraftHistory(std::string_view id) const;

    /// Writes one commit on refs/drafts/<id>, id = write.metadata.id, whose status must be
    /// utkast (Error(kBadInput) otherwise, and for what Commit refuses as bad input). With a
    /// draft, the commit follows it, and write.expected_version must be the draft's commit
    /// (kStaleVersion otherwise; "" is kConflict: the id is taken by that draft). Without one,
    /// expected_version must be main's version of the document, or "" when main does not
    /// have it (kStaleVersion otherwise), and the draft starts from main's version: its files
    /// are kept unless removed. nullopt writes unconditionally. Returns the commit. Throws
    /// kConflict when the draft's ref moved during the write.
    std::string CommitDraft(const DocumentWrite& write, const Author& author,
                            const std::string& message,
                            std::optional<std::int64_t> author_time = {});

    /// Adopts the draft of `id`: one commit on main whose tree is main's with documents/<id>/
    /// taken from the draft and its metadata.xml replaced by `metadata` (the decision, which
    /// the caller has validated; its id must be `id` and its status not utkast:
    /// Error(kBadInput)). The commit's first parent is main's head, its second the draft's
    /// commit, so the draft's history stays reachable from main while History and Log, which
    /// follow first parents, show only the adoption. On an empty repository main starts with
    /// an empty commit for the first parent. Then deletes the draft's ref. `expected_version`
    /// must be the draft's commit (kStaleVersion otherwise, and when there is no draft).
    /// Returns main's new commit; kConflict when main or the ref moved during the write.
    std::string AdoptDraft(std::string_view id, const core::Metadata& metadata,
                           const std::string& expected_version, const Author& author,
                           const std::string& message);

    /// Discards the draft of `id`: its ref moves to refs/drafts-discarded/<id>/<its commit>,
    /// where its history stays (`git log`). `expected_version` must be the draft's commit
    /// (kStaleVersion otherwise, and when there is no draft).
    void DiscardDraft(std::string_view id, const std::string& expected_version);

    /// Moves every document whose version at main's head is a draft (status utkast, as
    /// written before drafts had refs of their own) off main, in one commit by `author`: its
    /// versions after its last decided one are copied, with their authors, dates and
    /// messages, to refs/drafts/<id>, and main gets back the last decided version (or loses
    /// the document when it had none). main's history is not rewritten. Idempotent and safe to
    /// interrupt: a second run finds nothing to move; a run after a crash finishes the work.
    /// Checking costs one comparison of two documents/ trees when nothing moved since the
    /// last check (refs/styrdok/drafts-checked remembers it), a read of every document's
    /// metadata the first time. Throws kConflict when main moved during the migration.
    MigrationReport MigrateDraftsOffMain(const Author& author);

    /// Moves main from the flat layout, documents/<id>/, to the fanned-out one,
    /// documents/<xx>/<id>/ (store/README.md), in one commit by `author` that changes no
    /// document: every folder keeps its tree, so no document gets a new version, and History,
    /// Versions and reads at any commit answer as before. Older commits stay flat; every read
    /// understands both. Does nothing (and takes no lock) when main is empty or fanned out
    /// already; else it holds the write lock, so the branch is at the old commit or the new
    /// one. Commits on a flat main keep it flat until this runs, which is why every command
    /// that writes main (serve, import, index, migrate-drafts) runs it first. Throws
    /// kConflict when main moved meanwhile. A follower must not run it: it mirrors its primary.
    LayoutMigration MigrateLayout(const Author& author);

private:
    // Reads every document of a commit in one pass over its trees (snapshot.cpp).
    friend class SnapshotCache;
    struct Impl;
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace styrdok::store
