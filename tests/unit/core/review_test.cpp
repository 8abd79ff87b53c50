#include "styrdok/core/review.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace styrdok::core {
namespace {

Date D(std::string_view text) { return Date::Parse(text).value(); }
std::optional<Date> OptD(const char* text) {
    return text ? std::optional<Date>(D(text)) : std::nullopt;
}

struct Case {
    const char* name;
    ReviewRule rule;
    const char* last_event;
    const char* review_due;
    bool board_period;
    const char* on;
    ReviewState state;
    const char* due_on;
    const char* overdue_on;
};

void Check(const Case& c, bool replaced = false) {
    SCOPED_TRACE(c.name);
    ReviewInput input;
    input.rule = c.rule;
    input.last_event = OptD(c.last_event);
    input.review_due = OptD(c.review_due);
    input.board_period = c.board_period;
    input.replaced = replaced;
    const ReviewStatus status = ReviewStatusOn(input, D(c.on));
    EXPECT_EQ(ReviewStateName(status.state), ReviewStateName(c.state));
    EXPECT_EQ(status.due_on, OptD(c.due_on));
    EXPECT_EQ(status.overdue_on, OptD(c.overdue_on));
}

constexpr ReviewRule kPeriodGrace12{ReviewRuleKind::kEveryMandatePeriod, 0, 12};
constexpr ReviewRule kPeriodNoGrace{ReviewRuleKind::kEveryMandatePeriod, 0, 0};
constexpr ReviewRule kWithin{ReviewRuleKind::kWithinPeriod, 0, 0};
constexpr ReviewRule kWithinGrace6{ReviewRuleKind::kWithinPeriod, 0, 6};
constexpr ReviewRule kMonths1{ReviewRuleKind::kEveryMonths, 1, 0};
constexpr ReviewRule kMonths12{ReviewRuleKind::kEveryMonths, 12, 0};
constexpr ReviewRule kMonths24Grace3{ReviewRuleKind::kEveryMonths, 24, 3};
constexpr ReviewRule kMonths48{ReviewRuleKind::kEveryMonths, 48, 0};
constexpr ReviewRule kYearly{ReviewRuleKind::kYearly, 0, 0};
constexpr ReviewRule kNoRule{ReviewRuleKind::kNone, 0, 0};
constexpr ReviewRule kElection24{ReviewRuleKind::kMonthsAfterElection, 24, 0};

constexpr auto kOk = ReviewState::kOk;
constexpr auto kDue = ReviewState::kDue;
constexpr auto kOverdue = ReviewState::kOverdue;
constexpr auto kNa = ReviewState::kNotApplicable;

TEST(Review, EveryMandatePeriodFallsDueWhenTheNewCouncilStarts) {
    const Case cases[] = {
        {"the day before the period", kPeriodGrace12, "2023-03-01", nullptr, false, "2026-10-14",
         kOk, "2026-10-15", "2027-10-16"},
        {"the first day of the period", kPeriodGrace12, "2023-03-01", nullptr, false, "2026-10-15",
         kDue, "2026-10-15", "2027-10-16"},
        {"the last day of the grace", kPeriodGrace12, "2023-03-01", nullptr, false, "2027-10-15",
         kDue, "2026-10-15", "2027-10-16"},
        {"the day after the grace", kPeriodGrace12, "2023-03-01", nullptr, false, "2027-10-16",
         kOverdue, "2026-10-15", "2027-10-16"},
        {"reviewed by the new council", kPeriodGrace12, "2026-10-15", nullptr, false, "2027-12-01",
         kOk, "2030-10-15", "2031-10-16"},
        {"missed two periods", kPeriodGrace12, "2018-05-01", nullptr, false, "2026-01-01", kOverdue,
         "2018-10-15", "2019-10-16"},
        {"no grace", kPeriodNoGrace, "2023-01-01", nullptr, false, "2026-10-15", kDue, "2026-10-15",
         "2026-10-16"},
        {"no grace, a day later", kPeriodNoGrace, "2023-01-01", nullptr, false, "2026-10-16",
         kOverdue, "2026-10-15", "2026-10-16"},
        {"before 2014 the period started on 1 November", kPeriodGrace12, "2009-06-01", nullptr,
         false, "2010-10-31", kOk, "2010-11-01", "2011-11-02"},
        {"1 November 2010", kPeriodGrace12, "2009-06-01", nullptr, false, "2010-11-01", kDue,
         "2010-11-01", "2011-11-02"},
        {"the 2010 period ends on 14 October 2014", kPeriodGrace12, "2014-10-14", nullptr, false,
         "2014-10-15", kDue, "2014-10-15", "2015-10-16"},
        {"decided before the first period", kPeriodGrace12, "1990-01-01", nullptr, false,
         "1994-12-01", kDue, "1994-11-01", "1995-11-02"},
    };
    for (const Case& c : cases) Check(c);
}

TEST(Review, DecisionBetweenElectionDayAndOctoberFifteenthIsTheOldCouncils) {
    const Case cases[] = {
        {"on election day", kPeriodGrace12, "2026-09-13", nullptr, false, "2026-10-20", kDue,
         "2026-10-15", "2027-10-16"},
        {"after election day", kPeriodGrace12, "2026-10-01", nullptr, false, "2026-10-20", kDue,
         "2026-10-15", "2027-10-16"},
        {"on 14 October", kPeriodGrace12, "2026-10-14", nullptr, false, "2026-10-15", kDue,
         "2026-10-15", "2027-10-16"},
        {"on 15 October", kPeriodGrace12, "2026-10-15", nullptr, false, "2026-10-20", kOk,
         "2030-10-15", "2031-10-16"},
        {"2018, after election day", kPeriodGrace12, "2018-09-20", nullptr, false, "2019-01-01",
         kDue, "2018-10-15", "2019-10-16"},
        {"2022, the day after election day", kPeriodGrace12, "2022-09-12", nullptr, false,
         "2022-10-15", kDue, "2022-10-15", "2023-10-16"},
        {"2022, the day before election day", kPeriodGrace12, "2022-09-10", nullptr, false,
         "2022-10-15", kDue, "2022-10-15", "2023-10-16"},
        {"2010: election on 19 September, period from 1 November", kPeriodGrace12, "2010-10-31",
         nullptr, false, "2010-11-01", kDue, "2010-11-01", "2011-11-02"},
        {"2010: decided by the new council", kPeriodGrace12, "2010-11-01", nullptr, false,
         "2011-06-01", kOk, "2014-10-15", "2015-10-16"},
    };
    for (const Case& c : cases) Check(c);
}

TEST(Review, BoardPeriodFallsDueOnFirstJanuaryAfterTheElection) {
    const Case cases[] = {
        {"after the election, in the old board period", kPeriodGrace12, "2026-10-01", nullptr, true,
         "2026-12-31", kOk, "2027-01-01", "2028-01-02"},
        {"first day of the board period", kPeriodGrace12, "2026-10-01", nullptr, true, "2027-01-01",
         kDue, "2027-01-01", "2028-01-02"},
        {"decided by the old board in December", kPeriodGrace12, "2026-12-15", nullptr, true,
         "2027-03-01", kDue, "2027-01-01", "2028-01-02"},
        {"decided in January", kPeriodGrace12, "2027-01-01", nullptr, true, "2028-06-01", kOk,
         "2031-01-01", "2032-01-02"},
        {"overdue", kPeriodGrace12, "2022-06-01", nullptr, true, "2024-01-02", kOverdue,
         "2023-01-01", "2024-01-02"},
        {"the old board's decision after 15 October counts for the old period", kPeriodGrace12,
         "2026-10-20", nullptr, true, "2027-01-01", kDue, "2027-01-01", "2028-01-02"},
        {"a nämnd following fullmäktige's period: decided after 15 October", kPeriodGrace12,
         "2026-10-20", nullptr, false, "2027-01-01", kOk, "2030-10-15", "2031-10-16"},
        {"a nämnd following fullmäktige's period: decided in the old period", kPeriodGrace12,
         "2026-10-01", nullptr, false, "2026-10-15", kDue, "2026-10-15", "2027-10-16"},
    };
    for (const Case& c : cases) Check(c);
}

TEST(Review, WithinPeriodStaysDueUntilThePeriodsEnd) {
    const Case cases[] = {
        {"adopted in the current period", kWithin, "2023-05-01", nullptr, false, "2025-01-01", kOk,
         "2026-10-15", "2030-10-15"},
        {"not yet adopted in the new period", kWithin, "2023-05-01", nullptr, false, "2027-01-01",
         kDue, "2026-10-15", "2030-10-15"},
        {"the period's last day", kWithin, "2023-05-01", nullptr, false, "2030-10-14", kDue,
         "2026-10-15", "2030-10-15"},
        {"the period missed", kWithin, "2023-05-01", nullptr, false, "2030-10-15", kOverdue,
         "2026-10-15", "2030-10-15"},
        {"adopted again", kWithin, "2027-02-01", nullptr, false, "2030-10-14", kOk, "2030-10-15",
         "2034-10-15"},
        {"with grace", kWithinGrace6, "2023-05-01", nullptr, false, "2031-04-14", kDue,
         "2026-10-15", "2031-04-15"},
        {"board period", kWithin, "2023-05-01", nullptr, true, "2027-01-01", kDue, "2027-01-01",
         "2031-01-01"},
        {"board period, before it starts", kWithin, "2023-05-01", nullptr, true, "2026-12-31", kOk,
         "2027-01-01", "2031-01-01"},
        // Riktlinjer för bostadsförsörjning (lag 2000:1383 2 §) and program för privata
        // utförare (kommunallagen 10 kap. 7 §): once in each mandate period.
        {"adopted by the old council after election day", kWithin, "2026-09-30", nullptr, false,
         "2026-11-23", kDue, "2026-10-15", "2030-10-15"},
        {"adopted by the new council", kWithin, "2026-11-16", nullptr, false, "2026-11-23", kOk,
         "2030-10-15", "2034-10-15"},
        {"a whole period missed", kWithin, "2017-03-01", nullptr, false, "2026-11-23", kOverdue,
         "2018-10-15", "2022-10-15"},
    };
    for (const Case& c : cases) Check(c);
}

TEST(Review, EveryNMonthsClampsToTheMonthsEnd) {
    const Case cases[] = {
        {"31 January + 1 month in a leap year", kMonths1, "2024-01-31", nullptr, false,
         "2024-02-29", kDue, "2024-02-29", "2024-03-01"},
        {"31 January + 1 month", kMonths1, "2025-01-31", nullptr, false, "2025-02-27", kOk,
         "2025-02-28", "2025-03-01"},
        {"leap day + 12 months, the day before", kMonths12, "2024-02-29", nullptr, false,
         "2025-02-27", kOk, "2025-02-28", "2025-03-01"},
        {"leap day + 12 months, on the day", kMonths12, "2024-02-29", nullptr, false, "2025-02-28",
         kDue, "2025-02-28", "2025-03-01"},
        {"leap day + 12 months, the day after", kMonths12, "2024-02-29", nullptr, false,
         "2025-03-01", kOverdue, "2025-02-28", "2025-03-01"},
        {"leap day + 48 months", kMonths48, "2020-02-29", nullptr, false, "2024-01-01", kOk,
         "2024-02-29", "2024-03-01"},
        {"grace after a clamped due day", kMonths24Grace3, "2023-11-30", nullptr, false,
         "2026-02-28", kDue, "2025-11-30", "2026-03-01"},
        {"grace over", kMonths24Grace3, "2023-11-30", nullptr, false, "2026-03-01", kOverdue,
         "2025-11-30", "2026-03-01"},
    };
    for (const Case& c : cases) Check(c);
}

TEST(Review, YearlyIsEveryTwelveMonths) {
    ReviewRule yearly_with_stray_months = kYearly;
    yearly_with_stray_months.months = 5;
    const Case cases[] = {
        {"leap day", kYearly, "2024-02-29", nullptr, false, "2025-02-28", kDue, "2025-02-28",
         "2025-03-01"},
        {"before", kYearly, "2025-06-10", nullptr, false, "2026-06-09", kOk, "2026-06-10",
         "2026-06-11"},
        {"months is ignored", yearly_with_stray_months, "2025-06-10", nullptr, false, "2026-01-01",
         kOk, "2026-06-10", "2026-06-11"},
    };
    for (const Case& c : cases) Check(c);
}

TEST(Review, ReviewDueOverridesTheComputedDate) {
    const Case cases[] = {
        {"earlier than computed", kMonths12, "2024-01-10", "2024-06-30", false, "2024-07-01",
         kOverdue, "2024-06-30", "2024-07-01"},
        {"on the override", kMonths12, "2024-01-10", "2024-06-30", false, "2024-06-30", kDue,
         "2024-06-30", "2024-07-01"},
        {"later than computed", kMonths12, "2024-01-10", "2027-01-01", false, "2025-06-01", kOk,
         "2027-01-01", "2027-01-02"},
        {"with a mandate period rule: no grace on the override", kPeriodGrace12, "2023-01-10",
         "2025-03-31", false, "2026-01-01", kOverdue, "2025-03-31", "2025-04-01"},
        {"the override's last day, grace in the rule", kPeriodGrace12, "2020-06-15", "2027-12-31",
         false, "2027-12-31", kDue, "2027-12-31", "2028-01-01"},
        {"the day after the override, grace in the rule", kPeriodGrace12, "2020-06-15",
         "2027-12-31", false, "2028-01-01", kOverdue, "2027-12-31", "2028-01-01"},
        {"no grace on the override of a months rule", kMonths24Grace3, "2024-01-10", "2025-03-31",
         false, "2025-04-01", kOverdue, "2025-03-31", "2025-04-01"},
        {"with a within-period rule", kWithin, "2023-01-10", "2025-03-31", false, "2025-04-01",
         kOverdue, "2025-03-31", "2025-04-01"},
        {"without a last event", kMonths12, nullptr, "2025-03-31", false, "2025-01-01", kOk,
         "2025-03-31", "2025-04-01"},
        {"met by a later review", kMonths12, "2025-01-10", "2024-12-31", false, "2025-06-01", kOk,
         "2026-01-10", "2026-01-11"},
        {"met by a review on the day", kMonths12, "2024-12-31", "2024-12-31", false, "2025-06-01",
         kOk, "2025-12-31", "2026-01-01"},
    };
    for (const Case& c : cases) Check(c);
}

// Planeringsstrategi, PBL 3 kap. 30 §: within 24 months of election day.
TEST(Review, MonthsAfterElectionCountsFromElectionDay) {
    const Case cases[] = {
        {"adopted in the old period, before the new one", kElection24, "2024-06-17", nullptr, false,
         "2026-10-14", kOk, "2026-10-15", "2028-09-14"},
        {"the new period's first day", kElection24, "2024-06-17", nullptr, false, "2026-10-15",
         kDue, "2026-10-15", "2028-09-14"},
        {"24 months after election day", kElection24, "2024-06-17", nullptr, false, "2028-09-13",
         kDue, "2026-10-15", "2028-09-14"},
        {"the day after", kElection24, "2024-06-17", nullptr, false, "2028-09-14", kOverdue,
         "2026-10-15", "2028-09-14"},
        {"adopted after election day by the old council", kElection24, "2026-09-30", nullptr, false,
         "2026-11-23", kDue, "2026-10-15", "2028-09-14"},
        {"adopted by the new council", kElection24, "2026-10-20", nullptr, false, "2028-10-01", kOk,
         "2030-10-15", "2032-09-09"},
        {"a nämnd's period does not move the deadline", kElection24, "2026-10-20", nullptr, true,
         "2028-10-01", kOk, "2030-10-15", "2032-09-09"},
        {"a whole period missed", kElection24, "2018-05-01", nullptr, false, "2026-01-01", kOverdue,
         "2018-10-15", "2020-09-10"},
    };
    for (const Case& c : cases) Check(c);
}

// budget-2026 once budget-2027, which replaces it, is adopted; the same for every yearly
// verksamhetsplan and VIP.
TEST(Review, ReplacedDocumentIsNeverDue) {
    const Case cases[] = {
        {"yearly, past its year", kYearly, "2025-11-24", nullptr, false, "2026-11-25", kNa, nullptr,
         nullptr},
        {"every mandate period", kPeriodGrace12, "2018-05-01", nullptr, false, "2026-11-23", kNa,
         nullptr, nullptr},
        {"with an override", kMonths12, "2024-01-10", "2024-06-30", false, "2025-01-01", kNa,
         nullptr, nullptr},
        {"before it would be due", kMonths48, "2024-01-10", nullptr, false, "2025-01-01", kNa,
         nullptr, nullptr},
    };
    for (const Case& c : cases) Check(c, /*replaced=*/true);
}

TEST(Review, IsNotApplicableWithoutARuleOrADate) {
    const ReviewRule zero_months{ReviewRuleKind::kEveryMonths, 0, 0};
    const Case cases[] = {
        {"rule none", kNoRule, "2020-01-01", nullptr, false, "2030-01-01", kNa, nullptr, nullptr},
        {"rule none with an override", kNoRule, "2020-01-01", "2021-01-01", false, "2030-01-01",
         kNa, nullptr, nullptr},
        {"no last event", kMonths12, nullptr, nullptr, false, "2030-01-01", kNa, nullptr, nullptr},
        {"no last event, mandate period", kPeriodGrace12, nullptr, nullptr, false, "2030-01-01",
         kNa, nullptr, nullptr},
        {"zero months", zero_months, "2020-01-01", nullptr, false, "2030-01-01", kNa, nullptr,
         nullptr},
        {"zero months after election", ReviewRule{ReviewRuleKind::kMonthsAfterElection, 0, 0},
         "2020-01-01", nullptr, false, "2030-01-01", kNa, nullptr, nullptr},
    };
    for (const Case& c : cases) Check(c);
}

TEST(Review, NegativeGraceCountsAsNone) {
    Check({"negative grace", ReviewRule{ReviewRuleKind::kEveryMonths, 12, -3}, "2025-01-15",
           nullptr, false, "2026-01-16", kOverdue, "2026-01-15", "2026-01-16"});
}

TEST(Review, StateNamesAreTheApisWords) {
    EXPECT_EQ(ReviewStateName(ReviewState::kNotApplicable), "ej aktuell");
    EXPECT_EQ(ReviewStateName(ReviewState::kOk), "ok");
    EXPECT_EQ(ReviewStateName(ReviewState::kDue), "due");
    EXPECT_EQ(ReviewStateName(ReviewState::kOverdue), "overdue");
}

}  // namespace
}  // namespace styrdok::core
