#include "styrdok/core/document_review.hpp"

#include <algorithm>

#include "styrdok/core/utf8.hpp"

namespace styrdok::core {

namespace {

void Consider(std::optional<Date>& last, Date date) {
    if (!last || *last < date) last = date;
}

// Metadata::LastEvent, but blind to what was decided after `on`.
std::optional<Date> LastEventOn(const Metadata& metadata, Date on) {
    std::optional<Date> last = metadata.decided_on;
    if (metadata.last_reviewed_on && *metadata.last_reviewed_on <= on) {
        Consider(last, *metadata.last_reviewed_on);
    }
    for (const ReviewRecord& review : metadata.reviews) {
        if (review.decided_on <= on) Consider(last, review.decided_on);
    }
    return last;
}

bool SameText(const std::string& a, const std::string& b) {
    if (a == b) return true;
    if (!IsValidUtf8(a) || !IsValidUtf8(b)) return false;
    return FoldCase(a) == FoldCase(b);
}

}  // namespace

ReviewInput ReviewInputOf(const Metadata& metadata, const Schema& schema, Date on) {
    ReviewInput input;
    if (const DocType* type = schema.FindDocType(metadata.doctype)) input.rule = type->review;
    input.last_event = LastEventOn(metadata, on);
    input.review_due = metadata.review_due;
    const Body* body = schema.FindBody(metadata.decided_by);
    input.board_period = body != nullptr && !body->follows_council_period;
    return input;
}

bool IsReviewable(const Metadata& metadata, Date on, bool replaced) {
    // DOMAIN.md: a document replaced by an adopted successor is never due; it ends when the
    // successor takes effect, or at its own valid_to.
    if (replaced || metadata.status != Status::kInForce) return false;
    return !metadata.valid_to || on <= *metadata.valid_to;
}

ReviewStatus ReviewStatusOf(const Metadata& metadata, const Schema& schema, Date on,
                            bool replaced) {
    if (!IsReviewable(metadata, on, replaced)) return {};
    return ReviewStatusOn(ReviewInputOf(metadata, schema, on), on);
}

std::optional<ReviewRecord> PendingRevision(const Metadata& metadata) {
    const ReviewRecord* last = nullptr;
    for (const ReviewRecord& review : metadata.reviews) {
        if (last == nullptr || last->decided_on <= review.decided_on) last = &review;
    }
    if (last == nullptr || last->outcome != ReviewOutcome::kToBeRevised) return std::nullopt;
    // A version decided after the review is the revision.
    if (metadata.decided_on && *metadata.decided_on > last->decided_on) return std::nullopt;
    return *last;
}

std::optional<Date> LastAllowedDay(const ReviewStatus& status) {
    if (!status.overdue_on) return std::nullopt;
    return status.overdue_on->AddDays(-1);
}

bool IsListed(const ReviewStatus& status, ReviewFilter filter) {
    switch (filter) {
        case ReviewFilter::kAll:
            return true;
        case ReviewFilter::kDue:
            return status.state == ReviewState::kDue || status.state == ReviewState::kOverdue;
        case ReviewFilter::kOverdue:
            return status.state == ReviewState::kOverdue;
    }
    return false;
}

bool AnswersTo(const Metadata& metadata, const std::string& owner, const Body* body) {
    if (!owner.empty() && !SameText(metadata.owner, owner) &&
        !SameText(metadata.owner_email, owner)) {
        return false;
    }
    return body == nullptr || metadata.owner_body == body->id || metadata.decided_by == body->id;
}

const std::string& ResponsibleBody(const Metadata& metadata) {
    return metadata.owner_body.empty() ? metadata.decided_by : metadata.owner_body;
}

std::optional<PeriodDeadline> CurrentPeriod(const Schema& schema, Date on) {
    std::optional<MandatePeriod> period = PeriodContaining(on);
    if (!period) return std::nullopt;
    std::optional<int> grace;
    for (const DocType& type : schema.doctypes()) {
        if (type.review.kind != ReviewRuleKind::kEveryMandatePeriod) continue;
        const int months = std::max(0, type.review.grace_months);
        if (!grace || months < *grace) grace = months;
    }
    return PeriodDeadline{*period, period->start.AddMonths(grace.value_or(0))};
}

}  // namespace styrdok::core
