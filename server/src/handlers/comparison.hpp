#pragma once

#include <string>
#include <vector>

#include "../site.hpp"
#include "styrdok/store/store.hpp"
#include "styrdok/store/word_diff.hpp"

namespace styrdok::server {

/// Two versions of one document and the change between them: metadata field by field, the
/// text word by word.
struct Comparison {
    store::Document from;
    store::Document to;
    store::DocumentDiff diff;
    std::vector<store::DiffLine> text;
};

/// The name of a line's kind in the diff API and the page's CSS class: "context", "added",
/// "removed", "changed", "gap".
const char* LineKindName(store::DiffLine::Kind kind);
/// "same", "added", "removed".
const char* SegmentKindName(store::DiffSegment::Kind kind);

/// The versions the request's `from` and `to` (commit ids) name. Throws Error(kBadInput) when
/// either is missing or malformed and Error(kNotFound) when the document or a version cannot
/// be seen.
Comparison Compare(const Site& site, const store::Store& store, const std::string& id,
                   const Request& request);

}  // namespace styrdok::server
