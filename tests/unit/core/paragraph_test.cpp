#include "styrdok/core/paragraph.hpp"

#include <gtest/gtest.h>

#include <string>

namespace styrdok::core {
namespace {

TEST(Paragraph, AcceptsTheWrittenForms) {
    const struct {
        const char* text;
        int number;
        const char* rest;
    } cases[] = {
        {"§ 139", 139, ""},
        {"§139", 139, ""},
        {"139", 139, ""},
        {"paragraf 139", 139, ""},
        {"Paragraf 139", 139, ""},
        {"PARAGRAF 139", 139, ""},
        {"§§ 139", 139, ""},
        {"  § 139  ", 139, ""},
        {"\t139\n", 139, ""},
        {"§\xC2\xA0"
         "139",
         139, ""},
        {"§ 7", 7, ""},
        {"§ 0139", 139, ""},
        {"paragraf139", 139, ""},
        {"§  12", 12, ""},
        {"99999", 99999, ""},
        // Item 3 of paragraph 12, and a paragraph inserted after 45.
        {"§ 12:3", 12, ":3"},
        {"paragraf 12:3", 12, ":3"},
        {"12:3", 12, ":3"},
        {"§ 45 a", 45, "a"},
        {"§ 45a", 45, "a"},
        {"§45 B", 45, "B"},
        {"§ 45\xC2\xA0"
         "a",
         45, "a"},
        {"§§ 45 a ", 45, "a"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        const auto paragraph = ParseParagraph(c.text);
        ASSERT_TRUE(paragraph);
        EXPECT_EQ(paragraph->number, c.number);
        EXPECT_EQ(paragraph->rest, c.rest);
        EXPECT_EQ(paragraph->original, c.text);
    }
}

TEST(Paragraph, RejectsEverythingElse) {
    for (const char* text : {
             "",
             "",
             " ",
             "§",
             "§ ",
             "paragraf",
             "§ 0",
             "0",
             "-5",
             "+5",
             "139 §",
             "§ 139-140",
             "§§ 139, 140",
             "§ 12.3",
             "p 139",
             "par. 139",
             "§§§ 139",
             "100000",
             "§ 1 39",
             "KS 2009/50",
             "§ \xC3",
             "§ 12:",
             "§ 12:3a",
             "§ 12 :3",
             "§ 12: 3",
             "§ 45 ab",
             "§ 45 a b",
             "§ 45 -",
             "§ 45 \xC3\xA5",
             "§ 12:123456",
             "§ :3",
         }) {
        SCOPED_TRACE(text);
        EXPECT_FALSE(ParseParagraph(text));
    }
}

}  // namespace
}  // namespace styrdok::core
