#pragma once

// The query of GET /api/reviews and /reviews.ics (issue 6): which documents, whose, as of which
// day. What the review state of a document is, is core/document_review.hpp.

#include <optional>
#include <string>
#include <vector>

#include "../http.hpp"
#include "styrdok/core/date.hpp"
#include "styrdok/core/document_review.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/review.hpp"
#include "styrdok/core/schema.hpp"

namespace styrdok::server {

/// GET /api/reviews' parameters.
struct ReviewQuery {
    core::ReviewFilter filter = core::ReviewFilter::kAll;
    std::string owner;                 ///< owner or owner_email, case-insensitive; empty: any
    const core::Body* body = nullptr;  ///< owner_body or decided_by; nullptr: any
    core::Date on;
};

/// Reads state, owner, body and on (default `today`). Throws Error(kBadInput) with a Swedish
/// message for an unknown state or body, a malformed date and repeated parameters.
ReviewQuery ParseReviewQuery(const Request& request, const core::Schema& schema, core::Date today);

}  // namespace styrdok::server
