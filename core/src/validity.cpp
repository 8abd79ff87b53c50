#include "styrdok/core/validity.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "styrdok/core/utf8.hpp"

namespace styrdok::core {

namespace {

constexpr std::array<std::pair<ForceState, std::string_view>, 5> kStateNames{{
    {ForceState::kInForce, "gällande"},
    {ForceState::kNotYetInForce, "ej i kraft än"},
    {ForceState::kExpired, "upphört"},
    {ForceState::kRepealed, "upphävd"},
    {ForceState::kDraft, "utkast"},
}};

// The day a version takes over, or nullopt when it never does: drafts were never adopted,
// and a version without a date cannot be placed in time.
std::optional<Date> TakesOverOn(const Metadata& version) {
    if (version.status == Status::kDraft) return std::nullopt;
    return version.EffectiveFrom();
}

// The last day a version may apply by its own metadata. A repeal recorded through a review
// writes valid_to; one recorded otherwise (an import, a hand edit) still has the day of the
// review that repealed it.
std::optional<Date> OwnEnd(const Metadata& version) {
    if (version.valid_to || version.status != Status::kRepealed) return version.valid_to;
    std::optional<Date> repealed_on;
    for (const ReviewRecord& review : version.reviews) {
        if (review.outcome == ReviewOutcome::kRepealed &&
            (!repealed_on || *repealed_on < review.decided_on)) {
            repealed_on = review.decided_on;
        }
    }
    return repealed_on;
}

std::optional<std::size_t> LatestAdopted(const std::vector<Metadata>& versions) {
    for (std::size_t i = versions.size(); i > 0; --i) {
        if (versions[i - 1].status != Status::kDraft) return i - 1;
    }
    return std::nullopt;
}

}  // namespace

std::string_view ForceStateName(ForceState state) {
    for (const auto& [candidate, name] : kStateNames) {
        if (candidate == state) return name;
    }
    return {};
}

std::optional<ForceState> ParseForceState(std::string_view name) {
    name = Trim(name);
    if (!IsValidUtf8(name)) return std::nullopt;
    const std::string folded = FoldCase(name);
    for (const auto& [state, candidate] : kStateNames) {
        if (candidate == folded) return state;
    }
    return std::nullopt;
}

std::vector<std::string> ReplacedDocuments(const Metadata& version) {
    std::vector<std::string> ids;
    for (const std::string& id : version.replaces) {
        if (id.empty() || id == version.id) continue;
        if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
    return ids;
}

std::optional<Replacement> FirstReplacement(const std::vector<SuccessorStart>& successors) {
    std::optional<Replacement> first;
    for (const SuccessorStart& successor : successors) {
        if (!successor.first_in_force) continue;
        if (!first || *successor.first_in_force < first->from ||
            (*successor.first_in_force == first->from && successor.id < first->successor)) {
            first = Replacement{successor.id, *successor.first_in_force};
        }
    }
    return first;
}

std::optional<Replacement> FirstReplacement(
    const std::vector<std::pair<std::string, std::vector<Metadata>>>& successors) {
    std::vector<SuccessorStart> starts;
    starts.reserve(successors.size());
    for (const auto& [id, versions] : successors) {
        starts.push_back(SuccessorStart{id, FirstDayReplacing(versions)});
    }
    return FirstReplacement(starts);
}

std::vector<std::optional<ForceInterval>> ForceIntervals(const std::vector<Metadata>& versions) {
    std::vector<std::optional<Date>> starts;
    starts.reserve(versions.size());
    for (const Metadata& version : versions) starts.push_back(TakesOverOn(version));

    std::vector<std::optional<ForceInterval>> intervals(versions.size());
    for (std::size_t i = 0; i < versions.size(); ++i) {
        if (!starts[i]) continue;
        const Metadata& version = versions[i];
        const std::optional<Date> end = OwnEnd(version);
        // Without a day on which it took effect there is no day up to which a repealed version
        // can be said to have applied, and showing it in force tillsvidare would contradict
        // its status.
        if (version.status == Status::kRepealed && !end) continue;

        ForceInterval interval{*starts[i], end};
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

std::vector<std::optional<ForceInterval>> ForceIntervals(const std::vector<Metadata>& versions,
                                                         std::optional<Date> replaced_from) {
    std::vector<std::optional<ForceInterval>> intervals = ForceIntervals(versions);
    if (!replaced_from) return intervals;
    for (std::optional<ForceInterval>& interval : intervals) {
        if (!interval) continue;
        if (interval->from >= *replaced_from) {
            interval.reset();
        } else if (!interval->to || *interval->to >= *replaced_from) {
            interval->to = replaced_from->AddDays(-1);
        }
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

ForceState VersionStateOn(const std::vector<Metadata>& versions, std::size_t index,
                          const std::vector<std::optional<ForceInterval>>& intervals, Date day) {
    const Metadata& version = versions.at(index);
    if (version.status == Status::kDraft) return ForceState::kDraft;
    const bool repealed = version.status == Status::kRepealed;
    if (index < intervals.size() && intervals[index]) {
        const ForceInterval& interval = *intervals[index];
        if (interval.Contains(day)) return ForceState::kInForce;
        if (day < interval.from) return ForceState::kNotYetInForce;
        return repealed ? ForceState::kRepealed : ForceState::kExpired;
    }
    if (repealed) return ForceState::kRepealed;
    const std::optional<Date> start = version.EffectiveFrom();
    if (!start || day < *start) return ForceState::kNotYetInForce;
    return ForceState::kExpired;
}

std::vector<StateSpan> DocumentTimeline(
    const std::vector<Metadata>& versions,
    const std::vector<std::optional<ForceInterval>>& intervals) {
    const std::optional<std::size_t> latest = LatestAdopted(versions);
    if (!latest) return {};
    const ForceState ended = versions[*latest].status == Status::kRepealed ? ForceState::kRepealed
                                                                           : ForceState::kExpired;

    std::vector<std::size_t> in_force;
    for (std::size_t i = 0; i < versions.size() && i < intervals.size(); ++i) {
        if (intervals[i]) in_force.push_back(i);
    }
    std::sort(in_force.begin(), in_force.end(), [&](std::size_t a, std::size_t b) {
        return intervals[a]->from < intervals[b]->from;
    });

    std::vector<StateSpan> spans;
    if (in_force.empty()) {
        std::optional<Date> start;
        for (const Metadata& version : versions) {
            const std::optional<Date> from = TakesOverOn(version);
            if (from && (!start || *from < *start)) start = from;
        }
        if (!start) return {{std::nullopt, std::nullopt, *latest, ForceState::kNotYetInForce}};
        spans.push_back({std::nullopt, start->AddDays(-1), *latest, ForceState::kNotYetInForce});
        spans.push_back({*start, std::nullopt, *latest, ended});
        return spans;
    }

    const ForceInterval& first = *intervals[in_force.front()];
    spans.push_back(
        {std::nullopt, first.from.AddDays(-1), in_force.front(), ForceState::kNotYetInForce});
    for (std::size_t k = 0; k < in_force.size(); ++k) {
        const std::size_t version = in_force[k];
        const ForceInterval& interval = *intervals[version];
        spans.push_back({interval.from, interval.to, version, ForceState::kInForce});
        if (!interval.to) break;  // in force tillsvidare: no later interval can start
        if (k + 1 < in_force.size()) {
            const Date next = intervals[in_force[k + 1]]->from;
            if (interval.to->AddDays(1) < next) {
                spans.push_back({interval.to->AddDays(1), next.AddDays(-1), version, ended});
            }
        } else {
            spans.push_back({interval.to->AddDays(1), std::nullopt, *latest, ended});
        }
    }
    return spans;
}

ForceState DocumentStateOn(const std::vector<Metadata>& versions,
                           const std::vector<std::optional<ForceInterval>>& intervals, Date day) {
    for (const StateSpan& span : DocumentTimeline(versions, intervals)) {
        if (span.Contains(day)) return span.state;
    }
    return ForceState::kDraft;
}

std::optional<Date> FirstDayInForce(const std::vector<Metadata>& successor_versions) {
    std::optional<Date> first;
    for (const std::optional<ForceInterval>& interval : ForceIntervals(successor_versions)) {
        if (interval && (!first || interval->from < *first)) first = interval->from;
    }
    return first;
}

std::optional<Date> FirstDayReplacing(const std::vector<Metadata>& successor_versions) {
    std::size_t first = 0;
    while (first < successor_versions.size() &&
           (successor_versions[first].status == Status::kDraft ||
            ReplacedDocuments(successor_versions[first]).empty())) {
        ++first;
    }
    const auto intervals = ForceIntervals(successor_versions);
    std::optional<Date> day;
    for (std::size_t i = first; i < intervals.size(); ++i) {
        if (intervals[i] && (!day || intervals[i]->from < *day)) day = intervals[i]->from;
    }
    return day;
}

}  // namespace styrdok::core
