#pragma once

#include <ctime>
#include <string>
#include <vector>

#include "styrdok/core/date.hpp"

namespace styrdok::server {

/// One review deadline for the calendar.
struct CalendarEntry {
    std::string id;     ///< document id: with the day, the event's stable UID
    std::string title;  ///< the document's title
    core::Date day;     ///< the last day the review is on time
    std::string state;  ///< Swedish: "ska prövas", "försenad", "prövas senare"
    std::string owner;
    std::string url;  ///< the document's page, absolute
};

/// The deadlines as an iCalendar file (RFC 5545, built with libical): one all-day VEVENT per
/// entry, UID `<id>-<day>@<host>` so that a calendar that subscribes keeps each event as it
/// moves nothing and replaces it when the deadline moves, DTSTAMP `now`, METHOD PUBLISH.
std::string ReviewCalendar(const std::vector<CalendarEntry>& entries, const std::string& name,
                           const std::string& host, std::time_t now);

}  // namespace styrdok::server
