#include "styrdok/core/validity.hpp"

#include <gtest/gtest.h>

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
