#include "styrdok/store/word_diff.hpp"

#include <algorithm>
#include <cstddef>
#include <dtl/dtl.hpp>
#include <optional>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace styrdok::store {

namespace {

// A pair of lines whose differing middles hold more tokens than this on one side is shown
// as a whole-line change: a paragraph of a thousand words rewritten throughout is not read
// word by word anyway, and its edit script would cost up to dtl's cap.
constexpr std::size_t kMaxLineTokens = 2000;
// Word comparisons per call, counted in tokens that differ (the number of differences is
// what an O(NP) comparison's cost grows with); the pairs after it is spent get whole-line
// segments. A complete rewrite of a 500-line text differs in about 20 000 tokens.
constexpr std::size_t kMaxTotalTokens = 50000;

enum class Op : unsigned char { kSame, kRemoved, kAdded };

// Small integers for equal strings, so that dtl compares ints rather than strings.
class Interner {
public:
    int Id(std::string_view text) {
        return ids_.try_emplace(text, static_cast<int>(ids_.size())).first->second;
    }

private:
    std::unordered_map<std::string_view, int> ids_;
};

// dtl (Debian's libdtl-dev, header-only) computes the edit scripts below: Wu, Manber and Myers'
// O(NP) algorithm, whose cost grows with the number of differences rather than with the
// product of the lengths, and whose "unserious" mode stops after a fixed number of steps
// (dtl::MAX_CORDINATES_SIZE, about 2 million, some 50 MB of path) and reports the rest as
// deleted and added. That cap is what bounds the comparison; a limit on line counts would
// not help, since a long text with a few edits is cheap and a short text rewritten
// throughout is what costs.
//
// The script turning `a` into `b`, both non-empty, appended to `ops`. Elements that only one
// side has can never be matched: they are removed or added without dtl, which compares only
// what both share (GNU diff and git's xdiff discard them the same way). A long text that
// gained many new lines, which would otherwise spend dtl's whole cap and come out as one
// block removed and added, is then compared exactly and cheaply.
void AppendMiddleScript(std::span<const int> a, std::span<const int> b, std::vector<Op>& ops) {
    const std::unordered_set<int> in_a(a.begin(), a.end());
    const std::unordered_set<int> in_b(b.begin(), b.end());
    std::vector<std::size_t> kept_a;  // positions of the shared elements in a, and in b
    std::vector<std::size_t> kept_b;
    std::vector<int> shared_a;
    std::vector<int> shared_b;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (in_b.contains(a[i])) {
            kept_a.push_back(i);
            shared_a.push_back(a[i]);
        }
    }
    for (std::size_t j = 0; j < b.size(); ++j) {
        if (in_a.contains(b[j])) {
            kept_b.push_back(j);
            shared_b.push_back(b[j]);
        }
    }

    std::vector<Op> shared_ops;
    if (!shared_a.empty() && !shared_b.empty()) {
        dtl::Diff<int> diff(shared_a, shared_b);
        diff.onUnserious();
        diff.compose();
        // dtl reports element indices inconsistently in its capped mode, so the script is
        // followed by position and checked: it must use up both sides and match only equal
        // elements. Anything else falls back to removing and adding them all.
        std::size_t i = 0;
        std::size_t j = 0;
        bool scripted = true;
        for (const auto& [element, info] : diff.getSes().getSequence()) {
            if (info.type == dtl::SES_COMMON) {
                scripted = scripted && i < shared_a.size() && j < shared_b.size() &&
                           shared_a[i] == shared_b[j];
                shared_ops.push_back(Op::kSame);
                ++i;
                ++j;
            } else if (info.type == dtl::SES_DELETE) {
                shared_ops.push_back(Op::kRemoved);
                ++i;
            } else {
                shared_ops.push_back(Op::kAdded);
                ++j;
            }
        }
        if (!scripted || i != shared_a.size() || j != shared_b.size()) shared_ops.clear();
    }
    if (shared_ops.empty()) {
        shared_ops.insert(shared_ops.end(), shared_a.size(), Op::kRemoved);
        shared_ops.insert(shared_ops.end(), shared_b.size(), Op::kAdded);
    }

    // The discarded elements go back in at their places: removed before the next shared
    // element of `a`, added before the next of `b`.
    std::size_t i = 0;
    std::size_t j = 0;
    std::size_t shared_i = 0;
    std::size_t shared_j = 0;
    for (Op op : shared_ops) {
        if (op != Op::kAdded) {
            ops.insert(ops.end(), kept_a[shared_i] - i, Op::kRemoved);
            i = kept_a[shared_i++] + 1;
        }
        if (op != Op::kRemoved) {
            ops.insert(ops.end(), kept_b[shared_j] - j, Op::kAdded);
            j = kept_b[shared_j++] + 1;
        }
        ops.push_back(op);
    }
    ops.insert(ops.end(), a.size() - i, Op::kRemoved);
    ops.insert(ops.end(), b.size() - j, Op::kAdded);
}

// The edit script turning `a` into `b`: kSame takes one element of each, kRemoved one of
// `a`, kAdded one of `b`. Elements shared at both ends are matched directly; only the
// middles are compared. Nullopt when both middles are non-empty and one is longer than
// `max_middle`.
std::optional<std::vector<Op>> EditScript(const std::vector<int>& a, const std::vector<int>& b,
                                          std::size_t max_middle) {
    std::size_t prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
    std::size_t suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
           a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
        ++suffix;
    }
    const std::span<const int> middle_a(a.data() + prefix, a.size() - prefix - suffix);
    const std::span<const int> middle_b(b.data() + prefix, b.size() - prefix - suffix);
    if (!middle_a.empty() && !middle_b.empty() &&
        std::max(middle_a.size(), middle_b.size()) > max_middle) {
        return std::nullopt;
    }

    std::vector<Op> ops(prefix, Op::kSame);
    ops.reserve(prefix + middle_a.size() + middle_b.size() + suffix);
    if (!middle_a.empty() && !middle_b.empty()) {
        AppendMiddleScript(middle_a, middle_b, ops);
    } else {
        ops.insert(ops.end(), middle_a.size(), Op::kRemoved);
        ops.insert(ops.end(), middle_b.size(), Op::kAdded);
    }
    ops.insert(ops.end(), suffix, Op::kSame);
    return ops;
}

std::vector<std::string_view> SplitLines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        start = end + 1;
    }
    return lines;
}

enum class CharClass { kWord, kSpace, kPunctuation };

// The length of the UTF-8 sequence at `text[at]` and its code point. A byte that does not
// start a well-formed sequence is taken alone, as a letter: it stays with its word, and
// cutting there splits nothing that was valid.
std::size_t Decode(std::string_view text, std::size_t at, char32_t& code_point) {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    unsigned char lead = byte(at);
    std::size_t length = lead < 0x80                   ? 1
                         : lead >= 0xC2 && lead < 0xE0 ? 2
                         : lead >= 0xE0 && lead < 0xF0 ? 3
                         : lead >= 0xF0 && lead < 0xF5 ? 4
                                                       : 0;
    if (length == 0 || at + length > text.size()) {
        code_point = 0xFFFD;
        return 1;
    }
    char32_t value = length == 1 ? lead : lead & (0x7F >> length);
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(at + i) & 0xC0) != 0x80) {
            code_point = 0xFFFD;
            return 1;
        }
        value = (value << 6) | (byte(at + i) & 0x3F);
    }
    code_point = value;
    return length;
}

CharClass Classify(char32_t c) {
    if (c < 0x80) {
        if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
            return CharClass::kWord;
        }
        return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
                   ? CharClass::kSpace
                   : CharClass::kPunctuation;
    }
    if (c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
        c == 0x202F || c == 0x205F || c == 0x3000) {
        return CharClass::kSpace;
    }
    // Latin-1's signs (§ « » ° ¶ ·, but not ª ² ³ µ ¹ º, which belong to words), × and ÷, and
    // General Punctuation (dashes, quotes, bullets, ellipsis, ‰).
    bool latin1_sign = c >= 0xA1 && c <= 0xBF && c != 0xAA && c != 0xB2 && c != 0xB3 && c != 0xB5 &&
                       c != 0xB9 && c != 0xBA;
    if (latin1_sign || c == 0xD7 || c == 0xF7 || (c >= 0x2010 && c <= 0x2027) ||
        (c >= 0x2030 && c <= 0x205E)) {
        return CharClass::kPunctuation;
    }
    return CharClass::kWord;  // letters (å ä ö é …), digits and everything else
}

struct Token {
    std::string_view text;
    bool is_word;
};

// Runs of word characters, runs of spaces, and single punctuation characters.
std::vector<Token> Tokenize(std::string_view line) {
    std::vector<Token> tokens;
    std::size_t at = 0;
    std::optional<CharClass> open;  // the class of the last token while it can grow
    while (at < line.size()) {
        char32_t code_point;
        std::size_t length = Decode(line, at, code_point);
        CharClass kind = Classify(code_point);
        if (open == kind && kind != CharClass::kPunctuation) {
            Token& last = tokens.back();
            last.text = std::string_view(last.text.data(), last.text.size() + length);
        } else {
            tokens.push_back({line.substr(at, length), kind == CharClass::kWord});
        }
        open = kind;
        at += length;
    }
    return tokens;
}

// One stretch of a changed line: shared by both versions, or different.
struct Piece {
    std::string old_text;  ///< equal to new_text when !changed
    std::string new_text;
    bool changed = false;
    bool has_word = false;  ///< holds a word (letters or digits)
};

void Append(std::vector<DiffSegment>& segments, DiffSegment::Kind kind, std::string text) {
    if (text.empty()) return;
    if (!segments.empty() && segments.back().kind == kind) {
        segments.back().text += text;
    } else {
        segments.push_back({kind, std::move(text)});
    }
}

std::vector<DiffSegment> WholeLineChange(std::string_view old_line, std::string_view new_line) {
    std::vector<DiffSegment> segments;
    Append(segments, DiffSegment::Kind::kRemoved, std::string(old_line));
    Append(segments, DiffSegment::Kind::kAdded, std::string(new_line));
    return segments;
}

// The segments of one kChanged line. `budget` is what is left of kMaxTotalTokens.
std::vector<DiffSegment> ChangedLine(std::string_view old_line, std::string_view new_line,
                                     Interner& words, std::size_t& budget) {
    std::vector<Token> old_tokens = Tokenize(old_line);
    std::vector<Token> new_tokens = Tokenize(new_line);
    std::vector<int> old_ids;
    std::vector<int> new_ids;
    old_ids.reserve(old_tokens.size());
    new_ids.reserve(new_tokens.size());
    for (const Token& token : old_tokens) old_ids.push_back(words.Id(token.text));
    for (const Token& token : new_tokens) new_ids.push_back(words.Id(token.text));
    std::optional<std::vector<Op>> ops =
        EditScript(old_ids, new_ids, std::min(kMaxLineTokens, budget));
    if (!ops) return WholeLineChange(old_line, new_line);
    std::size_t differing = 0;
    for (Op op : *ops) differing += op == Op::kSame ? 0 : 1;
    budget -= std::min(budget, differing);

    std::vector<Piece> pieces;
    std::size_t i = 0;
    std::size_t j = 0;
    for (Op op : *ops) {
        bool changed = op != Op::kSame;
        if (pieces.empty() || pieces.back().changed != changed) {
            pieces.push_back({{}, {}, changed, false});
        }
        Piece& piece = pieces.back();
        if (op != Op::kAdded) {
            piece.old_text += old_tokens[i].text;
            piece.has_word = piece.has_word || old_tokens[i].is_word;
            ++i;
        }
        if (op != Op::kRemoved) {
            piece.new_text += new_tokens[j].text;
            ++j;
        }
    }

    // A shared stretch of only spaces and punctuation between two changes ("a b" → "c d")
    // is folded into them: one removed and one added run read better than their shreds.
    std::vector<Piece> folded;
    for (std::size_t k = 0; k < pieces.size(); ++k) {
        Piece& piece = pieces[k];
        if (!piece.changed && !piece.has_word && !folded.empty() && k + 1 < pieces.size()) {
            Piece& before = folded.back();
            const Piece& after = pieces[k + 1];
            before.old_text += piece.old_text + after.old_text;
            before.new_text += piece.new_text + after.new_text;
            ++k;
            continue;
        }
        folded.push_back(std::move(piece));
    }
    // Lines that share no word are different lines, not an edited one.
    bool shares_word = std::any_of(folded.begin(), folded.end(), [](const Piece& piece) {
        return !piece.changed && piece.has_word;
    });
    if (!shares_word) return WholeLineChange(old_line, new_line);

    std::vector<DiffSegment> segments;
    for (Piece& piece : folded) {
        if (piece.changed) {
            Append(segments, DiffSegment::Kind::kRemoved, std::move(piece.old_text));
            Append(segments, DiffSegment::Kind::kAdded, std::move(piece.new_text));
        } else {
            Append(segments, DiffSegment::Kind::kSame, std::move(piece.old_text));
        }
    }
    return segments;
}

DiffLine WholeLine(DiffLine::Kind line_kind, DiffSegment::Kind segment_kind,
                   std::string_view text) {
    DiffLine line{line_kind, {}};
    Append(line.segments, segment_kind, std::string(text));
    return line;
}

// The lines of a word diff as they are made, kept while they fit the limits; past them only
// counted.
class Output {
public:
    explicit Output(const DiffLimits& limits) : limits_(limits) {}

    // True once a line did not fit: the lines after it are only counted (LeaveOut).
    bool full() const { return full_; }

    void Keep(DiffLine line) {
        std::size_t bytes = 0;
        for (const DiffSegment& segment : line.segments) bytes += segment.text.size();
        full_ = full_ || result_.lines.size() >= limits_.max_lines ||
                line.segments.size() > limits_.max_segments - segments_ ||
                bytes > limits_.max_bytes - bytes_;
        if (full_) {
            ++result_.lines_left_out;
            return;
        }
        segments_ += line.segments.size();
        bytes_ += bytes;
        result_.lines.push_back(std::move(line));
    }

    void LeaveOut(std::size_t lines) { result_.lines_left_out += lines; }

    WordDiff Take() { return std::move(result_); }

private:
    const DiffLimits& limits_;
    WordDiff result_;
    std::size_t segments_ = 0;
    std::size_t bytes_ = 0;
    bool full_ = false;
};

}  // namespace

std::vector<DiffLine> DiffWords(std::string_view before, std::string_view after,
                                std::size_t context) {
    return DiffWordsWithin(before, after, DiffLimits{}, context).lines;
}

WordDiff DiffWordsWithin(std::string_view before, std::string_view after, const DiffLimits& limits,
                         std::size_t context) {
    Output out(limits);
    std::vector<std::string_view> old_lines = SplitLines(before);
    std::vector<std::string_view> new_lines = SplitLines(after);
    Interner line_ids;
    std::vector<int> old_ids;
    std::vector<int> new_ids;
    old_ids.reserve(old_lines.size());
    new_ids.reserve(new_lines.size());
    for (std::string_view line : old_lines) old_ids.push_back(line_ids.Id(line));
    for (std::string_view line : new_lines) new_ids.push_back(line_ids.Id(line));
    std::vector<Op> ops = *EditScript(old_ids, new_ids, static_cast<std::size_t>(-1));

    // The script as alternating runs: unchanged lines, and changed lines, whose removed
    // lines are consecutive in the old text and whose added lines in the new.
    struct Run {
        bool changed;
        std::size_t old_begin;
        std::size_t old_count;
        std::size_t new_begin;
        std::size_t new_count;
    };
    std::vector<Run> runs;
    std::size_t i = 0;
    std::size_t j = 0;
    for (Op op : ops) {
        bool changed = op != Op::kSame;
        if (runs.empty() || runs.back().changed != changed) runs.push_back({changed, i, 0, j, 0});
        if (op != Op::kAdded) {
            ++runs.back().old_count;
            ++i;
        }
        if (op != Op::kRemoved) {
            ++runs.back().new_count;
            ++j;
        }
    }
    if (runs.empty() || (runs.size() == 1 && !runs.front().changed)) return out.Take();

    Interner words;
    std::size_t budget = kMaxTotalTokens;
    // Each line is made only while the output has room: past it, lines are only counted.
    auto context_lines = [&](std::size_t begin, std::size_t end) {
        for (std::size_t k = begin; k < end; ++k) {
            if (out.full()) {
                out.LeaveOut(end - k);
                return;
            }
            out.Keep(WholeLine(DiffLine::Kind::kContext, DiffSegment::Kind::kSame, old_lines[k]));
        }
    };
    for (std::size_t r = 0; r < runs.size(); ++r) {
        const Run& run = runs[r];
        if (!run.changed) {
            std::size_t begin = run.old_begin;
            std::size_t end = run.old_begin + run.old_count;
            bool first = r == 0;
            bool last = r + 1 == runs.size();
            if (first) {
                context_lines(end - std::min(context, run.old_count), end);
            } else if (last) {
                context_lines(begin, begin + std::min(context, run.old_count));
            } else if (run.old_count <= 2 * context) {
                context_lines(begin, end);
            } else {
                context_lines(begin, begin + context);
                out.Keep({DiffLine::Kind::kGap, {}});
                context_lines(end - context, end);
            }
            continue;
        }
        // Paired lines, then the rest of the old lines (removed), then of the new (added).
        const std::size_t pairs = std::min(run.old_count, run.new_count);
        const std::size_t lines = run.old_count + run.new_count - pairs;
        for (std::size_t k = 0; k < lines; ++k) {
            if (out.full()) {
                out.LeaveOut(lines - k);
                break;
            }
            if (k < pairs) {
                out.Keep({DiffLine::Kind::kChanged,
                          ChangedLine(old_lines[run.old_begin + k], new_lines[run.new_begin + k],
                                      words, budget)});
            } else if (k < run.old_count) {
                out.Keep(WholeLine(DiffLine::Kind::kRemoved, DiffSegment::Kind::kRemoved,
                                   old_lines[run.old_begin + k]));
            } else {
                out.Keep(WholeLine(DiffLine::Kind::kAdded, DiffSegment::Kind::kAdded,
                                   new_lines[run.new_begin + k - (run.old_count - pairs)]));
            }
        }
    }
    return out.Take();
}

}  // namespace styrdok::store
