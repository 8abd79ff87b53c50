#pragma once

#include <xapian.h>

#include <optional>
#include <string>

#include "styrdok/core/schema.hpp"
#include "styrdok/indexer/search.hpp"

namespace styrdok::indexer::detail {

/// The facets, in the order SearchResult::facets names them, with their value slots.
enum class Facet { kDocType, kCategory, kDecidedBy, kStatus };
inline constexpr Facet kFacets[] = {Facet::kDocType, Facet::kCategory, Facet::kDecidedBy,
                                    Facet::kStatus};
const char* FacetName(Facet facet);
Xapian::valueno FacetSlot(Facet facet);

/// A query parser set up for Swedish: stemmer, STEM_SOME, AND as default, and the field
/// prefixes users may type (title:/titel:, dnr:/diarienummer:, doctype:/typ:, category:,
/// decided_by:, owner:/ansvarig:, goal_area:/målområde:, status:, year:/år:, keyword:, id:),
/// each normalised as terms.hpp indexes it. `schema` must outlive the parser.
Xapian::QueryParser MakeQueryParser(const Xapian::Database& db, const core::Schema& schema);

/// The parsed text query, never throwing for malformed syntax: a QueryParserError is retried
/// as plain words. Empty text (or text with no words, such as "((") matches everything.
Xapian::Query ParseText(Xapian::QueryParser& parser, const std::string& text);

/// A request's filters, kept apart by facet so that each facet can be counted over the
/// matches of every filter but its own.
struct Filters {
    std::optional<Xapian::Query> doctype;
    std::optional<Xapian::Query> category;
    std::optional<Xapian::Query> decided_by;
    std::optional<Xapian::Query> status;
    /// Owner, goal area, dnr and the version scope (latest versions, or those in force on
    /// valid_on): always applied.
    Xapian::Query rest;

    const std::optional<Xapian::Query>& Of(Facet facet) const;
    /// `text` filtered by every filter except the one of `except`.
    Xapian::Query Apply(const Xapian::Query& text, std::optional<Facet> except = {}) const;
};

/// Throws Error(kBadInput) for an unknown status.
Filters MakeFilters(const SearchRequest& request, const core::Schema& schema);

}  // namespace styrdok::indexer::detail
