#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "styrdok/indexer/search.hpp"

namespace styrdok::indexer::detail {

/// What a Xapian document's data holds: the fields of a Hit (without snippet and weight) and
/// an excerpt of the plain text to cut snippets from, so a search never reads git.
struct StoredHit {
    Hit hit;
    std::string excerpt;
};

/// A compact serialisation: a version tag, then each field as <decimal length>:<bytes>.
std::string EncodeStoredHit(const StoredHit& stored);

/// nullopt when `data` is not in the current serialisation (an index of another format).
std::optional<StoredHit> DecodeStoredHit(std::string_view data);

}  // namespace styrdok::indexer::detail
