#pragma once

#include <optional>

#include "styrdok/core/date.hpp"
#include "styrdok/core/schema.hpp"

namespace styrdok::core {

enum class ReviewState {
    kNotApplicable,  ///< the rule is "none", or the document is not in force
    kOk,
    kDue,
    kOverdue,
};

/// "ej aktuell", "ok", "due", "overdue" as used in the API.
std::string_view ReviewStateName(ReviewState state);

struct ReviewStatus {
    ReviewState state = ReviewState::kNotApplicable;
    std::optional<Date> due_on;      ///< the day it becomes (or became) due
    std::optional<Date> overdue_on;  ///< the day it becomes (or became) overdue
};

/// Inputs of the review computation for one document; kept small so the rule is testable
/// from tables of dates.
struct ReviewInput {
    ReviewRule rule;
    std::optional<Date> last_event;  ///< Metadata::LastEvent()
    std::optional<Date> review_due;  ///< an override decided for this document
    bool board_period = false;       ///< adopted by a nämnd sitting from 1 January
};

/// The review state of a document on `on` (DOMAIN.md, "Review"). Pure.
ReviewStatus ReviewStatusOn(const ReviewInput& input, Date on);

}  // namespace styrdok::core
