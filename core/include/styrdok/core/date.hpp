#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace styrdok::core {

/// A civil date in the proleptic Gregorian calendar, without time or zone. Valid by
/// construction: the only ways to make one check the day against the month and leap years.
class Date {
public:
    /// 1970-01-01; lets records holding a Date (ReviewRecord, MandatePeriod) be built field
    /// by field.
    Date() = default;
    /// Returns the date, or nullopt when year/month/day do not name a real day (30 February).
    static std::optional<Date> FromYmd(int year, int month, int day);
    /// Parses exactly "YYYY-MM-DD" (ISO 8601 calendar date); nullopt for anything else.
    static std::optional<Date> Parse(std::string_view text);
    /// The date `days` days after 1970-01-01 (negative before it).
    static Date FromDaysSinceEpoch(long days);

    int year() const noexcept { return year_; }
    int month() const noexcept { return month_; }
    int day() const noexcept { return day_; }

    /// Days since 1970-01-01; strictly increasing with the date, so usable as a sort key.
    long DaysSinceEpoch() const noexcept;
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    int IsoWeekday() const noexcept;
    Date AddDays(long days) const noexcept;
    /// Adds calendar months, clamping to the month's end (2024-01-31 + 1 month = 2024-02-29).
    Date AddMonths(int months) const noexcept;
    /// "YYYY-MM-DD".
    std::string ToString() const;

    friend auto operator<=>(const Date&, const Date&) = default;

private:
    Date(int year, int month, int day) : year_(year), month_(month), day_(day) {}
    int year_ = 1970;
    int month_ = 1;
    int day_ = 1;
};

bool IsLeapYear(int year) noexcept;
int DaysInMonth(int year, int month) noexcept;

}  // namespace styrdok::core
