// The review state of a document (core/document_review.hpp) over tables of dates, with the
// default schema: which rule and period a document follows, the listings, and fullmäktige's
// period with its deadline.
#include "styrdok/core/document_review.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "domain_cases.hpp"

namespace styrdok::core {
namespace {

using cases::D;
using cases::DefaultSchema;
using cases::Document;
using cases::OptD;

ReviewRecord Review(const char* by, const char* on, ReviewOutcome outcome) {
    return {by, D(on), "§ 2", "KS 2023/1", outcome};
}

struct StateCase {
    const char* name;
    Metadata metadata;
    const char* on;
    ReviewState state;
    const char* due_on;
    const char* overdue_on;
    bool replaced = false;
};

TEST(DocumentReview, FollowTheDoctypeRuleAndTheDecidingBodysPeriod) {
    const Metadata election_autumn = Document("policy", "kf", "2026-09-30");
    Metadata reviewed_later = Document("policy", "kf", "2018-02-26");
    reviewed_later.reviews = {Review("kf", "2026-11-16", ReviewOutcome::kKept)};
    Metadata marked_reviewed = Document("program", "kf", "2016-09-26");
    marked_reviewed.last_reviewed_on = D("2023-05-22");
    Metadata override_due = Document("plan", "kf", "2020-06-15");
    override_due.review_due = D("2027-12-31");
    Metadata budget = Document("budget", "kf", "2025-11-24");
    budget.valid_to = D("2026-12-31");
    Metadata repealed = Document("policy", "kf", "2015-03-30");
    repealed.status = Status::kRepealed;
    repealed.valid_to = D("2020-06-15");
    Metadata draft = Document("vision", "", nullptr);
    draft.status = Status::kDraft;
    Metadata not_yet_valid = Document("reglemente", "kf", "2026-11-16");
    not_yet_valid.valid_from = D("2027-01-01");

    const StateCase cases[] = {
        // fullmäktige's period 2022–2026 started 2022-10-15; grace 12 months.
        {"decided 2021: due since 2022-10-15, overdue a year later",
         Document("policy", "kf", "2021-05-24"), "2026-11-23", ReviewState::kOverdue, "2022-10-15",
         "2023-10-16"},
        {"after election day, before 15 October: the old council's decision is due",
         election_autumn, "2026-11-23", ReviewState::kDue, "2026-10-15", "2027-10-16"},
        {"the same decision the day before the new period", election_autumn, "2026-10-14",
         ReviewState::kOk, "2026-10-15", "2027-10-16"},
        {"the same decision on the grace's last day", election_autumn, "2027-10-15",
         ReviewState::kDue, "2026-10-15", "2027-10-16"},
        {"the same decision the day after the grace", election_autumn, "2027-10-16",
         ReviewState::kOverdue, "2026-10-15", "2027-10-16"},
        {"decided on 15 October: the new council's", Document("policy", "kf", "2026-10-15"),
         "2026-11-23", ReviewState::kOk, "2030-10-15", "2031-10-16"},
        // A nämnd sits from 1 January after the election year.
        {"a nämnd's decision waits for the nämnd's period",
         Document("riktlinje", "sn", "2024-03-20"), "2026-11-23", ReviewState::kOk, "2027-01-01",
         "2028-01-02"},
        {"and is due from 1 January", Document("riktlinje", "sn", "2024-03-20"), "2027-01-01",
         ReviewState::kDue, "2027-01-01", "2028-01-02"},
        {"kommunstyrelsen follows the nämnder", Document("delegationsordning", "ks", "2025-05-13"),
         "2026-12-31", ReviewState::kOk, "2027-01-01", "2028-01-02"},
        // regel: every 24 months, no grace; month ends clamp.
        {"24 months from 29 February end on 28 February", Document("regel", "ks", "2024-02-29"),
         "2026-02-27", ReviewState::kOk, "2026-02-28", "2026-03-01"},
        {"due on the clamped day", Document("regel", "ks", "2024-02-29"), "2026-02-28",
         ReviewState::kDue, "2026-02-28", "2026-03-01"},
        {"overdue the next day", Document("regel", "ks", "2024-02-29"), "2026-03-01",
         ReviewState::kOverdue, "2026-02-28", "2026-03-01"},
        {"31 January plus 24 months", Document("regel", "ks", "2024-01-31"), "2026-01-31",
         ReviewState::kDue, "2026-01-31", "2026-02-01"},
        {"yearly: due a year after the budget", budget, "2026-11-24", ReviewState::kDue,
         "2026-11-24", "2026-11-25"},
        {"yearly: not applicable past valid_to", budget, "2027-01-01", ReviewState::kNotApplicable,
         nullptr, nullptr},
        {"a review counts from its day on", reviewed_later, "2026-11-23", ReviewState::kOk,
         "2030-10-15", "2031-10-16"},
        {"and not before it", reviewed_later, "2026-11-01", ReviewState::kOverdue, "2018-10-15",
         "2019-10-16"},
        {"last_reviewed_on counts as a review", marked_reviewed, "2026-11-23", ReviewState::kDue,
         "2026-10-15", "2027-10-16"},
        // review_due is the last day: overdue the next, with no grace added (issue 16).
        {"review_due overrides the rule", override_due, "2026-11-23", ReviewState::kOk,
         "2027-12-31", "2028-01-01"},
        {"review_due reached", override_due, "2027-12-31", ReviewState::kDue, "2027-12-31",
         "2028-01-01"},
        {"review_due passed", override_due, "2028-01-01", ReviewState::kOverdue, "2027-12-31",
         "2028-01-01"},
        {"repealed documents are not reviewed", repealed, "2026-11-23", ReviewState::kNotApplicable,
         nullptr, nullptr},
        {"drafts are not reviewed", draft, "2026-11-23", ReviewState::kNotApplicable, nullptr,
         nullptr},
        {"decided, valid later: the clock runs from the decision", not_yet_valid, "2026-11-23",
         ReviewState::kOk, "2030-10-15", "2031-10-16"},
        {"an unknown doctype has no rule", Document("okand", "kf", "2010-01-01"), "2026-11-23",
         ReviewState::kNotApplicable, nullptr, nullptr},
        // budget-2026 after budget-2027, which replaces it, was adopted (DOMAIN.md: never due)
        {"replaced by an adopted successor: never due", budget, "2026-11-24",
         ReviewState::kNotApplicable, nullptr, nullptr, true},
        {"replaced, overdue by its own rule: still not due", Document("policy", "kf", "2021-05-24"),
         "2026-11-23", ReviewState::kNotApplicable, nullptr, nullptr, true},
    };
    for (const StateCase& c : cases) {
        SCOPED_TRACE(c.name);
        const ReviewStatus status =
            ReviewStatusOf(c.metadata, DefaultSchema(), D(c.on), c.replaced);
        EXPECT_EQ(ReviewStateName(status.state), ReviewStateName(c.state));
        EXPECT_EQ(status.due_on, OptD(c.due_on));
        EXPECT_EQ(status.overdue_on, OptD(c.overdue_on));
    }
}

TEST(DocumentReview, LastAllowedDayIsTheDayBeforeOverdue) {
    ReviewStatus status;
    EXPECT_EQ(LastAllowedDay(status), std::nullopt);
    status.overdue_on = D("2027-10-16");
    EXPECT_EQ(LastAllowedDay(status), D("2027-10-15"));
}

TEST(DocumentReview, AnswersToTheOwningOrTheDecidingBodyAndTheOwnerIgnoringCase) {
    Metadata m = Document("riktlinje", "kf", "2016-11-28");
    m.owner = "Överförmyndare";
    m.owner_body = "sbn";
    const Body* body = nullptr;
    std::string owner;
    body = DefaultSchema().FindBody("sbn");
    EXPECT_TRUE(AnswersTo(m, owner, body));
    body = DefaultSchema().FindBody("kf");
    EXPECT_TRUE(AnswersTo(m, owner, body));
    body = DefaultSchema().FindBody("sn");
    EXPECT_FALSE(AnswersTo(m, owner, body));
    body = nullptr;
    owner = "överförmyndare";
    EXPECT_TRUE(AnswersTo(m, owner, body));
    owner = "KOMMUNDIREKTOR@exempelby.se";
    EXPECT_TRUE(AnswersTo(m, owner, body));
    owner = "någon annan";
    EXPECT_FALSE(AnswersTo(m, owner, body));
}

TEST(DocumentReview, ListsDueWithOverdueAndOverdueAlone) {
    ReviewStatus status;
    for (auto [state, due, overdue] :
         {std::tuple{ReviewState::kNotApplicable, false, false},
          std::tuple{ReviewState::kOk, false, false}, std::tuple{ReviewState::kDue, true, false},
          std::tuple{ReviewState::kOverdue, true, true}}) {
        status.state = state;
        SCOPED_TRACE(ReviewStateName(state));
        EXPECT_EQ(IsListed(status, ReviewFilter::kDue), due);
        EXPECT_EQ(IsListed(status, ReviewFilter::kOverdue), overdue);
        EXPECT_TRUE(IsListed(status, ReviewFilter::kAll));
    }
}

TEST(DocumentReview, StatesTheCouncilPeriodAndItsDeadline) {
    std::optional<PeriodDeadline> current = CurrentPeriod(DefaultSchema(), D("2026-11-23"));
    ASSERT_TRUE(current);
    EXPECT_EQ(current->period.Label(), "2026–2030");
    EXPECT_EQ(current->period.start, D("2026-10-15"));
    EXPECT_EQ(current->deadline, D("2027-10-15"));
    current = CurrentPeriod(DefaultSchema(), D("2026-10-14"));
    ASSERT_TRUE(current);
    EXPECT_EQ(current->period.Label(), "2022–2026");
    EXPECT_FALSE(CurrentPeriod(DefaultSchema(), D("1990-01-01")));
}

}  // namespace
}  // namespace styrdok::core
