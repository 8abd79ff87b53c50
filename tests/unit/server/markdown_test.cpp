#include "render/markdown.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "styrdok/core/metadata_xml.hpp"

namespace styrdok::server {
namespace {

bool Contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
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
