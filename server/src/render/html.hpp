#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace styrdok::server {

/// Text escaped for HTML element content and attribute values.
std::string EscapeHtml(std::string_view text);

/// A search snippet (plain text with indexer::kHighlightStart/End around hits) as HTML with
/// the hits in <mark>.
std::string SnippetHtml(std::string_view snippet);

/// Percent-encoding of one query component (space as %20) or path segment.
std::string EncodeUrlComponent(std::string_view text);

/// "?a=1&b=x%20y" from pairs, skipping empty values; "" when nothing remains.
std::string QueryString(const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace styrdok::server
