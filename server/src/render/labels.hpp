#pragma once

#include <string>
#include <string_view>

#include "styrdok/core/date.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/core/validity.hpp"

namespace styrdok::server {

// Swedish names of the registry's ids for people; each falls back to the id itself for what
// the schema does not know.
std::string DocTypeLabel(const core::Schema& schema, std::string_view id);
std::string BodyName(const core::Schema& schema, std::string_view id);
std::string GoalAreaName(const core::Schema& schema, std::string_view id);
/// A decided status or a computed state (core::ForceStateName) as a label: "Gällande",
/// "Upphävd", "Utkast", "Ej i kraft än", "Upphört".
std::string StatusLabel(std::string_view status);
/// The CSS class of a state's badge: "galler", "upphavd", "ej-ikraft", "upphort", "utkast".
std::string StateClass(std::string_view state);
/// "Politisk", "Administrativ".
std::string CategoryLabel(std::string_view category);

/// "Gäller från 2021-03-01 tills vidare", "Gällde 2015-01-01 – 2022-12-31", …
std::string ValidityText(const std::string& from, const std::string& to);

/// When a version was in force, as of `today`: "Gäller från 2021-07-01 tills vidare",
/// "Gällde 2009-04-01 – 2015-06-30", "Börjar gälla 2027-01-01", "Har aldrig gällt".
std::string ForceText(const std::optional<core::ForceInterval>& interval, core::Date today);

/// "23 träffar", "1 träff", "Inga träffar".
std::string HitCountText(std::size_t total);

/// A number as Swedish writes it, thousands grouped by non-breaking spaces: "12 345".
std::string NumberText(std::size_t number);

/// An optional date as "YYYY-MM-DD", or empty.
std::string DateText(const std::optional<core::Date>& date);

}  // namespace styrdok::server
