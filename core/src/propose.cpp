#include "styrdok/core/propose.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
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

// Removes Markdown's backslash escapes and turns no-break spaces and tabs into spaces.
std::string Unmark(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\\' && i + 1 < text.size() &&
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
    AddLine(lines, Unmark(raw), heading, false);
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

// A paragraph right after a decision's date as OCR reads "§ 44": "8 44", "$ 44", "S 44".
std::optional<std::string> OcrParagraph(std::string_view after_date) {
    std::size_t p = 0;
    if (p < after_date.size() && after_date[p] == ',') ++p;
    while (p < after_date.size() && after_date[p] == ' ') ++p;
    if (p >= after_date.size() ||
        std::string_view("8$S").find(after_date[p]) == std::string::npos) {
        return std::nullopt;
    }
    ++p;
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
    /// (a decision's date, so that a revision wins over the first decision).
    void Add(std::string value, bool strong, std::string rank = {}) {
        values_.push_back({std::move(value), strong, std::move(rank)});
    }

    ProposedField Resolve() const {
        ProposedField field;
        if (values_.empty()) return field;
        auto chosen = values_.end();
        for (auto it = values_.begin(); it != values_.end(); ++it) {
            if (it->strong && (chosen == values_.end() || it->rank > chosen->rank)) chosen = it;
        }
        if (chosen == values_.end()) chosen = values_.begin();
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

private:
    struct Value {
        std::string value;
        bool strong;
        std::string rank;
    };
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
    kNotOwner,
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
    {"beslutsdatum", LabelField::kDecidedOn},
    {"datum för beslut", LabelField::kDecidedOn},
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
    {"ansvarig nämnd", LabelField::kNotOwner},
    {"ansvarig förvaltning", LabelField::kNotOwner},
    {"ansvarig", LabelField::kOwner},
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

class Reader {
public:
    Reader(const Schema& schema, bool read_by_ocr)
        : schema_(schema),
          stems_(BodyStems(schema)),
          doctype_words_(DocTypeWords(schema)),
          read_by_ocr_(read_by_ocr) {}

    Proposal Read(std::string_view text) {
        const std::vector<Line> lines = ReadLines(text);
        for (const Line& line : lines) ReadLabels(line);
        for (const Line& line : lines) ReadDnrs(line);
        for (std::size_t i = 0; i < lines.size(); ++i) {
            ReadClauses(lines[i], i + 1 < lines.size() ? &lines[i + 1] : nullptr);
        }
        Proposal proposal;
        ProposeTitle(lines, proposal);
        ProposeDocType(lines, proposal);
        proposal.decided_by = decided_by_.Resolve();
        proposal.decided_on = decided_on_.Resolve();
        proposal.paragraph = paragraph_.Resolve();
        proposal.dnr = ResolveDnr();
        proposal.owner = owner_.Resolve();
        proposal.valid_from = valid_from_.Resolve();
        proposal.valid_to = valid_to_.Resolve();
        if (read_by_ocr_) {
            for (std::string_view name : kProposedFields) {
                ProposedField& field = proposal.Field(name);
                if (field.sure()) field.confidence = Confidence::kGuessed;
            }
        }
        return proposal;
    }

private:
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
                    AddBodies(value, lower, decided_by_, true);
                    break;
                case LabelField::kDecidedOn:
                case LabelField::kDateOnly: {
                    const auto dates = FindDates(lower);
                    if (!dates.empty()) {
                        const std::string date = dates.front().date.ToString();
                        decided_on_.Add(date, label.field == LabelField::kDecidedOn, date);
                    }
                    break;
                }
                case LabelField::kParagraph: {
                    if (auto p = ParseParagraph(CleanValue(value))) {
                        paragraph_.Add(FormatParagraph(*p), true);
                    } else if (auto found = FindParagraph(value, lower)) {
                        paragraph_.Add(*found, true);
                    }
                    break;
                }
                case LabelField::kOwner: {
                    // Up to the end of the sentence: "Ansvarig: Socialchef. Revideras …".
                    const std::string owner = CleanValue(value.substr(0, SentenceEnd(value, 0)));
                    if (!owner.empty() && IsUpperAt(owner, 0)) owner_.Add(owner, true);
                    break;
                }
                case LabelField::kNotOwner:
                    break;
            }
            return;
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

    // Decision and validity clauses: each marker's clause runs to the next marker or the
    // end of its sentence; a decision's clause also holds what stands before its verb in
    // the sentence ("Kommunfullmäktige beslutade den …").
    // A sentence a PDF wrapped goes on in the next line when that starts with a small letter
    // or a digit ("… och gäller från och med" / "2017-07-01."); a header block's next line
    // starts with a capital ("Dnr …") and is a line of its own.
    void ReadClauses(const Line& line, const Line* next) {
        std::string text_storage = line.text;
        std::string lower_storage = line.lower;
        const char last = line.text.back();
        if (next != nullptr && !next->label_cell && last != '.' && last != ':' &&
            !IsUpperAt(next->text, 0) &&
            (IsDigit(next->text.front()) || IsLetterByte(next->text.front()))) {
            text_storage += ' ' + next->text;
            lower_storage += ' ' + next->lower;
        }
        const std::string_view text = text_storage;
        const std::string_view lower = lower_storage;
        const std::vector<FoundMarker> markers = FindMarkers(lower);
        for (std::size_t i = 0; i < markers.size(); ++i) {
            const FoundMarker& m = markers[i];
            // The next line's markers are read with that line.
            if (m.pos >= line.text.size()) break;
            std::size_t end = SentenceEnd(text, m.end);
            if (i + 1 < markers.size()) end = std::min(end, markers[i + 1].pos);
            if (m.kind == MarkerKind::kDecision) {
                const std::size_t start = i == 0 ? SentenceStart(text, m.pos) : m.pos;
                ReadDecision(text.substr(start, end - start), lower.substr(start, end - start),
                             m.pos - start, line.label_cell);
            } else {
                ReadValidity(m.kind, lower.substr(m.end, end - m.end));
            }
        }
    }

    // `verb` is where the decision's verb stands in the clause: its date is the first after
    // the verb ("Fastställd KF 2011-04-19"), or the last before it ("… 2023, beslutade").
    void ReadDecision(std::string_view text, std::string_view lower, std::size_t verb,
                      bool label_cell) {
        const std::vector<FoundDate> dates = FindDates(lower);
        if (dates.empty()) return;
        const auto after = std::find_if(dates.begin(), dates.end(),
                                        [&](const FoundDate& d) { return d.pos >= verb; });
        const FoundDate& date = after != dates.end() ? *after : dates.back();
        const std::vector<const Body*> bodies = MentionedBodies(text, lower, stems_);
        auto paragraph = FindParagraph(text, lower);
        if (!paragraph && read_by_ocr_) paragraph = OcrParagraph(text.substr(date.end));
        // A decision without a body of the schema (a bolagsstämma, an earlier version) is
        // weak: it cannot make a field sure, but it makes a different answer uncertain.
        const bool strong = !bodies.empty() || label_cell;
        const std::string on = date.date.ToString();
        decided_on_.Add(on, strong && dates.size() == 1, on);
        for (const Body* body : bodies) decided_by_.Add(body->id, bodies.size() == 1, on);
        if (paragraph) paragraph_.Add(*paragraph, strong, on);
    }

    void ReadValidity(MarkerKind kind, std::string_view lower) {
        const std::vector<FoundDate> dates = FindDates(lower);
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

    void AddBodies(std::string_view value, std::string_view lower, Evidence& evidence,
                   bool strong) {
        if (const Body* exact = FindBody(CleanValue(value))) {
            evidence.Add(exact->id, strong);
            return;
        }
        const std::vector<const Body*> bodies = MentionedBodies(value, lower, stems_);
        for (const Body* body : bodies) evidence.Add(body->id, strong && bodies.size() == 1);
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
        if (line.lower.ends_with(" kommun") && line.text.find(' ') == line.text.rfind(' ')) {
            return true;
        }
        if (FindBody(line.text) != nullptr) return true;
        return line.text.size() > kMaxTitleBytes;
    }

    void ProposeTitle(const std::vector<Line>& lines, Proposal& proposal) {
        if (title_.empty()) {
            for (std::size_t i = 0; i < lines.size() && i < kHeadLines; ++i) {
                const Line& line = lines[i];
                if (IsNotTitle(line)) continue;
                const std::string title = CleanTitle(line.text);
                const std::string lower = Lower(title);
                // Sure only when it has the form of a title: a doctype's label or plural
                // first, or (a heading) one in a compound; and no sentence. A doctype's word
                // alone ("Policy") is more often a running header than the title.
                const bool form = DocTypeAtStart(lower, doctype_words_) != nullptr ||
                                  (line.heading > 0 && DocTypeInCompound(lower, doctype_words_));
                const bool sentence =
                    line.text.back() == '.' || std::count(title.begin(), title.end(), ' ') >= 15;
                const bool bare =
                    std::any_of(doctype_words_.begin(), doctype_words_.end(),
                                [&](const DocTypeWord& w) { return w.word == lower; });
                title_.Add(title, form && !sentence && !bare);
                break;
            }
        }
        proposal.title = title_.Resolve();
    }

    void ProposeDocType(const std::vector<Line>& lines, Proposal& proposal) {
        const std::string lower = Lower(proposal.title.value);
        if (const DocType* d = DocTypeAtStart(lower, doctype_words_)) {
            doctype_.Add(d->id, proposal.title.sure());
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

    ProposedField ResolveDnr() const {
        Evidence evidence;
        std::string first_key;
        for (const std::string& dnr : dnrs_) {
            const std::string key = DiarienummerKey(dnr, schema_.dnr_style(), kDnrReferenceYear);
            if (first_key.empty()) first_key = key;
            // Spellings of one number agree ("KS 2021/0150", "KS 2021/150").
            evidence.Add(key == first_key ? dnrs_.front() : dnr, true);
        }
        return evidence.Resolve();
    }

    const Schema& schema_;
    std::vector<BodyWords> stems_;
    std::vector<DocTypeWord> doctype_words_;
    bool read_by_ocr_;
    Evidence title_, doctype_, decided_by_, decided_on_, paragraph_, owner_, valid_from_, valid_to_;
    std::vector<std::string> dnrs_;
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
