#include "markdown_text.hpp"

#include <cctype>

namespace styrdok::indexer::detail {

namespace {

constexpr std::size_t kUnsearched = std::string_view::npos - 1;

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

bool IsWordByte(char c) {
    // Bytes of multi-byte UTF-8 characters count as word characters (å, ä, ö, …).
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || (c & 0x80) != 0;
}

std::string_view TrimBlank(std::string_view line) {
    while (!line.empty() && IsBlank(line.front())) line.remove_prefix(1);
    while (!line.empty() && IsBlank(line.back())) line.remove_suffix(1);
    return line;
}

bool IsFence(std::string_view line) { return line.starts_with("```") || line.starts_with("~~~"); }

// "|---|:--:|" and "--- | ---": the separator row of a GitHub table; also thematic breaks.
bool IsRuleOrTableSeparator(std::string_view line) {
    if (line.empty()) return false;
    bool has_dash = false;
    for (char c : line) {
        if (c == '-' || c == '=' || c == '*' || c == '_') {
            has_dash = true;
        } else if (c != '|' && c != ':' && !IsBlank(c)) {
            return false;
        }
    }
    return has_dash;
}

// "[label]: https://…" defines a reference link; its target is not text.
bool IsLinkDefinition(std::string_view line) {
    if (!line.starts_with('[')) return false;
    std::size_t close = line.find("]:");
    return close != std::string_view::npos && line.find(']') == close;
}

std::string_view StripBlockMarkers(std::string_view line) {
    for (bool again = true; again;) {
        again = false;
        line = TrimBlank(line);
        if (line.starts_with('>')) {
            line.remove_prefix(1);
            again = true;
            continue;
        }
        if (line.starts_with('#')) {
            std::size_t hashes = line.find_first_not_of('#');
            if (hashes == std::string_view::npos) return {};
            if (hashes <= 6 && IsBlank(line[hashes])) {
                line.remove_prefix(hashes);
                line = TrimBlank(line);
                // A closing sequence of '#' belongs to the heading syntax too.
                std::size_t end = line.find_last_not_of('#');
                if (end != std::string_view::npos && end + 1 < line.size() && IsBlank(line[end])) {
                    line = line.substr(0, end + 1);
                }
                return line;
            }
        }
        if (line.size() >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') &&
            IsBlank(line[1])) {
            line.remove_prefix(2);
            again = true;
            continue;
        }
        std::size_t digits = 0;
        while (digits < line.size() && digits < 9 &&
               std::isdigit(static_cast<unsigned char>(line[digits]))) {
            ++digits;
        }
        if (digits > 0 && digits + 1 < line.size() &&
            (line[digits] == '.' || line[digits] == ')') && IsBlank(line[digits + 1])) {
            line.remove_prefix(digits + 2);
            again = true;
        }
    }
    return line;
}

// The next `c` at or after `from` in `line`, remembered in `next`: `from` only grows while a
// line is read, so the line is searched once for each character however many links or tags
// it opens (a search from every "<" of "<a<a<a…" was quadratic in the line).
std::size_t NextOf(std::string_view line, char c, std::size_t from, std::size_t& next) {
    if (next == kUnsearched || (next != std::string_view::npos && next < from)) {
        next = line.find(c, from);
    }
    return next;
}

// Inline syntax: links and images keep their text, tags and emphasis markers go.
void AppendInline(std::string_view line, std::string& out) {
    std::size_t next_paren = kUnsearched;
    std::size_t next_angle = kUnsearched;
    for (std::size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        char prev = i > 0 ? line[i - 1] : ' ';
        char next = i + 1 < line.size() ? line[i + 1] : ' ';
        if (c == '\\' && i + 1 < line.size() && std::ispunct(static_cast<unsigned char>(next))) {
            out += next;
            ++i;
        } else if (c == '!' && next == '[') {
            continue;
        } else if (c == '[') {
            continue;
        } else if (c == ']' && next == '(') {
            std::size_t close = NextOf(line, ')', i + 2, next_paren);
            if (close == std::string_view::npos) continue;
            i = close;
        } else if (c == ']') {
            continue;
        } else if (c == '<') {
            std::size_t close = NextOf(line, '>', i + 1, next_angle);
            bool tag =
                close != std::string_view::npos && i + 1 < line.size() &&
                (std::isalpha(static_cast<unsigned char>(next)) || next == '/' || next == '!');
            if (!tag) {
                out += c;
                continue;
            }
            std::string_view inner = line.substr(i + 1, close - i - 1);
            // An autolink's address is the only text it has.
            if (inner.starts_with("http://") || inner.starts_with("https://") ||
                inner.starts_with("mailto:")) {
                out += inner;
            } else {
                out += ' ';
            }
            i = close;
        } else if (c == '*' || c == '`' || c == '~') {
            continue;
        } else if (c == '_' && (!IsWordByte(prev) || !IsWordByte(next))) {
            continue;
        } else if (c == '|') {
            out += ' ';
        } else {
            out += c;
        }
    }
}

}  // namespace

std::string MarkdownToText(std::string_view markdown) {
    std::string out;
    out.reserve(markdown.size());
    bool in_fence = false;
    bool pending_break = false;
    while (!markdown.empty()) {
        std::size_t end = markdown.find('\n');
        std::string_view line = markdown.substr(0, end);
        markdown = end == std::string_view::npos ? std::string_view{} : markdown.substr(end + 1);

        std::string_view trimmed = TrimBlank(line);
        if (IsFence(trimmed)) {
            in_fence = !in_fence;
            pending_break = true;
            continue;
        }
        if (in_fence) {
            if (!trimmed.empty()) {
                if (!out.empty()) out += pending_break ? '\n' : ' ';
                out += trimmed;
                pending_break = false;
            }
            continue;
        }
        if (trimmed.empty() || IsRuleOrTableSeparator(trimmed) || IsLinkDefinition(trimmed)) {
            pending_break = true;
            continue;
        }
        std::string_view content = StripBlockMarkers(trimmed);
        if (content.empty()) continue;
        if (!out.empty()) out += pending_break ? '\n' : ' ';
        pending_break = false;
        AppendInline(content, out);
    }
    return out;
}

std::string Excerpt(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return std::string(text);
    std::size_t end = max_bytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    // Prefer ending between words when a space is close to the cut.
    std::size_t space = text.find_last_of(" \n", end);
    if (space != std::string_view::npos && space + 64 > end) end = space;
    return std::string(text.substr(0, end));
}

}  // namespace styrdok::indexer::detail
