#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "../site.hpp"
#include "styrdok/store/store.hpp"
#include "styrdok/store/word_diff.hpp"

namespace styrdok::server {

/// Two versions of one document and the change between them: metadata field by field, the
/// text word by word, as much of it as a page shows (kShownDiff).
struct Comparison {
    store::Document from;
    store::Document to;
    store::DocumentDiff diff;
    std::vector<store::DiffLine> text;    ///< the first lines of the text's diff
    std::size_t text_lines_left_out = 0;  ///< lines of the text's diff after `text`
};

/// What a diff page or answer shows of the text at most, so that it stays small and quick
/// however large the texts and their change (issue 15: a stored Markdown bomb against the
/// version before it made a page of 11 MB): the rest is counted, and the page links to the
/// whole texts.
inline constexpr store::DiffLimits kShownDiff{
    .max_lines = 3'000, .max_segments = 12'000, .max_bytes = 384 * 1024};

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
