#include "history_index.hpp"

#include <algorithm>
#include <map>
#include <mutex>

#include "document_tree.hpp"

namespace styrdok::store {

namespace {

// The process's shared parts, by repository; an entry lives while a handle holds its part.
class SharedParts {
public:
    template <typename Part>
    std::shared_ptr<const Part> Find(const std::string& key) {
        std::lock_guard lock(mutex_);
        auto found = parts_.find(key);
        if (found == parts_.end()) return nullptr;
        return std::static_pointer_cast<const Part>(found->second.lock());
    }

    void Keep(const std::string& key, std::shared_ptr<const void> part) {
        std::lock_guard lock(mutex_);
        std::erase_if(parts_, [](const auto& entry) { return entry.second.expired(); });
        parts_[key] = std::move(part);
    }

    static SharedParts& Instance() {
        static SharedParts parts;
        return parts;
    }

private:
    std::mutex mutex_;
    std::map<std::string, std::weak_ptr<const void>> parts_;
};

}  // namespace

void HistoryIndex::Clear() {
    shared_.reset();
    own_ = Part{};
}

std::optional<git_oid> HistoryIndex::Tip() const {
    if (size() == 0) return std::nullopt;
    return CommitAt(size() - 1);
}

const git_oid& HistoryIndex::CommitAt(std::size_t position) const {
    return position < own_.first ? shared_->chain[position] : own_.chain[position - own_.first];
}

void HistoryIndex::Update(git_repository* repo, const std::optional<git_oid>& head) {
    if (!head) {
        Clear();
        return;
    }
    if (key_.empty()) {
        const char* dir = git_repository_commondir(repo);
        key_ = dir ? dir : "";
    }
    if (size() == 0 && !key_.empty()) {
        shared_ = SharedParts::Instance().Find<Part>(key_);
        own_.first = shared_ ? shared_->chain.size() : 0;
    }
    std::optional<git_oid> tip = Tip();
    if (tip && git_oid_equal(&*tip, &*head)) return;

    // Walk back from the new head until the indexed tip; reaching the root instead means the
    // branch was rewritten (or nothing is indexed yet), and the whole chain is re-read.
    std::vector<git_oid> added;
    std::optional<git_oid> cursor = head;
    bool reached_tip = false;
    while (cursor) {
        if (tip && git_oid_equal(&*cursor, &*tip)) {
            reached_tip = true;
            break;
        }
        added.push_back(*cursor);
        CommitPtr commit = LookupCommit(repo, *cursor);
        if (git_commit_parentcount(commit.get()) == 0) {
            cursor.reset();
        } else {
            cursor = *git_commit_parent_id(commit.get(), 0);
        }
    }
    if (!reached_tip) Clear();
    Append(repo, added);
    Share();
}

void HistoryIndex::Append(git_repository* repo, const std::vector<git_oid>& newest_first) {
    TreePtr previous_documents;
    if (std::optional<git_oid> tip = Tip()) {
        CommitPtr commit = LookupCommit(repo, *tip);
        previous_documents = Subtree(repo, CommitTree(commit.get()).get(), kDocumentsDir);
    }
    for (auto it = newest_first.rbegin(); it != newest_first.rend(); ++it) {
        CommitPtr commit = LookupCommit(repo, *it);
        TreePtr documents = Subtree(repo, CommitTree(commit.get()).get(), kDocumentsDir);
        std::size_t position = size();
        own_.chain.push_back(*it);
        own_.positions.emplace(*it, position);
        for (FolderChange& change : DiffFolders(previous_documents.get(), documents.get())) {
            own_.changes[std::move(change.id)].push_back({position, change.present, change.folder});
        }
        previous_documents = std::move(documents);
    }
}

void HistoryIndex::Share() {
    if (key_.empty() || own_.chain.empty()) return;
    if (!shared_) {
        // Read from the root: the whole index becomes the shared part, without a copy.
        shared_ = std::make_shared<const Part>(std::move(own_));
    } else if (own_.chain.size() >= kShareAfter) {
        // Another handle may have shared a longer part of the same chain meanwhile: taking it
        // keeps one copy of the index in the process rather than one a handle.
        Rebase(SharedParts::Instance().Find<Part>(key_));
        if (own_.chain.size() < kShareAfter) return;
        auto merged = std::make_shared<Part>(*shared_);
        merged->chain.insert(merged->chain.end(), own_.chain.begin(), own_.chain.end());
        merged->positions.insert(own_.positions.begin(), own_.positions.end());
        for (auto& [id, changes] : own_.changes) {
            std::vector<Change>& into = merged->changes[id];
            into.insert(into.end(), changes.begin(), changes.end());
        }
        shared_ = std::move(merged);
    } else {
        return;
    }
    own_ = Part{};
    own_.first = shared_->chain.size();
    SharedParts::Instance().Keep(key_, shared_);
}

void HistoryIndex::Rebase(std::shared_ptr<const Part> latest) {
    if (!latest || latest == shared_) return;
    const std::size_t first = latest->chain.size();
    // Only a part that ends on this chain, within what this handle has read (chains of
    // first parents that share a commit at the same position are the same up to it).
    if (first <= own_.first || first > size() ||
        !git_oid_equal(&latest->chain.back(), &CommitAt(first - 1))) {
        return;
    }
    Part rest;
    rest.first = first;
    for (std::size_t position = first; position < size(); ++position) {
        rest.chain.push_back(CommitAt(position));
        rest.positions.emplace(rest.chain.back(), position);
    }
    for (const auto& [id, changes] : own_.changes) {
        for (const Change& change : changes) {
            if (change.position >= first) rest.changes[id].push_back(change);
        }
    }
    shared_ = std::move(latest);
    own_ = std::move(rest);
}

std::optional<std::size_t> HistoryIndex::Position(const git_oid& commit) const {
    auto found = own_.positions.find(commit);
    if (found != own_.positions.end()) return found->second;
    if (shared_) {
        found = shared_->positions.find(commit);
        if (found != shared_->positions.end()) return found->second;
    }
    return std::nullopt;
}

std::optional<git_oid> HistoryIndex::VersionAt(std::string_view id, std::size_t position) const {
    // The last change at or before `position` in one part; own_'s come after shared_'s.
    const auto last = [&](const Part& part) -> const Change* {
        auto found = part.changes.find(std::string(id));
        if (found == part.changes.end()) return nullptr;
        const std::vector<Change>& changes = found->second;
        auto after = std::upper_bound(
            changes.begin(), changes.end(), position,
            [](std::size_t value, const Change& change) { return value < change.position; });
        return after == changes.begin() ? nullptr : &*std::prev(after);
    };
    const Change* change = last(own_);
    if (!change && shared_) change = last(*shared_);
    if (!change || !change->present) return std::nullopt;
    return CommitAt(change->position);
}

std::vector<git_oid> HistoryIndex::Versions(std::string_view id) const {
    std::vector<git_oid> versions;
    for (const Version& version : VersionFolders(id)) versions.push_back(version.commit);
    return versions;
}

std::vector<HistoryIndex::Version> HistoryIndex::VersionFolders(std::string_view id) const {
    std::vector<Version> versions;
    const std::string key(id);
    for (const Part* part : {shared_.get(), &own_}) {
        if (!part) continue;
        auto found = part->changes.find(key);
        if (found == part->changes.end()) continue;
        for (const Change& change : found->second) {
            if (change.present) versions.push_back({CommitAt(change.position), change.folder});
        }
    }
    return versions;
}

}  // namespace styrdok::store
