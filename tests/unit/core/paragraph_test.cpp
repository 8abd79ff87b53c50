#include "styrdok/core/paragraph.hpp"

#include <gtest/gtest.h>

#include <string>

namespace styrdok::core {
namespace {

TEST(Paragraph, AcceptsTheWrittenForms) {
    const struct {
        const char* text;
        int number;
    } cases[] = {
        {"§ 139", 139},
        {"§139", 139},
        {"139", 139},
        {"paragraf 139", 139},
        {"Paragraf 139", 139},
        {"PARAGRAF 139", 139},
        {"§§ 139", 139},
        {"  § 139  ", 139},
        {"\t139\n", 139},
        {"§\xC2\xA0"
         "139",
         139},
        {"§ 7", 7},
        {"§ 0139", 139},
        {"paragraf139", 139},
        {"§  12", 12},
        {"99999", 99999},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        EXPECT_EQ(ParseParagraph(c.text), c.number);
    }
}

TEST(Paragraph, RejectsEverythingElse) {
    for (const char* text : {
             "",      " ",        "§",       "§ ",     "paragraf",  "§ 0",         "0",
             "-5",    "+5",       "§ 139a",  "139 §",  "§ 139-140", "§§ 139, 140", "§ 12.3",
             "p 139", "par. 139", "§§§ 139", "100000", "§ 1 39",    "KS 2009/50",  "§ \xC3",
         }) {
        SCOPED_TRACE(text);
        EXPECT_FALSE(ParseParagraph(text));
    }
}

}  // namespace
}  // namespace styrdok::core
