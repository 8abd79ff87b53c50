#include "markdown_text.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "styrdok/testing/measure.hpp"

namespace styrdok::indexer::detail {
namespace {

// Time limits are for the optimised build (testing::kSanitizerSlowdown scales them).
constexpr double kSlower = styrdok::testing::kSanitizerSlowdown;

std::string Repeat(std::string_view unit, std::size_t times) {
    std::string out;
    out.reserve(unit.size() * times);
    for (std::size_t i = 0; i < times; ++i) out += unit;
    return out;
}

TEST(MarkdownToText, KeepsLinkTextsAndDropsTagsAndTargets) {
    EXPECT_EQ(MarkdownToText("Se [lagen](https://lagen.nu) och <b>fet</b> <https://exempelby.se>."),
              "Se lagen och  fet  https://exempelby.se.");
    EXPECT_EQ(MarkdownToText("a <b c ](d e) f"), "a <b c  f");
    EXPECT_EQ(MarkdownToText("[utan mål](ingen slutparentes"), "utan mål(ingen slutparentes");
}

// A line of unclosed tags or link ends was searched from each of them to its end: a megabyte
// of "<a" took minutes to index.
TEST(MarkdownToText, ReadsALineOfUnclosedTagsAndLinksInLinearTime) {
    for (const std::string_view unit : {"<a", "](", "<http", "]( <a "}) {
        SCOPED_TRACE(unit);
        const std::string line = Repeat(unit, (1 << 20) / unit.size());
        const auto start = std::chrono::steady_clock::now();
        const std::string text = MarkdownToText(line);
        EXPECT_LT(std::chrono::steady_clock::now() - start,
                  std::chrono::milliseconds(static_cast<int>(500 * kSlower)));
        EXPECT_FALSE(text.empty());
    }
}

}  // namespace
}  // namespace styrdok::indexer::detail
