#include "styrdok/core/validity.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace styrdok::core {
namespace {

Date D(std::string_view text) { return Date::Parse(text).value(); }

Metadata Version(Status status, const char* decided_on, const char* valid_from = nullptr,
                 const char* valid_to = nullptr) {
    Metadata m;
    m.status = status;
    if (decided_on) m.decided_on = D(decided_on);
    if (valid_from) m.valid_from = D(valid_from);
    if (valid_to) m.valid_to = D(valid_to);
    return m;
}

std::optional<ForceInterval> Interval(const char* from, const char* to = nullptr) {
    return ForceInterval{D(from), to ? std::optional<Date>(D(to)) : std::nullopt};
}

void ExpectIntervals(const std::vector<Metadata>& versions,
                     const std::vector<std::optional<ForceInterval>>& expected) {
    const auto actual = ForceIntervals(versions);
    ASSERT_EQ(actual.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        SCOPED_TRACE("version " + std::to_string(i));
        ASSERT_EQ(actual[i].has_value(), expected[i].has_value());
        if (!expected[i]) continue;
        EXPECT_EQ(actual[i]->from, expected[i]->from);
        EXPECT_EQ(actual[i]->to, expected[i]->to);
    }
}

TEST(Validity, SingleVersionIsInForceTillsvidare) {
    ExpectIntervals({Version(Status::kInForce, "2020-03-10")}, {Interval("2020-03-10")});
}

TEST(Validity, ValidFromAndValidToBoundTheVersion) {
    ExpectIntervals({Version(Status::kInForce, "2020-03-10", "2020-04-01", "2023-12-31")},
                    {Interval("2020-04-01", "2023-12-31")});
}

TEST(Validity, LaterVersionEndsThePreviousTheDayBeforeItStarts) {
    ExpectIntervals({Version(Status::kInForce, "2020-03-10"),
                     Version(Status::kInForce, "2023-05-20", "2023-07-01")},
                    {Interval("2020-03-10", "2023-06-30"), Interval("2023-07-01")});
}

TEST(Validity, OwnValidToWinsWhenItIsEarlier) {
    ExpectIntervals({Version(Status::kInForce, "2020-03-10", nullptr, "2021-12-31"),
                     Version(Status::kInForce, "2023-05-20")},
                    {Interval("2020-03-10", "2021-12-31"), Interval("2023-05-20")});
}

TEST(Validity, DraftsAreNeverInForceAndEndNothing) {
    ExpectIntervals({Version(Status::kInForce, "2020-03-10"),
                     Version(Status::kDraft, "2024-01-15", "2024-02-01")},
                    {Interval("2020-03-10"), std::nullopt});
}

TEST(Validity, VersionsWithoutADateAreNeverInForce) {
    ExpectIntervals({Version(Status::kInForce, nullptr), Version(Status::kInForce, "2021-01-01")},
                    {std::nullopt, Interval("2021-01-01")});
}

TEST(Validity, LaterVersionWithTheSameStartSupersedes) {
    ExpectIntervals(
        {Version(Status::kInForce, "2020-03-10"), Version(Status::kInForce, "2020-03-10")},
        {std::nullopt, Interval("2020-03-10")});
}

TEST(Validity, LaterVersionWithAnEarlierStartSupersedes) {
    ExpectIntervals(
        {Version(Status::kInForce, "2020-03-10"), Version(Status::kInForce, "2022-01-01"),
         Version(Status::kInForce, "2021-06-01")},
        {Interval("2020-03-10", "2021-05-31"), std::nullopt, Interval("2021-06-01")});
}

TEST(Validity, RepealedVersionIsInForceUpToItsValidTo) {
    ExpectIntervals({Version(Status::kInForce, "2020-03-10"),
                     Version(Status::kRepealed, "2020-03-10", nullptr, "2025-06-30")},
                    {std::nullopt, Interval("2020-03-10", "2025-06-30")});
}

TEST(Validity, RepealedVersionWithoutValidToIsNeverInForce) {
    ExpectIntervals(
        {Version(Status::kInForce, "2020-03-10"), Version(Status::kRepealed, "2020-03-10")},
        {std::nullopt, std::nullopt});
}

TEST(Validity, ValidToBeforeTheStartMeansNeverInForce) {
    ExpectIntervals({Version(Status::kInForce, "2020-03-10", nullptr, "2020-01-01")},
                    {std::nullopt});
}

TEST(Validity, EmptyHistoryHasNoIntervals) {
    EXPECT_TRUE(ForceIntervals({}).empty());
    EXPECT_FALSE(VersionInForceOn({}, D("2024-01-01")));
}

TEST(Validity, FindsTheVersionInForceOnADate) {
    const std::vector<Metadata> versions = {
        Version(Status::kInForce, "2018-02-01"),
        Version(Status::kInForce, "2021-09-15", "2021-10-01"),
        Version(Status::kDraft, "2024-01-01"),
        Version(Status::kRepealed, "2021-09-15", "2021-10-01", "2024-06-30"),
    };
    const struct {
        const char* date;
        std::optional<std::size_t> index;
    } cases[] = {
        {"2018-01-31", std::nullopt},
        {"2018-02-01", 0},
        {"2021-09-30", 0},
        {"2021-10-01", 3},
        {"2024-01-01", 3},
        {"2024-06-30", 3},
        {"2024-07-01", std::nullopt},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.date);
        EXPECT_EQ(VersionInForceOn(versions, D(c.date)), c.index);
    }
}

TEST(Validity, RepealedVersionWithoutValidToEndsOnTheDayOfTheRepealingReview) {
    Metadata repealed = Version(Status::kRepealed, "2021-05-24", "2021-07-01");
    repealed.reviews.push_back(
        {"kf", D("2024-02-26"), "§ 12", "KS 2024/0010", ReviewOutcome::kKept});
    repealed.reviews.push_back(
        {"kf", D("2026-03-16"), "§ 30", "KS 2026/0044", ReviewOutcome::kRepealed});
    ExpectIntervals({Version(Status::kInForce, "2021-05-24", "2021-07-01"), repealed},
                    {std::nullopt, Interval("2021-07-01", "2026-03-16")});
}

TEST(Validity, ASuccessorEndsTheIntervalsTheDayBeforeItTakesEffect) {
    const std::vector<Metadata> versions = {
        Version(Status::kInForce, "2013-04-09", "2013-05-01"),
        Version(Status::kInForce, "2016-02-01", "2016-03-01", "2022-12-31"),
        Version(Status::kInForce, "2024-11-25", "2025-01-01"),
    };
    const auto intervals = ForceIntervals(versions, D("2019-10-01"));
    ASSERT_EQ(intervals.size(), 3u);
    EXPECT_EQ(intervals[0]->to, D("2016-02-29"));
    EXPECT_EQ(intervals[1]->from, D("2016-03-01"));
    EXPECT_EQ(intervals[1]->to, D("2019-09-30"));
    // Decided to start after the successor took over: never in force.
    EXPECT_FALSE(intervals[2]);
    // Without a successor, the same as ForceIntervals(versions).
    const auto unchanged = ForceIntervals(versions, std::nullopt);
    EXPECT_EQ(unchanged[2]->from, D("2025-01-01"));
}

TEST(Validity, StateNamesRoundTrip) {
    for (ForceState state : {ForceState::kInForce, ForceState::kNotYetInForce, ForceState::kExpired,
                             ForceState::kRepealed, ForceState::kDraft}) {
        SCOPED_TRACE(std::string(ForceStateName(state)));
        EXPECT_EQ(ParseForceState(ForceStateName(state)), state);
    }
    EXPECT_EQ(ForceStateName(ForceState::kNotYetInForce), "ej i kraft än");
    EXPECT_EQ(ForceStateName(ForceState::kExpired), "upphört");
    EXPECT_EQ(ParseForceState(" Ej i kraft än "), ForceState::kNotYetInForce);
    EXPECT_EQ(ParseForceState("alla"), std::nullopt);
    EXPECT_EQ(ParseForceState("\xff"), std::nullopt);
}

TEST(Validity, FirstDayInForceIsTheEarliestStartOfTheSuccessorsOwnVersions) {
    EXPECT_EQ(FirstDayInForce({Version(Status::kInForce, "2025-11-24", "2026-01-01", "2026-12-31"),
                               Version(Status::kInForce, "2026-02-23", "2026-03-01")}),
              D("2026-01-01"));
    EXPECT_EQ(FirstDayInForce({Version(Status::kDraft, "2026-11-16", "2027-01-01")}), std::nullopt);
    EXPECT_EQ(FirstDayInForce({}), std::nullopt);
}

// One document of a registry: its versions, oldest first, and the document that replaces it.
struct Registered {
    const char* name;
    std::vector<Metadata> versions;
    std::vector<Metadata> successor;  // empty: none
};

struct StateCase {
    const char* day;
    ForceState document;                  // DocumentStateOn
    std::optional<std::size_t> in_force;  // the version in force, if any
    std::vector<ForceState> versions;     // VersionStateOn, one per version
};

void ExpectStates(const Registered& document, const std::vector<StateCase>& cases) {
    SCOPED_TRACE(document.name);
    const std::optional<Date> replaced_from =
        document.successor.empty() ? std::nullopt : FirstDayInForce(document.successor);
    const auto intervals = ForceIntervals(document.versions, replaced_from);
    for (const StateCase& c : cases) {
        SCOPED_TRACE(c.day);
        const Date day = D(c.day);
        EXPECT_EQ(DocumentStateOn(document.versions, intervals, day), c.document);
        std::optional<std::size_t> in_force;
        for (std::size_t i = 0; i < intervals.size(); ++i) {
            if (intervals[i] && intervals[i]->Contains(day)) in_force = i;
        }
        EXPECT_EQ(in_force, c.in_force);
        ASSERT_EQ(c.versions.size(), document.versions.size());
        for (std::size_t i = 0; i < document.versions.size(); ++i) {
            SCOPED_TRACE("version " + std::to_string(i));
            EXPECT_EQ(VersionStateOn(document.versions, i, intervals, day), c.versions[i]);
        }
    }
}

constexpr ForceState kIn = ForceState::kInForce;
constexpr ForceState kNotYet = ForceState::kNotYetInForce;
constexpr ForceState kExpired = ForceState::kExpired;
constexpr ForceState kRepealed = ForceState::kRepealed;
constexpr ForceState kDraft = ForceState::kDraft;

// Each year's budget is valid for its year and replaces the year before's: exactly one is in
// force on each side of every new year, whatever status each stored.
TEST(Validity, EachYearsBudgetTakesOverOnNewYearsDay) {
    const Metadata b2025 = Version(Status::kInForce, "2024-11-25", "2025-01-01", "2025-12-31");
    const Metadata b2026 = Version(Status::kInForce, "2025-11-24", "2026-01-01", "2026-12-31");
    const Metadata b2027 = Version(Status::kInForce, "2026-11-16", "2027-01-01", "2027-12-31");
    const Registered budget2025{"budget-2025", {b2025}, {b2026}};
    const Registered budget2026{"budget-2026", {b2026}, {b2027}};
    const Registered budget2027{"budget-2027", {b2027}, {}};
    ExpectStates(budget2025, {{"2024-12-31", kNotYet, std::nullopt, {kNotYet}},
                              {"2025-01-01", kIn, 0, {kIn}},
                              {"2025-12-31", kIn, 0, {kIn}},
                              {"2026-01-01", kExpired, std::nullopt, {kExpired}},
                              {"2026-12-06", kExpired, std::nullopt, {kExpired}}});
    ExpectStates(budget2026, {{"2025-12-31", kNotYet, std::nullopt, {kNotYet}},
                              {"2026-01-01", kIn, 0, {kIn}},
                              {"2026-12-06", kIn, 0, {kIn}},
                              {"2026-12-31", kIn, 0, {kIn}},
                              {"2027-01-01", kExpired, std::nullopt, {kExpired}}});
    ExpectStates(budget2027, {{"2026-12-06", kNotYet, std::nullopt, {kNotYet}},
                              {"2026-12-31", kNotYet, std::nullopt, {kNotYet}},
                              {"2027-01-01", kIn, 0, {kIn}},
                              {"2027-12-31", kIn, 0, {kIn}},
                              {"2028-01-01", kExpired, std::nullopt, {kExpired}}});
}

TEST(Validity, SwedishCasesOfInForce) {
    // A revision decided in November for the new year: the version before stays in force
    // until then.
    ExpectStates({"arbetsmiljöpolicy reviderad till 2027",
                  {Version(Status::kInForce, "2021-05-24", "2021-07-01"),
                   Version(Status::kInForce, "2026-11-16", "2027-01-01")},
                  {}},
                 {{"2021-06-30", kNotYet, std::nullopt, {kNotYet, kNotYet}},
                  {"2026-12-06", kIn, 0, {kIn, kNotYet}},
                  {"2026-12-31", kIn, 0, {kIn, kNotYet}},
                  {"2027-01-01", kIn, 1, {kExpired, kIn}}});
    // Repealed by a review that set valid_to: in force through that day, repealed after.
    ExpectStates({"bolagsordning upphävd med giltig till",
                  {Version(Status::kInForce, "2011-09-26", "2011-10-01"),
                   Version(Status::kRepealed, "2011-09-26", "2011-10-01", "2020-06-15")},
                  {}},
                 {{"2011-09-30", kNotYet, std::nullopt, {kNotYet, kNotYet}},
                  {"2020-06-15", kIn, 1, {kExpired, kIn}},
                  {"2020-06-16", kRepealed, std::nullopt, {kExpired, kRepealed}}});
    // Repealed without valid_to and without a recorded review: no day up to which it applied.
    ExpectStates({"policy upphävd utan giltig till",
                  {Version(Status::kInForce, "2016-05-10", "2016-06-01"),
                   Version(Status::kRepealed, "2016-05-10", "2016-06-01")},
                  {}},
                 {{"2016-05-31", kNotYet, std::nullopt, {kNotYet, kRepealed}},
                  {"2026-12-06", kRepealed, std::nullopt, {kExpired, kRepealed}}});
    // A successor that replaces the document from its own valid_from: the old one is in
    // force through the day before, although it has no valid_to.
    ExpectStates(
        {"riktlinjer för sociala medier, ersatta av kommunikationspolicyn",
         {Version(Status::kInForce, "2013-04-09", "2013-05-01")},
         {Version(Status::kInForce, "2019-09-23", "2019-10-01")}},
        {{"2019-09-30", kIn, 0, {kIn}}, {"2019-10-01", kExpired, std::nullopt, {kExpired}}});
    // A successor decided but not yet in force: the old one stays in force.
    ExpectStates({"reglemente ersatt från nyår",
                  {Version(Status::kInForce, "2019-11-25", "2020-01-01")},
                  {Version(Status::kInForce, "2026-11-16", "2027-01-01")}},
                 {{"2026-12-06", kIn, 0, {kIn}},
                  {"2026-12-31", kIn, 0, {kIn}},
                  {"2027-01-01", kExpired, std::nullopt, {kExpired}}});
    // A successor that is only a draft replaces nothing yet.
    ExpectStates({"vision med utkast till efterföljare",
                  {Version(Status::kInForce, "2019-06-17", "2019-07-01")},
                  {Version(Status::kDraft, "2026-11-16", "2027-01-01")}},
                 {{"2027-06-01", kIn, 0, {kIn}}});
    // Only a draft: a draft on every day.
    ExpectStates({"rutin för visselblåsning, utkast", {Version(Status::kDraft, nullptr)}, {}},
                 {{"2026-12-06", kDraft, std::nullopt, {kDraft}}});
    // A draft of the next revision does not touch the version in force.
    ExpectStates({"policy med utkast till revision",
                  {Version(Status::kInForce, "2017-10-30", "2018-01-01"),
                   Version(Status::kDraft, "2026-12-01", "2027-01-01")},
                  {}},
                 {{"2027-06-01", kIn, 0, {kIn, kDraft}}});
    // Never in force: valid to before it was to start.
    ExpectStates({"plan som aldrig trädde i kraft",
                  {Version(Status::kInForce, "2020-03-10", "2020-04-01", "2020-03-31")},
                  {}},
                 {{"2020-03-31", kNotYet, std::nullopt, {kNotYet}},
                  {"2020-04-01", kExpired, std::nullopt, {kExpired}}});
    // Never in force: replaced before it took effect.
    ExpectStates({"program ersatt innan det trädde i kraft",
                  {Version(Status::kInForce, "2026-09-28", "2027-01-01")},
                  {Version(Status::kInForce, "2026-11-16", "2026-12-01")}},
                 {{"2026-11-30", kNotYet, std::nullopt, {kNotYet}},
                  {"2027-01-01", kExpired, std::nullopt, {kExpired}}});
}

// A successor's version that names a document in `replaces`.
Metadata Replacing(Metadata version) {
    version.replaces = {"ersatt-dokument"};
    return version;
}

TEST(Validity, ReplacedDocumentsAreTheNamedIdsOnceWithoutTheDocumentItself) {
    Metadata successor = Version(Status::kInForce, "2026-11-16", "2027-01-01");
    successor.id = "riktlinjer-stod-2027";
    successor.replaces = {"riktlinjer-a", "", "riktlinjer-b", "riktlinjer-a",
                          "riktlinjer-stod-2027"};
    EXPECT_EQ(ReplacedDocuments(successor),
              (std::vector<std::string>{"riktlinjer-a", "riktlinjer-b"}));
}

// The replacement rule: which successor ends a document, from which day, and whether the
// document is in force on a day because of it. A document may have several successors, and one
// successor may replace several documents: each of those is ended by it on the same day.
TEST(Validity, SwedishCasesOfReplacement) {
    struct Check {
        const char* day;
        bool in_force;
    };
    struct Case {
        const char* name;
        std::vector<Metadata> versions;
        std::vector<std::pair<std::string, std::vector<Metadata>>> successors;
        std::optional<Replacement> expected;
        std::vector<Check> checks;
    };
    const Metadata ekonomiskt = Version(Status::kInForce, "2018-03-26", "2018-05-01");
    const Metadata bostad = Version(Status::kInForce, "2020-06-15", "2020-07-01");
    const Metadata stod2027 = Replacing(Version(Status::kInForce, "2026-11-16", "2027-01-01"));
    const std::vector<Case> cases = {
        {"riktlinjer för ekonomiskt bistånd, ersatta av riktlinjer för stöd från nyår",
         {ekonomiskt},
         {{"riktlinjer-stod-2027", {stod2027}}},
         Replacement{"riktlinjer-stod-2027", D("2027-01-01")},
         {{"2026-12-06", true}, {"2026-12-31", true}, {"2027-01-01", false}}},
        // The same successor replaces a second document: it ends on the same day.
        {"riktlinjer för bostadsförsörjning, ersatta av samma riktlinjer för stöd",
         {bostad},
         {{"riktlinjer-stod-2027", {stod2027}}},
         Replacement{"riktlinjer-stod-2027", D("2027-01-01")},
         {{"2026-12-31", true}, {"2027-01-01", false}}},
        {"program med två efterföljare: den som träder i kraft först avgör",
         {Version(Status::kInForce, "2015-02-23", "2015-03-01")},
         {{"program-b", {Replacing(Version(Status::kInForce, "2026-10-19", "2027-03-01"))}},
          {"program-a", {Replacing(Version(Status::kInForce, "2026-10-19", "2027-07-01"))}}},
         Replacement{"program-b", D("2027-03-01")},
         {{"2027-02-28", true}, {"2027-03-01", false}}},
        {"två efterföljare samma dag: det minsta id:t nämns",
         {Version(Status::kInForce, "2015-02-23", "2015-03-01")},
         {{"plan-b", {Replacing(Version(Status::kInForce, "2026-10-19", "2027-01-01"))}},
          {"plan-a", {Replacing(Version(Status::kInForce, "2026-10-19", "2027-01-01"))}}},
         Replacement{"plan-a", D("2027-01-01")},
         {{"2027-01-01", false}}},
        {"efterföljare som bara är ett utkast ersätter inget",
         {Version(Status::kInForce, "2019-06-17", "2019-07-01")},
         {{"vision-2040", {Replacing(Version(Status::kDraft, "2026-11-16", "2027-01-01"))}}},
         std::nullopt,
         {{"2027-06-01", true}}},
        {"efterföljare utan datum ersätter inget",
         {Version(Status::kInForce, "2019-06-17", "2019-07-01")},
         {{"vision-2040", {Replacing(Version(Status::kInForce, nullptr))}}},
         std::nullopt,
         {{"2027-06-01", true}}},
        // The successor's first version, the programme under its former title, replaced
        // nothing: only the version that names the document ends it.
        {"folkhälsoprogram, ersatt när miljöprogrammet blev hållbarhetsprogram",
         {Version(Status::kInForce, "2014-02-24", "2014-03-01", "2021-02-22")},
         {{"hallbarhetsprogram",
           {Version(Status::kInForce, "2016-04-25", "2016-05-01"),
            Replacing(Version(Status::kInForce, "2021-02-22", "2021-03-01", "2030-12-31"))}}},
         Replacement{"hallbarhetsprogram", D("2021-03-01")},
         {{"2016-05-01", true}, {"2021-02-22", true}, {"2021-03-01", false}}},
        {"efterföljare som inte ersätter något",
         {Version(Status::kInForce, "2019-06-17", "2019-07-01")},
         {{"vision-2040", {Version(Status::kInForce, "2026-11-16", "2027-01-01")}}},
         std::nullopt,
         {{"2027-06-01", true}}},
        {"inga efterföljare",
         {Version(Status::kInForce, "2019-06-17")},
         {},
         std::nullopt,
         {{"2030-01-01", true}}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        const std::optional<Replacement> replacement = FirstReplacement(c.successors);
        EXPECT_EQ(replacement, c.expected);
        const auto intervals = ForceIntervals(
            c.versions, replacement ? std::optional<Date>(replacement->from) : std::nullopt);
        for (const Check& check : c.checks) {
            SCOPED_TRACE(check.day);
            EXPECT_EQ(DocumentStateOn(c.versions, intervals, D(check.day)) == kIn, check.in_force);
        }
    }
}

// The timeline covers every day once, with the version a reader is shown then; it agrees
// with DocumentStateOn and with the version's own state while that one is in force.
TEST(Validity, TimelineCoversEveryDayOnceAndAgreesWithTheStates) {
    const std::vector<std::vector<Metadata>> documents = {
        {Version(Status::kInForce, "2021-05-24", "2021-07-01"),
         Version(Status::kInForce, "2026-11-16", "2027-01-01")},
        {Version(Status::kInForce, "2015-03-01", "2015-04-01", "2016-12-31"),
         Version(Status::kInForce, "2019-05-01", "2019-06-01")},
        {Version(Status::kInForce, "2011-09-26", "2011-10-01"),
         Version(Status::kRepealed, "2011-09-26", "2011-10-01", "2020-06-15")},
        {Version(Status::kInForce, "2020-03-10", "2020-04-01", "2020-03-31")},
        {Version(Status::kDraft, nullptr)},
        {Version(Status::kInForce, nullptr)},
        {Version(Status::kInForce, "2017-10-30", "2018-01-01"),
         Version(Status::kDraft, "2026-12-01", "2027-01-01")},
    };
    for (std::size_t d = 0; d < documents.size(); ++d) {
        SCOPED_TRACE("document " + std::to_string(d));
        const auto& versions = documents[d];
        const auto intervals = ForceIntervals(versions);
        const auto spans = DocumentTimeline(versions, intervals);
        if (spans.empty()) {
            EXPECT_EQ(DocumentStateOn(versions, intervals, D("2020-01-01")), kDraft);
            continue;
        }
        EXPECT_FALSE(spans.front().from);
        EXPECT_FALSE(spans.back().to);
        for (std::size_t s = 0; s + 1 < spans.size(); ++s) {
            ASSERT_TRUE(spans[s].to && spans[s + 1].from);
            EXPECT_EQ(spans[s].to->AddDays(1), *spans[s + 1].from);
        }
        for (Date day = D("2010-01-01"); day < D("2028-01-01"); day = day.AddDays(7)) {
            const auto span = std::find_if(spans.begin(), spans.end(),
                                           [&](const StateSpan& s) { return s.Contains(day); });
            ASSERT_NE(span, spans.end()) << day.ToString();
            EXPECT_EQ(span->state, DocumentStateOn(versions, intervals, day)) << day.ToString();
            if (span->state == kIn) {
                EXPECT_EQ(VersionStateOn(versions, span->version, intervals, day), kIn);
            }
        }
        // A version's spans are consecutive.
        for (std::size_t s = 0; s < spans.size(); ++s) {
            for (std::size_t t = s + 2; t < spans.size(); ++t) {
                if (spans[s].version == spans[t].version) {
                    EXPECT_EQ(spans[s + 1].version, spans[s].version);
                }
            }
        }
    }
}

TEST(Validity, IntervalContainsBothEnds) {
    const ForceInterval closed{D("2020-01-01"), D("2020-12-31")};
    EXPECT_TRUE(closed.Contains(D("2020-01-01")));
    EXPECT_TRUE(closed.Contains(D("2020-12-31")));
    EXPECT_FALSE(closed.Contains(D("2019-12-31")));
    EXPECT_FALSE(closed.Contains(D("2021-01-01")));
    const ForceInterval open{D("2020-01-01"), std::nullopt};
    EXPECT_TRUE(open.Contains(D("2099-01-01")));
}

}  // namespace
}  // namespace styrdok::core
