#include "styrdok/core/validation.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "styrdok/testing/sandbox.hpp"

namespace styrdok::core {
namespace {

constexpr std::string_view kSchema = R"(<?xml version="1.0" encoding="UTF-8"?>
<schema name="Test" version="1">
  <doctypes>
    <doctype id="policy" label="Policy" category="politisk" review="mandate-period"
             grace_months="12"/>
    <doctype id="taxa" label="Taxa" category="politisk" review="yearly" regulation="true"/>
    <doctype id="rutin" label="Rutin" category="administrativ" review="months" months="24"
             public="false" required="title doctype decided_by decided_on owner"/>
    <doctype id="plan" label="Plan" category="politisk" review="none" required="valid_from"/>
  </doctypes>
  <!-- No parents: they are derived from the levels, as for a schema written before them. -->
  <bodies>
    <body id="kf" name="Kommunfullmäktige" abbreviation="KF" level="fullmaktige"/>
    <body id="ks" name="Kommunstyrelsen" abbreviation="KS" level="styrelse"/>
    <body id="sn" name="Socialnämnden" abbreviation="SN" level="namnd"/>
    <body id="bun" name="Barn- och utbildningsnämnden" abbreviation="BUN" level="namnd"/>
    <body id="kd" name="Kommundirektören" abbreviation="KD" level="forvaltning"/>
    <body id="ab" name="Bostadsbolaget AB" level="bolag"/>
  </bodies>
  <goal_areas>
    <goal_area id="arbetsgivare" name="Arbetsgivare"/>
    <goal_area id="stod-omsorg" name="Stöd och omsorg"/>
  </goal_areas>
  <required_fields>
    <field>title</field>
    <field>doctype</field>
    <field>decided_by</field>
    <field>decided_on</field>
    <field>owner</field>
    <field>dnr</field>
  </required_fields>
</schema>
)";

const Schema& TestSchema() {
    static const Schema schema = Schema::Parse(kSchema, "validation-test.xml");
    return schema;
}

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

const Date kToday = D(2024, 6, 1);

// A document in force with every field the schema requires, and nothing wrong.
Metadata Valid() {
    Metadata m;
    m.id = "arbetsmiljopolicy";
    m.title = "Arbetsmiljöpolicy";
    m.doctype = "policy";
    m.dnr = "KS 2021/0123";
    m.decided_by = "kf";
    m.decided_on = D(2021, 5, 24);
    m.paragraph = "§ 67";
    m.owner = "HR-chef";
    m.owner_email = "hr-chef@exempel.se";
    m.owner_body = "ks";
    m.valid_from = D(2021, 7, 1);
    m.goal_areas = {"arbetsgivare"};
    m.reviews = {{"kf", D(2023, 2, 27), "§ 12", "KS 2023/0044", ReviewOutcome::kKept}};
    return m;
}

std::vector<std::pair<std::string, std::string>> Messages(const std::vector<Problem>& problems) {
    std::vector<std::pair<std::string, std::string>> messages;
    for (const Problem& p : problems) messages.emplace_back(p.field, p.message);
    return messages;
}

std::string Describe(const std::vector<Problem>& problems) {
    std::string out;
    for (const Problem& p : problems) out += "[" + p.field + "] " + p.message + "\n";
    return out;
}

TEST(Validation, AcceptsAValidDocument) {
    EXPECT_EQ(Validate(Valid(), TestSchema(), kToday), std::vector<Problem>{});
}

struct Case {
    std::string_view name;
    std::function<void(Metadata&)> change;
    // Exactly the problems, in order: each field and its English message.
    std::vector<std::pair<std::string, std::string>> expected;
};

TEST(Validation, ReportsEachProblem) {
    const std::vector<Case> cases = {
        {"missing id", [](Metadata& m) { m.id.clear(); }, {{"id", "id is missing"}}},
        {"id with capitals",
         [](Metadata& m) { m.id = "Arbetsmiljo"; },
         {{"id", "id 'Arbetsmiljo' is not 1–100 characters of a-z, 0-9 and '-'"}}},
        {"id with a slash",
         [](Metadata& m) { m.id = "../etc"; },
         {{"id", "id '../etc' is not 1–100 characters of a-z, 0-9 and '-'"}}},
        {"missing title", [](Metadata& m) { m.title.clear(); }, {{"title", "title is missing"}}},
        {"missing doctype",
         [](Metadata& m) { m.doctype.clear(); },
         {{"doctype", "doctype is missing"}}},
        {"unknown doctype",
         [](Metadata& m) { m.doctype = "manifest"; },
         {{"doctype", "unknown doctype 'manifest'"}}},
        {"unknown decided_by",
         [](Metadata& m) { m.decided_by = "riksdagen"; },
         {{"decided_by", "decided_by: unknown body 'riksdagen'"}}},
        {"unknown owner_body",
         [](Metadata& m) { m.owner_body = "gn"; },
         {{"owner_body", "owner_body: unknown body 'gn'"}}},
        {"unknown goal area",
         [](Metadata& m) { m.goal_areas.push_back("rymden"); },
         {{"goal_areas", "unknown goal area 'rymden'"}}},
        {"missing dnr",
         [](Metadata& m) { m.dnr.clear(); },
         {{"dnr", "dnr is required for a document in force"}}},
        {"missing owner",
         [](Metadata& m) { m.owner.clear(); },
         {{"owner", "owner is required for a document in force"}}},
        {"missing decided_on",
         [](Metadata& m) { m.decided_on.reset(); },
         {{"decided_on", "decided_on is required for a document in force"}}},
        {"missing decided_by",
         [](Metadata& m) {
             m.decided_by.clear();
             m.reviews.clear();
         },
         {{"decided_by", "decided_by is required for a document in force"}}},
        {"decided tomorrow",
         [](Metadata& m) { m.decided_on = D(2024, 6, 2); },
         {{"decided_on", "decided_on 2024-06-02 is in the future"}}},
        {"valid_to before valid_from",
         [](Metadata& m) { m.valid_to = D(2021, 6, 30); },
         {{"valid_to", "valid_to 2021-06-30 is before valid_from 2021-07-01"}}},
        {"paragraph that does not parse",
         [](Metadata& m) { m.paragraph = "sextiosju"; },
         {{"paragraph", "paragraph 'sextiosju' is not a paragraph number such as '§ 67'"}}},
        {"paragraph missing after a political decision",
         [](Metadata& m) { m.paragraph.clear(); },
         {{"paragraph", "paragraph is required when Kommunfullmäktige decided"}}},
        {"föreskrift in force not public",
         [](Metadata& m) {
             m.doctype = "taxa";
             m.is_public = false;
         },
         {{"public",
           "a föreskrift in force must be public (kommunallagen 8 kap. 13 §), but public is "
           "false"}}},
        {"owner_email without domain",
         [](Metadata& m) { m.owner_email = "hr-chef"; },
         {{"owner_email", "owner_email 'hr-chef' is not an e-mail address"}}},
        {"owner_email with a name",
         [](Metadata& m) { m.owner_email = "HR chef <hr@x.se>"; },
         {{"owner_email", "owner_email 'HR chef <hr@x.se>' is not an e-mail address"}}},
        {"owner_email with two addresses",
         [](Metadata& m) { m.owner_email = "a@x.se,b@x.se"; },
         {{"owner_email", "owner_email 'a@x.se,b@x.se' is not an e-mail address"}}},
        {"owner_email without a dot",
         [](Metadata& m) { m.owner_email = "a@localhost"; },
         {{"owner_email", "owner_email 'a@localhost' is not an e-mail address"}}},
        {"review by an unknown body",
         [](Metadata& m) { m.reviews[0].decided_by = "xyz"; },
         {{"reviews", "review of 2023-02-27: unknown body 'xyz'"}}},
        {"review naming no body",
         [](Metadata& m) { m.reviews[0].decided_by.clear(); },
         {{"reviews", "review of 2023-02-27 names no body"}}},
        {"review in the future",
         [](Metadata& m) { m.reviews[0].decided_on = D(2025, 1, 1); },
         {{"reviews", "review of 2025-01-01 is in the future"}}},
        {"review paragraph that does not parse",
         [](Metadata& m) { m.reviews[0].paragraph = "tolv"; },
         {{"reviews",
           "review of 2023-02-27: paragraph 'tolv' is not a paragraph number such as '§ 67'"}}},
        {"review by a political body without paragraph",
         [](Metadata& m) { m.reviews[0].paragraph.clear(); },
         {{"reviews", "review of 2023-02-27: a decision of Kommunfullmäktige needs a paragraph"}}},
        {"review by a body below the adopting one",
         [](Metadata& m) { m.reviews[0].decided_by = "sn"; },
         {{"reviews",
           "review of 2023-02-27: Socialnämnden does not decide for Kommunfullmäktige, which "
           "adopted the document"}}},
        {"review by kommunstyrelsen of a nämnd's document",
         [](Metadata& m) {
             m.decided_by = "sn";
             m.reviews[0].decided_by = "ks";
         },
         {{"reviews",
           "review of 2023-02-27: Kommunstyrelsen does not decide for Socialnämnden, which adopted "
           "the document"}}},
        {"review by another nämnd",
         [](Metadata& m) {
             m.decided_by = "sn";
             m.reviews[0].decided_by = "bun";
         },
         {{"reviews",
           "review of 2023-02-27: Barn- och utbildningsnämnden does not decide for Socialnämnden, "
           "which adopted the document"}}},
        {"review by a nämnd of kommunstyrelsen's document",
         [](Metadata& m) {
             m.decided_by = "ks";
             m.reviews[0].decided_by = "sn";
         },
         {{"reviews",
           "review of 2023-02-27: Socialnämnden does not decide for Kommunstyrelsen, which adopted "
           "the document"}}},
        {"review by kommundirektören of a company's rutin",
         [](Metadata& m) {
             m.doctype = "rutin";
             m.decided_by = "ab";
             m.paragraph.clear();
             m.reviews[0].decided_by = "kd";
             m.reviews[0].paragraph.clear();
         },
         {{"reviews",
           "review of 2023-02-27: Kommundirektören does not decide for Bostadsbolaget AB, which "
           "adopted the document"}}},
        {"review by kommundirektören of a nämnd's document",
         [](Metadata& m) {
             m.decided_by = "sn";
             m.reviews[0].decided_by = "kd";
             m.reviews[0].paragraph.clear();
         },
         {{"reviews",
           "review of 2023-02-27: Kommundirektören does not decide for Socialnämnden, which "
           "adopted the document"}}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        Metadata m = Valid();
        c.change(m);
        std::vector<Problem> problems = Validate(m, TestSchema(), kToday);
        EXPECT_EQ(Messages(problems), c.expected) << Describe(problems);
    }
}

TEST(Validation, AcceptsWhatTheRulesAllow) {
    const std::vector<Case> cases = {
        {"decided today", [](Metadata& m) { m.decided_on = kToday; }, {}},
        {"valid for one day", [](Metadata& m) { m.valid_to = m.valid_from; }, {}},
        {"tillsvidare", [](Metadata& m) { m.valid_to.reset(); }, {}},
        {"body by abbreviation", [](Metadata& m) { m.decided_by = "KF"; }, {}},
        {"body by name", [](Metadata& m) { m.decided_by = "kommunfullmäktige"; }, {}},
        {"goal area by name", [](Metadata& m) { m.goal_areas = {"Stöd och omsorg"}; }, {}},
        {"paragraph spelt out", [](Metadata& m) { m.paragraph = "paragraf 67"; }, {}},
        {"paragraph without sign", [](Metadata& m) { m.paragraph = "67"; }, {}},
        {"no paragraph when the administration decided",
         [](Metadata& m) {
             m.decided_by = "kd";
             m.paragraph.clear();
             m.reviews.clear();
         },
         {}},
        {"review by fullmäktige of a nämnd's document",
         [](Metadata& m) {
             m.decided_by = "sn";
             m.reviews[0].decided_by = "kf";
         },
         {}},
        {"review by the nämnd itself",
         [](Metadata& m) {
             m.decided_by = "sn";
             m.reviews[0].decided_by = "SN";
         },
         {}},
        {"review by kommunstyrelsen of its official's document",
         [](Metadata& m) {
             m.decided_by = "kd";
             m.paragraph.clear();
             m.reviews[0].decided_by = "ks";
         },
         {}},
        {"review by fullmäktige of a company's document",
         [](Metadata& m) {
             m.decided_by = "ab";
             m.paragraph.clear();
         },
         {}},
        {"review by the administration needs no paragraph",
         [](Metadata& m) {
             m.decided_by = "kd";
             m.paragraph.clear();
             m.reviews[0].decided_by = "kd";
             m.reviews[0].paragraph.clear();
         },
         {}},
        {"review today", [](Metadata& m) { m.reviews[0].decided_on = kToday; }, {}},
        {"föreskrift public by default", [](Metadata& m) { m.doctype = "taxa"; }, {}},
        {"föreskrift public",
         [](Metadata& m) {
             m.doctype = "taxa";
             m.is_public = true;
         },
         {}},
        {"repealed föreskrift not public",
         [](Metadata& m) {
             m.doctype = "taxa";
             m.status = Status::kRepealed;
             m.is_public = false;
         },
         {}},
        {"non-public rutin",
         [](Metadata& m) {
             m.doctype = "rutin";
             m.is_public = false;
         },
         {}},
        {"no e-mail", [](Metadata& m) { m.owner_email.clear(); }, {}},
        {"e-mail with a plus and subdomain",
         [](Metadata& m) { m.owner_email = "hr+policy@kommun.exempel.se"; },
         {}},
        {"draft without required fields",
         [](Metadata& m) {
             m.status = Status::kDraft;
             m.dnr.clear();
             m.decided_by.clear();
             m.decided_on.reset();
             m.paragraph.clear();
             m.owner.clear();
             m.reviews.clear();
         },
         {}},
        {"repealed without paragraph",
         [](Metadata& m) {
             m.status = Status::kRepealed;
             m.paragraph.clear();
         },
         {}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        Metadata m = Valid();
        c.change(m);
        std::vector<Problem> problems = Validate(m, TestSchema(), kToday);
        EXPECT_EQ(Messages(problems), c.expected) << Describe(problems);
    }
}

TEST(Validation, ReportsEveryProblemNotOnlyTheFirst) {
    Metadata m = Valid();
    m.id = "Fel id";
    m.title.clear();
    m.doctype = "okänd";
    m.decided_by = "riksdagen";
    m.goal_areas = {"rymden"};
    m.dnr.clear();
    m.decided_on = D(2030, 1, 1);
    m.valid_to = D(2020, 1, 1);
    m.paragraph = "x";
    m.owner_email = "ingen";
    m.reviews[0].decided_by = "okänd";
    std::vector<Problem> problems = Validate(m, TestSchema(), kToday);
    std::vector<std::string> fields;
    for (const Problem& p : problems) fields.push_back(p.field);
    EXPECT_EQ(fields, (std::vector<std::string>{"id", "title", "doctype", "decided_by",
                                                "goal_areas", "dnr", "decided_on", "valid_to",
                                                "paragraph", "owner_email", "reviews"}))
        << Describe(problems);
}

TEST(Validation, UsesTheSchemasRequiredFields) {
    Schema schema = Schema::Parse(
        R"(<schema name="Strikt" version="1">
  <doctypes><doctype id="plan" label="Plan" category="politisk" review="none"/></doctypes>
  <required_fields><field>applies_to</field><field>goal_areas</field><field>public</field>
    <field>category</field></required_fields>
</schema>)",
        "strict.xml");
    Metadata m;
    m.id = "plan";
    m.title = "Plan";
    m.doctype = "plan";
    EXPECT_EQ(Messages(Validate(m, schema, kToday)),
              (std::vector<std::pair<std::string, std::string>>{
                  {"applies_to", "applies_to is required for a document in force"},
                  {"goal_areas", "goal_areas is required for a document in force"},
                  {"public", "public is required for a document in force"}}));
}

// DOMAIN.md: dnr is required by default; a doctype may say otherwise (a rutin decided by an
// official has none).
TEST(Validation, UsesTheDoctypesRequiredFields) {
    const std::vector<Case> cases = {
        {"a rutin by an official without dnr or paragraph",
         [](Metadata& m) {
             m.doctype = "rutin";
             m.decided_by = "kd";
             m.dnr.clear();
             m.paragraph.clear();
             m.reviews.clear();
         },
         {}},
        {"a rutin still needs an owner",
         [](Metadata& m) {
             m.doctype = "rutin";
             m.dnr.clear();
             m.owner.clear();
         },
         {{"owner", "owner is required for a document in force"}}},
        {"a rutin decided by a political body still needs its paragraph",
         [](Metadata& m) {
             m.doctype = "rutin";
             m.dnr.clear();
             m.paragraph.clear();
         },
         {{"paragraph", "paragraph is required when Kommunfullmäktige decided"}}},
        {"a policy needs its dnr",
         [](Metadata& m) { m.dnr.clear(); },
         {{"dnr", "dnr is required for a document in force"}}},
        {"a plan's own list replaces the schema's",
         [](Metadata& m) {
             m.doctype = "plan";
             m.dnr.clear();
             m.owner.clear();
         },
         {}},
        {"a plan needs valid_from",
         [](Metadata& m) {
             m.doctype = "plan";
             m.valid_from.reset();
         },
         {{"valid_from", "valid_from is required for a document in force"}}},
        {"an unknown doctype is held to the schema's list",
         [](Metadata& m) {
             m.doctype = "manifest";
             m.dnr.clear();
         },
         {{"doctype", "unknown doctype 'manifest'"},
          {"dnr", "dnr is required for a document in force"}}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        Metadata m = Valid();
        c.change(m);
        std::vector<Problem> problems = Validate(m, TestSchema(), kToday);
        EXPECT_EQ(Messages(problems), c.expected) << Describe(problems);
    }
}

TEST(Validation, AcceptsTheDefaultSchemasExample) {
    Schema schema = Schema::Load(testing::SourceDir() / "schema" / "default.xml");
    EXPECT_EQ(Validate(Valid(), schema, kToday), std::vector<Problem>{});
}

}  // namespace
}  // namespace styrdok::core

namespace styrdok::core {
namespace {

TEST(ValidateRelations, RefusesUnknownIdsAndTheDocumentItself) {
    const auto exists = [](std::string_view id) {
        return id == "vision-2040" || id == "kommunprogram-2023" || id == "budget-2026";
    };
    struct Case {
        const char* name;
        std::vector<std::string> implements;
        std::vector<std::string> replaces;
        std::vector<std::string> related;
        std::vector<Problem> expected;
    };
    const std::vector<Case> cases = {
        {"alla id finns", {"kommunprogram-2023"}, {"budget-2026"}, {"vision-2040"}, {}},
        {"inga relationer", {}, {}, {}, {}},
        {"okänt id i genomför",
         {"kommunprogram-2023", "kommunprogram-2019"},
         {},
         {},
         {MakeProblem(ProblemCode::kUnknownDocument, "implements", {"kommunprogram-2019"})}},
        {"okänt id i ersätter, nämnt två gånger",
         {},
         {"budget-2025", "budget-2025"},
         {},
         {MakeProblem(ProblemCode::kUnknownDocument, "replaces", {"budget-2025"})}},
        {"okänt id bland relaterade",
         {},
         {},
         {"saknas"},
         {MakeProblem(ProblemCode::kUnknownDocument, "related", {"saknas"})}},
        {"genomför sig självt",
         {"verksamhetsplan-sn-2027"},
         {},
         {},
         {MakeProblem(ProblemCode::kSelfReference, "implements", {"verksamhetsplan-sn-2027"})}},
        {"ersätter sig självt",
         {},
         {"verksamhetsplan-sn-2027"},
         {},
         {MakeProblem(ProblemCode::kSelfReference, "replaces", {"verksamhetsplan-sn-2027"})}},
        {"tomma id räknas inte", {""}, {""}, {""}, {}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        Metadata m;
        m.id = "verksamhetsplan-sn-2027";
        m.implements = c.implements;
        m.replaces = c.replaces;
        m.related = c.related;
        EXPECT_EQ(ValidateRelations(m, exists), c.expected);
    }
}

}  // namespace
}  // namespace styrdok::core
