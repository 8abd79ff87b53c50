#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "styrdok/core/date.hpp"
#include "styrdok/core/metadata.hpp"

namespace styrdok::core {

// In force is computed, never stored (DESIGN.md, "Storage layout"): a version is in force on
// day D when it was adopted (not a draft), its EffectiveFrom() ≤ D ≤ valid_to (or none), it was
// not repealed before D, no later version of the document has taken over by D, and no adopted
// successor that `replaces` the document is in force on D. Everything here is a pure function
// of the metadata and the day asked, so a page, a list or a search is right on the morning
// after a boundary without anyone touching the registry.

/// The days in which one version of a document was the one in force; both ends inclusive,
/// an empty `to` meaning still in force (tillsvidare). An empty interval (never in force) is
/// represented by nullopt from ForceIntervals.
struct ForceInterval {
    Date from;
    std::optional<Date> to;

    bool Contains(Date date) const noexcept { return from <= date && (!to || date <= *to); }
};

/// What a reader is told a version (or a document) is on a day.
enum class ForceState { kInForce, kNotYetInForce, kExpired, kRepealed, kDraft };

/// "gällande", "ej i kraft än", "upphört", "upphävd", "utkast".
std::string_view ForceStateName(ForceState state);
/// The state named by one of ForceStateName's names, in any case and with surrounding
/// spaces; nullopt for anything else.
std::optional<ForceState> ParseForceState(std::string_view name);

/// The ids of the documents that `version` replaces (its `replaces`), in the order written,
/// without empty ones, repeats, or its own id (a document cannot end itself).
std::vector<std::string> ReplacedDocuments(const Metadata& version);

/// A successor of a document (one whose current version names it in `replaces`) and the first
/// day that successor is in force (FirstDayInForce; nullopt when it never is).
struct SuccessorStart {
    std::string id;
    std::optional<Date> first_in_force;
};

/// The successor that ends a document, and the first day it no longer applies.
struct Replacement {
    std::string successor;
    Date from;

    friend bool operator==(const Replacement&, const Replacement&) = default;
};

/// The replacement rule, the one place it is decided (search, document page and JSON alike):
/// a document with successors is replaced from the first day any of them is in force (the
/// smallest id when two start the same day); a successor never in force (only drafts, no date)
/// replaces nothing. nullopt when no successor ever takes effect. Pass `from` to
/// ForceIntervals(versions, replaced_from).
std::optional<Replacement> FirstReplacement(const std::vector<SuccessorStart>& successors);

/// FirstReplacement of successors given by their versions (oldest first), each read with
/// FirstDayReplacing.
std::optional<Replacement> FirstReplacement(
    const std::vector<std::pair<std::string, std::vector<Metadata>>>& successors);

/// For the versions of one document in commit order (oldest first), the interval in which
/// each was in force, decided by the metadata, not by commit dates: a version applies from
/// its EffectiveFrom() until its own valid_to or the day before a later adopted version takes
/// over, whichever is first. Drafts and versions without a date are never in force. A later
/// version with the same or an earlier start supersedes the earlier one from that start.
/// A repealed (upphävd) version applies up to its valid_to; without one, up to the day of the
/// latest recorded review that repealed it (as a repeal through a review writes valid_to);
/// without either it is never in force, though as an adopted version it still ends the
/// versions before it. The document is taken to have no successor.
std::vector<std::optional<ForceInterval>> ForceIntervals(const std::vector<Metadata>& versions);

/// ForceIntervals, ended the day before `replaced_from` (the first day an adopted successor
/// that replaces the document is in force), when given: a version that would start on or after
/// that day is never in force.
std::vector<std::optional<ForceInterval>> ForceIntervals(const std::vector<Metadata>& versions,
                                                         std::optional<Date> replaced_from);

/// The index of the version in force on `date`, if any (without successors, as
/// ForceIntervals(versions)).
std::optional<std::size_t> VersionInForceOn(const std::vector<Metadata>& versions, Date date);

/// The state on `day` of version `index` of `versions`, given their intervals (from
/// ForceIntervals; same size as `versions`): a draft is a draft; a version in force on `day`
/// is in force; one that starts later is not yet in force; one whose interval ended (or that
/// never took effect, superseded by a later version or replaced) has expired, or was repealed
/// when it is a repealed version.
ForceState VersionStateOn(const std::vector<Metadata>& versions, std::size_t index,
                          const std::vector<std::optional<ForceInterval>>& intervals, Date day);

/// A stretch of days, both ends inclusive (empty: unbounded), on which version `version`
/// stands for its document, and the document's state on those days.
struct StateSpan {
    std::optional<Date> from;
    std::optional<Date> to;
    std::size_t version = 0;
    ForceState state = ForceState::kInForce;

    bool Contains(Date date) const noexcept {
        return (!from || *from <= date) && (!to || date <= *to);
    }
};

/// The state of the document on every day, as spans in order that cover all days without
/// overlap, each with the version that stands for the document then: the version in force
/// while one is; before the first one, that version (not yet in force); between two, the one
/// before (ended); after the last, the latest adopted version (ended). A document never in
/// force is its latest adopted version throughout: not yet in force before its first adopted
/// version's EffectiveFrom(), ended from then on. Ended is kRepealed when the latest adopted
/// version is a repealed one, kExpired otherwise (past valid_to, or replaced). The spans of
/// one version are always consecutive. Empty when no version was adopted (only drafts).
std::vector<StateSpan> DocumentTimeline(const std::vector<Metadata>& versions,
                                        const std::vector<std::optional<ForceInterval>>& intervals);

/// The state of the document as a whole on `day`: in force when some version is; else not
/// yet in force when its first adopted version starts later; else repealed or expired by how
/// its last version ended; a document with only a draft (or no version) is a draft. The span
/// of DocumentTimeline that holds `day`.
ForceState DocumentStateOn(const std::vector<Metadata>& versions,
                           const std::vector<std::optional<ForceInterval>>& intervals, Date day);

/// The first day the successor document is in force (from its own versions, as
/// ForceIntervals(successor_versions)); nullopt when it never is.
std::optional<Date> FirstDayInForce(const std::vector<Metadata>& successor_versions);

/// The first day a successor ends the documents it replaces, for replaced_from: the first day
/// in force of its versions from the first adopted one that names a document in `replaces` on
/// (an earlier version that replaced nothing, the programme under its former title, ends
/// nothing); nullopt when no version names one or none of those is ever in force.
std::optional<Date> FirstDayReplacing(const std::vector<Metadata>& successor_versions);

}  // namespace styrdok::core
