#include "render/markdown.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "styrdok/core/metadata_xml.hpp"
#include "styrdok/core/text_limits.hpp"
#include "styrdok/core/utf8.hpp"
#include "styrdok/testing/measure.hpp"

namespace styrdok::server {
namespace {

// Time limits are for the optimised build (testing::kSanitizerSlowdown scales them).
constexpr double kSlower = styrdok::testing::kSanitizerSlowdown;

bool Contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

std::string Repeat(std::string_view unit, std::size_t times) {
    std::string out;
    out.reserve(unit.size() * times);
    for (std::size_t i = 0; i < times; ++i) out += unit;
    return out;
}

// The attacker's text of issue 15: a table header of 5 000 columns over 400 KB of one-cell
// rows, each of which cmark-gfm pads to the full width (12.9 s and 60 MB of HTML before).
std::string ColumnBomb() {
    return "|" + Repeat(" a |", 5000) + "\n|" + Repeat("---|", 5000) + "\n" +
           Repeat("| x |\n", 60000);
}

double SecondsToRender(std::string_view markdown, std::string& html) {
    const auto start = std::chrono::steady_clock::now();
    html = RenderDocumentBody(markdown, "Titel");
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string ReadFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return std::move(content).str();
}

TEST(RenderMarkdown, RendersGithubTables) {
    std::string html = RenderMarkdown("| Taxa | Kronor |\n|---|---|\n| Tömning | 1 200 |\n");
    EXPECT_TRUE(Contains(html, "<table>")) << html;
    EXPECT_TRUE(Contains(html, "<td>Tömning</td>")) << html;
}

TEST(RenderMarkdown, NeverPassesRawHtmlOrScriptLinksThrough) {
    struct Case {
        const char* markdown;
        const char* forbidden;
    };
    for (const Case& c : {Case{"<script>alert(1)</script>", "<script"},
                          Case{"Text <img src=x onerror=alert(1)> text", "onerror"},
                          Case{"[klicka](javascript:alert(1))", "javascript:"},
                          Case{"[klicka](JaVaScRiPt:alert(1))", "alert(1)"},
                          Case{"![bild](javascript:alert(1))", "javascript:"},
                          Case{"<iframe src=\"https://example.org\"></iframe>", "<iframe"},
                          Case{"<a href=\"javascript:alert(1)\">x</a>", "javascript:"},
                          Case{"[x](data:text/html;base64,PHNjcmlwdD4=)", "data:text/html"}}) {
        SCOPED_TRACE(c.markdown);
        EXPECT_FALSE(Contains(RenderMarkdown(c.markdown), c.forbidden))
            << RenderMarkdown(c.markdown);
    }
    EXPECT_TRUE(Contains(RenderMarkdown("[Kommunen](https://exempelby.se)"),
                         "href=\"https://exempelby.se\""));
}

// A text committed with git is never checked: its page is UTF-8 all the same (a fuzz finding,
// tests/fuzz/seeds/markdown/crash-invalid-utf8-*).
TEST(RenderDocumentBody, ShowsBrokenUtf8AsReplacementCharacters) {
    const std::string html =
        RenderDocumentBody("# R\xE4tt\n\nL\xF6n och **f\xF6rm\xE5ner**.\n", "Policy f\xF6r l\xF6n");
    EXPECT_TRUE(core::IsValidUtf8(html)) << html;
    EXPECT_NE(html.find("<strong>f\xEF\xBF\xBDrm\xEF\xBF\xBDner</strong>"), std::string::npos)
        << html;
    EXPECT_TRUE(core::IsValidUtf8(RenderMarkdown("\xFF\xFE| a |\n|---|\n| \xC3 |\n")));
}

TEST(RenderDocumentBody, LeavesOutATitleHeadingAndStartsAtH2) {
    std::string html = RenderDocumentBody(
        "# Arbetsmiljöpolicy\n\n## Inledning\n\nText.\n\n### Mål\n", "Arbetsmiljöpolicy");
    EXPECT_FALSE(Contains(html, "<h1")) << html;
    EXPECT_FALSE(Contains(html, "Arbetsmiljöpolicy</h")) << html;
    EXPECT_TRUE(Contains(html, "<h3>Inledning</h3>")) << html;
    EXPECT_TRUE(Contains(html, "<h4>Mål</h4>")) << html;
}

TEST(RenderDocumentBody, KeepsAFirstHeadingThatIsNotTheTitle) {
    std::string html = RenderDocumentBody("# Bakgrund\n\n###### Djupt\n", "Arbetsmiljöpolicy");
    EXPECT_TRUE(Contains(html, "<h2>Bakgrund</h2>")) << html;
    EXPECT_TRUE(Contains(html, "<h6>Djupt</h6>")) << html;
}

TEST(RenderDocumentBody, WrapsTablesInAScrollableRegion) {
    std::string html = RenderDocumentBody("| a | b |\n|---|---|\n| 1 | 2 |\n", "T");
    EXPECT_TRUE(Contains(html, "<div class=\"tabell-behallare\" role=\"region\" tabindex=\"0\""))
        << html;
    EXPECT_TRUE(Contains(html, "</table></div>")) << html;
}

TEST(RenderMarkdown, ReplacesBrokenUtf8) {
    std::string html = RenderMarkdown("Trasig \xff\xfe text");
    EXPECT_TRUE(Contains(html, "Trasig"));
    EXPECT_FALSE(Contains(html, "\xff"));
}

// The renderer's output for every text of the sample corpus, as it was before the limits on
// rendering came: ordinary texts must render byte for byte as they did. The expected pages are
// in tests/fixtures/rendered-corpus; STYRDOK_UPDATE_GOLDEN=1 writes them anew after a change
// that is meant to alter them.
TEST(RenderDocumentBody, RendersEveryCorpusTextAsBefore) {
    const std::filesystem::path corpus = "corpus";
    const std::filesystem::path golden = "tests/fixtures/rendered-corpus";
    const bool update = std::getenv("STYRDOK_UPDATE_GOLDEN") != nullptr;
    int texts = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(corpus)) {
        if (entry.path().filename() != "text.md") continue;
        const std::filesystem::path folder = entry.path().parent_path();
        const std::filesystem::path relative = std::filesystem::relative(folder, corpus);
        SCOPED_TRACE(relative.string());
        const core::MetadataParseResult metadata =
            core::ParseMetadataXml(ReadFile(folder / "metadata.xml"));
        const std::string html =
            RenderDocumentBody(ReadFile(entry.path()), metadata.metadata.title);
        const std::filesystem::path expected = golden / relative / "body.html";
        if (update) {
            std::filesystem::create_directories(expected.parent_path());
            std::ofstream(expected, std::ios::binary) << html;
        }
        ASSERT_TRUE(std::filesystem::exists(expected));
        EXPECT_EQ(html, ReadFile(expected));
        ++texts;
    }
    EXPECT_GE(texts, 70);
}

TEST(RenderDocumentBody, ShowsATableOfFiveThousandColumnsAsTextWithinBounds) {
    const std::string bomb = "Inledning med *betoning*.\n\n" + ColumnBomb() + "\nAvslutning.\n";
    ASSERT_GT(bomb.size(), 400'000u);
    std::string html;
    const double seconds = SecondsToRender(bomb, html);
    EXPECT_LT(seconds, 3.0 * kSlower);
    EXPECT_LT(html.size(), 2u << 20);
    EXPECT_FALSE(Contains(html, "<table")) << html.substr(0, 300);
    EXPECT_TRUE(Contains(html, "<p>Inledning med <em>betoning</em>.</p>")) << html.substr(0, 300);
    EXPECT_TRUE(Contains(html,
                         "<p class=\"notis\">Tabellen visas som text. Texten har en tabell med "
                         "5\u00a0000 kolumner på rad 3; högst 64 går att visa.</p>\n<pre><code>| "
                         "a | a |"))
        << html.substr(0, 300);
    EXPECT_TRUE(Contains(html, "| x |\n</code></pre>\n<p>Avslutning.</p>"));
}

TEST(RenderDocumentBody, ShowsTheTablesPastTheCellsAllowedAsText) {
    const std::string table = "|" + Repeat(" a |", 40) + "\n|" + Repeat("---|", 40) + "\n" +
                              Repeat("|" + Repeat(" x |", 40) + "\n", 799);
    // 32 000 cells fit, a second table of as many does not; a third, small one does again.
    const std::string html =
        RenderDocumentBody(table + "\n" + table + "\n| liten |\n|---|\n| 1 |\n", "T");
    EXPECT_EQ(html.find("<table>"), html.rfind("<table>", html.size() - 400)) << "two tables";
    EXPECT_TRUE(Contains(html,
                         "Texten har tabeller med sammanlagt 64\u00a0000 celler; högst "
                         "50\u00a0000 går att visa."));
    EXPECT_TRUE(Contains(html, "<td>1</td>"));
}

TEST(RenderDocumentBody, ShowsATableInABlockQuoteAsTextInsideTheQuote) {
    const std::string html = RenderDocumentBody(
        "> Före\n>\n> | a | b |\n> " + Repeat("|---", 70) + "|\n> | 1 | 2 |\n>\n> Efter\n", "T");
    EXPECT_TRUE(Contains(html, "<blockquote>\n<p>Före</p>\n<p class=\"notis\">")) << html;
    EXPECT_TRUE(Contains(html, "<pre><code>| a | b |\n")) << html;
    EXPECT_TRUE(Contains(html, "</code></pre>\n<p>Efter</p>\n</blockquote>")) << html;
}

// Each input that is quadratic in cmark-gfm 0.29.0.gfm.6 renders, at a size that took it
// seconds or minutes, quickly and as preformatted text with a notice saying why.
TEST(RenderDocumentBody, RendersEveryQuadraticPatternQuicklyAsPlainText) {
    struct Case {
        const char* name;
        std::string markdown;
    };
    const Case cases[] = {
        {"processing instructions", "a" + Repeat("<?", 80000)},
        {"CDATA", "a" + Repeat("<![CDATA[", 80000)},
        {"block quotes and emphasis", Repeat(">", 20000) + Repeat("a*", 20000)},
        {"list markers and blank lines", Repeat(" -", 20000) + "x" + Repeat("\n", 20000)},
        {"heading as plain text", "# " + Repeat("_", 80000) + "." + Repeat("_", 80000)},
        {"images and links", Repeat("![[]()", 80000)},
        {"mismatched emphasis", Repeat("*a ", 80000) + Repeat("_a*_ ", 80000)},
        {"strikethrough", Repeat("~~a ", 80000) + Repeat("a~ ", 80000)},
        {"smart quotes", Repeat("'\"", 80000)},
        {"double quotes", Repeat("\"", 80000)},
        {"autolinks cut by <", Repeat("http://a<", 80000)},
        {"a row of 20 000 cells", "|a|\n|-|\n" + Repeat("|", 80000) + "\n"},
        {"link references", "[a]: /" + std::string(100000, 'x') + "\n\n" + Repeat("[a] ", 8000)},
        {"a megabyte of entities", Repeat("&a\n\n", 250000)},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        std::string html;
        const double seconds = SecondsToRender(c.markdown, html);
        EXPECT_LT(seconds, 1.5 * kSlower);
        EXPECT_LT(html.size(), 8u << 20);
        // The whole text as plain text, or the table as text.
        EXPECT_TRUE(html.starts_with("<p class=\"notis\">Texten visas här som oformaterad text.") ||
                    html.starts_with("<p class=\"notis\">Tabellen visas som text."))
            << html.substr(0, 200);
        EXPECT_TRUE(Contains(html, "<pre>")) << html.substr(0, 200);
    }
}

TEST(RenderDocumentBody, ShowsTheBeginningOfATextLongerThanAMegabyte) {
    const std::string text = Repeat("Ett stycke text.\n\n", 100000);
    ASSERT_GT(text.size(), 1u << 20);
    const std::string html = RenderDocumentBody(text, "T");
    EXPECT_TRUE(
        html.starts_with("<p class=\"notis\">Texten är för lång för att visas i sin "
                         "helhet. Här visas bara början av den.</p>\n<p>Ett stycke"))
        << html.substr(0, 200);
    EXPECT_LT(html.size(), text.size());
}

// What may be saved renders formatted: nearly a megabyte of dense but ordinary Markdown is
// within every limit and shown as written, not as plain text.
TEST(RenderDocumentBody, RendersATextWithinTheLimitsFormatted) {
    const std::string section =
        "## Avsnitt\n\nEtt *ord* och **två** [länk](https://exempelby.se/a \"Titel\") med "
        "`kod`, ~~struket~~ och \"citat\": www.exempelby.se.\n\n"
        "- punkt med *betoning*\n  - djupare [länk][ref]\n\n> Citat med **fetstil**\n\n"
        "| Avgift | Kronor |\n|:---|---:|\n| Tömning | 1 200 |\n| Hämtning | 300 |\n\n";
    const std::string text =
        "[ref]: https://exempelby.se/ref\n\n" + Repeat(section, (950u << 10) / section.size());
    ASSERT_TRUE(core::TextProblems(text).empty());
    std::string html;
    EXPECT_LT(SecondsToRender(text, html), 1.0 * kSlower);
    EXPECT_FALSE(Contains(html, "class=\"notis\"")) << html.substr(0, 300);
    EXPECT_TRUE(Contains(html, "<td align=\"right\">1 200</td>"));
    EXPECT_TRUE(Contains(html, "<del>struket</del>"));
}

TEST(RenderDocumentBody, KeepsTheTitleCheckBoundedForAHugeFirstHeading) {
    // Within the markup limits but far longer than the title: not compared, not dropped.
    const std::string heading = "# " + Repeat("_", 3000) + "." + Repeat("_", 3000) + "\n";
    std::string html;
    EXPECT_LT(SecondsToRender(heading, html), 0.5 * kSlower);
    EXPECT_TRUE(html.starts_with("<h2>")) << html.substr(0, 100);
}

// cmark-gfm toggles the inline parser's special characters in a global table while it parses
// (markdown.cpp): rendered from many threads at once, strikethrough, autolinks and tables
// must come out exactly as rendered alone.
TEST(RenderMarkdown, RendersTheSameFromManyThreadsAtOnce) {
    std::vector<std::string> texts;
    for (int i = 0; i < 6; ++i) {
        texts.push_back(Repeat("Stycke " + std::to_string(i) +
                                   " med ~~struket~~, www.exempelby.se, https://exempelby.se/a "
                                   "och info@exempelby.se.\n\n| a | b |\n|---|---|\n| ~~x~~ | "
                                   "www.exempelby.se |\n\n",
                               40 + 10 * i));
    }
    std::vector<std::string> expected;
    for (const std::string& text : texts) expected.push_back(RenderMarkdown(text));
    ASSERT_TRUE(Contains(expected[0], "<del>struket</del>"));
    ASSERT_TRUE(Contains(expected[0], "<a href=\"http://www.exempelby.se\">"));
    ASSERT_TRUE(Contains(expected[0], "<a href=\"mailto:info@exempelby.se\">"));
    std::vector<std::thread> threads;
    std::vector<int> wrong(8, 0);
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 60; ++i) {
                const std::size_t which = static_cast<std::size_t>(t + i) % texts.size();
                if (RenderMarkdown(texts[which]) != expected[which]) ++wrong[t];
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    for (int count : wrong) EXPECT_EQ(count, 0);
}

TEST(MarkdownCache, KeepsNoMoreBytesThanItsLimit) {
    MarkdownCache cache(100, 64 << 10);
    const std::string text = Repeat("Ett stycke om *miljö*.\n\n", 200);  // 6 KB of HTML
    for (int i = 0; i < 50; ++i) {
        const std::string key = "doc@" + std::to_string(i);
        EXPECT_EQ(cache.Render(key, text, "T"), RenderDocumentBody(text, "T"));
        EXPECT_LE(cache.Bytes(), 64u << 10);
    }
    EXPECT_GT(cache.Bytes(), 32u << 10);
    // A page larger than the whole cache is rendered, never kept.
    MarkdownCache small(100, 1 << 10);
    EXPECT_EQ(small.Render("big@1", text, "T"), RenderDocumentBody(text, "T"));
    EXPECT_EQ(small.Bytes(), 0u);
}

TEST(MarkdownCache, GivesTheSameAnswerFromManyThreads) {
    MarkdownCache cache(4);
    std::string expected = RenderDocumentBody("# T\n\nEtt stycke om *miljö*.\n", "T");
    std::vector<std::thread> threads;
    std::vector<int> wrong(8, 0);
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) {
                std::string key = "doc@" + std::to_string(i % 6);
                if (cache.Render(key, "# T\n\nEtt stycke om *miljö*.\n", "T") != expected)
                    ++wrong[t];
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    for (int count : wrong) EXPECT_EQ(count, 0);
}

}  // namespace
}  // namespace styrdok::server
