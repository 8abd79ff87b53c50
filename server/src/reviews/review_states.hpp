#pragma once

// Aktualitetsprövning in the server (issue 6, DOMAIN.md "Review"): the query of GET /api/reviews
// and what recording a review decision does to a document. The review state of a document is
// core/document_review.hpp.

#include <optional>
#include <string>
#include <vector>

#include "../handlers/edit_form.hpp"
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

/// A review decision as a client sent it, every value as typed.
struct ReviewDecision {
    std::string decided_by;
    std::string decided_on;
    std::string paragraph;
    std::string dnr;
    std::string outcome;   ///< "fortsatt gällande", "revideras" or "upphävs"
    std::string valid_to;  ///< for "upphävs": the last day in force; empty: decided_on
};

/// Why `user` may not record review decisions, as a Swedish sentence; nullopt for clerks and
/// admins, who register the decisions of every body.
std::optional<std::string> WhyNotRecordReview(const User& user);

/// What recording a review does to a document.
struct ReviewChange {
    core::Metadata after;  ///< the new metadata (category cleared, as stored)
    core::ReviewRecord record;
    std::vector<FormError> errors;  ///< Swedish, each on its field; `after` is unusable if any
};

/// Checks `decision` against the document's current metadata and DOMAIN.md, and applies it:
/// the record is appended to `reviews` and `last_reviewed_on` moves to its date; "upphävs"
/// also sets status upphävd and `valid_to` (the given date, else the decision's); "revideras"
/// changes nothing else (PendingRevision tells). The rules: only a document in force
/// (not a draft, not repealed); a known body that adopted the document or ranks above it
/// (fullmäktige > kommunstyrelsen > nämnd > förvaltning/bolag); a date not in the future and
/// not before the document's decision; a paragraph (§) when a political body decides; and no
/// new problem of core::Validate. The body is stored by its schema id.
ReviewChange ApplyReview(const core::Metadata& current, const ReviewDecision& decision,
                         const core::Schema& schema, core::Date today);

/// The commit message of a recorded review ("Aktualitetsprövad av Kommunfullmäktige
/// 2026-11-20 § 12: fortsatt gällande").
std::string ReviewSummary(const core::ReviewRecord& record, const core::Schema& schema);

}  // namespace styrdok::server
