#pragma once

#include <xapian.h>

#include <functional>
#include <optional>

namespace styrdok::indexer::detail {

/// `query` with `rewrite` applied where a word may be given alternatives without changing
/// what the query means: through AND, OR, AND_MAYBE, XOR and MAX, and the first subquery of
/// AND_NOT and FILTER. What is excluded or filtered on stays exact (NOT internkontroll must not
/// exclude every text that says intern and kontroll), as do the operators whose subqueries
/// cannot be rebuilt with the same meaning: phrases and NEAR need the words as written, and a
/// scale factor cannot be read back. `rewrite` is asked about every subquery reached, the
/// query itself first; where it gives a query, that replaces the subquery, else its
/// subqueries are rewritten in turn.
Xapian::Query RewriteAlternatives(
    const Xapian::Query& query,
    const std::function<std::optional<Xapian::Query>(const Xapian::Query&)>& rewrite);

}  // namespace styrdok::indexer::detail
