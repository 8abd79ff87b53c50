#pragma once

// Word-level diff of two texts, for showing what a revision changed: lines as in a unified
// diff, and within a changed line the words removed and added.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace styrdok::store {

/// A run of one line's text that both versions share, or that only one of them has.
struct DiffSegment {
    enum class Kind { kSame, kAdded, kRemoved };
    Kind kind = Kind::kSame;
    std::string text;  ///< never empty

    bool operator==(const DiffSegment&) const = default;
};

/// One line of a word diff.
///
/// Segments cover the whole line, without its line break: a kContext line is one kSame
/// segment, a kRemoved line one kRemoved segment, a kAdded line one kAdded segment, and a
/// kChanged line (an old line and the new line that replaced it) alternates kSame, kRemoved
/// and kAdded segments, so that its kSame and kRemoved segments joined give the old line and
/// its kSame and kAdded segments joined give the new line. Adjacent segments never have the
/// same kind. A blank line has no segments; nor has kGap, which stands for unchanged lines
/// left out between two hunks.
struct DiffLine {
    enum class Kind { kContext, kAdded, kRemoved, kChanged, kGap };
    Kind kind = Kind::kContext;
    std::vector<DiffSegment> segments;

    bool operator==(const DiffLine&) const = default;
};

/// How much of a diff DiffWordsWithin hands back: lines, segments and bytes of segment text.
/// The default leaves nothing out.
struct DiffLimits {
    std::size_t max_lines = static_cast<std::size_t>(-1);     ///< kGap lines included
    std::size_t max_segments = static_cast<std::size_t>(-1);  ///< over all lines
    std::size_t max_bytes = static_cast<std::size_t>(-1);     ///< of the segments' text
};

/// A word diff, whole or cut short at its limits.
struct WordDiff {
    std::vector<DiffLine> lines;     ///< the diff's first lines: all of them when complete
    std::size_t lines_left_out = 0;  ///< lines of the whole diff after `lines`
};

/// The line diff of `before` and `after` (UTF-8) with `context` unchanged lines around each
/// change; empty when the texts have the same lines. Lines end at '\n'; a '\r' before it is
/// not part of the line (CRLF and LF texts compare equal), and a missing final line break is
/// not a change.
///
/// Within each run of changed lines, the first removed line is paired with the first added
/// line, the second with the second, and so on; each pair becomes one kChanged line whose
/// segments mark the words removed and added, and the unpaired rest stays kRemoved (first)
/// and kAdded. Words are runs of letters and digits; spaces and punctuation are segments'
/// text too, and a UTF-8 sequence is never split. A pair that shares no word is shown as the
/// whole old line removed and the whole new line added.
///
/// The work is bounded: lines shared at the start and end cost one comparison each, lines
/// that only one text has are removed or added without comparing them further, the line
/// comparison gives up on a minimal diff past a fixed amount of work (the lines not yet
/// compared are then all removed and added), and a pair whose differing part is too long to
/// compare word by word, or that comes after a per-call budget of words is spent, gets
/// whole-line segments. Never throws for any input (short of std::bad_alloc). Thread-safe: a
/// pure function.
std::vector<DiffLine> DiffWords(std::string_view before, std::string_view after,
                                std::size_t context = 3);

/// DiffWords, cut short before the first line that would take the lines, segments or bytes of
/// segment text past `limits`; no word comparison is done for the lines left out, so what is
/// shown bounds the work as well as the result (past the line comparison, which is bounded on
/// its own). The lines kept are those DiffWords gives, in the same order. Never throws (short
/// of std::bad_alloc). Thread-safe: a pure function.
WordDiff DiffWordsWithin(std::string_view before, std::string_view after, const DiffLimits& limits,
                         std::size_t context = 3);

}  // namespace styrdok::store
