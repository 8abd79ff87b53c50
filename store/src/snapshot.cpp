#include "styrdok/store/snapshot.hpp"

#include <algorithm>
#include <set>

#include "styrdok/core/error.hpp"
#include "styrdok/core/validity.hpp"

namespace styrdok::store {

namespace {

SnapshotEntry EntryOf(Document document) {
    SnapshotEntry entry;
    entry.has_text = document.text.find_first_not_of(" \t\r\n") != std::string::npos;
    entry.version = std::move(document.version);
    entry.metadata = std::make_shared<const core::Metadata>(std::move(document.metadata));
    return entry;
}

}  // namespace

const SnapshotEntry* Snapshot::Find(std::string_view id) const {
    const auto found = std::lower_bound(
        documents_.begin(), documents_.end(), id,
        [](const SnapshotEntry& entry, std::string_view key) { return entry.metadata->id < key; });
    if (found == documents_.end() || found->metadata->id != id) return nullptr;
    return &*found;
}

const std::vector<std::string>& Snapshot::ReplacedBy(std::string_view id) const {
    static const std::vector<std::string> kNone;
    const auto found = replaced_by_.find(id);
    return found == replaced_by_.end() ? kNone : found->second;
}

const std::vector<std::string>& Snapshot::ImplementedBy(std::string_view id) const {
    static const std::vector<std::string> kNone;
    const auto found = implemented_by_.find(id);
    return found == implemented_by_.end() ? kNone : found->second;
}

std::vector<std::string> Snapshot::ImplementingBelow(std::string_view id, std::size_t limit) const {
    std::set<std::string, std::less<>> seen{std::string(id)};
    std::vector<std::string_view> next{id};
    std::vector<std::string> below;
    while (!next.empty() && below.size() < limit) {
        const std::string_view current = next.back();
        next.pop_back();
        for (const std::string& child : ImplementedBy(current)) {
            if (below.size() >= limit) break;
            if (!seen.insert(child).second) continue;
            below.push_back(child);
            next.push_back(child);
        }
    }
    std::sort(below.begin(), below.end());
    return below;
}

std::shared_ptr<const Snapshot> SnapshotCache::At(const Store& store) {
    std::lock_guard lock(mutex_);
    const std::optional<std::string> head = store.Head();
    if (head == current_->head_) return current_;

    std::map<std::string, SnapshotEntry, std::less<>> by_id;
    std::vector<std::string> to_read;
    bool full = true;
    if (current_->head_ && head) {
        try {
            const ChangedDocuments changed = store.ChangedBetween(current_->head_, *head);
            for (const SnapshotEntry& entry : current_->documents_) {
                by_id.emplace(entry.metadata->id, entry);
            }
            for (const std::string& id : changed.removed) by_id.erase(id);
            to_read = changed.changed;
            full = false;
        } catch (const Error& error) {
            // The old head is gone (a rewritten history): read everything again.
            if (error.code() != ErrorCode::kNotFound) throw;
            by_id.clear();
        }
    }
    if (full && head) to_read = store.ListDocuments(head);
    for (const std::string& id : to_read) {
        if (std::optional<Document> document = store.Read(id, head)) {
            by_id.insert_or_assign(id, EntryOf(std::move(*document)));
        } else {
            by_id.erase(id);
        }
    }

    auto next = std::make_shared<Snapshot>();
    next->head_ = head;
    next->documents_.reserve(by_id.size());
    for (auto& [id, entry] : by_id) {
        // Ids come sorted, so each list does too. A document naming itself is left out, as
        // validation refuses it and a walker must not meet it.
        for (const std::string& replaced : core::ReplacedDocuments(*entry.metadata)) {
            next->replaced_by_[replaced].push_back(id);
        }
        std::set<std::string_view> implemented;
        for (const std::string& parent : entry.metadata->implements) {
            if (parent.empty() || parent == id || !implemented.insert(parent).second) continue;
            next->implemented_by_[parent].push_back(id);
        }
        next->documents_.push_back(std::move(entry));
    }
    current_ = std::move(next);
    return current_;
}

}  // namespace styrdok::store
