#pragma once

#include <optional>
#include <string>

#include "styrdok/core/date.hpp"

namespace styrdok::core {

/// Whose term a period is: kommunfullmäktige's (from 15 October of the election year since
/// 2014, 1 November 1994–2010) or the nämnder's (from 1 January after the election year).
enum class PeriodKind { kCouncil, kBoard };

/// One four-year mandate period; `start` and `end` are both inclusive.
struct MandatePeriod {
    int election_year = 0;
    Date election_day;
    Date start;
    Date end;
    PeriodKind kind = PeriodKind::kCouncil;

    /// "2026–2030" (with an en dash), the way the period is spoken of.
    std::string Label() const;
    bool Contains(Date date) const noexcept { return start <= date && date <= end; }
};

/// The first general election the calendar knows (1994); earlier dates have no period.
inline constexpr int kFirstElectionYear = 1994;

/// Election day of the general election held in `year`: the third Sunday of September
/// 1994–2010, the second Sunday from 2014 on. nullopt when no regular election was held.
std::optional<Date> ElectionDay(int year);

/// The mandate period of `kind` that contains `date`; nullopt before the first period.
std::optional<MandatePeriod> PeriodContaining(Date date, PeriodKind kind = PeriodKind::kCouncil);

/// The period of `kind` that starts after the election held in `election_year`.
std::optional<MandatePeriod> PeriodAfterElection(int election_year,
                                                 PeriodKind kind = PeriodKind::kCouncil);

}  // namespace styrdok::core
