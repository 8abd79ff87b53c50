#pragma once

#include "../http.hpp"
#include "styrdok/indexer/search.hpp"
#include "styrdok/store/snapshot.hpp"

namespace styrdok::server {

/// The longest search text taken; longer is refused, not cut, so nobody is surprised.
inline constexpr std::size_t kMaxQueryBytes = 1000;
inline constexpr std::size_t kMaxPage = 1000;
/// The most documents "genomför X" searches under X; a chain deeper or wider is cut there.
inline constexpr std::size_t kMaxImplementing = 2000;

/// The search a request asks for, with the JSON API's parameter names (DESIGN.md): q,
/// doctype, category, decided_by, owner, goal_area, dnr, implements, status, valid_on, sort,
/// page, per_page, and facets=false / snippets=false to leave those out. Throws Error(kBadInput)
/// naming the parameter for a value that is not valid.
indexer::SearchRequest ParseSearchRequest(const Request& request);

/// "genomför X": widens search.implements from the documents asked for to every document
/// under them down the chain (Snapshot::ImplementingBelow, at most kMaxImplementing), so that
/// the search finds the documents that implement any of them. Nothing when none was asked.
void ExpandImplements(indexer::SearchRequest& search, const store::Snapshot& snapshot);

}  // namespace styrdok::server
