// Typed relations (issue 17, point 1; DESIGN.md "Relations"): `implements` and `replaces` as
// lists with their other ends derived, shown in the JSON and on both documents' pages; an id
// that names no document refused on write and on import; a document replaced by a successor
// that replaces two leaving the default search on the day the successor takes effect; and
// the search filter "genomför X", transitive down the corpus's chain.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "registry_support.hpp"

namespace styrdok::testing {
namespace {

using Ids = std::vector<std::string>;
using IdSet = std::set<std::string>;
using Headers = std::map<std::string, std::string>;

Ids Strings(const Poco::JSON::Array::Ptr& array) {
    Ids ids;
    if (!array) return ids;
    for (std::size_t i = 0; i < array->size(); ++i) {
        ids.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
    }
    return ids;
}

std::string Stringify(const Poco::JSON::Object& object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

Headers JsonAs(const std::string& user) {
    Headers headers = As(user);
    headers.emplace("Content-Type", "application/json");
    return headers;
}

class Relations : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        sandbox_ = new Sandbox;
        CreateCorpusRegistry(Data());
        AddStaffAccounts(Data());
    }
    static void TearDownTestSuite() {
        delete sandbox_;
        sandbox_ = nullptr;
    }
    static std::filesystem::path Data() { return *sandbox_ / "registry"; }

    static std::unique_ptr<ServerProcess> ServeOn(const std::string& day) {
        return std::make_unique<ServerProcess>(STYRDOK_BINARY, Data(),
                                               std::vector<std::string>{"--today", day});
    }

    static Poco::JSON::Object::Ptr Document(const ServerProcess& server, const std::string& id) {
        HttpResponse response = HttpGet(server.port(), "/api/documents/" + id);
        EXPECT_EQ(response.status, 200) << id << ": " << response.body;
        return Json(response);
    }

    // The ids a search finds, all of them on one page.
    static IdSet Found(const ServerProcess& server, const std::string& parameters) {
        HttpResponse response =
            HttpGet(server.port(), "/api/search?per_page=100&facets=false&" + parameters);
        EXPECT_EQ(response.status, 200) << parameters << ": " << response.body;
        IdSet ids;
        Poco::JSON::Array::Ptr hits = Json(response)->getArray("hits");
        for (std::size_t i = 0; i < hits->size(); ++i) {
            ids.insert(hits->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
        }
        return ids;
    }

    // A new decided document as JSON: a copy of a corpus riktlinje with another id, title and
    // decision, and the relations given.
    static Poco::JSON::Object::Ptr NewDocument(const ServerProcess& server, const std::string& id,
                                               const std::string& title) {
        Poco::JSON::Object::Ptr object = Json(HttpRequest(
            server.port(), "GET", "/api/documents/riktlinjer-hot-och-vald", As("admin")));
        object->set("id", id);
        object->set("title", title);
        object->set("dnr", "KS 2026/0400");
        object->set("decided_by", "kf");
        object->set("decided_on", "2026-11-16");
        object->set("paragraph", "§ 140");
        object->set("valid_from", "2027-01-01");
        object->set("last_reviewed_on", Poco::Dynamic::Var());
        object->set("reviews", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
        object->set("implements", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
        object->set("replaces", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
        object->set("related", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
        object->set("text", "# " + title + "\n\nRiktlinjerna gäller från 2027.\n");
        for (const char* computed : {"state", "in_force", "implemented_by", "replaced_by", "html",
                                     "files", "version", "category"}) {
            object->remove(computed);
        }
        return object;
    }

    static Poco::JSON::Array::Ptr Array(const Ids& ids) {
        Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
        for (const std::string& id : ids) array->add(id);
        return array;
    }

    static inline Sandbox* sandbox_ = nullptr;
};

TEST_F(Relations, BothEndsOfTheCorpusChainAreInTheJsonAndOnThePages) {
    const auto server = ServeOn(kToday);
    auto budget = Document(*server, "budget-2026");
    EXPECT_EQ(Strings(budget->getArray("implements")),
              (Ids{"kommunprogram-2023", "hallbarhetsprogram"}));
    EXPECT_EQ(Strings(budget->getArray("implemented_by")),
              (Ids{"verksamhetsplan-bun-2026", "verksamhetsplan-sn-2026"}));
    EXPECT_EQ(Strings(budget->getArray("replaces")), Ids{"budget-2025"});
    EXPECT_EQ(Strings(budget->getArray("replaced_by")), Ids{"budget-2027"});
    EXPECT_EQ(Strings(Document(*server, "vision-2030")->getArray("implemented_by")),
              (Ids{"hallbarhetsprogram", "kommunprogram-2023"}));

    // One document replacing two: each of the two names it as its successor.
    auto program = Document(*server, "hallbarhetsprogram");
    EXPECT_EQ(Strings(program->getArray("replaces")),
              (Ids{"energi-och-klimatplan", "folkhalsoprogram"}));
    for (const char* replaced : {"energi-och-klimatplan", "folkhalsoprogram"}) {
        SCOPED_TRACE(replaced);
        EXPECT_EQ(Strings(Document(*server, replaced)->getArray("replaced_by")),
                  Ids{"hallbarhetsprogram"});
    }

    struct PageCase {
        const char* id;
        std::vector<std::string> says;
    };
    const std::vector<PageCase> pages = {
        {"budget-2026",
         {"<h2 id=\"relationer-rubrik\">Relationer</h2>", "<dt>Genomför</dt>",
          "<a href=\"&#x2F;documents&#x2F;kommunprogram-2023\">Kommunprogram 2023–2026</a>",
          "<dt>Genomförs av</dt>", "<a href=\"&#x2F;documents&#x2F;verksamhetsplan-bun-2026\">",
          "<dt>Ersätter</dt>", "<dt>Ersätts av</dt>", "href=\"&#x2F;?implements=budget-2026\""}},
        {"verksamhetsplan-sn-2026",
         {"<dt>Genomför</dt>", "<a href=\"&#x2F;documents&#x2F;budget-2026\">Budget 2026 och VIP",
          "<dt>Relaterade dokument</dt>"}},
        {"hallbarhetsprogram",
         {"<a href=\"&#x2F;documents&#x2F;energi-och-klimatplan\">",
          "<a href=\"&#x2F;documents&#x2F;folkhalsoprogram\">"}},
        // Replaced by the programme's 2021 version, not by the miljöprogram of 2016 that it
        // once was: each applied up to its repeal the day before.
        {"folkhalsoprogram",
         {"<dt>Ersätts av</dt>", "<a href=\"&#x2F;documents&#x2F;hallbarhetsprogram\">",
          "Det gällde till och med 2021-02-22."}},
        {"energi-och-klimatplan", {"Det gällde till och med 2021-02-22."}},
    };
    for (const PageCase& page : pages) {
        SCOPED_TRACE(page.id);
        const std::string html = HttpGet(server->port(), std::string("/documents/") + page.id).body;
        for (const std::string& text : page.says) {
            EXPECT_NE(html.find(text), std::string::npos) << text;
        }
    }
}

TEST_F(Relations, GenomforFindsEverythingDownTheChain) {
    const auto server = ServeOn(kToday);
    const IdSet under_vision = {"hallbarhetsprogram",
                                "kommunprogram-2023",
                                "budget-2025",
                                "budget-2026",
                                "budget-2027",
                                "verksamhetsplan-bun-2026",
                                "verksamhetsplan-sn-2026",
                                "verksamhetsplan-kfn-2025"};
    struct Case {
        const char* parameters;
        IdSet found;
    };
    const std::vector<Case> cases = {
        {"implements=vision-2030&status=alla", under_vision},
        // By default only what is in force on 2026-11-23.
        {"implements=vision-2030",
         {"hallbarhetsprogram", "kommunprogram-2023", "budget-2026", "verksamhetsplan-bun-2026",
          "verksamhetsplan-sn-2026"}},
        {"implements=budget-2026", {"verksamhetsplan-bun-2026", "verksamhetsplan-sn-2026"}},
        {"implements=kulturprogram&status=alla", {"verksamhetsplan-kfn-2025"}},
        {"implements=verksamhetsplan-sn-2026", {}},
        {"implements=finns-inte", {}},
        {"implements=budget-2026&q=skola", {"verksamhetsplan-bun-2026"}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.parameters);
        EXPECT_EQ(Found(*server, c.parameters), c.found);
    }
    EXPECT_EQ(HttpGet(server->port(), "/api/search?implements=Inte%20ett%20id").status, 400);

    // The search page takes the same parameter, says which filter is on, and keeps it.
    const std::string page = HttpGet(server->port(), "/?implements=budget-2026").body;
    EXPECT_NE(page.find("Budget 2026 och VIP 2027–2028"), std::string::npos);
    EXPECT_NE(page.find("&#x2F;documents&#x2F;verksamhetsplan-bun-2026"), std::string::npos);
    EXPECT_EQ(page.find("&#x2F;documents&#x2F;verksamhetsplan-kfn-2025"), std::string::npos);
    EXPECT_NE(page.find("name=\"implements\" value=\"budget-2026\""), std::string::npos);
}

TEST_F(Relations, AWriteNamingNoDocumentIsRefusedWithTheFieldAndTheId) {
    const auto server = ServeOn(kToday);
    struct Case {
        const char* name;
        const char* field;
        Ids ids;
        const char* message;
    };
    const std::vector<Case> cases = {
        {"okänt id i genomför",
         "implements",
         {"kommunprogram-2023", "kommunprogram-2019"},
         "Genomför: det finns inget dokument med id kommunprogram-2019."},
        {"okänt id i ersätter",
         "replaces",
         {"riktlinjer-1999"},
         "Ersätter: det finns inget dokument med id riktlinjer-1999."},
        {"okänt id bland relaterade",
         "related",
         {"saknas"},
         "Relaterade dokument: det finns inget dokument med id saknas."},
        {"genomför sig självt",
         "implements",
         {"riktlinjer-ny"},
         "Genomför: dokumentet kan inte hänvisa till sig självt (riktlinjer-ny)."},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        auto document = NewDocument(*server, "riktlinjer-ny", "Nya riktlinjer");
        document->set(c.field, Array(c.ids));
        HttpResponse response = HttpRequest(server->port(), "POST", "/api/documents",
                                            JsonAs("admin"), Stringify(*document));
        EXPECT_EQ(response.status, 400) << response.body;
        auto error = Json(response)->getObject("error");
        EXPECT_EQ(error->getValue<std::string>("message"), c.message);
        EXPECT_EQ(response.body.find('\n'), std::string::npos);
    }
    // `replaces` as one string, as clients sent it before it was a list, is read as one id.
    auto legacy = NewDocument(*server, "riktlinjer-ny", "Nya riktlinjer");
    legacy->set("replaces", "riktlinjer-1999");
    HttpResponse refused =
        HttpRequest(server->port(), "POST", "/api/documents", JsonAs("admin"), Stringify(*legacy));
    EXPECT_EQ(refused.status, 400) << refused.body;
    EXPECT_NE(refused.body.find("Ersätter: det finns inget dokument med id riktlinjer-1999."),
              std::string::npos)
        << refused.body;
    EXPECT_EQ(HttpGet(server->port(), "/api/documents/riktlinjer-ny").status, 404);

    // An existing document changed to replace itself is refused as well.
    auto budget =
        Json(HttpRequest(server->port(), "GET", "/api/documents/budget-2027", As("admin")));
    const std::string version = budget->getValue<std::string>("version");
    Poco::JSON::Object::Ptr change = new Poco::JSON::Object;
    change->set("replaces", Array({"budget-2026", "budget-2027"}));
    Headers headers = JsonAs("admin");
    headers.emplace("If-Match", "\"" + version + "\"");
    HttpResponse response = HttpRequest(server->port(), "PUT", "/api/documents/budget-2027",
                                        headers, Stringify(*change));
    EXPECT_EQ(response.status, 400) << response.body;
    EXPECT_NE(response.body.find("self_reference"), std::string::npos) << response.body;
}

TEST_F(Relations, AnImportNamingNoDocumentIsRefused) {
    const std::filesystem::path folder = *sandbox_ / "import" / "plan-utan-koppling";
    std::filesystem::create_directories(folder);
    std::ofstream(folder / "metadata.xml") << R"(<?xml version="1.0" encoding="UTF-8"?>
<document>
  <id>plan-utan-koppling</id>
  <title>Plan utan koppling</title>
  <doctype>plan</doctype>
  <decided_by>kf</decided_by>
  <decided_on>2026-10-26</decided_on>
  <paragraph>§ 120</paragraph>
  <owner>Kommundirektör</owner>
  <implements>
    <ref>kommunprogram-2023</ref>
    <ref>kommunprogram-1999</ref>
  </implements>
</document>
)";
    std::ofstream(folder / "text.md") << "# Plan utan koppling\n";
    const RunResult result =
        Run(std::string(STYRDOK_BINARY) + " import " + ShellQuote(folder.string()) + " --today " +
            kToday + " --data " + ShellQuote(Data().string()));
    EXPECT_NE(result.exit_code, 0);
    EXPECT_NE((result.out + result.err).find("no document has the id 'kommunprogram-1999'"),
              std::string::npos)
        << result.out << result.err;
    const auto server = ServeOn(kToday);
    EXPECT_EQ(HttpGet(server->port(), "/api/documents/plan-utan-koppling").status, 404);
}

// A successor that replaces two documents in force ends both on the day it takes effect: the
// day before both are found by the default search, from that day neither is, and each page
// says by what and from when.
TEST_F(Relations, ASuccessorReplacingTwoEndsBothOnTheDayItTakesEffect) {
    const Ids replaced = {"riktlinjer-ekonomiskt-bistand", "riktlinjer-bistand-aldreomsorg"};
    {
        const auto server = ServeOn(kToday);
        auto successor =
            NewDocument(*server, "riktlinjer-stod-2027", "Riktlinjer för stöd och bistånd 2027");
        successor->set("replaces", Array(replaced));
        HttpResponse created = HttpRequest(server->port(), "POST", "/api/documents",
                                           JsonAs("admin"), Stringify(*successor));
        ASSERT_EQ(created.status, 201) << created.body;
        for (const std::string& id : replaced) {
            SCOPED_TRACE(id);
            EXPECT_EQ(Strings(Document(*server, id)->getArray("replaced_by")),
                      Ids{"riktlinjer-stod-2027"});
        }
    }
    struct Day {
        const char* day;
        bool in_force;
        const char* page;  // said on each replaced document's page
    };
    const std::vector<Day> days = {
        {"2026-12-31", true, ""},
        {"2027-01-01", false, "Ersatt av Riktlinjer för stöd och bistånd 2027 från 2027-01-01."},
        {"2027-06-30", false, "Ersatt av Riktlinjer för stöd och bistånd 2027 från 2027-01-01."},
    };
    for (const Day& day : days) {
        SCOPED_TRACE(day.day);
        const auto server = ServeOn(day.day);
        for (const std::string& id : replaced) {
            SCOPED_TRACE(id);
            EXPECT_EQ(Found(*server, "q=id:" + id).count(id) > 0, day.in_force);
            auto document = Document(*server, id);
            EXPECT_EQ(document->getValue<bool>("in_force"), day.in_force);
            EXPECT_EQ(document->getValue<std::string>("state"),
                      day.in_force ? "gällande" : "upphört");
            if (*day.page) {
                const std::string html = HttpGet(server->port(), "/documents/" + id).body;
                EXPECT_NE(html.find(day.page), std::string::npos);
            }
        }
        EXPECT_EQ(Found(*server, "q=id:riktlinjer-stod-2027").count("riktlinjer-stod-2027") > 0,
                  !day.in_force);
    }
}

}  // namespace
}  // namespace styrdok::testing
