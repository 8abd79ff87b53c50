#include "styrdok/store/store.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <utility>

#include "document_diff.hpp"
#include "document_tree.hpp"
#include "git_check.hpp"
#include "store_impl.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/metadata_xml.hpp"
#include "styrdok/core/validity.hpp"

namespace styrdok::store {

namespace fs = std::filesystem;

namespace {

// Echoing hostile input back in full would make error messages unbounded.
std::string Shown(std::string_view text) {
    constexpr std::size_t kMaxShown = 120;
    return text.size() <= kMaxShown ? std::string(text)
                                    : std::string(text.substr(0, kMaxShown)) + "…";
}

std::string IsoTime(const git_time& time) {
    std::time_t local = static_cast<std::time_t>(time.time + std::int64_t{time.offset} * 60);
    std::tm parts{};
    gmtime_r(&local, &parts);
    char text[40];
    std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &parts);
    int offset = std::abs(time.offset);
    std::snprintf(text + length, sizeof text - length, "%c%02d:%02d", time.offset < 0 ? '-' : '+',
                  offset / 60, offset % 60);
    return text;
}

std::string TrimMessage(const char* message) {
    std::string text = message == nullptr ? "" : message;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

RepositoryPtr OpenRepository(const fs::path& path) {
    git_repository* repo = nullptr;
    int rc = git_repository_open_ext(&repo, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
    if (rc == GIT_ENOTFOUND) {
        git_error_clear();
        throw Error(ErrorCode::kNotFound, "no repository at " + path.string());
    }
    CheckGit(rc, "open repository " + path.string());
    return RepositoryPtr(repo);
}

}  // namespace

VersionInfo VersionOf(const git_commit* commit) {
    const git_signature* author = git_commit_author(commit);
    return {OidString(*git_commit_id(commit)), IsoTime(author->when), author->name, author->email,
            TrimMessage(git_commit_message(commit))};
}

void RequireDocumentId(std::string_view id) {
    if (!core::IsValidDocumentId(id)) {
        throw Error(ErrorCode::kBadInput, "not a valid document id: '" + Shown(id) + "'");
    }
}

void RequireFileName(std::string_view name) {
    // Control characters are legal in git paths but break terminals, logs and
    // Content-Disposition headers; NUL would cut the path short in libgit2's C strings.
    bool plain = !name.empty() && name.size() <= 200 && name.front() != '.' &&
                 std::none_of(name.begin(), name.end(), [](char c) {
                     return c == '/' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
                 });
    if (!plain) throw Error(ErrorCode::kBadInput, "not a plain file name: '" + Shown(name) + "'");
}

std::optional<git_oid> StoreState::HeadOid() {
    git_oid oid;
    if (!CheckGitFound(git_reference_name_to_id(&oid, repo.get(), kBranch), "read branch")) {
        return std::nullopt;
    }
    return oid;
}

std::optional<git_oid> StoreState::Resolve(const std::optional<std::string>& at) {
    if (!at) return HeadOid();
    git_oid oid = ParseCommitId(*at);
    LookupCommit(repo.get(), oid);  // throws kNotFound for an unknown commit
    return oid;
}

git_oid StoreState::VersionAt(std::string_view id, const git_oid& commit, const git_oid& folder) {
    history.Update(repo.get(), HeadOid());
    if (std::optional<std::size_t> position = history.Position(commit)) {
        if (std::optional<git_oid> version = history.VersionAt(id, *position)) return *version;
    }
    // A commit off the branch's first-parent chain (an older branch state, or a commit
    // that lost a race): walk its own first parents.
    git_oid current = commit;
    for (;;) {
        CommitPtr child = LookupCommit(repo.get(), current);
        if (git_commit_parentcount(child.get()) == 0) return current;
        git_oid parent = *git_commit_parent_id(child.get(), 0);
        TreePtr documents = DocumentsAt(repo.get(), parent);
        std::optional<git_oid> before = FolderId(repo.get(), documents.get(), id);
        if (!before || !git_oid_equal(&*before, &folder)) return current;
        current = parent;
    }
}

core::Metadata StoreState::LoadMetadata(const git_tree* folder, std::string_view id,
                                        const git_oid& version) {
    std::string where = "documents/" + std::string(id) + " at " + OidString(version);
    std::optional<std::string> xml = ReadBlob(repo.get(), folder, kMetadataFile);
    if (!xml) throw Error(ErrorCode::kInternal, where + " has no metadata.xml");
    core::MetadataParseResult parsed = core::ParseMetadataXml(*xml);
    if (!parsed.problems.empty()) {
        const core::Problem& first = parsed.problems.front();
        throw Error(ErrorCode::kInternal,
                    where + ": metadata.xml: " + first.field + ": " + first.message);
    }
    return std::move(parsed.metadata);
}

Document StoreState::Load(const git_tree* folder, std::string_view id, const git_oid& version) {
    Document document;
    document.metadata = LoadMetadata(folder, id, version);
    document.text = ReadBlob(repo.get(), folder, kTextFile).value_or("");
    if (TreePtr files = Subtree(repo.get(), folder, kFilesDir)) {
        std::size_t count = git_tree_entrycount(files.get());
        for (std::size_t i = 0; i < count; ++i) {
            const git_tree_entry* entry = git_tree_entry_byindex(files.get(), i);
            if (git_tree_entry_type(entry) == GIT_OBJECT_BLOB) {
                document.files.emplace_back(git_tree_entry_name(entry));
            }
        }
        std::sort(document.files.begin(), document.files.end());
    }
    document.version = OidString(version);
    return document;
}

std::optional<Document> StoreState::ReadAt(std::string_view id, const git_oid& commit) {
    TreePtr documents = DocumentsAt(repo.get(), commit);
    std::optional<git_oid> folder_id = FolderId(repo.get(), documents.get(), id);
    if (!folder_id) return std::nullopt;
    git_tree* raw = nullptr;
    CheckGit(git_tree_lookup(&raw, repo.get(), &*folder_id),
             "tree of documents/" + std::string(id));
    TreePtr folder(raw);
    return Load(folder.get(), id, VersionAt(id, commit, *folder_id));
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Store Store::Init(const fs::path& path) {
    EnsureLibgit2();
    git_repository* existing = nullptr;
    if (git_repository_open_ext(&existing, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) ==
        0) {
        git_repository_free(existing);
        throw Error(ErrorCode::kConflict, "a repository already exists at " + path.string());
    }
    git_error_clear();
    git_repository_init_options options;
    CheckGit(git_repository_init_options_init(&options, GIT_REPOSITORY_INIT_OPTIONS_VERSION),
             "repository options");
    options.flags =
        GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
    options.initial_head = "main";
    git_repository* repo = nullptr;
    CheckGit(git_repository_init_ext(&repo, path.c_str(), &options),
             "create repository at " + path.string());
    RepositoryPtr owned(repo);
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->repo = std::move(owned);
    return Store(std::move(impl));
}

Store Store::Open(const fs::path& path) {
    EnsureLibgit2();
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->repo = OpenRepository(path);
    return Store(std::move(impl));
}

const fs::path& Store::path() const { return impl_->path; }

std::optional<std::string> Store::Head() const {
    std::optional<git_oid> head = impl_->HeadOid();
    if (!head) return std::nullopt;
    return OidString(*head);
}

std::vector<std::string> Store::ListDocuments(const std::optional<std::string>& at) const {
    std::vector<std::string> ids;
    std::optional<git_oid> commit = impl_->Resolve(at);
    if (!commit) return ids;
    TreePtr documents = DocumentsAt(impl_->repo.get(), *commit);
    std::vector<FolderEntry> folders = ListFolders(impl_->repo.get(), documents.get());
    ids.reserve(folders.size());
    for (FolderEntry& folder : folders) ids.push_back(std::move(folder.id));
    return ids;
}

std::optional<Document> Store::Read(std::string_view id,
                                    const std::optional<std::string>& at) const {
    RequireDocumentId(id);
    std::optional<git_oid> commit = impl_->Resolve(at);
    if (!commit) return std::nullopt;
    return impl_->ReadAt(id, *commit);
}

std::optional<std::string> Store::ReadFile(std::string_view id, std::string_view name,
                                           const std::optional<std::string>& at) const {
    RequireDocumentId(id);
    RequireFileName(name);
    std::optional<git_oid> commit = impl_->Resolve(at);
    if (!commit) return std::nullopt;
    git_repository* repo = impl_->repo.get();
    TreePtr documents = DocumentsAt(repo, *commit);
    TreePtr folder = Folder(repo, documents.get(), id);
    TreePtr files = Subtree(repo, folder.get(), kFilesDir);
    if (!files) return std::nullopt;
    return ReadBlob(repo, files.get(), name);
}

std::vector<VersionInfo> Store::History(std::string_view id) const {
    RequireDocumentId(id);
    impl_->history.Update(impl_->repo.get(), impl_->HeadOid());
    std::vector<git_oid> versions = impl_->history.Versions(id);
    std::vector<VersionInfo> history;
    history.reserve(versions.size());
    for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
        history.push_back(VersionOf(LookupCommit(impl_->repo.get(), *it).get()));
    }
    return history;
}

void Store::IndexHistory() const { impl_->history.Update(impl_->repo.get(), impl_->HeadOid()); }

std::vector<ChangeEntry> Store::Log(std::size_t limit,
                                    const std::optional<std::string>& before) const {
    git_repository* repo = impl_->repo.get();
    std::vector<ChangeEntry> log;
    CommitPtr commit;
    if (before) {
        CommitPtr after = LookupCommit(repo, ParseCommitId(*before));
        if (git_commit_parentcount(after.get()) == 0) return log;
        git_commit* parent = nullptr;
        CheckGit(git_commit_parent(&parent, after.get(), 0), "first parent of " + *before);
        commit.reset(parent);
    } else if (std::optional<git_oid> head = impl_->HeadOid()) {
        commit = LookupCommit(repo, *head);
    }
    if (!commit || limit == 0) return log;
    // Not through the history index: building it reads every commit's documents/ tree, and a
    // feed wants the newest few. Walking newest first, each commit's parent is the next
    // entry, so every documents/ tree is read once and serves two comparisons.
    TreePtr documents = DocumentsOf(repo, commit.get());
    while (commit && log.size() < limit) {
        CommitPtr parent;
        TreePtr parent_documents;
        if (git_commit_parentcount(commit.get()) > 0) {
            git_commit* raw = nullptr;
            CheckGit(git_commit_parent(&raw, commit.get(), 0),
                     "first parent of " + OidString(*git_commit_id(commit.get())));
            parent.reset(raw);
            parent_documents = DocumentsOf(repo, parent.get());
        }
        ChangeEntry entry{VersionOf(commit.get()), {}};
        for (FolderChange& change : DiffFolders(parent_documents.get(), documents.get())) {
            entry.documents.push_back(std::move(change.id));
        }
        // git orders folders as if their names ended in '/', which is not byte order.
        std::sort(entry.documents.begin(), entry.documents.end());
        log.push_back(std::move(entry));
        commit = std::move(parent);
        documents = std::move(parent_documents);
    }
    return log;
}

namespace {

// What `load` makes of each version's folder of document `id`, oldest first. By the folder's
// tree id: going through each commit's documents/ tree would inflate and parse a tree with an
// entry per document for every version read.
template <typename Load>
auto EachVersion(StoreState& state, std::string_view id, Load load) {
    RequireDocumentId(id);
    state.history.Update(state.repo.get(), state.HeadOid());
    std::vector<decltype(load(nullptr, git_oid{}))> versions;
    for (const HistoryIndex::Version& version : state.history.VersionFolders(id)) {
        git_tree* raw = nullptr;
        CheckGit(git_tree_lookup(&raw, state.repo.get(), &version.folder),
                 "tree of documents/" + std::string(id));
        TreePtr folder(raw);
        versions.push_back(load(folder.get(), version.commit));
    }
    return versions;
}

}  // namespace

std::vector<Document> Store::Versions(std::string_view id) const {
    return EachVersion(*impl_, id, [&](const git_tree* folder, const git_oid& commit) {
        return impl_->Load(folder, id, commit);
    });
}

std::vector<core::Metadata> Store::VersionMetadata(std::string_view id) const {
    return EachVersion(*impl_, id, [&](const git_tree* folder, const git_oid& commit) {
        return impl_->LoadMetadata(folder, id, commit);
    });
}

DocumentDiff Store::Diff(std::string_view id, const std::string& from,
                         const std::string& to) const {
    RequireDocumentId(id);
    git_oid from_id = *impl_->Resolve(from);
    git_oid to_id = *impl_->Resolve(to);
    std::optional<Document> before = impl_->ReadAt(id, from_id);
    std::optional<Document> after = impl_->ReadAt(id, to_id);
    if (!before || !after) {
        throw Error(ErrorCode::kNotFound,
                    "document " + std::string(id) + " does not exist in " + (before ? to : from));
    }
    DocumentDiff diff;
    diff.from = OidString(from_id);
    diff.to = OidString(to_id);
    diff.metadata = MetadataChanges(before->metadata, after->metadata);
    diff.text = TextChanges(before->text, after->text);
    std::set_difference(after->files.begin(), after->files.end(), before->files.begin(),
                        before->files.end(), std::back_inserter(diff.files_added));
    std::set_difference(before->files.begin(), before->files.end(), after->files.begin(),
                        after->files.end(), std::back_inserter(diff.files_removed));
    return diff;
}

ChangedDocuments Store::ChangedBetween(const std::optional<std::string>& from,
                                       const std::string& to) const {
    git_repository* repo = impl_->repo.get();
    git_oid to_id = *impl_->Resolve(to);
    TreePtr before;
    if (from) before = DocumentsAt(repo, *impl_->Resolve(from));
    TreePtr after = DocumentsAt(repo, to_id);
    ChangedDocuments result;
    for (FolderChange& change : DiffFolders(before.get(), after.get())) {
        (change.present ? result.changed : result.removed).push_back(std::move(change.id));
    }
    std::sort(result.changed.begin(), result.changed.end());
    std::sort(result.removed.begin(), result.removed.end());
    return result;
}

bool Store::IsAncestor(const std::string& ancestor, const std::string& descendant) const {
    git_oid older = *impl_->Resolve(ancestor);
    git_oid newer = *impl_->Resolve(descendant);
    if (git_oid_equal(&older, &newer)) return true;
    int rc = git_graph_descendant_of(impl_->repo.get(), &newer, &older);
    CheckGit(rc, "ancestry of " + descendant);
    return rc == 1;
}

std::optional<std::string> Store::FirstParent(const std::string& commit) const {
    CommitPtr found = LookupCommit(impl_->repo.get(), *impl_->Resolve(commit));
    if (git_commit_parentcount(found.get()) == 0) return std::nullopt;
    return OidString(*git_commit_parent_id(found.get(), 0));
}

}  // namespace styrdok::store
