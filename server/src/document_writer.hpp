#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "index_keeper.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/server/server.hpp"
#include "styrdok/store/snapshot.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::server {

/// A text DocumentWriter::Save refuses because it goes beyond core::TextLimits: what() is one
/// Swedish line naming every limit (a form shows it at the text field), code() is kTooLarge
/// for a text over the size limit and kBadInput otherwise.
class TextRefused : public Error {
public:
    using Error::Error;
};

/// The server's one way to change the registry: each save is one commit, authored by the
/// user with their summary as the message, and the index has the new version before Save
/// returns, so the saved version is found by the next search. Saves are serialised; one
/// based on a version that is no longer current is refused (kStaleVersion) and changes
/// nothing. With libgit2's fsync on (Serve turns it on), a version Save returned survives a
/// crash of the process or the machine. Thread-safe.
class DocumentWriter {
public:
    /// Opens the repository, clears what interrupted writes left, fans main's documents/ out
    /// when it is still flat (Store::MigrateLayout) and moves drafts that an
    /// older version saved on main to refs/drafts/ (Store::MigrateDraftsOffMain), so that the
    /// index, synced after it, never holds a draft as a version of main. A `follower`'s writer
    /// only clears: its main is the primary's, and a commit of its own would be overwritten.
    /// Every commit on main is passed on to `snapshots` (SnapshotCache::Advance) before the
    /// write returns, so that the next reader finds the snapshot at it.
    DocumentWriter(RegistryPaths paths, IndexKeeper& keeper, store::SnapshotCache& snapshots,
                   bool follower = false);

    /// Commits `write` and brings the index to it; returns the new version (commit id).
    /// Throws TextRefused when the text goes beyond core::TextLimits, unless it is the text the
    /// document already has (stored before the limits: its other fields may still change).
    std::string Save(store::DocumentWrite write, const store::Author& author,
                     const std::string& message);

    /// Commits every write of `writes` as one commit (Store::Commit: each write's
    /// expected_version is checked, and nothing is written when one is stale) and brings the
    /// index to it; returns the new version. For a decision that changes many documents at
    /// once (POST /api/reviews). Throws TextRefused as Save does, for any of the texts.
    std::string SaveAll(std::vector<store::DocumentWrite> writes, const store::Author& author,
                        const std::string& message);

    /// Commits `write` to the document's draft (Store::CommitDraft: expected_version is the
    /// draft's commit, or main's version when the draft starts now, "" for a new document)
    /// and brings the index's drafts to it; main is untouched, so the version in force stays
    /// what readers see. Returns the draft's new commit. Throws TextRefused as Save does.
    std::string SaveDraft(store::DocumentWrite write, const store::Author& author,
                          const std::string& message);

    /// Makes the draft of `metadata.id` (at `expected_version`) the document's version on
    /// main with `metadata`, the decision (Store::AdoptDraft), and brings the index to it.
    /// Returns main's new commit.
    std::string Adopt(const core::Metadata& metadata, const std::string& expected_version,
                      const store::Author& author, const std::string& message);

    /// Discards the draft of `id` at `expected_version` (Store::DiscardDraft) and takes it out
    /// of the index.
    void Discard(const std::string& id, const std::string& expected_version);

    /// Reads the history the first save would otherwise read (Store::IndexHistory), so that
    /// the first save after start is as fast as the next ones. Waits for a save under way.
    void WarmUp();

private:
    // Refuses a text beyond core::TextLimits unless `stored` already has it.
    static void CheckText(const std::string& text, const std::optional<store::Document>& stored);
    // Brings the index to HEAD and the drafts; what `saved` names (for the error) is saved
    // whatever happens here.
    void SyncIndex(const std::string& saved);
    // Moves the snapshot to main's new commit `version`, which changed document `id`.
    void AdvanceSnapshot(const std::string& version, const std::string& id);

    RegistryPaths paths_;
    IndexKeeper& keeper_;
    store::SnapshotCache& snapshots_;
    std::mutex mutex_;
    // Kept open: a new handle reads the whole history again (every commit's documents tree,
    // megabytes at 100 000 documents) before it can tell a document's current version.
    store::Store store_;
};

}  // namespace styrdok::server
