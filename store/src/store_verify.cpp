// Store::Verify: git fsck's object checks for what HEAD and the drafts' refs reach, plus
// Styrdok's layout rules for main and for drafts.

#include <algorithm>
#include <memory>
#include <unordered_set>
#include <utility>

#include "document_tree.hpp"
#include "git_check.hpp"
#include "store_impl.hpp"
#include "store_write.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/metadata_xml.hpp"

namespace styrdok::store {

namespace {

std::string TypeName(git_object_t type) { return git_object_type2string(type); }

class Verifier {
public:
    explicit Verifier(git_repository* repo) : repo_(repo) {
        git_odb* odb = nullptr;
        CheckGit(git_repository_odb(&odb, repo), "object database");
        odb_.reset(odb);
    }

    /// Checks every object reachable from `head` that no earlier walk has checked.
    void Walk(const git_oid& head) {
        std::vector<git_oid> commits{head};
        while (!commits.empty()) {
            git_oid id = commits.back();
            commits.pop_back();
            if (!seen_.insert(id).second) continue;
            std::string where = "commit " + OidString(id);
            if (!CheckObject(id, GIT_OBJECT_COMMIT, where)) continue;
            git_commit* raw = nullptr;
            if (git_commit_lookup(&raw, repo_, &id) < 0) {
                Report(where + ": cannot be parsed: " + LastMessage());
                continue;
            }
            CommitPtr commit(raw);
            WalkTree(*git_commit_tree_id(commit.get()), "tree of " + where, "");
            for (unsigned i = 0; i < git_commit_parentcount(commit.get()); ++i) {
                commits.push_back(*git_commit_parent_id(commit.get(), i));
            }
        }
    }

    std::vector<std::string> TakeProblems() { return std::move(problems_); }

private:
    static std::string LastMessage() {
        const git_error* error = git_error_last();
        std::string message = error != nullptr && error->message != nullptr ? error->message : "";
        git_error_clear();
        return message;
    }

    void Report(std::string problem) { problems_.push_back(std::move(problem)); }

    // Reads the raw object and hashes it ourselves, so that neither a cache nor a lenient
    // backend can vouch for content that does not match its id.
    bool CheckObject(const git_oid& id, git_object_t type, const std::string& where) {
        git_odb_object* raw = nullptr;
        if (git_odb_read(&raw, odb_.get(), &id) < 0) {
            Report(where + ": object " + OidString(id) + " cannot be read: " + LastMessage());
            return false;
        }
        OdbObjectPtr object(raw);
        git_object_t actual_type = git_odb_object_type(object.get());
        if (actual_type != type) {
            Report(where + ": object " + OidString(id) + " is a " + TypeName(actual_type) +
                   ", expected a " + TypeName(type));
            return false;
        }
        git_oid hash;
        CheckGit(git_odb_hash(&hash, git_odb_object_data(object.get()),
                              git_odb_object_size(object.get()), type),
                 "hash object");
        if (!git_oid_equal(&hash, &id)) {
            Report(where + ": object " + OidString(id) + " does not match its content");
            return false;
        }
        return true;
    }

    void WalkTree(const git_oid& root, const std::string& root_where, const std::string& prefix) {
        std::vector<std::pair<git_oid, std::string>> trees{{root, prefix}};
        while (!trees.empty()) {
            auto [id, path] = std::move(trees.back());
            trees.pop_back();
            if (!seen_.insert(id).second) continue;
            std::string where = path.empty() ? root_where : path;
            if (!CheckObject(id, GIT_OBJECT_TREE, where)) continue;
            git_tree* raw = nullptr;
            if (git_tree_lookup(&raw, repo_, &id) < 0) {
                Report(where + ": cannot be parsed: " + LastMessage());
                continue;
            }
            TreePtr tree(raw);
            std::size_t count = git_tree_entrycount(tree.get());
            for (std::size_t i = 0; i < count; ++i) {
                const git_tree_entry* entry = git_tree_entry_byindex(tree.get(), i);
                std::string entry_path = path + git_tree_entry_name(entry);
                const git_oid& entry_id = *git_tree_entry_id(entry);
                switch (git_tree_entry_type(entry)) {
                    case GIT_OBJECT_TREE:
                        trees.emplace_back(entry_id, entry_path + "/");
                        break;
                    case GIT_OBJECT_BLOB:
                        if (seen_.insert(entry_id).second) {
                            CheckObject(entry_id, GIT_OBJECT_BLOB, entry_path);
                        }
                        break;
                    default:
                        // Submodule links name commits of other repositories: nothing here
                        // to read.
                        break;
                }
            }
        }
    }

    git_repository* repo_;
    OdbPtr odb_;
    std::unordered_set<git_oid, OidHash, OidEqual> seen_;
    std::vector<std::string> problems_;
};

// Checks one document folder: metadata.xml there, parsing, naming `id`. Returns the metadata
// when it parses.
std::optional<core::Metadata> CheckFolder(git_repository* repo, const git_tree* folder,
                                          const std::string& id, const std::string& where,
                                          std::vector<std::string>& problems) {
    std::optional<std::string> xml = ReadBlob(repo, folder, kMetadataFile);
    if (!xml) {
        problems.push_back(where + " has no metadata.xml");
        return std::nullopt;
    }
    core::MetadataParseResult parsed = core::ParseMetadataXml(*xml);
    for (const core::Problem& problem : parsed.problems) {
        problems.push_back(where + "/metadata.xml: " + problem.field + ": " + problem.message);
    }
    if (!parsed.problems.empty()) return std::nullopt;
    if (parsed.metadata.id != id) {
        problems.push_back(where + "/metadata.xml: id '" + parsed.metadata.id +
                           "' differs from the folder name");
    }
    return std::move(parsed.metadata);
}

// The document folders of `tree`, whose path is `where`: documents/ of a flat commit, or
// one bucket of a fanned-out one (`bucket` its name, which each id must hash to).
void CheckFolders(git_repository* repo, const git_tree* tree, const std::string& where,
                  const std::optional<std::string>& bucket, std::vector<std::string>& problems) {
    std::size_t count = git_tree_entrycount(tree);
    for (std::size_t i = 0; i < count; ++i) {
        const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
        std::string name = git_tree_entry_name(entry);
        std::string path = where + "/" + name;
        if (git_tree_entry_type(entry) != GIT_OBJECT_TREE) {
            problems.push_back(path + " is not a document folder");
            continue;
        }
        if (!core::IsValidDocumentId(name)) {
            problems.push_back(path + ": the folder name is not a valid document id");
        } else if (bucket && DocumentBucket(name) != *bucket) {
            problems.push_back(path + ": belongs in " + DocumentPath(name, Layout::kFanOut));
        }
        try {
            TreePtr folder = Subtree(repo, tree, name);
            CheckFolder(repo, folder.get(), name, path, problems);
        } catch (const Error& error) {
            // Unreadable objects were reported by the walk; say which document they break.
            problems.push_back(path + ": " + error.what());
        }
    }
}

bool IsBucketName(std::string_view name) {
    auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
    return name.size() == 2 && hex(name[0]) && hex(name[1]);
}

void CheckLayout(git_repository* repo, const git_oid& head, std::vector<std::string>& problems) {
    TreePtr documents = DocumentsAt(repo, head);
    if (!documents) return;
    if (LayoutOf(documents.get()) == Layout::kFlat) {
        CheckFolders(repo, documents.get(), kDocumentsDir, std::nullopt, problems);
        return;
    }
    std::size_t count = git_tree_entrycount(documents.get());
    for (std::size_t i = 0; i < count; ++i) {
        const git_tree_entry* entry = git_tree_entry_byindex(documents.get(), i);
        std::string name = git_tree_entry_name(entry);
        std::string where = std::string(kDocumentsDir) + "/" + name;
        if (name == kLayoutFile) continue;
        if (git_tree_entry_type(entry) != GIT_OBJECT_TREE || !IsBucketName(name)) {
            problems.push_back(where + " is not a bucket of document folders (two hex digits)");
            continue;
        }
        try {
            TreePtr bucket = Subtree(repo, documents.get(), name);
            CheckFolders(repo, bucket.get(), where, name, problems);
        } catch (const Error& error) {
            problems.push_back(where + ": " + error.what());
        }
    }
}

// A draft's head holds documents/<id>/ and nothing else, with a draft's metadata, and its
// first commit names where it started: a new document main does not have, or a version of
// one main has.
void CheckDraft(git_repository* repo, const std::string& ref, const std::string& id,
                const git_oid& head, const git_tree* main_documents,
                std::vector<std::string>& problems) {
    CommitPtr commit = LookupCommit(repo, head);
    TreePtr root = CommitTree(commit.get());
    TreePtr documents = Subtree(repo, root.get(), kDocumentsDir);
    if (git_tree_entrycount(root.get()) != 1 || !documents ||
        git_tree_entrycount(documents.get()) != 1) {
        problems.push_back(ref + ": a draft holds exactly documents/" + id + "/, and nothing else");
    }
    TreePtr folder = Subtree(repo, documents.get(), id);
    if (!folder) {
        problems.push_back(ref + " holds no documents/" + id);
        return;
    }
    std::optional<core::Metadata> metadata =
        CheckFolder(repo, folder.get(), id, ref + ": documents/" + id, problems);
    if (metadata && metadata->status != core::Status::kDraft) {
        problems.push_back(ref + ": the draft's status is " +
                           std::string(core::StatusName(metadata->status)) + ", not utkast");
    }
    const std::string base = DraftBaseOf(repo, head);
    const bool on_main = FolderId(repo, main_documents, id).has_value();
    if (base.empty() && on_main) {
        problems.push_back(ref + " is a draft of a new document, but main has documents/" + id);
    } else if (!base.empty() && !on_main) {
        problems.push_back(ref + " is a draft of version " + base.substr(0, 12) + " of " + id +
                           ", but main has no documents/" + id);
    }
}

// Every ref named `prefix`* (git's glob: `*` takes '/' too).
std::vector<std::pair<std::string, std::optional<git_oid>>> RefsUnder(git_repository* repo,
                                                                      const std::string& prefix) {
    std::vector<std::pair<std::string, std::optional<git_oid>>> refs;
    git_reference_iterator* raw = nullptr;
    CheckGit(git_reference_iterator_glob_new(&raw, repo, (prefix + "*").c_str()), "list refs");
    std::unique_ptr<git_reference_iterator, decltype(&git_reference_iterator_free)> iterator(
        raw, git_reference_iterator_free);
    git_reference* reference = nullptr;
    int rc = 0;
    while ((rc = git_reference_next(&reference, iterator.get())) == 0) {
        ReferencePtr owned(reference);
        const git_oid* target = git_reference_target(reference);
        refs.emplace_back(git_reference_name(reference),
                          target != nullptr ? std::optional<git_oid>(*target) : std::nullopt);
    }
    if (rc != GIT_ITEROVER) CheckGit(rc, "list refs");
    git_error_clear();
    std::sort(refs.begin(), refs.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    return refs;
}

}  // namespace

std::vector<std::string> Store::Verify() const {
    // A fresh handle: objects this Store has read before sit in its caches, and those
    // would be trusted without being read again.
    git_repository* raw = nullptr;
    CheckGit(
        git_repository_open_ext(&raw, impl_->path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr),
        "open repository");
    RepositoryPtr repo(raw);
    Verifier verifier(repo.get());
    std::vector<std::string> problems;
    std::optional<git_oid> head = impl_->HeadOid();
    TreePtr main_documents;
    if (head) {
        verifier.Walk(*head);
        try {
            CheckLayout(repo.get(), *head, problems);
            main_documents = DocumentsAt(repo.get(), *head);
        } catch (const Error& error) {
            problems.push_back(std::string("cannot check the documents at HEAD: ") + error.what());
        }
    }
    for (const auto& [ref, target] : RefsUnder(repo.get(), std::string(kDraftsPrefix))) {
        const std::string id = ref.substr(kDraftsPrefix.size());
        if (!target) {
            problems.push_back(ref + " is not a draft: it names no commit");
            continue;
        }
        verifier.Walk(*target);
        if (!core::IsValidDocumentId(id)) {
            problems.push_back(ref + ": '" + id + "' is not a valid document id");
            continue;
        }
        try {
            CheckDraft(repo.get(), ref, id, *target, main_documents.get(), problems);
        } catch (const Error& error) {
            problems.push_back(ref + ": " + error.what());
        }
    }
    for (const auto& [ref, target] : RefsUnder(repo.get(), "refs/drafts-discarded/")) {
        if (target) verifier.Walk(*target);
    }
    std::vector<std::string> walked = verifier.TakeProblems();
    walked.insert(walked.end(), problems.begin(), problems.end());
    return walked;
}

}  // namespace styrdok::store
