#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "styrdok/indexer/search.hpp"

namespace styrdok::indexer::detail {

/// What a Xapian document's data holds: the fields of a Hit (without snippet and weight), so
/// a search never reads git. It is kept small, since every hit reads it; the excerpt that
/// snippets are cut from is a value slot of its own (terms.hpp), read only for snippets.
/// A compact serialisation: a version tag, then each field as <decimal length>:<bytes>; last
/// the version's states (EncodeStates, terms.hpp), from which Hit::state is read for a day.
std::string EncodeStoredHit(const Hit& hit, std::string_view states);

/// The hit, with `state` as on `day` (DaysSinceEpoch); nullopt when `data` is not in the
/// current serialisation (an index of another format).
std::optional<Hit> DecodeStoredHit(std::string_view data, long day);

}  // namespace styrdok::indexer::detail
