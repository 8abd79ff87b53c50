#include "styrdok/core/review.hpp"

#include <algorithm>

#include "styrdok/core/mandate_period.hpp"

namespace styrdok::core {

namespace {

constexpr int kMonthsPerYear = 12;

struct Deadlines {
    Date due_on;
    Date overdue_on;
};

// The day after the last day allowed, so that "overdue after X" is `on >= OverdueOn(X)`.
Date OverdueOn(Date last_allowed_day, int grace_months) {
    return last_allowed_day.AddMonths(grace_months).AddDays(1);
}

// The first period of `kind` that starts after the one `last_event` falls in: the one in
// which the document is next to be taken up. Before the first period the calendar knows,
// that is the first period.
MandatePeriod NextPeriod(Date last_event, PeriodKind kind) {
    if (const auto current = PeriodContaining(last_event, kind)) {
        return *PeriodContaining(current->end.AddDays(1), kind);
    }
    return *PeriodAfterElection(kFirstElectionYear, kind);
}

std::optional<Deadlines> Computed(const ReviewInput& input, int grace_months) {
    if (!input.last_event) return std::nullopt;
    const Date last = *input.last_event;
    const PeriodKind kind = input.board_period ? PeriodKind::kBoard : PeriodKind::kCouncil;
    switch (input.rule.kind) {
        case ReviewRuleKind::kNone:
            return std::nullopt;
        case ReviewRuleKind::kEveryMandatePeriod: {
            const MandatePeriod next = NextPeriod(last, kind);
            return Deadlines{next.start, OverdueOn(next.start, grace_months)};
        }
        case ReviewRuleKind::kWithinPeriod: {
            const MandatePeriod next = NextPeriod(last, kind);
            return Deadlines{next.start, OverdueOn(next.end, grace_months)};
        }
        case ReviewRuleKind::kMonthsAfterElection: {
            if (input.rule.months <= 0) return std::nullopt;
            // PBL counts from the election of fullmäktige, which adopts the strategy, so a
            // nämnd's 1 January period has no say in which election a decision answers.
            const MandatePeriod next = NextPeriod(last, PeriodKind::kCouncil);
            return Deadlines{next.start, OverdueOn(next.election_day.AddMonths(input.rule.months),
                                                   grace_months)};
        }
        case ReviewRuleKind::kEveryMonths:
        case ReviewRuleKind::kYearly: {
            const int months =
                input.rule.kind == ReviewRuleKind::kYearly ? kMonthsPerYear : input.rule.months;
            if (months <= 0) return std::nullopt;
            const Date due = last.AddMonths(months);
            return Deadlines{due, OverdueOn(due, grace_months)};
        }
    }
    return std::nullopt;
}

}  // namespace

std::string_view ReviewStateName(ReviewState state) {
    switch (state) {
        case ReviewState::kNotApplicable:
            return "ej aktuell";
        case ReviewState::kOk:
            return "ok";
        case ReviewState::kDue:
            return "due";
        case ReviewState::kOverdue:
            return "overdue";
    }
    return "ej aktuell";
}

ReviewStatus ReviewStatusOn(const ReviewInput& input, Date on) {
    if (input.rule.kind == ReviewRuleKind::kNone || input.replaced) return {};
    if ((input.rule.kind == ReviewRuleKind::kEveryMonths ||
         input.rule.kind == ReviewRuleKind::kMonthsAfterElection) &&
        input.rule.months <= 0) {
        return {};
    }
    const int grace_months = std::max(0, input.rule.grace_months);

    std::optional<Deadlines> deadlines;
    // An override decided before the last review has been acted on; keeping it would leave
    // the document overdue for good however often it is reviewed.
    // The override is a decided last day ("aktualitetsprövas senast"), so no grace stretches it.
    if (input.review_due && (!input.last_event || *input.last_event < *input.review_due)) {
        deadlines = Deadlines{*input.review_due, OverdueOn(*input.review_due, 0)};
    } else {
        deadlines = Computed(input, grace_months);
    }
    if (!deadlines) return {};

    ReviewStatus status;
    status.due_on = deadlines->due_on;
    status.overdue_on = deadlines->overdue_on;
    if (on < deadlines->due_on) {
        status.state = ReviewState::kOk;
    } else if (on < deadlines->overdue_on) {
        status.state = ReviewState::kDue;
    } else {
        status.state = ReviewState::kOverdue;
    }
    return status;
}

}  // namespace styrdok::core
