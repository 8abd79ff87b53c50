#include "markdown.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <random>
#include <utility>
#include <vector>

#include "html.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/text_limits.hpp"
#include "styrdok/core/utf8.hpp"

namespace styrdok::server {

namespace {

constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART;
const core::TextLimits kLimits;

// cmark-gfm 0.29.0.gfm.6 writes to globals while it parses: before parsing inlines it adds
// the characters of the attached inline extensions (~ for strikethrough, : and w for
// autolinks) to the inline parser's table of special characters, a static array in
// inlines.c, and afterwards takes them out again (cmark_manage_extensions_special_characters);
// the table extension does the same around every row it reads. Two parses at once take each
// other's characters away, and strikethrough and autolinks go missing at random. So parsing,
// and only parsing, runs under this lock: rendering the tree to HTML reads nothing but the
// tree. Every text is bounded before it is parsed (core::ScanText), which keeps a parse
// linear in at most a megabyte.
std::mutex& ParseMutex() {
    static std::mutex mutex;
    return mutex;
}

// Registering the extensions writes cmark-gfm's global registry: done once (a function-local
// static is initialised exactly once, whichever thread comes first), only read afterwards.
const std::vector<cmark_syntax_extension*>& Extensions() {
    static const std::vector<cmark_syntax_extension*> extensions = [] {
        cmark_gfm_core_extensions_ensure_registered();
        std::vector<cmark_syntax_extension*> found;
        for (const char* name : {"table", "strikethrough", "autolink", "tagfilter"}) {
            if (cmark_syntax_extension* extension = cmark_find_syntax_extension(name)) {
                found.push_back(extension);
            }
        }
        return found;
    }();
    return extensions;
}

struct Parsed {
    std::unique_ptr<cmark_parser, decltype(&cmark_parser_free)> parser{nullptr, &cmark_parser_free};
    std::unique_ptr<cmark_node, decltype(&cmark_node_free)> document{nullptr, &cmark_node_free};
};

Parsed Parse(std::string_view markdown) {
    const std::vector<cmark_syntax_extension*>& extensions = Extensions();
    Parsed parsed;
    std::lock_guard lock(ParseMutex());
    parsed.parser.reset(cmark_parser_new(kOptions));
    if (!parsed.parser) throw Error(ErrorCode::kInternal, "cmark_parser_new failed");
    for (cmark_syntax_extension* extension : extensions) {
        cmark_parser_attach_syntax_extension(parsed.parser.get(), extension);
    }
    cmark_parser_feed(parsed.parser.get(), markdown.data(), markdown.size());
    parsed.document.reset(cmark_parser_finish(parsed.parser.get()));
    if (!parsed.document) throw Error(ErrorCode::kInternal, "cmark_parser_finish failed");
    return parsed;
}

std::string RenderHtml(const Parsed& parsed) {
    char* html = cmark_render_html(parsed.document.get(), kOptions,
                                   cmark_parser_get_syntax_extensions(parsed.parser.get()));
    std::string result = html ? html : "";
    std::free(html);
    return result;
}

std::string Notice(std::string_view text) {
    return "<p class=\"notis\">" + EscapeHtml(text) + "</p>\n";
}

// The whole text as preformatted text: what a reader gets when it cannot be shown formatted.
// Its size is that of the text escaped, a few times a megabyte at most.
std::string PlainText(std::string_view text, std::string_view why) {
    return Notice("Texten visas här som oformaterad text. " + std::string(why)) + "<pre>" +
           EscapeHtml(text) + "</pre>\n";
}

// The text up to `max` bytes, ending after a whole line when there is one to end at.
std::string_view CutAtLine(std::string_view text, std::size_t max) {
    const std::size_t newline = text.substr(0, max).rfind('\n');
    if (newline != std::string_view::npos) return text.substr(0, newline + 1);
    std::size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return text.substr(0, end);
}

// A table shown as preformatted text instead of a table: the placeholder paragraph that
// stands where it was, and what replaces that paragraph in the page.
struct TableAsText {
    std::string token;
    std::string html;  ///< the notice and the table's lines in <pre>
    std::string text;  ///< the table's lines escaped, should the token land inside other text
};

// The placeholders' common stem, random per process so that no text can name one.
const std::string& TokenStem() {
    static const std::string stem = [] {
        std::random_device device;
        std::uniform_int_distribution<int> digit(0, 15);
        std::string value = "styrdoktabell";
        for (int i = 0; i < 16; ++i) value += "0123456789abcdef"[digit(device)];
        return value + "n";
    }();
    return stem;
}

// The tables beyond the limits, with the problem each has: too wide, or past the cells all
// tables together may have (counted in the order of the text, as cmark-gfm pads them).
std::vector<std::pair<core::TextTable, core::TextProblem>> TablesBeyondLimits(
    const core::TextScan& scan) {
    std::vector<std::pair<core::TextTable, core::TextProblem>> beyond;
    std::size_t cells = 0;
    for (const core::TextTable& table : scan.tables) {
        const std::size_t own = table.columns * (table.rows + 1);
        if (table.columns > kLimits.max_table_columns) {
            beyond.push_back({table,
                              {core::TextLimit::kTableColumns, table.columns,
                               kLimits.max_table_columns, table.line}});
        } else if (cells + own > kLimits.max_table_cells) {
            beyond.push_back(
                {table,
                 {core::TextLimit::kTableCells, cells + own, kLimits.max_table_cells, table.line}});
        } else {
            cells += own;
        }
    }
    return beyond;
}

// The table's lines without the container prefix (block quote markers, indentation) they
// share with the header row.
std::string WithoutPrefix(std::string_view table, std::string_view prefix) {
    std::string out;
    out.reserve(table.size());
    while (!table.empty()) {
        std::size_t end = table.find_first_of("\r\n");
        std::string_view line = table.substr(0, end);
        if (line.starts_with(prefix)) line.remove_prefix(prefix.size());
        out += line;
        out += '\n';
        if (end == std::string_view::npos) break;
        end += table.compare(end, 2, "\r\n") == 0 ? 2 : 1;
        table.remove_prefix(end);
    }
    return out;
}

// `text` with each of `tables` replaced by a placeholder paragraph in the same container,
// blank lines around it so that it stays a paragraph of its own.
std::string ReplaceTables(std::string_view text,
                          const std::vector<std::pair<core::TextTable, core::TextProblem>>& tables,
                          std::vector<TableAsText>& shown) {
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    for (const auto& [table, problem] : tables) {
        out.append(text.substr(at, table.begin - at));
        std::string_view header = text.substr(table.begin, table.end - table.begin);
        std::size_t prefix_end = 0;
        while (prefix_end < header.size() &&
               (header[prefix_end] == ' ' || header[prefix_end] == '\t' ||
                header[prefix_end] == '>')) {
            ++prefix_end;
        }
        const std::string_view prefix = header.substr(0, prefix_end);
        const std::string token = TokenStem() + std::to_string(shown.size()) + "x";
        out.append(prefix).append("\n").append(prefix).append(token).append("\n");
        out.append(prefix).append("\n");
        const std::string escaped = EscapeHtml(WithoutPrefix(header, prefix));
        shown.push_back({token,
                         Notice("Tabellen visas som text. " + core::SwedishMessage(problem)) +
                             "<pre><code>" + escaped + "</code></pre>\n",
                         escaped});
        at = table.end;
    }
    out.append(text.substr(at));
    return out;
}

// Puts the tables shown as text where their placeholders are in the page: the paragraph
// "<p>token</p>" becomes the notice and the table; a token elsewhere (in a code block, say)
// becomes the table's text.
std::string SubstituteTables(std::string html, const std::vector<TableAsText>& shown) {
    if (shown.empty()) return html;
    const std::string& stem = TokenStem();
    std::string out;
    out.reserve(html.size());
    std::size_t at = 0;
    for (std::size_t found = html.find(stem); found != std::string::npos;
         found = html.find(stem, at)) {
        std::size_t end = found + stem.size();
        std::size_t index = 0;
        while (end < html.size() && std::isdigit(static_cast<unsigned char>(html[end])) &&
               index < shown.size()) {
            index = index * 10 + static_cast<std::size_t>(html[end++] - '0');
        }
        if (end >= html.size() || html[end] != 'x' || index >= shown.size()) {
            out.append(html, at, end - at);
            at = end;
            continue;
        }
        ++end;
        const bool paragraph = found >= 3 && html.compare(found - 3, 3, "<p>") == 0 &&
                               html.compare(end, 5, "</p>\n") == 0;
        if (paragraph) {
            out.append(html, at, found - 3 - at);
            out += shown[index].html;
            at = end + 5;
        } else {
            out.append(html, at, found - at);
            out += shown[index].text;
            at = end;
        }
    }
    out.append(html, at);
    return out;
}

std::size_t EscapedBytes(const char* text) {
    std::size_t bytes = 0;
    for (; *text != '\0'; ++text) {
        bytes += *text == '&' ? 5 : *text == '<' || *text == '>' ? 4 : *text == '"' ? 6 : 1;
    }
    return bytes;
}

// An upper bound of the HTML the tree renders to, counted until it passes `budget`: what the
// scan of the text could only estimate (link references repeating long destinations, say)
// is counted here from the tree itself. `escaped` counts each text as escaped; otherwise a
// byte is taken for the six it may become ("&quot;"), which is quicker and nearly always
// enough to see that the page is far within the budget.
std::size_t HtmlBytesUpTo(cmark_node* document, std::size_t budget, bool escaped) {
    // The tags and line breaks around a node: none for text, a line break for a soft break,
    // and for every other node no more than 32 ("<blockquote>\n</blockquote>\n",
    // "<td align=\"center\"></td>\n").
    constexpr std::size_t kNodeBytes = 32;
    const auto size = [escaped](const char* text) {
        return escaped ? EscapedBytes(text) : 6 * std::strlen(text);
    };
    std::unique_ptr<cmark_iter, decltype(&cmark_iter_free)> iter(cmark_iter_new(document),
                                                                 &cmark_iter_free);
    std::size_t bytes = 0;
    for (cmark_event_type event = cmark_iter_next(iter.get()); event != CMARK_EVENT_DONE;
         event = cmark_iter_next(iter.get())) {
        if (event != CMARK_EVENT_ENTER) continue;
        cmark_node* node = cmark_iter_get_node(iter.get());
        const cmark_node_type type = cmark_node_get_type(node);
        bytes += type == CMARK_NODE_TEXT ? 0 : type == CMARK_NODE_SOFTBREAK ? 1 : kNodeBytes;
        if (const char* literal = cmark_node_get_literal(node)) bytes += size(literal);
        if (type == CMARK_NODE_CODE_BLOCK) {
            if (const char* info = cmark_node_get_fence_info(node)) bytes += size(info);
        }
        if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) {
            // Percent-encoded or escaped, a byte of an address takes at most six.
            if (const char* url = cmark_node_get_url(node)) bytes += 6 * std::strlen(url);
            if (const char* title = cmark_node_get_title(node)) bytes += 6 * std::strlen(title);
        }
        if (bytes > budget) break;
    }
    return bytes;
}

bool PageFits(cmark_node* document, std::size_t budget) {
    return HtmlBytesUpTo(document, budget, false) <= budget ||
           HtmlBytesUpTo(document, budget, true) <= budget;
}

std::string_view TrimmedView(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    return text;
}

// The bytes of literal text under `node`, counted until they pass `stop`.
std::size_t LiteralBytesUpTo(cmark_node* node, std::size_t stop) {
    std::unique_ptr<cmark_iter, decltype(&cmark_iter_free)> iter(cmark_iter_new(node),
                                                                 &cmark_iter_free);
    std::size_t bytes = 0;
    for (cmark_event_type event = cmark_iter_next(iter.get());
         event != CMARK_EVENT_DONE && bytes <= stop; event = cmark_iter_next(iter.get())) {
        if (event != CMARK_EVENT_ENTER) continue;
        if (const char* literal = cmark_node_get_literal(cmark_iter_get_node(iter.get()))) {
            bytes += std::strlen(literal);
        }
    }
    return bytes;
}

void DropTitleAndDemoteHeadings(cmark_node* document, std::string_view title) {
    cmark_node* first = cmark_node_first_child(document);
    if (first && cmark_node_get_type(first) == CMARK_NODE_HEADING &&
        cmark_node_get_heading_level(first) == 1) {
        // cmark-gfm's plain text renderer is quadratic in some headings (CVE-2023-26485:
        // "# ____.____"); a heading whose text is much longer than the title cannot repeat
        // it, so only a short one is rendered to compare.
        const std::size_t longest = 2 * title.size() + 256;
        if (LiteralBytesUpTo(first, longest) <= longest) {
            char* text = cmark_render_plaintext(first, kOptions, 0);
            const bool repeats_title = text && TrimmedView(text) == TrimmedView(title);
            std::free(text);
            if (repeats_title) {
                cmark_node_unlink(first);
                cmark_node_free(first);
            }
        }
    }
    std::unique_ptr<cmark_iter, decltype(&cmark_iter_free)> iter(cmark_iter_new(document),
                                                                 &cmark_iter_free);
    for (cmark_event_type event = cmark_iter_next(iter.get()); event != CMARK_EVENT_DONE;
         event = cmark_iter_next(iter.get())) {
        cmark_node* node = cmark_iter_get_node(iter.get());
        if (event == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_HEADING) {
            cmark_node_set_heading_level(node, std::min(6, cmark_node_get_heading_level(node) + 1));
        }
    }
}

// cmark writes "<table>" without attributes, so the wrapper can go around it textually; in
// one pass, however many tables there are.
std::string WrapTables(std::string html) {
    constexpr std::string_view kOpen = "<table>";
    constexpr std::string_view kClose = "</table>";
    constexpr std::string_view kWrapper =
        "<div class=\"tabell-behallare\" role=\"region\" tabindex=\"0\" aria-label=\"Tabell\">";
    std::string out;
    out.reserve(html.size());
    std::size_t at = 0;
    std::size_t open = html.find(kOpen);
    if (open == std::string::npos) return html;
    std::size_t close = html.find(kClose);
    while (open != std::string::npos || close != std::string::npos) {
        if (open < close) {
            out.append(html, at, open - at).append(kWrapper).append(kOpen);
            at = open + kOpen.size();
            open = html.find(kOpen, at);
        } else {
            out.append(html, at, close - at).append(kClose).append("</div>");
            at = close + kClose.size();
            close = html.find(kClose, at);
        }
    }
    out.append(html, at);
    return out;
}

// The text rendered within core::TextLimits, whatever it holds. `title` is set for a
// document's body (RenderDocumentBody).
std::string RenderBounded(std::string_view markdown, std::optional<std::string_view> title) {
    // Saved texts are checked UTF-8, but one committed with git is not: the page stays UTF-8.
    std::string repaired_text, repaired_title;
    if (!core::IsValidUtf8(markdown)) markdown = repaired_text = core::RepairUtf8(markdown);
    if (title && !core::IsValidUtf8(*title)) title = repaired_title = core::RepairUtf8(*title);
    std::string notices;
    std::string_view text = markdown;
    if (text.size() > kLimits.max_bytes) {
        text = CutAtLine(text, kLimits.max_bytes);
        notices +=
            Notice("Texten är för lång för att visas i sin helhet. Här visas bara början av den.");
    }
    core::TextScan scan = core::ScanText(text, kLimits);
    std::vector<TableAsText> shown;
    std::string rewritten;
    std::string_view source = text;
    if (const auto beyond = TablesBeyondLimits(scan); !beyond.empty()) {
        rewritten = ReplaceTables(text, beyond, shown);
        source = rewritten;
        scan = core::ScanText(source, kLimits);
    }
    if (!scan.problems.empty()) {
        return notices + PlainText(text, core::SwedishMessage(scan.problems.front()));
    }
    std::size_t fixed = notices.size();
    for (const TableAsText& table : shown) fixed += table.html.size();
    const std::size_t budget = kLimits.max_page_bytes - std::min(fixed, kLimits.max_page_bytes);

    Parsed parsed = Parse(source);
    if (!PageFits(parsed.document.get(), budget)) {
        return notices + PlainText(text, "Formaterad skulle den bli en för stor webbsida.");
    }
    if (title) DropTitleAndDemoteHeadings(parsed.document.get(), *title);
    std::string html = RenderHtml(parsed);
    parsed = Parsed{};
    if (title) html = WrapTables(std::move(html));
    html = SubstituteTables(std::move(html), shown);
    return notices.empty() ? html : notices + html;
}

}  // namespace

std::string RenderMarkdown(std::string_view markdown) {
    return RenderBounded(markdown, std::nullopt);
}

std::string RenderDocumentBody(std::string_view markdown, std::string_view title) {
    return RenderBounded(markdown, title);
}

std::string MarkdownCache::Render(const std::string& key, std::string_view markdown,
                                  std::string_view title) {
    {
        std::lock_guard lock(mutex_);
        auto found = entries_.find(key);
        if (found != entries_.end()) {
            order_.splice(order_.begin(), order_, found->second.position);
            return found->second.html;
        }
    }
    std::string html = RenderDocumentBody(markdown, title);
    // The key is held twice: in the map and in the order of use.
    const std::size_t size = 2 * key.size() + html.size();
    if (size > max_bytes_ || capacity_ == 0) return html;
    std::lock_guard lock(mutex_);
    if (entries_.find(key) == entries_.end()) {
        order_.push_front(key);
        entries_.emplace(key, Entry{html, order_.begin()});
        bytes_ += size;
        while (entries_.size() > capacity_ || bytes_ > max_bytes_) {
            auto victim = entries_.find(order_.back());
            bytes_ -= 2 * victim->first.size() + victim->second.html.size();
            entries_.erase(victim);
            order_.pop_back();
        }
    }
    return html;
}

std::size_t MarkdownCache::Bytes() const {
    std::lock_guard lock(mutex_);
    return bytes_;
}

}  // namespace styrdok::server
