#pragma once

// Aktualitetsprövning of one document (DOMAIN.md, "Review"): what feeds the rule of
// core/review.hpp for a document's current version, the listings of the clerks' dashboard, the
// review API and the reminders, and fullmäktige's current period with its deadline. Pure: every
// caller (pages, API, calendar, reminders, report) asks these, so they cannot disagree.

#include <optional>
#include <string>

#include "styrdok/core/date.hpp"
#include "styrdok/core/mandate_period.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/review.hpp"
#include "styrdok/core/schema.hpp"

namespace styrdok::core {

/// The inputs of ReviewStatusOn for a document's current version as of `on`: its doctype's
/// rule (none for an unknown doctype), the last event on or before `on` (the decision always
/// counts; reviews and last_reviewed_on recorded after `on` do not, so a date in the past is
/// answered as it stood then), `review_due`, and `board_period` when the deciding body sits
/// from 1 January (every body that does not follow fullmäktige's period).
ReviewInput ReviewInputOf(const Metadata& metadata, const Schema& schema, Date on);

/// True when the version is one whose review clock runs on `on`: adopted (status gällande),
/// not past its valid_to, and not replaced by an adopted successor (`replaced`: a document on
/// the main branch whose metadata replaces this one). A version decided but not yet
/// applicable counts: its clock runs from the decision.
bool IsReviewable(const Metadata& metadata, Date on, bool replaced);

/// The review state of a document's current version on `on`: kNotApplicable when it is not
/// reviewable (IsReviewable) or its rule is none.
ReviewStatus ReviewStatusOf(const Metadata& metadata, const Schema& schema, Date on, bool replaced);

/// The last recorded review with outcome "revideras" that no later decision (a new version)
/// or review has followed: the document is being revised and stays in force meanwhile.
std::optional<ReviewRecord> PendingRevision(const Metadata& metadata);

/// The last day a review is on time: the day before `overdue_on`.
std::optional<Date> LastAllowedDay(const ReviewStatus& status);

/// Which review states a listing shows.
enum class ReviewFilter {
    kDue,      ///< due or overdue: needs a review now
    kOverdue,  ///< overdue only
    kAll,      ///< every document, whatever its state
};

/// True when a document in `status` is listed for `filter`.
bool IsListed(const ReviewStatus& status, ReviewFilter filter);

/// True when the document answers to `owner` (its owner or owner_email, case-insensitive;
/// empty: anyone) and `body` (its owner_body or decided_by; nullptr: any).
bool AnswersTo(const Metadata& metadata, const std::string& owner, const Body* body);

/// The body a document answers to in charts and reports: its owner_body, else the body that
/// adopted it.
const std::string& ResponsibleBody(const Metadata& metadata);

/// Fullmäktige's mandate period containing `on`, and its review deadline: the last day on
/// which the documents due at its start are on time (start + the smallest grace of the
/// schema's every-mandate-period doctypes; the start itself when there are none).
struct PeriodDeadline {
    MandatePeriod period;
    Date deadline;
};
std::optional<PeriodDeadline> CurrentPeriod(const Schema& schema, Date on);

}  // namespace styrdok::core
