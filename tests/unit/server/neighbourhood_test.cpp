#include "render/neighbourhood.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace styrdok::server {
namespace {

std::size_t Count(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
        ++n;
    }
    return n;
}

GraphDocument Doc(const std::string& id) { return {id, "Dokument " + id}; }

TEST(NeighbourhoodSvg, IsEmptyForADocumentWithoutRelations) {
    EXPECT_EQ(NeighbourhoodSvg({Doc("a"), {}, {}, {}, {}}), "");
}

TEST(NeighbourhoodSvg, DrawsEachRelationWithALinkAndSaysItInWords) {
    Neighbourhood graph;
    graph.centre = {"kp", "Kommunprogram <2023>"};
    graph.implements = {{{"vision", "Vision"}, {}}};
    graph.implemented_by = {{{"vp", "Verksamhetsplan"}, {{"rutin", "Rutin"}}}};
    graph.replaces = {{"kp-old", "Kommunprogram 2019"}};
    graph.replaced_by = {{"kp-new", "Kommunprogram 2027"}};
    const std::string svg = NeighbourhoodSvg(graph);
    EXPECT_EQ(svg.rfind("<svg class=\"grannskap-svg\" role=\"group\"", 0), 0u) << svg;
    EXPECT_NE(svg.find("<title id=\"grannskap-titel\">Dokumentets kopplingar: Kommunprogram "
                       "&lt;2023&gt;</title>"),
              std::string::npos);
    EXPECT_NE(svg.find("<desc id=\"grannskap-beskrivning\">Kommunprogram &lt;2023&gt; genomför "
                       "Vision. Verksamhetsplan genomför Kommunprogram &lt;2023&gt;. Rutin "
                       "genomför Verksamhetsplan. Kommunprogram &lt;2023&gt; ersätter "
                       "Kommunprogram 2019. Kommunprogram 2027 ersätter Kommunprogram "
                       "&lt;2023&gt;.</desc>"),
              std::string::npos)
        << svg;
    for (const char* id : {"vision", "vp", "rutin", "kp-old", "kp-new"}) {
        SCOPED_TRACE(id);
        EXPECT_EQ(Count(svg, std::string("href=\"/documents/") + id + "\""), 1u);
    }
    // The centre is no link: the reader is on its page.
    EXPECT_EQ(Count(svg, "href=\"/documents/kp\""), 0u);
    EXPECT_EQ(Count(svg, "<line class=\"grannskap-genomfor\""), 3u);
    EXPECT_EQ(Count(svg, "<line class=\"grannskap-ersatter\""), 2u);
    EXPECT_EQ(Count(svg, "<script"), 0u);
}

TEST(NeighbourhoodSvg, DrawsADocumentReachedTwiceOnce) {
    Neighbourhood graph;
    graph.centre = Doc("vp");
    graph.implements = {{Doc("kp"), {Doc("vision")}}, {Doc("hp"), {Doc("vision")}}};
    const std::string svg = NeighbourhoodSvg(graph);
    EXPECT_EQ(Count(svg, "href=\"/documents/vision\""), 1u);
    EXPECT_EQ(Count(svg, "<line "), 4u);
}

TEST(NeighbourhoodSvg, CapsEachRowAndCountsTheRest) {
    Neighbourhood graph;
    graph.centre = Doc("vision");
    for (int i = 0; i < 40; ++i) {
        GraphBranch branch{Doc("p" + std::to_string(i)), {}};
        for (int j = 0; j < 40; ++j) {
            branch.next.push_back(Doc("v" + std::to_string(i) + "-" + std::to_string(j)));
        }
        graph.implemented_by.push_back(branch);
    }
    for (int i = 0; i < 9; ++i) graph.replaces.push_back(Doc("old" + std::to_string(i)));
    const std::string svg = NeighbourhoodSvg(graph);
    EXPECT_EQ(Count(svg, "<a "), kGraphRowCap * 2 + kGraphSideCap);
    EXPECT_NE(svg.find("och 35 till"), std::string::npos);
    EXPECT_NE(svg.find("och 7 till"), std::string::npos);
    // Five rows' worth of documents down, 40 × 40 - 5 of the second row left out.
    EXPECT_NE(svg.find("och 195 till"), std::string::npos) << svg;
    EXPECT_LT(svg.size(), 20000u);
}

TEST(NeighbourhoodSvg, BreaksLongTitlesOnTwoLines) {
    const struct {
        std::string title;
        std::vector<std::string> lines;
    } cases[] = {
        {"Vision", {"Vision"}},
        {"Program för hållbar utveckling", {"Program för hållbar", "utveckling"}},
        {"Verksamhetsplan med internbudget för socialnämnden",
         {"Verksamhetsplan med", "internbudget för…"}},
        {"Överförmyndarnämndensdelegationsordning", {"Överförmyndarnämnde", "nsdelegationsordni…"}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.title);
        Neighbourhood graph;
        graph.centre = Doc("c");
        graph.implements = {{{"x", c.title}, {}}};
        const std::string svg = NeighbourhoodSvg(graph);
        const std::size_t link = svg.find("href=\"/documents/x\"");
        ASSERT_NE(link, std::string::npos);
        std::vector<std::string> lines;
        for (std::size_t at = svg.find("<tspan", link);
             at != std::string::npos && at < svg.find("</a>", link);
             at = svg.find("<tspan", at + 1)) {
            const std::size_t open = svg.find('>', at) + 1;
            lines.push_back(svg.substr(open, svg.find("</tspan>", open) - open));
        }
        EXPECT_EQ(lines, c.lines);
    }
}

}  // namespace
}  // namespace styrdok::server
