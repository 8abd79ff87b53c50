#include "styrdok/core/date.hpp"

#include <gtest/gtest.h>

#include <string>

namespace styrdok::core {
namespace {

Date D(std::string_view text) { return Date::Parse(text).value(); }

TEST(Date, ParsesIsoCalendarDate) {
    const auto date = Date::Parse("2026-10-15");
    ASSERT_TRUE(date);
    EXPECT_EQ(date->year(), 2026);
    EXPECT_EQ(date->month(), 10);
    EXPECT_EQ(date->day(), 15);
    EXPECT_EQ(date->ToString(), "2026-10-15");
}

TEST(Date, RejectsTextThatIsNotExactlyYyyyMmDd) {
    for (const char* text :
         {"", "2026-1-15", "2026-10-5", "26-10-15", "2026/10/15", "20261015", " 2026-10-15",
          "2026-10-15 ", "2026-10-15T00:00", "2026-1a-15", "+026-10-15", "2026--10-15", "x"}) {
        SCOPED_TRACE(text);
        EXPECT_FALSE(Date::Parse(text));
    }
}

TEST(Date, RejectsDaysThatDoNotExist) {
    for (const char* text :
         {"2023-02-29", "2024-02-30", "2026-02-30", "2026-04-31", "2026-13-01", "2026-00-10",
          "2026-01-00", "2026-01-32", "1900-02-29", "2100-02-29"}) {
        SCOPED_TRACE(text);
        EXPECT_FALSE(Date::Parse(text));
    }
}

TEST(Date, AcceptsLeapDays) {
    for (const char* text : {"2024-02-29", "2000-02-29", "1996-02-29"}) {
        SCOPED_TRACE(text);
        EXPECT_TRUE(Date::Parse(text));
    }
}

TEST(Date, FromYmdChecksTheDayAgainstTheMonth) {
    EXPECT_TRUE(Date::FromYmd(2024, 2, 29));
    EXPECT_FALSE(Date::FromYmd(2025, 2, 29));
    EXPECT_FALSE(Date::FromYmd(2025, 6, 31));
    EXPECT_TRUE(Date::FromYmd(2025, 12, 31));
}

TEST(Date, LeapYearsFollowTheGregorianRule) {
    EXPECT_TRUE(IsLeapYear(2024));
    EXPECT_TRUE(IsLeapYear(2000));
    EXPECT_FALSE(IsLeapYear(1900));
    EXPECT_FALSE(IsLeapYear(2026));
    EXPECT_EQ(DaysInMonth(2024, 2), 29);
    EXPECT_EQ(DaysInMonth(2026, 2), 28);
    EXPECT_EQ(DaysInMonth(2026, 4), 30);
    EXPECT_EQ(DaysInMonth(2026, 12), 31);
}

TEST(Date, CountsDaysSinceTheEpoch) {
    const struct {
        const char* date;
        long days;
    } cases[] = {
        {"1970-01-01", 0},     {"1970-01-02", 1},      {"1969-12-31", -1},    {"2000-03-01", 11017},
        {"2024-02-29", 19782}, {"1900-01-01", -25567}, {"2038-01-19", 24855},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.date);
        EXPECT_EQ(D(c.date).DaysSinceEpoch(), c.days);
        EXPECT_EQ(Date::FromDaysSinceEpoch(c.days), D(c.date));
    }
}

TEST(Date, DaysSinceEpochRoundTripsEveryDayOfFourCenturies) {
    Date date = D("1900-01-01");
    long expected = date.DaysSinceEpoch();
    while (date < D("2300-01-01")) {
        ASSERT_EQ(date.DaysSinceEpoch(), expected) << date.ToString();
        ASSERT_EQ(Date::FromDaysSinceEpoch(expected), date) << date.ToString();
        date = date.AddDays(1);
        ++expected;
    }
}

TEST(Date, KnowsTheIsoWeekday) {
    const struct {
        const char* date;
        int weekday;
    } cases[] = {
        {"1970-01-01", 4}, {"2026-09-13", 7}, {"2022-09-11", 7}, {"2024-02-29", 4},
        {"1969-12-29", 1}, {"2000-01-01", 6}, {"2026-10-15", 4},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.date);
        EXPECT_EQ(D(c.date).IsoWeekday(), c.weekday);
    }
}

TEST(Date, AddsDaysAcrossMonthsAndYears) {
    EXPECT_EQ(D("2026-12-31").AddDays(1), D("2027-01-01"));
    EXPECT_EQ(D("2024-02-28").AddDays(1), D("2024-02-29"));
    EXPECT_EQ(D("2026-10-15").AddDays(-1), D("2026-10-14"));
    EXPECT_EQ(D("2026-03-01").AddDays(-1), D("2026-02-28"));
}

TEST(Date, AddMonthsClampsToTheMonthsEnd) {
    const struct {
        const char* from;
        int months;
        const char* to;
    } cases[] = {
        {"2024-01-31", 1, "2024-02-29"},  {"2025-01-31", 1, "2025-02-28"},
        {"2024-02-29", 12, "2025-02-28"}, {"2024-02-29", 48, "2028-02-29"},
        {"2026-03-31", 1, "2026-04-30"},  {"2026-10-15", 12, "2027-10-15"},
        {"2026-11-30", 2, "2027-01-30"},  {"2026-12-31", 2, "2027-02-28"},
        {"2026-03-31", -1, "2026-02-28"}, {"2026-01-15", -13, "2024-12-15"},
        {"2026-05-20", 0, "2026-05-20"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.from) + " + " + std::to_string(c.months));
        EXPECT_EQ(D(c.from).AddMonths(c.months), D(c.to));
    }
}

TEST(Date, OrdersChronologically) {
    EXPECT_LT(D("2026-10-14"), D("2026-10-15"));
    EXPECT_LT(D("2025-12-31"), D("2026-01-01"));
    EXPECT_EQ(D("2026-01-01"), D("2026-01-01"));
}

}  // namespace
}  // namespace styrdok::core
