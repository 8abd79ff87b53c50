#include "styrdok/core/metadata.hpp"

#include <gtest/gtest.h>

#include <string>

namespace styrdok::core {
namespace {

Date D(std::string_view text) { return Date::Parse(text).value(); }

TEST(Metadata, StatusNamesRoundTrip) {
    for (Status status : {Status::kInForce, Status::kRepealed, Status::kDraft}) {
        SCOPED_TRACE(std::string(StatusName(status)));
        EXPECT_EQ(ParseStatus(StatusName(status)), status);
    }
    EXPECT_EQ(StatusName(Status::kInForce), "gällande");
    EXPECT_EQ(StatusName(Status::kRepealed), "upphävd");
    EXPECT_EQ(StatusName(Status::kDraft), "utkast");
}

TEST(Metadata, ParsesStatusIgnoringCaseAndSurroundingSpace) {
    EXPECT_EQ(ParseStatus(" Gällande "), Status::kInForce);
    EXPECT_EQ(ParseStatus("UPPHÄVD"), Status::kRepealed);
    for (const char* name : {"", "gallande", "in force", "upphävs", "\xC3", "utkast x"}) {
        SCOPED_TRACE(name);
        EXPECT_FALSE(ParseStatus(name));
    }
}

TEST(Metadata, ReviewOutcomeNamesRoundTrip) {
    for (ReviewOutcome outcome :
         {ReviewOutcome::kKept, ReviewOutcome::kToBeRevised, ReviewOutcome::kRepealed}) {
        SCOPED_TRACE(std::string(ReviewOutcomeName(outcome)));
        EXPECT_EQ(ParseReviewOutcome(ReviewOutcomeName(outcome)), outcome);
    }
    EXPECT_EQ(ReviewOutcomeName(ReviewOutcome::kKept), "fortsatt gällande");
    EXPECT_EQ(ReviewOutcomeName(ReviewOutcome::kToBeRevised), "revideras");
    EXPECT_EQ(ReviewOutcomeName(ReviewOutcome::kRepealed), "upphävs");
    EXPECT_EQ(ParseReviewOutcome("Fortsatt gällande"), ReviewOutcome::kKept);
    EXPECT_FALSE(ParseReviewOutcome("upphävd"));
}

TEST(Metadata, EffectiveFromPrefersValidFrom) {
    Metadata m;
    EXPECT_FALSE(m.EffectiveFrom());
    m.decided_on = D("2025-03-10");
    EXPECT_EQ(m.EffectiveFrom(), D("2025-03-10"));
    m.valid_from = D("2025-04-01");
    EXPECT_EQ(m.EffectiveFrom(), D("2025-04-01"));
}

TEST(Metadata, LastEventIsTheLatestDecisionOrReview) {
    Metadata m;
    EXPECT_FALSE(m.LastEvent());
    m.decided_on = D("2020-05-01");
    EXPECT_EQ(m.LastEvent(), D("2020-05-01"));
    m.last_reviewed_on = D("2022-02-01");
    EXPECT_EQ(m.LastEvent(), D("2022-02-01"));
    ReviewRecord early;
    early.decided_on = D("2021-01-01");
    ReviewRecord late;
    late.decided_on = D("2023-11-20");
    m.reviews = {late, early};
    EXPECT_EQ(m.LastEvent(), D("2023-11-20"));
    m.decided_on.reset();
    m.last_reviewed_on.reset();
    EXPECT_EQ(m.LastEvent(), D("2023-11-20"));
}

TEST(Metadata, DocumentIdsAreUrlSafe) {
    for (const std::string& id : {std::string("a"), std::string("0"), std::string("policy-2024"),
                                  std::string("riktlinjer-for-bistand"), std::string(100, 'x')}) {
        SCOPED_TRACE(id);
        EXPECT_TRUE(IsValidDocumentId(id));
    }
    for (const std::string& id :
         {std::string(""), std::string("-a"), std::string("A"), std::string("a_b"),
          std::string("a b"), std::string("a/b"), std::string(".."), std::string("å"),
          std::string(101, 'x'), std::string("a\0b", 3)}) {
        SCOPED_TRACE(testing::PrintToString(id));
        EXPECT_FALSE(IsValidDocumentId(id));
    }
}

}  // namespace
}  // namespace styrdok::core
