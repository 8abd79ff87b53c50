// Recording a review decision (core/review_decision.hpp) with the default schema: what each
// outcome does to a document, and what the rules refuse.
#include "styrdok/core/review_decision.hpp"

#include <gtest/gtest.h>

#include <map>
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

TEST(WithReviewRecordOf, AnAdoptedDraftKeepsTheRecordOnMainWhateverTheDraftSays) {
    Metadata decided = Document("policy", "kf", "2021-05-24");
    decided.reviews = {
        {"kf", D("2026-11-19"), "§ 131", "KS 2026/0311", ReviewOutcome::kToBeRevised}};
    decided.last_reviewed_on = D("2026-11-19");
    decided.review_due = D("2027-12-31");
    Metadata draft = Document("policy", "kf", "2026-11-20");
    draft.title = "Ny arbetsmiljöpolicy";
    draft.reviews = {{"kf", D("2023-02-01"), "§ 3", "", ReviewOutcome::kKept}};
    draft.last_reviewed_on = D("2023-02-01");

    const Metadata adopted = WithReviewRecordOf(draft, decided);
    EXPECT_EQ(adopted.reviews, decided.reviews);
    EXPECT_EQ(adopted.last_reviewed_on, decided.last_reviewed_on);
    EXPECT_EQ(adopted.review_due, decided.review_due);
    EXPECT_EQ(adopted.title, "Ny arbetsmiljöpolicy");
    EXPECT_EQ(adopted.decided_on, D("2026-11-20"));
}

// A registry for batch decisions: documents by id, with an id and a body each.
class BatchRegistry {
public:
    BatchRegistry() {
        Add("policy-a", "policy", "kf", "2021-05-24");
        Add("policy-b", "policy", "kf", "2019-09-23");
        Add("regel-ks", "regel", "ks", "2018-03-13");
        Metadata draft = Add("utkast", "vision", "", nullptr);
        draft.status = Status::kDraft;
        draft.is_public = false;
        documents_["utkast"] = draft;
        Metadata repealed = Add("upphavd", "policy", "kf", "2015-03-30");
        repealed.status = Status::kRepealed;
        documents_["upphavd"] = repealed;
    }
    FindDocument Finder() const {
        return [this](std::string_view id) -> const Metadata* {
            auto found = documents_.find(std::string(id));
            return found == documents_.end() ? nullptr : &found->second;
        };
    }

private:
    Metadata Add(const char* id, const char* doctype, const char* by, const char* on) {
        Metadata m = Document(doctype, by, on);
        m.id = id;
        documents_[id] = m;
        return m;
    }
    std::map<std::string, Metadata> documents_;
};

const Actor kClerk{Role::kClerk, "registrator@exempelby.se", {}};

BatchDecision Batch(std::vector<BatchEntry> documents, const char* outcome = "fortsatt gällande",
                    const char* by = "kf", const char* paragraph = "§ 12") {
    return {{by, "2026-11-20", paragraph, "KS 2026/0311", outcome, ""}, std::move(documents)};
}

TEST(ApplyBatchReview, AppliesOneDecisionToEveryDocumentWithItsOwnOutcome) {
    const BatchRegistry registry;
    const BatchChange batch = ApplyBatchReview(
        Batch({{"policy-a", ""}, {"policy-b", "upphävs"}, {"regel-ks", "revideras"}}),
        registry.Finder(), kClerk, DefaultSchema(), kToday);
    ASSERT_TRUE(batch.problems.empty()) << batch.problems.front().problem.message;
    ASSERT_EQ(batch.changes.size(), 3u);
    EXPECT_EQ(batch.changes[0].after.id, "policy-a");
    EXPECT_EQ(batch.changes[0].record.outcome, ReviewOutcome::kKept);
    EXPECT_EQ(batch.changes[1].after.status, Status::kRepealed);
    EXPECT_EQ(batch.changes[1].after.valid_to, D("2026-11-20"));
    EXPECT_EQ(batch.changes[2].record.outcome, ReviewOutcome::kToBeRevised);
    for (const ReviewChange& change : batch.changes) {
        SCOPED_TRACE(change.after.id);
        EXPECT_TRUE(SameDecision(change.record, batch.changes[0].record));
        EXPECT_EQ(change.after.last_reviewed_on, D("2026-11-20"));
    }
    EXPECT_EQ(BatchSummary(batch.changes, DefaultSchema()),
              "Aktualitetsprövning av Kommunfullmäktige 2026-11-20 § 12 (dnr KS 2026/0311): 3 "
              "dokument\n\n- policy-a: fortsatt gällande\n- policy-b: upphävs\n- regel-ks: "
              "revideras");
}

struct BatchRefusal {
    const char* name;
    BatchDecision batch;
    const char* id;  ///< the entry the problem is on; "" for the decision
    ProblemCode code;
    const char* field;
};

TEST(ApplyBatchReview, RefusesTheWholeBatchForOneBadEntry) {
    const BatchRegistry registry;
    const std::vector<BatchEntry> too_many(kMaxBatchDocuments + 1, BatchEntry{"policy-a", ""});
    const BatchRefusal cases[] = {
        {"no documents", Batch({}), "", ProblemCode::kBatchEmpty, "documents"},
        {"too many documents", Batch(too_many), "", ProblemCode::kBatchTooLarge, "documents"},
        {"an unknown id", Batch({{"policy-a", ""}, {"finns-inte", ""}}), "finns-inte",
         ProblemCode::kBatchUnknownDocument, ""},
        {"an id that is not one", Batch({{"policy-a", ""}, {"../etc", ""}}), "../etc",
         ProblemCode::kBatchUnknownDocument, ""},
        {"the same document twice", Batch({{"policy-a", ""}, {"policy-a", "upphävs"}}), "policy-a",
         ProblemCode::kBatchDuplicate, ""},
        {"a draft", Batch({{"policy-a", ""}, {"utkast", ""}}), "utkast",
         ProblemCode::kDraftNotReviewable, ""},
        {"a repealed document", Batch({{"upphavd", ""}, {"policy-a", ""}}), "upphavd",
         ProblemCode::kAlreadyRepealed, ""},
        {"a body that does not decide for one document",
         Batch({{"regel-ks", ""}, {"policy-a", ""}}, "fortsatt gällande", "ks"), "policy-a",
         ProblemCode::kBodyMayNotDecide, "decided_by"},
        {"one bad outcome", Batch({{"policy-a", ""}, {"policy-b", "skrotas"}}), "policy-b",
         ProblemCode::kUnknownOutcome, "outcome"},
        {"no outcome for one document", Batch({{"policy-a", "revideras"}, {"policy-b", ""}}, ""),
         "policy-b", ProblemCode::kUnknownOutcome, "outcome"},
        {"a body that does not exist", Batch({{"policy-a", ""}}, "fortsatt gällande", "riksdagen"),
         "", ProblemCode::kUnknownBody, "decided_by"},
        {"no § for fullmäktige", Batch({{"policy-a", ""}}, "fortsatt gällande", "kf", ""), "",
         ProblemCode::kParagraphRequired, "paragraph"},
    };
    for (const BatchRefusal& c : cases) {
        SCOPED_TRACE(c.name);
        const BatchChange batch =
            ApplyBatchReview(c.batch, registry.Finder(), kClerk, DefaultSchema(), kToday);
        EXPECT_TRUE(batch.changes.empty());
        ASSERT_FALSE(batch.problems.empty());
        bool found = false;
        for (const BatchProblem& p : batch.problems) {
            if (p.id == c.id && p.problem.code == c.code && p.problem.field == c.field) {
                found = true;
            }
        }
        EXPECT_TRUE(found) << batch.problems.front().id << ": "
                           << batch.problems.front().problem.message;
    }
}

TEST(ApplyBatchReview, ReportsAProblemOfTheDecisionOnceNotPerDocument) {
    const BatchRegistry registry;
    BatchDecision batch = Batch({{"policy-a", ""}, {"policy-b", ""}});
    batch.decision.decided_on = "2027-01-01";
    const BatchChange change =
        ApplyBatchReview(batch, registry.Finder(), kClerk, DefaultSchema(), kToday);
    ASSERT_EQ(change.problems.size(), 1u);
    EXPECT_EQ(change.problems[0].id, "");
    EXPECT_EQ(change.problems[0].problem.code, ProblemCode::kInFuture);
}

TEST(ApplyBatchReview, AnswersADocumentTheAskerMayNotSeeAsOneThatDoesNotExist) {
    const BatchRegistry registry;
    // An owner sees no draft of another's document; that it exists is not told.
    const Actor owner{Role::kOwner, "annan@exempelby.se", {}};
    const BatchChange batch = ApplyBatchReview(Batch({{"policy-a", ""}, {"utkast", ""}}),
                                               registry.Finder(), owner, DefaultSchema(), kToday);
    ASSERT_EQ(batch.problems.size(), 1u);
    EXPECT_EQ(batch.problems[0].id, "utkast");
    EXPECT_EQ(batch.problems[0].problem.code, ProblemCode::kBatchUnknownDocument);
    EXPECT_EQ(SwedishText(batch.problems[0].problem, DefaultSchema()),
              "Det finns inget dokument med id utkast.");
}

TEST(SameDecision, IsTheSameBodyDayAndParagraph) {
    const ReviewRecord base{"kf", D("2026-11-20"), "§ 12", "KS 2026/0311", ReviewOutcome::kKept};
    const struct {
        const char* name;
        ReviewRecord other;
        bool same;
    } cases[] = {
        {"another outcome",
         {"kf", D("2026-11-20"), "§ 12", "KS 2026/0311", ReviewOutcome::kRepealed},
         true},
        {"the § written otherwise", {"kf", D("2026-11-20"), "12", "", ReviewOutcome::kKept}, true},
        {"another §", {"kf", D("2026-11-20"), "§ 13", "KS 2026/0311", ReviewOutcome::kKept}, false},
        {"another day",
         {"kf", D("2026-11-19"), "§ 12", "KS 2026/0311", ReviewOutcome::kKept},
         false},
        {"another body",
         {"ks", D("2026-11-20"), "§ 12", "KS 2026/0311", ReviewOutcome::kKept},
         false},
        {"no §", {"kf", D("2026-11-20"), "", "KS 2026/0311", ReviewOutcome::kKept}, false},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        EXPECT_EQ(SameDecision(base, c.other), c.same);
        EXPECT_EQ(SameDecision(c.other, base), c.same);
    }
    const ReviewRecord by_kd{"kd", D("2026-11-20"), "", "KS 2026/0400", ReviewOutcome::kKept};
    ReviewRecord same_dnr = by_kd;
    same_dnr.outcome = ReviewOutcome::kToBeRevised;
    ReviewRecord no_dnr = by_kd;
    no_dnr.dnr.clear();
    EXPECT_TRUE(SameDecision(by_kd, same_dnr));
    EXPECT_FALSE(SameDecision(no_dnr, no_dnr));
}

}  // namespace
}  // namespace styrdok::core
