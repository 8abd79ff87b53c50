#include "styrdok/store/snapshot.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "styrdok/core/error.hpp"

namespace styrdok::store {

namespace {

SnapshotEntry EntryOf(Document document) {
    SnapshotEntry entry;
    entry.has_text = document.text.find_first_not_of(" \t\r\n") != std::string::npos;
    entry.version = std::move(document.version);
    entry.metadata = std::make_shared<const core::Metadata>(std::move(document.metadata));
    return entry;
}

// What one document's change does to the relations: the successors added to and removed
// from each replaced document's list.
struct SuccessorEdits {
    std::vector<std::string> added;
    std::vector<std::string> removed;
};

}  // namespace

const SnapshotEntry* Snapshot::Find(std::string_view id) const { return documents_.Find(id); }

const std::vector<std::string>& Snapshot::ReplacedBy(std::string_view id) const {
    static const std::vector<std::string> kNone;
    const SnapshotSuccessors* found = replaced_by_.Find(id);
    return found == nullptr ? kNone : found->by;
}

std::shared_ptr<const Snapshot> SnapshotCache::ReadAll(const Store& store,
                                                       const std::optional<std::string>& head) {
    std::vector<SnapshotEntry> entries;
    if (head) {
        for (const std::string& id : store.ListDocuments(head)) {
            if (std::optional<Document> document = store.Read(id, head)) {
                entries.push_back(EntryOf(std::move(*document)));
            }
        }
    }
    std::map<std::string, std::vector<std::string>, std::less<>> replaced_by;
    for (const SnapshotEntry& entry : entries) {
        if (const std::string& replaced = entry.metadata->replaces; !replaced.empty()) {
            replaced_by[replaced].push_back(entry.metadata->id);  // ids come sorted
        }
    }
    std::vector<SnapshotSuccessors> relations;
    relations.reserve(replaced_by.size());
    for (auto& [replaced, by] : replaced_by) relations.push_back({replaced, std::move(by)});

    auto next = std::make_shared<Snapshot>();
    next->head_ = head;
    next->documents_ = SnapshotDocuments::FromSorted(std::move(entries));
    next->replaced_by_ = SnapshotRelations::FromSorted(std::move(relations));
    return next;
}

std::shared_ptr<const Snapshot> SnapshotCache::Moved(const Snapshot& base, const Store& store,
                                                     const std::optional<std::string>& head,
                                                     const std::vector<std::string>& changed) {
    std::vector<SnapshotDocuments::Change> documents;
    documents.reserve(changed.size());
    std::map<std::string, SuccessorEdits, std::less<>> edits;
    for (const std::string& id : changed) {
        std::optional<SnapshotEntry> entry;
        if (head) {
            if (std::optional<Document> document = store.Read(id, head)) {
                entry = EntryOf(std::move(*document));
            }
        }
        const SnapshotEntry* old = base.Find(id);
        const std::string was = old != nullptr ? old->metadata->replaces : std::string();
        const std::string is = entry ? entry->metadata->replaces : std::string();
        if (was != is) {
            if (!was.empty()) edits[was].removed.push_back(id);
            if (!is.empty()) edits[is].added.push_back(id);
        }
        documents.push_back({id, std::move(entry)});
    }

    std::vector<SnapshotRelations::Change> relations;
    relations.reserve(edits.size());
    for (auto& [replaced, edit] : edits) {
        std::vector<std::string> by = base.ReplacedBy(replaced);
        std::erase_if(by, [&edit](const std::string& id) {
            return std::find(edit.removed.begin(), edit.removed.end(), id) != edit.removed.end();
        });
        by.insert(by.end(), edit.added.begin(), edit.added.end());
        std::sort(by.begin(), by.end());
        by.erase(std::unique(by.begin(), by.end()), by.end());
        std::optional<SnapshotSuccessors> value;
        if (!by.empty()) value = SnapshotSuccessors{replaced, std::move(by)};
        relations.push_back({replaced, std::move(value)});
    }

    auto next = std::make_shared<Snapshot>();
    next->head_ = head;
    next->documents_ = base.documents_.With(std::move(documents));
    next->replaced_by_ = base.replaced_by_.With(std::move(relations));
    return next;
}

std::shared_ptr<const Snapshot> SnapshotCache::Current() const {
    std::lock_guard lock(mutex_);
    return current_;
}

void SnapshotCache::Install(std::shared_ptr<const Snapshot> next) {
    std::shared_ptr<const Snapshot> old;
    {
        std::lock_guard lock(mutex_);
        old = std::exchange(current_, std::move(next));
    }
    // `old` goes here, outside the lock: the last reference to a large snapshot takes a
    // moment to free.
}

std::shared_ptr<const Snapshot> SnapshotCache::At(const Store& store) {
    std::shared_ptr<const Snapshot> current = Current();
    if (current && current->head_ == store.Head()) return current;

    std::lock_guard build(build_mutex_);
    // Read again under the lock: a build that ran meanwhile may have got there, and a later
    // HEAD is as good an answer as the one seen before waiting.
    const std::optional<std::string> head = store.Head();
    current = Current();
    if (current && current->head_ == head) return current;

    std::shared_ptr<const Snapshot> next;
    if (current && current->head_ && head) {
        try {
            ChangedDocuments changed = store.ChangedBetween(current->head_, *head);
            std::vector<std::string> ids = std::move(changed.changed);
            ids.insert(ids.end(), changed.removed.begin(), changed.removed.end());
            std::sort(ids.begin(), ids.end());
            next = Moved(*current, store, head, ids);
        } catch (const Error& error) {
            // The old head is gone (a rewritten history): read everything again.
            if (error.code() != ErrorCode::kNotFound) throw;
        }
    } else if (current && !head) {
        next = std::make_shared<Snapshot>();
    }
    if (!next) next = ReadAll(store, head);
    Install(next);
    return next;
}

void SnapshotCache::Advance(const Store& store, const std::string& to,
                            std::vector<std::string> ids) {
    std::lock_guard build(build_mutex_);
    const std::shared_ptr<const Snapshot> current = Current();
    // Never built: the first reader reads everything, not the writer's request.
    if (!current || current->head_ == to) return;
    if (store.FirstParent(to) != current->head_) return;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    Install(Moved(*current, store, to, ids));
}

}  // namespace styrdok::store
