#include "site.hpp"

#include <algorithm>
#include <ctime>
#include <utility>

#include "styrdok/core/access.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/validation.hpp"
#include "styrdok/store/document_force.hpp"

namespace styrdok::server {

core::Date Site::Today() const {
    if (config.today) return *config.today;
    std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    return *core::Date::FromYmd(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
}

std::shared_ptr<const store::Snapshot> Site::Snapshot() const {
    ReaderPool::Lease reader = readers.Acquire();
    return snapshots.At(reader->store);
}

Handler Site::Cached(Handler handler) const {
    Handler cached = server::Cached(
        responses, [this] { return Today(); }, handler);
    return [cached = std::move(cached), handler = std::move(handler)](const Request& request,
                                                                      const PathParams& params) {
        return request.identity.user ? handler(request, params) : cached(request, params);
    };
}

const User& RequireUser(const Request& request) {
    if (!request.identity.user) {
        throw Error(ErrorCode::kUnauthorized, "logga in först");
    }
    return *request.identity.user;
}

store::Author AuthorOf(const User& user) {
    // git needs an address; an account without one gets a local name that says so.
    return {user.name, user.email.empty() ? user.name + "@konton.styrdok.invalid" : user.email};
}

std::string SiteUrl(const Site& site, const Request& request) {
    if (!site.config.public_url.empty()) return site.config.public_url;
    std::string host = request.Header("host");
    bool plausible = !host.empty() && host.size() <= 255 &&
                     host.find_first_not_of(
                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                         "0123456789.-:[]") == std::string::npos;
    if (!plausible) host = site.config.bind + ":" + std::to_string(site.config.port);
    return (request.https ? "https://" : "http://") + host;
}

Request SameAsker(const Request& request) {
    Request asker;
    asker.identity = request.identity;
    return asker;
}

std::optional<core::Actor> ActorOf(const Request& request) {
    if (!request.identity.user) return std::nullopt;
    return request.identity.user->Actor();
}

void SetSearchRights(const Request& request, indexer::SearchRequest& search) {
    const std::optional<core::Actor> actor = ActorOf(request);
    search.include_restricted = core::MaySearchNonPublic(actor);
    search.include_drafts = core::MaySearchEverything(actor);
}

void Forbid(const Site& site, const std::optional<core::Problem>& why) {
    if (why) throw Error(ErrorCode::kForbidden, core::SwedishText(*why, site.schema));
}

const std::string& CheckDocumentId(const std::string& id) {
    if (!core::IsValidDocumentId(id)) {
        throw Error(ErrorCode::kBadInput,
                    "ogiltigt dokument-id (bara a–z, 0–9 och bindestreck, högst 100 tecken)");
    }
    return id;
}

std::optional<store::Document> FindVisibleDraft(const store::Store& store,
                                                const core::Schema& schema, const std::string& id,
                                                const Request& request) {
    CheckDocumentId(id);
    std::optional<store::Document> draft = store.ReadDraft(id);
    if (!draft || !core::MaySee(ActorOf(request), draft->metadata, schema)) return std::nullopt;
    return draft;
}

store::Document FindVisibleDocument(const Site& site, const store::Store& store,
                                    const std::string& id, const Request& request) {
    const core::Schema& schema = site.schema;
    CheckDocumentId(id);
    std::optional<store::Document> document;
    std::string version = request.Param("version");
    std::string at = request.Param("at");
    const std::string draft = request.Param("draft");
    if (!draft.empty() && draft != "0") {
        if (draft != "1") throw Error(ErrorCode::kBadInput, "draft ska vara 1");
        document = FindVisibleDraft(store, schema, id, request);
        if (!document) throw Error(ErrorCode::kNotFound, "dokumentet har inget utkast");
        return *std::move(document);
    }
    if (!version.empty()) {
        bool hex = version.size() == 40 &&
                   version.find_first_not_of("0123456789abcdef") == std::string::npos;
        if (!hex) throw Error(ErrorCode::kBadInput, "version ska vara en commit (40 hexsiffror)");
        try {
            document = store.Read(id, version);
        } catch (const Error& error) {
            if (error.code() != ErrorCode::kNotFound) throw;
        }
        // A commit of the registry that did not change this document still shows it as it
        // was; only its own versions are offered, so say so for anything else.
        if (document && document->version != version) document.reset();
        // The draft's own commit, to those who may see the draft (a diff against it).
        if (!document) {
            std::optional<store::Document> current = FindVisibleDraft(store, schema, id, request);
            if (current && current->version == version) return *std::move(current);
            throw Error(ErrorCode::kNotFound, "versionen finns inte");
        }
    } else if (!at.empty()) {
        std::optional<core::Date> date = core::Date::Parse(at);
        if (!date) throw Error(ErrorCode::kBadInput, "at ska vara ett datum (ÅÅÅÅ-MM-DD)");
        // The successors that replace it end it too: the snapshot knows them.
        const store::DocumentForce force =
            store::DocumentForce::Read(store, id, site.snapshots.At(store)->ReplacedBy(id));
        if (const std::optional<std::size_t> index = force.InForceOn(*date)) {
            document = force.versions()[*index];
        }
        if (!document) {
            throw Error(ErrorCode::kNotFound,
                        "ingen version av dokumentet gällde " + date->ToString());
        }
    } else {
        document = store.Read(id);
        if (!document) throw Error(ErrorCode::kNotFound, "dokumentet finns inte");
    }
    if (!core::MaySee(ActorOf(request), document->metadata, schema)) {
        throw Error(ErrorCode::kNotFound, "dokumentet finns inte");
    }
    return *std::move(document);
}

std::vector<core::Problem> RelationProblems(const Site& site, const store::Store& store,
                                            const core::Metadata& metadata) {
    const std::shared_ptr<const store::Snapshot> snapshot = site.snapshots.At(store);
    // A document that so far is only a draft exists too. The drafts are listed only when an id
    // is not on main, which is rare.
    std::optional<std::vector<store::DraftRef>> drafts;
    return core::ValidateRelations(metadata, [&](std::string_view id) {
        if (snapshot->Find(id) != nullptr) return true;
        if (!drafts) drafts = store.ListDrafts();
        return std::any_of(drafts->begin(), drafts->end(),
                           [id](const store::DraftRef& draft) { return draft.id == id; });
    });
}

}  // namespace styrdok::server
