#pragma once

// The municipality's styrmodell on the site (issue 17): the page /styrmodell, the drawn
// neighbourhood on a document's page, and the clerk's dashboard section "Saknar koppling".
// The tree and the missing links are core's (core/styrmodell.hpp); this only gathers what a
// reader may see and renders it.

#include <functional>
#include <string>
#include <vector>

#include "../render/templates.hpp"
#include "../router.hpp"
#include "../site.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/styrmodell.hpp"
#include "styrdok/store/snapshot.hpp"

namespace styrdok::server {

/// The documents of `snapshot` in force on `day` that `request`'s reader may see, by id:
/// adopted, between valid_from and valid_to, and not replaced by a successor in force by
/// then. Judged from each document's current version.
std::vector<core::ChainDocument> InForceChainDocuments(const Site& site,
                                                       const store::Snapshot& snapshot,
                                                       const Request& request, core::Date day);

/// The template keys of the dashboard's section "Saknar koppling"
/// (templates/granskning-saknar-koppling.mustache): the documents in force today that
/// `shown` accepts, whose level expects them to implement something and that implement
/// nothing in force.
mstch::map MissingLinksContext(const Site& site, const store::Snapshot& snapshot,
                               const Request& request,
                               const std::function<bool(const core::Metadata&)>& shown);

/// The keys of templates/grannskap.mustache for the page of `shown` (the version on the
/// page): its relations one and two steps away, drawn, among the documents `request`'s
/// reader may see; `has_neighbourhood` false when it has none.
mstch::map NeighbourhoodContext(const Site& site, const store::Snapshot& snapshot,
                                const core::Metadata& shown, const Request& request);

/// GET /styrmodell. `site` outlives the router.
void AddStyrmodellRoutes(Router& router, const Site& site);

}  // namespace styrdok::server
