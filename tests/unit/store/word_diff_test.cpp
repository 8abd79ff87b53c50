#include "styrdok/store/word_diff.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <ostream>
#include <random>
#include <string>
#include <vector>

namespace styrdok::store {

// Readable failures; found by argument-dependent lookup, so in the types' namespace.
void PrintTo(const DiffSegment& segment, std::ostream* out) {
    const char* kinds[] = {"=", "+", "-"};
    *out << kinds[static_cast<int>(segment.kind)] << "\"" << segment.text << "\"";
}

void PrintTo(const DiffLine& line, std::ostream* out) {
    const char* kinds[] = {"context", "added", "removed", "changed", "gap"};
    *out << kinds[static_cast<int>(line.kind)] << "{";
    for (const DiffSegment& segment : line.segments) {
        *out << " ";
        PrintTo(segment, out);
    }
    *out << " }";
}

namespace {

using LineKind = DiffLine::Kind;
using SegmentKind = DiffSegment::Kind;
using Lines = std::vector<DiffLine>;

DiffSegment Same(std::string text) { return {SegmentKind::kSame, std::move(text)}; }
DiffSegment Removed(std::string text) { return {SegmentKind::kRemoved, std::move(text)}; }
DiffSegment Added(std::string text) { return {SegmentKind::kAdded, std::move(text)}; }

DiffLine Whole(LineKind kind, DiffSegment segment) {
    if (segment.text.empty()) return {kind, {}};
    return {kind, {std::move(segment)}};
}
DiffLine Context(std::string text) { return Whole(LineKind::kContext, Same(std::move(text))); }
DiffLine AddedLine(std::string text) { return Whole(LineKind::kAdded, Added(std::move(text))); }
DiffLine RemovedLine(std::string text) {
    return Whole(LineKind::kRemoved, Removed(std::move(text)));
}
DiffLine Changed(std::vector<DiffSegment> segments) {
    return {LineKind::kChanged, std::move(segments)};
}
DiffLine Gap() { return {LineKind::kGap, {}}; }

// The text's lines as DiffWords reads them, each ended by '\n'.
std::string Normalized(std::string_view text) {
    std::string result;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = std::min(text.find('\n', start), text.size());
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        result.append(line).append("\n");
        start = end + 1;
    }
    return result;
}

// The old (or new) text rebuilt from a diff that left nothing out.
std::string Rebuilt(const Lines& lines, bool old_side) {
    std::string text;
    for (const DiffLine& line : lines) {
        EXPECT_NE(line.kind, LineKind::kGap);
        if (line.kind == (old_side ? LineKind::kAdded : LineKind::kRemoved)) continue;
        for (const DiffSegment& segment : line.segments) {
            if (segment.kind != (old_side ? SegmentKind::kAdded : SegmentKind::kRemoved)) {
                text += segment.text;
            }
        }
        text += '\n';
    }
    return text;
}

bool IsValidUtf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        auto byte = static_cast<unsigned char>(text[i]);
        std::size_t length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2;
        if (byte >= 0x80 && byte < 0xC2) return false;
        if (i + length > text.size()) return false;
        for (std::size_t k = 1; k < length; ++k) {
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
        }
        i += length;
    }
    return true;
}

// What the header promises of every line's segments. Segments of valid UTF-8 input are
// valid UTF-8: no sequence is split.
void ExpectWellFormed(const Lines& lines, bool valid_input) {
    for (const DiffLine& line : lines) {
        for (std::size_t i = 0; i < line.segments.size(); ++i) {
            const DiffSegment& segment = line.segments[i];
            EXPECT_FALSE(segment.text.empty());
            if (valid_input) {
                EXPECT_TRUE(IsValidUtf8(segment.text)) << segment.text;
            }
            if (i > 0) {
                EXPECT_NE(line.segments[i - 1].kind, segment.kind);
            }
            switch (line.kind) {
                case LineKind::kContext:
                    EXPECT_EQ(segment.kind, SegmentKind::kSame);
                    break;
                case LineKind::kAdded:
                    EXPECT_EQ(segment.kind, SegmentKind::kAdded);
                    break;
                case LineKind::kRemoved:
                    EXPECT_EQ(segment.kind, SegmentKind::kRemoved);
                    break;
                case LineKind::kChanged:
                    break;
                case LineKind::kGap:
                    ADD_FAILURE() << "a gap with segments";
                    break;
            }
        }
    }
}

void ExpectRebuilds(std::string_view before, std::string_view after) {
    Lines lines = DiffWords(before, after, static_cast<std::size_t>(-1));
    ExpectWellFormed(lines, IsValidUtf8(before) && IsValidUtf8(after));
    if (lines.empty()) {
        EXPECT_EQ(Normalized(before), Normalized(after));
        return;
    }
    EXPECT_EQ(Rebuilt(lines, true), Normalized(before));
    EXPECT_EQ(Rebuilt(lines, false), Normalized(after));
}

TEST(WordDiff, UnchangedTextGivesNoLines) {
    struct Case {
        const char* before;
        const char* after;
    };
    for (const Case& c : std::vector<Case>{
             {"", ""},
             {"Policy för arbetsmiljö\n", "Policy för arbetsmiljö\n"},
             {"a\r\nb\r\n", "a\nb\n"},  // CRLF and LF
             {"a\nb", "a\nb\n"},        // a missing final line break
             {"\n\n", "\n\n"},
         }) {
        SCOPED_TRACE(c.before);
        EXPECT_EQ(DiffWords(c.before, c.after), Lines{});
    }
}

TEST(WordDiff, MarksAChangedWordInsideALine) {
    EXPECT_EQ(
        DiffWords("Kommunen ska arbeta.\n", "Kommunen bör arbeta.\n"),
        (Lines{Changed({Same("Kommunen "), Removed("ska"), Added("bör"), Same(" arbeta.")})}));
}

TEST(WordDiff, MarksAWordAddedAtTheEndOfALine) {
    EXPECT_EQ(DiffWords("Vi arbetar\n", "Vi arbetar tillsammans\n"),
              (Lines{Changed({Same("Vi arbetar"), Added(" tillsammans")})}));
}

TEST(WordDiff, ShowsAddedLinesWithContext) {
    EXPECT_EQ(DiffWords("Rubrik\n\nText.\n", "Rubrik\n\nText.\nNy mening.\nTill.\n"),
              (Lines{Context("Rubrik"), Context(""), Context("Text."), AddedLine("Ny mening."),
                     AddedLine("Till.")}));
}

TEST(WordDiff, ShowsRemovedLinesWithContext) {
    EXPECT_EQ(DiffWords("A\nB\nC\nD\n", "A\nD\n"),
              (Lines{Context("A"), RemovedLine("B"), RemovedLine("C"), Context("D")}));
}

TEST(WordDiff, ComparesWithAnEmptyText) {
    EXPECT_EQ(DiffWords("", "Ny\n\n"), (Lines{AddedLine("Ny"), AddedLine("")}));
    EXPECT_EQ(DiffWords("Gammal", ""), Lines{RemovedLine("Gammal")});
}

TEST(WordDiff, KeepsSwedishLettersAndDashesWhole) {
    EXPECT_EQ(
        DiffWords("Målet är ökad säkerhet för alla.\n", "Målet är ökad trygghet för äldre.\n"),
        (Lines{Changed({Same("Målet är ökad "), Removed("säkerhet"), Added("trygghet"),
                        Same(" för "), Removed("alla"), Added("äldre"), Same(".")})}));
    // En and em dash differ only in their last UTF-8 byte.
    EXPECT_EQ(DiffWords("Plan – mål\n", "Plan — mål\n"),
              (Lines{Changed({Same("Plan "), Removed("–"), Added("—"), Same(" mål")})}));
    EXPECT_EQ(DiffWords("Läs § 3 i planen\n", "Läs § 4 i planen\n"),
              (Lines{Changed({Same("Läs § "), Removed("3"), Added("4"), Same(" i planen")})}));
}

TEST(WordDiff, FoldsSpacesBetweenChangedWordsIntoOneChange) {
    EXPECT_EQ(DiffWords("Nämnden ska besluta om taxan.\n", "Nämnden får yttra sig om taxan.\n"),
              (Lines{Changed({Same("Nämnden "), Removed("ska besluta"), Added("får yttra sig"),
                              Same(" om taxan.")})}));
}

TEST(WordDiff, ShowsLinesSharingNoWordAsReplacedWhole) {
    EXPECT_EQ(DiffWords("Gammal text här.\n", "Helt annat innehåll.\n"),
              (Lines{Changed({Removed("Gammal text här."), Added("Helt annat innehåll.")})}));
}

TEST(WordDiff, PairsRemovedAndAddedLinesInOrder) {
    EXPECT_EQ(DiffWords("Punkt ett gäller.\nPunkt två gäller.\nPunkt tre gäller.\n",
                        "Punkt ett gäller inte.\nPunkt fyra gäller.\n"),
              (Lines{Changed({Same("Punkt ett gäller"), Added(" inte"), Same(".")}),
                     Changed({Same("Punkt "), Removed("två"), Added("fyra"), Same(" gäller.")}),
                     RemovedLine("Punkt tre gäller.")}));
    EXPECT_EQ(DiffWords("Rad a\n", "Rad b\nRad c\n"),
              (Lines{Changed({Same("Rad "), Removed("a"), Added("b")}), AddedLine("Rad c")}));
}

TEST(WordDiff, HandlesTextsWithoutFinalLineBreakAndCrlf) {
    EXPECT_EQ(
        DiffWords("Första\r\nandra rad\r\n", "Första\nandra raden"),
        (Lines{Context("Första"), Changed({Same("andra "), Removed("rad"), Added("raden")})}));
}

std::string Numbered(int count, const std::vector<std::pair<int, std::string>>& changes = {}) {
    std::string text;
    for (int i = 1; i <= count; ++i) {
        std::string line = "rad " + std::to_string(i);
        for (const auto& [number, replacement] : changes) {
            if (number == i) line = replacement;
        }
        text += line + "\n";
    }
    return text;
}

TEST(WordDiff, LeavesAGapBetweenDistantHunks) {
    Lines lines = DiffWords(Numbered(20), Numbered(20, {{2, "rad två"}, {18, "rad arton"}}));
    EXPECT_EQ(lines, (Lines{Context("rad 1"), Changed({Same("rad "), Removed("2"), Added("två")}),
                            Context("rad 3"), Context("rad 4"), Context("rad 5"), Gap(),
                            Context("rad 15"), Context("rad 16"), Context("rad 17"),
                            Changed({Same("rad "), Removed("18"), Added("arton")}),
                            Context("rad 19"), Context("rad 20")}));
}

TEST(WordDiff, KeepsHunksTogetherWhenTheirContextsMeet) {
    // Six unchanged lines between the changes: three of context for each.
    Lines lines = DiffWords(Numbered(20), Numbered(20, {{2, "rad två"}, {9, "rad nio"}}));
    ASSERT_EQ(lines.size(), 1u + 1 + 6 + 1 + 3);
    for (const DiffLine& line : lines) EXPECT_NE(line.kind, LineKind::kGap);
}

TEST(WordDiff, ContextZeroShowsOnlyTheChanges) {
    EXPECT_EQ(
        DiffWords(Numbered(5), Numbered(5, {{2, "rad två"}, {3, "rad tre"}, {5, "rad fem"}}), 0),
        (Lines{Changed({Same("rad "), Removed("2"), Added("två")}),
               Changed({Same("rad "), Removed("3"), Added("tre")}), Gap(),
               Changed({Same("rad "), Removed("5"), Added("fem")})}));
}

TEST(WordDiff, RebuildsBothTextsFromTheLines) {
    struct Case {
        const char* before;
        const char* after;
    };
    for (const Case& c : std::vector<Case>{
             {"", "Ny rad\n"},
             {"a\nb\nc\n", "a\nc\n"},
             {"Första stycket.\n\nAndra stycket om miljö.\n",
              "Första stycket, ändrat.\n\nAndra stycket om arbetsmiljö och hälsa.\nTredje.\n"},
             {"x\r\ny\r\n", "x\nz"},
             {"ett två tre\nfyra\n", "tre två ett\nfyra\nfem"},
             {"– punkt ett\n– punkt två\n", "• punkt ett\n• punkt 2\n"},
             {"  indrag\tmed tabb \n", " indrag med\ttabb\n"},
             {"ogiltig \xff\xfe byte\n", "ogiltig \xc3 byte\n"},
         }) {
        SCOPED_TRACE(std::string(c.before) + " → " + c.after);
        ExpectRebuilds(c.before, c.after);
    }
}

TEST(WordDiff, RebuildsRandomEditsOfSwedishText) {
    const std::vector<std::string> words = {"kommunen", "ska", "är", "ö",  "miljö", "åtgärd",
                                            ",",        ".",   " ",  "  ", "§",     "–"};
    std::mt19937 random(20261123);
    auto pick = [&](std::size_t n) {
        return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
    };
    for (int round = 0; round < 100; ++round) {
        std::vector<std::string> lines;
        for (std::size_t i = pick(12); i > 0; --i) {
            std::string line;
            for (std::size_t w = pick(10); w > 0; --w) line += words[pick(words.size())];
            lines.push_back(line);
        }
        std::vector<std::string> edited = lines;
        for (std::size_t e = pick(5); e > 0; --e) {
            std::size_t at = pick(edited.size() + 1);
            switch (pick(3)) {
                case 0:
                    edited.insert(edited.begin() + static_cast<std::ptrdiff_t>(at), "ny rad");
                    break;
                case 1:
                    if (at < edited.size())
                        edited.erase(edited.begin() + static_cast<std::ptrdiff_t>(at));
                    break;
                default:
                    if (at < edited.size()) edited[at] += words[pick(words.size())];
            }
        }
        std::string before;
        std::string after;
        for (const std::string& line : lines) before += line + "\n";
        for (const std::string& line : edited) after += line + "\n";
        SCOPED_TRACE(before + "→\n" + after);
        ExpectRebuilds(before, after);
    }
}

std::string Words(int count, const std::string& changed_every_other = "") {
    std::string line;
    for (int i = 0; i < count; ++i) {
        if (i > 0) line += ' ';
        line += !changed_every_other.empty() && i % 2 == 0 ? changed_every_other
                                                           : "ord" + std::to_string(i);
    }
    return line;
}

TEST(WordDiff, ComparesALongLineWithOneEditWordByWord) {
    std::string before = Words(5000);
    std::string after = before;
    after.replace(after.find("ord2500"), 7, "ändrat");
    Lines lines = DiffWords(before, after);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].segments.size(), 4u);
    EXPECT_EQ(lines[0].segments[1], Removed("ord2500"));
    EXPECT_EQ(lines[0].segments[2], Added("ändrat"));
}

TEST(WordDiff, ShowsALongLineChangedThroughoutAsReplacedWhole) {
    std::string before = Words(5000);
    std::string after = Words(5000, "nytt");
    EXPECT_EQ(DiffWords(before, after), (Lines{Changed({Removed(before), Added(after)})}));
}

TEST(WordDiff, StopsComparingWordsWhenItsBudgetIsSpent) {
    // Each pair differs in two words; the per-call budget covers the first 25 000 pairs.
    std::string before;
    std::string after;
    for (int i = 0; i < 30000; ++i) {
        before += "punkt " + std::to_string(i) + " gäller\n";
        after += "punkt " + std::to_string(i) + " gällde\n";
    }
    Lines lines = DiffWords(before, after);
    ASSERT_EQ(lines.size(), 30000u);
    EXPECT_EQ(lines.front(), Changed({Same("punkt 0 "), Removed("gäller"), Added("gällde")}));
    EXPECT_EQ(lines.back(), Changed({Removed("punkt 29999 gäller"), Added("punkt 29999 gällde")}));
}

TEST(WordDiff, BoundsTheWorkOnLongTextsChangedThroughout) {
    // 30 000 lines against the same lines in another order: finding a minimal edit script
    // would take billions of steps.
    std::string before;
    std::string after;
    for (int i = 0; i < 30000; ++i) {
        before += "rad " + std::to_string(i) + "\n";
        after += "rad " + std::to_string((i * 7919) % 30000) + "\n";
    }
    auto start = std::chrono::steady_clock::now();
    Lines lines = DiffWords(before, after, static_cast<std::size_t>(-1));
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 10.0);
    EXPECT_EQ(Rebuilt(lines, true), before);
    EXPECT_EQ(Rebuilt(lines, false), after);
}

TEST(WordDiff, ComparesALongTextThatGainedManyNewLinesExactly) {
    // Two hundred lines, every other edited, with 60 000 new lines among them (a stored
    // Markdown bomb against the version before it): the unchanged lines stay context
    // instead of the whole text coming out removed and added.
    std::string before;
    std::string after;
    for (int i = 0; i < 200; ++i) {
        before += "Stycke " + std::to_string(i) + " om arbetsmiljön.\n";
        after +=
            "Stycke " + std::to_string(i) + (i % 2 == 0 ? " om miljön.\n" : " om arbetsmiljön.\n");
        if (i == 100) {
            for (int k = 0; k < 60000; ++k) after += "| x |\n";
        }
    }
    const auto start = std::chrono::steady_clock::now();
    Lines lines = DiffWords(before, after, static_cast<std::size_t>(-1));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 5.0);
    std::map<LineKind, std::size_t> kinds;
    for (const DiffLine& line : lines) ++kinds[line.kind];
    EXPECT_EQ(kinds[LineKind::kChanged], 100u);
    EXPECT_EQ(kinds[LineKind::kAdded], 60000u);
    EXPECT_EQ(kinds[LineKind::kRemoved], 0u);
    EXPECT_EQ(kinds[LineKind::kContext], 100u);
    EXPECT_EQ(Rebuilt(lines, true), before);
    EXPECT_EQ(Rebuilt(lines, false), after);
}

TEST(WordDiff, CutsADiffShortAtItsLimitsAndCountsWhatItLeftOut) {
    const std::string before = Numbered(400);
    std::vector<std::pair<int, std::string>> changes;
    for (int i = 1; i <= 400; i += 2) changes.emplace_back(i, "rad nummer " + std::to_string(i));
    const std::string after = Numbered(400, changes) + "sista raden\n";
    const Lines whole = DiffWords(before, after);
    ASSERT_EQ(whole.size(), 401u);
    struct Case {
        const char* name;
        DiffLimits limits;
        std::size_t kept;
    };
    constexpr std::size_t kAll = static_cast<std::size_t>(-1);
    const std::size_t segments_of_first_two = whole[0].segments.size() + whole[1].segments.size();
    std::size_t bytes_of_first_three = 0;
    for (std::size_t k = 0; k < 3; ++k) {
        for (const DiffSegment& segment : whole[k].segments)
            bytes_of_first_three += segment.text.size();
    }
    for (const Case& c : std::vector<Case>{
             {"no limits", {}, 401},
             {"lines", {10, kAll, kAll}, 10},
             {"no lines", {0, kAll, kAll}, 0},
             {"segments", {kAll, segments_of_first_two, kAll}, 2},
             {"segments, one short", {kAll, segments_of_first_two - 1, kAll}, 1},
             {"bytes", {kAll, kAll, bytes_of_first_three}, 3},
             {"bytes, one short", {kAll, kAll, bytes_of_first_three - 1}, 2},
             {"all that is there", {401, kAll, kAll}, 401},
         }) {
        SCOPED_TRACE(c.name);
        const WordDiff cut = DiffWordsWithin(before, after, c.limits);
        EXPECT_EQ(cut.lines,
                  Lines(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(c.kept)));
        EXPECT_EQ(cut.lines_left_out, whole.size() - c.kept);
    }
}

TEST(WordDiff, CountsTheLinesLeftOutOfEveryKind) {
    // Context, gaps, changed, removed and added lines past the cut are all counted.
    const std::string before = Numbered(30) + "gammal a\ngammal b\n";
    const std::string after = Numbered(30, {{2, "rad två"}, {20, "rad tjugo"}}) + "ny\n";
    const Lines whole = DiffWords(before, after);
    for (std::size_t kept = 0; kept <= whole.size(); ++kept) {
        SCOPED_TRACE(kept);
        const WordDiff cut = DiffWordsWithin(
            before, after, {kept, static_cast<std::size_t>(-1), static_cast<std::size_t>(-1)});
        EXPECT_EQ(cut.lines.size(), kept);
        EXPECT_EQ(cut.lines.size() + cut.lines_left_out, whole.size());
    }
}

}  // namespace
}  // namespace styrdok::store
