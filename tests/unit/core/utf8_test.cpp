#include "styrdok/core/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

#include "styrdok/core/error.hpp"

namespace styrdok::core {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
    for (const std::string& text : {
             std::string(""), std::string("Kommunfullmäktige"), std::string("§ 139 – ÅÄÖ"),
             std::string("\xF0\x9F\x98\x80"),  // U+1F600
             std::string("\xF4\x8F\xBF\xBF"),  // U+10FFFF, the last code point
             std::string("\xED\x9F\xBF"),      // U+D7FF, just below the surrogates
             std::string("\xEE\x80\x80"),      // U+E000, just above them
             std::string("\xC2\x80"),          // U+0080, the shortest two-byte form
             std::string("\xE0\xA0\x80"),      // U+0800
             std::string("\xF0\x90\x80\x80"),  // U+10000
             std::string("a\0b", 3),           // NUL is a character
         }) {
        SCOPED_TRACE(text);
        EXPECT_TRUE(IsValidUtf8(text));
    }
}

TEST(Utf8, RejectsMalformedText) {
    for (const std::string& text : {
             std::string("\x80"),  // stray continuation byte
             std::string("\xBF"),
             std::string("ab\xC3"),            // truncated two-byte sequence
             std::string("\xE2\x82"),          // truncated three-byte sequence
             std::string("\xF0\x9F\x98"),      // truncated four-byte sequence
             std::string("\xC3\x28"),          // bad continuation
             std::string("\xC0\xAF"),          // overlong '/'
             std::string("\xC1\xBF"),          // overlong
             std::string("\xE0\x80\xAF"),      // overlong, three bytes
             std::string("\xE0\x9F\xBF"),      // overlong U+07FF
             std::string("\xF0\x80\x80\xAF"),  // overlong, four bytes
             std::string("\xF0\x8F\xBF\xBF"),  // overlong U+FFFF
             std::string("\xED\xA0\x80"),      // U+D800, a surrogate
             std::string("\xED\xBF\xBF"),      // U+DFFF
             std::string("\xF4\x90\x80\x80"),  // U+110000, beyond Unicode
             std::string("\xF5\x80\x80\x80"),
             std::string("\xFE"),
             std::string("\xFF"),
             std::string("k\xE4nsla"),  // Latin-1 'ä'
         }) {
        SCOPED_TRACE(testing::PrintToString(text));
        EXPECT_FALSE(IsValidUtf8(text));
    }
}

TEST(Utf8, RepairReplacesEachByteThatStartsNoSequence) {
    const struct {
        std::string text, repaired;
    } cases[] = {
        {"Välkommen", "Välkommen"},
        {"k\xE4nsla", "k\xEF\xBF\xBDnsla"},                        // Latin-1 'ä'
        {"ab\xC3", "ab\xEF\xBF\xBD"},                              // cut short at the end
        {"\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},  // a surrogate
        {"\xF0\x9F\x98x", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDx"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(testing::PrintToString(c.text));
        EXPECT_EQ(RepairUtf8(c.text), c.repaired);
        EXPECT_TRUE(IsValidUtf8(RepairUtf8(c.text)));
    }
}

TEST(Utf8, FoldsCaseIncludingSwedishLetters) {
    EXPECT_EQ(FoldCase("ÅÄÖ"), "åäö");
    EXPECT_EQ(FoldCase("Kommunstyrelsen KS"), "kommunstyrelsen ks");
    EXPECT_EQ(FoldCase("åäö"), "åäö");
    EXPECT_EQ(FoldCase(""), "");
}

TEST(Utf8, FoldCaseComposesDecomposedLetters) {
    // "A" followed by COMBINING RING ABOVE folds to the single code point "å".
    EXPECT_EQ(FoldCase("A\xCC\x8A"), "å");
    EXPECT_EQ(FoldCase("Å"), FoldCase("A\xCC\x8A"));
}

TEST(Utf8, FoldCaseThrowsBadInputOnMalformedText) {
    try {
        FoldCase("\xC0\xAF");
        FAIL() << "expected styrdok::Error";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), ErrorCode::kBadInput);
    }
}

TEST(Utf8, TrimsAsciiWhiteSpaceAtBothEnds) {
    EXPECT_EQ(Trim("  KS 2009/50 \t\n"), "KS 2009/50");
    EXPECT_EQ(Trim("inner  space"), "inner  space");
    EXPECT_EQ(Trim(" \r\n\t"), "");
    EXPECT_EQ(Trim(""), "");
    EXPECT_EQ(Trim("x"), "x");
}

}  // namespace
}  // namespace styrdok::core
