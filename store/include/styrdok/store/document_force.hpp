#pragma once

// What applied when, for one document (DESIGN.md "In force is computed, never stored"): its
// versions on main with the days each was in force, ended where an adopted successor that
// replaces it takes effect, and its state on any day. The rule is core/validity.hpp; this reads
// what the rule needs from the store, so that the document page, its JSON, `?at=` and the
// review pages all ask the same thing.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "styrdok/core/date.hpp"
#include "styrdok/core/validity.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::store {

class DocumentForce {
public:
    /// Reads the versions of `id`, and of each document in `replaced_by` (the ids of its
    /// successors, from Snapshot::ReplacedBy), at the store's HEAD. Costs one Store::Versions
    /// per document read.
    static DocumentForce Read(const Store& store, std::string_view id,
                              const std::vector<std::string>& replaced_by);

    /// Oldest first; empty when main has no such document.
    const std::vector<Document>& versions() const { return versions_; }
    /// The days each version was in force, successors included (core::ForceIntervals).
    const std::vector<std::optional<core::ForceInterval>>& intervals() const { return intervals_; }
    /// The first day a successor that replaces the document is in force; nullopt when none is.
    const std::optional<core::Date>& replaced_from() const { return replaced_from_; }
    /// The successor that takes over on replaced_from(); empty when none does.
    const std::string& successor() const { return successor_; }

    /// The index of the version with commit `version`; nullopt when it is none of them.
    std::optional<std::size_t> IndexOf(std::string_view version) const;
    /// The index of the version in force on `day`; nullopt when none was.
    std::optional<std::size_t> InForceOn(core::Date day) const;
    /// The state on `day` of the version at `index`.
    core::ForceState StateOf(std::size_t index, core::Date day) const;
    /// The state of the document as a whole on `day` (core::DocumentStateOn).
    core::ForceState DocumentStateOn(core::Date day) const;

private:
    std::vector<Document> versions_;
    std::vector<core::Metadata> metadata_;
    std::vector<std::optional<core::ForceInterval>> intervals_;
    std::optional<core::Date> replaced_from_;
    std::string successor_;
};

}  // namespace styrdok::store
