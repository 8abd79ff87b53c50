#include "html.hpp"

#include "styrdok/indexer/search.hpp"

namespace styrdok::server {

std::string EscapeHtml(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string SnippetHtml(std::string_view snippet) {
    // One pass: the markers are private-use characters, which escaping would leave alone.
    const std::string_view start = indexer::kHighlightStart;
    const std::string_view end = indexer::kHighlightEnd;
    std::string html;
    html.reserve(snippet.size() + snippet.size() / 4);
    std::size_t plain = 0;
    for (std::size_t at = 0; at < snippet.size();) {
        std::string_view replacement;
        std::size_t length = 1;
        switch (snippet[at]) {
            case '&':
                replacement = "&amp;";
                break;
            case '<':
                replacement = "&lt;";
                break;
            case '>':
                replacement = "&gt;";
                break;
            case '"':
                replacement = "&quot;";
                break;
            case '\'':
                replacement = "&#39;";
                break;
            case '\xee':  // the first byte of both markers
                if (snippet.compare(at, start.size(), start) == 0) {
                    replacement = "<mark>";
                    length = start.size();
                } else if (snippet.compare(at, end.size(), end) == 0) {
                    replacement = "</mark>";
                    length = end.size();
                }
                break;
            default:
                break;
        }
        if (replacement.empty()) {
            ++at;
            continue;
        }
        html.append(snippet, plain, at - plain);
        html.append(replacement);
        at += length;
        plain = at;
    }
    html.append(snippet, plain);
    return html;
}

std::string EncodeUrlComponent(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string QueryString(const std::vector<std::pair<std::string, std::string>>& params) {
    std::string out;
    for (const auto& [name, value] : params) {
        if (value.empty()) continue;
        out += out.empty() ? '?' : '&';
        out += EncodeUrlComponent(name);
        out += '=';
        out += EncodeUrlComponent(value);
    }
    return out;
}

}  // namespace styrdok::server
