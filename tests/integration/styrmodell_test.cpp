// The styrmodell on the site (issue 17): /styrmodell places every document in force in its
// level and under what it implements, a document's page draws its neighbourhood, the clerk's
// dashboard lists what lacks a link, and every shipped schema registers the two seed
// municipalities' own documents about their governing documents as what they say they are.
// The chain is tests/fixtures/styrmodell/chain (default schema), served as of kToday.
#include <string>
#include <vector>

#include "registry_support.hpp"

namespace styrdok::testing {
namespace {

// The part of `page` from the element with id `id` to the end of its <section>; "" when the
// page has no such id.
std::string SectionOf(const std::string& page, const std::string& id) {
    const std::size_t start = page.find("id=\"" + id + "\"");
    if (start == std::string::npos) return "";
    const std::size_t end = page.find("</section>", start);
    return page.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// A link to document `id` as the templates write it (mustache escapes '/').
std::string Href(const std::string& id) { return "href=\"&#x2F;documents&#x2F;" + id + "\""; }

bool Has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class Styrmodell : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        sandbox_ = new Sandbox;
        const std::filesystem::path data = *sandbox_ / "registry";
        Styrdok(data, "init");
        Styrdok(data, "import --strict --author Test --email test@exempelby.se --message Kedja " +
                          ShellQuote((SourceDir() / "tests/fixtures/styrmodell/chain").string()) +
                          " --today " + kToday);
        AddStaffAccounts(data);
        server_ =
            new ServerProcess(STYRDOK_BINARY, data, std::vector<std::string>{"--today", kToday});
    }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
        delete sandbox_;
        sandbox_ = nullptr;
    }

    static std::string Get(const std::string& target, const std::string& user = "") {
        HttpResponse response = HttpGet(server_->port(), target, As(user));
        EXPECT_EQ(response.status, 200) << target << "\n" << response.body;
        return response.body;
    }

    static inline Sandbox* sandbox_ = nullptr;
    static inline ServerProcess* server_ = nullptr;
};

TEST_F(Styrmodell, PageNestsEachDocumentInForceUnderWhatItImplements) {
    const std::string page = Get("/styrmodell");
    EXPECT_TRUE(Has(page, "<a href=\"/styrmodell\" aria-current=\"page\">Styrmodell</a>"));
    // The vision's level holds the whole chain below it, nested.
    const std::string vision = SectionOf(page, "niva-vision");
    const std::size_t program = vision.find(Href("program-hallbarhet"));
    const std::size_t list =
        vision.find("<ul aria-label=\"Dokument som genomför Program för hållbar utveckling\">");
    const std::size_t bun = vision.find(Href("vp-bun-2026"));
    const std::size_t sn = vision.find(Href("vp-sn-2026"));
    ASSERT_NE(vision.find(Href("vision-2040")), std::string::npos) << page;
    ASSERT_NE(program, std::string::npos);
    ASSERT_NE(list, std::string::npos);
    EXPECT_LT(program, list);
    EXPECT_LT(list, bun);
    EXPECT_LT(bun, sn);
    EXPECT_NE(bun, std::string::npos);
    // What implements nothing in force stands at its own level.
    EXPECT_TRUE(Has(SectionOf(page, "niva-verksamhetsplaner"), Href("vp-kfn-2026")));
    EXPECT_TRUE(Has(SectionOf(page, "niva-riktlinjer"), Href("riktlinjer-resor")));
    EXPECT_TRUE(Has(SectionOf(page, "niva-organisation"), Href("reglemente-sn")));
    EXPECT_TRUE(Has(SectionOf(page, "niva-budget"), "Inga gällande dokument"));
    // Replaced and expired documents are not in force.
    EXPECT_FALSE(Has(page, Href("program-miljo-2015")));
    EXPECT_FALSE(Has(page, Href("policy-upphord")));
    EXPECT_TRUE(Has(page, "<h2 id=\"niva-vision\">Vision</h2>"));
}

TEST_F(Styrmodell, DocumentPageDrawsItsNeighbourhood) {
    const std::string page = Get("/documents/program-hallbarhet");
    const std::string svg = SectionOf(page, "grannskap-rubrik");
    ASSERT_TRUE(Has(svg, "<svg class=\"grannskap-svg\" role=\"group\"")) << page;
    EXPECT_TRUE(Has(svg,
                    "<title id=\"grannskap-titel\">Dokumentets kopplingar: Program för "
                    "hållbar utveckling</title>"));
    for (const char* id : {"vision-2040", "vp-bun-2026", "vp-sn-2026", "program-miljo-2015"}) {
        SCOPED_TRACE(id);
        EXPECT_TRUE(
            Has(svg, std::string("<a class=\"grannskap-lank\" href=\"/documents/") + id + "\">"));
    }
    for (const char* sentence :
         {"Program för hållbar utveckling genomför Vision 2040.",
          "Verksamhetsplan 2026 för barn- och utbildningsnämnden genomför Program för hållbar "
          "utveckling.",
          "Program för hållbar utveckling ersätter Miljöprogram 2015."}) {
        SCOPED_TRACE(sentence);
        EXPECT_TRUE(Has(svg, sentence));
    }
    // Two steps down from the vision: the verksamhetsplaner under the program.
    const std::string vision = SectionOf(Get("/documents/vision-2040"), "grannskap-rubrik");
    EXPECT_TRUE(Has(vision, "href=\"/documents/vp-sn-2026\""));
    // The replaced program's page shows its successor.
    EXPECT_TRUE(Has(SectionOf(Get("/documents/program-miljo-2015"), "grannskap-rubrik"),
                    "href=\"/documents/program-hallbarhet\""));
}

TEST_F(Styrmodell, DocumentWithoutRelationsHasNoDrawing) {
    const std::string page = Get("/documents/reglemente-sn");
    EXPECT_FALSE(Has(page, "grannskap"));
}

TEST_F(Styrmodell, DashboardListsWhatShouldImplementSomethingAndDoesNot) {
    const std::string page = Get("/granskning", "registrator");
    const std::string section = SectionOf(page, "saknar-koppling");
    ASSERT_FALSE(section.empty()) << page;
    EXPECT_TRUE(Has(section, "Saknar koppling (2)"));
    EXPECT_TRUE(Has(section, Href("vp-kfn-2026")));
    EXPECT_TRUE(Has(section, "Genomför inget dokument"));
    EXPECT_TRUE(Has(section, Href("riktlinjer-resor")));
    EXPECT_TRUE(Has(section, "Genomför bara dokument som inte gäller: Policy för resor 2018"));
    EXPECT_FALSE(Has(section, Href("vp-bun-2026")));
    // The dashboard's filter applies to the section too.
    const std::string filtered =
        SectionOf(Get("/granskning?organ=kfn", "registrator"), "saknar-koppling");
    EXPECT_TRUE(Has(filtered, "Saknar koppling (1)"));
    EXPECT_FALSE(Has(filtered, Href("riktlinjer-resor")));
}

// Each shipped schema registers the seed municipalities' documents about their governing
// documents: one that calls itself riktlinjer, one a styrmodell.
TEST(StyrmodellSeed, EverySchemaRegistersBothSeedDocumentsAsWhatTheySayTheyAre) {
    const struct {
        const char* schema;
        const char* riktlinje_level;
    } schemas[] = {
        {"default.xml", "niva-riktlinjer"},
        {"profiles/vip.xml", "niva-planer"},
        {"profiles/malomraden.xml", "niva-administrativa"},
    };
    for (const auto& s : schemas) {
        SCOPED_TRACE(s.schema);
        Sandbox sandbox;
        const std::filesystem::path data = sandbox / "registry";
        Styrdok(data, "init --schema " + ShellQuote((SourceDir() / "schema" / s.schema).string()));
        Styrdok(data, "import --strict --author Test --email test@exempelby.se --message Seed " +
                          ShellQuote((SourceDir() / "tests/fixtures/styrmodell/seed").string()) +
                          " --today " + kToday);
        ServerProcess server(STYRDOK_BINARY, data, {"--today", kToday});
        const struct {
            const char* id;
            const char* doctype;
            const char* level;
        } documents[] = {
            {"riktlinjer-for-styrdokument", "riktlinje", s.riktlinje_level},
            {"styrmodell-for-kommunen", "styrmodell", "niva-organisation"},
        };
        const std::string page = HttpGet(server.port(), "/styrmodell").body;
        for (const auto& d : documents) {
            SCOPED_TRACE(d.id);
            HttpResponse json = HttpGet(server.port(), std::string("/api/documents/") + d.id);
            ASSERT_EQ(json.status, 200) << json.body;
            EXPECT_EQ(Json(json)->getValue<std::string>("doctype"), d.doctype);
            EXPECT_TRUE(Has(SectionOf(page, d.level), Href(d.id))) << page;
        }
    }
}

}  // namespace
}  // namespace styrdok::testing
