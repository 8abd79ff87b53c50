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
    // The markers are private-use characters that escaping leaves alone.
    std::string html = EscapeHtml(snippet);
    auto replace_all = [&html](std::string_view from, std::string_view to) {
        for (std::size_t at = html.find(from); at != std::string::npos;
             at = html.find(from, at + to.size())) {
            html.replace(at, from.size(), to);
        }
    };
    replace_all(indexer::kHighlightStart, "<mark>");
    replace_all(indexer::kHighlightEnd, "</mark>");
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
