#include "styrdok/core/year_report.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain_cases.hpp"

namespace styrdok::core {
namespace {

using cases::D;
using cases::DefaultSchema;
using cases::Document;

ReviewRecord Review(const char* decided_on, ReviewOutcome outcome, const char* paragraph) {
    return ReviewRecord{"kf", D(decided_on), paragraph, "KS 2020/1", outcome};
}

std::vector<std::string> Dates(const std::vector<YearEvent>& events) {
    std::vector<std::string> dates;
    for (const YearEvent& e : events) dates.push_back(e.date.ToString());
    return dates;
}

// An arbetsmiljöpolicy adopted by fullmäktige in 2021, corrected, revised in 2024, kept at a
// review in 2025 and repealed at a review in 2026 from the end of June.
struct PolicyHistory {
    Metadata adopted = Document("policy", "kf", "2021-05-24");
    Metadata corrected = adopted;
    Metadata revised = Document("policy", "kf", "2024-03-18");
    Metadata reviewed = revised;
    Metadata repealed = revised;

    PolicyHistory() {
        corrected.title = "Arbetsmiljöpolicy (rättad)";
        revised.paragraph = "§ 31";
        reviewed.reviews = {Review("2025-03-10", ReviewOutcome::kKept, "§ 12")};
        reviewed.last_reviewed_on = D("2025-03-10");
        repealed.reviews = reviewed.reviews;
        repealed.reviews.push_back(Review("2026-05-11", ReviewOutcome::kRepealed, "§ 60"));
        repealed.status = Status::kRepealed;
        repealed.valid_to = D("2026-06-30");
    }
    DocumentHistory History() const {
        return {{&adopted, &corrected, &revised, &reviewed, &repealed}, {}};
    }
};

TEST(YearReport, EachYearShowsTheDecisionsTakenThenOnce) {
    const PolicyHistory policy;
    struct Case {
        int year;
        std::vector<std::string> reviewed, revised, repealed, overdue;
    };
    const Case cases[] = {
        {2021, {}, {}, {}, {}},
        {2022, {}, {}, {}, {}},  // due from 2022-10-15, not yet overdue
        {2023, {}, {}, {}, {"2023-10-15"}},
        {2024, {}, {"2024-03-18"}, {}, {}},  // the revision is a new decision: no longer due
        {2025, {"2025-03-10"}, {}, {}, {}},
        {2026, {"2026-05-11"}, {}, {"2026-06-30"}, {}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.year);
        const YearReport report =
            ComposeYearReport(c.year, D("2026-12-06"), {policy.History()}, DefaultSchema());
        EXPECT_EQ(Dates(report.reviewed), c.reviewed);
        EXPECT_EQ(Dates(report.revised), c.revised);
        EXPECT_EQ(Dates(report.repealed), c.repealed);
        EXPECT_EQ(Dates(report.overdue), c.overdue);
    }
}

TEST(YearReport, ARepealNamesTheBodyAndParagraphOfItsDecision) {
    const PolicyHistory policy;
    const YearReport report =
        ComposeYearReport(2026, D("2026-12-06"), {policy.History()}, DefaultSchema());
    ASSERT_EQ(report.repealed.size(), 1u);
    EXPECT_EQ(report.repealed[0].decided_by, "kf");
    EXPECT_EQ(report.repealed[0].paragraph, "§ 60");
    ASSERT_EQ(report.reviewed.size(), 1u);
    EXPECT_EQ(report.reviewed[0].outcome, ReviewOutcome::kRepealed);
}

TEST(YearReport, APastYearIsJudgedOnWhatWasKnownAtItsEnd) {
    const PolicyHistory policy;
    const DocumentHistory history = policy.History();
    struct Case {
        const char* day;
        const Metadata* known;
    };
    const Case cases[] = {
        {"2021-05-23", nullptr},
        {"2021-05-24", &policy.corrected},  // a correction keeps its version's decision day
        {"2024-03-17", &policy.corrected},
        {"2024-03-18", &policy.revised},
        {"2025-03-10", &policy.reviewed},
        {"2026-05-10", &policy.reviewed},
        {"2026-05-11", &policy.repealed},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.day);
        EXPECT_EQ(VersionKnownOn(history, D(c.day)), c.known);
    }
}

TEST(YearReport, ADocumentReplacedByTheYearsEndIsNotOverdue) {
    const Metadata plan = Document("policy", "kf", "2021-05-24");
    const DocumentHistory history{{&plan}, {D("2024-12-01")}};
    for (const auto& [year, overdue] : {std::pair{2023, 1u}, std::pair{2024, 0u}}) {
        SCOPED_TRACE(year);
        const YearReport report =
            ComposeYearReport(year, D("2026-12-06"), {history}, DefaultSchema());
        EXPECT_EQ(report.overdue.size(), overdue);
    }
}

TEST(YearReport, TheCurrentYearEndsToday) {
    const Metadata draft = [] {
        Metadata m = Document("policy", "kf", nullptr);
        m.status = Status::kDraft;
        return m;
    }();
    const YearReport report =
        ComposeYearReport(2026, D("2026-12-06"), {{{&draft}, {}}}, DefaultSchema());
    EXPECT_EQ(report.end, D("2026-12-06"));
    EXPECT_TRUE(report.overdue.empty());
    EXPECT_EQ(ComposeYearReport(2025, D("2026-12-06"), {}, DefaultSchema()).end, D("2025-12-31"));
}

}  // namespace
}  // namespace styrdok::core
