// The server's review module (issue 6) over tables of dates, with the default schema: which
// rule and period a document follows, what a recorded review does, and the query of
// GET /api/reviews.
#include "reviews/review_states.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "styrdok/core/error.hpp"
#include "styrdok/testing/sandbox.hpp"

namespace styrdok::server {
namespace {

core::Date D(std::string_view text) { return core::Date::Parse(text).value(); }
std::optional<core::Date> OptD(const char* text) {
    return text ? std::optional<core::Date>(D(text)) : std::nullopt;
}

const core::Schema& DefaultSchema() {
    static const core::Schema schema =
        core::Schema::Load(testing::SourceDir() / "schema/default.xml");
    return schema;
}

core::Metadata Document(const char* doctype, const char* decided_by, const char* decided_on) {
    core::Metadata m;
    m.id = "dokument";
    m.title = "Dokument";
    m.doctype = doctype;
    m.decided_by = decided_by;
    m.decided_on = OptD(decided_on);
    m.paragraph = "§ 1";
    m.dnr = "KS 2020/1";
    m.owner = "Kommundirektör";
    m.owner_email = "kommundirektor@exempelby.se";
    m.owner_body = "ks";
    return m;
}

core::ReviewRecord Review(const char* by, const char* on, core::ReviewOutcome outcome) {
    return {by, D(on), "§ 2", "KS 2023/1", outcome};
}

struct StateCase {
    const char* name;
    core::Metadata metadata;
    const char* on;
    core::ReviewState state;
    const char* due_on;
    const char* overdue_on;
};

TEST(ReviewStates, FollowTheDoctypeRuleAndTheDecidingBodysPeriod) {
    using core::ReviewState;
    const core::Metadata election_autumn = Document("policy", "kf", "2026-09-30");
    core::Metadata reviewed_later = Document("policy", "kf", "2018-02-26");
    reviewed_later.reviews = {Review("kf", "2026-11-16", core::ReviewOutcome::kKept)};
    core::Metadata marked_reviewed = Document("program", "kf", "2016-09-26");
    marked_reviewed.last_reviewed_on = D("2023-05-22");
    core::Metadata override_due = Document("plan", "kf", "2020-06-15");
    override_due.review_due = D("2027-12-31");
    core::Metadata budget = Document("budget", "kf", "2025-11-24");
    budget.valid_to = D("2026-12-31");
    core::Metadata repealed = Document("policy", "kf", "2015-03-30");
    repealed.status = core::Status::kRepealed;
    repealed.valid_to = D("2020-06-15");
    core::Metadata draft = Document("vision", "", nullptr);
    draft.status = core::Status::kDraft;
    core::Metadata not_yet_valid = Document("reglemente", "kf", "2026-11-16");
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
        // review_due is the last day: overdue the next, with no grace added.
        {"review_due overrides the rule", override_due, "2026-11-23", ReviewState::kOk,
         "2027-12-31", "2028-01-01"},
        {"review_due reached", override_due, "2027-12-31", ReviewState::kDue, "2027-12-31",
         "2028-01-01"},
        {"repealed documents are not reviewed", repealed, "2026-11-23", ReviewState::kNotApplicable,
         nullptr, nullptr},
        {"drafts are not reviewed", draft, "2026-11-23", ReviewState::kNotApplicable, nullptr,
         nullptr},
        {"decided, valid later: the clock runs from the decision", not_yet_valid, "2026-11-23",
         ReviewState::kOk, "2030-10-15", "2031-10-16"},
        {"an unknown doctype has no rule", Document("okand", "kf", "2010-01-01"), "2026-11-23",
         ReviewState::kNotApplicable, nullptr, nullptr},
    };
    for (const StateCase& c : cases) {
        SCOPED_TRACE(c.name);
        const core::ReviewStatus status = ReviewStatusOf(c.metadata, DefaultSchema(), D(c.on));
        EXPECT_EQ(core::ReviewStateName(status.state), core::ReviewStateName(c.state));
        EXPECT_EQ(status.due_on, OptD(c.due_on));
        EXPECT_EQ(status.overdue_on, OptD(c.overdue_on));
    }
}

TEST(ReviewStates, LastAllowedDayIsTheDayBeforeOverdue) {
    core::ReviewStatus status;
    EXPECT_EQ(LastAllowedDay(status), std::nullopt);
    status.overdue_on = D("2027-10-16");
    EXPECT_EQ(LastAllowedDay(status), D("2027-10-15"));
}

ReviewDecision Decision(const char* by, const char* on, const char* outcome,
                        const char* paragraph = "§ 12") {
    return {by, on, paragraph, "KS 2026/0311", outcome, ""};
}

const core::Date kToday = D("2026-11-23");

TEST(ApplyReview, KeptAppendsTheRecordAndRestartsTheClock) {
    const core::Metadata before = Document("policy", "kf", "2021-05-24");
    ReviewChange change = ApplyReview(before, Decision("KF", "2026-11-20", "fortsatt gällande"),
                                      DefaultSchema(), kToday);
    ASSERT_TRUE(change.errors.empty()) << change.errors.front().message;
    ASSERT_EQ(change.after.reviews.size(), 1u);
    EXPECT_EQ(change.after.reviews[0].decided_by, "kf");  // stored by id
    EXPECT_EQ(change.after.reviews[0].outcome, core::ReviewOutcome::kKept);
    EXPECT_EQ(change.after.last_reviewed_on, D("2026-11-20"));
    EXPECT_EQ(change.after.status, core::Status::kInForce);
    EXPECT_FALSE(PendingRevision(change.after));
    EXPECT_EQ(ReviewStatusOf(change.after, DefaultSchema(), kToday).state, core::ReviewState::kOk);
    EXPECT_EQ(ReviewSummary(change.record, DefaultSchema()),
              "Aktualitetsprövad av Kommunfullmäktige 2026-11-20 § 12: fortsatt gällande");
}

TEST(ApplyReview, ToBeRevisedKeepsTheDocumentInForceUntilANewVersion) {
    const core::Metadata before = Document("policy", "kf", "2021-05-24");
    ReviewChange change =
        ApplyReview(before, Decision("kf", "2026-11-20", "revideras"), DefaultSchema(), kToday);
    ASSERT_TRUE(change.errors.empty());
    EXPECT_EQ(change.after.status, core::Status::kInForce);
    ASSERT_TRUE(PendingRevision(change.after));
    EXPECT_EQ(PendingRevision(change.after)->decided_on, D("2026-11-20"));
    core::Metadata revised = change.after;
    revised.decided_on = D("2026-11-22");
    EXPECT_FALSE(PendingRevision(revised));
}

TEST(ApplyReview, RepealedEndsValidityOnTheDecisionOrTheGivenDay) {
    const core::Metadata before = Document("policy", "kf", "2021-05-24");
    ReviewChange change =
        ApplyReview(before, Decision("kf", "2026-11-20", "upphävs"), DefaultSchema(), kToday);
    ASSERT_TRUE(change.errors.empty());
    EXPECT_EQ(change.after.status, core::Status::kRepealed);
    EXPECT_EQ(change.after.valid_to, D("2026-11-20"));
    EXPECT_EQ(ReviewStatusOf(change.after, DefaultSchema(), kToday).state,
              core::ReviewState::kNotApplicable);

    ReviewDecision later = Decision("kf", "2026-11-20", "upphävs");
    later.valid_to = "2026-12-31";
    change = ApplyReview(before, later, DefaultSchema(), kToday);
    ASSERT_TRUE(change.errors.empty());
    EXPECT_EQ(change.after.valid_to, D("2026-12-31"));
}

struct RefusalCase {
    const char* name;
    core::Metadata document;
    ReviewDecision decision;
    const char* field;
    const char* message_part;
};

TEST(ApplyReview, RefusesWhatDomainRulesForbid) {
    core::Metadata draft = Document("vision", "", nullptr);
    draft.status = core::Status::kDraft;
    core::Metadata repealed = Document("policy", "kf", "2015-03-30");
    repealed.status = core::Status::kRepealed;
    ReviewDecision end_without_repeal = Decision("kf", "2026-11-20", "fortsatt gällande");
    end_without_repeal.valid_to = "2026-12-31";
    const RefusalCase cases[] = {
        {"a nämnd below fullmäktige", Document("policy", "kf", "2021-05-24"),
         Decision("sn", "2026-11-20", "fortsatt gällande"), "decided_by",
         "organet som antog dokumentet (Kommunfullmäktige)"},
        {"kommunstyrelsen below fullmäktige", Document("policy", "kf", "2021-05-24"),
         Decision("ks", "2026-11-20", "fortsatt gällande"), "decided_by", "står under"},
        {"the administration below kommunstyrelsen", Document("regel", "ks", "2018-03-13"),
         Decision("kd", "2026-11-20", "fortsatt gällande", ""), "decided_by", "står under"},
        {"an unknown body", Document("policy", "kf", "2021-05-24"),
         Decision("riksdagen", "2026-11-20", "fortsatt gällande"), "decided_by", "finns inte"},
        {"no body", Document("policy", "kf", "2021-05-24"),
         Decision("", "2026-11-20", "fortsatt gällande"), "decided_by", "Välj organet"},
        {"a political body without §", Document("policy", "kf", "2021-05-24"),
         Decision("kf", "2026-11-20", "fortsatt gällande", ""), "paragraph", "paragraf"},
        {"a § that is not one", Document("policy", "kf", "2021-05-24"),
         Decision("kf", "2026-11-20", "fortsatt gällande", "tolv"), "paragraph", "§ 67"},
        {"a date in the future", Document("policy", "kf", "2021-05-24"),
         Decision("kf", "2026-11-24", "fortsatt gällande"), "decided_on", "framtiden"},
        {"a date before the decision", Document("policy", "kf", "2021-05-24"),
         Decision("kf", "2021-05-23", "fortsatt gällande"), "decided_on", "före dokumentet"},
        {"no date", Document("policy", "kf", "2021-05-24"), Decision("kf", "", "fortsatt gällande"),
         "decided_on", "beslutsdatum"},
        {"a date that is not one", Document("policy", "kf", "2021-05-24"),
         Decision("kf", "2026-02-30", "fortsatt gällande"), "decided_on", ""},
        {"an unknown outcome", Document("policy", "kf", "2021-05-24"),
         Decision("kf", "2026-11-20", "skrotas"), "outcome", "Välj utfall"},
        {"an end date without repeal", Document("policy", "kf", "2021-05-24"), end_without_repeal,
         "valid_to", "upphävs"},
        {"a draft", draft, Decision("kf", "2026-11-20", "fortsatt gällande"), "", "utkast"},
        {"a repealed document", repealed, Decision("kf", "2026-11-20", "fortsatt gällande"), "",
         "redan upphävt"},
    };
    for (const RefusalCase& c : cases) {
        SCOPED_TRACE(c.name);
        const ReviewChange change = ApplyReview(c.document, c.decision, DefaultSchema(), kToday);
        ASSERT_FALSE(change.errors.empty());
        bool found = false;
        for (const FormError& error : change.errors) {
            if (error.field == c.field && error.message.find(c.message_part) != std::string::npos) {
                found = true;
            }
        }
        EXPECT_TRUE(found) << change.errors.front().field << ": " << change.errors.front().message;
    }
}

TEST(ApplyReview, AllowsTheAdoptingBodyAndThoseAbove) {
    const struct {
        const char* adopted_by;
        const char* reviewed_by;
        const char* paragraph;
    } cases[] = {{"sn", "sn", "§ 3"}, {"sn", "kf", "§ 3"}, {"ks", "kf", "§ 3"},
                 {"kd", "kd", ""},    {"kd", "ks", "§ 3"}, {"kd", "kf", "§ 3"}};
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.adopted_by) + " reviewed by " + c.reviewed_by);
        const ReviewChange change =
            ApplyReview(Document("riktlinje", c.adopted_by, "2022-04-20"),
                        Decision(c.reviewed_by, "2026-11-20", "fortsatt gällande", c.paragraph),
                        DefaultSchema(), kToday);
        EXPECT_TRUE(change.errors.empty()) << change.errors.front().message;
    }
}

TEST(ApplyReview, AnOldGapInTheMetadataDoesNotBlockAReview) {
    core::Metadata before = Document("policy", "kf", "2021-05-24");
    before.dnr.clear();  // required by the default schema
    const ReviewChange change = ApplyReview(
        before, Decision("kf", "2026-11-20", "fortsatt gällande"), DefaultSchema(), kToday);
    EXPECT_TRUE(change.errors.empty()) << change.errors.front().message;
}

Request Query(std::vector<std::pair<std::string, std::string>> query) {
    Request request;
    request.query = std::move(query);
    return request;
}

TEST(ReviewQuery, ReadsStateOwnerBodyAndDate) {
    ReviewQuery query = ParseReviewQuery(Query({}), DefaultSchema(), kToday);
    EXPECT_EQ(query.filter, ReviewFilter::kAll);
    EXPECT_EQ(query.on, kToday);
    EXPECT_EQ(query.body, nullptr);

    query = ParseReviewQuery(
        Query({{"state", "due"}, {"body", "KS"}, {"owner", "x@y.se"}, {"on", "2027-10-16"}}),
        DefaultSchema(), kToday);
    EXPECT_EQ(query.filter, ReviewFilter::kDue);
    ASSERT_NE(query.body, nullptr);
    EXPECT_EQ(query.body->id, "ks");
    EXPECT_EQ(query.owner, "x@y.se");
    EXPECT_EQ(query.on, D("2027-10-16"));
    EXPECT_EQ(ParseReviewQuery(Query({{"state", "overdue"}}), DefaultSchema(), kToday).filter,
              ReviewFilter::kOverdue);
}

TEST(ReviewQuery, RefusesBadParameters) {
    const std::vector<std::vector<std::pair<std::string, std::string>>> bad = {
        {{"state", "late"}},
        {{"state", "DUE"}},
        {{"body", "riksdagen"}},
        {{"on", "2026-13-01"}},
        {{"on", "23/11/2026"}},
        {{"on", "2026-11-23T00:00"}},
        {{"state", "due"}, {"state", "all"}},
    };
    for (const auto& query : bad) {
        SCOPED_TRACE(query.front().first + "=" + query.front().second);
        try {
            ParseReviewQuery(Query(query), DefaultSchema(), kToday);
            ADD_FAILURE() << "accepted";
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), ErrorCode::kBadInput);
        }
    }
}

TEST(ReviewQuery, BodyMatchesTheOwningOrTheDecidingBodyAndOwnerIgnoresCase) {
    core::Metadata m = Document("riktlinje", "kf", "2016-11-28");
    m.owner = "Överförmyndare";
    m.owner_body = "sbn";
    ReviewQuery query;
    query.body = DefaultSchema().FindBody("sbn");
    EXPECT_TRUE(MatchesReviewQuery(m, query));
    query.body = DefaultSchema().FindBody("kf");
    EXPECT_TRUE(MatchesReviewQuery(m, query));
    query.body = DefaultSchema().FindBody("sn");
    EXPECT_FALSE(MatchesReviewQuery(m, query));
    query.body = nullptr;
    query.owner = "överförmyndare";
    EXPECT_TRUE(MatchesReviewQuery(m, query));
    query.owner = "KOMMUNDIREKTOR@exempelby.se";
    EXPECT_TRUE(MatchesReviewQuery(m, query));
    query.owner = "någon annan";
    EXPECT_FALSE(MatchesReviewQuery(m, query));
}

TEST(ReviewQuery, ListsDueWithOverdueAndOverdueAlone) {
    core::ReviewStatus status;
    for (auto [state, due, overdue] : {std::tuple{core::ReviewState::kNotApplicable, false, false},
                                       std::tuple{core::ReviewState::kOk, false, false},
                                       std::tuple{core::ReviewState::kDue, true, false},
                                       std::tuple{core::ReviewState::kOverdue, true, true}}) {
        status.state = state;
        SCOPED_TRACE(core::ReviewStateName(state));
        EXPECT_EQ(IsListed(status, ReviewFilter::kDue), due);
        EXPECT_EQ(IsListed(status, ReviewFilter::kOverdue), overdue);
        EXPECT_TRUE(IsListed(status, ReviewFilter::kAll));
    }
}

TEST(ReviewQuery, StatesTheCouncilPeriodAndItsDeadline) {
    std::optional<PeriodDeadline> current = CurrentPeriod(DefaultSchema(), kToday);
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
}  // namespace styrdok::server
