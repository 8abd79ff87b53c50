// The clerk's dashboard (/granskning) and the yearly report (/granskning/rapport) against the
// real server on the sample corpus (issue 6, points 2 and 6): who may see them, the documents
// due as GET /api/reviews lists them, the CSV files read by Python's csv module, the filters,
// and bad parameters answered without a 5xx.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "registry_support.hpp"
#include "styrdok/testing/sandbox.hpp"
#include "styrdok/testing/server_process.hpp"

namespace styrdok {
namespace {

using testing::As;
using testing::HttpGet;
using testing::HttpRequest;
using testing::HttpResponse;
using testing::Json;

using Headers = std::map<std::string, std::string>;
using CsvRows = std::vector<std::vector<std::string>>;

class Dashboard : public testing::CorpusServerSuite {
protected:
    // The CSV as Python's csv module reads it (utf-8-sig drops the byte order mark).
    static CsvRows ParseCsv(const std::string& body) {
        const std::filesystem::path file = *sandbox_ / "answer.csv";
        std::ofstream(file, std::ios::binary) << body;
        const std::string command =
            "python3 -c 'import csv,json,sys; "
            "print(json.dumps(list(csv.reader(open(sys.argv[1], encoding=\"utf-8-sig\", "
            "newline=\"\"), delimiter=\";\"))))' " +
            file.string();
        std::string output;
        if (FILE* pipe = popen(command.c_str(), "r")) {
            char buffer[4096];
            std::size_t n;
            while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
            EXPECT_EQ(pclose(pipe), 0) << "python3's csv module refused the file";
        }
        CsvRows rows;
        Poco::JSON::Array::Ptr array =
            Poco::JSON::Parser().parse(output).extract<Poco::JSON::Array::Ptr>();
        for (std::size_t i = 0; i < array->size(); ++i) {
            Poco::JSON::Array::Ptr row = array->getArray(static_cast<unsigned>(i));
            std::vector<std::string> fields;
            for (std::size_t j = 0; j < row->size(); ++j)
                fields.push_back(row->getElement<std::string>(static_cast<unsigned>(j)));
            rows.push_back(fields);
        }
        return rows;
    }

    // The dashboard's CSV as the clerk gets it: id → sections.
    static std::map<std::string, std::set<std::string>> CsvSections(const std::string& query) {
        HttpResponse response = HttpGet(Port(), "/granskning.csv" + query, As("registrator"));
        EXPECT_EQ(response.status, 200) << query;
        std::map<std::string, std::set<std::string>> sections;
        const CsvRows rows = ParseCsv(response.body);
        for (std::size_t i = 1; i < rows.size(); ++i) sections[rows[i].at(1)].insert(rows[i][0]);
        return sections;
    }

    // GET /api/reviews?QUERY as the admin: id → row.
    static std::map<std::string, Poco::JSON::Object::Ptr> Listed(const std::string& query) {
        HttpResponse response = HttpGet(Port(), "/api/reviews?" + query, As("admin"));
        EXPECT_EQ(response.status, 200) << query << ": " << response.body;
        std::map<std::string, Poco::JSON::Object::Ptr> rows;
        Poco::JSON::Array::Ptr documents = Json(response)->getArray("documents");
        for (std::size_t i = 0; i < documents->size(); ++i) {
            Poco::JSON::Object::Ptr row = documents->getObject(static_cast<unsigned>(i));
            rows[row->getValue<std::string>("id")] = row;
        }
        return rows;
    }
};

// The page with mustache's escapes of '/', '=' and '&' undone, so addresses can be looked for.
std::string Unescaped(std::string html) {
    for (const auto& [from, to] :
         {std::pair<std::string, std::string>{"&#x2F;", "/"}, {"&#x3D;", "="}, {"&amp;", "&"}}) {
        for (auto at = html.find(from); at != std::string::npos; at = html.find(from, at + 1))
            html.replace(at, from.size(), to);
    }
    return html;
}

std::string PageOf(std::uint16_t port, const std::string& target, const Headers& headers) {
    return Unescaped(HttpGet(port, target, headers).body);
}

std::size_t Count(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
    return n;
}

TEST_F(Dashboard, IsForClerksAndAdminsOnly) {
    for (const char* path : {"/granskning", "/granskning.csv", "/granskning?format=csv",
                             "/granskning/rapport", "/granskning/rapport.csv"}) {
        SCOPED_TRACE(path);
        HttpResponse nobody = HttpGet(Port(), path);
        EXPECT_EQ(nobody.status, 401);
        EXPECT_NE(Unescaped(nobody.body).find("/logga-in?next="), std::string::npos);
        EXPECT_EQ(HttpGet(Port(), path, As("lasare")).status, 403);
        EXPECT_EQ(HttpGet(Port(), path, As("hr")).status, 403);
        EXPECT_EQ(HttpGet(Port(), path, As("registrator")).status, 200);
        EXPECT_EQ(HttpGet(Port(), path, As("admin")).status, 200);
    }
    // The header links to it for those who may use it, and only for them.
    EXPECT_NE(PageOf(Port(), "/", As("registrator")).find("href=\"/granskning\""),
              std::string::npos);
    EXPECT_EQ(PageOf(Port(), "/", As("hr")).find("href=\"/granskning\""), std::string::npos);
    EXPECT_EQ(PageOf(Port(), "/", {}).find("href=\"/granskning\""), std::string::npos);
}

TEST_F(Dashboard, ShowsThePoliticalDocumentsAdoptedBeforeFifteenthOctoberAsDue) {
    HttpResponse page = HttpGet(Port(), "/granskning", As("registrator"));
    ASSERT_EQ(page.status, 200);
    page.body = Unescaped(page.body);
    EXPECT_NE(page.body.find("mandatperioden 2026–2030"), std::string::npos);
    EXPECT_NE(page.body.find("senast 2027-10-15"), std::string::npos) << "the review deadline";
    const auto due = Listed("state=due");
    ASSERT_FALSE(due.empty());
    const auto sections = CsvSections("");
    for (const auto& [id, row] : due) {
        SCOPED_TRACE(id);
        EXPECT_NE(page.body.find("href=\"/documents/" + id + "\""), std::string::npos);
        EXPECT_NE(page.body.find("href=\"/documents/" + id + "/provning\""), std::string::npos);
        ASSERT_TRUE(sections.count(id));
        const std::string expected =
            row->getValue<std::string>("state") == "due" ? "Ska aktualitetsprövas nu" : "Försenade";
        EXPECT_TRUE(sections.at(id).count(expected));
    }
    for (const char* id :
         {"vision-2030", "hallbarhetsprogram", "arbetsmiljopolicy", "agardirektiv-kbab",
          "bolagsordning-kbab", "reglemente-kommunstyrelsen", "riktlinjer-representation",
          "kulturprogram", "riktlinjer-bostadsforsorjning", "taxa-barnomsorg"}) {
        EXPECT_TRUE(due.count(id)) << id;
        EXPECT_TRUE(sections.count(id) && sections.at(id).count("Ska aktualitetsprövas nu") +
                                                  sections.at(id).count("Försenade") ==
                                              1)
            << id;
    }
    // Nothing is listed as due that the API does not list.
    for (const auto& [id, names] : sections) {
        if (names.count("Ska aktualitetsprövas nu") || names.count("Försenade")) {
            EXPECT_TRUE(due.count(id)) << id;
        }
    }
    // The chart and its text alternative.
    EXPECT_NE(page.body.find("role=\"img\""), std::string::npos);
    EXPECT_NE(page.body.find("aria-labelledby=\"diagram-titel diagram-beskrivning\""),
              std::string::npos);
    EXPECT_NE(page.body.find("<desc id=\"diagram-beskrivning\">"), std::string::npos);
}

TEST_F(Dashboard, CsvIsASemicolonSeparatedAttachmentWithTheRowsOfThePage) {
    HttpResponse csv = HttpGet(Port(), "/granskning.csv", As("registrator"));
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(csv.headers["content-type"].rfind("text/csv", 0), 0u);
    EXPECT_NE(csv.headers["content-disposition"].find("attachment"), std::string::npos);
    EXPECT_EQ(csv.body.rfind("\xEF\xBB\xBF", 0), 0u) << "a byte order mark for Excel";
    EXPECT_NE(csv.body.find("\r\n"), std::string::npos);
    const CsvRows rows = ParseCsv(csv.body);
    ASSERT_GE(rows.size(), 2u);
    EXPECT_EQ(rows[0][0], "Avsnitt");
    for (const auto& row : rows) EXPECT_EQ(row.size(), rows[0].size());
    // Titles with commas or quotes survive the round trip.
    const std::string page = PageOf(Port(), "/granskning", As("registrator"));
    EXPECT_EQ(Count(page, "/provning\">Aktualitetspröva"), rows.size() - 1);
    EXPECT_EQ(HttpGet(Port(), "/granskning?format=csv", As("registrator")).body, csv.body);
}

TEST_F(Dashboard, FiltersByBodyOwnerAndDoctype) {
    const auto all = Listed("state=all");
    const auto due_kf = Listed("state=due&body=kf");
    const auto sections = CsvSections("?organ=kf");
    std::set<std::string> due_ids;
    for (const auto& [id, names] : sections) {
        if (names.count("Ska aktualitetsprövas nu") || names.count("Försenade")) due_ids.insert(id);
    }
    std::set<std::string> expected;
    for (const auto& [id, row] : due_kf) expected.insert(id);
    EXPECT_EQ(due_ids, expected);

    for (const auto& [id, names] : CsvSections("?typ=policy")) {
        ASSERT_TRUE(all.count(id)) << id;
        EXPECT_EQ(all.at(id)->getValue<std::string>("doctype"), "policy") << id;
    }
    const auto by_owner = CsvSections("?agare=hr-chef%40exempelby.se");
    EXPECT_FALSE(by_owner.empty());
    for (const auto& [id, names] : by_owner) {
        EXPECT_EQ(all.at(id)->getValue<std::string>("owner_email"), "hr-chef@exempelby.se") << id;
    }
    HttpResponse page = HttpGet(Port(), "/granskning?organ=kf&typ=policy", As("registrator"));
    ASSERT_EQ(page.status, 200);
    page.body = Unescaped(page.body);
    EXPECT_NE(page.body.find("<option value=\"kf\" selected>"), std::string::npos);
    EXPECT_NE(page.body.find("<option value=\"policy\" selected>"), std::string::npos);
}

TEST_F(Dashboard, BadParametersAreAnsweredWithoutAServerError) {
    for (const char* target :
         {"/granskning?organ=finns-inte", "/granskning?typ=finns-inte", "/granskning?format=pdf",
          "/granskning?organ=kf&organ=ks", "/granskning?agare=%ff%fe", "/granskning?typ=%00",
          "/granskning.csv?organ=%22%2C", "/granskning/rapport?ar=abc",
          "/granskning/rapport?ar=99999", "/granskning/rapport?ar=-1",
          "/granskning/rapport?ar=", "/granskning/rapport?ar=1800",
          "/granskning/rapport?ar=2026&ar=2025", "/granskning/rapport?organ=x",
          "/granskning/rapport.csv?ar=20%2026", "/granskning/rapport?format=xml"}) {
        SCOPED_TRACE(target);
        HttpResponse response = HttpGet(Port(), target, As("registrator"));
        EXPECT_LT(response.status, 500);
    }
    EXPECT_EQ(HttpGet(Port(), "/granskning?organ=finns-inte", As("registrator")).status, 400);
    EXPECT_EQ(HttpGet(Port(), "/granskning/rapport?ar=abc", As("registrator")).status, 400);
}

TEST_F(Dashboard, YearlyReportListsReviewsWithTheirOutcomeAndWhatIsStillOverdue) {
    // A review recorded today shows in this year's report of its body, with its outcome.
    const auto due = Listed("state=due&body=kf");
    ASSERT_FALSE(due.empty());
    const std::string id = "kulturprogram";
    ASSERT_TRUE(due.count(id));
    Headers headers = As("registrator");
    headers["Content-Type"] = "application/json";
    HttpResponse recorded = HttpRequest(
        Port(), "POST", "/api/documents/" + id + "/reviews", headers,
        R"({"decided_by":"kf","decided_on":"2026-11-20","paragraph":"§ 140","dnr":"KS 2026/00400","outcome":"fortsatt gällande"})");
    ASSERT_EQ(recorded.status, 201) << recorded.body;

    HttpResponse page = HttpGet(Port(), "/granskning/rapport?ar=2026&organ=kf", As("registrator"));
    ASSERT_EQ(page.status, 200);
    page.body = Unescaped(page.body);
    EXPECT_NE(page.body.find("href=\"/documents/" + id + "\""), std::string::npos);
    EXPECT_NE(page.body.find("fortsatt gällande"), std::string::npos);

    HttpResponse csv =
        HttpGet(Port(), "/granskning/rapport.csv?ar=2026&organ=kf", As("registrator"));
    ASSERT_EQ(csv.status, 200);
    EXPECT_NE(csv.headers["content-disposition"].find("attachment"), std::string::npos);
    const CsvRows rows = ParseCsv(csv.body);
    ASSERT_GE(rows.size(), 2u);
    bool reviewed = false;
    std::set<std::string> overdue;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        if (rows[i][1] == "Aktualitetsprövad" && rows[i][6] == id) {
            reviewed = true;
            EXPECT_EQ(rows[i][2], "2026-11-20");
            EXPECT_EQ(rows[i][3], "fortsatt gällande");
        }
        if (rows[i][1] == "Försenad") overdue.insert(rows[i][6]);
    }
    EXPECT_TRUE(reviewed);
    std::set<std::string> expected;
    for (const auto& [doc, row] : Listed("state=overdue&body=kf")) expected.insert(doc);
    EXPECT_EQ(overdue, expected);
    // The dashboard no longer lists the reviewed document as due.
    EXPECT_FALSE(CsvSections("").count(id) &&
                 CsvSections("").at(id).count("Ska aktualitetsprövas nu"));
    // Another year has no review of it.
    HttpResponse other = HttpGet(Port(), "/granskning/rapport.csv?ar=2024", As("admin"));
    ASSERT_EQ(other.status, 200);
    for (const auto& row : ParseCsv(other.body)) {
        if (row[1] == "Aktualitetsprövad") {
            EXPECT_NE(row[2].substr(0, 4), "2026");
        }
    }
}

TEST_F(Dashboard, ListsADocumentWithoutTextAndQuotesItsTitleInTheCsv) {
    // A copy of arbetsmiljöpolicy without a text (a PDF alone), its title with a comma and quotes.
    auto object = Json(HttpGet(Port(), "/api/documents/arbetsmiljopolicy", As("admin")));
    const std::string title = "Riktlinjer \"bara PDF\", utan text";
    object->set("id", "bara-pdf");
    object->remove("reviews");  // a new document has no review decisions of its own
    object->remove("last_reviewed_on");
    object->set("title", title);
    object->set("text", "");
    Headers headers = As("admin");
    headers["Content-Type"] = "application/json";
    std::ostringstream json;
    object->stringify(json);
    HttpResponse created = HttpRequest(Port(), "POST", "/api/documents", headers, json.str());
    ASSERT_EQ(created.status, 201) << created.body;

    HttpResponse csv = HttpGet(Port(), "/granskning.csv", As("registrator"));
    ASSERT_EQ(csv.status, 200);
    EXPECT_NE(csv.body.find("\"Riktlinjer \"\"bara PDF\"\", utan text\""), std::string::npos)
        << "RFC 4180 quoting";
    bool listed = false;
    for (const auto& row : ParseCsv(csv.body)) {
        if (row.at(1) == "bara-pdf" && row[0] == "Saknar text på webben") {
            listed = true;
            EXPECT_EQ(row[2], title);
        }
    }
    EXPECT_TRUE(listed);
    const std::string page = PageOf(Port(), "/granskning", As("registrator"));
    const auto section = page.find("id=\"saknar-text\"");
    ASSERT_NE(section, std::string::npos);
    EXPECT_NE(page.find("href=\"/documents/bara-pdf\"", section), std::string::npos);
    EXPECT_EQ(PageOf(Port(), "/granskning", As("registrator")).find("Saknar text på webben (0)"),
              std::string::npos);
}

TEST_F(Dashboard, YearlyReportListsRevisionsAndRepeals) {
    Headers headers = As("admin");
    headers["Content-Type"] = "application/json";
    // A new version of a document decided this year is a revision.
    HttpResponse current = HttpGet(Port(), "/api/documents/kommunikationspolicy", As("admin"));
    ASSERT_EQ(current.status, 200);
    Headers put = headers;
    put["If-Match"] = current.headers["etag"];
    HttpResponse revised =
        HttpRequest(Port(), "PUT", "/api/documents/kommunikationspolicy", put,
                    R"({"decided_on":"2026-11-22","paragraph":"§ 150","summary":"Reviderad"})");
    ASSERT_EQ(revised.status, 200) << revised.body;
    // A review with outcome upphävs repeals the document.
    const std::string by = Json(HttpGet(Port(), "/api/documents/taxa-kulturskola", As("admin")))
                               ->getValue<std::string>("decided_by");
    HttpResponse repealed =
        HttpRequest(Port(), "POST", "/api/documents/taxa-kulturskola/reviews", headers,
                    R"({"decided_by":")" + by +
                        R"(","decided_on":"2026-11-21","paragraph":"§ 9","outcome":"upphävs"})");
    ASSERT_EQ(repealed.status, 201) << repealed.body;

    HttpResponse csv = HttpGet(Port(), "/granskning/rapport.csv?ar=2026", As("admin"));
    ASSERT_EQ(csv.status, 200);
    std::set<std::string> events;
    for (const auto& row : ParseCsv(csv.body))
        events.insert(row.at(1) + " " + row[6] + " " + row[3]);
    EXPECT_TRUE(events.count("Reviderad kommunikationspolicy ")) << csv.body;
    EXPECT_TRUE(events.count("Upphävd taxa-kulturskola "));
    EXPECT_TRUE(events.count("Aktualitetsprövad taxa-kulturskola upphävs"));
    EXPECT_FALSE(events.count("Försenad taxa-kulturskola "));
    EXPECT_FALSE(events.count("Försenad kommunikationspolicy "));
}

}  // namespace
}  // namespace styrdok
