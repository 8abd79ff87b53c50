#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "auth/gatekeeper.hpp"
#include "document_writer.hpp"
#include "reader_pool.hpp"
#include "render/markdown.hpp"
#include "render/templates.hpp"
#include "response_cache.hpp"
#include "router.hpp"
#include "styrdok/core/access.hpp"
#include "styrdok/core/date.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/problem.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/server/server.hpp"
#include "styrdok/store/snapshot.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::server {

/// What every handler shares: built once in Serve, outliving every request.
struct Site {
    const core::Schema& schema;
    const ServerConfig& config;
    ReaderPool& readers;
    const Templates& templates;
    MarkdownCache& markdown;
    /// Finished pages and JSON that depend only on HEAD and the date.
    ResponseCache& responses;
    /// In-memory copies of templates/assets/, by file name.
    const std::map<std::string, std::string, std::less<>>& assets;
    /// Every change to the registry goes through it.
    DocumentWriter& writer;
    Gatekeeper& gatekeeper;
    /// The registry at HEAD, shared by the dashboard, the review API and calendar, the
    /// reminders and the document pages.
    store::SnapshotCache& snapshots;

    core::Date Today() const;

    /// A follower (config.primary set): it takes no writes, so its pages offer none.
    bool ReadOnly() const { return !config.primary.empty(); }

    /// The snapshot at the repository's HEAD (SnapshotCache::At through a reader).
    std::shared_ptr<const store::Snapshot> Snapshot() const;

    /// `handler`, answered from `responses` while HEAD and the date stay the same, for
    /// requests from nobody signed in (a signed-in reader may see more, and sees their name).
    Handler Cached(Handler handler) const;
};

/// The signed-in user of `request`; throws Error(kUnauthorized) when nobody is signed in.
const User& RequireUser(const Request& request);

/// The git author of a change made by `user`.
store::Author AuthorOf(const User& user);

/// The request's user as the rules of core/access.hpp see them; nullopt when nobody is signed
/// in. Valid while the request lives.
std::optional<core::Actor> ActorOf(const Request& request);

/// Throws Error(kForbidden) with the problem in Swedish, when there is one.
void Forbid(const Site& site, const std::optional<core::Problem>& why);

/// What `request`'s user may find in search (core/access.hpp).
void SetSearchRights(const Request& request, indexer::SearchRequest& search);

/// A document id from a URL: Error(kBadInput) unless core::IsValidDocumentId, so path
/// tricks never reach the store.
const std::string& CheckDocumentId(const std::string& id);

/// The draft of document `id` (refs/drafts/<id>), when it has one that the request's user may
/// see (its owner, clerks and admins); nullopt otherwise.
std::optional<store::Document> FindVisibleDraft(const store::Store& store,
                                                const core::Schema& schema, const std::string& id,
                                                const Request& request);

/// The version of document `id` a request asks for, as the request's user may see it:
/// `?version=COMMIT` names a version (a commit of main, or the draft's commit), `?at=YYYY-MM-DD`
/// the version in force that day, `?draft=1` the draft, none of them the current version on
/// main. Throws Error(kNotFound) when there is none to show (or it is not
/// visible) and Error(kBadInput) for a malformed id, commit or date.
store::Document FindVisibleDocument(const Site& site, const store::Store& store,
                                    const std::string& id, const Request& request);

/// The problems of the documents `metadata` names in `implements`, `replaces` and `related`
/// (core::ValidateRelations) against the documents on main at `store`'s HEAD (the site's
/// snapshot) and the drafts of new documents. Empty when every id names a document.
std::vector<core::Problem> RelationProblems(const Site& site, const store::Store& store,
                                            const core::Metadata& metadata);

/// The site's address for absolute links (feeds, calendars): the configured public_url, else
/// the Host the request came to when it looks like a host name, else the listening address.
std::string SiteUrl(const Site& site, const Request& request);

/// A request by the same user for the current version (no ?version= or ?at=), for
/// FindVisibleDocument.
Request SameAsker(const Request& request);

// Each adds its routes; `site` outlives the router.
void AddApiRoutes(Router& router, const Site& site);
void AddSearchPageRoutes(Router& router, const Site& site);
void AddDocumentPageRoutes(Router& router, const Site& site);
void AddInformationPageRoutes(Router& router, const Site& site);
void AddFeedRoutes(Router& router, const Site& site);
void AddWriteApiRoutes(Router& router, const Site& site);
void AddSignInRoutes(Router& router, const Site& site);
void AddEditPageRoutes(Router& router, const Site& site);
void AddReviewRoutes(Router& router, const Site& site);
void AddDashboardRoutes(Router& router, const Site& site);

/// The HTML error page for a person; `code` is the JSON error code (read_only has a page of
/// its own wording).
Response ErrorPage(const Site& site, int status, std::string_view code, std::string_view message,
                   const Request& request);

}  // namespace styrdok::server
