#include "styrdok/core/metadata_xml.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace styrdok::core {
namespace {

// The example of docs/metadata-format.md, byte for byte as the writer writes it.
constexpr std::string_view kFullExample = R"(<?xml version="1.0" encoding="UTF-8"?>
<document>
  <id>arbetsmiljopolicy</id>
  <title>Arbetsmiljöpolicy</title>
  <doctype>policy</doctype>
  <dnr>KS 2021/0123</dnr>
  <decided_by>kf</decided_by>
  <decided_on>2021-05-24</decided_on>
  <paragraph>§ 67</paragraph>
  <owner>HR-chef</owner>
  <owner_email>hr-chef@exempel.se</owner_email>
  <owner_body>ks</owner_body>
  <applies_to>Alla förvaltningar och bolag</applies_to>
  <valid_from>2021-07-01</valid_from>
  <valid_to>2025-06-30</valid_to>
  <status>gällande</status>
  <last_reviewed_on>2023-02-27</last_reviewed_on>
  <review_due>2027-06-30</review_due>
  <replaces>arbetsmiljopolicy-2015</replaces>
  <related>
    <ref>rehabiliteringsrutin</ref>
  </related>
  <goal_areas>
    <goal_area>arbetsgivare</goal_area>
  </goal_areas>
  <keywords>
    <keyword>arbetsmiljö</keyword>
  </keywords>
  <public>true</public>
  <changes>Reviderad 2021: nytt avsnitt om hot och våld.</changes>
  <reviews>
    <review decided_by="kf" decided_on="2023-02-27" paragraph="§ 12" dnr="KS 2023/0044" outcome="fortsatt gällande"/>
  </reviews>
</document>
)";

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

std::string Wrap(std::string_view body) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<document>\n" + std::string(body) +
           "</document>\n";
}

// True when some problem's message contains every one of `parts`.
bool HasProblem(const std::vector<Problem>& problems, std::vector<std::string_view> parts) {
    for (const Problem& p : problems) {
        bool all = true;
        for (std::string_view part : parts) {
            if (p.message.find(part) == std::string::npos) all = false;
        }
        if (all) return true;
    }
    return false;
}

std::string Describe(const std::vector<Problem>& problems) {
    std::string out;
    for (const Problem& p : problems) out += "[" + p.field + "] " + p.message + "\n";
    return out;
}

TEST(MetadataXml, ReadsTheDocumentedExample) {
    MetadataParseResult r = ParseMetadataXml(kFullExample);
    ASSERT_TRUE(r.problems.empty()) << Describe(r.problems);
    const Metadata& m = r.metadata;
    EXPECT_EQ(m.id, "arbetsmiljopolicy");
    EXPECT_EQ(m.title, "Arbetsmiljöpolicy");
    EXPECT_EQ(m.doctype, "policy");
    EXPECT_EQ(m.dnr, "KS 2021/0123");
    EXPECT_EQ(m.decided_by, "kf");
    EXPECT_EQ(m.decided_on, D(2021, 5, 24));
    EXPECT_EQ(m.paragraph, "§ 67");
    EXPECT_EQ(m.owner, "HR-chef");
    EXPECT_EQ(m.owner_email, "hr-chef@exempel.se");
    EXPECT_EQ(m.owner_body, "ks");
    EXPECT_EQ(m.applies_to, "Alla förvaltningar och bolag");
    EXPECT_EQ(m.valid_from, D(2021, 7, 1));
    EXPECT_EQ(m.valid_to, D(2025, 6, 30));
    EXPECT_EQ(m.status, Status::kInForce);
    EXPECT_EQ(m.last_reviewed_on, D(2023, 2, 27));
    EXPECT_EQ(m.review_due, D(2027, 6, 30));
    EXPECT_EQ(m.replaces, std::vector<std::string>{"arbetsmiljopolicy-2015"});
    EXPECT_EQ(m.related, std::vector<std::string>{"rehabiliteringsrutin"});
    EXPECT_EQ(m.goal_areas, std::vector<std::string>{"arbetsgivare"});
    EXPECT_EQ(m.keywords, std::vector<std::string>{"arbetsmiljö"});
    EXPECT_EQ(m.is_public, true);
    EXPECT_EQ(m.changes, "Reviderad 2021: nytt avsnitt om hot och våld.");
    ASSERT_EQ(m.reviews.size(), 1u);
    EXPECT_EQ(m.reviews[0],
              (ReviewRecord{"kf", D(2023, 2, 27), "§ 12", "KS 2023/0044", ReviewOutcome::kKept}));
}

TEST(MetadataXml, WritesTheDocumentedExampleByteForByte) {
    MetadataParseResult r = ParseMetadataXml(kFullExample);
    ASSERT_TRUE(r.problems.empty()) << Describe(r.problems);
    EXPECT_EQ(WriteMetadataXml(r.metadata), kFullExample);
}

TEST(MetadataXml, OmitsAbsentFields) {
    Metadata m;
    m.id = "x";
    m.title = "X";
    EXPECT_EQ(WriteMetadataXml(m),
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<document>\n  <id>x</id>\n"
              "  <title>X</title>\n  <status>gällande</status>\n</document>\n");
}

TEST(MetadataXml, RoundTripsExactly) {
    std::vector<Metadata> cases;
    cases.emplace_back();
    {
        Metadata m;
        m.id = "taxa-2024";
        m.title = "Taxa för <bygglov> & \"kart\" 'tjänster'";
        m.doctype = "taxa";
        m.status = Status::kDraft;
        m.is_public = false;
        m.changes = "Rad ett\nRad två\r\nmed\ttabb och CR\r slut";
        m.keywords = {"a&b", "", "<c>"};
        m.related = {"x", "y"};
        m.implements = {"kommunprogram-2023", "hallbarhetsprogram"};
        m.replaces = {"taxa-2022", "taxa-2023"};
        m.goal_areas = {"bygga-bo", "miljo-energi-trafik"};
        m.reviews = {{"ks", D(2020, 2, 29), "", "", ReviewOutcome::kToBeRevised},
                     {"", D(2024, 1, 31), "§ 3", "KS\t2024/1\nB", ReviewOutcome::kRepealed}};
        cases.push_back(m);
    }
    {
        Metadata m;
        m.id = "upphavd";
        m.title = "Upphävd riktlinje";
        m.status = Status::kRepealed;
        m.valid_to = D(2019, 12, 31);
        m.owner_email = "a\"b@c.se";
        m.applies_to = "Kontrolltecken \x01 och \x1f";
        cases.push_back(m);
    }
    for (std::size_t i = 0; i < cases.size(); ++i) {
        SCOPED_TRACE(i);
        std::string xml = WriteMetadataXml(cases[i]);
        MetadataParseResult r = ParseMetadataXml(xml);
        EXPECT_TRUE(r.problems.empty()) << Describe(r.problems) << xml;
        EXPECT_EQ(r.metadata, cases[i]) << xml;
        EXPECT_EQ(WriteMetadataXml(r.metadata), xml);
    }
}

TEST(MetadataXml, ReadsReplacesAsTextOrAsList) {
    struct Case {
        std::string_view name;
        std::string_view xml;
        std::vector<std::string> replaces;
        std::vector<std::string> implements;
    };
    const Case cases[] = {
        {"one id as text, as registries before lists",
         "<replaces>budget-2025</replaces>",
         {"budget-2025"},
         {}},
        {"one id as a list", "<replaces><ref>budget-2025</ref></replaces>", {"budget-2025"}, {}},
        {"two ids",
         "<replaces><ref>taxa-a</ref><ref>taxa-b</ref></replaces>",
         {"taxa-a", "taxa-b"},
         {}},
        {"empty text", "<replaces> </replaces>", {}, {}},
        {"implements as a list",
         "<implements><ref>vision-2040</ref><ref>kommunprogram-2023</ref></implements>",
         {},
         {"vision-2040", "kommunprogram-2023"}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        MetadataParseResult r = ParseMetadataXml(Wrap(std::string(c.xml)));
        EXPECT_TRUE(r.problems.empty()) << Describe(r.problems);
        EXPECT_EQ(r.metadata.replaces, c.replaces);
        EXPECT_EQ(r.metadata.implements, c.implements);
    }
}

TEST(MetadataXml, WritesOneReplacedIdInTheOlderForm) {
    Metadata m;
    m.id = "budget-2026";
    m.replaces = {"budget-2025"};
    EXPECT_NE(WriteMetadataXml(m).find("  <replaces>budget-2025</replaces>\n"), std::string::npos);
    m.replaces = {"a", "b"};
    EXPECT_NE(WriteMetadataXml(m).find("  <replaces>\n    <ref>a</ref>\n    <ref>b</ref>\n"),
              std::string::npos);
}

TEST(MetadataXml, RefusesImplementsAsText) {
    MetadataParseResult r = ParseMetadataXml(Wrap("<implements>vision-2040</implements>"));
    EXPECT_TRUE(r.metadata.implements.empty());
    EXPECT_EQ(r.problems.size(), 1u) << Describe(r.problems);
}

TEST(MetadataXml, TrimsTextAndTreatsEmptyElementsAsAbsent) {
    MetadataParseResult r = ParseMetadataXml(
        Wrap("  <title>\n    Plan för X  \n  </title>\n  <dnr/>\n  <valid_to></valid_to>\n"
             "  <public> </public>\n  <title2/>\n"));
    EXPECT_EQ(r.metadata.title, "Plan för X");
    EXPECT_TRUE(r.metadata.dnr.empty());
    EXPECT_FALSE(r.metadata.valid_to.has_value());
    EXPECT_FALSE(r.metadata.is_public.has_value());
    ASSERT_EQ(r.problems.size(), 1u) << Describe(r.problems);
    EXPECT_TRUE(HasProblem(r.problems, {"line 9", "unknown element <title2>"}));
}

TEST(MetadataXml, StatusDefaultsToInForce) {
    MetadataParseResult r = ParseMetadataXml(Wrap("  <id>a</id>\n"));
    EXPECT_TRUE(r.problems.empty());
    EXPECT_EQ(r.metadata.status, Status::kInForce);
    EXPECT_EQ(ParseMetadataXml(Wrap("<status>utkast</status>")).metadata.status, Status::kDraft);
    EXPECT_EQ(ParseMetadataXml(Wrap("<status>upphävd</status>")).metadata.status,
              Status::kRepealed);
}

TEST(MetadataXml, ReadsCdataAndEscapes) {
    MetadataParseResult r =
        ParseMetadataXml(Wrap("<title><![CDATA[A <b> & c]]></title><owner>R&amp;D &#229;</owner>"));
    EXPECT_TRUE(r.problems.empty()) << Describe(r.problems);
    EXPECT_EQ(r.metadata.title, "A <b> & c");
    EXPECT_EQ(r.metadata.owner, "R&D å");
}

struct BadCase {
    std::string_view name;
    std::string xml;
    std::vector<std::string_view> expected;  // parts of one problem's message
};

TEST(MetadataXml, ReportsEachProblemWithItsLine) {
    const std::vector<BadCase> cases = {
        {"unclosed element", "<document>\n  <title>X\n</document>\n", {"line 3", "malformed XML"}},
        {"mismatched end",
         "<?xml version=\"1.0\"?>\n<document>\n<id>a</id>\n<title>x</titel>\n</document>",
         {"line 4", "malformed XML"}},
        {"empty input", "", {"line 1", "missing <document> root"}},
        {"only a comment", "<!-- nothing -->\n", {"missing <document> root"}},
        {"wrong root",
         "<?xml version=\"1.0\"?>\n<dokument><id>a</id></dokument>",
         {"line 2", "missing <document> root", "<dokument>"}},
        {"second root", "<document/>\n<document/>", {"line 2", "after the <document> root"}},
        {"unknown element",
         Wrap("  <id>a</id>\n  <titel>x</titel>\n"),
         {"line 4", "unknown element <titel>"}},
        {"unknown in list",
         Wrap("  <related>\n    <id>a</id>\n  </related>\n"),
         {"line 4", "unknown element <id> in <related>"}},
        {"element in text",
         Wrap("  <title>a <b>fet</b></title>\n"),
         {"line 3", "unexpected element <b> in <title>"}},
        {"text in list",
         Wrap("  <keywords>lös text</keywords>\n"),
         {"line 3", "unexpected text in <keywords>"}},
        {"duplicate element",
         Wrap("  <title>a</title>\n  <title>b</title>\n"),
         {"line 4", "duplicate element <title>"}},
        {"attribute on field",
         Wrap("  <title lang=\"sv\">a</title>\n"),
         {"line 3", "unknown attribute 'lang' on <title>"}},
        {"february 30",
         Wrap("\n  <decided_on>2021-02-30</decided_on>\n"),
         {"line 4", "decided_on '2021-02-30' is not a date"}},
        {"swedish date",
         Wrap("  <valid_from>24/5 2021</valid_from>\n"),
         {"line 3", "valid_from '24/5 2021'"}},
        {"short date", Wrap("  <valid_to>2021-5-24</valid_to>\n"), {"valid_to '2021-5-24'"}},
        {"date with time", Wrap("  <review_due>2021-05-24T00:00</review_due>\n"), {"review_due"}},
        {"not a leap year",
         Wrap("  <last_reviewed_on>2023-02-29</last_reviewed_on>\n"),
         {"last_reviewed_on '2023-02-29'"}},
        {"unknown status",
         Wrap("  <status>aktiv</status>\n"),
         {"line 3", "unknown status 'aktiv'"}},
        {"public yes",
         Wrap("  <public>ja</public>\n"),
         {"line 3", "public must be true or false, not 'ja'"}},
        {"public capitalised", Wrap("  <public>True</public>\n"), {"public must be true or false"}},
        {"unknown outcome",
         Wrap("  <reviews>\n    <review decided_by=\"kf\" decided_on=\"2023-01-01\" "
              "outcome=\"behålls\"/>\n  </reviews>\n"),
         {"line 4", "unknown review outcome 'behålls'"}},
        {"review date",
         Wrap("  <reviews><review decided_on=\"2023-13-01\" outcome=\"revideras\"/>"
              "</reviews>\n"),
         {"line 3", "review decided_on '2023-13-01'"}},
        {"review without date",
         Wrap("<reviews><review outcome=\"revideras\"/></reviews>"),
         {"lacks decided_on"}},
        {"review without outcome",
         Wrap("<reviews><review decided_on=\"2023-01-01\"/></reviews>"),
         {"lacks outcome"}},
        {"review attribute",
         Wrap("<reviews><review decided_on=\"2023-01-01\" outcome=\"upphävs\" datum=\"x\"/>"
              "</reviews>"),
         {"unknown attribute 'datum' on <review>"}},
        {"other element in reviews",
         Wrap("<reviews><prövning/></reviews>"),
         {"unknown element <prövning> in <reviews>"}},
        {"invalid utf-8 in text",
         Wrap("  <id>a</id>\n  <title>Arbetsmilj\xf6policy</title>\n"),
         {"line 4", "invalid UTF-8"}},
        {"overlong utf-8", Wrap("  <title>\xc0\xaf</title>\n"), {"line 3", "invalid UTF-8"}},
        {"invalid utf-8 in a comment",
         "<document>\n<!-- \xff -->\n</document>",
         {"line 2", "invalid UTF-8"}},
        {"reference to a surrogate",
         Wrap("  <id>a</id>\n  <title>&#xD800;</title>\n"),
         {"line 4", "character reference to no Unicode character"}},
        {"reference past unicode",
         Wrap("  <owner>x &#1114112;</owner>\n"),
         {"line 3", "character reference to no Unicode character"}},
        {"reference in a list item",
         Wrap("  <keywords>\n    <keyword>&#x110000;</keyword>\n  </keywords>\n"),
         {"line 4", "character reference to no Unicode character"}},
        {"reference in an attribute",
         Wrap("  <reviews>\n    <review decided_on=\"2023-01-01\" outcome=\"revideras\" "
              "dnr=\"&#xDFFF;\"/>\n  </reviews>\n"),
         {"line 4", "character reference to no Unicode character"}},
    };
    for (const BadCase& c : cases) {
        SCOPED_TRACE(c.name);
        MetadataParseResult r = ParseMetadataXml(c.xml);
        EXPECT_TRUE(HasProblem(r.problems, c.expected)) << Describe(r.problems);
    }
}

TEST(MetadataXml, ListsEveryProblemNotOnlyTheFirst) {
    MetadataParseResult r =
        ParseMetadataXml(Wrap("  <decided_on>2021-02-30</decided_on>\n"
                              "  <status>okänd</status>\n"
                              "  <public>nej</public>\n"
                              "  <farg>blå</farg>\n"
                              "  <title>\xe5</title>\n"
                              "  <reviews>\n"
                              "    <review decided_on=\"2020-01-01\" outcome=\"kanske\"/>\n"
                              "  </reviews>\n"));
    EXPECT_EQ(r.problems.size(), 6u) << Describe(r.problems);
    EXPECT_TRUE(HasProblem(r.problems, {"line 3", "decided_on"}));
    EXPECT_TRUE(HasProblem(r.problems, {"line 4", "status"}));
    EXPECT_TRUE(HasProblem(r.problems, {"line 5", "public"}));
    EXPECT_TRUE(HasProblem(r.problems, {"line 6", "<farg>"}));
    EXPECT_TRUE(HasProblem(r.problems, {"line 7", "UTF-8"}));
    EXPECT_TRUE(HasProblem(r.problems, {"line 9", "kanske"}));
}

TEST(MetadataXml, NamesTheFieldOfEachProblem) {
    MetadataParseResult r = ParseMetadataXml(Wrap("<valid_to>igår</valid_to>"));
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].field, "valid_to");
}

TEST(MetadataXml, KeepsLineNumbersAfterMultiByteCharacters) {
    MetadataParseResult r = ParseMetadataXml(
        "<document>\n<title>Överförmyndarnämndens ärenden</title>\n"
        "<applies_to>Förvaltningar</applies_to>\n<nämnd>x</nämnd>\n</document>");
    ASSERT_EQ(r.problems.size(), 1u) << Describe(r.problems);
    EXPECT_TRUE(HasProblem(r.problems, {"line 4", "<nämnd>"}));
}

}  // namespace
}  // namespace styrdok::core
