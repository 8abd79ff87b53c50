#include "styrdok/core/schema.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "styrdok/core/error.hpp"
#include "styrdok/core/metadata_xml.hpp"
#include "styrdok/core/validation.hpp"
#include "styrdok/testing/sandbox.hpp"

namespace styrdok::core {
namespace {

// Wraps schema sections in a root; the sections start on line 3.
std::string Schema3(std::string_view sections) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<schema name=\"Test\" version=\"2\">\n" +
           std::string(sections) + "</schema>\n";
}

constexpr std::string_view kBodies =
    "<bodies>\n"
    "  <body id=\"kf\" name=\"Kommunfullmäktige\" abbreviation=\"KF\" level=\"fullmaktige\"/>\n"
    "</bodies>\n";

// The message of the Error that parsing `xml` throws, or "" when it parses.
std::string ErrorOf(std::string_view xml) {
    try {
        Schema::Parse(xml, "test.xml");
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kBadInput);
        return e.what();
    }
    return "";
}

TEST(Schema, ReadsEveryPartOfASmallSchema) {
    Schema s = Schema::Parse(
        Schema3("<doctypes>\n"
                "  <doctype id=\"policy\" label=\"Policy\" plural=\"Policyer\" "
                "category=\"politisk\" review=\"mandate-period\" grace_months=\"12\"/>\n"
                "  <doctype id=\"rutin\" label=\"Rutin\" category=\"administrativ\" "
                "review=\"months\" months=\"24\" public=\"false\"/>\n"
                "  <doctype id=\"taxa\" label=\"Taxa\" category=\"politisk\" review=\"yearly\" "
                "regulation=\"true\"/>\n"
                "  <doctype id=\"vision\" label=\"Vision\" category=\"politisk\" "
                "review=\"within-period\"/>\n"
                "  <doctype id=\"mall\" label=\"Mall\" category=\"administrativ\" "
                "review=\"none\"/>\n"
                "</doctypes>\n"
                "<bodies>\n"
                "  <body id=\"kf\" name=\"Kommunfullmäktige\" abbreviation=\"KF\" "
                "level=\"fullmaktige\" clerk_email=\"kansli@x.se\"/>\n"
                "  <body id=\"ks\" name=\"Kommunstyrelsen\" abbreviation=\"KS\" "
                "level=\"styrelse\"/>\n"
                "  <body id=\"sn\" name=\"Socialnämnden\" level=\"namnd\" "
                "council_period=\"true\"/>\n"
                "  <body id=\"kd\" name=\"Kommundirektören\" level=\"forvaltning\"/>\n"
                "  <body id=\"ab\" name=\"Bolaget AB\" level=\"bolag\"/>\n"
                "</bodies>\n"
                "<goal_areas><goal_area id=\"bygga-bo\" name=\"Bygga och bo\"/></goal_areas>\n"
                "<required_fields><field>dnr</field><field>owner</field></required_fields>\n"
                "<field_labels><label field=\"decided_by\">Beslutad av</label></field_labels>\n"
                "<synonyms>\n"
                "  <group body=\"kf\"><term>fullmäktige</term></group>\n"
                "  <group><term>dnr</term><term>diarienummer</term></group>\n"
                "</synonyms>\n"),
        "test.xml");
    EXPECT_EQ(s.name(), "Test");
    EXPECT_EQ(s.version(), 2);
    ASSERT_EQ(s.doctypes().size(), 5u);

    const DocType* policy = s.FindDocType("policy");
    ASSERT_NE(policy, nullptr);
    EXPECT_EQ(policy->label, "Policy");
    EXPECT_EQ(policy->plural, "Policyer");
    EXPECT_EQ(policy->category, Category::kPolitical);
    EXPECT_EQ(policy->review.kind, ReviewRuleKind::kEveryMandatePeriod);
    EXPECT_EQ(policy->review.grace_months, 12);
    EXPECT_TRUE(policy->public_by_default);
    EXPECT_FALSE(policy->is_regulation);

    const DocType* rutin = s.FindDocType("rutin");
    ASSERT_NE(rutin, nullptr);
    EXPECT_EQ(rutin->plural, "Rutin");
    EXPECT_EQ(rutin->category, Category::kAdministrative);
    EXPECT_EQ(rutin->review.kind, ReviewRuleKind::kEveryMonths);
    EXPECT_EQ(rutin->review.months, 24);
    EXPECT_FALSE(rutin->public_by_default);

    EXPECT_EQ(s.FindDocType("taxa")->review.kind, ReviewRuleKind::kYearly);
    EXPECT_EQ(s.FindDocType("taxa")->review.months, 12);
    EXPECT_TRUE(s.FindDocType("taxa")->is_regulation);
    EXPECT_EQ(s.FindDocType("vision")->review.kind, ReviewRuleKind::kWithinPeriod);
    EXPECT_EQ(s.FindDocType("mall")->review.kind, ReviewRuleKind::kNone);
    EXPECT_EQ(s.FindDocType("Policy"), nullptr);

    const Body* kf = s.FindBody("kf");
    ASSERT_NE(kf, nullptr);
    EXPECT_EQ(kf->level, BodyLevel::kCouncil);
    EXPECT_TRUE(kf->political);
    EXPECT_TRUE(kf->follows_council_period);
    EXPECT_EQ(kf->clerk_email, "kansli@x.se");
    EXPECT_EQ(s.FindBody("ks")->level, BodyLevel::kExecutiveBoard);
    EXPECT_FALSE(s.FindBody("ks")->follows_council_period);
    EXPECT_EQ(s.FindBody("sn")->level, BodyLevel::kBoard);
    EXPECT_TRUE(s.FindBody("sn")->follows_council_period);
    EXPECT_EQ(s.FindBody("kd")->level, BodyLevel::kAdministration);
    EXPECT_FALSE(s.FindBody("kd")->political);
    EXPECT_EQ(s.FindBody("ab")->level, BodyLevel::kAdministration);
    EXPECT_FALSE(s.FindBody("ab")->political);

    ASSERT_EQ(s.goal_areas().size(), 1u);
    EXPECT_EQ(s.goal_areas()[0].name, "Bygga och bo");
    EXPECT_EQ(s.required_fields(), (std::vector<std::string>{"dnr", "owner"}));
    EXPECT_EQ(s.LabelOf("decided_by"), "Beslutad av");
    EXPECT_EQ(s.LabelOf("owner"), "owner");

    ASSERT_EQ(s.synonyms().size(), 2u);
    EXPECT_EQ(s.synonyms()[0].terms,
              (std::vector<std::string>{"KF", "Kommunfullmäktige", "fullmäktige"}));
    EXPECT_EQ(s.synonyms()[1].terms, (std::vector<std::string>{"dnr", "diarienummer"}));
}

TEST(Schema, FindsBodiesByIdAbbreviationOrNameIgnoringCase) {
    Schema s = Schema::Parse(Schema3(kBodies), "test.xml");
    for (std::string_view key :
         {"kf", "KF", "Kf", "Kommunfullmäktige", "KOMMUNFULLMÄKTIGE", " kommunfullmäktige "}) {
        SCOPED_TRACE(key);
        ASSERT_NE(s.FindBody(key), nullptr);
        EXPECT_EQ(s.FindBody(key)->id, "kf");
    }
    EXPECT_EQ(s.FindBody("ks"), nullptr);
    EXPECT_EQ(s.FindBody(""), nullptr);
}

TEST(Schema, FindsGoalAreasByIdOrNameIgnoringCase) {
    Schema s =
        Schema::Parse(Schema3("<goal_areas><goal_area id=\"stod-omsorg\" name=\"Stöd och omsorg\"/>"
                              "</goal_areas>\n"),
                      "t");
    EXPECT_EQ(s.FindGoalArea("stod-omsorg")->id, "stod-omsorg");
    EXPECT_EQ(s.FindGoalArea("STÖD OCH OMSORG")->id, "stod-omsorg");
    EXPECT_EQ(s.FindGoalArea("omsorg"), nullptr);
}

// The bodies of a municipality as DOMAIN.md draws them: fullmäktige at the root,
// kommunstyrelsen, the nämnder and the companies under it, an utskott under its body, a
// förvaltning's officials under their nämnd.
constexpr std::string_view kLines =
    "<bodies>\n"
    "  <body id=\"kf\" name=\"Kommunfullmäktige\" level=\"fullmaktige\"/>\n"
    "  <body id=\"ks\" name=\"Kommunstyrelsen\" abbreviation=\"KS\" level=\"styrelse\" "
    "parent=\"kf\"/>\n"
    "  <body id=\"ksau\" name=\"Kommunstyrelsens arbetsutskott\" level=\"styrelse\" "
    "parent=\"ks\"/>\n"
    "  <body id=\"kd\" name=\"Kommundirektören\" level=\"forvaltning\" parent=\"ks\"/>\n"
    "  <body id=\"bun\" name=\"Barn- och utbildningsnämnden\" abbreviation=\"BUN\" "
    "level=\"namnd\" parent=\"kf\"/>\n"
    "  <body id=\"sn\" name=\"Socialnämnden\" abbreviation=\"SN\" level=\"namnd\" "
    "parent=\"kf\"/>\n"
    "  <body id=\"snau\" name=\"Socialnämndens arbetsutskott\" level=\"namnd\" "
    "parent=\"sn\"/>\n"
    "  <body id=\"soc\" name=\"Socialchefen\" level=\"forvaltning\" parent=\"sn\"/>\n"
    "  <body id=\"ab\" name=\"Bostadsbolaget AB\" level=\"bolag\" parent=\"kf\"/>\n"
    "  <body id=\"vd\" name=\"Bostadsbolagets vd\" level=\"forvaltning\" parent=\"ab\"/>\n"
    "</bodies>\n";

TEST(Schema, DecidesForItselfAndTheBodiesBelowItInItsLine) {
    Schema s = Schema::Parse(Schema3(kLines), "test.xml");
    const struct {
        std::string_view decider, adopter;
        bool decides;
    } cases[] = {
        {"kf", "kf", true},
        {"kf", "ks", true},
        {"kf", "sn", true},
        {"kf", "soc", true},
        {"kf", "ab", true},
        {"kf", "vd", true},
        {"ks", "ks", true},
        {"ks", "kd", true},
        {"ks", "ksau", true},
        {"sn", "snau", true},
        {"sn", "soc", true},
        {"ab", "vd", true},
        {"SN", "Socialchefen", true},
        // Kommunstyrelsen's uppsiktsplikt gives it no power over a nämnd's own documents.
        {"ks", "sn", false},
        {"ks", "soc", false},
        {"ks", "ab", false},
        {"ksau", "ks", false},
        {"bun", "sn", false},
        {"bun", "soc", false},
        {"sn", "bun", false},
        {"kd", "ab", false},
        {"kd", "vd", false},
        {"kd", "soc", false},
        {"soc", "sn", false},
        {"sn", "kf", false},
        {"ab", "kf", false},
        {"kf", "okänd", false},
        {"okänd", "kf", false},
        {"", "", false},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.decider) + " for " + std::string(c.adopter));
        EXPECT_EQ(s.DecidesFor(c.decider, c.adopter), c.decides);
    }
}

TEST(Schema, DerivesParentsFromLevelsWhenNoneIsGiven) {
    const struct {
        std::string_view name;
        std::string xml;
        std::vector<std::pair<std::string, std::string>> parents;  // id, parent
    } cases[] = {
        {"a schema written before parents",
         "<bodies>\n"
         "  <body id=\"kf\" name=\"KF\" level=\"fullmaktige\"/>\n"
         "  <body id=\"ks\" name=\"KS\" level=\"styrelse\"/>\n"
         "  <body id=\"sn\" name=\"SN\" level=\"namnd\"/>\n"
         "  <body id=\"kd\" name=\"KD\" level=\"forvaltning\"/>\n"
         "  <body id=\"ab\" name=\"AB\" level=\"bolag\"/>\n"
         "</bodies>\n",
         {{"kf", ""}, {"ks", "kf"}, {"sn", "kf"}, {"kd", "ks"}, {"ab", "kf"}}},
        {"bodies in any order",
         "<bodies>\n"
         "  <body id=\"kd\" name=\"KD\" level=\"forvaltning\"/>\n"
         "  <body id=\"sn\" name=\"SN\" level=\"namnd\"/>\n"
         "  <body id=\"ks\" name=\"KS\" level=\"styrelse\"/>\n"
         "  <body id=\"kf\" name=\"KF\" level=\"fullmaktige\"/>\n"
         "</bodies>\n",
         {{"kd", "ks"}, {"sn", "kf"}, {"ks", "kf"}, {"kf", ""}}},
        {"no kommunstyrelsen: officials under fullmäktige",
         "<bodies>\n"
         "  <body id=\"kf\" name=\"KF\" level=\"fullmaktige\"/>\n"
         "  <body id=\"kd\" name=\"KD\" level=\"forvaltning\"/>\n"
         "</bodies>\n",
         {{"kf", ""}, {"kd", "kf"}}},
        {"no fullmäktige: roots",
         "<bodies>\n"
         "  <body id=\"sn\" name=\"SN\" level=\"namnd\"/>\n"
         "  <body id=\"ab\" name=\"AB\" level=\"bolag\"/>\n"
         "</bodies>\n",
         {{"sn", ""}, {"ab", ""}}},
        {"given and derived together",
         "<bodies>\n"
         "  <body id=\"kf\" name=\"KF\" level=\"fullmaktige\"/>\n"
         "  <body id=\"ks\" name=\"KS\" level=\"styrelse\"/>\n"
         "  <body id=\"sn\" name=\"SN\" level=\"namnd\"/>\n"
         "  <body id=\"soc\" name=\"Socialchefen\" level=\"forvaltning\" parent=\"sn\"/>\n"
         "</bodies>\n",
         {{"kf", ""}, {"ks", "kf"}, {"sn", "kf"}, {"soc", "sn"}}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        Schema s = Schema::Parse(Schema3(c.xml), "test.xml");
        for (const auto& [id, parent] : c.parents) {
            SCOPED_TRACE(id);
            ASSERT_NE(s.FindBody(id), nullptr);
            EXPECT_EQ(s.FindBody(id)->parent, parent);
        }
    }
}

TEST(Schema, ReadsADoctypesOwnRequiredFieldsAndTheDnrStyle) {
    Schema s = Schema::Parse(
        "<schema name=\"T\" version=\"1\" dnr_style=\"serial-year\">\n"
        "<doctypes>\n"
        "  <doctype id=\"rutin\" label=\"Rutin\" category=\"administrativ\" review=\"none\" "
        "required=\" title  owner\n decided_on \"/>\n"
        "  <doctype id=\"mall\" label=\"Mall\" category=\"administrativ\" review=\"none\" "
        "required=\"\"/>\n"
        "  <doctype id=\"policy\" label=\"Policy\" category=\"politisk\" review=\"none\"/>\n"
        "</doctypes>\n"
        "<required_fields><field>dnr</field><field>owner</field></required_fields>\n"
        "</schema>\n",
        "test.xml");
    EXPECT_EQ(s.dnr_style(), DnrStyle::kSerialYear);
    EXPECT_EQ(s.RequiredFieldsOf("rutin"),
              (std::vector<std::string>{"title", "owner", "decided_on"}));
    EXPECT_EQ(s.RequiredFieldsOf("mall"), std::vector<std::string>{});
    EXPECT_EQ(s.RequiredFieldsOf("policy"), (std::vector<std::string>{"dnr", "owner"}));
    EXPECT_EQ(s.RequiredFieldsOf("okänd"), (std::vector<std::string>{"dnr", "owner"}));
    EXPECT_FALSE(s.FindDocType("policy")->required_fields);
    EXPECT_EQ(Schema::Parse(Schema3(""), "t").dnr_style(), DnrStyle::kYearSerial);
}

TEST(Schema, ReadsTheLegalDeadlineRules) {
    Schema s = Schema::Parse(
        Schema3("<doctypes>\n"
                "  <doctype id=\"planeringsstrategi\" label=\"P\" category=\"politisk\" "
                "review=\"months-after-election\" months=\"24\"/>\n"
                "  <doctype id=\"program-privata-utforare\" label=\"P\" category=\"politisk\" "
                "review=\"within-period\"/>\n"
                "</doctypes>\n"),
        "test.xml");
    EXPECT_EQ(s.FindDocType("planeringsstrategi")->review.kind,
              ReviewRuleKind::kMonthsAfterElection);
    EXPECT_EQ(s.FindDocType("planeringsstrategi")->review.months, 24);
    EXPECT_EQ(s.FindDocType("program-privata-utforare")->review.kind,
              ReviewRuleKind::kWithinPeriod);
}

TEST(Schema, NamesCategories) {
    EXPECT_EQ(CategoryName(Category::kPolitical), "politisk");
    EXPECT_EQ(CategoryName(Category::kAdministrative), "administrativ");
}

// Two doctypes on lines 3 to 6, for the styrmodell's cases.
constexpr std::string_view kTwoDoctypes =
    "<doctypes>\n"
    "  <doctype id=\"vision\" label=\"Vision\" category=\"politisk\" review=\"none\"/>\n"
    "  <doctype id=\"policy\" label=\"Policy\" category=\"administrativ\" review=\"none\"/>\n"
    "</doctypes>\n";

struct BrokenCase {
    std::string_view name;
    std::string xml;
    std::string_view expected;  // the whole message, "FILE:LINE: reason"
};

std::string DoctypeXml(std::string_view attributes) {
    return "<doctypes>\n  <doctype id=\"p\" label=\"P\" category=\"politisk\" " +
           std::string(attributes) + "/>\n</doctypes>\n";
}

std::string BodyXml(std::string_view attributes) {
    return "<bodies>\n  <body " + std::string(attributes) + "/>\n</bodies>\n";
}

TEST(Schema, RefusesEachProblemWithFileAndLine) {
    const std::vector<BrokenCase> cases = {
        {"malformed XML", Schema3("<doctypes>\n</doctype>\n"),
         "test.xml:4: malformed XML: Start-end tags mismatch"},
        {"invalid UTF-8", Schema3("\n<!-- \xff -->\n"), "test.xml:4: invalid UTF-8"},
        {"empty file", "", "test.xml:1: missing <schema> root element"},
        {"wrong root", "<?xml version=\"1.0\"?>\n<document/>\n",
         "test.xml:2: the root element is <document>, not <schema>"},
        {"second root", "<schema name=\"a\" version=\"1\"/>\n<schema/>\n",
         "test.xml:2: element <schema> after the <schema> root"},
        {"missing name", "<schema version=\"1\"/>", "test.xml:1: <schema> lacks attribute 'name'"},
        {"missing version", "<schema name=\"a\"/>",
         "test.xml:1: <schema> lacks attribute 'version'"},
        {"version not a number", "<schema name=\"a\" version=\"ett\"/>",
         "test.xml:1: version 'ett' is not a whole number"},
        {"version zero", "<schema name=\"a\" version=\"0\"/>",
         "test.xml:1: version must be greater than 0"},
        {"unknown root attribute", "<schema name=\"a\" version=\"1\" lang=\"sv\"/>",
         "test.xml:1: unknown attribute 'lang' on <schema>"},
        {"unknown section", Schema3("<doctypes/>\n<nämnder/>\n"),
         "test.xml:4: unknown element <nämnder> in <schema>"},
        {"duplicate section", Schema3("<doctypes/>\n<doctypes/>\n"),
         "test.xml:4: duplicate <doctypes>"},
        {"text in schema", Schema3("lös text\n"), "test.xml:3: unexpected text in <schema>"},
        {"attribute on section", Schema3("<doctypes sort=\"id\"/>\n"),
         "test.xml:3: unknown attribute 'sort' on <doctypes>"},
        {"unknown element in doctypes", Schema3("<doctypes>\n  <typ id=\"a\"/>\n</doctypes>\n"),
         "test.xml:4: unknown element <typ> in <doctypes>"},
        {"doctype without id",
         Schema3("<doctypes>\n  <doctype label=\"P\" category=\"politisk\" review=\"none\"/>\n"
                 "</doctypes>\n"),
         "test.xml:4: <doctype> lacks attribute 'id'"},
        {"doctype id with capitals",
         Schema3("<doctypes>\n  <doctype id=\"Policy\" label=\"P\" category=\"politisk\" "
                 "review=\"none\"/>\n</doctypes>\n"),
         "test.xml:4: id 'Policy' is not lower-case letters, digits and '-'"},
        {"doctype without label",
         Schema3("<doctypes>\n  <doctype id=\"p\" category=\"politisk\" review=\"none\"/>\n"
                 "</doctypes>\n"),
         "test.xml:4: <doctype> lacks attribute 'label'"},
        {"duplicate doctype",
         Schema3("<doctypes>\n"
                 "  <doctype id=\"p\" label=\"P\" category=\"politisk\" review=\"none\"/>\n"
                 "  <doctype id=\"p\" label=\"Q\" category=\"politisk\" review=\"none\"/>\n"
                 "</doctypes>\n"),
         "test.xml:5: duplicate doctype id 'p'"},
        {"unknown category",
         Schema3("<doctypes>\n  <doctype id=\"p\" label=\"P\" category=\"styrande\" "
                 "review=\"none\"/>\n</doctypes>\n"),
         "test.xml:4: unknown category 'styrande' (politisk or administrativ)"},
        {"unknown doctype attribute", Schema3(DoctypeXml("review=\"none\" färg=\"blå\"")),
         "test.xml:4: unknown attribute 'färg' on <doctype>"},
        {"missing review", Schema3(DoctypeXml("")),
         "test.xml:4: <doctype> lacks attribute 'review'"},
        {"unknown review rule", Schema3(DoctypeXml("review=\"ibland\"")),
         "test.xml:4: unknown review rule 'ibland' (none, mandate-period, within-period, months, "
         "yearly or months-after-election)"},
        {"months after election missing", Schema3(DoctypeXml("review=\"months-after-election\"")),
         "test.xml:4: <doctype> lacks attribute 'months'"},
        {"months after election zero",
         Schema3(DoctypeXml("review=\"months-after-election\" months=\"0\"")),
         "test.xml:4: months must be greater than 0"},
        {"months after election beyond the next election",
         Schema3(DoctypeXml("review=\"months-after-election\" months=\"49\"")),
         "test.xml:4: months after election must be at most 48, the length of a mandate period"},
        {"grace on a legal deadline",
         Schema3(DoctypeXml("review=\"months-after-election\" months=\"24\" grace_months=\"2\"")),
         "test.xml:4: grace_months does not apply to review 'months-after-election'"},
        {"grace on within-period",
         Schema3(DoctypeXml("review=\"within-period\" grace_months=\"2\"")),
         "test.xml:4: grace_months does not apply to review 'within-period'"},
        {"unknown required field on a doctype",
         Schema3(DoctypeXml("review=\"none\" required=\"title beslutsdatum\"")),
         "test.xml:4: required: unknown metadata field 'beslutsdatum'"},
        {"required field twice on a doctype",
         Schema3(DoctypeXml("review=\"none\" required=\"dnr owner dnr\"")),
         "test.xml:4: required: field 'dnr' named twice"},
        {"unknown dnr style", "<schema name=\"a\" version=\"1\" dnr_style=\"yy/nnnn\"/>",
         "test.xml:1: unknown dnr_style 'yy/nnnn' (year-serial or serial-year)"},
        {"months zero", Schema3(DoctypeXml("review=\"months\" months=\"0\"")),
         "test.xml:4: months must be greater than 0"},
        {"months negative", Schema3(DoctypeXml("review=\"months\" months=\"-12\"")),
         "test.xml:4: months must be greater than 0"},
        {"months missing", Schema3(DoctypeXml("review=\"months\"")),
         "test.xml:4: <doctype> lacks attribute 'months'"},
        {"months not a number", Schema3(DoctypeXml("review=\"months\" months=\"24 mån\"")),
         "test.xml:4: months '24 mån' is not a whole number"},
        {"months on yearly", Schema3(DoctypeXml("review=\"yearly\" months=\"12\"")),
         "test.xml:4: months does not apply to review 'yearly'"},
        {"grace on months",
         Schema3(DoctypeXml("review=\"months\" months=\"6\" grace_months=\"1\"")),
         "test.xml:4: grace_months does not apply to review 'months'"},
        {"months on mandate-period", Schema3(DoctypeXml("review=\"mandate-period\" months=\"6\"")),
         "test.xml:4: months does not apply to review 'mandate-period'"},
        {"negative grace", Schema3(DoctypeXml("review=\"mandate-period\" grace_months=\"-1\"")),
         "test.xml:4: grace_months must not be negative"},
        {"boolean in Swedish", Schema3(DoctypeXml("review=\"none\" public=\"ja\"")),
         "test.xml:4: public must be true or false, not 'ja'"},
        {"non-public regulation",
         Schema3(DoctypeXml("review=\"none\" regulation=\"true\" public=\"false\"")),
         "test.xml:4: doctype 'p' is a föreskrift and cannot be non-public"},
        {"body without name", Schema3(BodyXml("id=\"kf\" level=\"fullmaktige\"")),
         "test.xml:4: <body> lacks attribute 'name'"},
        {"body without level", Schema3(BodyXml("id=\"kf\" name=\"KF\"")),
         "test.xml:4: <body> lacks attribute 'level'"},
        {"unknown level", Schema3(BodyXml("id=\"kf\" name=\"KF\" level=\"riksdag\"")),
         "test.xml:4: unknown level 'riksdag' (fullmaktige, styrelse, namnd, forvaltning or "
         "bolag)"},
        {"unknown body attribute",
         Schema3(BodyXml("id=\"kf\" name=\"KF\" level=\"namnd\" ordförande=\"x\"")),
         "test.xml:4: unknown attribute 'ordförande' on <body>"},
        {"bad clerk e-mail",
         Schema3(BodyXml("id=\"kf\" name=\"KF\" level=\"namnd\" clerk_email=\"kansliet\"")),
         "test.xml:4: clerk_email 'kansliet' is not an e-mail address"},
        {"political not boolean",
         Schema3(BodyXml("id=\"kf\" name=\"KF\" level=\"namnd\" political=\"1\"")),
         "test.xml:4: political must be true or false, not '1'"},
        {"undefined parent",
         Schema3(std::string("<bodies>\n") +
                 "  <body id=\"kf\" name=\"KF\" level=\"fullmaktige\"/>\n"
                 "  <body id=\"sn\" name=\"SN\" level=\"namnd\" parent=\"ks\"/>\n</bodies>\n"),
         "test.xml:5: body 'sn' has undefined parent 'ks'"},
        {"malformed parent",
         Schema3(BodyXml("id=\"sn\" name=\"SN\" level=\"namnd\" parent=\"Kommunfullmäktige\"")),
         "test.xml:4: parent 'Kommunfullmäktige' is not lower-case letters, digits and '-'"},
        {"own parent", Schema3(BodyXml("id=\"sn\" name=\"SN\" level=\"namnd\" parent=\"sn\"")),
         "test.xml:4: the parents of body 'sn' form a cycle"},
        {"parents in a cycle",
         Schema3(std::string("<bodies>\n") +
                 "  <body id=\"kf\" name=\"KF\" level=\"fullmaktige\"/>\n"
                 "  <body id=\"a\" name=\"A\" level=\"namnd\" parent=\"b\"/>\n"
                 "  <body id=\"b\" name=\"B\" level=\"namnd\" parent=\"a\"/>\n</bodies>\n"),
         "test.xml:5: the parents of body 'a' form a cycle"},
        {"a cycle through a derived parent",
         Schema3(std::string("<bodies>\n") +
                 "  <body id=\"kf\" name=\"KF\" level=\"fullmaktige\"/>\n"
                 "  <body id=\"ks\" name=\"KS\" level=\"styrelse\" parent=\"kd\"/>\n"
                 "  <body id=\"kd\" name=\"KD\" level=\"forvaltning\"/>\n</bodies>\n"),
         "test.xml:5: the parents of body 'ks' form a cycle"},
        {"fullmäktige with a parent",
         Schema3(std::string("<bodies>\n") +
                 "  <body id=\"ks\" name=\"KS\" level=\"styrelse\"/>\n"
                 "  <body id=\"kf\" name=\"KF\" level=\"fullmaktige\" parent=\"ks\"/>\n"
                 "</bodies>\n"),
         "test.xml:5: body 'kf' is at level fullmaktige, which has no parent"},
        {"duplicate body id",
         Schema3("<bodies>\n  <body id=\"sn\" name=\"Socialnämnden\" level=\"namnd\"/>\n"
                 "  <body id=\"sn\" name=\"Servicenämnden\" level=\"namnd\"/>\n</bodies>\n"),
         "test.xml:5: duplicate body id, name or abbreviation 'sn'"},
        {"duplicate body abbreviation",
         Schema3("<bodies>\n"
                 "  <body id=\"sn\" name=\"Socialnämnden\" abbreviation=\"SN\" level=\"namnd\"/>\n"
                 "  <body id=\"svn\" name=\"Servicenämnden\" abbreviation=\"sn\" "
                 "level=\"namnd\"/>\n</bodies>\n"),
         "test.xml:5: duplicate body id, name or abbreviation 'sn'"},
        {"body name as another's id",
         Schema3("<bodies>\n  <body id=\"ks\" name=\"Kommunstyrelsen\" level=\"styrelse\"/>\n"
                 "  <body id=\"kf\" name=\"KS\" level=\"fullmaktige\"/>\n</bodies>\n"),
         "test.xml:5: duplicate body id, name or abbreviation 'KS'"},
        {"duplicate goal area",
         Schema3("<goal_areas>\n  <goal_area id=\"a\" name=\"A och B\"/>\n"
                 "  <goal_area id=\"b\" name=\"a och b\"/>\n</goal_areas>\n"),
         "test.xml:5: duplicate goal area id or name 'a och b'"},
        {"goal area without name",
         Schema3("<goal_areas>\n  <goal_area id=\"a\"/>\n</goal_areas>\n"),
         "test.xml:4: <goal_area> lacks attribute 'name'"},
        {"unknown required field",
         Schema3("<required_fields>\n  <field>beslutsdatum</field>\n</required_fields>\n"),
         "test.xml:4: unknown metadata field 'beslutsdatum'"},
        {"duplicate required field",
         Schema3("<required_fields>\n  <field>dnr</field>\n  <field>dnr</field>\n"
                 "</required_fields>\n"),
         "test.xml:5: duplicate required field 'dnr'"},
        {"empty required field", Schema3("<required_fields>\n  <field/>\n</required_fields>\n"),
         "test.xml:4: <field> is empty"},
        {"label of unknown field",
         Schema3("<field_labels>\n  <label field=\"farg\">Färg</label>\n</field_labels>\n"),
         "test.xml:4: unknown metadata field 'farg'"},
        {"label without field",
         Schema3("<field_labels>\n  <label>Titel</label>\n</field_labels>\n"),
         "test.xml:4: <label> lacks attribute 'field'"},
        {"duplicate label",
         Schema3("<field_labels>\n  <label field=\"title\">Titel</label>\n"
                 "  <label field=\"title\">Rubrik</label>\n</field_labels>\n"),
         "test.xml:5: duplicate label for field 'title'"},
        {"markup in a label",
         Schema3("<field_labels>\n  <label field=\"title\">\n    <b>Titel</b></label>\n"
                 "</field_labels>\n"),
         "test.xml:5: unexpected element <b> in <label>"},
        {"synonym of undefined body",
         Schema3(std::string(kBodies) + "<synonyms>\n  <group body=\"ks\"/>\n</synonyms>\n"),
         "test.xml:7: synonym group refers to undefined body 'ks'"},
        {"synonym of a body defined later",
         Schema3("<synonyms>\n  <group body=\"ks\"/>\n</synonyms>\n" + std::string(kBodies)),
         "test.xml:4: synonym group refers to undefined body 'ks'"},
        {"synonym group of one term",
         Schema3("<synonyms>\n  <group><term>dnr</term></group>\n</synonyms>\n"),
         "test.xml:4: a synonym group needs at least two different terms"},
        {"synonym group of one term twice",
         Schema3("<synonyms>\n  <group><term>dnr</term><term>DNR</term></group>\n</synonyms>\n"),
         "test.xml:4: a synonym group needs at least two different terms"},
        {"empty term",
         Schema3("<synonyms>\n  <group><term>dnr</term>\n<term> </term></group>\n</synonyms>\n"),
         "test.xml:5: <term> is empty"},
        {"unknown element in group",
         Schema3("<synonyms>\n  <group><ord>dnr</ord></group>\n</synonyms>\n"),
         "test.xml:4: unknown element <ord> in <group>"},
        {"level naming an unknown doctype",
         Schema3(std::string(kTwoDoctypes) +
                 "<styrmodell>\n  <level id=\"a\" name=\"A\" doctypes=\"vision plan\"/>\n"
                 "</styrmodell>\n"),
         "test.xml:8: level 'a' names unknown doctype 'plan'"},
        {"doctype at two levels",
         Schema3(std::string(kTwoDoctypes) +
                 "<styrmodell>\n  <level id=\"a\" name=\"A\" doctypes=\"vision\"/>\n"
                 "  <level id=\"b\" name=\"B\" doctypes=\"policy vision\"/>\n"
                 "</styrmodell>\n"),
         "test.xml:9: doctype 'vision' sits at more than one level"},
        {"level without doctypes",
         Schema3(std::string(kTwoDoctypes) +
                 "<styrmodell>\n  <level id=\"a\" name=\"A\"/>\n</styrmodell>\n"),
         "test.xml:8: <level> lacks attribute 'doctypes'"},
        {"level without name",
         Schema3(std::string(kTwoDoctypes) +
                 "<styrmodell>\n  <level id=\"a\" doctypes=\"vision\"/>\n</styrmodell>\n"),
         "test.xml:8: <level> lacks attribute 'name'"},
        {"duplicate level id",
         Schema3(std::string(kTwoDoctypes) +
                 "<styrmodell>\n  <level id=\"a\" name=\"A\" doctypes=\"vision\"/>\n"
                 "  <level id=\"a\" name=\"B\" doctypes=\"policy\"/>\n</styrmodell>\n"),
         "test.xml:9: duplicate styrmodell level id 'a'"},
        {"reserved level id",
         Schema3(std::string(kTwoDoctypes) +
                 "<styrmodell>\n  <level id=\"ovriga\" name=\"A\" doctypes=\"vision\"/>\n"
                 "</styrmodell>\n"),
         "test.xml:8: level id 'ovriga' is reserved for the doctypes placed nowhere"},
        {"first level implementing above",
         Schema3(std::string(kTwoDoctypes) +
                 "<styrmodell>\n  <level id=\"b\" name=\"B\" doctypes=\"policy\" "
                 "beside=\"true\"/>\n  <level id=\"a\" name=\"A\" doctypes=\"vision\" "
                 "implements_above=\"true\"/>\n</styrmodell>\n"),
         "test.xml:9: level 'a' is the first of the chain and has nothing above it to implement"},
        {"beside level implementing above",
         Schema3(std::string(kTwoDoctypes) +
                 "<styrmodell>\n  <level id=\"a\" name=\"A\" doctypes=\"vision\"/>\n"
                 "  <level id=\"b\" name=\"B\" doctypes=\"policy\" beside=\"true\" "
                 "implements_above=\"true\"/>\n</styrmodell>\n"),
         "test.xml:9: level 'b' is beside the chain and cannot be expected to implement above "
         "it"},
        {"styrmodell without levels", Schema3(std::string(kTwoDoctypes) + "<styrmodell/>\n"),
         "test.xml:7: <styrmodell> has no levels"},
        {"unknown grouping",
         Schema3(std::string(kTwoDoctypes) +
                 "<styrmodell group_by=\"organ\">\n  <level id=\"a\" name=\"A\" "
                 "doctypes=\"vision\"/>\n</styrmodell>\n"),
         "test.xml:7: unknown group_by 'organ' (none or goal_area)"},
        {"unknown level attribute",
         Schema3(std::string(kTwoDoctypes) +
                 "<styrmodell>\n  <level id=\"a\" name=\"A\" doctypes=\"vision\" "
                 "niva=\"1\"/>\n</styrmodell>\n"),
         "test.xml:8: unknown attribute 'niva' on <level>"},
        {"unknown group attribute",
         Schema3("<synonyms>\n  <group nämnd=\"kf\"><term>a</term><term>b</term></group>\n"
                 "</synonyms>\n"),
         "test.xml:4: unknown attribute 'nämnd' on <group>"},
    };
    for (const BrokenCase& c : cases) {
        SCOPED_TRACE(c.name);
        EXPECT_EQ(ErrorOf(c.xml), c.expected);
    }
}

TEST(Schema, ReadsTheStyrmodellWhereverItStands) {
    // Before the doctypes it names, with one doctype placed nowhere.
    Schema s = Schema::Parse(
        Schema3("<styrmodell group_by=\"goal_area\">\n"
                "  <level id=\"topp\" name=\"Topp\" doctypes=\"vision\" "
                "description=\"Överst.\"/>\n"
                "  <level id=\"sidan\" name=\"Vid sidan\" doctypes=\"reglemente\" "
                "beside=\"true\"/>\n"
                "  <level id=\"under\" name=\"Under\" doctypes=\"plan\" "
                "implements_above=\"true\"/>\n"
                "</styrmodell>\n"
                "<doctypes>\n"
                "  <doctype id=\"vision\" label=\"Vision\" category=\"politisk\" "
                "review=\"none\"/>\n"
                "  <doctype id=\"plan\" label=\"Plan\" category=\"politisk\" review=\"none\"/>\n"
                "  <doctype id=\"rutin\" label=\"Rutin\" category=\"administrativ\" "
                "review=\"none\"/>\n"
                "  <doctype id=\"reglemente\" label=\"Reglemente\" category=\"politisk\" "
                "review=\"none\"/>\n"
                "</doctypes>\n"),
        "test.xml");
    ASSERT_EQ(s.styrmodell().size(), 4u);
    const StyrmodellLevel& top = s.styrmodell()[0];
    EXPECT_EQ(top.id, "topp");
    EXPECT_EQ(top.name, "Topp");
    EXPECT_EQ(top.description, "Överst.");
    EXPECT_EQ(top.doctypes, std::vector<std::string>{"vision"});
    EXPECT_FALSE(top.implements_above);
    EXPECT_FALSE(top.beside);
    EXPECT_TRUE(s.styrmodell()[1].beside);
    EXPECT_EQ(s.styrmodell()[1].doctypes, std::vector<std::string>{"reglemente"});
    EXPECT_TRUE(s.styrmodell()[2].implements_above);
    const StyrmodellLevel& other = s.styrmodell()[3];
    EXPECT_EQ(other.id, "ovriga");
    EXPECT_EQ(other.name, "Övriga dokument");
    EXPECT_TRUE(other.beside);
    EXPECT_EQ(other.doctypes, std::vector<std::string>{"rutin"});
    EXPECT_EQ(s.LevelOf("plan"), &s.styrmodell()[2]);
    EXPECT_EQ(s.LevelOf("rutin"), &other);
    EXPECT_EQ(s.LevelOf("taxa"), nullptr);
    EXPECT_EQ(s.styrmodell_grouping(), StyrmodellGrouping::kGoalArea);
}

TEST(Schema, DerivesAStyrmodellFromTheCategoriesWhenItHasNone) {
    const struct {
        std::string_view name;
        std::string doctypes;
        std::vector<std::pair<std::string, std::vector<std::string>>> levels;
    } cases[] = {
        {"both categories",
         std::string(kTwoDoctypes),
         {{"politisk", {"vision"}}, {"administrativ", {"policy"}}}},
        {"only political",
         "<doctypes>\n  <doctype id=\"plan\" label=\"P\" category=\"politisk\" "
         "review=\"none\"/>\n</doctypes>\n",
         {{"politisk", {"plan"}}}},
        {"no doctypes", "", {}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        Schema s = Schema::Parse(Schema3(c.doctypes), "test.xml");
        std::vector<std::pair<std::string, std::vector<std::string>>> levels;
        for (const StyrmodellLevel& level : s.styrmodell()) {
            levels.emplace_back(level.id, level.doctypes);
            EXPECT_FALSE(level.implements_above);
            EXPECT_FALSE(level.beside);
        }
        EXPECT_EQ(levels, c.levels);
        EXPECT_EQ(s.styrmodell_grouping(), StyrmodellGrouping::kNone);
    }
}

TEST(Schema, LoadNamesTheFileInItsMessage) {
    testing::Sandbox sandbox;
    auto file = sandbox.Write("broken.xml", "<schema name=\"a\" version=\"1\">\n<x/>\n</schema>\n");
    try {
        Schema::Load(file);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kBadInput);
        EXPECT_EQ(std::string(e.what()), file.string() + ":2: unknown element <x> in <schema>");
    }
}

TEST(Schema, LoadRefusesAMissingFile) {
    testing::Sandbox sandbox;
    try {
        Schema::Load(sandbox / "nothing.xml");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kBadInput);
        EXPECT_NE(std::string(e.what()).find("nothing.xml"), std::string::npos);
    }
}

// The shipped schema files, read from the source tree.

Schema LoadShipped(std::string_view relative) {
    return Schema::Load(testing::SourceDir() / "schema" / relative);
}

bool HasSynonyms(const Schema& s, std::vector<std::string> terms) {
    return std::any_of(s.synonyms().begin(), s.synonyms().end(), [&](const SynonymGroup& g) {
        return std::all_of(terms.begin(), terms.end(), [&](const std::string& t) {
            return std::find(g.terms.begin(), g.terms.end(), t) != g.terms.end();
        });
    });
}

TEST(SchemaDefault, HasTheDoctypesWithTheirRules) {
    Schema s = LoadShipped("default.xml");
    std::vector<std::string> ids;
    for (const DocType& t : s.doctypes()) ids.push_back(t.id);
    EXPECT_EQ(ids,
              (std::vector<std::string>{
                  "vision", "program", "program-privata-utforare", "plan", "planeringsstrategi",
                  "policy", "riktlinje", "riktlinjer-bostadsforsorjning", "reglemente", "budget",
                  "verksamhetsplan", "taxa", "foreskrift", "bolagsordning", "agardirektiv",
                  "delegationsordning", "styrmodell", "regel", "rutin"}));
    for (std::string_view id : {"vision", "program", "plan", "policy", "riktlinje", "reglemente",
                                "bolagsordning", "agardirektiv"}) {
        SCOPED_TRACE(id);
        const DocType* t = s.FindDocType(id);
        EXPECT_EQ(t->category, Category::kPolitical);
        EXPECT_EQ(t->review.kind, ReviewRuleKind::kEveryMandatePeriod);
        EXPECT_EQ(t->review.grace_months, 12);
    }
    EXPECT_EQ(s.FindDocType("delegationsordning")->review.kind,
              ReviewRuleKind::kEveryMandatePeriod);
    EXPECT_EQ(s.FindDocType("budget")->category, Category::kPolitical);
    EXPECT_EQ(s.FindDocType("budget")->review.kind, ReviewRuleKind::kYearly);
    EXPECT_EQ(s.FindDocType("verksamhetsplan")->review.kind, ReviewRuleKind::kYearly);
    for (std::string_view id : {"taxa", "foreskrift"}) {
        SCOPED_TRACE(id);
        EXPECT_TRUE(s.FindDocType(id)->is_regulation);
        EXPECT_TRUE(s.FindDocType(id)->public_by_default);
    }
    for (std::string_view id : {"regel", "rutin"}) {
        SCOPED_TRACE(id);
        const DocType* t = s.FindDocType(id);
        EXPECT_EQ(t->category, Category::kAdministrative);
        EXPECT_EQ(t->review.kind, ReviewRuleKind::kEveryMonths);
        EXPECT_EQ(t->review.months, 24);
        EXPECT_FALSE(t->is_regulation);
    }
    EXPECT_TRUE(s.FindDocType("regel")->public_by_default);
    EXPECT_FALSE(s.FindDocType("rutin")->public_by_default);
    EXPECT_EQ(s.FindDocType("planeringsstrategi")->review.kind,
              ReviewRuleKind::kMonthsAfterElection);
    EXPECT_EQ(s.FindDocType("planeringsstrategi")->review.months, 24);
    for (std::string_view id : {"riktlinjer-bostadsforsorjning", "program-privata-utforare"}) {
        SCOPED_TRACE(id);
        EXPECT_EQ(s.FindDocType(id)->review.kind, ReviewRuleKind::kWithinPeriod);
        EXPECT_EQ(s.FindDocType(id)->category, Category::kPolitical);
    }
    EXPECT_EQ(s.RequiredFieldsOf("rutin"),
              (std::vector<std::string>{"title", "doctype", "decided_by", "decided_on", "owner"}));
    EXPECT_EQ(s.RequiredFieldsOf("regel"), s.required_fields());
    EXPECT_EQ(s.dnr_style(), DnrStyle::kYearSerial);
    for (const DocType& t : s.doctypes()) {
        EXPECT_FALSE(t.label.empty()) << t.id;
        EXPECT_FALSE(t.plural.empty()) << t.id;
    }
}

TEST(SchemaDefault, HasTheBodiesTheCorpusUses) {
    Schema s = LoadShipped("default.xml");
    struct Expected {
        std::string_view id, name, abbreviation;
        BodyLevel level;
        bool political;
        std::string_view parent;
    };
    const Expected expected[] = {
        {"kf", "Kommunfullmäktige", "KF", BodyLevel::kCouncil, true, ""},
        {"ks", "Kommunstyrelsen", "KS", BodyLevel::kExecutiveBoard, true, "kf"},
        {"bun", "Barn- och utbildningsnämnden", "BUN", BodyLevel::kBoard, true, "kf"},
        {"sn", "Socialnämnden", "SN", BodyLevel::kBoard, true, "kf"},
        {"sbn", "Samhällsbyggnadsnämnden", "SBN", BodyLevel::kBoard, true, "kf"},
        {"kfn", "Kultur- och fritidsnämnden", "KFN", BodyLevel::kBoard, true, "kf"},
        {"ovn", "Överförmyndarnämnden", "ÖFN", BodyLevel::kBoard, true, "kf"},
        {"vn", "Valnämnden", "VN", BodyLevel::kBoard, true, "kf"},
        {"kd", "Kommundirektören", "KD", BodyLevel::kAdministration, false, "ks"},
        {"kbab", "Kommunfastigheter i Exempelby AB", "KBAB", BodyLevel::kAdministration, false,
         "kf"},
    };
    ASSERT_EQ(s.bodies().size(), std::size(expected));
    for (const Expected& e : expected) {
        SCOPED_TRACE(e.id);
        const Body* b = s.FindBody(e.id);
        ASSERT_NE(b, nullptr);
        EXPECT_EQ(b->id, e.id);
        EXPECT_EQ(b->name, e.name);
        EXPECT_EQ(b->abbreviation, e.abbreviation);
        EXPECT_EQ(b->level, e.level);
        EXPECT_EQ(b->political, e.political);
        EXPECT_EQ(b->parent, e.parent);
        EXPECT_EQ(s.FindBody(e.abbreviation), b);
        EXPECT_EQ(s.FindBody(e.name), b);
        EXPECT_TRUE(HasSynonyms(s, {std::string(e.abbreviation), std::string(e.name)}));
    }
    EXPECT_TRUE(s.FindBody("kf")->follows_council_period);
    EXPECT_FALSE(s.FindBody("ks")->follows_council_period);
}

TEST(SchemaDefault, HasTheTenGoalAreas) {
    Schema s = LoadShipped("default.xml");
    const std::pair<std::string_view, std::string_view> expected[] = {
        {"arbete-foretag", "Arbete och företag"},
        {"barn-utbildning", "Barn och utbildning"},
        {"bygga-bo", "Bygga och bo"},
        {"demokrati-mangfald", "Demokrati och mångfald"},
        {"miljo-energi-trafik", "Miljö, energi och trafik"},
        {"stod-omsorg", "Stöd och omsorg"},
        {"trygghet-folkhalsa", "Trygghet, säkerhet och folkhälsa"},
        {"uppleva-gora", "Uppleva och göra"},
        {"arbetsgivare", "Arbetsgivare"},
        {"ekonomi-effektivitet", "Ekonomi och effektivitet"},
    };
    ASSERT_EQ(s.goal_areas().size(), std::size(expected));
    for (const auto& [id, name] : expected) {
        SCOPED_TRACE(id);
        ASSERT_NE(s.FindGoalArea(id), nullptr);
        EXPECT_EQ(s.FindGoalArea(id)->name, name);
    }
}

TEST(SchemaDefault, RequiresFieldsLabelsThemAndKnowsTheSynonyms) {
    Schema s = LoadShipped("default.xml");
    EXPECT_EQ(s.required_fields(), (std::vector<std::string>{"title", "doctype", "decided_by",
                                                             "decided_on", "owner", "dnr"}));
    const std::pair<std::string_view, std::string_view> labels[] = {
        {"doctype", "Dokumenttyp"},
        {"decided_by", "Beslutad av"},
        {"decided_on", "Beslutsdatum"},
        {"paragraph", "Paragraf"},
        {"dnr", "Diarienummer"},
        {"owner", "Dokumentansvarig"},
        {"valid_from", "Giltig från"},
        {"valid_to", "Giltig till"},
        {"applies_to", "Gäller för"},
        {"replaces", "Ersätter"},
        {"related", "Relaterade dokument"},
        {"goal_areas", "Målområden"},
    };
    for (const auto& [field, label] : labels) EXPECT_EQ(s.LabelOf(field), label);
    // Every metadata field has a label of its own.
    for (std::string_view field :
         {"id", "title", "category", "owner_email", "owner_body", "status", "last_reviewed_on",
          "review_due", "keywords", "public", "changes", "reviews"}) {
        EXPECT_NE(s.LabelOf(field), field);
    }
    EXPECT_TRUE(HasSynonyms(s, {"VIP", "verksamhets- och investeringsplan"}));
    EXPECT_TRUE(HasSynonyms(s, {"SKR", "SKL", "Sveriges Kommuner och Regioner"}));
    EXPECT_TRUE(HasSynonyms(s, {"region", "landsting"}));
    EXPECT_TRUE(HasSynonyms(s, {"dnr", "diarienummer"}));
    EXPECT_TRUE(HasSynonyms(s, {"§", "paragraf"}));
    EXPECT_TRUE(HasSynonyms(s, {"KFS", "kommunens författningssamling"}));
    EXPECT_TRUE(HasSynonyms(s, {"ÖP", "översiktsplan"}));
}

TEST(SchemaProfile, MalomradenSplitsPoliticalFromAdministrative) {
    Schema s = LoadShipped("profiles/malomraden.xml");
    for (std::string_view id : {"plan", "program", "budget", "vision"}) {
        SCOPED_TRACE(id);
        ASSERT_NE(s.FindDocType(id), nullptr);
        EXPECT_EQ(s.FindDocType(id)->category, Category::kPolitical);
    }
    for (std::string_view id : {"foreskrift", "reglemente", "policy", "riktlinje", "bolagsordning",
                                "stadga", "stodjande-dokument"}) {
        SCOPED_TRACE(id);
        ASSERT_NE(s.FindDocType(id), nullptr);
        EXPECT_EQ(s.FindDocType(id)->category, Category::kAdministrative);
    }
    EXPECT_TRUE(s.FindDocType("foreskrift")->is_regulation);
    EXPECT_EQ(s.FindDocType("stodjande-dokument")->plural, "Stödjande dokument och mallar");
    EXPECT_EQ(s.goal_areas().size(), 10u);
    EXPECT_NE(s.FindGoalArea("Trygghet, säkerhet och folkhälsa"), nullptr);
    EXPECT_NE(s.FindGoalArea("Miljö, energi och trafik"), nullptr);
    EXPECT_NE(s.FindBody("KF"), nullptr);
}

TEST(SchemaProfile, VipHasPeriodProgramsAndYearlyPlans) {
    Schema s = LoadShipped("profiles/vip.xml");
    // Only the kommunprogram is adopted in each period; the vision and the
    // hållbarhetsprogram outlive periods and are reviewed every so many months.
    ASSERT_NE(s.FindDocType("kommunprogram"), nullptr);
    EXPECT_EQ(s.FindDocType("kommunprogram")->review.kind, ReviewRuleKind::kWithinPeriod);
    for (std::string_view id : {"vision", "hallbarhetsprogram"}) {
        SCOPED_TRACE(id);
        ASSERT_NE(s.FindDocType(id), nullptr);
        EXPECT_EQ(s.FindDocType(id)->review.kind, ReviewRuleKind::kEveryMonths);
    }
    ASSERT_NE(s.FindDocType("vip"), nullptr);
    EXPECT_EQ(s.FindDocType("vip")->label, "Verksamhets- och investeringsplan");
    EXPECT_EQ(s.FindDocType("vip")->review.kind, ReviewRuleKind::kYearly);
    ASSERT_NE(s.FindDocType("verksamhetsplan"), nullptr);
    EXPECT_EQ(s.FindDocType("verksamhetsplan")->review.kind, ReviewRuleKind::kYearly);
    EXPECT_NE(s.FindDocType("verksamhetsplan")->plural.find("internbudget"), std::string::npos);
    ASSERT_NE(s.FindDocType("reglemente"), nullptr);
    EXPECT_EQ(s.FindDocType("reglemente")->review.kind, ReviewRuleKind::kEveryMandatePeriod);
    EXPECT_TRUE(HasSynonyms(s, {"VIP", "verksamhets- och investeringsplan"}));
    EXPECT_NE(s.FindBody("BUN"), nullptr);
}

// The chain each shipped schema describes, top down (levels beside it left out), and the
// levels expected to implement something above them.
TEST(SchemaShipped, PlacesEveryDoctypeInItsStyrmodell) {
    const struct {
        std::string_view file;
        std::vector<std::vector<std::string>> chain;
        std::vector<std::string> implementing;
        StyrmodellGrouping grouping;
    } schemas[] = {
        {"default.xml",
         {{"vision"},
          {"program", "plan", "policy", "planeringsstrategi", "riktlinjer-bostadsforsorjning",
           "program-privata-utforare"},
          {"budget"},
          {"verksamhetsplan"},
          {"riktlinje", "regel", "rutin"}},
         {"verksamhetsplaner", "riktlinjer"},
         StyrmodellGrouping::kNone},
        {"profiles/vip.xml",
         {{"vision"}, {"hallbarhetsprogram", "kommunprogram"}, {"vip"}, {"verksamhetsplan"}},
         {"program", "vip", "verksamhetsplaner"},
         StyrmodellGrouping::kNone},
        {"profiles/malomraden.xml",
         {{"vision"},
          {"program", "plan", "budget", "planeringsstrategi", "riktlinjer-bostadsforsorjning",
           "program-privata-utforare"},
          {"internbudget"},
          {"policy", "riktlinje", "stadga"},
          {"stodjande-dokument"}},
         {"internbudgetar", "administrativa", "stodjande"},
         StyrmodellGrouping::kGoalArea},
    };
    for (const auto& schema : schemas) {
        SCOPED_TRACE(schema.file);
        Schema s = LoadShipped(schema.file);
        std::vector<std::vector<std::string>> chain;
        std::vector<std::string> implementing;
        for (const StyrmodellLevel& level : s.styrmodell()) {
            EXPECT_NE(level.id, "ovriga") << "a doctype is placed nowhere";
            if (!level.beside) chain.push_back(level.doctypes);
            if (level.implements_above) implementing.push_back(level.id);
        }
        EXPECT_EQ(chain, schema.chain);
        EXPECT_EQ(implementing, schema.implementing);
        EXPECT_EQ(s.styrmodell_grouping(), schema.grouping);
        for (const DocType& t : s.doctypes()) {
            SCOPED_TRACE(t.id);
            EXPECT_NE(s.LevelOf(t.id), nullptr);
        }
    }
}

// The two seed municipalities' own documents about their governing documents
// (tests/fixtures/styrmodell/seed): one says it is riktlinjer, the other a styrmodell. Every
// shipped schema has both doctypes, and validates both documents as they stand.
TEST(SchemaShipped, TakesTheSeedMunicipalitiesDocumentsAboutTheirGoverningDocuments) {
    const struct {
        std::string_view id;
        std::string_view doctype;
    } documents[] = {{"riktlinjer-for-styrdokument", "riktlinje"},
                     {"styrmodell-for-kommunen", "styrmodell"}};
    for (std::string_view file : {"default.xml", "profiles/vip.xml", "profiles/malomraden.xml"}) {
        SCOPED_TRACE(file);
        Schema s = LoadShipped(file);
        for (const auto& d : documents) {
            SCOPED_TRACE(d.id);
            std::ifstream in(testing::SourceDir() / "tests/fixtures/styrmodell/seed" /
                             std::string(d.id) / "metadata.xml");
            std::ostringstream xml;
            xml << in.rdbuf();
            MetadataParseResult parsed = ParseMetadataXml(xml.str());
            ASSERT_TRUE(parsed.problems.empty());
            EXPECT_EQ(parsed.metadata.doctype, d.doctype);
            ASSERT_NE(s.FindDocType(d.doctype), nullptr);
            for (const Problem& p : Validate(parsed.metadata, s, *Date::FromYmd(2026, 11, 23))) {
                ADD_FAILURE() << p.field << ": " << p.message;
            }
        }
    }
}

TEST(SchemaShipped, EveryBodyIsInItsLine) {
    for (std::string_view file : {"default.xml", "profiles/vip.xml", "profiles/malomraden.xml"}) {
        SCOPED_TRACE(file);
        Schema s = LoadShipped(file);
        for (const Body& b : s.bodies()) {
            SCOPED_TRACE(b.id);
            EXPECT_EQ(b.parent, b.id == "kf" ? "" : b.id == "kd" ? "ks" : "kf");
        }
        EXPECT_TRUE(s.DecidesFor("kf", "kbab"));
        EXPECT_TRUE(s.DecidesFor("ks", "kd"));
        EXPECT_FALSE(s.DecidesFor("ks", "sn"));
        EXPECT_FALSE(s.DecidesFor("bun", "sn"));
        EXPECT_FALSE(s.DecidesFor("kd", "kbab"));
    }
}

// Every doctype of every shipped schema, with the body that adopts such a document in the
// seed municipality; a doctype added to a schema without a row here fails the test.
TEST(SchemaShipped, ADocumentOfEachDoctypeValidates) {
    const struct {
        std::string_view file;
        std::vector<std::pair<std::string, std::string>> doctypes;  // doctype, decided_by
    } schemas[] = {
        {"default.xml",
         {{"vision", "kf"},
          {"program", "kf"},
          {"program-privata-utforare", "kf"},
          {"plan", "kf"},
          {"planeringsstrategi", "kf"},
          {"policy", "kf"},
          {"riktlinje", "sn"},
          {"riktlinjer-bostadsforsorjning", "kf"},
          {"reglemente", "kf"},
          {"budget", "kf"},
          {"verksamhetsplan", "bun"},
          {"taxa", "kf"},
          {"foreskrift", "kf"},
          {"bolagsordning", "kf"},
          {"agardirektiv", "kf"},
          {"delegationsordning", "ovn"},
          {"styrmodell", "kf"},
          {"regel", "ks"},
          {"rutin", "kd"}}},
        {"profiles/vip.xml",
         {{"vision", "kf"},
          {"hallbarhetsprogram", "kf"},
          {"kommunprogram", "kf"},
          {"vip", "kf"},
          {"verksamhetsplan", "sn"},
          {"reglemente", "kf"},
          {"arbetsordning", "kf"},
          {"delegationsordning", "bun"},
          {"styrmodell", "kf"},
          {"foreskrift", "kf"},
          {"riktlinje", "ks"},
          {"oversiktsplan", "kf"},
          {"planeringsstrategi", "kf"},
          {"riktlinjer-bostadsforsorjning", "kf"},
          {"program-privata-utforare", "kf"}}},
        {"profiles/malomraden.xml",
         {{"vision", "kf"},
          {"program", "kf"},
          {"styrmodell", "kf"},
          {"plan", "kf"},
          {"budget", "kf"},
          {"internbudget", "sbn"},
          {"foreskrift", "kf"},
          {"taxa", "kf"},
          {"reglemente", "kf"},
          {"policy", "kf"},
          {"riktlinje", "sn"},
          {"bolagsordning", "kf"},
          {"agardirektiv", "kf"},
          {"affarsplan", "kbab"},
          {"stadga", "kf"},
          {"stodjande-dokument", "kd"},
          {"planeringsstrategi", "kf"},
          {"riktlinjer-bostadsforsorjning", "kf"},
          {"program-privata-utforare", "kf"}}},
    };
    const Date today = *Date::FromYmd(2026, 11, 23);
    for (const auto& schema : schemas) {
        SCOPED_TRACE(schema.file);
        Schema s = LoadShipped(schema.file);
        ASSERT_EQ(s.doctypes().size(), schema.doctypes.size());
        for (const auto& [doctype, decided_by] : schema.doctypes) {
            SCOPED_TRACE(doctype);
            ASSERT_NE(s.FindDocType(doctype), nullptr);
            const Body* body = s.FindBody(decided_by);
            ASSERT_NE(body, nullptr);
            Metadata m;
            m.id = doctype + "-1";
            m.title = "Ett dokument";
            m.doctype = doctype;
            m.dnr = "KS 2025/12";
            m.decided_by = decided_by;
            m.decided_on = Date::FromYmd(2025, 3, 10);
            if (body->political) m.paragraph = "§ 45 a";
            m.owner = "Kanslichefen";
            // Fullmäktige decides for every body, so it may record any document's review.
            m.reviews = {{"kf", *Date::FromYmd(2026, 2, 2), "§ 12:3", "", ReviewOutcome::kKept}};
            std::vector<Problem> problems = Validate(m, s, today);
            for (const Problem& p : problems) ADD_FAILURE() << p.field << ": " << p.message;
        }
    }
}

}  // namespace
}  // namespace styrdok::core
