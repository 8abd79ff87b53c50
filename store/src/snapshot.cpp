#include "styrdok/store/snapshot.hpp"

#include <git2.h>

#include <algorithm>
#include <functional>
#include <future>
#include <map>
#include <set>
#include <utility>

#include "document_tree.hpp"
#include "git_check.hpp"
#include "store_impl.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/metadata_xml.hpp"
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

// The documents a version names in `replaces`, sorted, without repeats or itself.
std::vector<std::string> ReplacedIds(const core::Metadata* version) {
    if (version == nullptr) return {};
    std::vector<std::string> ids = core::ReplacedDocuments(*version);
    std::sort(ids.begin(), ids.end());
    return ids;
}

// The documents a version names in `implements`, sorted, without empty ones, repeats or
// itself: validation refuses a document implementing itself, and a walker must not meet it.
std::vector<std::string> ImplementedIds(const core::Metadata* version) {
    if (version == nullptr) return {};
    std::vector<std::string> ids;
    for (const std::string& id : version->implements) {
        if (!id.empty() && id != version->id) ids.push_back(id);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

// One document read out of git, its metadata not parsed yet.
struct RawEntry {
    std::string id;
    std::string version;
    std::string xml;
    bool has_text = false;
};

// Store::Read's entry, from what `raw` holds; throws as Store::Read does for a metadata.xml
// that does not parse.
SnapshotEntry Parsed(RawEntry raw) {
    core::MetadataParseResult parsed = core::ParseMetadataXml(raw.xml);
    if (!parsed.problems.empty()) {
        const core::Problem& first = parsed.problems.front();
        throw Error(ErrorCode::kInternal, "documents/" + raw.id + " at " + raw.version +
                                              ": metadata.xml: " + first.field + ": " +
                                              first.message);
    }
    SnapshotEntry entry;
    entry.has_text = raw.has_text;
    entry.version = std::move(raw.version);
    entry.metadata = std::make_shared<const core::Metadata>(std::move(parsed.metadata));
    return entry;
}

// Whether text.md of folder `tree` holds more than white space (false when absent), without
// copying it.
bool HasText(git_repository* repo, const git_tree* tree) {
    const git_tree_entry* entry = git_tree_entry_byname(tree, kTextFile);
    if (entry == nullptr || git_tree_entry_type(entry) != GIT_OBJECT_BLOB) return false;
    git_blob* raw = nullptr;
    CheckGit(git_blob_lookup(&raw, repo, git_tree_entry_id(entry)), "blob text.md");
    BlobPtr blob(raw);
    const std::string_view text(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                                static_cast<std::size_t>(git_blob_rawsize(blob.get())));
    return text.find_first_not_of(" \t\r\n") != std::string_view::npos;
}

// Store::Read's entries of `folders[begin, end)`, whose versions are `versions`, read through
// `repo`.
std::vector<SnapshotEntry> ReadRange(git_repository* repo, const std::vector<FolderEntry>& folders,
                                     const std::vector<git_oid>& versions, std::size_t begin,
                                     std::size_t end) {
    std::vector<SnapshotEntry> entries;
    entries.reserve(end - begin);
    for (std::size_t i = begin; i < end; ++i) {
        const FolderEntry& folder = folders[i];
        git_tree* raw_tree = nullptr;
        CheckGit(git_tree_lookup(&raw_tree, repo, &folder.folder),
                 "tree of documents/" + folder.id);
        TreePtr tree(raw_tree);
        RawEntry raw;
        raw.version = OidString(versions[i]);
        std::optional<std::string> xml = ReadBlob(repo, tree.get(), kMetadataFile);
        if (!xml) {
            throw Error(ErrorCode::kInternal,
                        "documents/" + folder.id + " at " + raw.version + " has no metadata.xml");
        }
        raw.xml = std::move(*xml);
        raw.has_text = HasText(repo, tree.get());
        raw.id = folder.id;
        entries.push_back(Parsed(std::move(raw)));
    }
    return entries;
}

// Every document at commit `head`, as Store::Read gives them one by one, sorted by id. One
// pass over the commit's trees: Store::Read per document would resolve the branch, and look up
// the commit, its documents/ tree and the document's bucket again for every document, and
// git's object cache keeps none of those trees (they are larger than it keeps). What remains
// is mostly inflating each document's objects, so the second half is read on a second thread,
// through a repository handle of its own (libgit2's objects are not to be shared between
// threads).
std::vector<SnapshotEntry> ReadEntries(StoreState& state, const std::string& head) {
    git_repository* repo = state.repo.get();
    const git_oid commit = ParseCommitId(head);
    TreePtr documents = DocumentsAt(repo, commit);
    const std::vector<FolderEntry> folders = ListFolders(repo, documents.get());
    state.history.Update(repo, state.HeadOid());
    const std::optional<std::size_t> position = state.history.Position(commit);
    std::vector<git_oid> versions;
    versions.reserve(folders.size());
    for (const FolderEntry& folder : folders) {
        RequireDocumentId(folder.id);
        std::optional<git_oid> version;
        if (position) version = state.history.VersionAt(folder.id, *position);
        versions.push_back(version ? *version : state.VersionAt(folder.id, commit, folder.folder));
    }

    // Below this a second thread costs more than it saves.
    constexpr std::size_t kOneThread = 2000;
    if (folders.size() < kOneThread) return ReadRange(repo, folders, versions, 0, folders.size());
    git_repository* raw_second = nullptr;
    CheckGit(git_repository_open_ext(&raw_second, state.GitDir().c_str(),
                                     GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr),
             "open repository " + state.GitDir().string());
    RepositoryPtr second(raw_second);
    const std::size_t half = folders.size() / 2;
    std::future<std::vector<SnapshotEntry>> rest =
        std::async(std::launch::async, ReadRange, second.get(), std::cref(folders),
                   std::cref(versions), half, folders.size());
    std::vector<SnapshotEntry> entries = ReadRange(repo, folders, versions, 0, half);
    for (SnapshotEntry& entry : rest.get()) entries.push_back(std::move(entry));
    return entries;
}

using NamedIds = std::vector<std::string> (*)(const core::Metadata*);

// The other ends of one kind of relation over every document (sorted by id, so each list
// comes sorted).
SnapshotRelations RelationsOf(const std::vector<SnapshotEntry>& entries, NamedIds named) {
    std::map<std::string, std::vector<std::string>, std::less<>> by_target;
    for (const SnapshotEntry& entry : entries) {
        for (std::string& target : named(entry.metadata.get())) {
            by_target[std::move(target)].push_back(entry.metadata->id);
        }
    }
    std::vector<SnapshotRelation> relations;
    relations.reserve(by_target.size());
    for (auto& [target, by] : by_target) relations.push_back({target, std::move(by)});
    return SnapshotRelations::FromSorted(std::move(relations));
}

// What the changed documents do to one kind of relation's other ends: for each named
// document whose list changes, the new list (nullopt when it becomes empty).
std::vector<SnapshotRelations::Change> RelationChanges(
    const SnapshotRelations& base, NamedIds named,
    const std::vector<std::pair<const core::Metadata*, const core::Metadata*>>& changes) {
    struct Edits {
        std::vector<std::string> added;
        std::vector<std::string> removed;
    };
    std::map<std::string, Edits, std::less<>> edits;
    for (const auto& [was_version, is_version] : changes) {
        const std::string& id = (is_version != nullptr ? is_version : was_version)->id;
        const std::vector<std::string> was = named(was_version);
        const std::vector<std::string> is = named(is_version);
        std::vector<std::string> gone;
        std::vector<std::string> come;
        std::set_difference(was.begin(), was.end(), is.begin(), is.end(), std::back_inserter(gone));
        std::set_difference(is.begin(), is.end(), was.begin(), was.end(), std::back_inserter(come));
        for (const std::string& target : gone) edits[target].removed.push_back(id);
        for (const std::string& target : come) edits[target].added.push_back(id);
    }

    std::vector<SnapshotRelations::Change> result;
    result.reserve(edits.size());
    for (auto& [target, edit] : edits) {
        const SnapshotRelation* old = base.Find(target);
        std::vector<std::string> by = old != nullptr ? old->by : std::vector<std::string>();
        // A named reference rather than the structured binding: clang 14, which builds the
        // fuzz targets, cannot capture a binding in a lambda.
        const std::vector<std::string>& removed = edit.removed;
        std::erase_if(by, [&removed](const std::string& id) {
            return std::find(removed.begin(), removed.end(), id) != removed.end();
        });
        by.insert(by.end(), edit.added.begin(), edit.added.end());
        std::sort(by.begin(), by.end());
        by.erase(std::unique(by.begin(), by.end()), by.end());
        std::optional<SnapshotRelation> value;
        if (!by.empty()) value = SnapshotRelation{target, std::move(by)};
        result.push_back({target, std::move(value)});
    }
    return result;
}

const std::vector<std::string>& OtherEnds(const SnapshotRelations& relations, std::string_view id) {
    static const std::vector<std::string> kNone;
    const SnapshotRelation* found = relations.Find(id);
    return found == nullptr ? kNone : found->by;
}

}  // namespace

const SnapshotEntry* Snapshot::Find(std::string_view id) const { return documents_.Find(id); }

const std::vector<std::string>& Snapshot::ReplacedBy(std::string_view id) const {
    return OtherEnds(replaced_by_, id);
}

const std::vector<std::string>& Snapshot::ImplementedBy(std::string_view id) const {
    return OtherEnds(implemented_by_, id);
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

std::shared_ptr<const Snapshot> SnapshotCache::ReadAll(const Store& store,
                                                       const std::optional<std::string>& head) {
    std::vector<SnapshotEntry> entries;
    if (head) entries = ReadEntries(*store.impl_, *head);
    auto next = std::make_shared<Snapshot>();
    next->head_ = head;
    next->replaced_by_ = RelationsOf(entries, ReplacedIds);
    next->implemented_by_ = RelationsOf(entries, ImplementedIds);
    next->documents_ = SnapshotDocuments::FromSorted(std::move(entries));
    return next;
}

std::shared_ptr<const Snapshot> SnapshotCache::Moved(const Snapshot& base, const Store& store,
                                                     const std::optional<std::string>& head,
                                                     const std::vector<std::string>& changed) {
    std::vector<SnapshotDocuments::Change> documents;
    documents.reserve(changed.size());
    for (const std::string& id : changed) {
        std::optional<SnapshotEntry> entry;
        if (head) {
            if (std::optional<Document> document = store.Read(id, head)) {
                entry = EntryOf(std::move(*document));
            }
        }
        documents.push_back({id, std::move(entry)});
    }
    // Each changed document's version before and after (null: absent), for the relations.
    std::vector<std::pair<const core::Metadata*, const core::Metadata*>> versions;
    versions.reserve(documents.size());
    for (const SnapshotDocuments::Change& change : documents) {
        const SnapshotEntry* old = base.Find(change.key);
        const core::Metadata* was = old != nullptr ? old->metadata.get() : nullptr;
        const core::Metadata* is = change.value ? change.value->metadata.get() : nullptr;
        if (was != nullptr || is != nullptr) versions.emplace_back(was, is);
    }

    auto next = std::make_shared<Snapshot>();
    next->head_ = head;
    next->replaced_by_ =
        base.replaced_by_.With(RelationChanges(base.replaced_by_, ReplacedIds, versions));
    next->implemented_by_ =
        base.implemented_by_.With(RelationChanges(base.implemented_by_, ImplementedIds, versions));
    next->documents_ = base.documents_.With(std::move(documents));
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
