#pragma once

#include "../http.hpp"
#include "styrdok/indexer/search.hpp"

namespace styrdok::server {

/// The longest search text taken; longer is refused, not cut, so nobody is surprised.
inline constexpr std::size_t kMaxQueryBytes = 1000;
inline constexpr std::size_t kMaxPage = 1000;

/// The search a request asks for, with the JSON API's parameter names (DESIGN.md): q,
/// doctype, category, decided_by, owner, goal_area, dnr, status, valid_on, sort, page,
/// per_page, and facets=false / snippets=false to leave those out. Throws Error(kBadInput)
/// naming the parameter for a value that is not valid.
indexer::SearchRequest ParseSearchRequest(const Request& request);

}  // namespace styrdok::server
