#include "styrdok/core/validity.hpp"

namespace styrdok::core {

namespace {

// The day a version takes over, or nullopt when it never does: drafts were never adopted,
// and a version without a date cannot be placed in time.
std::optional<Date> TakesOverOn(const Metadata& version) {
    if (version.status == Status::kDraft) return std::nullopt;
    return version.EffectiveFrom();
}

}  // namespace

std::vector<std::optional<ForceInterval>> ForceIntervals(const std::vector<Metadata>& versions) {
    std::vector<std::optional<Date>> starts;
    starts.reserve(versions.size());
    for (const Metadata& version : versions) starts.push_back(TakesOverOn(version));

    std::vector<std::optional<ForceInterval>> intervals(versions.size());
    for (std::size_t i = 0; i < versions.size(); ++i) {
        if (!starts[i]) continue;
        const Metadata& version = versions[i];
        // A repeal is recorded with the day it took effect; without one there is no day up
        // to which the version can be said to have applied, and showing it as in force
        // tillsvidare would contradict its status.
        if (version.status == Status::kRepealed && !version.valid_to) continue;

        ForceInterval interval{*starts[i], version.valid_to};
        bool superseded = false;
        for (std::size_t j = i + 1; j < versions.size() && !superseded; ++j) {
            if (!starts[j]) continue;
            if (*starts[j] <= interval.from) {
                superseded = true;
            } else if (!interval.to || *starts[j] <= *interval.to) {
                interval.to = starts[j]->AddDays(-1);
            }
        }
        if (superseded || (interval.to && *interval.to < interval.from)) continue;
        intervals[i] = interval;
    }
    return intervals;
}

std::optional<std::size_t> VersionInForceOn(const std::vector<Metadata>& versions, Date date) {
    const auto intervals = ForceIntervals(versions);
    // The intervals do not overlap (each ends before any later start), so the first match
    // is the only one.
    for (std::size_t i = 0; i < intervals.size(); ++i) {
        if (intervals[i] && intervals[i]->Contains(date)) return i;
    }
    return std::nullopt;
}

}  // namespace styrdok::core
