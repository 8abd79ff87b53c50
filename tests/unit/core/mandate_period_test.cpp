#include "styrdok/core/mandate_period.hpp"

#include <gtest/gtest.h>

#include <string>

namespace styrdok::core {
namespace {

Date D(std::string_view text) { return Date::Parse(text).value(); }

// Election days as held (Valmyndigheten), not derived from the rule under test.
constexpr struct {
    int year;
    const char* election_day;
    const char* council_start;
    const char* council_end;
} kElections[] = {
    {1994, "1994-09-18", "1994-11-01", "1998-10-31"},
    {1998, "1998-09-20", "1998-11-01", "2002-10-31"},
    {2002, "2002-09-15", "2002-11-01", "2006-10-31"},
    {2006, "2006-09-17", "2006-11-01", "2010-10-31"},
    {2010, "2010-09-19", "2010-11-01", "2014-10-14"},
    {2014, "2014-09-14", "2014-10-15", "2018-10-14"},
    {2018, "2018-09-09", "2018-10-15", "2022-10-14"},
    {2022, "2022-09-11", "2022-10-15", "2026-10-14"},
    {2026, "2026-09-13", "2026-10-15", "2030-10-14"},
    {2030, "2030-09-08", "2030-10-15", "2034-10-14"},
};

TEST(MandatePeriod, KnowsEveryElectionDayFrom1994To2030) {
    for (const auto& e : kElections) {
        SCOPED_TRACE(e.year);
        const auto day = ElectionDay(e.year);
        ASSERT_TRUE(day);
        EXPECT_EQ(*day, D(e.election_day));
        EXPECT_EQ(day->IsoWeekday(), 7);
    }
}

TEST(MandatePeriod, HasNoElectionOutsideTheFourYearCycle) {
    for (int year : {1990, 1993, 1995, 1996, 1997, 2013, 2015, 2024, 2025, 2027}) {
        SCOPED_TRACE(year);
        EXPECT_FALSE(ElectionDay(year));
        EXPECT_FALSE(PeriodAfterElection(year));
    }
}

TEST(MandatePeriod, CouncilPeriodFollowsEachElection) {
    for (const auto& e : kElections) {
        SCOPED_TRACE(e.year);
        const auto period = PeriodAfterElection(e.year, PeriodKind::kCouncil);
        ASSERT_TRUE(period);
        EXPECT_EQ(period->election_year, e.year);
        EXPECT_EQ(period->election_day, D(e.election_day));
        EXPECT_EQ(period->start, D(e.council_start));
        EXPECT_EQ(period->end, D(e.council_end));
        EXPECT_EQ(period->kind, PeriodKind::kCouncil);
    }
}

TEST(MandatePeriod, StartsOnNovemberFirstBefore2014) {
    for (int year : {1994, 1998, 2002, 2006, 2010}) {
        SCOPED_TRACE(year);
        const Date start = *Date::FromYmd(year, 11, 1);
        const auto period = PeriodContaining(start);
        ASSERT_TRUE(period);
        EXPECT_EQ(period->election_year, year);
        EXPECT_EQ(period->start, start);
        const auto before = PeriodContaining(start.AddDays(-1));
        if (year == kFirstElectionYear) {
            EXPECT_FALSE(before);
        } else {
            ASSERT_TRUE(before);
            EXPECT_EQ(before->election_year, year - 4);
        }
    }
}

TEST(MandatePeriod, StartsOnOctoberFifteenthSince2014) {
    for (int year : {2014, 2018, 2022, 2026, 2030}) {
        SCOPED_TRACE(year);
        const Date start = *Date::FromYmd(year, 10, 15);
        const auto period = PeriodContaining(start);
        ASSERT_TRUE(period);
        EXPECT_EQ(period->election_year, year);
        EXPECT_EQ(period->start, start);
        const auto before = PeriodContaining(start.AddDays(-1));
        ASSERT_TRUE(before);
        EXPECT_EQ(before->election_year, year - 4);
        EXPECT_EQ(before->end, start.AddDays(-1));
    }
}

TEST(MandatePeriod, ElectionDayBelongsToTheOldCouncil) {
    for (const auto& e : kElections) {
        SCOPED_TRACE(e.year);
        const auto period = PeriodContaining(D(e.election_day));
        if (e.year == 1994) {
            EXPECT_FALSE(period);
            continue;
        }
        ASSERT_TRUE(period);
        EXPECT_EQ(period->election_year, e.year - 4);
    }
}

TEST(MandatePeriod, HasNoPeriodBeforeTheFirst) {
    EXPECT_FALSE(PeriodContaining(D("1994-10-31")));
    EXPECT_FALSE(PeriodContaining(D("1980-06-01")));
    EXPECT_TRUE(PeriodContaining(D("1994-11-01")));
    EXPECT_FALSE(PeriodContaining(D("1994-12-31"), PeriodKind::kBoard));
    EXPECT_TRUE(PeriodContaining(D("1995-01-01"), PeriodKind::kBoard));
}

TEST(MandatePeriod, BoardPeriodRunsFromJanuaryAfterTheElectionYear) {
    for (const auto& e : kElections) {
        SCOPED_TRACE(e.year);
        const auto period = PeriodAfterElection(e.year, PeriodKind::kBoard);
        ASSERT_TRUE(period);
        EXPECT_EQ(period->start, *Date::FromYmd(e.year + 1, 1, 1));
        EXPECT_EQ(period->end, *Date::FromYmd(e.year + 4, 12, 31));
        EXPECT_EQ(period->kind, PeriodKind::kBoard);
        EXPECT_EQ(period->election_day, D(e.election_day));
    }
}

TEST(MandatePeriod, BoardPeriodOfTheElectionYearIsStillTheOldOne) {
    const struct {
        const char* date;
        int election_year;
    } cases[] = {
        {"2026-10-15", 2022}, {"2026-12-31", 2022}, {"2027-01-01", 2026},
        {"2030-12-31", 2026}, {"2031-01-01", 2030}, {"2023-06-01", 2022},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.date);
        const auto period = PeriodContaining(D(c.date), PeriodKind::kBoard);
        ASSERT_TRUE(period);
        EXPECT_EQ(period->election_year, c.election_year);
        EXPECT_TRUE(period->Contains(D(c.date)));
    }
}

TEST(MandatePeriod, CouncilPeriodsTileTheCalendarWithoutGaps) {
    Date date = D("1994-11-01");
    auto period = PeriodContaining(date);
    while (date < D("2040-01-01")) {
        ASSERT_TRUE(period);
        const auto next = PeriodContaining(period->end.AddDays(1));
        ASSERT_TRUE(next);
        EXPECT_EQ(next->election_year, period->election_year + 4);
        EXPECT_EQ(PeriodContaining(period->end)->election_year, period->election_year);
        date = next->start;
        period = next;
    }
}

TEST(MandatePeriod, ContainsBothEnds) {
    const auto period = PeriodAfterElection(2026).value();
    EXPECT_TRUE(period.Contains(D("2026-10-15")));
    EXPECT_TRUE(period.Contains(D("2030-10-14")));
    EXPECT_FALSE(period.Contains(D("2026-10-14")));
    EXPECT_FALSE(period.Contains(D("2030-10-15")));
}

TEST(MandatePeriod, LabelUsesAnEnDash) {
    EXPECT_EQ(PeriodAfterElection(2026)->Label(), "2026\u20132030");
    EXPECT_EQ(PeriodAfterElection(2022, PeriodKind::kBoard)->Label(), "2022\u20132026");
    EXPECT_EQ(PeriodContaining(D("2010-12-01"))->Label(), "2010\u20132014");
}

}  // namespace
}  // namespace styrdok::core
