#pragma once

// The registry as it stands at one commit of the main branch: the current metadata of every
// document and what follows from all of them together (which documents replace and implement
// which). One
// snapshot per HEAD serves the clerks' dashboard, the review API and calendar, the reminders
// and the document pages, so that none of them reads every document again on its own.

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "styrdok/core/metadata.hpp"
#include "styrdok/store/sorted_chunks.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::store {

/// One document's current version in a snapshot.
struct SnapshotEntry {
    std::shared_ptr<const core::Metadata> metadata;
    std::string version;    ///< the commit that last changed the document
    bool has_text = false;  ///< text.md holds more than white space
};

/// How a snapshot keys its documents: by id.
struct SnapshotEntryId {
    std::string_view operator()(const SnapshotEntry& entry) const { return entry.metadata->id; }
};

/// A snapshot's documents, sorted by id: a forward range (`for (const SnapshotEntry& entry :
/// snapshot.documents())`) with size(). Snapshots of successive commits share the parts that
/// did not change.
using SnapshotDocuments = SortedChunks<SnapshotEntry, SnapshotEntryId>;

/// The other end of one relation: the documents whose current version names `target` (in
/// `replaces`, or in `implements`), sorted.
struct SnapshotRelation {
    std::string target;
    std::vector<std::string> by;
};

/// How a snapshot keys a relation's other ends: by the named document's id.
struct SnapshotRelationKey {
    std::string_view operator()(const SnapshotRelation& relation) const { return relation.target; }
};

/// One kind of relation's other ends, by the named document's id.
using SnapshotRelations = SortedChunks<SnapshotRelation, SnapshotRelationKey>;

/// Immutable; safe to share between threads.
class Snapshot {
public:
    /// Every document at the commit, sorted by id.
    const SnapshotDocuments& documents() const { return documents_; }
    /// The commit; nullopt for an empty repository.
    const std::optional<std::string>& head() const { return head_; }

    /// nullptr when there is no such document. O(log n).
    const SnapshotEntry* Find(std::string_view id) const;

    /// The documents whose current version replaces `id` (its successors), sorted. Derived
    /// from the successors' metadata, never stored at the replaced document. Every document
    /// on the main branch is decided, so a successor here is an adopted one.
    const std::vector<std::string>& ReplacedBy(std::string_view id) const;

    /// The documents whose current version names `id` in `implements`, sorted: the other end
    /// of the relation, derived, never stored at `id`.
    const std::vector<std::string>& ImplementedBy(std::string_view id) const;

    /// Every document under `id` down the chain of `implements` (those that implement it,
    /// those that implement them, …), without `id` itself, sorted; at most `limit` ids (then
    /// some are left out). Safe on cycles: each document is visited once.
    std::vector<std::string> ImplementingBelow(std::string_view id, std::size_t limit) const;

private:
    friend class SnapshotCache;
    std::optional<std::string> head_;
    SnapshotDocuments documents_;
    SnapshotRelations replaced_by_;     ///< by the replaced document
    SnapshotRelations implemented_by_;  ///< by the implemented document
};

/// The snapshot at a store's HEAD, kept between calls and brought up to date from the
/// documents changed since. Thread-safe.
///
/// Cost: the first call reads every document once per process, in one pass over HEAD's trees
/// on two threads; inflating each document's metadata.xml and text.md dominates (some 3-7 s
/// of two shared cores for 100 000 documents). After that, moving the snapshot to a new
/// HEAD costs a read per changed document and a copy of the few hundred pointers that share
/// the unchanged parts (SortedChunks), never a pass over every document: through Advance,
/// when the writer says which documents its commit changed, or else one comparison of the
/// two commits' documents/ trees (Store::ChangedBetween). A call with HEAD unchanged costs
/// one reference read and never waits for a snapshot being built; one that finds HEAD moved
/// waits for the one build at a time, which costs what changed.
class SnapshotCache {
public:
    /// The snapshot at `store`'s HEAD. Throws what Store's reads throw.
    std::shared_ptr<const Snapshot> At(const Store& store);

    /// Tells the cache that commit `to` changed (added, modified or removed) exactly the
    /// documents `ids` since its first parent, as the writer that made it knows: when the
    /// cache is at that parent, it moves to `to` by reading those documents alone (at `to`,
    /// with `store`). Otherwise it does nothing, and the next At compares trees. Call it
    /// after the commit and before answering, so that the next reader finds the snapshot
    /// ready. Throws what Store's reads throw; the cache is then unchanged.
    void Advance(const Store& store, const std::string& to, std::vector<std::string> ids);

private:
    // Every document at `head`, read in one pass over its trees.
    static std::shared_ptr<const Snapshot> ReadAll(const Store& store,
                                                   const std::optional<std::string>& head);
    // `base` moved to `head`, where the documents `changed` (sorted, unique) may differ and
    // no other does.
    static std::shared_ptr<const Snapshot> Moved(const Snapshot& base, const Store& store,
                                                 const std::optional<std::string>& head,
                                                 const std::vector<std::string>& changed);
    std::shared_ptr<const Snapshot> Current() const;
    void Install(std::shared_ptr<const Snapshot> next);

    // Held while a snapshot is built, so that one build runs at a time; readers that find
    // the snapshot current never take it.
    std::mutex build_mutex_;
    // Guards current_, held only to copy or replace the pointer.
    mutable std::mutex mutex_;
    // nullptr until the first build.
    std::shared_ptr<const Snapshot> current_;
};

}  // namespace styrdok::store
