#include "styrdok/core/mandate_period.hpp"

namespace styrdok::core {

namespace {

// From the 2014 election on, election day moved from the third to the second Sunday of
// September and fullmäktige's period start from 1 November to 15 October.
constexpr int kFirstYearOfCurrentRules = 2014;
constexpr int kYearsBetweenElections = 4;

bool IsElectionYear(int year) noexcept {
    return year >= kFirstElectionYear && (year - kFirstElectionYear) % kYearsBetweenElections == 0;
}

Date PeriodStart(int election_year, PeriodKind kind) {
    if (kind == PeriodKind::kBoard) return *Date::FromYmd(election_year + 1, 1, 1);
    if (election_year >= kFirstYearOfCurrentRules) return *Date::FromYmd(election_year, 10, 15);
    return *Date::FromYmd(election_year, 11, 1);
}

}  // namespace

std::string MandatePeriod::Label() const {
    return std::to_string(election_year) + "\u2013" +
           std::to_string(election_year + kYearsBetweenElections);
}

std::optional<Date> ElectionDay(int year) {
    if (!IsElectionYear(year)) return std::nullopt;
    const Date first_of_september = *Date::FromYmd(year, 9, 1);
    const int first_sunday = 1 + (7 - first_of_september.IsoWeekday()) % 7;
    const int sunday_number = year >= kFirstYearOfCurrentRules ? 2 : 3;
    return Date::FromYmd(year, 9, first_sunday + 7 * (sunday_number - 1));
}

std::optional<MandatePeriod> PeriodAfterElection(int election_year, PeriodKind kind) {
    const std::optional<Date> election_day = ElectionDay(election_year);
    if (!election_day) return std::nullopt;
    MandatePeriod period;
    period.election_year = election_year;
    period.election_day = *election_day;
    period.start = PeriodStart(election_year, kind);
    // Ending the day before the next start covers the 2010–2014 council period, which
    // started on 1 November and ends on 14 October because the rule changed in between.
    period.end = PeriodStart(election_year + kYearsBetweenElections, kind).AddDays(-1);
    period.kind = kind;
    return period;
}

std::optional<MandatePeriod> PeriodContaining(Date date, PeriodKind kind) {
    if (date.year() < kFirstElectionYear) return std::nullopt;
    int election_year = date.year() - (date.year() - kFirstElectionYear) % kYearsBetweenElections;
    // Between an election year's 1 January and the new period's start, the previous
    // period is still running.
    if (date < PeriodStart(election_year, kind)) election_year -= kYearsBetweenElections;
    if (election_year < kFirstElectionYear) return std::nullopt;
    return PeriodAfterElection(election_year, kind);
}

}  // namespace styrdok::core
