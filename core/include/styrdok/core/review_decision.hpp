#pragma once

// What recording an aktualitetsprövning does to a document (DOMAIN.md "Review", outcomes):
// the one place a review decision, a repeal included, is checked and applied. The review API,
// the review form and the repeal form all call ApplyReview.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "styrdok/core/access.hpp"
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

/// The most documents one decision may name (DESIGN.md, POST /api/reviews): a council's list
/// for a whole mandate period runs to a few dozen; more is a mistake or an attack.
inline constexpr std::size_t kMaxBatchDocuments = 200;

/// One document of a decision for many documents.
struct BatchEntry {
    std::string id;
    std::string outcome;  ///< as typed; empty: the decision's own outcome
};

/// One decision (one body, date and §) for many documents, as a client sent it: the decision's
/// outcome applies to every entry without its own.
struct BatchDecision {
    ReviewDecision decision;  ///< valid_to is not used: a repeal ends on the decision's date
    std::vector<BatchEntry> documents;
};

/// What is wrong with one entry of a batch, or (empty `id`) with the decision itself.
struct BatchProblem {
    std::string id;
    Problem problem;
};

/// What recording a batch does: one ReviewChange per entry, in the entries' order.
struct BatchChange {
    std::vector<ReviewChange> changes;  ///< unusable if there are problems
    std::vector<BatchProblem> problems;
};

/// The current metadata of a document by id; nullptr when there is none.
using FindDocument = std::function<const Metadata*(std::string_view id)>;

/// Checks a decision for many documents the way ApplyReview checks one, every entry before
/// any is applied, and applies it to each: all or nothing. Refuses an empty list, more than
/// kMaxBatchDocuments entries, an id twice, an id that names no document `actor` may see
/// (core::MaySee: one they may not see is answered as one that does not exist), and whatever
/// ApplyReview refuses for an entry with its outcome. A problem of the decision's own fields
/// (an unknown body, a date in the future) is reported once, with an empty id; a problem that
/// depends on the document (a body that does not decide for it, a draft) on its entry. Pure.
BatchChange ApplyBatchReview(const BatchDecision& batch, const FindDocument& find,
                             const Actor& actor, const Schema& schema, Date today);

/// True when `a` and `b` record the same decision: the same body on the same day in the same
/// paragraph (read with ParseParagraph, so "§ 12" is "§12"), or, when neither has a paragraph
/// (a civil servant's decision), the same non-empty dnr.
bool SameDecision(const ReviewRecord& a, const ReviewRecord& b);

/// The commit message of a decision for many documents: the decision on the first line
/// ("Aktualitetsprövning av Kommunfullmäktige 2026-11-20 § 12 (dnr KS 2026/0311): 3 dokument"),
/// then one line per document with its outcome ("- kulturprogram: revideras"). `changes` as
/// ApplyBatchReview made them, without problems.
std::string BatchSummary(const std::vector<ReviewChange>& changes, const Schema& schema);

/// The commit message of a recorded review ("Aktualitetsprövad av Kommunfullmäktige
/// 2026-11-20 § 12: fortsatt gällande").
std::string ReviewSummary(const ReviewRecord& record, const Schema& schema);

/// `adopted` (a draft being adopted) with the review record of `decided`, the version on main
/// it replaces: its reviews, last_reviewed_on and review_due. Only review decisions change
/// them, and they are recorded on main, so one recorded while the draft was written is kept
/// and a draft cannot bring back an older record.
Metadata WithReviewRecordOf(Metadata adopted, const Metadata& decided);

}  // namespace styrdok::core
