// Document texts as their owners write them, rendered for everyone: the HTML holds only the
// elements and attributes the renderer makes itself (raw HTML never passes through), no
// link or image leads to script, and the page is UTF-8. The input's first line is the
// document's title for RenderDocumentBody, the rest its text; RenderMarkdown gets it whole.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "render/markdown.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/utf8.hpp"
#include "support.hpp"

namespace {

using styrdok::fuzz::Expect;

// What cmark-gfm writes with the table, strikethrough and autolink extensions, and the
// scrolling region RenderDocumentBody puts around a table.
constexpr std::string_view kElements[] = {
    "a",   "blockquote", "br",    "code",  "del", "div", "em",    "h1", "h2",
    "h3",  "h4",         "h5",    "h6",    "hr",  "img", "li",    "ol", "p",
    "pre", "strong",     "table", "tbody", "td",  "th",  "thead", "tr", "ul",
};
constexpr std::string_view kAttributes[] = {
    "href",  "title", "src",      "alt",        "align", "start",
    "class", "role",  "tabindex", "aria-label", "lang",
};
constexpr std::string_view kOmitted = "<!-- raw HTML omitted -->";

bool Contains(const auto& list, std::string_view name) {
    return std::find(std::begin(list), std::end(list), name) != std::end(list);
}

bool IsNameChar(char c) {
    return std::islower(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c)) || c == '-';
}

// An attribute value as a browser reads it as a URL: entities decoded, tabs and line ends
// dropped anywhere, leading spaces and control characters dropped, lower case.
std::string AsBrowserUrl(std::string_view value) {
    std::string decoded;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] == '&') {
            const std::size_t end = value.find(';', i);
            Expect(end != std::string_view::npos, "an entity in an attribute ends with ;");
            const std::string_view entity = value.substr(i + 1, end - i - 1);
            if (entity == "amp") {
                decoded += '&';
            } else if (entity == "quot") {
                decoded += '"';
            } else if (entity == "lt") {
                decoded += '<';
            } else if (entity == "gt") {
                decoded += '>';
            } else if (entity == "#x27" || entity == "#39") {
                decoded += '\'';
            } else {
                styrdok::fuzz::Broken("attributes use only the entities cmark writes");
            }
            i = end;
        } else if (value[i] != '\t' && value[i] != '\n' && value[i] != '\r') {
            decoded += static_cast<char>(std::tolower(static_cast<unsigned char>(value[i])));
        }
    }
    std::size_t start = 0;
    while (start < decoded.size() && static_cast<unsigned char>(decoded[start]) <= 0x20) ++start;
    return decoded.substr(start);
}

// Reads the tag at html[at] == '<' and returns the position after it. Each pair of
// consecutive tags, and each attribute of an element, is a feature for the fuzzer: cmark-gfm
// is not instrumented, so what it made is the only sign of which way it went.
std::size_t CheckTag(std::string_view html, std::size_t at, std::string_view& previous) {
    std::string_view tag;
    std::size_t i = at + 1;
    if (html.substr(at).starts_with(kOmitted)) {
        tag = kOmitted;
        i = at + kOmitted.size();
    } else {
        if (i < html.size() && html[i] == '/') ++i;
        while (i < html.size() && IsNameChar(html[i])) ++i;
        tag = html.substr(at + 1, i - at - 1);
        Expect(Contains(kElements, tag.substr(tag.starts_with('/') ? 1 : 0)),
               "only the renderer's own elements");
    }
    styrdok::fuzz::Cover(styrdok::fuzz::FeatureOf(previous) * 31 + styrdok::fuzz::FeatureOf(tag));
    previous = tag;
    if (tag == kOmitted) return i;
    for (;;) {
        while (i < html.size() && html[i] == ' ') ++i;
        Expect(i < html.size(), "every tag is closed");
        if (html[i] == '>') return i + 1;
        if (html.substr(i).starts_with("/>")) return i + 2;
        const std::size_t attribute_start = i;
        while (i < html.size() && IsNameChar(html[i])) ++i;
        const std::string_view attribute = html.substr(attribute_start, i - attribute_start);
        Expect(Contains(kAttributes, attribute), "only the renderer's own attributes");
        styrdok::fuzz::Cover(styrdok::fuzz::FeatureOf(tag) * 37 +
                             styrdok::fuzz::FeatureOf(attribute));
        Expect(html.substr(i).starts_with("=\""), "attribute values are quoted");
        i += 2;
        const std::size_t value_end = html.find('"', i);
        Expect(value_end != std::string_view::npos, "attribute values end");
        const std::string_view value = html.substr(i, value_end - i);
        Expect(
            value.find('<') == std::string_view::npos && value.find('>') == std::string_view::npos,
            "attribute values hold no markup");
        if (attribute == "href" || attribute == "src") {
            const std::string url = AsBrowserUrl(value);
            Expect(!url.starts_with("javascript:") && !url.starts_with("vbscript:"),
                   "no link or image leads to script");
        }
        i = value_end + 1;
    }
}

void CheckHtml(std::string_view html) {
    Expect(styrdok::core::IsValidUtf8(html), "the HTML is UTF-8");
    std::size_t i = 0;
    std::string_view previous;
    while (i < html.size()) {
        if (html[i] == '<') {
            i = CheckTag(html, i, previous);
        } else {
            Expect(html[i] != '>', "text holds no markup");
            ++i;
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace styrdok;
    const std::string_view input = fuzz::AsText(data, size);
    const std::size_t line_end = input.find('\n');
    const std::string_view title = input.substr(0, line_end);
    const std::string_view text =
        line_end == std::string_view::npos ? std::string_view() : input.substr(line_end + 1);
    try {
        CheckHtml(server::RenderMarkdown(input));
        CheckHtml(server::RenderDocumentBody(text, title));
    } catch (const Error& error) {
        // A renderer with bounds refuses a text past them as too large.
        fuzz::ExpectCode(error, {ErrorCode::kTooLarge, ErrorCode::kBadInput});
    }
    return 0;
}
