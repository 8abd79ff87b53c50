// The server's review module (issue 6) with the default schema: what a recorded review does,
// and the query of GET /api/reviews.
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
    EXPECT_EQ(core::ReviewStatusOf(change.after, DefaultSchema(), kToday, false).state,
              core::ReviewState::kOk);
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
    EXPECT_EQ(core::ReviewStatusOf(change.after, DefaultSchema(), kToday, false).state,
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
    } cases[] = {{"sn", "sn", "§ 3"}, {"sn", "ks", "§ 3"}, {"sn", "kf", "§ 3"},
                 {"ks", "kf", "§ 3"}, {"kd", "kd", ""},    {"kd", "sn", "§ 3"}};
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
    EXPECT_EQ(query.filter, core::ReviewFilter::kAll);
    EXPECT_EQ(query.on, kToday);
    EXPECT_EQ(query.body, nullptr);

    query = ParseReviewQuery(
        Query({{"state", "due"}, {"body", "KS"}, {"owner", "x@y.se"}, {"on", "2027-10-16"}}),
        DefaultSchema(), kToday);
    EXPECT_EQ(query.filter, core::ReviewFilter::kDue);
    ASSERT_NE(query.body, nullptr);
    EXPECT_EQ(query.body->id, "ks");
    EXPECT_EQ(query.owner, "x@y.se");
    EXPECT_EQ(query.on, D("2027-10-16"));
    EXPECT_EQ(ParseReviewQuery(Query({{"state", "overdue"}}), DefaultSchema(), kToday).filter,
              core::ReviewFilter::kOverdue);
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

}  // namespace
}  // namespace styrdok::server
