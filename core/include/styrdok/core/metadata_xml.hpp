#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "styrdok/core/metadata.hpp"
#include "styrdok/core/validation.hpp"

namespace styrdok::core {

/// The result of reading metadata.xml: the metadata, and every problem found while reading
/// (malformed XML with its line, unknown elements, dates that are not dates, broken UTF-8).
/// When `problems` is non-empty the metadata must not be stored.
struct MetadataParseResult {
    Metadata metadata;
    std::vector<Problem> problems;
};

/// Parses the metadata.xml format (documented in docs/metadata-format.md). Never throws for
/// bad input.
MetadataParseResult ParseMetadataXml(std::string_view xml);

/// Writes metadata.xml: deterministic (same metadata, same bytes), UTF-8, fields in a fixed
/// order, absent fields omitted. ParseMetadataXml(WriteMetadataXml(m)).metadata == m for
/// metadata whose strings are trimmed and whose `category` is empty (it is not stored: it
/// follows from the doctype in the schema).
std::string WriteMetadataXml(const Metadata& metadata);

}  // namespace styrdok::core
