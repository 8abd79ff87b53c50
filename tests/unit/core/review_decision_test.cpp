// Recording a review decision (core/review_decision.hpp) with the default schema: what each
// outcome does to a document, and what the rules refuse.
#include "styrdok/core/review_decision.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "domain_cases.hpp"
#include "styrdok/core/document_review.hpp"

namespace styrdok::core {
namespace {

using cases::D;
using cases::DefaultSchema;
using cases::Document;
using cases::OptD;

ReviewDecision Decision(const char* by, const char* on, const char* outcome,
                        const char* paragraph = "§ 12") {
    return {by, on, paragraph, "KS 2026/0311", outcome, ""};
}

const Date kToday = D("2026-11-23");

TEST(ApplyReview, KeptAppendsTheRecordAndRestartsTheClock) {
    const Metadata before = Document("policy", "kf", "2021-05-24");
    ReviewChange change = ApplyReview(before, Decision("KF", "2026-11-20", "fortsatt gällande"),
                                      DefaultSchema(), kToday);
    ASSERT_TRUE(change.problems.empty()) << change.problems.front().message;
    ASSERT_EQ(change.after.reviews.size(), 1u);
    EXPECT_EQ(change.after.reviews[0].decided_by, "kf");  // stored by id
    EXPECT_EQ(change.after.reviews[0].outcome, ReviewOutcome::kKept);
    EXPECT_EQ(change.after.last_reviewed_on, D("2026-11-20"));
    EXPECT_EQ(change.after.status, Status::kInForce);
    EXPECT_FALSE(PendingRevision(change.after));
    EXPECT_EQ(ReviewStatusOf(change.after, DefaultSchema(), kToday, false).state, ReviewState::kOk);
    EXPECT_EQ(ReviewSummary(change.record, DefaultSchema()),
              "Aktualitetsprövad av Kommunfullmäktige 2026-11-20 § 12: fortsatt gällande");
}

TEST(ApplyReview, ToBeRevisedKeepsTheDocumentInForceUntilANewVersion) {
    const Metadata before = Document("policy", "kf", "2021-05-24");
    ReviewChange change =
        ApplyReview(before, Decision("kf", "2026-11-20", "revideras"), DefaultSchema(), kToday);
    ASSERT_TRUE(change.problems.empty());
    EXPECT_EQ(change.after.status, Status::kInForce);
    ASSERT_TRUE(PendingRevision(change.after));
    EXPECT_EQ(PendingRevision(change.after)->decided_on, D("2026-11-20"));
    Metadata revised = change.after;
    revised.decided_on = D("2026-11-22");
    EXPECT_FALSE(PendingRevision(revised));
}

TEST(ApplyReview, RepealedEndsValidityOnTheDecisionOrTheGivenDay) {
    const Metadata before = Document("policy", "kf", "2021-05-24");
    ReviewChange change =
        ApplyReview(before, Decision("kf", "2026-11-20", "upphävs"), DefaultSchema(), kToday);
    ASSERT_TRUE(change.problems.empty());
    EXPECT_EQ(change.after.status, Status::kRepealed);
    EXPECT_EQ(change.after.valid_to, D("2026-11-20"));
    EXPECT_EQ(ReviewStatusOf(change.after, DefaultSchema(), kToday, false).state,
              ReviewState::kNotApplicable);

    ReviewDecision later = Decision("kf", "2026-11-20", "upphävs");
    later.valid_to = "2026-12-31";
    change = ApplyReview(before, later, DefaultSchema(), kToday);
    ASSERT_TRUE(change.problems.empty());
    EXPECT_EQ(change.after.valid_to, D("2026-12-31"));
}

struct RefusalCase {
    const char* name;
    Metadata document;
    ReviewDecision decision;
    const char* field;
    const char* message_part;
};

TEST(ApplyReview, RefusesWhatDomainRulesForbid) {
    Metadata draft = Document("vision", "", nullptr);
    draft.status = Status::kDraft;
    Metadata repealed = Document("policy", "kf", "2015-03-30");
    repealed.status = Status::kRepealed;
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
        // Issue 16: a body decides only in its own line, not by rank.
        {"a nämnd for another nämnd", Document("riktlinje", "sn", "2021-05-24"),
         Decision("bun", "2026-11-20", "fortsatt gällande"), "decided_by", "beslutar inte"},
        {"kommunstyrelsen for a nämnd", Document("riktlinje", "sn", "2021-05-24"),
         Decision("ks", "2026-11-20", "fortsatt gällande"), "decided_by", "beslutar inte"},
        {"the administration for a company", Document("rutin", "kbab", "2021-05-24"),
         Decision("kd", "2026-11-20", "upphävs", ""), "decided_by", "beslutar inte"},
        {"an unknown body", Document("policy", "kf", "2021-05-24"),
         Decision("riksdagen", "2026-11-20", "fortsatt gällande"), "decided_by", "finns inte"},
        {"no body", Document("policy", "kf", "2021-05-24"),
         Decision("", "2026-11-20", "fortsatt gällande"), "decided_by", "måste fyllas i"},
        {"a political body without §", Document("policy", "kf", "2021-05-24"),
         Decision("kf", "2026-11-20", "fortsatt gällande", ""), "paragraph", "paragraf"},
        {"a § that is not one", Document("policy", "kf", "2021-05-24"),
         Decision("kf", "2026-11-20", "fortsatt gällande", "tolv"), "paragraph", "§ 67"},
        {"a date in the future", Document("policy", "kf", "2021-05-24"),
         Decision("kf", "2026-11-24", "fortsatt gällande"), "decided_on", "framtiden"},
        {"a date before the decision", Document("policy", "kf", "2021-05-24"),
         Decision("kf", "2021-05-23", "fortsatt gällande"), "decided_on", "före dokumentet"},
        {"no date", Document("policy", "kf", "2021-05-24"), Decision("kf", "", "fortsatt gällande"),
         "decided_on", "Beslutsdatum måste fyllas i"},
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
        ASSERT_FALSE(change.problems.empty());
        bool found = false;
        for (const Problem& problem : change.problems) {
            const std::string text = SwedishText(problem, DefaultSchema());
            if (problem.field == c.field && text.find(c.message_part) != std::string::npos) {
                found = true;
            }
        }
        EXPECT_TRUE(found) << change.problems.front().field << ": "
                           << SwedishText(change.problems.front(), DefaultSchema());
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
        EXPECT_TRUE(change.problems.empty()) << change.problems.front().message;
    }
}

TEST(ApplyReview, AnOldGapInTheMetadataDoesNotBlockAReview) {
    Metadata before = Document("policy", "kf", "2021-05-24");
    before.dnr.clear();  // required by the default schema
    const ReviewChange change = ApplyReview(
        before, Decision("kf", "2026-11-20", "fortsatt gällande"), DefaultSchema(), kToday);
    EXPECT_TRUE(change.problems.empty()) << change.problems.front().message;
}

}  // namespace
}  // namespace styrdok::core
