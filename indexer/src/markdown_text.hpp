#pragma once

#include <string>
#include <string_view>

namespace styrdok::indexer::detail {

/// The readable text of a CommonMark document with GitHub tables, for indexing and snippets:
/// headings, list and quote markers, emphasis, code fences, table pipes and separator rows,
/// link targets and HTML tags removed; link and image texts kept. Not a full CommonMark
/// parser: the aim is that no syntax shows up as words or in snippets.
std::string MarkdownToText(std::string_view markdown);

/// At most `max_bytes` of `text`, cut at a UTF-8 character boundary (after white space when
/// one is near) so the excerpt never ends in half a character.
std::string Excerpt(std::string_view text, std::size_t max_bytes);

}  // namespace styrdok::indexer::detail
