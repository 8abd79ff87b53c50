#pragma once

// Aktualitetsprövning in the server (issue 6, DOMAIN.md "Review"): the review state of every
// document as of any date, the query of GET /api/reviews, and what recording a review decision
// does to a document. The rule itself is core::ReviewStatusOn; this is what feeds it.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "../handlers/edit_form.hpp"
#include "../http.hpp"
#include "styrdok/core/date.hpp"
#include "styrdok/core/mandate_period.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/review.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::server {

/// The inputs of core::ReviewStatusOn for a document's current version as of `on`: its
/// doctype's rule (none for an unknown doctype), the last event on or before `on` (the
/// decision always counts; reviews and last_reviewed_on recorded after `on` do not, so a date
/// in the past is answered as it stood then), `review_due`, and `board_period` when the
/// deciding body sits from 1 January (every body that does not follow fullmäktige's period:
/// kommunstyrelsen, the nämnder, the administration and the companies).
core::ReviewInput ReviewInputOf(const core::Metadata& metadata, const core::Schema& schema,
                                core::Date on);

/// True when the version is adopted and in force on `on` as far as review goes: status
/// gällande and not past its valid_to. (A version decided but not yet applicable counts: its
/// review clock runs from the decision.)
bool IsReviewable(const core::Metadata& metadata, core::Date on);

/// The review state of a document's current version on `on`: kNotApplicable when it is not
/// reviewable (IsReviewable) or its rule is none.
core::ReviewStatus ReviewStatusOf(const core::Metadata& metadata, const core::Schema& schema,
                                  core::Date on);

/// The last recorded review with outcome "revideras" that no later decision (a new version)
/// or review has followed: the document is being revised and stays in force meanwhile.
std::optional<core::ReviewRecord> PendingRevision(const core::Metadata& metadata);

/// The last day a review is on time: the day before `overdue_on`.
std::optional<core::Date> LastAllowedDay(const core::ReviewStatus& status);

/// Which states GET /api/reviews lists.
enum class ReviewFilter {
    kDue,      ///< due or overdue: needs a review now
    kOverdue,  ///< overdue only
    kAll,      ///< every document, whatever its state
};

/// GET /api/reviews' parameters.
struct ReviewQuery {
    ReviewFilter filter = ReviewFilter::kAll;
    std::string owner;                 ///< owner or owner_email, case-insensitive; empty: any
    const core::Body* body = nullptr;  ///< owner_body or decided_by; nullptr: any
    core::Date on;
};

/// Reads state, owner, body and on (default `today`). Throws Error(kBadInput) with a Swedish
/// message for an unknown state or body, a malformed date and repeated parameters.
ReviewQuery ParseReviewQuery(const Request& request, const core::Schema& schema, core::Date today);

/// True when `metadata` matches the query's owner and body.
bool MatchesReviewQuery(const core::Metadata& metadata, const ReviewQuery& query);

/// True when a document in `status` is listed for `filter`.
bool IsListed(const core::ReviewStatus& status, ReviewFilter filter);

/// Fullmäktige's mandate period containing `on`, and its review deadline: the last day on
/// which the documents due at its start are on time (start + the smallest grace of the
/// schema's every-mandate-period doctypes; the start itself when there are none).
struct PeriodDeadline {
    core::MandatePeriod period;
    core::Date deadline;
};
std::optional<PeriodDeadline> CurrentPeriod(const core::Schema& schema, core::Date on);

/// The current metadata of every document at the store's HEAD, kept between requests and
/// brought up to date from the documents changed since (Store::ChangedBetween). Thread-safe;
/// the returned list is immutable and stays valid after HEAD moves.
///
/// Cost: the first call reads every document (Store::Read: a blob read and an XML parse
/// each; about 0.1 ms a document (5 ms for the 56 of the sample corpus, measured), so some
/// 10 s for 100 000 documents (estimated, not measured), once per server
/// start); a call after HEAD moved costs one tree diff and a read per changed document; a
/// call with HEAD unchanged costs nothing. The states are then computed per request from
/// the list: ReviewStatusOf is a few date additions (estimated 20 ms for 100 000 documents).
class ReviewCatalog {
public:
    using Documents = std::vector<std::shared_ptr<const core::Metadata>>;  ///< sorted by id

    /// The documents at `store`'s HEAD (empty for an empty repository).
    std::shared_ptr<const Documents> At(const store::Store& store);

private:
    std::mutex mutex_;
    std::optional<std::string> head_;
    std::shared_ptr<const Documents> documents_ = std::make_shared<Documents>();
};

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
