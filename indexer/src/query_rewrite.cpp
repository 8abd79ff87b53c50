#include "query_rewrite.hpp"

#include <vector>

namespace styrdok::indexer::detail {

Xapian::Query RewriteAlternatives(
    const Xapian::Query& query,
    const std::function<std::optional<Xapian::Query>(const Xapian::Query&)>& rewrite) {
    if (std::optional<Xapian::Query> rewritten = rewrite(query)) return *rewritten;
    const Xapian::Query::op op = query.get_type();
    std::size_t rewritable = 0;  // how many leading subqueries
    const std::size_t n = query.get_num_subqueries();
    switch (op) {
        case Xapian::Query::OP_AND:
        case Xapian::Query::OP_OR:
        case Xapian::Query::OP_AND_MAYBE:
        case Xapian::Query::OP_XOR:
        case Xapian::Query::OP_MAX:
            rewritable = n;
            break;
        case Xapian::Query::OP_AND_NOT:
        case Xapian::Query::OP_FILTER:
            rewritable = 1;
            break;
        default:
            return query;
    }
    std::vector<Xapian::Query> subqueries;
    subqueries.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        Xapian::Query sub = query.get_subquery(i);
        subqueries.push_back(i < rewritable ? RewriteAlternatives(sub, rewrite) : sub);
    }
    return Xapian::Query(op, subqueries.begin(), subqueries.end());
}

}  // namespace styrdok::indexer::detail
