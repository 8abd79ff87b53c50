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
    /// An adopted document `replaces` this one: the registry knows it, the rule does not.
    /// Such a document leaves force when its successor takes effect, so it is never due.
    bool replaced = false;
};

/// The review state of a document on `on` (DOMAIN.md, "Review"). Pure.
///
/// Every rule yields two days from `last_event`: `due_on`, when the review falls due, and
/// `overdue_on`. The state is kOk before `due_on`, kDue from it, kOverdue from `overdue_on`.
/// `grace_months` (negative counts as 0) applies to every computed kind: the review is
/// overdue from the day after (last allowed day + grace_months).
/// - kEveryMandatePeriod: due on the start of the first period after the one `last_event`
///   lies in (council period, or board period when `board_period`); the last allowed day
///   is that start, so with no grace it is overdue the next day. A decision between
///   election day and 15 October lies in the old council period, so it is due at once.
/// - kWithinPeriod: due on the start of the next period as above, where it stays kDue while
///   that period lasts; the last allowed day is the period's end.
/// - kMonthsAfterElection: due on the start of the next council period (whoever adopted
///   it: the law counts from fullmäktige's election); the last allowed day is that
///   period's election day + `months`. A non-positive `months` gives kNotApplicable.
/// - kEveryMonths / kYearly (12): due on `last_event` + months, clamped to the month's end;
///   that is the last allowed day. A non-positive `months` gives kNotApplicable.
/// - `review_due` later than `last_event` (or without one) replaces the computed days: it is
///   the due day and the last allowed day, with no grace added, so the document is overdue
///   from the next day. One on or before `last_event` was met by that event and is ignored.
/// kNone, `replaced`, or no `last_event` and no applicable `review_due`, give kNotApplicable
/// without dates. Whether the document is in force at all is the caller's to check.
ReviewStatus ReviewStatusOn(const ReviewInput& input, Date on);

}  // namespace styrdok::core
