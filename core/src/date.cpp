#include "styrdok/core/date.hpp"

#include <cstdio>

namespace styrdok::core {

namespace {

// Howard Hinnant's days_from_civil / civil_from_days: eras of 400 years starting on
// 1 March, so that the leap day falls at the end of the computational year and the
// arithmetic needs no table.
long DaysFromCivil(long y, int m, int d) noexcept {
    y -= m <= 2 ? 1 : 0;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct Civil {
    long year;
    int month;
    int day;
};

Civil CivilFromDays(long z) noexcept {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    return {yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

bool IsDigit(char c) noexcept { return c >= '0' && c <= '9'; }

int Digits(std::string_view text) noexcept {
    int value = 0;
    for (char c : text) value = value * 10 + (c - '0');
    return value;
}

}  // namespace

bool IsLeapYear(int year) noexcept { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) noexcept {
    constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    if (month == 2 && IsLeapYear(year)) return 29;
    return kDays[month - 1];
}

std::optional<Date> Date::FromYmd(int year, int month, int day) {
    if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
        return std::nullopt;
    }
    return Date(year, month, day);
}

std::optional<Date> Date::Parse(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        if (!IsDigit(text[i])) return std::nullopt;
    }
    return FromYmd(Digits(text.substr(0, 4)), Digits(text.substr(5, 2)), Digits(text.substr(8, 2)));
}

Date Date::FromDaysSinceEpoch(long days) {
    const Civil c = CivilFromDays(days);
    return Date(static_cast<int>(c.year), c.month, c.day);
}

long Date::DaysSinceEpoch() const noexcept { return DaysFromCivil(year_, month_, day_); }

int Date::IsoWeekday() const noexcept {
    // 1970-01-01 was a Thursday (ISO 4); the double modulo keeps earlier dates positive.
    const long days = DaysSinceEpoch();
    return static_cast<int>(((days + 3) % 7 + 7) % 7) + 1;
}

Date Date::AddDays(long days) const noexcept { return FromDaysSinceEpoch(DaysSinceEpoch() + days); }

Date Date::AddMonths(int months) const noexcept {
    const long total = static_cast<long>(year_) * 12 + (month_ - 1) + months;
    // Floor division so that going back across year 0 still lands on months 1..12.
    const long year = total >= 0 ? total / 12 : (total - 11) / 12;
    const int month = static_cast<int>(total - year * 12) + 1;
    const int last = DaysInMonth(static_cast<int>(year), month);
    return Date(static_cast<int>(year), month, day_ < last ? day_ : last);
}

std::string Date::ToString() const {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year_, month_, day_);
    return buffer;
}

}  // namespace styrdok::core
