#pragma once

// What recording an aktualitetsprövning does to a document (DOMAIN.md "Review", outcomes):
// the one place a review decision, a repeal included, is checked and applied. The review API,
// the review form and the repeal form all call ApplyReview.

#include <optional>
#include <string>
#include <vector>

#include "styrdok/core/date.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/problem.hpp"
#include "styrdok/core/schema.hpp"

namespace styrdok::core {

/// A review decision as a client sent it, every value as typed.
struct ReviewDecision {
    std::string decided_by;  ///< body id, abbreviation or name
    std::string decided_on;
    std::string paragraph;
    std::string dnr;
    std::string outcome;   ///< "fortsatt gällande", "revideras" or "upphävs"
    std::string valid_to;  ///< for "upphävs": the last day in force; empty: decided_on
};

/// What recording a review does to a document.
struct ReviewChange {
    Metadata after;  ///< the new metadata (category cleared, as stored)
    ReviewRecord record;
    std::vector<Problem> problems;  ///< each on its field; `after` is unusable if any
};

/// Checks `decision` against the document's current metadata and applies it: the record is
/// appended to `reviews` and `last_reviewed_on` moves to its date; "upphävs" also sets status
/// upphävd and `valid_to` (the given date, else the decision's); "revideras" changes nothing
/// else (PendingRevision tells). The rules: only a document in force (not a draft, not
/// repealed); a known body that decides for the body that adopted the document (itself or one
/// above it in its own line: Schema's hierarchy); a date not in the future and not before the
/// document's decision; a paragraph (§) when a political body decides; and no new problem of
/// core::Validate. The body is stored by its schema id. Pure.
ReviewChange ApplyReview(const Metadata& current, const ReviewDecision& decision,
                         const Schema& schema, Date today);

/// The commit message of a recorded review ("Aktualitetsprövad av Kommunfullmäktige
/// 2026-11-20 § 12: fortsatt gällande").
std::string ReviewSummary(const ReviewRecord& record, const Schema& schema);

}  // namespace styrdok::core
