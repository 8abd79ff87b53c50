#include "styrdok/core/text_limits.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "styrdok/testing/measure.hpp"

namespace styrdok::core {
namespace {

// Time limits are for the optimised build (testing::kSanitizerSlowdown scales them).
constexpr double kSlower = styrdok::testing::kSanitizerSlowdown;

std::string Repeat(std::string_view unit, std::size_t times) {
    std::string out;
    out.reserve(unit.size() * times);
    for (std::size_t i = 0; i < times; ++i) out += unit;
    return out;
}

std::optional<TextProblem> ProblemOf(std::string_view text, TextLimit limit) {
    for (const TextProblem& problem : TextProblems(text)) {
        if (problem.limit == limit) return problem;
    }
    return std::nullopt;
}

// "| a | a | … |" with `columns` cells, its delimiter row and `rows` one-cell rows, which the
// renderer pads to the full width.
std::string WideTable(std::size_t columns, std::size_t rows) {
    return "|" + Repeat(" a |", columns) + "\n|" + Repeat("---|", columns) + "\n" +
           Repeat("| x |\n", rows);
}

TEST(TextProblems, FindsNoneInAnyTextOfTheSampleCorpus) {
    int texts = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator("corpus")) {
        if (entry.path().filename() != "text.md") continue;
        SCOPED_TRACE(entry.path().string());
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        EXPECT_EQ(TextProblems(text.str()), std::vector<TextProblem>{});
        ++texts;
    }
    EXPECT_GE(texts, 70);
}

TEST(TextProblems, FindsNoneInOrdinaryMarkdownOfEveryKind) {
    const std::string text =
        "# Riktlinjer för *avfall*\n\n"
        "Kommunen \"ska\" följa lagen (2020:614), se https://exempelby.se och "
        "[lagen](https://lagen.nu/2020:614 \"Lagen\"). Frågor: info@exempelby.se.\n\n"
        "> Citat med **fetstil**\n> > och ett citat i citatet\n\n"
        "1. Första\n   - punkt med `kod`\n     - djupare ~~struken~~\n2. Andra\n\n"
        "| Avgift | Kronor | Från |\n|:---|---:|:---:|\n| Tömning | 1 200 | 2024-01-01 |\n\n"
        "```\nkod med * och _ och <?php\n```\n\n"
        "[Bilaga 1]: https://exempelby.se/bilaga-1.pdf\n\nSe [Bilaga 1] och [bilaga 1].\n";
    EXPECT_EQ(TextProblems(text), std::vector<TextProblem>{});
}

TEST(TextProblems, RefusesTheTableOfFiveThousandColumnsAndNamesIt) {
    const std::string bomb = WideTable(5000, 80);
    const std::optional<TextProblem> columns = ProblemOf(bomb, TextLimit::kTableColumns);
    ASSERT_TRUE(columns);
    EXPECT_EQ(*columns, (TextProblem{TextLimit::kTableColumns, 5000, 64, 1}));
    EXPECT_EQ(SwedishMessage(*columns),
              "Texten har en tabell med 5\u00a0000 kolumner på rad 1; högst 64 går att visa.");
    EXPECT_EQ(EnglishMessage(*columns),
              "a table with 5000 columns at line 1; at most 64 can be shown");
    const std::optional<TextProblem> cells = ProblemOf(bomb, TextLimit::kTableCells);
    ASSERT_TRUE(cells);
    EXPECT_EQ(cells->found, 5000u * 81);
}

TEST(TextProblems, ReportsEachTableWithItsPlaceAndSize) {
    const std::string text = "Inledning\n\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n\nSlut\n";
    const TextScan scan = ScanText(text);
    ASSERT_EQ(scan.tables.size(), 1u);
    const TextTable& table = scan.tables.front();
    EXPECT_EQ(table.line, 3u);
    EXPECT_EQ(table.columns, 2u);
    EXPECT_EQ(table.rows, 2u);
    EXPECT_EQ(text.substr(table.begin, table.end - table.begin),
              "| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n");
}

TEST(TextProblems, CountsTheCellsOfEveryTableAndTheWidestRow) {
    struct Case {
        const char* name;
        std::string text;
        std::optional<TextLimit> limit;
    };
    const Case cases[] = {
        {"64 columns", WideTable(64, 10), std::nullopt},
        {"65 columns", WideTable(65, 10), TextLimit::kTableColumns},
        {"a row of 20 000 cells under one column", "| a |\n|---|\n" + Repeat("|", 20000) + "\n",
         TextLimit::kTableColumns},
        {"64 columns padded down 1 000 rows", WideTable(64, 1000), TextLimit::kTableCells},
        {"many small tables", Repeat(WideTable(10, 99) + "\n", 60), TextLimit::kTableCells},
        {"a delimiter row in a list item", "- x\n\n  " + WideTable(100, 2),
         TextLimit::kTableColumns},
        {"a delimiter row in a block quote", "> a | b\n> " + Repeat("-|", 100) + "\n",
         TextLimit::kTableColumns},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        const std::vector<TextProblem> problems = TextProblems(c.text);
        if (!c.limit) {
            EXPECT_EQ(problems, std::vector<TextProblem>{});
        } else {
            EXPECT_TRUE(ProblemOf(c.text, *c.limit));
        }
    }
}

TEST(TextProblems, RefusesDeepNestingOfQuotesAndLists) {
    struct Case {
        const char* name;
        std::string text;
        std::size_t depth;
    };
    std::string indented;
    for (int level = 0; level < 20; ++level) indented += std::string(2 * level, ' ') + "* a\n";
    const Case cases[] = {
        {"block quotes on one line", Repeat(">", 50000) + " a\n", 50000},
        // The last "-x" is no marker.
        {"list markers on one line (GHSA-66g8 2)", Repeat(" -", 10000) + "x" + Repeat("\n", 100),
         9999},
        {"block quotes and emphasis (GHSA-66g8 1)", Repeat(">", 10000) + Repeat("a*", 10000),
         10000},
        {"lists nested by indentation", indented, 20},
        {"quotes and lists mixed", Repeat("> - ", 9) + "x\n", 18},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        const std::optional<TextProblem> problem = ProblemOf(c.text, TextLimit::kNesting);
        ASSERT_TRUE(problem);
        EXPECT_EQ(problem->found, c.depth);
        EXPECT_EQ(problem->allowed, 16u);
        EXPECT_EQ(problem->line, 1u + (c.depth == 20 ? 19u : 0u));
    }
    EXPECT_FALSE(ProblemOf(Repeat("> ", 16) + "a\n", TextLimit::kNesting));
    EXPECT_FALSE(ProblemOf("- - -\n* * *\n", TextLimit::kNesting));
}

// The inputs that are quadratic in cmark-gfm 0.29.0.gfm.6 with Styrdok's options, as measured
// against Debian's library (docs/operations.md): each at a size the renderer would need
// seconds for is refused, and a modest amount of the same markup is not.
TEST(TextProblems, RefusesEveryQuadraticPatternOfTheRenderer) {
    struct Case {
        const char* name;
        std::string unit;
        std::size_t bomb;    ///< repetitions that take the renderer seconds
        std::size_t modest;  ///< repetitions an ordinary paragraph might hold
        std::string prefix = {};
    };
    const Case cases[] = {
        {"processing instructions <?", "<?", 40000, 100},
        {"CDATA sections <![CDATA[", "<![CDATA[", 20000, 50},
        {"emphasis in a heading, plain text (CVE-2023-26485)", "_", 40000, 100, "# ."},
        {"images and links ![[]()", "![[]()", 20000, 30},
        {"mismatched emphasis *a _a*_ (cmark #389)", "*a _a*_ ", 20000, 50},
        {"strikethrough ~~a a~", "~~a a~ ", 20000, 50},
        {"smart quotes", "'\"", 20000, 100},
        {"double quotes", "\"", 20000, 100},
        {"apostrophes", "'", 20000, 100},
        {"autolinks cut by <", "http://a<", 20000, 20},
        {"www autolinks cut by <", "www.a<", 20000, 20},
        {"e-mail autolinks", "a.b@c<", 20000, 20},
        {"a node for every second byte: dots", ".", 200000, 500},
        {"a node for every second byte: entities", "&a", 200000, 200},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        const std::string bomb = c.prefix + Repeat(c.unit, c.bomb) + "\n";
        const std::optional<TextProblem> problem = ProblemOf(bomb, TextLimit::kMarkup);
        ASSERT_TRUE(problem);
        EXPECT_LT(problem->allowed, problem->found);
        EXPECT_EQ(ProblemOf(c.prefix + Repeat(c.unit, c.modest) + "\n", TextLimit::kMarkup),
                  std::nullopt);
    }
}

TEST(TextProblems, CountsMarkupPerParagraphNotOverTheWholeText) {
    // 400 KB of markup-rich paragraphs, tight list items and table rows: each is parsed on
    // its own, so none of them is a square of the whole.
    const std::string paragraphs =
        Repeat("Ett *stycke* med [länk](https://exempelby.se) och \"citat\".\n\n", 5000);
    const std::string list = Repeat("- *punkt* med `kod` och \"citat\"\n", 5000);
    const std::string numbered = "1. a\n" + Repeat("2. *punkt* med \"citat\"\n", 5000);
    const std::string table =
        "| a | b |\n|---|---|\n" + Repeat("| *x* 2024-01-01 | \"y\" |\n", 5000);
    for (const std::string* text : {&paragraphs, &list, &numbered, &table}) {
        EXPECT_EQ(ProblemOf(*text, TextLimit::kMarkup), std::nullopt) << text->substr(0, 40);
    }
}

TEST(TextProblems, AcceptsAnyLengthOfMarkupThatIsNotMatched) {
    // Dots, colons, dashes and pipes are a node each and are never matched against one
    // another: 800 KB of them in one paragraph is no square.
    const std::string lines = Repeat("Punkt 12: en mening - med kolon, och punkt.\n", 18000);
    EXPECT_EQ(TextProblems(lines), std::vector<TextProblem>{});
}

TEST(TextProblems, DoesNotLetLinesThatCmarkJoinsHideTheirMarkup) {
    // cmark-gfm joins these lines into one paragraph (lazy continuation, numbers that cannot
    // interrupt a paragraph, indented markers, a fence it does not accept, an HTML block
    // before rows), so the scan must count them as one.
    const std::string heavy = Repeat("\"", 400);
    struct Case {
        const char* name;
        std::string text;
    };
    const Case cases[] = {
        {"lazy lines in a block quote", Repeat("> " + heavy + "\nx\n", 100)},
        {"numbers after a paragraph", "Text\n" + Repeat("2. " + heavy + "\n", 100)},
        {"indented markers", "Text\n" + Repeat("    - " + heavy + "\n", 100)},
        {"a fence with a backtick in its info", "``` a`b\n" + Repeat(heavy + "\n", 100)},
        {"rows after a header in a block quote",
         "> a | b\n|---|---|\n" + Repeat("| " + heavy + " |\n", 100)},
        {"rows after a list item", "- a | b\n|---|---|\n" + Repeat("| " + heavy + " |\n", 100)},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        EXPECT_TRUE(ProblemOf(c.text, TextLimit::kMarkup));
    }
}

TEST(TextProblems, RefusesLinkReferencesThatRepeatALongDestination) {
    const std::string destination = std::string(100000, 'x');
    const std::string bomb = "[a]: /" + destination + "\n\n" + Repeat("[a] ", 2000) + "\n";
    const std::optional<TextProblem> problem = ProblemOf(bomb, TextLimit::kPageBytes);
    ASSERT_TRUE(problem);
    EXPECT_GT(problem->found, 200u << 20);
    // The label matches whatever its case and spacing; a title may run over several lines.
    EXPECT_TRUE(ProblemOf("[Foo  Bar]: /" + destination + "\n\n" + Repeat("[foo bar] ", 2000),
                          TextLimit::kPageBytes));
    EXPECT_TRUE(ProblemOf("[a]: /x 'titel\n" + Repeat(std::string(1000, 't') + "\n", 100) +
                              "'\n\n" + Repeat("[a] ", 2000),
                          TextLimit::kPageBytes));
    EXPECT_TRUE(ProblemOf("[a]: /x 'titel \\' som fortsätter\n" +
                              Repeat(std::string(1000, 't') + "\n", 100) + "'\n\n" +
                              Repeat("[a] ", 2000),
                          TextLimit::kPageBytes));
    EXPECT_TRUE(ProblemOf("[foo bar]: /" + destination + "\n\n" + Repeat("[foo\nbar] ", 2000),
                          TextLimit::kPageBytes));
    EXPECT_FALSE(ProblemOf("[a]: /" + std::string(200, 'x') + "\n\n" + Repeat("[a] ", 100),
                           TextLimit::kPageBytes));
}

TEST(TextProblems, RefusesATextLongerThanAMegabyte) {
    const std::string text = Repeat("Ord och mening.\n", (1 << 20) / 16 + 1);
    const std::optional<TextProblem> problem = ProblemOf(text, TextLimit::kBytes);
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->found, text.size());
    EXPECT_EQ(SwedishMessage(*problem), "Texten är 1,1 MB; högst 1 MB går att spara.");
    EXPECT_FALSE(ProblemOf(text.substr(0, 1 << 20), TextLimit::kBytes));
}

TEST(TextProblems, ScansAMegabyteOfAnyKindInLinearTime) {
    const std::string units[] = {
        " -", ">", "- ", "a|", "<?", "[a]", "\"", "\n", "-\n", "  ", "| a |\n|---|\n"};
    for (const std::string& unit : units) {
        SCOPED_TRACE(unit);
        const std::string text = Repeat(unit, (1 << 20) / unit.size());
        const auto start = std::chrono::steady_clock::now();
        (void)ScanText(text);
        EXPECT_LT(std::chrono::steady_clock::now() - start,
                  std::chrono::milliseconds(static_cast<int>(500 * kSlower)));
    }
}

TEST(TextProblems, NeverThrowsForBrokenUtf8) {
    EXPECT_NO_THROW(ScanText("[\xff\xfe]: /x\n\n[\xff\xfe] [\xc3]\n"));
}

}  // namespace
}  // namespace styrdok::core
