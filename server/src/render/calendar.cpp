#include "calendar.hpp"

#include <libical/ical.h>

#include <cstdlib>
#include <memory>

#include "styrdok/core/error.hpp"

namespace styrdok::server {

namespace {

struct ComponentFree {
    void operator()(icalcomponent* component) const { icalcomponent_free(component); }
};
using Component = std::unique_ptr<icalcomponent, ComponentFree>;

icaltimetype AllDay(core::Date date) {
    icaltimetype day = icaltime_null_date();
    day.year = date.year();
    day.month = date.month();
    day.day = date.day();
    return day;
}

}  // namespace

std::string ReviewCalendar(const std::vector<CalendarEntry>& entries, const std::string& name,
                           const std::string& host, std::time_t now) {
    Component calendar(icalcomponent_new_vcalendar());
    icalcomponent_add_property(calendar.get(), icalproperty_new_version("2.0"));
    icalcomponent_add_property(calendar.get(),
                               icalproperty_new_prodid("-//Styrdok//Aktualitetsprövning//SV"));
    icalcomponent_add_property(calendar.get(), icalproperty_new_calscale("GREGORIAN"));
    icalcomponent_add_property(calendar.get(), icalproperty_new_method(ICAL_METHOD_PUBLISH));
    icalproperty* calendar_name = icalproperty_new_x(name.c_str());
    icalproperty_set_x_name(calendar_name, "X-WR-CALNAME");
    icalcomponent_add_property(calendar.get(), calendar_name);

    const icaltimetype stamp =
        icaltime_from_timet_with_zone(now, 0, icaltimezone_get_utc_timezone());
    for (const CalendarEntry& entry : entries) {
        icalcomponent* event = icalcomponent_new_vevent();
        const std::string uid = entry.id + "-" + entry.day.ToString() + "@" + host;
        icalcomponent_add_property(event, icalproperty_new_uid(uid.c_str()));
        icalcomponent_add_property(event, icalproperty_new_dtstamp(stamp));
        const icaltimetype start = AllDay(entry.day);
        icaltimetype end = start;
        icaltime_adjust(&end, 1, 0, 0, 0);
        icalcomponent_add_property(event, icalproperty_new_dtstart(start));
        icalcomponent_add_property(event, icalproperty_new_dtend(end));
        const std::string summary = "Aktualitetspröva: " + entry.title;
        icalcomponent_add_property(event, icalproperty_new_summary(summary.c_str()));
        std::string description =
            "Sista dag för aktualitetsprövning av " + entry.title + " (" + entry.state + ").";
        if (!entry.owner.empty()) description += " Dokumentansvarig: " + entry.owner + ".";
        description += " " + entry.url;
        icalcomponent_add_property(event, icalproperty_new_description(description.c_str()));
        icalcomponent_add_property(event, icalproperty_new_url(entry.url.c_str()));
        icalcomponent_add_property(event, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
        icalcomponent_add_component(calendar.get(), event);
    }
    char* text = icalcomponent_as_ical_string_r(calendar.get());
    if (text == nullptr) {
        throw Error(ErrorCode::kInternal, "libical could not write the calendar");
    }
    std::string ics(text);
    std::free(text);
    return ics;
}

}  // namespace styrdok::server
