#pragma once

// What happened to a body's governing documents in one calendar year (DOMAIN.md "Review"): the
// review decisions, the revisions, the repeals, and what was overdue when the year ended. Read
// from each document's versions, so that a past year's report shows that year as it was, not
// today's metadata. Pure: the store reads the versions, the server renders the report.

#include <optional>
#include <string>
#include <vector>

#include "styrdok/core/date.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/schema.hpp"

namespace styrdok::core {

/// One document as the report reads it: its versions on main, oldest first, and the decisions
/// of the adopted documents that replace it (the day each successor was decided).
struct DocumentHistory {
    std::vector<const Metadata*> versions;
    std::vector<Date> successors_decided_on;
};

enum class YearEventKind { kReviewed, kRevised, kRepealed, kOverdue };

/// One line of the report. `document` points into the history it came from: the version the
/// event belongs to (for kOverdue, the version that applied when the year ended).
struct YearEvent {
    YearEventKind kind = YearEventKind::kReviewed;
    const Metadata* document = nullptr;
    Date date;  ///< the decision, the last day a repealed document applied, or the review deadline
    std::optional<ReviewOutcome> outcome;  ///< kReviewed only
    std::string decided_by;  ///< body id of the decision (kOverdue: of the version's decision)
    std::string paragraph;   ///< the decision's §; empty for kOverdue
};

struct YearReport {
    int year = 0;
    Date end;  ///< the year's last day, or `today` while the year is not over
    std::vector<YearEvent> reviewed, revised, repealed, overdue;  ///< each by date, then id
};

/// The version of `history` that applied to the registry's knowledge on `day`: the last one
/// whose every decision (its own, and each review it records) was taken on or before `day`.
/// nullptr when none was (the document was decided later, or is a draft throughout).
const Metadata* VersionKnownOn(const DocumentHistory& history, Date day);

/// The report of `year` as seen on `today`, over `histories`:
/// - reviewed: each review decision taken in the year (once, though later versions repeat it);
/// - revised: each version decided in the year over an earlier decision (corrections of a
///   version, which keep its decision date, count once);
/// - repealed: each document whose last day in force (valid_to, else the day of its repeal
///   decision) falls in the year, with the body and § of the repeal decision;
/// - overdue: each document whose review was overdue (ReviewStatusOf) on the year's last day
///   (or today), judged on VersionKnownOn that day and the reviews and successors decided by then.
YearReport ComposeYearReport(int year, Date today, const std::vector<DocumentHistory>& histories,
                             const Schema& schema);

}  // namespace styrdok::core
