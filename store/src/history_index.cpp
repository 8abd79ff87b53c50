#include "history_index.hpp"

#include <algorithm>

#include "document_tree.hpp"

namespace styrdok::store {

void HistoryIndex::Clear() {
    chain_.clear();
    positions_.clear();
    changes_.clear();
}

void HistoryIndex::Update(git_repository* repo, const std::optional<git_oid>& head) {
    if (!head) {
        Clear();
        return;
    }
    if (!chain_.empty() && git_oid_equal(&chain_.back(), &*head)) return;

    // Walk back from the new head until the indexed tip; reaching the root instead means the
    // branch was rewritten (or nothing is indexed yet), and the whole chain is re-read.
    std::vector<git_oid> added;
    std::optional<git_oid> cursor = head;
    bool reached_tip = false;
    while (cursor) {
        if (!chain_.empty() && git_oid_equal(&*cursor, &chain_.back())) {
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
}

void HistoryIndex::Append(git_repository* repo, const std::vector<git_oid>& newest_first) {
    TreePtr previous_documents;
    if (!chain_.empty()) {
        CommitPtr tip = LookupCommit(repo, chain_.back());
        previous_documents = Subtree(repo, CommitTree(tip.get()).get(), kDocumentsDir);
    }
    for (auto it = newest_first.rbegin(); it != newest_first.rend(); ++it) {
        CommitPtr commit = LookupCommit(repo, *it);
        TreePtr documents = Subtree(repo, CommitTree(commit.get()).get(), kDocumentsDir);
        std::size_t position = chain_.size();
        chain_.push_back(*it);
        positions_.emplace(*it, position);
        for (FolderChange& change : DiffFolders(previous_documents.get(), documents.get())) {
            changes_[std::move(change.id)].push_back({position, change.present, change.folder});
        }
        previous_documents = std::move(documents);
    }
}

std::optional<std::size_t> HistoryIndex::Position(const git_oid& commit) const {
    auto found = positions_.find(commit);
    if (found == positions_.end()) return std::nullopt;
    return found->second;
}

std::optional<git_oid> HistoryIndex::VersionAt(std::string_view id, std::size_t position) const {
    auto found = changes_.find(std::string(id));
    if (found == changes_.end()) return std::nullopt;
    const std::vector<Change>& changes = found->second;
    auto after = std::upper_bound(
        changes.begin(), changes.end(), position,
        [](std::size_t value, const Change& change) { return value < change.position; });
    if (after == changes.begin()) return std::nullopt;
    const Change& last = *std::prev(after);
    if (!last.present) return std::nullopt;
    return chain_[last.position];
}

std::vector<git_oid> HistoryIndex::Versions(std::string_view id) const {
    std::vector<git_oid> versions;
    auto found = changes_.find(std::string(id));
    if (found == changes_.end()) return versions;
    for (const Change& change : found->second) {
        if (change.present) versions.push_back(chain_[change.position]);
    }
    return versions;
}

std::vector<HistoryIndex::Version> HistoryIndex::VersionFolders(std::string_view id) const {
    std::vector<Version> versions;
    auto found = changes_.find(std::string(id));
    if (found == changes_.end()) return versions;
    for (const Change& change : found->second) {
        if (change.present) versions.push_back({chain_[change.position], change.folder});
    }
    return versions;
}

}  // namespace styrdok::store
