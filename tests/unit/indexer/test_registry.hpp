#pragma once

// A small registry for the indexer's tests: a store in a sandbox, the default schema, and
// helpers to commit documents, sync an index and search it.

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "styrdok/core/date.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/indexer/index.hpp"
#include "styrdok/indexer/search.hpp"
#include "styrdok/store/store.hpp"
#include "styrdok/testing/sandbox.hpp"

namespace styrdok::indexer::testing {

inline core::Date Day(const char* text) { return core::Date::Parse(text).value(); }

/// A policy in force, decided by kf; tests change what they are about.
inline core::Metadata Policy(std::string id, std::string title) {
    core::Metadata m;
    m.id = std::move(id);
    m.title = std::move(title);
    m.doctype = "policy";
    m.dnr = "KS 2021/0123";
    m.decided_by = "kf";
    m.decided_on = Day("2021-05-24");
    m.paragraph = "§ 67";
    m.owner = "HR-chef";
    m.status = core::Status::kInForce;
    return m;
}

/// A document decided by kf on `decided_on`, valid from `valid_from` (and to `valid_to`).
inline core::Metadata Decided(std::string id, std::string title, const char* decided_on,
                              const char* valid_from, const char* valid_to = nullptr) {
    core::Metadata m = Policy(std::move(id), std::move(title));
    m.decided_on = Day(decided_on);
    m.valid_from = Day(valid_from);
    if (valid_to) m.valid_to = Day(valid_to);
    return m;
}

/// Ids and versions of the hits, sorted: what two indexes must agree on.
inline std::vector<std::string> IdsAndVersions(const SearchResult& result) {
    std::vector<std::string> keys;
    for (const Hit& hit : result.hits) keys.push_back(hit.id + "@" + hit.version);
    std::sort(keys.begin(), keys.end());
    return keys;
}

inline std::vector<std::string> Ids(const SearchResult& result) {
    std::vector<std::string> ids;
    for (const Hit& hit : result.hits) ids.push_back(hit.id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

class TestRegistry {
public:
    TestRegistry()
        : schema_(core::Schema::Load(styrdok::testing::SourceDir() / "schema/default.xml")),
          store_(store::Store::Init(sandbox_ / "repo")) {}

    const core::Schema& schema() const { return schema_; }
    store::Store& store() { return store_; }
    std::filesystem::path IndexDir(const char* name = "index") const { return sandbox_ / name; }

    /// Commits the documents (metadata and text) as one commit; returns its id.
    std::string Commit(const std::vector<std::pair<core::Metadata, std::string>>& documents,
                       const std::string& message = "Ändring") {
        store::CommitRequest request;
        for (const auto& [metadata, text] : documents) {
            store::DocumentWrite write;
            write.metadata = metadata;
            write.text = text;
            request.writes.push_back(std::move(write));
        }
        request.author = kAuthor;
        request.message = message;
        return store_.Commit(request);
    }

    std::string Commit(const core::Metadata& metadata, const std::string& text) {
        return Commit({{metadata, text}});
    }

    /// Commits `metadata` (status utkast) and `text` to the document's draft,
    /// refs/drafts/<id>: after the draft's last commit, or from main's version; returns the
    /// draft's commit.
    std::string CommitDraft(const core::Metadata& metadata, const std::string& text) {
        store::DocumentWrite write;
        write.metadata = metadata;
        write.text = text;
        return store_.CommitDraft(write, kAuthor, "Utkast");
    }

    /// Adopts the draft of `decision.id` with `decision` (not utkast); returns main's commit.
    std::string Adopt(const core::Metadata& decision) {
        return store_.AdoptDraft(decision.id, decision, store_.ReadDraft(decision.id)->version,
                                 kAuthor, "Beslut");
    }

    /// `today` is the day versions are placed by (nullopt: the machine's date).
    SyncReport Sync(bool rebuild = false, const char* index = "index",
                    std::optional<core::Date> today = std::nullopt) {
        Index opened = Index::Open(IndexDir(index), schema_);
        return opened.Sync(store_, rebuild, {}, today);
    }

    SearchResult Search(const SearchRequest& request, const char* index = "index") const {
        return Searcher::Open(IndexDir(index), schema_).Search(request);
    }

private:
    static inline const store::Author kAuthor{"Test Testsson", "test@exempelby.se"};

    styrdok::testing::Sandbox sandbox_;
    core::Schema schema_;
    store::Store store_;
};

}  // namespace styrdok::indexer::testing
