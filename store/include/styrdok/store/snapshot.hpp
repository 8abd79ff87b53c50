#pragma once

// The registry as it stands at one commit of the main branch: the current metadata of every
// document and what follows from all of them together (which documents replace and implement
// which). One
// snapshot per HEAD serves the clerks' dashboard, the review API and calendar, the reminders
// and the document pages, so that none of them reads every document again on its own.

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "styrdok/core/metadata.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::store {

/// One document's current version in a snapshot.
struct SnapshotEntry {
    std::shared_ptr<const core::Metadata> metadata;
    std::string version;    ///< the commit that last changed the document
    bool has_text = false;  ///< text.md holds more than white space
};

/// Immutable; safe to share between threads.
class Snapshot {
public:
    /// Every document at the commit, sorted by id.
    const std::vector<SnapshotEntry>& documents() const { return documents_; }
    /// The commit; nullopt for an empty repository.
    const std::optional<std::string>& head() const { return head_; }

    /// nullptr when there is no such document.
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
    std::vector<SnapshotEntry> documents_;
    std::map<std::string, std::vector<std::string>, std::less<>> replaced_by_;
    std::map<std::string, std::vector<std::string>, std::less<>> implemented_by_;
};

/// The snapshot at a store's HEAD, kept between calls and brought up to date from the
/// documents changed since (Store::ChangedBetween). Thread-safe.
///
/// Cost: the first call reads every document (Store::Read: about 0.1 ms a document, so some
/// 10 s for 100 000 documents, once per process); a call after HEAD moved costs one tree
/// diff and a read per changed document, plus a pass over the ids to derive the relations; a
/// call with HEAD unchanged costs one reference read.
class SnapshotCache {
public:
    /// The snapshot at `store`'s HEAD.
    std::shared_ptr<const Snapshot> At(const Store& store);

private:
    std::mutex mutex_;
    std::shared_ptr<const Snapshot> current_ = std::make_shared<Snapshot>();
};

}  // namespace styrdok::store
