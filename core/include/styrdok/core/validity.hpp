#pragma once

#include <optional>
#include <vector>

#include "styrdok/core/date.hpp"
#include "styrdok/core/metadata.hpp"

namespace styrdok::core {

/// The days in which one version of a document was the one in force; both ends inclusive,
/// an empty `to` meaning still in force (tillsvidare). An empty interval (never in force) is
/// represented by nullopt from ForceIntervals.
struct ForceInterval {
    Date from;
    std::optional<Date> to;

    bool Contains(Date date) const noexcept { return from <= date && (!to || date <= *to); }
};

/// For the versions of one document in commit order (oldest first), the interval in which
/// each was in force, decided by the metadata, not by commit dates: a version applies from
/// its EffectiveFrom() until its own valid_to or the day before a later adopted version takes
/// over, whichever is first. Drafts and versions without a date are never in force. A later
/// version with the same or an earlier start supersedes the earlier one from that start.
/// A repealed (upphävd) version applies up to its valid_to; one without a valid_to is never
/// in force, though as an adopted version it still ends the versions before it.
std::vector<std::optional<ForceInterval>> ForceIntervals(const std::vector<Metadata>& versions);

/// The index of the version in force on `date`, if any.
std::optional<std::size_t> VersionInForceOn(const std::vector<Metadata>& versions, Date date);

}  // namespace styrdok::core
