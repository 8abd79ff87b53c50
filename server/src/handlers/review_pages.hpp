#pragma once

#include <optional>

#include "../render/templates.hpp"
#include "../router.hpp"
#include "../site.hpp"

namespace styrdok::server {

/// The web form for recording a review decision, GET and POST /documents/{id}/provning
/// (clerks and admins); AddReviewRoutes calls it. `site` outlives the router.
void AddReviewPageRoutes(Router& router, const Site& site);

/// The document page's keys about review (templates/README.md, "document.mustache"): the
/// recorded reviews of the `shown` version, newest first; for the current version, its review
/// state today and a pending revision; and the form's address for those who may record a
/// review of a document in force.
void AddReviewKeys(mstch::map& context, const Site& site, const Request& request,
                   const store::Document& shown, const std::optional<store::Document>& current);

}  // namespace styrdok::server
