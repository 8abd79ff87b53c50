#include "styrdok/core/propose.hpp"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "styrdok/core/date.hpp"
#include "styrdok/core/diarienummer.hpp"
#include "styrdok/core/paragraph.hpp"
#include "styrdok/core/utf8.hpp"

namespace styrdok::core {

namespace {

// A governing document states its decision in a header block, on its title page or in a
// closing line; the middle is the rules themselves, whose dates and paragraphs ("1 §",
// "beslutade 2015 att upphäva") are about other things. So only the ends are read.
constexpr std::size_t kHeadBytes = 24 * 1024;
constexpr std::size_t kTailBytes = 8 * 1024;
constexpr std::size_t kHeadLines = 80;
constexpr std::size_t kTailLines = 25;
// A line longer than this is running prose; its start is enough.
constexpr std::size_t kMaxLineBytes = 2000;
constexpr std::size_t kMaxTitleBytes = 200;
constexpr std::size_t kMaxValueBytes = 120;
// Two-digit years in a diarienummer only need one fixed reading to compare numbers.
constexpr int kDnrReferenceYear = 2099;
constexpr std::size_t kMaxIdBytes = 60;

// --- characters ----------------------------------------------------------------------

// Lower case that keeps every byte where it was, so that a position found in the lowered
// line is the same position in the line as written: ASCII letters, and the Latin-1 capitals
// in UTF-8 (Å, Ä, Ö, É: C3 80–9E, less ×), which is every capital a Swedish label has.
std::string Lower(std::string_view text) {
    std::string out(text);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto c = static_cast<unsigned char>(out[i]);
        if (c >= 'A' && c <= 'Z') {
            out[i] = static_cast<char>(c + ('a' - 'A'));
        } else if (c == 0xC3 && i + 1 < out.size()) {
            const auto next = static_cast<unsigned char>(out[i + 1]);
            if (next >= 0x80 && next <= 0x9E && next != 0x97) {
                out[i + 1] = static_cast<char>(next + 0x20);
            }
            ++i;
        }
    }
    return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Any byte of a letter: ASCII letters and every byte of a multi-byte UTF-8 character (the
// Swedish letters; other symbols are rare enough in a word's neighbourhood not to matter).
bool IsLetterByte(char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u >= 0x80;
}

bool IsUpperAt(std::string_view text, std::size_t i) {
    if (i >= text.size()) return false;
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 'A' && c <= 'Z') return true;
    return c == 0xC3 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
           static_cast<unsigned char>(text[i + 1]) <= 0x9E;
}

bool WordStartsAt(std::string_view text, std::size_t pos) {
    return pos == 0 || !IsLetterByte(text[pos - 1]);
}

bool WordEndsAt(std::string_view text, std::size_t end) {
    return end >= text.size() || !IsLetterByte(text[end]);
}

// Every position where `word` stands as a word of its own (or a phrase of its own).
std::vector<std::size_t> FindWords(std::string_view lower, std::string_view word) {
    std::vector<std::size_t> found;
    for (std::size_t pos = lower.find(word); pos != std::string_view::npos;
         pos = lower.find(word, pos + 1)) {
        if (WordStartsAt(lower, pos) && WordEndsAt(lower, pos + word.size())) {
            found.push_back(pos);
        }
    }
    return found;
}

std::string_view TrimView(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// Cuts `text` to at most `limit` bytes without splitting a UTF-8 character.
std::string_view CutUtf8(std::string_view text, std::size_t limit) {
    if (text.size() <= limit) return text;
    std::size_t end = limit;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return text.substr(0, end);
}

// A value as proposed: trimmed, without trailing punctuation, valid UTF-8 (a byte that is
// not becomes U+FFFD, three bytes, so the cut comes after the repair) and at most `limit`.
std::string CleanValue(std::string_view value, std::size_t limit = kMaxValueBytes) {
    value = TrimView(value);
    while (!value.empty() && (value.back() == '.' || value.back() == ',' || value.back() == ';' ||
                              value.back() == ':')) {
        value.remove_suffix(1);
        value = TrimView(value);
    }
    // Enough to fill `limit` even when every byte is repaired, without repairing a long line.
    const std::string repaired = RepairUtf8(CutUtf8(value, limit));
    return std::string(CutUtf8(repaired, limit));
}

// --- lines -----------------------------------------------------------------------------

struct Line {
    std::string text;         ///< without Markdown marks
    std::string lower;        ///< Lower(text)
    int heading = 0;          ///< Markdown heading level, 0 for none
    bool label_cell = false;  ///< made from a table row's label | value pair
};

// Removes Markdown's backslash escapes and strong emphasis ("**Diarienummer:** KS 2020/141",
// "__Dnr__"), and turns no-break spaces and tabs into spaces.
std::string Unmark(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if ((c == '*' || c == '_') && i + 1 < text.size() && text[i + 1] == c) {
            ++i;
        } else if (c == '\\' && i + 1 < text.size() &&
                   std::string_view("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~").find(text[i + 1]) !=
                       std::string_view::npos) {
            out += text[++i];
        } else if (c == '\t') {
            out += ' ';
        } else if (c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0') {
            out += ' ';
            ++i;
        } else {
            out += c;
        }
    }
    return out;
}

std::vector<std::string> TableCells(std::string_view row) {
    std::vector<std::string> cells;
    std::string cell;
    for (std::size_t i = 1; i < row.size(); ++i) {
        if (row[i] == '\\' && i + 1 < row.size() && row[i + 1] == '|') {
            cell += '|';
            ++i;
        } else if (row[i] == '|') {
            cells.push_back(std::string(TrimView(cell)));
            cell.clear();
        } else {
            cell += row[i];
        }
    }
    if (!TrimView(cell).empty()) cells.push_back(std::string(TrimView(cell)));
    return cells;
}

bool IsSeparatorRow(const std::vector<std::string>& cells) {
    for (const std::string& cell : cells) {
        if (cell.find_first_not_of("-: ") != std::string::npos) return false;
    }
    return true;
}

void AddLine(std::vector<Line>& lines, std::string text, int heading, bool label_cell) {
    std::string_view trimmed = TrimView(text);
    if (trimmed.empty()) return;
    Line line;
    line.text = std::string(CutUtf8(trimmed, kMaxLineBytes));
    line.lower = Lower(line.text);
    line.heading = heading;
    line.label_cell = label_cell;
    lines.push_back(std::move(line));
}

// A letterhead or footer line holds several things side by side ("Diarienummer KS 2021/398 ·
// Dokumentägare: Ekonomichef", "Exempelby kommun | Kommunledningsförvaltningen"): its
// segments between " · ", " • " or " | " are read as lines of their own, so that a label
// starts a line. Dashes are not separators: they stand between two dates of a period.
std::vector<std::string_view> Segments(std::string_view line) {
    constexpr std::string_view kSeparators[] = {" \xC2\xB7 ", " \xE2\x80\xA2 ", " | "};
    std::vector<std::string_view> segments;
    std::size_t start = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        for (std::string_view separator : kSeparators) {
            if (line.substr(i, separator.size()) == separator) {
                segments.push_back(TrimView(line.substr(start, i - start)));
                start = i + separator.size();
                i = start - 1;
                break;
            }
        }
    }
    segments.push_back(TrimView(line.substr(start)));
    return segments;
}

// One line of extracted text as the lines the proposer reads: Markdown heading and list
// marks dropped, and a table row's cells paired as "label: value" lines, since a label |
// value table is how many house styles print their metadata.
void ReadLine(std::string_view raw, std::vector<Line>& lines) {
    raw = TrimView(raw);
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    if (raw.ends_with("\\")) raw.remove_suffix(1);
    raw = TrimView(raw);
    if (raw.empty()) return;
    if (raw.front() == '|') {
        const std::vector<std::string> cells = TableCells(raw);
        if (cells.empty() || IsSeparatorRow(cells)) return;
        std::size_t i = 0;
        for (; i + 1 < cells.size(); i += 2) {
            if (cells[i].empty()) {
                AddLine(lines, Unmark(cells[i + 1]), 0, false);
            } else {
                AddLine(lines, Unmark(cells[i]) + ": " + Unmark(cells[i + 1]), 0, true);
            }
        }
        if (i < cells.size()) AddLine(lines, Unmark(cells[i]), 0, false);
        return;
    }
    // A block quote ("> Beslutad av: Kommunfullmäktige") is a box around lines of their own.
    while (raw.starts_with(">")) raw = TrimView(raw.substr(1));
    if (raw.empty()) return;
    int heading = 0;
    while (heading < static_cast<int>(raw.size()) && raw[heading] == '#') ++heading;
    if (heading > 0 && heading <= 6 &&
        (static_cast<std::size_t>(heading) == raw.size() || raw[heading] == ' ')) {
        raw.remove_prefix(static_cast<std::size_t>(heading));
    } else {
        heading = 0;
        if (raw.starts_with("- ") || raw.starts_with("* ") || raw.starts_with("+ ")) {
            raw.remove_prefix(2);
        }
    }
    for (std::string_view segment : Segments(raw)) AddLine(lines, Unmark(segment), heading, false);
}

std::vector<Line> SplitLines(std::string_view text, std::size_t max_lines) {
    std::vector<Line> lines;
    while (!text.empty() && lines.size() < max_lines) {
        const std::size_t end = text.find('\n');
        ReadLine(text.substr(0, end), lines);
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return lines;
}

// The lines read: the first kHeadLines of the head, and the last kTailLines of the text
// when it has more lines than both together.
std::vector<Line> ReadLines(std::string_view text) {
    std::vector<Line> lines = SplitLines(text.substr(0, kHeadBytes), kHeadLines);
    std::vector<Line> tail;
    if (text.size() <= kHeadBytes) {
        tail = SplitLines(text, SIZE_MAX);
        if (tail.size() <= kHeadLines + kTailLines) return tail;
    } else {
        const std::size_t newline = text.find('\n', text.size() - kTailBytes);
        if (newline == std::string_view::npos) return lines;
        tail = SplitLines(text.substr(newline + 1), SIZE_MAX);
    }
    const std::size_t skip = tail.size() > kTailLines ? tail.size() - kTailLines : 0;
    for (std::size_t i = skip; i < tail.size(); ++i) lines.push_back(std::move(tail[i]));
    return lines;
}

// --- values ----------------------------------------------------------------------------

constexpr std::string_view kMonths[] = {"januari",   "februari", "mars",     "april",
                                        "maj",       "juni",     "juli",     "augusti",
                                        "september", "oktober",  "november", "december"};

struct FoundDate {
    std::size_t pos = 0;
    std::size_t end = 0;
    Date date;
};

std::optional<int> Digits(std::string_view text, std::size_t pos, std::size_t count) {
    if (pos + count > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (!IsDigit(text[i])) return std::nullopt;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

// ISO dates ("2011-04-19") and written ones ("15 december 2022", "1 juni 2016") in `lower`,
// in order.
std::vector<FoundDate> FindDates(std::string_view lower) {
    std::vector<FoundDate> found;
    for (std::size_t i = 0; i < lower.size(); ++i) {
        if (!IsDigit(lower[i]) || (i > 0 && IsDigit(lower[i - 1]))) continue;
        if (i + 10 <= lower.size() && lower[i + 4] == '-' && lower[i + 7] == '-' &&
            (i + 10 == lower.size() || !IsDigit(lower[i + 10]))) {
            const auto y = Digits(lower, i, 4), m = Digits(lower, i + 5, 2),
                       d = Digits(lower, i + 8, 2);
            if (y && m && d) {
                if (auto date = Date::FromYmd(*y, *m, *d)) {
                    found.push_back({i, i + 10, *date});
                    i += 9;
                    continue;
                }
            }
        }
        std::size_t digits = 0;
        while (i + digits < lower.size() && IsDigit(lower[i + digits]) && digits < 3) ++digits;
        if (digits == 0 || digits > 2) continue;
        const int day = *Digits(lower, i, digits);
        std::size_t p = i + digits;
        if (p < lower.size() && lower[p] == '.') ++p;
        if (p >= lower.size() || lower[p] != ' ') continue;
        ++p;
        for (std::size_t month = 0; month < std::size(kMonths); ++month) {
            const std::string_view name = kMonths[month];
            if (lower.substr(p, name.size()) != name || lower.size() < p + name.size() + 5 ||
                lower[p + name.size()] != ' ') {
                continue;
            }
            const std::size_t year_pos = p + name.size() + 1;
            const auto year = Digits(lower, year_pos, 4);
            if (!year || (year_pos + 4 < lower.size() && IsDigit(lower[year_pos + 4]))) break;
            if (auto date = Date::FromYmd(*year, static_cast<int>(month) + 1, day)) {
                found.push_back({i, year_pos + 4, *date});
                i = year_pos + 3;
            }
            break;
        }
    }
    return found;
}

constexpr std::string_view kSectionSign = "\xC2\xA7";

// "§ 139", "§ 12:3", "§ 45 a": one spelling for every way a paragraph is written.
std::string FormatParagraph(const Paragraph& paragraph) {
    std::string value = "\xC2\xA7 " + std::to_string(paragraph.number);
    if (!paragraph.rest.empty()) {
        value += paragraph.rest.front() == ':' ? paragraph.rest : " " + paragraph.rest;
    }
    return value;
}

// The first paragraph reference in `text`: "§ 90", "§90", "§§ 139", "paragraf 98", as
// "§ N" (with ":M" or a letter when written). A number before the sign ("1 § Denna taxa")
// is a section of the rules, not the minutes, and is not read.
std::optional<std::string> FindParagraph(std::string_view text, std::string_view lower) {
    for (std::size_t pos = 0; pos < text.size(); ++pos) {
        std::size_t start = std::string_view::npos;
        if (text.substr(pos, kSectionSign.size()) == kSectionSign) {
            start = pos;
        } else if (lower.substr(pos, 8) == "paragraf" && WordStartsAt(lower, pos)) {
            start = pos;
        }
        if (start == std::string_view::npos) continue;
        std::size_t p = start + (text[start] == 'p' || text[start] == 'P' ? 8 : 2);
        if (text.substr(p, kSectionSign.size()) == kSectionSign) p += kSectionSign.size();
        while (p < text.size() && text[p] == ' ') ++p;
        std::size_t end = p;
        while (end < text.size() && IsDigit(text[end])) ++end;
        if (end == p) continue;
        // ":3" or one letter standing alone ("§ 45 a"), as core::ParseParagraph reads them.
        std::size_t rest_end = end;
        if (end + 1 < text.size() && text[end] == ':' && IsDigit(text[end + 1])) {
            rest_end = end + 1;
            while (rest_end < text.size() && IsDigit(text[rest_end])) ++rest_end;
        } else {
            // A letter after a space only where nothing follows it: "§ 45 a", but not the
            // "i" of "§ 139 i enlighet med".
            std::size_t q = end;
            const bool spaced = q < text.size() && text[q] == ' ';
            if (spaced) ++q;
            if (q < text.size() && text[q] >= 'a' && text[q] <= 'z' && WordEndsAt(text, q + 1) &&
                (!spaced || q + 1 == text.size() ||
                 std::string_view(",;)").find(text[q + 1]) != std::string_view::npos)) {
                rest_end = q + 1;
            }
        }
        const std::string written = "\xC2\xA7 " + std::string(text.substr(p, rest_end - p));
        if (auto paragraph = ParseParagraph(written)) return FormatParagraph(*paragraph);
    }
    return std::nullopt;
}

// A paragraph right after a decision's date as OCR reads "§ 44": "8 44", "$ 44", "S 44", or
// the sign as two glyphs ("$& 44").
std::optional<std::string> OcrParagraph(std::string_view after_date) {
    constexpr std::string_view kSignGlyphs = "8$S&";
    std::size_t p = 0;
    if (p < after_date.size() && after_date[p] == ',') ++p;
    while (p < after_date.size() && after_date[p] == ' ') ++p;
    if (p >= after_date.size() || kSignGlyphs.find(after_date[p]) == std::string::npos) {
        return std::nullopt;
    }
    ++p;
    if (p < after_date.size() && kSignGlyphs.find(after_date[p]) != std::string::npos) ++p;
    if (p >= after_date.size() || after_date[p] != ' ') return std::nullopt;
    while (p < after_date.size() && after_date[p] == ' ') ++p;
    std::size_t end = p;
    while (end < after_date.size() && IsDigit(after_date[end])) ++end;
    if (end == p || !WordEndsAt(after_date, end)) return std::nullopt;
    if (auto paragraph = ParseParagraph(after_date.substr(p, end - p))) {
        return FormatParagraph(*paragraph);
    }
    return std::nullopt;
}

// A period of whole years in `text`: "2023–2026", "2023-2026" (as OCR reads the dash),
// "2023 – 2026"; not a date ("2023-01-01") nor a diarienummer ("2020-0141"), whose second
// number is no later year.
struct YearRange {
    std::size_t pos = 0;
    std::size_t end = 0;
    int from = 0;
    int to = 0;
};

constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2199;
constexpr int kMaxRangeYears = 30;

std::optional<YearRange> FindYearRange(std::string_view text, std::size_t start = 0) {
    constexpr std::string_view kDashes[] = {"\xE2\x80\x93", "\xE2\x80\x94", "-"};
    for (std::size_t i = start; i + 9 <= text.size(); ++i) {
        if (i > 0 && (IsDigit(text[i - 1]) || text[i - 1] == '-' || text[i - 1] == '/')) continue;
        const auto from = Digits(text, i, 4);
        if (!from || *from < kMinYear || *from > kMaxYear) continue;
        std::size_t p = i + 4;
        if (p < text.size() && text[p] == ' ') ++p;
        std::size_t dash = 0;
        for (std::string_view d : kDashes) {
            if (text.substr(p, d.size()) == d) {
                dash = d.size();
                break;
            }
        }
        if (dash == 0) continue;
        p += dash;
        if (p < text.size() && text[p] == ' ') ++p;
        const auto to = Digits(text, p, 4);
        const std::size_t end = p + 4;
        if (!to || *to < *from || *to > *from + kMaxRangeYears) continue;
        if (end < text.size() && (IsDigit(text[end]) || text[end] == '-' || text[end] == '/')) {
            continue;
        }
        return YearRange{i, end, *from, *to};
    }
    return std::nullopt;
}

// A paragraph of a year's minutes, as a footer or a "Beslut" label cites a decision:
// "KF § 12/2018", "§77/2019". `pos` is where the sign stands.
struct MinutesReference {
    std::size_t pos = 0;
    std::string paragraph;
    int year = 0;
};

std::vector<MinutesReference> FindMinutesReferences(std::string_view text) {
    std::vector<MinutesReference> found;
    for (std::size_t pos = text.find(kSectionSign); pos != std::string_view::npos;
         pos = text.find(kSectionSign, pos + kSectionSign.size())) {
        std::size_t p = pos + kSectionSign.size();
        if (text.substr(p, kSectionSign.size()) == kSectionSign) p += kSectionSign.size();
        while (p < text.size() && text[p] == ' ') ++p;
        std::size_t end = p;
        while (end < text.size() && IsDigit(text[end])) ++end;
        if (end == p || end + 5 > text.size() || text[end] != '/') continue;
        const auto year = Digits(text, end + 1, 4);
        if (!year || *year < kMinYear || *year > kMaxYear ||
            (end + 5 < text.size() && IsDigit(text[end + 5]))) {
            continue;
        }
        if (auto paragraph = ParseParagraph(text.substr(p, end - p))) {
            found.push_back({pos, FormatParagraph(*paragraph), *year});
        }
    }
    return found;
}

// The diarienummer that starts `text` (after a "Dnr" label): the longest run of at most
// three words that core::ParseDiarienummer reads, the words after the first holding digits.
std::optional<std::string> ReadDnr(std::string_view text, DnrStyle style) {
    while (!text.empty() && (text.front() == ' ' || text.front() == ':' || text.front() == '.')) {
        text.remove_prefix(1);
    }
    std::vector<std::string_view> words;
    while (!text.empty() && words.size() < 3) {
        const std::size_t end = std::min(text.find(' '), text.size());
        std::string_view word = text.substr(0, end);
        bool last = false;
        while (!word.empty() && std::string_view(".,;)").find(word.back()) != std::string::npos) {
            word.remove_suffix(1);
            last = true;
        }
        if (word.empty()) break;
        if (!words.empty() && std::none_of(word.begin(), word.end(), IsDigit)) break;
        words.push_back(word);
        if (last || end == text.size()) break;
        text.remove_prefix(end + 1);
    }
    for (std::size_t n = words.size(); n > 0; --n) {
        const std::string_view first = words.front();
        const std::string_view last = words[n - 1];
        const std::string_view candidate(
            first.data(), static_cast<std::size_t>(last.data() + last.size() - first.data()));
        // DiarienummerKey folds case, which refuses text that is not UTF-8.
        if (candidate.size() <= kMaxValueBytes && IsValidUtf8(candidate) &&
            ParseDiarienummer(candidate, style, kDnrReferenceYear)) {
            return std::string(candidate);
        }
    }
    return std::nullopt;
}

// --- the schema's words ---------------------------------------------------------------

struct BodyWords {
    const Body* body;
    std::string stem;  ///< lowered name, without a definite ending ("socialnämnd")
};

std::vector<BodyWords> BodyStems(const Schema& schema) {
    std::vector<BodyWords> stems;
    for (const Body& body : schema.bodies()) {
        std::string stem = Lower(body.name);
        // "Socialnämnden", "Kommunstyrelsen", "Kommundirektören": the definite ending goes,
        // so that "socialnämnd", "kommunstyrelsens" and "kommundirektör" are found too.
        if (stem.ends_with("en") && stem.size() > 6) stem.resize(stem.size() - 2);
        stems.push_back({&body, std::move(stem)});
    }
    return stems;
}

// Whether the word after `pos` is a diarienummer's number ("KS 2021/0150", "KS/2009:50"),
// which makes the letters before it the number's unit and not a body deciding.
bool FollowedByNumber(std::string_view text, std::size_t pos) {
    if (pos < text.size() && (text[pos] == '/' || text[pos] == '-')) return true;
    if (pos < text.size() && text[pos] == ' ') ++pos;
    if (pos >= text.size() || !IsDigit(text[pos])) return false;
    const std::size_t end = std::min(text.find(' ', pos), text.size());
    const std::string_view word = text.substr(pos, end - pos);
    return word.find('/') != std::string_view::npos || word.find(':') != std::string_view::npos;
}

// The bodies `text` names: by name in any inflection ("kommunfullmäktiges", "socialnämnden")
// or by abbreviation as written ("KF"), in order of first mention, each once.
std::vector<const Body*> MentionedBodies(std::string_view text, std::string_view lower,
                                         const std::vector<BodyWords>& stems) {
    std::vector<std::pair<std::size_t, const Body*>> found;
    for (const BodyWords& words : stems) {
        std::optional<std::size_t> first;
        for (std::size_t pos = lower.find(words.stem); pos != std::string_view::npos;
             pos = lower.find(words.stem, pos + 1)) {
            if (!WordStartsAt(lower, pos)) continue;
            std::size_t end = pos + words.stem.size();
            std::size_t suffix = 0;
            while (end + suffix < lower.size() && IsLetterByte(lower[end + suffix])) ++suffix;
            // An inflection adds a few letters ("-ens"); more make another word.
            if (suffix > 3) continue;
            first = pos;
            break;
        }
        const std::string& abbreviation = words.body->abbreviation;
        if (!abbreviation.empty()) {
            for (std::size_t pos = text.find(abbreviation); pos != std::string_view::npos;
                 pos = text.find(abbreviation, pos + 1)) {
                const std::size_t end = pos + abbreviation.size();
                if (WordStartsAt(text, pos) && WordEndsAt(text, end) &&
                    !FollowedByNumber(text, end)) {
                    if (!first || pos < *first) first = pos;
                    break;
                }
            }
        }
        if (first) found.emplace_back(*first, words.body);
    }
    std::sort(found.begin(), found.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<const Body*> bodies;
    for (const auto& [pos, body] : found) bodies.push_back(body);
    return bodies;
}

struct DocTypeWord {
    const DocType* doctype;
    std::string word;  ///< lowered label or plural
};

// Labels and plurals, longest first, so that "Riktlinjer för bostadsförsörjning" is found
// before "Riktlinjer".
std::vector<DocTypeWord> DocTypeWords(const Schema& schema) {
    std::vector<DocTypeWord> words;
    for (const DocType& doctype : schema.doctypes()) {
        for (const std::string* word : {&doctype.label, &doctype.plural, &doctype.id}) {
            if (!word->empty()) words.push_back({&doctype, Lower(*word)});
        }
    }
    std::stable_sort(words.begin(), words.end(),
                     [](const auto& a, const auto& b) { return a.word.size() > b.word.size(); });
    return words;
}

// The doctype whose label or plural begins `lower` as whole words.
const DocType* DocTypeAtStart(std::string_view lower, const std::vector<DocTypeWord>& words) {
    for (const DocTypeWord& w : words) {
        if (lower.starts_with(w.word) && WordEndsAt(lower, w.word.size())) return w.doctype;
    }
    return nullptr;
}

// The doctype whose label or plural ends a word of `lower` ("arbetsmiljöpolicy",
// "ordningsföreskrifter"), the first such word: a guess, since a compound can mean
// something else ("planer" in "fritidsplaner" is, but "taxa" in "...").
const DocType* DocTypeInCompound(std::string_view lower, const std::vector<DocTypeWord>& words) {
    std::size_t pos = 0;
    while (pos < lower.size()) {
        while (pos < lower.size() && !IsLetterByte(lower[pos])) ++pos;
        std::size_t end = pos;
        while (end < lower.size() && IsLetterByte(lower[end])) ++end;
        const std::string_view word = lower.substr(pos, end - pos);
        for (const DocTypeWord& w : words) {
            if (w.word.size() >= 4 && word.size() > w.word.size() && word.ends_with(w.word)) {
                return w.doctype;
            }
        }
        pos = end;
    }
    return nullptr;
}

// --- evidence --------------------------------------------------------------------------

// What the text says about one field: each value with whether it came from unambiguous
// evidence. The field is sure when some evidence is strong and every value agrees.
class Evidence {
public:
    /// `rank` orders values that disagree: the strong value of the highest rank is proposed
    /// (a decision's date, so that a revision wins over the first decision). `labelled` puts
    /// a value a label or a header line states above every value read from running prose,
    /// whose decisions are as often of other documents ("Översiktsplanen, som antogs …").
    void Add(std::string value, bool strong, std::string rank = {}, bool labelled = false) {
        values_.push_back({std::move(value), strong, std::move(rank), labelled});
    }

    ProposedField Resolve() const {
        ProposedField field;
        if (values_.empty()) return field;
        const auto chosen = Chosen();
        field.value = chosen->value;
        const bool agree = std::all_of(values_.begin(), values_.end(),
                                       [&](const auto& v) { return v.value == chosen->value; });
        if (!agree) {
            field.confidence = Confidence::kConflicting;
        } else {
            field.confidence = chosen->strong ? Confidence::kSure : Confidence::kGuessed;
        }
        return field;
    }

    bool empty() const { return values_.empty(); }

    /// The rank of the value Resolve proposes; empty when there is none.
    std::string ChosenRank() const { return values_.empty() ? std::string() : Chosen()->rank; }

    /// Whether a strong value starts with `prefix` ("2018" for a date of 2018).
    bool HasStrongStartingWith(std::string_view prefix) const {
        return std::any_of(values_.begin(), values_.end(), [&](const Value& v) {
            return v.strong && std::string_view(v.value).starts_with(prefix);
        });
    }

private:
    struct Value {
        std::string value;
        bool strong;
        std::string rank;
        bool labelled;
    };

    // The strong value labelled and of the highest rank, else the first value; values_ is
    // not empty.
    std::vector<Value>::const_iterator Chosen() const {
        auto chosen = values_.end();
        for (auto it = values_.begin(); it != values_.end(); ++it) {
            if (!it->strong) continue;
            if (chosen == values_.end() ||
                std::tie(it->labelled, it->rank) > std::tie(chosen->labelled, chosen->rank)) {
                chosen = it;
            }
        }
        return chosen == values_.end() ? values_.begin() : chosen;
    }

    std::vector<Value> values_;
};

enum class LabelField {
    kTitle,
    kDocType,
    kDecidedBy,
    kDecidedOn,
    kDateOnly,  ///< "Datum": the document's date, often but not always its decision's
    kParagraph,
    kOwner,
    kOwnerOf,  ///< "Ansvarig för riktlinjerna: …": the owner when the object is the document
    kOwnerFallback,  ///< "Ansvarig förvaltning": the owner when nothing names a person
    kNotOwner,
    kPeriod,  ///< "Period: 2025-01-01 – 2025-12-31": the time the document applies
};

struct Label {
    std::string_view word;  ///< lowered
    LabelField field;
};

// Labels read at the start of a line; longer before shorter where one begins another.
constexpr Label kLabels[] = {
    {"titel", LabelField::kTitle},
    {"dokumenttitel", LabelField::kTitle},
    {"dokumentnamn", LabelField::kTitle},
    {"dokumenttyp", LabelField::kDocType},
    {"dokumentslag", LabelField::kDocType},
    {"typ av dokument", LabelField::kDocType},
    {"beslutsinstans", LabelField::kDecidedBy},
    {"beslutande organ", LabelField::kDecidedBy},
    {"beslutande", LabelField::kDecidedBy},
    {"beslutad av", LabelField::kDecidedBy},
    {"beslutat av", LabelField::kDecidedBy},
    {"fastställd av", LabelField::kDecidedBy},
    {"fastställt av", LabelField::kDecidedBy},
    {"antagen av", LabelField::kDecidedBy},
    {"antaget av", LabelField::kDecidedBy},
    {"antagna av", LabelField::kDecidedBy},
    {"godkänd av", LabelField::kDecidedBy},
    {"godkänt av", LabelField::kDecidedBy},
    {"beslutsdatum", LabelField::kDecidedOn},
    {"datum för beslut", LabelField::kDecidedOn},
    {"sammanträdesdatum", LabelField::kDecidedOn},
    {"datum för sammanträde", LabelField::kDecidedOn},
    {"datum", LabelField::kDateOnly},
    {"beslutsparagraf", LabelField::kParagraph},
    {"protokollsparagraf", LabelField::kParagraph},
    {"paragraf", LabelField::kParagraph},
    {"dokumentansvarig", LabelField::kOwner},
    {"dokumentägare", LabelField::kOwner},
    {"ansvarig för dokumentet", LabelField::kOwner},
    {"ansvarig tjänsteperson", LabelField::kOwner},
    {"ansvarig tjänsteman", LabelField::kOwner},
    {"ansvarig handläggare", LabelField::kOwner},
    {"ansvarig för", LabelField::kOwnerOf},
    {"ansvarig nämnd", LabelField::kNotOwner},
    {"ansvarig förvaltning", LabelField::kOwnerFallback},
    {"ansvarig enhet", LabelField::kOwnerFallback},
    {"processägare", LabelField::kOwnerFallback},
    {"ansvarig avdelning", LabelField::kOwnerFallback},
    {"ansvarig", LabelField::kOwner},
    {"period", LabelField::kPeriod},
    {"planperiod", LabelField::kPeriod},
    {"programperiod", LabelField::kPeriod},
    {"tidsperiod", LabelField::kPeriod},
};

// Where a label's value begins in `lower`, when the line starts with `label` followed by a
// colon, a space or nothing else.
std::optional<std::size_t> LabelValue(std::string_view lower, std::string_view label) {
    if (!lower.starts_with(label) || !WordEndsAt(lower, label.size())) return std::nullopt;
    std::size_t p = label.size();
    while (p < lower.size() && lower[p] == ' ') ++p;
    if (p < lower.size() && lower[p] == ':') ++p;
    while (p < lower.size() && lower[p] == ' ') ++p;
    return p;
}

// Where two columns of a header came out as one line ("Diarienummer: SN 2021/0233
// Dokumentägare: Kvalitetschef", as OCR reads a layout of two columns): the positions of
// labels after the first, a label written with a capital and followed by a colon.
std::vector<std::size_t> LabelsWithin(std::string_view text, std::string_view lower) {
    std::vector<std::size_t> found;
    for (std::size_t pos = 1; pos + 1 < lower.size(); ++pos) {
        if (lower[pos - 1] != ' ' || !IsUpperAt(text, pos)) continue;
        for (const Label& label : kLabels) {
            const std::string_view rest = lower.substr(pos);
            if (rest.starts_with(label.word) && rest.substr(label.word.size()).starts_with(":")) {
                found.push_back(pos);
                break;
            }
        }
    }
    return found;
}

// A word that starts a clause about the decision, or about the time a document applies.
enum class MarkerKind { kDecision, kFrom, kTo, kRange };

struct Marker {
    std::string_view phrase;
    MarkerKind kind;
};

constexpr Marker kMarkers[] = {
    {"fastställd", MarkerKind::kDecision},
    {"fastställt", MarkerKind::kDecision},
    {"fastställda", MarkerKind::kDecision},
    {"fastställdes", MarkerKind::kDecision},
    {"fastställts", MarkerKind::kDecision},
    {"fastställde", MarkerKind::kDecision},
    {"antagen", MarkerKind::kDecision},
    {"antaget", MarkerKind::kDecision},
    {"antagna", MarkerKind::kDecision},
    {"antogs", MarkerKind::kDecision},
    {"antagits", MarkerKind::kDecision},
    {"antog", MarkerKind::kDecision},
    {"beslutad", MarkerKind::kDecision},
    {"beslutat", MarkerKind::kDecision},
    {"beslutade", MarkerKind::kDecision},
    {"beslutades", MarkerKind::kDecision},
    {"beslutats", MarkerKind::kDecision},
    {"beslut", MarkerKind::kDecision},
    // A revision is the decision of the version at hand: beside the first decision it makes
    // the decision's fields conflict, and the later one is proposed.
    {"reviderad", MarkerKind::kDecision},
    {"reviderat", MarkerKind::kDecision},
    {"reviderade", MarkerKind::kDecision},
    {"reviderades", MarkerKind::kDecision},
    {"reviderats", MarkerKind::kDecision},
    {"ändrad", MarkerKind::kDecision},
    // "Godkänt av kommunfullmäktige": a member municipality's approval of a joint document.
    {"godkänd", MarkerKind::kDecision},
    {"godkänt", MarkerKind::kDecision},
    {"godkända", MarkerKind::kDecision},
    {"godkändes", MarkerKind::kDecision},
    {"godkänts", MarkerKind::kDecision},
    {"gäller från och med", MarkerKind::kFrom},
    {"gäller fr.o.m", MarkerKind::kFrom},
    {"gäller från", MarkerKind::kFrom},
    {"giltig från och med", MarkerKind::kFrom},
    {"giltigt från och med", MarkerKind::kFrom},
    {"giltig från", MarkerKind::kFrom},
    {"giltigt från", MarkerKind::kFrom},
    {"giltig fr.o.m", MarkerKind::kFrom},
    {"träder i kraft", MarkerKind::kFrom},
    {"trädde i kraft", MarkerKind::kFrom},
    {"ikraftträdande", MarkerKind::kFrom},
    {"börjar gälla", MarkerKind::kFrom},
    {"till och med", MarkerKind::kTo},
    {"t.o.m", MarkerKind::kTo},
    {"giltig till", MarkerKind::kTo},
    {"giltigt till", MarkerKind::kTo},
    {"gäller till", MarkerKind::kTo},
    {"giltighetstid", MarkerKind::kRange},
    {"giltighetsperiod", MarkerKind::kRange},
    {"giltighet", MarkerKind::kRange},
    // "Planen gäller för perioden 2023–2026": a period, of years or of dates.
    {"gäller för perioden", MarkerKind::kRange},
    {"gäller under perioden", MarkerKind::kRange},
    {"gäller för åren", MarkerKind::kRange},
    {"gäller för verksamhetsåret", MarkerKind::kRange},
    {"avser verksamhetsåret", MarkerKind::kRange},
    {"avser perioden", MarkerKind::kRange},
    {"avser åren", MarkerKind::kRange},
    {"omfattar perioden", MarkerKind::kRange},
    {"omfattar åren", MarkerKind::kRange},
};

struct FoundMarker {
    std::size_t pos;
    std::size_t end;
    MarkerKind kind;
};

std::vector<FoundMarker> FindMarkers(std::string_view lower) {
    std::vector<FoundMarker> found;
    for (const Marker& marker : kMarkers) {
        for (std::size_t pos : FindWords(lower, marker.phrase)) {
            found.push_back({pos, pos + marker.phrase.size(), marker.kind});
        }
    }
    // Longer phrases win where two start at one place ("gäller från och med", "gäller från").
    std::sort(found.begin(), found.end(), [](const FoundMarker& a, const FoundMarker& b) {
        return a.pos != b.pos ? a.pos < b.pos : a.end > b.end;
    });
    std::vector<FoundMarker> kept;
    for (const FoundMarker& marker : found) {
        if (!kept.empty() && marker.pos < kept.back().end) continue;
        kept.push_back(marker);
    }
    return kept;
}

// Where the sentence holding `pos` ends: at ". " before a capital, or the line's end.
std::size_t SentenceEnd(std::string_view text, std::size_t pos) {
    for (std::size_t i = pos; i + 2 < text.size(); ++i) {
        if (text[i] == '.' && text[i + 1] == ' ' && IsUpperAt(text, i + 2)) return i + 1;
    }
    return text.size();
}

std::size_t SentenceStart(std::string_view text, std::size_t pos) {
    for (std::size_t i = pos; i >= 2; --i) {
        if (text[i - 2] == '.' && text[i - 1] == ' ' && IsUpperAt(text, i)) return i;
    }
    return 0;
}

// --- what a decision clause is about --------------------------------------------------

// A decision the text names is the document's own adoption or revision, or one it only
// mentions: the decision it replaces, a commission to write it, or one still to come.
enum class DecisionRole { kAdoption, kReplaced, kCommission, kPlanned };

// The words of `lower` (letters only), in order.
std::vector<std::string_view> Words(std::string_view lower) {
    std::vector<std::string_view> words;
    std::size_t pos = 0;
    while (pos < lower.size()) {
        while (pos < lower.size() && !IsLetterByte(lower[pos])) ++pos;
        std::size_t end = pos;
        while (end < lower.size() && IsLetterByte(lower[end])) ++end;
        if (end > pos) words.push_back(lower.substr(pos, end - pos));
        pos = end;
    }
    return words;
}

bool StartsWithAny(std::string_view word, std::initializer_list<std::string_view> stems) {
    return std::any_of(stems.begin(), stems.end(),
                       [&](std::string_view stem) { return word.starts_with(stem); });
}

bool IsAnyOf(std::string_view word, std::initializer_list<std::string_view> words) {
    return std::find(words.begin(), words.end(), word) != words.end();
}

// Whether the words before a decision's verb say that it is of what the document replaces:
// "Ersätter: Riktlinje för lex Sarah, beslutad av socialnämnden 2017-05-17", "… och ersätter
// den taxa som kommunfullmäktige antog 2019-11-25", "Tidigare beslut: KF 2015-03-02 § 4". A
// verb joined by "och" to the document's own sentence ("Den ersätter policyn från 2012 och
// antogs av …") is the document's again.
bool NamesReplacedDecision(std::string_view before) {
    const std::vector<std::string_view> words = Words(before);
    if (!words.empty() && words.back() == "och") return false;
    // The verb's forms only: "ersättning" is a subject, not a replacement.
    return std::any_of(words.begin(), words.end(), [](std::string_view w) {
        return StartsWithAny(w, {"upphäv", "upphör"}) ||
               IsAnyOf(w, {"ersätter", "ersatte", "ersätts", "ersattes", "ersatt", "ersatts",
                           "ersätta", "tidigare", "föregående", "äldre"});
    });
}

// Whether a decision clause ends by saying that the decision ceases: "… antagna av
// kommunfullmäktige den 14 december 2015, § 203, upphör att gälla", "… § 112, upphävs".
bool CeasesAfterItsDate(std::string_view clause) {
    const std::vector<FoundDate> dates = FindDates(clause);
    if (dates.empty()) return false;
    std::string_view rest = clause.substr(dates.back().end);
    // Past the paragraph ("§ 203,") to the first word.
    const std::vector<std::string_view> words = Words(rest);
    for (std::string_view word : words) {
        if (word == "och" || word == "dnr" || word == "paragraf" || word == kSectionSign) continue;
        if (StartsWithAny(word, {"upphör", "upphäv"}) || IsAnyOf(word, {"ersätts", "ersattes"})) {
            return true;
        }
        if (word == "har") continue;
        return StartsWithAny(word, {"upphört", "upphävts", "ersatts"});
    }
    return false;
}

// Whether a decision commissions the work instead of adopting its result: "Kommunstyrelsen
// beslutade 2023-05-10, § 88, att ge förvaltningen i uppdrag att ta fram en friluftsplan",
// "… beslutade att uppdra åt nämnden …", "… att remittera förslaget".
// What the decision says it does follows its "att"; "… antogs 2020-01-01 och ger nämnderna i
// uppdrag att …" is an adoption.
bool IsCommission(std::string_view clause) {
    const std::vector<std::size_t> att = FindWords(clause, "att");
    if (att.empty()) return false;
    const std::string_view object = clause.substr(att.front());
    if (object.find("i uppdrag") != std::string_view::npos) return true;
    const std::vector<std::string_view> words = Words(object);
    for (std::size_t i = 1; i < words.size() && i <= 3; ++i) {
        if (StartsWithAny(words[i], {"uppdra", "uppdrog", "remitter", "återremitter", "utreda",
                                     "utarbeta", "skicka"})) {
            return true;
        }
        if (words[i] == "ta" && i + 1 < words.size() && words[i + 1] == "fram") return true;
    }
    return false;
}

// Whether the words before the verb say the decision is still to come: "Planerat beslut",
// "Preliminärt beslutsdatum", "Förslag till beslut".
bool IsPlannedDecision(std::string_view before) {
    const std::vector<std::string_view> words = Words(before);
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (IsAnyOf(words[i], {"planerat", "planerad", "planerade", "preliminärt", "preliminär",
                               "preliminära", "beräknat", "beräknad", "kommande"})) {
            return true;
        }
        if (words[i] == "förslag" && i + 1 < words.size() && words[i + 1] == "till") return true;
    }
    return false;
}

// `before` is the lowered text from the sentence's start (or the previous marker) to the
// decision's verb, `clause` the verb's clause.
DecisionRole RoleOfDecision(std::string_view before, std::string_view clause) {
    if (IsPlannedDecision(before)) return DecisionRole::kPlanned;
    if (NamesReplacedDecision(before) || CeasesAfterItsDate(clause)) {
        return DecisionRole::kReplaced;
    }
    if (IsCommission(clause)) return DecisionRole::kCommission;
    return DecisionRole::kAdoption;
}

// --- drafts ----------------------------------------------------------------------------

// A draft's cover or status says so within its first lines ("REMISSVERSION – EJ BESLUTAD",
// "Utkast", "Förslag till riktlinjer för …"); further down such words are about other things.
constexpr std::size_t kDraftMarkLines = 15;
constexpr std::size_t kMaxDraftMarkWords = 8;

bool SaysUndecided(std::string_view lower) {
    const std::vector<std::string_view> words = Words(lower);
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string_view w = words[i];
        if (StartsWithAny(w, {"utkast", "remissversion", "remissutgåva", "remisshandling",
                              "remissförslag", "samrådsversion", "samrådshandling",
                              "arbetsmaterial", "diskussionsunderlag"})) {
            return true;
        }
        if ((w == "ej" || w == "inte" || w == "icke") && i + 1 < words.size() &&
            StartsWithAny(words[i + 1], {"beslutad", "beslutat", "antagen", "antaget", "antagna",
                                         "fastställd", "fastställt", "fastställda"})) {
            return true;
        }
    }
    return false;
}

// Whether `line` marks the document as a draft: a status label ("Status: Ej beslutad –
// remissversion", "Dokumentstatus | Utkast"), or, among the first lines, a short line other
// than a section's heading that says so or begins with "Förslag".
bool IsDraftMark(const Line& line, std::size_t index) {
    constexpr std::string_view kProposal = "förslag";
    for (std::string_view label : {"status", "dokumentstatus", "version", "versionsstatus"}) {
        if (const auto at = LabelValue(line.lower, label)) {
            const std::string_view value = std::string_view(line.lower).substr(*at);
            if (SaysUndecided(value) || value.starts_with(kProposal)) return true;
        }
    }
    // A section's heading ("## Förslag till åtgärder") is the body's, not the cover's.
    if (index >= kDraftMarkLines || line.heading >= 2 ||
        Words(line.lower).size() > kMaxDraftMarkWords) {
        return false;
    }
    return SaysUndecided(line.lower) ||
           (line.lower.starts_with(kProposal) && WordEndsAt(line.lower, kProposal.size()));
}

// --- titles ----------------------------------------------------------------------------

constexpr std::string_view kDraftTitlePrefix = "förslag till ";

// Words that end an organisation's name: a letterhead's "Exempelby kommun",
// "Socialförvaltningen", "Kommunens författningssamling", "Socialnämnden i Exempelby kommun".
bool EndsOrganisationName(std::string_view word) {
    for (std::string_view end :
         {"kommun", "stad", "region", "förvaltningen", "förvaltning", "kontoret", "avdelningen",
          "enheten", "nämnden", "styrelsen", "fullmäktige", "författningssamling", "sekretariatet",
          "staben", "kansliet"}) {
        if (word.ends_with(end)) return true;
    }
    return false;
}

constexpr std::size_t kMaxOrganisationWords = 6;

// Whether one part of a letterhead is an organisation's name: a few words without digits,
// ending with an organisation's word, and without the prepositions a title joins its subject
// with ("Föreskrifter om …", "Styrmodell för Exempelby kommun").
bool IsOrganisationName(std::string_view lower) {
    if (lower.find_first_of("0123456789") != std::string_view::npos) return false;
    const std::vector<std::string_view> words = Words(lower);
    if (words.empty() || words.size() > kMaxOrganisationWords) return false;
    for (std::string_view w : words) {
        if (IsAnyOf(w, {"för", "om", "till", "med", "inom", "mot", "av", "vid", "enligt", "på",
                        "kring", "under", "gällande", "avseende"})) {
            return false;
        }
    }
    // "Region Exempel": a region's name is its word and a place's.
    return EndsOrganisationName(words.back()) || (words.front() == "region" && words.size() <= 3);
}

// The parts of a letterhead line: "Exempelby kommun | Kommunledningsförvaltningen",
// "Exempelby kommun    Kommunstyrelsen", "Socialförvaltningen, Exempelby kommun".
std::vector<std::string_view> LetterheadParts(std::string_view lower) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= lower.size(); ++i) {
        std::size_t skip = 0;
        if (i == lower.size()) {
            skip = 1;
        } else if (lower[i] == '|' || lower[i] == ',') {
            skip = 1;
        } else if (lower.substr(i, 2) == "\xC2\xB7") {
            skip = 2;
        } else if (lower.substr(i, 2) == "  ") {
            skip = 2;
        } else if (lower.substr(i, 5) == " \xE2\x80\x93 ") {
            skip = 5;
        }
        if (skip == 0) continue;
        const std::string_view part = TrimView(lower.substr(start, i - start));
        if (!part.empty()) parts.push_back(part);
        start = i + skip;
        i = start - 1;
    }
    return parts;
}

// "2023-2026" in a title is a period of years, written with an en dash: "2023–2026".
std::string NormaliseYearRanges(std::string title) {
    std::size_t start = 0;
    while (const auto range = FindYearRange(title, start)) {
        const std::string written =
            std::to_string(range->from) + "\xE2\x80\x93" + std::to_string(range->to);
        title.replace(range->pos, range->end - range->pos, written);
        start = range->pos + written.size();
    }
    return title;
}

bool HasVowel(std::string_view lower) {
    for (std::size_t i = 0; i < lower.size(); ++i) {
        if (std::string_view("aeiouy").find(lower[i]) != std::string_view::npos) return true;
        // å ä ö é ü in UTF-8.
        if (lower[i] == '\xC3' && i + 1 < lower.size() &&
            std::string_view("\xA5\xA4\xB6\xA9\xBC").find(lower[i + 1]) != std::string_view::npos) {
            return true;
        }
    }
    return false;
}

// Whether a title is written in capitals only: no small letter, and a word of four letters.
bool IsAllCapitals(std::string_view title) {
    const std::string lower = Lower(title);
    bool long_word = false;
    std::size_t run = 0;
    for (std::size_t i = 0; i < title.size(); ++i) {
        const auto c = static_cast<unsigned char>(title[i]);
        if (c >= 'a' && c <= 'z') return false;
        if (c == 0xC3 && i + 1 < title.size()) {
            const auto next = static_cast<unsigned char>(title[i + 1]);
            if (next >= 0xA0 && next != 0xB7) return false;
        }
        run = IsLetterByte(title[i]) ? run + 1 : 0;
        long_word = long_word || run >= 4;
    }
    return long_word && lower != title;
}

// Upper case of the first letter of `word` (ASCII, and Å Ä Ö É in UTF-8).
std::string CapitaliseFirst(std::string word) {
    if (!word.empty() && word[0] >= 'a' && word[0] <= 'z') {
        word[0] = static_cast<char>(word[0] - ('a' - 'A'));
    } else if (word.size() > 1 && word[0] == '\xC3') {
        const auto next = static_cast<unsigned char>(word[1]);
        if (next >= 0xA0 && next <= 0xBE && next != 0xB7) word[1] = static_cast<char>(next - 0x20);
    }
    return word;
}

// The spelling a word has inside sentences of `lines` when that is always with a capital
// ("Exempelby", "Sarah" in "lex Sarah"); nullopt when it is written in small letters there
// or not at all. The first word of a sentence says nothing and is not read.
std::optional<std::string> ProperSpelling(std::string_view lower_word,
                                          const std::vector<const Line*>& lines) {
    std::optional<std::string> proper;
    for (const Line* line_pointer : lines) {
        const Line& line = *line_pointer;
        for (std::size_t pos : FindWords(line.lower, lower_word)) {
            if (pos < 2 || line.text[pos - 1] != ' ') continue;
            const auto before = static_cast<unsigned char>(line.text[pos - 2]);
            const bool inside = (before >= 'a' && before <= 'z') || before >= 0x80 ||
                                before == ',' || IsDigit(static_cast<char>(before));
            if (!inside) continue;
            const std::string_view written =
                std::string_view(line.text).substr(pos, lower_word.size());
            if (!IsUpperAt(written, 0)) return std::nullopt;
            proper = std::string(written);
        }
    }
    return proper;
}

// A title in capitals as a clerk writes it: a capital first, the rest in small letters,
// except abbreviations (the schema's, words without a vowel such as "LSS", words with a
// digit) and words the text itself always writes with a capital ("Exempelby").
std::string SentenceCase(std::string_view title, const std::vector<Line>& lines,
                         const std::vector<std::string>& abbreviations) {
    // A line in capitals (the title itself, a heading) says nothing of a word's spelling.
    std::vector<const Line*> written_lines;
    for (const Line& line : lines) {
        if (!IsAllCapitals(line.text)) written_lines.push_back(&line);
    }
    std::string out;
    std::size_t pos = 0;
    bool first = true;
    while (pos < title.size()) {
        std::size_t end = pos;
        while (end < title.size() && IsLetterByte(title[end])) ++end;
        if (end == pos) {
            out += title[pos++];
            continue;
        }
        const std::string_view word = title.substr(pos, end - pos);
        const std::string lower = Lower(word);
        const bool digit_next = end < title.size() && IsDigit(title[end]);
        const bool digit_before = pos > 0 && IsDigit(title[pos - 1]);
        std::string written;
        if (std::find(abbreviations.begin(), abbreviations.end(), word) != abbreviations.end() ||
            !HasVowel(lower) || digit_next || digit_before) {
            written = std::string(word);
        } else if (auto proper = ProperSpelling(lower, written_lines)) {
            written = *proper;
        } else {
            written = first ? CapitaliseFirst(lower) : lower;
        }
        first = false;
        out += written;
        pos = end;
    }
    return out;
}

// --- decision history tables -----------------------------------------------------------

// A table's header row that makes it a decision history: a column of dates and a column
// of bodies or of paragraphs ("| Version | Datum | Beslutsinstans | Paragraf | Ändring |").
struct HistoryColumns {
    std::size_t date = std::string::npos;
    std::size_t body = std::string::npos;
    std::size_t paragraph = std::string::npos;
    std::size_t decision = std::string::npos;  ///< body and paragraph in one: "KS § 55"
};

std::optional<HistoryColumns> HistoryColumnsOf(const std::vector<std::string>& header) {
    HistoryColumns columns;
    for (std::size_t i = 0; i < header.size(); ++i) {
        const std::string lower = CleanValue(Lower(header[i]));
        const bool decision_word =
            IsAnyOf(lower, {"beslutad", "fastställd", "antagen", "beslut", "sammanträde"});
        if (lower.find("datum") != std::string::npos || decision_word) {
            // "| Datum | Beslut |": the second column is the decision's body and paragraph.
            if (columns.date == std::string::npos) {
                columns.date = i;
            } else if (decision_word) {
                columns.decision = i;
            }
        } else if (IsAnyOf(lower, {"beslutsinstans", "instans", "beslutande", "beslutande organ",
                                   "beslutad av", "fastställd av", "antagen av", "organ",
                                   "beslutsfattare", "nämnd"})) {
            columns.body = i;
        } else if (IsAnyOf(lower, {"paragraf", "\xC2\xA7", "beslutsparagraf", "protokollsparagraf",
                                   "protokoll"})) {
            columns.paragraph = i;
        }
    }
    if (columns.date == std::string::npos) return std::nullopt;
    if (columns.body == std::string::npos && columns.paragraph == std::string::npos &&
        columns.decision == std::string::npos) {
        return std::nullopt;
    }
    return columns;
}

// The tables of `text`: runs of Markdown table rows, each row as its cells.
std::vector<std::vector<std::vector<std::string>>> Tables(std::string_view text) {
    std::vector<std::vector<std::vector<std::string>>> tables;
    bool in_table = false;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        std::string_view raw = TrimView(text.substr(0, end));
        if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        if (!raw.empty() && raw.front() == '|') {
            std::vector<std::string> cells = TableCells(raw);
            for (std::string& cell : cells) cell = Unmark(cell);
            if (!in_table) tables.emplace_back();
            in_table = true;
            if (!IsSeparatorRow(cells)) tables.back().push_back(std::move(cells));
        } else {
            in_table = false;
        }
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return tables;
}

class Reader {
public:
    Reader(const Schema& schema, bool read_by_ocr)
        : schema_(schema),
          stems_(BodyStems(schema)),
          doctype_words_(DocTypeWords(schema)),
          abbreviations_(Abbreviations(schema)),
          read_by_ocr_(read_by_ocr) {}

    Proposal Read(std::string_view text) {
        std::vector<Line> lines = ReadLines(text);
        SplitAtLabels(lines);
        PairLabelLines(lines);
        for (const Line& line : lines) ReadLabels(line);
        for (const Line& line : lines) ReadDnrs(line);
        for (std::size_t i = 0; i < lines.size(); ++i) {
            ReadClauses(i > 0 ? &lines[i - 1] : nullptr, lines[i],
                        i + 1 < lines.size() ? &lines[i + 1] : nullptr);
        }
        ReadDecisionHistory(text);
        for (const Line& line : lines) ReadCitedDecisions(line);
        AddCitedDecisions();
        Proposal proposal;
        ProposeTitle(lines, proposal);
        ProposeDocType(lines, proposal);
        proposal.decided_by = decided_by_.Resolve();
        proposal.decided_on = decided_on_.Resolve();
        proposal.paragraph = paragraph_.Resolve();
        proposal.dnr = ResolveDnr();
        // A förvaltning named as responsible is the owner only when no one else is.
        proposal.owner = owner_.empty() ? owner_fallback_.Resolve() : owner_.Resolve();
        proposal.valid_from = valid_from_.Resolve();
        if (valid_from_.empty() && from_decision_ && !proposal.decided_on.value.empty()) {
            proposal.valid_from = {proposal.decided_on.value, Confidence::kGuessed};
        }
        proposal.valid_to = valid_to_.Resolve();
        CheckOneDecision(proposal);
        CheckValidFrom(proposal);
        if (IsDraft(lines)) MarkUndecided(proposal);
        if (read_by_ocr_) {
            for (std::string_view name : kProposedFields) {
                ProposedField& field = proposal.Field(name);
                if (field.sure()) field.confidence = Confidence::kGuessed;
            }
        }
        return proposal;
    }

private:
    static std::vector<std::string> Abbreviations(const Schema& schema) {
        std::vector<std::string> abbreviations;
        for (const Body& body : schema.bodies()) {
            if (!body.abbreviation.empty()) abbreviations.push_back(body.abbreviation);
        }
        return abbreviations;
    }

    // A line that starts with a label and holds more labels further on is read as one line
    // for each label.
    static void SplitAtLabels(std::vector<Line>& lines) {
        std::vector<Line> split;
        split.reserve(lines.size());
        for (Line& line : lines) {
            const bool labelled =
                std::any_of(
                    std::begin(kLabels), std::end(kLabels),
                    [&](const Label& l) { return LabelValue(line.lower, l.word).has_value(); }) ||
                LabelValue(line.lower, "diarienummer") || LabelValue(line.lower, "dnr");
            const std::vector<std::size_t> within = labelled && !line.label_cell
                                                        ? LabelsWithin(line.text, line.lower)
                                                        : std::vector<std::size_t>{};
            if (within.empty()) {
                split.push_back(std::move(line));
                continue;
            }
            std::size_t start = 0;
            for (std::size_t i = 0; i <= within.size(); ++i) {
                const std::size_t end = i < within.size() ? within[i] : line.text.size();
                Line part;
                part.text =
                    std::string(TrimView(std::string_view(line.text).substr(start, end - start)));
                part.lower = Lower(part.text);
                part.heading = line.heading;
                if (!part.text.empty()) split.push_back(std::move(part));
                start = end;
            }
        }
        lines = std::move(split);
    }

    // Whether a line holds a label and nothing else ("Beslutad av", "Diarienummer:").
    static bool IsBareLabel(const Line& line) {
        if (line.heading > 0 || line.label_cell) return false;
        const std::string lower = CleanValue(line.lower);
        for (const Label& label : kLabels) {
            if (lower == label.word) return true;
        }
        return IsAnyOf(lower, {"dnr", "diarienummer", "diarienr"});
    }

    // A PDF's label/value table without rules comes out as each label on a line of its own
    // and its value on the next ("Beslutad av" / "Kommundirektören"): the two are read as one
    // label line. A value is short and not a sentence, so that a section headed "Ansvarig"
    // is not taken for one.
    static void PairLabelLines(std::vector<Line>& lines) {
        constexpr std::size_t kMaxValueWords = 8;
        std::vector<Line> paired;
        paired.reserve(lines.size());
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (i + 1 < lines.size() && IsBareLabel(lines[i])) {
                const Line& value = lines[i + 1];
                if (!IsBareLabel(value) && value.heading == 0 && !value.label_cell &&
                    value.text.back() != '.' && Words(value.lower).size() <= kMaxValueWords) {
                    Line line;
                    line.text = CleanValue(lines[i].text) + ": " + value.text;
                    line.lower = Lower(line.text);
                    line.label_cell = true;
                    paired.push_back(std::move(line));
                    ++i;
                    continue;
                }
            }
            paired.push_back(std::move(lines[i]));
        }
        lines = std::move(paired);
    }

    void ReadLabels(const Line& line) {
        for (const Label& label : kLabels) {
            const auto at = LabelValue(line.lower, label.word);
            if (!at) continue;
            const std::string_view value = std::string_view(line.text).substr(*at);
            const std::string_view lower = std::string_view(line.lower).substr(*at);
            switch (label.field) {
                case LabelField::kTitle:
                    if (std::string title = CleanTitle(value); !title.empty()) {
                        title_.Add(std::move(title), true);
                    }
                    break;
                case LabelField::kDocType:
                    if (const DocType* d = DocTypeOfLabel(lower)) doctype_.Add(d->id, true);
                    break;
                case LabelField::kDecidedBy:
                    // "Beslutande | Kommunfullmäktige 2023-11-27 § 164": the whole decision.
                    if (!FindDates(lower).empty()) {
                        ReadDecision(value, lower, 0, true, true);
                    } else {
                        AddBodies(value, lower, decided_by_, true);
                    }
                    break;
                case LabelField::kDecidedOn:
                case LabelField::kDateOnly: {
                    const auto dates = FindDates(lower);
                    if (!dates.empty()) {
                        const std::string date = dates.front().date.ToString();
                        // "Beslutsdatum | 11 december 2017, § 231": the paragraph beside it;
                        // "Datum: 2019-02-25, § 14": a paragraph of minutes makes a document's
                        // date its decision's.
                        auto p = FindParagraph(value, lower);
                        if (!p && read_by_ocr_) p = OcrParagraph(value.substr(dates.front().end));
                        const bool decision = label.field == LabelField::kDecidedOn || p;
                        decided_on_.Add(date, decision, date, true);
                        if (p && decision) paragraph_.Add(*p, true, date, true);
                    }
                    break;
                }
                case LabelField::kParagraph: {
                    if (auto p = ParseParagraph(CleanValue(value))) {
                        paragraph_.Add(FormatParagraph(*p), true, {}, true);
                    } else if (auto found = FindParagraph(value, lower)) {
                        paragraph_.Add(*found, true, {}, true);
                    }
                    break;
                }
                case LabelField::kOwner: {
                    // Up to the end of the sentence: "Ansvarig: Socialchef. Revideras …". A
                    // body is the owner only when no official is named ("Dokumentägare:
                    // Kommunstyrelsen" beside "Dokumentansvarig: Kanslichef").
                    const std::string owner = CleanValue(value.substr(0, SentenceEnd(value, 0)));
                    if (!owner.empty() && IsUpperAt(owner, 0)) {
                        owner_.Add(owner, FindBody(owner) == nullptr, {},
                                   FindBody(owner) == nullptr);
                    }
                    break;
                }
                case LabelField::kOwnerOf:
                    ReadOwnerOf(value, lower);
                    break;
                case LabelField::kOwnerFallback: {
                    const std::string owner = CleanValue(value.substr(0, SentenceEnd(value, 0)));
                    if (!owner.empty() && IsUpperAt(owner, 0)) owner_fallback_.Add(owner, false);
                    break;
                }
                case LabelField::kPeriod:
                    ReadValidity(MarkerKind::kRange, lower);
                    break;
                case LabelField::kNotOwner:
                    break;
            }
            return;
        }
    }

    // "Ansvarig för riktlinjerna: Enhetschef försörjningsstöd": the owner when what the
    // person answers for is the document ("riktlinjerna", "policyn", "dokumentet"); answering
    // for something else ("uppföljningen") makes the person a guess.
    void ReadOwnerOf(std::string_view value, std::string_view lower) {
        constexpr std::size_t kMaxObjectWords = 3;
        const std::size_t colon = lower.find(':');
        if (colon == std::string_view::npos) return;
        const std::vector<std::string_view> object = Words(lower.substr(0, colon));
        if (object.empty() || object.size() > kMaxObjectWords ||
            lower.substr(0, colon).find_first_of("0123456789") != std::string_view::npos) {
            return;
        }
        const std::string_view rest = value.substr(colon + 1);
        const std::string owner = CleanValue(rest.substr(0, SentenceEnd(rest, 0)));
        if (owner.empty() || !IsUpperAt(owner, 0)) return;
        const bool document =
            object.front().starts_with("dokument") ||
            std::any_of(doctype_words_.begin(), doctype_words_.end(), [&](const DocTypeWord& w) {
                return w.word.size() >= 4 && w.word.find(' ') == std::string::npos &&
                       object.front().starts_with(w.word);
            });
        if (document) {
            owner_.Add(owner, true);
        } else {
            owner_fallback_.Add(owner, false);
        }
    }

    void ReadDnrs(const Line& line) {
        for (std::string_view label : {"dnr", "diarienummer", "diarienr", "diarienr."}) {
            for (std::size_t pos : FindWords(line.lower, label)) {
                const auto dnr = ReadDnr(std::string_view(line.text).substr(pos + label.size()),
                                         schema_.dnr_style());
                if (dnr) dnrs_.push_back(*dnr);
            }
        }
    }

    // Whether a sentence a PDF wrapped goes on from `line` in `next`: `next` starts with a
    // small letter or a digit ("… och gäller från och med" / "2017-07-01."); a header block's
    // next line starts with a capital ("Dnr …") and is a line of its own.
    static bool ContinuesInto(const Line& line, const Line& next) {
        const char last = line.text.back();
        return !line.label_cell && !next.label_cell && last != '.' && last != ':' &&
               !IsUpperAt(next.text, 0) &&
               (IsDigit(next.text.front()) || IsLetterByte(next.text.front()));
    }

    // Decision and validity clauses: each marker's clause runs to the next marker or the
    // end of its sentence; a decision's clause also holds what stands before its verb in
    // the sentence ("Kommunfullmäktige beslutade den …"). A wrapped sentence is read whole:
    // with the line it goes on from and the line it goes on in.
    void ReadClauses(const Line* previous, const Line& line, const Line* next) {
        std::string text_storage;
        std::string lower_storage;
        if (previous != nullptr && ContinuesInto(*previous, line)) {
            text_storage = previous->text + ' ';
            lower_storage = previous->lower + ' ';
        }
        const std::size_t own = text_storage.size();
        text_storage += line.text;
        lower_storage += line.lower;
        if (next != nullptr && ContinuesInto(line, *next)) {
            text_storage += ' ' + next->text;
            lower_storage += ' ' + next->lower;
        }
        const std::string_view text = text_storage;
        const std::string_view lower = lower_storage;
        const std::vector<FoundMarker> markers = FindMarkers(lower);
        for (std::size_t i = 0; i < markers.size(); ++i) {
            const FoundMarker& m = markers[i];
            // The other lines' markers are read with those lines.
            if (m.pos < own) continue;
            if (m.pos >= own + line.text.size()) break;
            std::size_t end = SentenceEnd(text, m.end);
            if (i + 1 < markers.size()) end = std::min(end, markers[i + 1].pos);
            if (m.kind == MarkerKind::kDecision) {
                const std::size_t sentence = SentenceStart(text, m.pos);
                const std::size_t start = i == 0 ? sentence : m.pos;
                const std::size_t before =
                    i == 0 ? sentence : std::max(sentence, markers[i - 1].end);
                if (RoleOfDecision(lower.substr(before, m.pos - before),
                                   lower.substr(m.pos, end - m.pos)) != DecisionRole::kAdoption) {
                    continue;
                }
                // A decision that starts its line ("Antagen av kommunfullmäktige …") is a
                // header's, and a revision is of the document at hand; other decisions in
                // running prose are as often of other documents.
                const bool header = line.label_cell || m.pos == own;
                const bool revision = lower.substr(m.pos).starts_with("revider") ||
                                      lower.substr(m.pos).starts_with("\xC3\xA4ndrad");
                ReadDecision(text.substr(start, end - start), lower.substr(start, end - start),
                             m.pos - start, header, header || revision);
            } else {
                ReadValidity(m.kind, lower.substr(m.end, end - m.end));
            }
        }
    }

    // `verb` is where the decision's verb stands in the clause: its date is the first after
    // the verb ("Fastställd KF 2011-04-19"), or the last before it ("… 2023, beslutade").
    // `header`: the decision is a label's or starts its line, which makes it strong without a
    // body of the schema; `labelled`: it outranks decisions of running prose (Evidence::Add).
    void ReadDecision(std::string_view text, std::string_view lower, std::size_t verb, bool header,
                      bool labelled) {
        const std::vector<FoundDate> dates = FindDates(lower);
        if (dates.empty()) return;
        const auto after = std::find_if(dates.begin(), dates.end(),
                                        [&](const FoundDate& d) { return d.pos >= verb; });
        const FoundDate& date = after != dates.end() ? *after : dates.back();
        const std::vector<const Body*> bodies = MentionedBodies(text, lower, stems_);
        auto paragraph = FindParagraph(text, lower);
        if (!paragraph && read_by_ocr_) paragraph = OcrParagraph(text.substr(date.end));
        // A decision without a body of the schema (a bolagsstämma, an earlier version) is
        // weak: it cannot make a field sure, but it makes a different answer uncertain. So is
        // a sentence of running prose that does not say it is about this document: "Över-
        // siktsplanen, som antogs av kommunfullmäktige …" is another document's decision.
        const bool own = labelled || NamesTheDocument(lower.substr(0, date.pos));
        const bool strong = (!bodies.empty() && own) || header;
        const std::string on = date.date.ToString();
        decided_on_.Add(on, strong && dates.size() == 1, on, labelled);
        for (const Body* body : bodies) {
            decided_by_.Add(body->id, bodies.size() == 1 && own, on, labelled);
        }
        if (paragraph) paragraph_.Add(*paragraph, strong, on, labelled);
    }

    // Whether the words before a decision's date say the decision is of this document: "Denna
    // policy antogs …", "Riktlinjerna fastställdes …", "… antog programmet den …", a word
    // that begins with a doctype's label or plural ("policyn", "reglementet").
    bool NamesTheDocument(std::string_view lower) const {
        constexpr std::size_t kMinWordBytes = 4;
        for (std::string_view word : Words(lower)) {
            if (IsAnyOf(word, {"denna", "detta", "dessa", "dokumentet", "styrdokumentet"})) {
                return true;
            }
            for (const DocTypeWord& w : doctype_words_) {
                if (w.word.size() >= kMinWordBytes && w.word.find(' ') == std::string::npos &&
                    word.starts_with(w.word)) {
                    return true;
                }
            }
        }
        return false;
    }

    void ReadValidity(MarkerKind kind, std::string_view lower) {
        const std::vector<FoundDate> dates = FindDates(lower);
        // "Gäller från och med beslutsdatum", "… från beslutet": the decision's date.
        const std::vector<std::string_view> words = Words(lower);
        if (dates.empty() && kind != MarkerKind::kTo &&
            std::any_of(words.begin(), words.end(), [](std::string_view w) {
                return IsAnyOf(w, {"beslutsdatum", "beslutsdagen", "beslutet", "beslutsdag"});
            })) {
            from_decision_ = true;
        }
        const bool open = lower.find("tillsvidare") != std::string_view::npos ||
                          lower.find("tills vidare") != std::string_view::npos;
        switch (kind) {
            case MarkerKind::kFrom:
                if (!dates.empty()) valid_from_.Add(dates.front().date.ToString(), true);
                break;
            case MarkerKind::kTo:
                if (!dates.empty()) {
                    valid_to_.Add(dates.front().date.ToString(), true);
                } else if (open) {
                    valid_to_.Add("", true);
                }
                break;
            case MarkerKind::kRange:
                if (dates.empty()) ReadYearPeriod(lower);
                // "Tills vidare, dock längst till 2035-12-31": a date after "till" is where
                // the time ends, never where it starts.
                if (dates.size() == 1 && EndsWithTo(lower.substr(0, dates.front().pos))) {
                    valid_to_.Add(dates.front().date.ToString(), true);
                    break;
                }
                if (!dates.empty()) valid_from_.Add(dates.front().date.ToString(), true);
                if (dates.size() >= 2) {
                    valid_to_.Add(dates[1].date.ToString(), dates.size() == 2 && !open);
                } else if (open) {
                    valid_to_.Add("", true);
                }
                break;
            case MarkerKind::kDecision:
                break;
        }
    }

    // Whether the last word of `lower` says that what follows is an end: "till", "t.o.m",
    // "längst till", "senast".
    static bool EndsWithTo(std::string_view lower) {
        const std::vector<std::string_view> words = Words(lower);
        if (words.empty()) return false;
        const std::string_view last = words.back();
        return IsAnyOf(last, {"till", "senast", "längst", "intill"}) ||
               (last == "m" && TrimView(lower).ends_with("t.o.m")) ||
               (last == "med" && words.size() >= 2 && words[words.size() - 2] == "och" &&
                TrimView(lower).ends_with("till och med"));
    }

    // "Planen gäller för perioden 2023–2026": from the first day of the first year to the
    // last of the second. A guess: the plan may have been adopted or come into force later.
    void ReadYearPeriod(std::string_view lower) {
        const auto range = FindYearRange(lower);
        if (!range) return;
        valid_from_.Add(std::to_string(range->from) + "-01-01", false);
        valid_to_.Add(std::to_string(range->to) + "-12-31", false);
    }

    // --- decision history tables

    struct HistoryRow {
        std::string date;
        const Body* body = nullptr;
        std::optional<std::string> paragraph;
    };

    // A decision history ("Beslutshistorik", "Versioner") lists every decision on the
    // document; the latest row is the version at hand, its decision the document's.
    void ReadDecisionHistory(std::string_view text) {
        ReadHistoryTables(text.substr(0, kHeadBytes));
        if (text.size() > kHeadBytes) {
            ReadHistoryTables(text.substr(std::max(kHeadBytes, text.size() - kTailBytes)));
        }
    }

    void ReadHistoryTables(std::string_view text) {
        // A table's heading may stand in a row above its header ("| Versionshistorik | |").
        constexpr std::size_t kMaxHeaderRow = 2;
        for (const auto& table : Tables(text)) {
            std::optional<HistoryColumns> columns;
            std::size_t header = 0;
            for (; header < table.size() && header <= kMaxHeaderRow && !columns; ++header) {
                columns = HistoryColumnsOf(table[header]);
            }
            if (!columns) continue;
            std::optional<HistoryRow> latest;
            for (std::size_t r = header; r < table.size(); ++r) {
                auto row = ReadHistoryRow(table[r], *columns);
                if (row && (!latest || row->date > latest->date)) latest = std::move(row);
            }
            if (!latest) continue;
            decided_on_.Add(latest->date, true, latest->date, true);
            if (latest->body) decided_by_.Add(latest->body->id, true, latest->date, true);
            if (latest->paragraph) paragraph_.Add(*latest->paragraph, true, latest->date, true);
        }
    }

    // A row is a decision when it has a date, a body of the schema where the table has a
    // column of bodies, and a paragraph where it has one of paragraphs: a row of the
    // förvaltning or without a paragraph ("Redaktionella ändringar") is no body's decision.
    std::optional<HistoryRow> ReadHistoryRow(const std::vector<std::string>& row,
                                             const HistoryColumns& columns) const {
        if (columns.date >= row.size()) return std::nullopt;
        const std::vector<FoundDate> dates = FindDates(Lower(row[columns.date]));
        if (dates.empty()) return std::nullopt;
        HistoryRow out;
        out.date = dates.front().date.ToString();
        if (columns.body != std::string::npos) {
            if (columns.body >= row.size()) return std::nullopt;
            out.body = BodyOf(row[columns.body]);
            if (out.body == nullptr) return std::nullopt;
        }
        if (columns.paragraph != std::string::npos) {
            if (columns.paragraph >= row.size()) return std::nullopt;
            const std::string& cell = row[columns.paragraph];
            if (auto p = ParseParagraph(CleanValue(cell))) {
                out.paragraph = FormatParagraph(*p);
            } else {
                out.paragraph = FindParagraph(cell, Lower(cell));
            }
            if (!out.paragraph) return std::nullopt;
        }
        if (columns.decision != std::string::npos) {
            if (columns.decision >= row.size()) return std::nullopt;
            const std::string& cell = row[columns.decision];
            if (out.body == nullptr) out.body = BodyOf(cell);
            if (!out.paragraph) out.paragraph = FindParagraph(cell, Lower(cell));
            if (out.body == nullptr || !out.paragraph) return std::nullopt;
        }
        return out;
    }

    // The one body a table cell or label value names ("Kultur- och fritidsnämnden", "KFN").
    const Body* BodyOf(std::string_view value) const {
        if (const Body* exact = FindBody(CleanValue(value))) return exact;
        const std::string lower = Lower(value);
        const std::vector<const Body*> bodies = MentionedBodies(value, lower, stems_);
        return bodies.size() == 1 ? bodies.front() : nullptr;
    }

    // --- decisions cited as "KF § 12/2018"

    struct CitedDecision {
        const Body* body = nullptr;
        std::string paragraph;
        int year = 0;
        bool labelled = false;
    };

    // A footer's or label's "KF § 12/2018" (body, paragraph, year of the minutes), unless the
    // words before it are about what the document replaces or a decision to come.
    void ReadCitedDecisions(const Line& line) {
        for (const MinutesReference& ref : FindMinutesReferences(line.text)) {
            const std::string_view before = std::string_view(line.lower).substr(0, ref.pos);
            if (NamesReplacedDecision(before) || IsPlannedDecision(before)) continue;
            // "Beslut: KF § 77/2019", "Antagen av KF § 77/2019": labelled as the decision.
            const std::vector<FoundMarker> markers = FindMarkers(before);
            const bool labelled =
                line.label_cell || (!markers.empty() && markers.front().pos == 0 &&
                                    markers.front().kind == MarkerKind::kDecision);
            cited_.push_back({BodyBefore(line.text, ref.pos), ref.paragraph, ref.year, labelled});
        }
    }

    // The body named right before `pos`, within its part of the line ("Reglemente för
    // överförmyndarnämnden – KF § 12/2018": "KF").
    const Body* BodyBefore(std::string_view text, std::size_t pos) const {
        constexpr std::size_t kMaxBodyBytes = 48;
        std::size_t start = pos > kMaxBodyBytes ? pos - kMaxBodyBytes : 0;
        for (std::string_view separator : {"\xE2\x80\x93", "|", ",", "(", ":", "\xC2\xB7"}) {
            const std::size_t at = text.substr(0, pos).rfind(separator);
            if (at != std::string_view::npos && at + separator.size() > start) {
                start = at + separator.size();
            }
        }
        while (start < pos && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) ++start;
        return BodyOf(text.substr(start, pos - start));
    }

    // A cited decision labelled as the decision ("Beslut | KF § 77/2019") is strong; a footer's
    // only when the document's decision is sure of a date in the same year.
    void AddCitedDecisions() {
        for (const CitedDecision& cited : cited_) {
            const std::string year = std::to_string(cited.year);
            const bool strong = cited.labelled || decided_on_.HasStrongStartingWith(year + "-");
            paragraph_.Add(cited.paragraph, strong, year, cited.labelled);
            if (cited.body) decided_by_.Add(cited.body->id, strong, year, cited.labelled);
        }
    }

    static void Downgrade(ProposedField& field) {
        if (field.sure()) field.confidence = Confidence::kGuessed;
    }

    // The body and the paragraph are sure only with a date of their own decision: a
    // paragraph from one decision beside the date of another is a guess, and so is the date.
    void CheckOneDecision(Proposal& proposal) const {
        const std::string& on = proposal.decided_on.value;
        bool apart = false;
        const std::pair<ProposedField*, const Evidence*> fields[] = {
            {&proposal.decided_by, &decided_by_}, {&proposal.paragraph, &paragraph_}};
        for (const auto& [field, evidence] : fields) {
            const std::string rank = evidence->ChosenRank();
            if (field->value.empty() || rank.empty() || on.empty() || on.starts_with(rank)) {
                continue;
            }
            apart = true;
            Downgrade(*field);
        }
        if (apart) Downgrade(proposal.decided_on);
    }

    // A document comes into force within a year or two of its decision; a start further
    // off is more likely an end read as a start ("Giltighet: 2035-12-31").
    static void CheckValidFrom(Proposal& proposal) {
        constexpr int kMaxYearsToForce = 2;
        const std::string& from = proposal.valid_from.value;
        const std::string& on = proposal.decided_on.value;
        if (from.size() < 4 || on.size() < 4) return;
        if (std::stoi(from.substr(0, 4)) > std::stoi(on.substr(0, 4)) + kMaxYearsToForce) {
            Downgrade(proposal.valid_from);
        }
    }

    // --- drafts

    bool IsDraft(const std::vector<Line>& lines) const {
        for (std::size_t i = 0; i < lines.size() && i < kHeadLines; ++i) {
            if (IsDraftMark(lines[i], i)) return true;
        }
        return false;
    }

    // A draft is not decided: the decisions it names are of others (the commission to write
    // it) or still to come, and the time it is to apply is planned.
    static void MarkUndecided(Proposal& proposal) {
        proposal.decided_by = {};
        proposal.decided_on = {};
        proposal.paragraph = {};
        Downgrade(proposal.valid_from);
        Downgrade(proposal.valid_to);
    }

    void AddBodies(std::string_view value, std::string_view lower, Evidence& evidence,
                   bool strong) {
        if (const Body* exact = FindBody(CleanValue(value))) {
            evidence.Add(exact->id, strong, {}, true);
            return;
        }
        const std::vector<const Body*> bodies = MentionedBodies(value, lower, stems_);
        for (const Body* body : bodies) {
            evidence.Add(body->id, strong && bodies.size() == 1, {}, true);
        }
    }

    // Schema::FindBody folds case with utf8proc, which refuses text that is not UTF-8.
    const Body* FindBody(const std::string& name) const {
        return IsValidUtf8(name) ? schema_.FindBody(name) : nullptr;
    }

    const DocType* DocTypeOfLabel(std::string_view lower) const {
        const std::string value = CleanValue(lower);
        for (const DocTypeWord& w : doctype_words_) {
            if (value == w.word) return w.doctype;
        }
        return DocTypeAtStart(value, doctype_words_);
    }

    static std::string CleanTitle(std::string_view value) {
        return CleanValue(value, kMaxTitleBytes);
    }

    // Whether a line is something other than a title: a label, a decision or validity line,
    // a statute book number, a date, a letterhead ("Exempelby kommun") or a body's name.
    bool IsNotTitle(const Line& line) const {
        for (const Label& label : kLabels) {
            if (LabelValue(line.lower, label.word)) return true;
        }
        for (std::string_view label : {"dnr", "diarienummer", "diarienr", "kfs", "sfs"}) {
            if (LabelValue(line.lower, label)) return true;
        }
        const std::vector<FoundMarker> markers = FindMarkers(line.lower);
        if (!markers.empty() && markers.front().pos == 0) return true;
        if (line.label_cell) return true;
        if (!IsUpperAt(line.text, 0) && !IsDigit(line.text[0])) return true;
        if (line.text.find_first_not_of("0123456789-./: ") == std::string::npos) return true;
        if (FindBody(line.text) != nullptr) return true;
        if (line.text.size() > kMaxTitleBytes) return true;
        // A statute book's running head: "Exempelby kommuns författningssamling KFS 2021:4".
        if (line.lower.find("författningssamling") != std::string::npos) return true;
        // A print or version date ("Utskrivet 2023-03-14"), a draft's status line.
        if (!FindDates(line.lower).empty()) return true;
        if (IsDraftMark(line, 0) && !line.lower.starts_with(kDraftTitlePrefix)) return true;
        return IsLetterhead(line);
    }

    // Whether a line names only organisations: "EXEMPELBY KOMMUN", "Socialförvaltningen",
    // "Exempelby kommuns författningssamling", "Exempelby kommun | Kommunstyrelsen".
    bool IsLetterhead(const Line& line) const {
        const std::vector<std::string_view> parts = LetterheadParts(line.lower);
        return !parts.empty() && std::all_of(parts.begin(), parts.end(), [&](std::string_view p) {
            return IsOrganisationName(p) || FindBody(std::string(p)) != nullptr;
        });
    }

    // Whether a line is a doctype's word and nothing else ("RUTIN", "Policy"), or the word
    // for every governing document a cover puts above the title ("Styrdokument").
    bool IsBareDocTypeWord(const Line& line) const {
        const std::string lower = CleanTitle(line.lower);
        return IsAnyOf(lower, {"styrdokument", "styrande dokument", "kommunalt styrdokument"}) ||
               std::any_of(doctype_words_.begin(), doctype_words_.end(),
                           [&](const DocTypeWord& w) { return w.word == lower; });
    }

    // The first line from `from` on that can be the title.
    std::optional<std::size_t> NextTitleLine(const std::vector<Line>& lines,
                                             std::size_t from) const {
        for (std::size_t i = from; i < lines.size() && i < kHeadLines; ++i) {
            if (!IsNotTitle(lines[i])) return i;
        }
        return std::nullopt;
    }

    // The title: a labelled one, else the first line that can be one, passing over a
    // doctype's word standing alone above it (a cover's "RUTIN"). Capitals are written as a
    // clerk writes a title, and a period of years with an en dash.
    void ProposeTitle(const std::vector<Line>& lines, Proposal& proposal) {
        constexpr std::size_t kMaxCoverLines = 4;
        if (title_.empty()) {
            if (const auto first = NextTitleLine(lines, 0)) {
                std::size_t chosen = *first;
                // "Riktlinjer för bostadsförsörjning" / "2023–2026": a doctype's label that the
                // next line goes on from is the title's beginning, not a cover's word.
                if (IsBareDocTypeWord(lines[chosen]) &&
                    !(chosen + 1 < lines.size() &&
                      ContinuesTitle(lines[chosen], lines[chosen + 1]))) {
                    const auto next = NextTitleLine(lines, chosen + 1);
                    if (next && *next <= chosen + kMaxCoverLines && !IsSentence(lines[*next])) {
                        // The cover's word is a doctype's too: when the title's says another,
                        // neither is sure.
                        cover_doctype_ = DocTypeOfLabel(lines[chosen].lower);
                        chosen = *next;
                    }
                }
                // A letterhead's line of prose above the title ("Räddningstjänsten X – ett
                // kommunalförbund för …") gives way to a heading in a title's form below it,
                // and a word standing alone (a place name a PDF split off its letterhead) to
                // a line in a title's form or in capitals.
                if (!HasTitleForm(lines[chosen])) {
                    const bool lone_word =
                        lines[chosen].heading == 0 && Words(lines[chosen].lower).size() == 1;
                    for (auto next = NextTitleLine(lines, chosen + 1);
                         next && *next <= chosen + kMaxCoverLines;
                         next = NextTitleLine(lines, *next + 1)) {
                        const Line& candidate = lines[*next];
                        if ((candidate.heading == 1 && HasTitleForm(candidate)) ||
                            (lone_word && !IsSentence(candidate) &&
                             (HasTitleForm(candidate) || IsAllCapitals(candidate.text)))) {
                            chosen = *next;
                            break;
                        }
                    }
                }
                AddTitleLine(lines, chosen);
            }
        }
        proposal.title = title_.Resolve();
        proposal.title.value = CleanTitle(NormaliseYearRanges(std::move(proposal.title.value)));
        if (IsAllCapitals(proposal.title.value)) {
            proposal.title.value = SentenceCase(proposal.title.value, lines, abbreviations_);
            // A proper name the text does not write elsewhere is lost: a guess.
            Downgrade(proposal.title);
        }
    }

    // Sure only when the line has the form of a title: a doctype's label or plural first, or
    // (a heading) one in a compound; and no sentence. A doctype's word alone ("Policy") is
    // more often a running header than the title.
    void AddTitleLine(const std::vector<Line>& lines, std::size_t index) {
        const Line& line = lines[index];
        std::string title = CleanTitle(line.text);
        const Line* next = index + 1 < lines.size() ? &lines[index + 1] : nullptr;
        bool continued = false;
        if (next != nullptr && ContinuesTitle(line, *next)) {
            // "Policy för att motverka mutor, jäv" / "och otillbörlig påverkan": a title the
            // layout broke, joined; a guess, since the next line may be a subtitle.
            title = CleanTitle(title + " " + next->text);
            continued = true;
        } else if (next != nullptr && MayContinueTitle(line, *next)) {
            continued = true;
        }
        // "Förslag till avfallsplan": a draft of the avfallsplan, which is its title.
        if (Lower(title).starts_with(kDraftTitlePrefix) &&
            title.size() > kDraftTitlePrefix.size()) {
            title_.Add(CapitaliseFirst(title.substr(kDraftTitlePrefix.size())), false);
            return;
        }
        title_.Add(title, HasTitleForm(line) && !continued && !IsSentence(line) &&
                              !IsBareDocTypeWord(line));
    }

    // A title's form: a doctype's label or plural first, or (a heading) one in a compound.
    bool HasTitleForm(const Line& line) const {
        const std::string lower = CleanTitle(line.lower);
        return DocTypeAtStart(lower, doctype_words_) != nullptr ||
               (line.heading > 0 && DocTypeInCompound(lower, doctype_words_) != nullptr);
    }

    // Whether `next` is the rest of the title `line` begins: a line of the same kind that
    // goes on in small letters ("och otillbörlig påverkan"), or the period of years the
    // title is for ("2023–2026") when the title has none.
    bool ContinuesTitle(const Line& line, const Line& next) const {
        constexpr std::size_t kMaxContinuationWords = 8;
        if (next.heading != line.heading || next.label_cell || line.text.back() == '.' ||
            line.text.back() == ':' || !FindDates(next.lower).empty()) {
            return false;
        }
        if (const auto range = FindYearRange(next.text)) {
            return range->pos == 0 && TrimView(next.text.substr(range->end)).empty() &&
                   !FindYearRange(line.text);
        }
        const unsigned char first = static_cast<unsigned char>(next.text.front());
        return first >= 'a' && first <= 'z' && next.text.back() != '.' &&
               Words(next.lower).size() <= kMaxContinuationWords && FindMarkers(next.lower).empty();
    }

    // Whether `next` might be the rest of the title or its subtitle: a short line right after
    // it, of the same kind, that can itself be a title and is no sentence.
    bool MayContinueTitle(const Line& line, const Line& next) const {
        constexpr std::size_t kMaxContinuationWords = 6;
        return line.heading == 0 && next.heading == 0 && !IsNotTitle(next) && !IsSentence(next) &&
               next.text.back() != '.' && Words(next.lower).size() <= kMaxContinuationWords;
    }

    static bool IsSentence(const Line& line) {
        constexpr std::ptrdiff_t kMaxTitleSpaces = 15;
        return line.text.back() == '.' ||
               std::count(line.text.begin(), line.text.end(), ' ') >= kMaxTitleSpaces;
    }

    void ProposeDocType(const std::vector<Line>& lines, Proposal& proposal) {
        const std::string lower = Lower(proposal.title.value);
        // "Riktlinjer för styrdokument": rules about the governing documents themselves are
        // the schema's styrmodell whatever word the title begins with; a guess, since a
        // municipality may file them under the title's word.
        if (cover_doctype_ != nullptr) doctype_.Add(cover_doctype_->id, false);
        const DocType* model = GoverningDocumentsRules(lower);
        if (model != nullptr) doctype_.Add(model->id, false);
        // "Avgifter för kulturskolan": fees are set in a taxa, a guess since no label says so.
        const std::vector<std::string_view> title_words = Words(lower);
        if (!title_words.empty() && StartsWithAny(title_words.front(), {"avgift"})) {
            if (const DocType* taxa = DocTypeAtStart("taxa", doctype_words_)) {
                doctype_.Add(taxa->id, false);
            }
        }
        if (const DocType* d = DocTypeAtStart(lower, doctype_words_)) {
            doctype_.Add(d->id, proposal.title.sure() && model == nullptr);
        } else if (const DocType* c = DocTypeInCompound(lower, doctype_words_)) {
            doctype_.Add(c->id, false);
        }
        if (doctype_.empty()) {
            // No evidence: the first doctype the text names, else the schema's first, so that
            // the proposal still imports; the clerk sees it is a guess.
            const DocType* guess = nullptr;
            for (const Line& line : lines) {
                for (const DocTypeWord& w : doctype_words_) {
                    if (!FindWords(line.lower, w.word).empty()) {
                        guess = w.doctype;
                        break;
                    }
                }
                if (guess) break;
            }
            if (guess == nullptr && !schema_.doctypes().empty()) guess = &schema_.doctypes()[0];
            if (guess) doctype_.Add(guess->id, false);
        }
        proposal.doctype = doctype_.Resolve();
    }

    // The schema's doctype for the rules about governing documents, when `lower` (a title) is
    // about those: "Riktlinjer för styrdokument", "Regler för styrande dokument".
    const DocType* GoverningDocumentsRules(std::string_view lower) const {
        const auto model =
            std::find_if(doctype_words_.begin(), doctype_words_.end(),
                         [](const DocTypeWord& w) { return w.word == "styrmodell"; });
        if (model == doctype_words_.end()) return nullptr;
        for (std::string_view subject : {"styrdokument", "styrande dokument"}) {
            for (std::string_view preposition : {"för ", "om "}) {
                if (!FindWords(lower, std::string(preposition) + std::string(subject)).empty()) {
                    return model->doctype;
                }
            }
        }
        return nullptr;
    }

    ProposedField ResolveDnr() const {
        Evidence evidence;
        std::string first_key;
        for (const std::string& dnr : dnrs_) {
            const std::string key = DiarienummerKey(dnr, schema_.dnr_style(), kDnrReferenceYear);
            if (first_key.empty()) first_key = key;
            // Spellings of one number agree ("KS 2021/0150", "KS 2021/150"). Of different
            // numbers, one in the diarium of a body of the schema ("KS 2024/0033") outranks
            // another organisation's ("RTM 2023/112" of a kommunalförbund); still a guess.
            const std::string unit = dnr.substr(0, dnr.find_first_of(" /-"));
            const bool own = std::find(abbreviations_.begin(), abbreviations_.end(), unit) !=
                             abbreviations_.end();
            evidence.Add(key == first_key ? dnrs_.front() : dnr, true, own ? "1" : "0");
        }
        return evidence.Resolve();
    }

    const Schema& schema_;
    std::vector<BodyWords> stems_;
    std::vector<DocTypeWord> doctype_words_;
    std::vector<std::string> abbreviations_;
    bool read_by_ocr_;
    Evidence title_, doctype_, decided_by_, decided_on_, paragraph_, owner_, owner_fallback_,
        valid_from_, valid_to_;
    std::vector<std::string> dnrs_;
    std::vector<CitedDecision> cited_;
    bool from_decision_ = false;              ///< the text says it applies from its decision's date
    const DocType* cover_doctype_ = nullptr;  ///< a doctype's word alone above the title
};

}  // namespace

const ProposedField& Proposal::Field(std::string_view name) const {
    if (name == "title") return title;
    if (name == "doctype") return doctype;
    if (name == "decided_by") return decided_by;
    if (name == "decided_on") return decided_on;
    if (name == "paragraph") return paragraph;
    if (name == "dnr") return dnr;
    if (name == "owner") return owner;
    if (name == "valid_from") return valid_from;
    if (name == "valid_to") return valid_to;
    throw std::out_of_range("no proposed field '" + std::string(name) + "'");
}

ProposedField& Proposal::Field(std::string_view name) {
    return const_cast<ProposedField&>(std::as_const(*this).Field(name));
}

std::vector<std::string> Proposal::Uncertain() const {
    std::vector<std::string> names;
    for (std::string_view name : kProposedFields) {
        if (!Field(name).sure()) names.emplace_back(name);
    }
    return names;
}

Proposal ProposeMetadata(std::string_view text, const Schema& schema, bool read_by_ocr) {
    return Reader(schema, read_by_ocr).Read(text);
}

Proposal ProposeMetadata(std::string_view text, std::string_view text_layer, const Schema& schema) {
    Proposal proposal = ProposeMetadata(text, schema, true);
    const Proposal layer = ProposeMetadata(text_layer, schema, false);
    const Proposal trusted = ProposeMetadata(text, schema, false);
    for (const std::string_view name : kProposedFields) {
        const ProposedField& typed = layer.Field(name);
        const ProposedField& whole = trusted.Field(name);
        // Sure from what was typed, and what OCR read neither contradicts it nor adds a
        // second decision to it: nothing of the value rests on OCR.
        if (typed.sure() && whole.sure() && whole.value == typed.value) {
            proposal.Field(name) = typed;
        }
    }
    return proposal;
}

std::string IdFromTitle(std::string_view title) {
    std::string id;
    const std::string lower = Lower(title);
    bool dash = false;
    for (std::size_t i = 0; i < lower.size(); ++i) {
        const auto c = static_cast<unsigned char>(lower[i]);
        char out = 0;
        if ((c >= 'a' && c <= 'z') || IsDigit(static_cast<char>(c))) {
            out = static_cast<char>(c);
        } else if (c == 0xC3 && i + 1 < lower.size()) {
            const auto next = static_cast<unsigned char>(lower[++i]);
            if (next == 0xA5 || next == 0xA4 || next == 0xA0 || next == 0xA1) out = 'a';
            if (next == 0xB6 || next == 0xB8 || next == 0xB3) out = 'o';
            if (next == 0xA9 || next == 0xA8) out = 'e';
            if (next == 0xBC) out = 'u';
        }
        if (out != 0) {
            if (dash && !id.empty()) id += '-';
            dash = false;
            id += out;
        } else {
            dash = true;
        }
    }
    if (id.size() > kMaxIdBytes) {
        id.resize(kMaxIdBytes);
        const std::size_t cut = id.rfind('-');
        if (cut != std::string::npos && cut > kMaxIdBytes / 2) id.resize(cut);
    }
    while (!id.empty() && id.back() == '-') id.pop_back();
    return id.empty() ? "dokument" : id;
}

}  // namespace styrdok::core
