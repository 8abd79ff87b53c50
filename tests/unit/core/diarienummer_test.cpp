#include "styrdok/core/diarienummer.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace styrdok::core {
namespace {

TEST(Diarienummer, ParsesTheSpellingsInUse) {
    const struct {
        const char* text;
        const char* unit;
        int year;
        long serial;
        std::optional<long> sub;
        const char* key;
    } cases[] = {
        {"KS/2009:50", "KS", 2009, 50, std::nullopt, "ks-2009-50"},
        {"KS 2009/0050", "KS", 2009, 50, std::nullopt, "ks-2009-50"},
        {"ks 2009-50", "KS", 2009, 50, std::nullopt, "ks-2009-50"},
        {"KS 2017/00064", "KS", 2017, 64, std::nullopt, "ks-2017-64"},
        {"2019-160", "", 2019, 160, std::nullopt, "2019-160"},
        {"0110/18", "", 2018, 110, std::nullopt, "2018-110"},
        {"KS 2016-254/322", "KS", 2016, 254, 322, "ks-2016-254-322"},
        {"KS.2020.0123", "KS", 2020, 123, std::nullopt, "ks-2020-123"},
        {"BUN 2021/45", "BUN", 2021, 45, std::nullopt, "bun-2021-45"},
        {"KS2009/50", "KS", 2009, 50, std::nullopt, "ks-2009-50"},
        {"KS-2009-50", "KS", 2009, 50, std::nullopt, "ks-2009-50"},
        {"  KS 2009 / 50  ", "KS", 2009, 50, std::nullopt, "ks-2009-50"},
        {"KS 2009 50", "KS", 2009, 50, std::nullopt, "ks-2009-50"},
        {"Dnr KS 2009/50", "KS", 2009, 50, std::nullopt, "ks-2009-50"},
        {"dnr: 2019-160", "", 2019, 160, std::nullopt, "2019-160"},
        {"Diarienummer 0110/18", "", 2018, 110, std::nullopt, "2018-110"},
        {"KS-AU 2019/12", "KSAU", 2019, 12, std::nullopt, "ksau-2019-12"},
        {"MÖN 2022/7", "MÖN", 2022, 7, std::nullopt, "mön-2022-7"},
        {"mön 2022/7", "MÖN", 2022, 7, std::nullopt, "mön-2022-7"},
        {"ÖFN 2023/4", "ÖFN", 2023, 4, std::nullopt, "öfn-2023-4"},
        {"Ålands 2020/1", "ÅLANDS", 2020, 1, std::nullopt, "ålands-2020-1"},
        {"1999/12", "", 1999, 12, std::nullopt, "1999-12"},
        {"SBN 1998.0004.214", "SBN", 1998, 4, 214, "sbn-1998-4-214"},
        {"5/09", "", 2009, 5, std::nullopt, "2009-5"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        const auto dnr = ParseDiarienummer(c.text);
        ASSERT_TRUE(dnr);
        EXPECT_EQ(dnr->original, c.text);
        EXPECT_EQ(dnr->unit, c.unit);
        EXPECT_EQ(dnr->year, c.year);
        EXPECT_EQ(dnr->serial, c.serial);
        EXPECT_EQ(dnr->sub, c.sub);
        EXPECT_EQ(dnr->Key(), c.key);
        EXPECT_EQ(DiarienummerKey(c.text), c.key);
    }
}

TEST(Diarienummer, SpellingsOfOneNumberShareAKey) {
    const std::string key = DiarienummerKey("KS/2009:50");
    EXPECT_EQ(DiarienummerKey("KS 2009/0050"), key);
    EXPECT_EQ(DiarienummerKey("ks 2009-50"), key);
    EXPECT_EQ(DiarienummerKey("0050/09"), "2009-50");
    EXPECT_NE(DiarienummerKey("KS 2009/51"), key);
    EXPECT_NE(DiarienummerKey("BUN 2009/50"), key);
    EXPECT_NE(DiarienummerKey("2009/50"), key);
}

TEST(Diarienummer, RejectsTextItCannotReadWithConfidence) {
    for (const std::string& text : {
             std::string(""),
             std::string("   "),
             std::string("KS"),
             std::string("2019"),
             std::string("KS 160"),
             std::string("18/0110"),         // year first with two digits: ambiguous
             std::string("0110/2018"),       // serial first with a four-digit year
             std::string("0110/18/3"),       // a sub-number after serial/yy
             std::string("KS 2009/50 rev"),  // trailing text
             std::string("KS 2009//50"),
             std::string("KS 2009/"),
             std::string("KS 2009/0"),      // serial 0
             std::string("KS 2016-254/0"),  // sub-number 0
             std::string("KS 2009/50/1/2"),
             std::string("KS 2009/1234567890"),  // serial beyond nine digits
             std::string("Beslut om policy 2019/5"),
             std::string("A B C D 2019/5"),  // more than three unit groups
             std::string("KS  AU 2019/5"),
             std::string("§ 139"),
             std::string("KS 2009/50\xC3"),  // broken UTF-8
             std::string("KS 2009\t50"),
         }) {
        SCOPED_TRACE(testing::PrintToString(text));
        EXPECT_FALSE(ParseDiarienummer(text));
    }
}

TEST(Diarienummer, UnparseableTextIsItsOwnKey) {
    EXPECT_EQ(DiarienummerKey("  Ärende 12 A  "), "ärende 12 a");
    EXPECT_EQ(DiarienummerKey("18/0110"), "18/0110");
    EXPECT_EQ(DiarienummerKey("KS 2009/50 REV"), "ks 2009/50 rev");
    EXPECT_NE(DiarienummerKey("KS 2009/50 rev"), DiarienummerKey("KS 2009/50"));
    EXPECT_EQ(DiarienummerKey(""), "");
}

TEST(Diarienummer, KeepsBrokenUtf8VerbatimInTheKey) {
    EXPECT_EQ(DiarienummerKey(" KS\xFF "), "KS\xFF");
}

TEST(Diarienummer, KeysUseOnlyLowerCaseLettersDigitsAndDashes) {
    const struct {
        const char* text;
        const char* key;
    } cases[] = {
        {"KS/2009:50", "ks-2009-50"},           {"MÖN 2022/7", "mön-2022-7"},
        {"ÅÄÖ 2022/7", "åäö-2022-7"},           {"åäö 2022/7", "åäö-2022-7"},
        {"KS 2016-254/322", "ks-2016-254-322"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        EXPECT_EQ(DiarienummerKey(c.text), c.key);
    }
}

// DOMAIN.md: Å, Ä and Ö are letters of their own, so ÄN is not AN.
TEST(Diarienummer, KeepsSwedishLettersApartFromTheirBases) {
    const struct {
        const char* text;
        const char* other;
    } cases[] = {
        {"ÄN 2022/7", "AN 2022/7"},   {"ÅN 2022/7", "AN 2022/7"},   {"ÅN 2022/7", "ÄN 2022/7"},
        {"ÖFN 2023/4", "OFN 2023/4"}, {"MÖN 2022/7", "MON 2022/7"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.text) + " / " + c.other);
        EXPECT_NE(DiarienummerKey(c.text, DnrStyle::kYearSerial, 2025),
                  DiarienummerKey(c.other, DnrStyle::kYearSerial, 2025));
    }
    EXPECT_EQ(DiarienummerKey("än 2022/7", DnrStyle::kYearSerial, 2025),
              DiarienummerKey("ÄN 2022-07", DnrStyle::kYearSerial, 2025));
}

TEST(Diarienummer, ReadsATwoDigitYearAsTheLatestNotAfterTheReference) {
    const struct {
        const char* text;
        int reference_year;
        int year;
    } cases[] = {
        {"0110/98", 2025, 1998}, {"0110/19", 2025, 2019}, {"0110/25", 2025, 2025},
        {"0110/26", 2025, 1926}, {"0110/00", 2025, 2000}, {"0110/99", 2025, 1999},
        {"0110/99", 2099, 2099}, {"0110/00", 2099, 2000}, {"0110/00", 2100, 2100},
        {"0110/09", 2008, 1909}, {"0110/09", 2009, 2009}, {"KS 0110/98", 1998, 1998},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.text) + " in " + std::to_string(c.reference_year));
        const auto dnr = ParseDiarienummer(c.text, DnrStyle::kYearSerial, c.reference_year);
        ASSERT_TRUE(dnr);
        EXPECT_EQ(dnr->year, c.year);
        EXPECT_EQ(dnr->serial, 110);
    }
    // A four-digit year is never moved.
    EXPECT_EQ(ParseDiarienummer("KS 2030/5", DnrStyle::kYearSerial, 2025)->year, 2030);
}

TEST(Diarienummer, StyleSaysWhetherFourDigitsThenTwoIsSerialOrYear) {
    const struct {
        const char* text;
        DnrStyle style;
        int year;
        long serial;
        std::optional<long> sub;
    } cases[] = {
        {"2019/17", DnrStyle::kYearSerial, 2019, 17, std::nullopt},
        {"2019/17", DnrStyle::kSerialYear, 2017, 2019, std::nullopt},
        {"0017/19", DnrStyle::kYearSerial, 2019, 17, std::nullopt},
        {"0017/19", DnrStyle::kSerialYear, 2019, 17, std::nullopt},
        {"KS/2009:50", DnrStyle::kSerialYear, 1950, 2009, std::nullopt},
        {"KS 2009/0050", DnrStyle::kSerialYear, 2009, 50, std::nullopt},
        {"2019-160", DnrStyle::kSerialYear, 2019, 160, std::nullopt},
        {"KS 2016-254/322", DnrStyle::kSerialYear, 2016, 254, 322},
        {"SBN 1998.04.214", DnrStyle::kSerialYear, 1998, 4, 214},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.text) +
                     (c.style == DnrStyle::kSerialYear ? " serial-year" : " year-serial"));
        const auto dnr = ParseDiarienummer(c.text, c.style, 2025);
        ASSERT_TRUE(dnr);
        EXPECT_EQ(dnr->year, c.year);
        EXPECT_EQ(dnr->serial, c.serial);
        EXPECT_EQ(dnr->sub, c.sub);
    }
    EXPECT_NE(DiarienummerKey("2019/17", DnrStyle::kSerialYear, 2025),
              DiarienummerKey("0017/19", DnrStyle::kSerialYear, 2025));
    EXPECT_EQ(DiarienummerKey("KS 2019/17", DnrStyle::kSerialYear, 2025), "ks-2017-2019");
}

TEST(Diarienummer, ShortFormsReadWithThisYear) {
    // The one-argument forms are the year-serial style with the clock's year, which is
    // after 2019 on any machine that runs this.
    EXPECT_EQ(DiarienummerKey("0110/98"), "1998-110");
    EXPECT_EQ(DiarienummerKey("0110/19"), "2019-110");
    EXPECT_EQ(ParseDiarienummer("2019/17")->year, 2019);
}

TEST(Diarienummer, SurvivesArbitraryBytes) {
    // A cheap stand-in for the fuzz target: every byte string of length 1-3 over a
    // mixed alphabet either parses into a consistent key or is its own key.
    const std::string alphabet = std::string("K0/9- .:\xC3\x96\xFF", 11);
    for (char a : alphabet) {
        for (char b : alphabet) {
            for (char c : alphabet) {
                const std::string text{a, b, c};
                if (const auto dnr = ParseDiarienummer(text)) {
                    EXPECT_GT(dnr->serial, 0);
                }
                DiarienummerKey(text);
            }
        }
    }
}

}  // namespace
}  // namespace styrdok::core
