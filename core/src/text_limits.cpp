#include "styrdok/core/text_limits.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <unordered_map>

#include "styrdok/core/utf8.hpp"

// The scan follows CommonMark's block structure only as far as the limits need, line by line,
// in one pass plus one for link reference definitions. Where it cannot be sure how cmark-gfm
// reads a line it errs towards the larger cost: a paragraph is only cut where cmark-gfm
// certainly ends one (a blank line, a list item or heading starting at most three spaces in,
// the rows of a table at the top level), so that no arrangement of lines hides markup from
// the count. The quadratic inputs of cmark-gfm 0.29.0.gfm.6 (Debian's) this bounds are listed
// in docs/operations.md, "Limits of document texts".

namespace styrdok::core {

namespace {

using Work = std::uint64_t;

constexpr std::size_t kMaxIndent = 3;        // more makes an indented code block
constexpr std::size_t kMaxLabelBytes = 999;  // CommonMark's longest link label
// Each markup character is an inline node of its own: a microsecond or two of cmark-gfm's time
// (measured for "&a", "\\*"), where a step of the quadratic matching takes a few nanoseconds.
constexpr Work kWorkPerMark = 256;
// What a construct costs at most in the HTML, for the page estimate.
constexpr std::size_t kMarkPageBytes = 16;       // "*a*" becomes "<em>a</em>"
constexpr std::size_t kContainerPageBytes = 40;  // "<blockquote>\n</blockquote>\n"
constexpr std::size_t kLinePageBytes = 12;       // "<p></p>\n", "<br />\n"
constexpr std::size_t kCellPageBytes = 30;       // "<td align=\"center\"></td>\n"
constexpr std::size_t kReferencePageFactor = 6;  // an expanded destination, escaped

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsAsciiPunctuation(char c) {
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
}

// The characters at which cmark-gfm's inline parser stops and makes a node: its own, those of
// --smart and those of the table, strikethrough and autolink extensions.
constexpr bool IsMarkup(char c) {
    switch (c) {
        case '\\':
        case '`':
        case '&':
        case '_':
        case '*':
        case '[':
        case ']':
        case '<':
        case '!':
        case '"':
        case '\'':
        case '.':
        case '-':
        case '~':
        case '|':
        case ':':
        case '@':
            return true;
        default:
            return false;
    }
}

// The markup characters cmark-gfm matches against each other (emphasis, strikethrough, smart
// quotes, brackets of links and images, "<" of autolinks and raw HTML), which is where its
// quadratic cases are; the others (. - : & | …) cost one node each and nothing more.
constexpr bool IsMatched(char c) {
    switch (c) {
        case '*':
        case '_':
        case '~':
        case '\'':
        case '"':
        case '[':
        case ']':
        case '!':
        case '<':
            return true;
        default:
            return false;
    }
}

// What each byte is to the scan, looked up once per byte of the text.
enum : std::uint8_t { kPlain = 0, kMark = 1, kMatched = 2, kLetterW = 4 };

constexpr std::size_t PageBytesOf(char c) {
    switch (c) {
        case '&':
            return 5;  // &amp;
        case '<':
        case '>':
            return 4;  // &lt;
        case '"':
            return 6;  // &quot;
        case '\'':
            return 3;  // ’
        default:
            return 1;
    }
}

struct CharClasses {
    std::uint8_t of[256] = {};
    std::uint8_t page[256] = {};  ///< bytes in the HTML
    constexpr CharClasses() {
        for (int c = 0; c < 256; ++c) {
            const char ch = static_cast<char>(c);
            if (IsMarkup(ch)) of[c] |= kMark;
            if (IsMatched(ch)) of[c] |= kMatched;
            page[c] = static_cast<std::uint8_t>(PageBytesOf(ch));
        }
        of[static_cast<unsigned char>('w')] |= kLetterW;
        of[static_cast<unsigned char>('W')] |= kLetterW;
    }
};

constexpr CharClasses kClasses;

bool StartsWithNoCase(std::string_view text, std::size_t at, std::string_view prefix) {
    if (text.size() - at < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        char c = text[at + i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != prefix[i]) return false;
    }
    return true;
}

// Advances over spaces and tabs; `col` follows CommonMark's tab stops of four.
void SkipIndent(std::string_view s, std::size_t& pos, std::size_t& col) {
    while (pos < s.size() && IsSpace(s[pos])) {
        col = s[pos] == '\t' ? (col / 4 + 1) * 4 : col + 1;
        ++pos;
    }
}

std::string_view TrimSpaces(std::string_view s) {
    while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
    while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
    return s;
}

// The length of a list marker at `p` ("-", "*", "+", "1." … "123456789)") followed by a
// space, a tab or the line's end; 0 when there is none. `number` is -1 for a bullet.
std::size_t ListMarkerAt(std::string_view s, std::size_t p, long& number) {
    if (p >= s.size()) return 0;
    std::size_t length = 0;
    if (s[p] == '-' || s[p] == '*' || s[p] == '+') {
        number = -1;
        length = 1;
    } else {
        long value = 0;
        std::size_t d = p;
        while (d < s.size() && d - p < 9 && IsDigit(s[d])) value = value * 10 + (s[d++] - '0');
        if (d == p || d >= s.size() || (s[d] != '.' && s[d] != ')')) return 0;
        number = value;
        length = d + 1 - p;
    }
    if (p + length < s.size() && !IsSpace(s[p + length])) return 0;
    return length;
}

// Where a thematic break ("***", "- - -") may start in one line: for each of its characters,
// the first position after which only that character and spaces follow, and the last
// position with at least three of it still to come. Computed once per line, so that asking
// at every list marker of "- - - … x" stays linear.
class ThematicBreaks {
public:
    explicit ThematicBreaks(std::string_view s) {
        for (int m = 0; m < 3; ++m) {
            const char mark = kMarks[m];
            std::size_t count = 0;
            std::size_t i = s.size();
            last_[m] = std::string_view::npos;
            while (i > 0 && (IsSpace(s[i - 1]) || s[i - 1] == mark)) {
                --i;
                if (s[i] == mark && ++count == 3) last_[m] = i;
            }
            tail_[m] = i;
        }
    }
    bool At(std::string_view s, std::size_t p) const {
        for (int m = 0; m < 3; ++m) {
            if (p < s.size() && s[p] == kMarks[m]) {
                return p >= tail_[m] && last_[m] != std::string_view::npos && p <= last_[m];
            }
        }
        return false;
    }

private:
    static constexpr char kMarks[3] = {'*', '-', '_'};
    std::size_t tail_[3] = {};
    std::size_t last_[3] = {};
};

// The columns of a GitHub table's delimiter row ("| :--- | ---: |"); 0 if `row` is none.
// `piped` tells whether it has a pipe at all.
std::size_t DelimiterColumns(std::string_view row, bool& piped) {
    row = TrimSpaces(row);
    std::size_t i = 0;
    std::size_t columns = 0;
    piped = false;
    if (i < row.size() && row[i] == '|') {
        piped = true;
        ++i;
    }
    while (i < row.size()) {
        while (i < row.size() && IsSpace(row[i])) ++i;
        if (i == row.size()) break;
        if (row[i] == ':') ++i;
        const std::size_t dashes = i;
        while (i < row.size() && row[i] == '-') ++i;
        if (i == dashes) return 0;
        if (i < row.size() && row[i] == ':') ++i;
        while (i < row.size() && IsSpace(row[i])) ++i;
        ++columns;
        if (i == row.size()) break;
        if (row[i] != '|') return 0;
        piped = true;
        ++i;
    }
    return columns;
}

// The cells of a table row as cmark-gfm splits it: at pipes not escaped by a backslash, an
// opening and a closing pipe not counting.
std::size_t RowCells(std::string_view row, bool& piped) {
    row = TrimSpaces(row);
    piped = false;
    if (row.empty()) return 0;
    std::size_t pipes = 0;
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (row[i] == '|' && (i == 0 || row[i - 1] != '\\')) ++pipes;
    }
    piped = pipes > 0;
    std::size_t cells = pipes + 1;
    if (row.front() == '|') --cells;
    if (row.size() > 1 && row.back() == '|' && row[row.size() - 2] != '\\') --cells;
    return std::max<std::size_t>(cells, 1);
}

// A link label as cmark-gfm matches it: case folded, inner white space collapsed to one space.
std::string NormalizedLabel(std::string_view label) {
    std::string out;
    out.reserve(label.size());
    bool ascii = true;
    bool space = false;
    for (char c : label) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        if ((c & 0x80) != 0) ascii = false;
        out += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    if (!ascii && IsValidUtf8(out)) return FoldCase(out);
    return out;
}

// The label of a link reference definition at the start of `s` ("[label]: …"): its end (the
// ':') or npos.
std::size_t DefinitionLabelEnd(std::string_view s) {
    if (s.empty() || s[0] != '[') return std::string_view::npos;
    for (std::size_t i = 1; i < s.size() && i <= kMaxLabelBytes + 1; ++i) {
        if (s[i] == '\\') {
            ++i;
        } else if (s[i] == '[') {
            return std::string_view::npos;
        } else if (s[i] == ']') {
            return i + 1 < s.size() && s[i + 1] == ':' && i > 1 ? i + 1 : std::string_view::npos;
        }
    }
    return std::string_view::npos;
}

struct Line {
    std::string_view text;  ///< without its line ending
    std::size_t begin = 0;
    std::size_t next = 0;  ///< where the next line begins
    std::size_t number = 0;
};

// cmark-gfm ends a line at "\n", "\r\n" or "\r".
Line LineAt(std::string_view text, std::size_t begin, std::size_t number) {
    const char* data = text.data();
    const void* newline = std::memchr(data + begin, '\n', text.size() - begin);
    std::size_t end = newline ? static_cast<const char*>(newline) - data : text.size();
    // A lone carriage return ends a line too; rare, so looked for only up to the newline.
    if (const void* ret = std::memchr(data + begin, '\r', end - begin)) {
        end = static_cast<const char*>(ret) - data;
    }
    std::size_t next = end;
    if (next < text.size()) {
        next += text[next] == '\r' && next + 1 < text.size() && text[next + 1] == '\n' ? 2 : 1;
    }
    return Line{text.substr(begin, end - begin), begin, next, number};
}

template <typename Visit>
void ForEachLine(std::string_view text, Visit visit) {
    std::size_t number = 1;
    for (std::size_t begin = 0; begin < text.size(); ++number) {
        const Line line = LineAt(text, begin, number);
        visit(line);
        begin = line.next;
    }
}

Work Saturating(Work a, Work b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

Work Product(Work a, Work b) { return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b; }

class Scanner {
public:
    Scanner(std::string_view text, const TextLimits& limits) : text_(text), limits_(limits) {}

    TextScan Run() {
        FindDefinitions();
        ForEachLine(text_, [this](const Line& line) { ScanLine(line); });
        EndTable();
        FlushBlock();
        return Finish();
    }

private:
    // A paragraph (or other inline block) as far as the scan can be sure of its extent.
    struct Block {
        std::size_t line = 0;
        std::size_t bytes = 0;
        std::size_t marks = 0;
        std::size_t matched = 0;  ///< marks of the kinds that are matched against each other
        std::size_t scans = 0;    ///< places where the renderer scans ahead to the block's end
    };

    struct Table {
        TextTable table;
        bool open = false;
        bool strict = false;  ///< certainly a table: each row is its own inline block
    };

    // What the previous line was, for tables (the header row is the line before the
    // delimiter row) and ordered list items.
    struct Previous {
        bool blank = true;
        bool top_level_text = false;  ///< at the top level, no markers, not a heading
        bool item = false;            ///< certainly started a list item
        std::string_view content;     ///< after its container markers
        std::size_t cells = 0;        ///< counted when a delimiter row follows
        bool piped = false;
        std::size_t begin = 0;
        std::size_t number = 0;
    };

    // Pass one: link reference definitions, each label with the bytes its destination and
    // title take, which every use of the label repeats in the page.
    void FindDefinitions() {
        if (text_.find("]:") == std::string_view::npos) return;  // most texts have none
        std::size_t* pending = nullptr;  // a definition whose destination or title goes on
        bool needs_destination = false;
        char closer = 0;
        ForEachLine(text_, [&](const Line& line) {
            std::string_view s = line.text;
            if (pending != nullptr) {
                if (TrimSpaces(s).empty()) {
                    pending = nullptr;
                } else {
                    *pending += s.size() + 1;
                    if (needs_destination) {
                        needs_destination = false;
                        closer = TitleCloser(TrimSpaces(s));
                        if (closer == 0) pending = nullptr;
                    } else if (HasUnescaped(s, closer)) {
                        pending = nullptr;
                    }
                    return;
                }
            }
            // Generously: after any quote markers, indentation and one list marker.
            std::size_t p = 0;
            while (p < s.size() && (IsSpace(s[p]) || s[p] == '>')) ++p;
            long number = 0;
            if (const std::size_t marker = ListMarkerAt(s, p, number)) {
                p += marker;
                while (p < s.size() && IsSpace(s[p])) ++p;
            }
            s.remove_prefix(p);
            const std::size_t colon = DefinitionLabelEnd(s);
            if (colon == std::string_view::npos) return;
            const std::string label = NormalizedLabel(s.substr(1, colon - 2));
            if (label.empty()) return;
            const std::string_view rest = TrimSpaces(s.substr(colon + 1));
            auto [it, added] = definitions_.try_emplace(label, rest.size());
            if (!added) return;  // the first definition of a label counts
            pending = &it->second;
            needs_destination = rest.empty();
            closer = needs_destination ? 0 : TitleCloser(rest);
            if (!needs_destination && closer == 0) pending = nullptr;
        });
    }

    static bool HasUnescaped(std::string_view s, char c) {
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (s[i] == '\\') {
                ++i;
            } else if (s[i] == c) {
                return true;
            }
        }
        return false;
    }

    // The character that would close a title opened after the destination in `s` and not
    // closed on the same line; 0 when there is none.
    static char TitleCloser(std::string_view s) {
        std::size_t i = 0;
        while (i < s.size() && !IsSpace(s[i])) ++i;  // the destination
        while (i < s.size() && IsSpace(s[i])) ++i;
        if (i == s.size()) return 0;
        const char open = s[i];
        const char close = open == '(' ? ')' : open;
        if (open != '"' && open != '\'' && open != '(') return 0;
        for (std::size_t j = i + 1; j < s.size(); ++j) {
            if (s[j] == '\\') {
                ++j;
            } else if (s[j] == close) {
                return 0;
            }
        }
        return close;
    }

    void ScanLine(const Line& line) {
        const std::string_view s = line.text;
        // Block quote markers, each after at most three spaces.
        std::size_t pos = 0;
        std::size_t col = 0;
        std::size_t quotes = 0;
        for (;;) {
            std::size_t p = pos;
            std::size_t c = col;
            SkipIndent(s, p, c);
            if (c - col > kMaxIndent || p >= s.size() || s[p] != '>') break;
            ++quotes;
            pos = p + 1;
            col = c + 1;
            if (pos < s.size() && s[pos] == ' ') {
                ++pos;
                ++col;
            }
        }
        const std::size_t quotes_col = col;
        SkipIndent(s, pos, col);
        const bool blank = pos == s.size();
        const bool shallow = col - quotes_col <= kMaxIndent;

        // The list items of earlier lines this one continues: those whose content starts at
        // or before its indentation.
        std::size_t continued = 0;
        if (quotes == stack_quotes_) {
            while (continued < stack_.size() && stack_[continued] <= col) ++continued;
        }
        const std::size_t base = continued > 0 ? stack_[continued - 1] : quotes_col;

        // New containers: list markers and block quotes opened on this line.
        markers_.clear();
        std::size_t content = pos;
        bool heading = false;
        bool rule = false;
        bool item = false;
        long first_number = -1;
        if (!blank && col - std::min(col, base) <= kMaxIndent) {
            const ThematicBreaks breaks(s);
            std::size_t p = pos;
            std::size_t c = col;
            while (p < s.size()) {
                if (breaks.At(s, p)) {
                    rule = true;
                    break;
                }
                if (s[p] == '>') {
                    markers_.push_back(0);
                    ++p;
                    ++c;
                    if (p < s.size() && s[p] == ' ') {
                        ++p;
                        ++c;
                    }
                    std::size_t q = p;
                    std::size_t qc = c;
                    SkipIndent(s, q, qc);
                    if (qc - c > kMaxIndent) break;
                    p = q;
                    c = qc;
                    continue;
                }
                long number = -1;
                const std::size_t marker = ListMarkerAt(s, p, number);
                if (marker == 0) break;
                if (markers_.empty()) first_number = number;
                p += marker;
                c += marker;
                std::size_t q = p;
                std::size_t qc = c;
                SkipIndent(s, q, qc);
                const bool empty = q == s.size();
                const bool code = !empty && qc - c > 4;
                markers_.push_back(empty || code ? c + 1 : qc);
                if (code) break;
                p = q;
                c = qc;
                if (empty) break;
            }
            content = p;
            const std::string_view rest = s.substr(p);
            std::size_t hashes = 0;
            while (hashes < rest.size() && hashes < 7 && rest[hashes] == '#') ++hashes;
            heading = !rule && hashes >= 1 && hashes <= 6 &&
                      (hashes == rest.size() || IsSpace(rest[hashes]));
            // A list item certainly starts a new block when it begins at most three spaces
            // in and has content: a bullet or "1." interrupts any paragraph, another number
            // only follows an item (then the list, not a paragraph, is what it continues).
            const bool starts_with_list_marker = !markers_.empty() && markers_.front() != 0;
            item = shallow && starts_with_list_marker && content < s.size() &&
                   (first_number == -1 || first_number == 1 || previous_.item);
        }
        const bool top_heading = shallow && heading && markers_.empty();
        const bool top_rule = shallow && rule && markers_.empty();
        const bool fence = shallow && IsFence(s.substr(content));
        const bool block_start = !blank && (quotes > open_quotes_ || item || top_heading ||
                                            top_rule || (fence && markers_.empty()));
        const bool unmatched = quotes < open_quotes_ || continued < stack_.size();
        const bool lazy = !blank && in_paragraph_ && !block_start && unmatched;

        // Nesting: what is open on this line.
        const std::size_t depth =
            lazy ? open_quotes_ + stack_.size() : quotes + continued + markers_.size();
        if (depth > deepest_) {
            deepest_ = depth;
            deepest_line_ = line.number;
        }

        // Tables: a delimiter row under a non-blank line makes the line above a header.
        bool piped = false;
        const std::size_t delimiter_columns =
            blank ? 0 : DelimiterColumns(s.substr(content), piped);
        bool row_piped = false;
        std::size_t cells = 0;
        if (table_.open && !blank) cells = RowCells(s.substr(content), row_piped);
        bool strict_row = false;
        bool strict_delimiter = false;
        if (table_.open) {
            if (blank) {
                EndTable();
            } else {
                ++table_.table.rows;
                table_.table.columns = std::max(table_.table.columns, cells);
                table_.table.end = line.next;
                table_.strict = table_.strict && quotes == 0 && markers_.empty() && shallow &&
                                row_piped && !block_start && !StartsBlock(s.substr(pos));
                strict_row = table_.strict;
            }
        } else if (delimiter_columns > 0 && !previous_.blank &&
                   (previous_.cells = RowCells(previous_.content, previous_.piped),
                    piped || previous_.piped)) {
            table_.open = true;
            table_.table = TextTable{previous_.begin, line.next, previous_.number,
                                     std::max(delimiter_columns, previous_.cells), 0};
            // cmark-gfm makes a table only when header and delimiter agree; the scan cuts
            // blocks at its rows only when it is sure of the table.
            table_.strict = previous_.top_level_text && quotes == 0 && markers_.empty() &&
                            shallow && !lazy && open_quotes_ == 0 && stack_.empty() &&
                            previous_.cells == delimiter_columns;
            strict_delimiter = table_.strict;
        }

        // Markup work: cut the block where cmark-gfm certainly ends one.
        if (blank || item || top_heading || strict_row || strict_delimiter) FlushBlock();
        if (!blank && !strict_delimiter) AddToBlock(s.substr(content), line.number);
        if (top_heading || strict_row) FlushBlock();

        // The page: every line, every container it opens, every byte as escaped.
        page_ = Saturating(page_, kLinePageBytes);
        const std::size_t opened =
            (quotes > open_quotes_ ? quotes - open_quotes_ : 0) + (lazy ? 0 : markers_.size());
        page_ = Saturating(page_, Product(opened, kContainerPageBytes));

        // What stays open for the next line.
        if (!lazy) {
            if (quotes != stack_quotes_) {
                stack_.clear();
                stack_quotes_ = quotes;
            } else if (!blank) {
                stack_.resize(continued);
            }
            for (std::size_t content_col : markers_) {
                if (content_col != 0) stack_.push_back(content_col);
            }
            open_quotes_ = quotes;
        }
        in_paragraph_ = !blank && !top_heading && !top_rule;
        previous_ =
            Previous{blank,
                     !blank && quotes == 0 && markers_.empty() && shallow && !lazy &&
                         !top_heading && !top_rule && !fence && open_quotes_ == 0 && stack_.empty(),
                     item,
                     s.substr(std::min(content, s.size())),
                     cells,
                     row_piped,
                     line.begin,
                     line.number};
    }

    // A fenced code block's opening: three backticks (none in the info string) or tildes.
    static bool IsFence(std::string_view s) {
        if (s.size() < 3 || (s[0] != '`' && s[0] != '~')) return false;
        std::size_t run = 0;
        while (run < s.size() && s[run] == s[0]) ++run;
        if (run < 3) return false;
        return s[0] == '~' || s.find('`', run) == std::string_view::npos;
    }

    // Whether a line that a table would take as a row might instead start a block of its own
    // in cmark-gfm (then the rows after it could be one paragraph).
    static bool StartsBlock(std::string_view s) {
        if (s.empty()) return true;
        switch (s[0]) {
            case '>':
            case '-':
            case '+':
            case '*':
            case '#':
            case '`':
            case '~':
            case '<':
            case '_':
            case '=':
                return true;
            default:
                break;
        }
        long number = 0;
        return ListMarkerAt(s, 0, number) != 0;
    }

    void AddToBlock(std::string_view content, std::size_t line) {
        if (block_.bytes == 0) block_.line = line;
        block_.bytes += content.size() + 1;
        const bool labels = !definitions_.empty();
        std::size_t label_from = 0;  // where the open label's text starts on this line
        Work page = 0;               // per line: cannot overflow, added to page_ once
        for (std::size_t i = 0; i < content.size(); ++i) {
            const auto byte = static_cast<unsigned char>(content[i]);
            page += kClasses.page[byte];
            const std::uint8_t kind = kClasses.of[byte];
            if (kind == kPlain) continue;
            const char c = content[i];
            if (c == '\\' && i + 1 < content.size() && IsAsciiPunctuation(content[i + 1])) {
                ++block_.marks;  // an escape is one node, whatever it escapes
                page += kMarkPageBytes + kClasses.page[static_cast<unsigned char>(content[i + 1])];
                ++i;
                continue;
            }
            if ((kind & kLetterW) != 0) {
                if (StartsWithNoCase(content, i, "www.")) {
                    ++block_.marks;
                    ++block_.scans;
                    page += kMarkPageBytes;
                }
                continue;
            }
            ++block_.marks;
            if ((kind & kMatched) != 0) ++block_.matched;
            page += kMarkPageBytes;
            if ((c == '<' && i + 1 < content.size() &&
                 (content[i + 1] == '?' || content[i + 1] == '!')) ||
                c == '@' || (c == ':' && content.substr(i + 1, 2) == "//")) {
                ++block_.scans;
            }
            // A label may run over lines of its paragraph, as "[foo\nbar]" for "[foo bar]".
            if (!labels) continue;
            if (c == '[') {
                in_label_ = true;
                label_.clear();
                label_from = i + 1;
            } else if (c == ']' && in_label_) {
                label_.append(content.substr(label_from, i - label_from));
                if (label_.size() <= kMaxLabelBytes) {
                    auto found = definitions_.find(NormalizedLabel(label_));
                    if (found != definitions_.end()) {
                        references_ = Saturating(references_, found->second);
                    }
                }
                in_label_ = false;
            }
        }
        if (in_label_) {
            label_.append(content.substr(label_from)).append("\n");
            if (label_.size() > kMaxLabelBytes) in_label_ = false;
        }
        page_ = Saturating(page_, page);
    }

    void FlushBlock() {
        if (block_.bytes == 0) return;
        const Work marks = block_.marks;
        const Work matched = block_.matched;
        marks_ += block_.marks;
        const Work own = Saturating(Product(matched, matched), Product(block_.scans, block_.bytes));
        work_ = Saturating(work_, Saturating(own, Product(marks, kWorkPerMark)));
        if (own > worst_work_) {
            worst_work_ = own;
            worst_block_ = block_;
        }
        block_ = Block{};
        in_label_ = false;
    }

    void EndTable() {
        if (!table_.open) return;
        tables_.push_back(table_.table);
        table_ = Table{};
    }

    TextScan Finish() {
        TextScan scan;
        scan.tables = tables_;
        if (text_.size() > limits_.max_bytes) {
            scan.problems.push_back({TextLimit::kBytes, text_.size(), limits_.max_bytes, 0});
        }
        const TextTable* widest = nullptr;
        Work cells = 0;
        std::size_t cells_line = 0;
        for (const TextTable& table : tables_) {
            if (table.columns > limits_.max_table_columns &&
                (widest == nullptr || table.columns > widest->columns)) {
                widest = &table;
            }
            cells = Saturating(cells, Product(table.columns, table.rows + 1));
            if (cells > limits_.max_table_cells && cells_line == 0) cells_line = table.line;
        }
        if (widest != nullptr) {
            scan.problems.push_back({TextLimit::kTableColumns, widest->columns,
                                     limits_.max_table_columns, widest->line});
        }
        if (cells > limits_.max_table_cells) {
            scan.problems.push_back({TextLimit::kTableCells, static_cast<std::size_t>(cells),
                                     limits_.max_table_cells, cells_line});
        }
        if (deepest_ > limits_.max_nesting) {
            scan.problems.push_back(
                {TextLimit::kNesting, deepest_, limits_.max_nesting, deepest_line_});
        }
        if (work_ > limits_.max_markup_work) {
            if (Product(marks_, 2 * kWorkPerMark) > limits_.max_markup_work ||
                worst_block_.matched == 0) {
                // Markup everywhere rather than in some long paragraph: name the whole text.
                scan.problems.push_back(
                    {TextLimit::kMarkup, marks_, limits_.max_markup_work / (2 * kWorkPerMark), 0});
            } else {
                // As many markup characters in the worst paragraph as would bring the text
                // within the limit if every paragraph shrank alike (the work is a square).
                const double scale = std::sqrt(static_cast<double>(limits_.max_markup_work) /
                                               static_cast<double>(work_));
                const auto allowed = static_cast<std::size_t>(
                    std::floor(static_cast<double>(worst_block_.matched) * scale));
                scan.problems.push_back({TextLimit::kMarkup, worst_block_.matched,
                                         std::min(allowed, worst_block_.matched - 1),
                                         worst_block_.line});
            }
        }
        // Cells beyond their own limit are that limit's to report, not the page's.
        const Work counted_cells = std::min<Work>(cells, limits_.max_table_cells);
        Work page = Saturating(page_, Product(counted_cells, kCellPageBytes));
        page = Saturating(page, Product(references_, kReferencePageFactor));
        if (page > limits_.max_page_bytes) {
            scan.problems.push_back(
                {TextLimit::kPageBytes, static_cast<std::size_t>(page), limits_.max_page_bytes, 0});
        }
        return scan;
    }

    std::string_view text_;
    const TextLimits& limits_;
    std::unordered_map<std::string, std::size_t> definitions_;

    std::vector<std::size_t> stack_;  ///< content columns of the open list items
    std::size_t stack_quotes_ = 0;    ///< the block quotes the open list items are inside
    std::size_t open_quotes_ = 0;
    bool in_paragraph_ = false;
    std::vector<std::size_t> markers_;  ///< this line's new containers (0 for a block quote)
    Previous previous_;

    std::size_t deepest_ = 0;
    std::size_t deepest_line_ = 0;
    Table table_;
    std::vector<TextTable> tables_;
    Block block_;
    Block worst_block_;
    Work worst_work_ = 0;
    Work work_ = 0;
    std::size_t marks_ = 0;
    Work page_ = 0;
    Work references_ = 0;
    std::string label_;  ///< a link label being read, perhaps over several lines
    bool in_label_ = false;
};

// "5 000": digits grouped by threes with a no-break space, as Swedish writes numbers.
std::string Grouped(std::size_t number, const char* separator) {
    const std::string digits = std::to_string(number);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += separator;
        out += digits[i];
    }
    return out;
}

// "1 MB", "2,3 MB", "640 kB" (decimal comma in Swedish, point in English).
std::string Size(std::size_t bytes, char decimal) {
    char buffer[32];
    if (bytes >= (std::size_t{1} << 20)) {
        // Rounded up, so that a text just over a limit never reads as the limit itself.
        const double tenths = std::ceil(static_cast<double>(bytes) * 10 / (1 << 20));
        std::snprintf(buffer, sizeof buffer, "%.1f", tenths / 10);
        std::string text = buffer;
        if (text.ends_with(".0")) text.resize(text.size() - 2);
        std::replace(text.begin(), text.end(), '.', decimal);
        return text + " MB";
    }
    return std::to_string((bytes + 1023) / 1024) + " kB";
}

}  // namespace

TextScan ScanText(std::string_view text, const TextLimits& limits) {
    return Scanner(text, limits).Run();
}

std::vector<TextProblem> TextProblems(std::string_view text, const TextLimits& limits) {
    return ScanText(text, limits).problems;
}

std::string SwedishMessage(const TextProblem& problem) {
    const auto n = [](std::size_t number) { return Grouped(number, "\u00a0"); };
    const std::string at = " på rad " + n(problem.line);
    switch (problem.limit) {
        case TextLimit::kBytes:
            return "Texten är " + Size(problem.found, ',') + "; högst " +
                   Size(problem.allowed, ',') + " går att spara.";
        case TextLimit::kTableColumns:
            return "Texten har en tabell med " + n(problem.found) + " kolumner" + at + "; högst " +
                   n(problem.allowed) + " går att visa.";
        case TextLimit::kTableCells:
            return "Texten har tabeller med sammanlagt " + n(problem.found) + " celler; högst " +
                   n(problem.allowed) + " går att visa.";
        case TextLimit::kNesting:
            return "Texten har citat eller listor i " + n(problem.found) + " nivåer" + at +
                   "; högst " + n(problem.allowed) + " går att visa.";
        case TextLimit::kMarkup:
            if (problem.line == 0) {
                return "Texten har " + n(problem.found) +
                       " formateringstecken (som * _ [ < | \"); högst " + n(problem.allowed) +
                       " går att visa.";
            }
            return "Stycket" + at + " har " + n(problem.found) +
                   " formateringstecken (som * _ [ < \"); högst " + n(problem.allowed) +
                   " går att visa i ett så långt stycke. Dela upp det i kortare stycken.";
        case TextLimit::kPageBytes:
            return "Texten skulle bli en webbsida på " + Size(problem.found, ',') + "; högst " +
                   Size(problem.allowed, ',') + " går att visa.";
    }
    return "Texten går inte att visa.";
}

std::string EnglishMessage(const TextProblem& problem) {
    const auto n = [](std::size_t number) { return std::to_string(number); };
    const std::string at = " at line " + n(problem.line);
    switch (problem.limit) {
        case TextLimit::kBytes:
            return "the text is " + Size(problem.found, '.') + "; at most " +
                   Size(problem.allowed, '.') + " can be stored";
        case TextLimit::kTableColumns:
            return "a table with " + n(problem.found) + " columns" + at + "; at most " +
                   n(problem.allowed) + " can be shown";
        case TextLimit::kTableCells:
            return "tables with " + n(problem.found) + " cells in all; at most " +
                   n(problem.allowed) + " can be shown";
        case TextLimit::kNesting:
            return "block quotes or lists nested " + n(problem.found) + " levels deep" + at +
                   "; at most " + n(problem.allowed) + " can be shown";
        case TextLimit::kMarkup:
            if (problem.line == 0) {
                return "the text has " + n(problem.found) +
                       " markup characters (* _ [ < | \" ...); at most " + n(problem.allowed) +
                       " can be shown";
            }
            return "the paragraph" + at + " has " + n(problem.found) +
                   " markup characters (* _ [ < \" ...); at most " + n(problem.allowed) +
                   " can be shown in a paragraph that long";
        case TextLimit::kPageBytes:
            return "the text would make a web page of " + Size(problem.found, '.') + "; at most " +
                   Size(problem.allowed, '.') + " can be shown";
    }
    return "the text cannot be shown";
}

}  // namespace styrdok::core
