// Store::Verify: git fsck's object checks for what HEAD reaches, plus Styrdok's layout rules.

#include <unordered_set>
#include <utility>

#include "document_tree.hpp"
#include "git_check.hpp"
#include "store_impl.hpp"
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

    std::vector<std::string> Walk(const git_oid& head) {
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
        return std::move(problems_);
    }

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

void CheckLayout(git_repository* repo, const git_oid& head, std::vector<std::string>& problems) {
    TreePtr documents =
        Subtree(repo, CommitTree(LookupCommit(repo, head).get()).get(), kDocumentsDir);
    if (!documents) return;
    std::size_t count = git_tree_entrycount(documents.get());
    for (std::size_t i = 0; i < count; ++i) {
        const git_tree_entry* entry = git_tree_entry_byindex(documents.get(), i);
        std::string name = git_tree_entry_name(entry);
        std::string where = std::string(kDocumentsDir) + "/" + name;
        if (git_tree_entry_type(entry) != GIT_OBJECT_TREE) {
            problems.push_back(where + " is not a document folder");
            continue;
        }
        if (!core::IsValidDocumentId(name)) {
            problems.push_back(where + ": the folder name is not a valid document id");
        }
        try {
            TreePtr folder = Subtree(repo, documents.get(), name);
            std::optional<std::string> xml = ReadBlob(repo, folder.get(), kMetadataFile);
            if (!xml) {
                problems.push_back(where + " has no metadata.xml");
                continue;
            }
            core::MetadataParseResult parsed = core::ParseMetadataXml(*xml);
            for (const core::Problem& problem : parsed.problems) {
                problems.push_back(where + "/metadata.xml: " + problem.field + ": " +
                                   problem.message);
            }
            if (parsed.problems.empty() && parsed.metadata.id != name) {
                problems.push_back(where + "/metadata.xml: id '" + parsed.metadata.id +
                                   "' differs from the folder name");
            }
        } catch (const Error& error) {
            // Unreadable objects were reported by the walk; say which document they break.
            problems.push_back(where + ": " + error.what());
        }
    }
}

}  // namespace

std::vector<std::string> Store::Verify() const {
    std::optional<git_oid> head = impl_->HeadOid();
    if (!head) return {};
    // A fresh handle: objects this Store has read before sit in its caches, and those
    // would be trusted without being read again.
    git_repository* raw = nullptr;
    CheckGit(
        git_repository_open_ext(&raw, impl_->path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr),
        "open repository");
    RepositoryPtr repo(raw);
    std::vector<std::string> problems = Verifier(repo.get()).Walk(*head);
    try {
        CheckLayout(repo.get(), *head, problems);
    } catch (const Error& error) {
        problems.push_back(std::string("cannot check the documents at HEAD: ") + error.what());
    }
    return problems;
}

}  // namespace styrdok::store
