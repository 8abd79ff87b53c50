#include "render/html.hpp"

#include <gtest/gtest.h>

#include "render/labels.hpp"
#include "styrdok/indexer/search.hpp"

namespace styrdok::server {
namespace {

TEST(EscapeHtml, EscapesEveryCharacterThatCanBreakOut) {
    EXPECT_EQ(EscapeHtml("<a href=\"x\" title='y'>&</a>"),
              "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
    EXPECT_EQ(EscapeHtml("Miljö – ok"), "Miljö – ok");
}

TEST(SnippetHtml, MarksHitsAndEscapesTheRest) {
    std::string snippet = std::string("…om <b> ") + indexer::kHighlightStart + "miljö" +
                          indexer::kHighlightEnd + " & mer";
    EXPECT_EQ(SnippetHtml(snippet), "…om &lt;b&gt; <mark>miljö</mark> &amp; mer");
}

TEST(SnippetHtml, HandlesMarkersAnywhereAndBytesThatOnlyLookLikeThem) {
    const std::string start = indexer::kHighlightStart;
    const std::string end = indexer::kHighlightEnd;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"", ""},
        {start + "a" + end, "<mark>a</mark>"},
        {start + end + start + "'\"" + end, "<mark></mark><mark>&#39;&quot;</mark>"},
        {"x" + start, "x<mark>"},
        // U+E002 shares the markers' first two bytes; a cut marker is text as it is.
        {"\xee\x80\x82 & \xee\x80", "\xee\x80\x82 &amp; \xee\x80"},
    };
    for (const auto& [snippet, html] : cases) {
        SCOPED_TRACE(snippet);
        EXPECT_EQ(SnippetHtml(snippet), html);
    }
}

TEST(QueryString, EncodesNamesAndValuesAndSkipsEmptyValues) {
    EXPECT_EQ(QueryString({{"q", "miljö & klimat"}, {"page", ""}, {"sort", "-decided_on"}}),
              "?q=milj%C3%B6%20%26%20klimat&sort=-decided_on");
    EXPECT_EQ(QueryString({}), "");
}

TEST(Labels, SayItInSwedish) {
    EXPECT_EQ(HitCountText(0), "Inga träffar");
    EXPECT_EQ(HitCountText(1), "1 träff");
    EXPECT_EQ(HitCountText(23), "23 träffar");
    EXPECT_EQ(HitCountText(12345), "12\u00a0345 träffar");
    EXPECT_EQ(ValidityText("2021-03-01", ""), "Gäller från 2021-03-01 tills vidare");
    EXPECT_EQ(ValidityText("2015-01-01", "2022-12-31"), "Gäller 2015-01-01 – 2022-12-31");
    EXPECT_EQ(ValidityText("", ""), "");
    EXPECT_EQ(StatusLabel("upphävd"), "Upphävd");
}

TEST(Labels, NameBodiesAndGoalAreasByIdOrByNameInAnyCase) {
    const core::Schema schema = core::Schema::Load("schema/default.xml");
    EXPECT_EQ(BodyName(schema, "ks"), "Kommunstyrelsen");
    EXPECT_EQ(BodyName(schema, "KS"), "Kommunstyrelsen");
    EXPECT_EQ(BodyName(schema, "kommunstyrelsen"), "Kommunstyrelsen");
    EXPECT_EQ(BodyName(schema, "okänd"), "okänd");
    EXPECT_EQ(GoalAreaName(schema, "bygga-bo"), "Bygga och bo");
    EXPECT_EQ(GoalAreaName(schema, "BYGGA OCH BO"), "Bygga och bo");
    EXPECT_EQ(GoalAreaName(schema, "okänd"), "okänd");
}

}  // namespace
}  // namespace styrdok::server
