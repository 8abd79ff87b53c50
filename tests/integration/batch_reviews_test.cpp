// One council decision that reviews many documents (issue 17, point 4) against the real
// server on the sample corpus: POST /api/reviews records it all or nothing as one commit, each
// document's history and page show the shared decision, and the clerk's dashboard has the form.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "registry_support.hpp"
#include "styrdok/testing/sandbox.hpp"
#include "styrdok/testing/server_process.hpp"

namespace styrdok {
namespace {

using testing::As;
using testing::FormEncode;
using testing::HttpGet;
using testing::HttpRequest;
using testing::HttpResponse;
using testing::Json;

using Headers = std::map<std::string, std::string>;

class BatchReviews : public testing::CorpusServerSuite {
protected:
    static HttpResponse PostBatch(const std::string& json,
                                  const std::string& user = "registrator") {
        Headers headers = As(user);
        headers["Content-Type"] = "application/json";
        return HttpRequest(Port(), "POST", "/api/reviews", headers, json);
    }

    static Poco::JSON::Object::Ptr Document(const std::string& id) {
        return Json(HttpGet(Port(), "/api/documents/" + id, As("admin")));
    }

    static std::string VersionOf(const std::string& id) {
        return Document(id)->getValue<std::string>("version");
    }

    // The newest entry of the document's history.
    static Poco::JSON::Object::Ptr LatestCommit(const std::string& id) {
        HttpResponse response = HttpGet(Port(), "/api/documents/" + id + "/history", As("admin"));
        EXPECT_EQ(response.status, 200) << response.body;
        return Json(response)->getArray("versions")->getObject(0);
    }

    // The review of the document's current version that `paragraph` recorded on `on`.
    static Poco::JSON::Object::Ptr ReviewOf(const std::string& id, const std::string& on,
                                            const std::string& paragraph) {
        Poco::JSON::Array::Ptr reviews = Document(id)->getArray("reviews");
        for (std::size_t i = 0; i < reviews->size(); ++i) {
            Poco::JSON::Object::Ptr review = reviews->getObject(static_cast<unsigned>(i));
            if (review->getValue<std::string>("decided_on") == on &&
                review->getValue<std::string>("paragraph") == paragraph) {
                return review;
            }
        }
        return nullptr;
    }

    static std::vector<std::string> Strings(const Poco::JSON::Array::Ptr& array) {
        std::vector<std::string> values;
        for (std::size_t i = 0; array && i < array->size(); ++i) {
            values.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
        }
        return values;
    }

    // A form body with repeated fields, as a browser sends ticked check boxes.
    static std::string FormBody(const std::vector<std::pair<std::string, std::string>>& fields) {
        std::string body;
        for (const auto& [name, value] : fields) {
            body += (body.empty() ? "" : "&") + FormEncode(name) + "=" + FormEncode(value);
        }
        return body;
    }

    static HttpResponse PostForm(const testing::SignedIn& session,
                                 std::vector<std::pair<std::string, std::string>> fields) {
        fields.emplace_back("csrf", session.csrf);
        return HttpRequest(
            Port(), "POST", "/granskning/provning",
            {{"Cookie", session.cookie}, {"Content-Type", "application/x-www-form-urlencoded"}},
            FormBody(fields));
    }
};

std::string Decision(const std::string& documents, const std::string& outcome = "fortsatt gällande",
                     const std::string& by = "kf", const std::string& paragraph = "§ 140") {
    std::string json = R"({"documents":)" + documents + R"(,"decided_by":")" + by +
                       R"(","decided_on":"2026-11-20","paragraph":")" + paragraph +
                       R"(","dnr":"KS 2026/00400")";
    if (!outcome.empty()) json += R"(,"outcome":")" + outcome + "\"";
    return json + "}";
}

TEST_F(BatchReviews, OneDecisionReviewsEveryDocumentInOneCommit) {
    const std::vector<std::string> ids = {"vision-2030", "hallbarhetsprogram", "agardirektiv-kbab"};
    HttpResponse response =
        PostBatch(Decision(R"(["vision-2030","hallbarhetsprogram","agardirektiv-kbab"])"));
    ASSERT_EQ(response.status, 201) << response.body;
    Poco::JSON::Object::Ptr body = Json(response);
    const std::string version = body->getValue<std::string>("version");
    EXPECT_EQ(body->getObject("decision")->getValue<std::string>("paragraph"), "§ 140");
    ASSERT_EQ(body->getArray("documents")->size(), 3u);

    for (const std::string& id : ids) {
        SCOPED_TRACE(id);
        // One commit: the newest version of every document is the one the answer named.
        Poco::JSON::Object::Ptr commit = LatestCommit(id);
        EXPECT_EQ(commit->getValue<std::string>("version"), version);
        EXPECT_NE(commit->getValue<std::string>("message").find(
                      "Aktualitetsprövning av Kommunfullmäktige 2026-11-20 § 140"),
                  std::string::npos)
            << commit->getValue<std::string>("message");
        EXPECT_EQ(Document(id)->getValue<std::string>("last_reviewed_on"), "2026-11-20");
        // The JSON names the others the decision reviewed.
        Poco::JSON::Object::Ptr review = ReviewOf(id, "2026-11-20", "§ 140");
        ASSERT_TRUE(review);
        std::vector<std::string> others;
        for (const std::string& other : ids) {
            if (other != id) others.push_back(other);
        }
        std::sort(others.begin(), others.end());
        EXPECT_EQ(Strings(review->getArray("decided_with")), others);
    }
    // The page shows the shared decision and links the others.
    HttpResponse page = HttpGet(Port(), "/documents/vision-2030");
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("Ett beslut för 3 dokument"), std::string::npos);
    EXPECT_NE(page.body.find("&#x2F;documents&#x2F;hallbarhetsprogram"), std::string::npos);
    // Reviewed in this period: no longer due.
    HttpResponse due = HttpGet(Port(), "/api/reviews?state=due");
    for (const std::string& id : ids) {
        EXPECT_EQ(due.body.find("\"id\":\"" + id + "\""), std::string::npos) << id;
    }
}

TEST_F(BatchReviews, EachDocumentMayHaveItsOwnOutcomeARepealIncluded) {
    HttpResponse response = PostBatch(Decision(
        R"([{"id":"bolagsordning-kbab","outcome":"revideras"},{"id":"taxa-kulturskola","outcome":"upphävs"},{"id":"reglemente-bun"}])",
        "fortsatt gällande", "kf", "§ 141"));
    ASSERT_EQ(response.status, 201) << response.body;
    const std::map<std::string, std::pair<std::string, std::string>> expected = {
        {"bolagsordning-kbab", {"revideras", "gällande"}},
        {"taxa-kulturskola", {"upphävs", "upphävd"}},
        {"reglemente-bun", {"fortsatt gällande", "gällande"}},
    };
    Poco::JSON::Array::Ptr documents = Json(response)->getArray("documents");
    ASSERT_EQ(documents->size(), expected.size());
    for (std::size_t i = 0; i < documents->size(); ++i) {
        Poco::JSON::Object::Ptr entry = documents->getObject(static_cast<unsigned>(i));
        const std::string id = entry->getValue<std::string>("id");
        SCOPED_TRACE(id);
        EXPECT_EQ(entry->getValue<std::string>("outcome"), expected.at(id).first);
        EXPECT_EQ(Document(id)->getValue<std::string>("status"), expected.at(id).second);
        Poco::JSON::Object::Ptr review = ReviewOf(id, "2026-11-20", "§ 141");
        ASSERT_TRUE(review);
        EXPECT_EQ(review->getValue<std::string>("outcome"), expected.at(id).first);
    }
    // The repealed one ends on the decision's day and leaves the default search.
    Poco::JSON::Object::Ptr repealed = Document("taxa-kulturskola");
    EXPECT_EQ(repealed->getValue<std::string>("valid_to"), "2026-11-20");
    EXPECT_EQ(repealed->getValue<std::string>("state"), "upphävd");
    HttpResponse search = HttpGet(Port(), "/api/search?q=kulturskolan");
    ASSERT_EQ(search.status, 200);
    EXPECT_EQ(search.body.find("\"id\":\"taxa-kulturskola\""), std::string::npos);
    // The one to be revised says so.
    HttpResponse all = HttpGet(Port(), "/api/reviews?state=all", As("registrator"));
    EXPECT_NE(all.body.find("\"id\":\"bolagsordning-kbab\""), std::string::npos);
}

TEST_F(BatchReviews, OneBadEntryRefusesTheWholeDecisionAndNamesIt) {
    const std::string valid = "kommunikationspolicy";
    const std::string other = "riktlinjer-representation";
    std::string too_many = "[";
    for (int i = 0; i <= 200; ++i) too_many += std::string(i ? "," : "") + "\"" + valid + "\"";
    too_many += "]";
    const struct {
        const char* name;
        std::string json;
        const char* document;  ///< the entry named; "" for the decision
        const char* code;
    } cases[] = {
        {"an id that does not exist",
         Decision(R"(["kommunikationspolicy","finns-inte","riktlinjer-representation"])"),
         "finns-inte", "batch_unknown_document"},
        {"a document the deciding body may not review",
         Decision(R"(["regler-attest","kommunikationspolicy"])", "fortsatt gällande", "ks"),
         "kommunikationspolicy", "body_may_not_decide"},
        {"a bad outcome for one document",
         Decision(
             R"(["riktlinjer-representation",{"id":"kommunikationspolicy","outcome":"skrotas"}])"),
         "kommunikationspolicy", "unknown_outcome"},
        {"no outcome for one document",
         Decision(
             R"([{"id":"riktlinjer-representation","outcome":"revideras"},"kommunikationspolicy"])",
             ""),
         "kommunikationspolicy", "unknown_outcome"},
        {"a repealed document", Decision(R"(["kommunikationspolicy","energi-och-klimatplan"])"),
         "energi-och-klimatplan", "already_repealed"},
        {"the same document twice",
         Decision(R"(["kommunikationspolicy","riktlinjer-representation","kommunikationspolicy"])"),
         "kommunikationspolicy", "batch_duplicate"},
        {"no documents", Decision("[]"), "", "batch_empty"},
        {"too many documents", Decision(too_many), "", "batch_too_large"},
        {"a date in the future",
         R"({"documents":["kommunikationspolicy"],"decided_by":"kf","decided_on":"2027-01-01","paragraph":"§ 1","outcome":"upphävs"})",
         "", "in_future"},
    };
    const std::string valid_before = VersionOf(valid);
    const std::string other_before = VersionOf(other);
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        HttpResponse response = PostBatch(c.json);
        ASSERT_EQ(response.status, 400) << response.body;
        Poco::JSON::Object::Ptr error = Json(response)->getObject("error");
        Poco::JSON::Array::Ptr problems = error->getArray("problems");
        bool found = false;
        for (std::size_t i = 0; i < problems->size(); ++i) {
            Poco::JSON::Object::Ptr p = problems->getObject(static_cast<unsigned>(i));
            const std::string document =
                p->isNull("document") ? "" : p->getValue<std::string>("document");
            if (document == c.document && p->getValue<std::string>("code") == c.code) found = true;
        }
        EXPECT_TRUE(found) << response.body;
        if (*c.document != '\0') {
            EXPECT_NE(error->getValue<std::string>("message").find(c.document), std::string::npos);
        }
        // Nothing recorded, not even for the documents that were fine.
        EXPECT_EQ(VersionOf(valid), valid_before);
        EXPECT_EQ(VersionOf(other), other_before);
    }
}

TEST_F(BatchReviews, OnlyClerksAndAdminsRecordAndBadInputIsNeverA500) {
    const std::string json = Decision(R"(["kommunikationspolicy"])");
    EXPECT_EQ(PostBatch(json, "").status, 401);
    EXPECT_EQ(PostBatch(json, "lasare").status, 403);
    EXPECT_EQ(PostBatch(json, "hr").status, 403);

    const std::vector<std::string> bad = {
        "",
        "inte json",
        "[]",
        R"({"documents":"kommunikationspolicy"})",
        R"({"documents":[12]})",
        R"({"documents":[{"id":12}]})",
        R"({"documents":[{"id":"kommunikationspolicy","utfall":"x"}]})",
        R"({"documents":[null]})",
        R"({"documents":["../../etc"],"decided_by":"kf","decided_on":"2026-11-20","paragraph":"§ 1","outcome":"revideras"})",
        R"({"documents":["kommunikationspolicy"],"okänt":1})",
        R"({"documents":["kommunikationspolicy"],"decided_on":20261120})",
        R"({"documents":["kommunikationspolicy"],"decided_by":"kf","decided_on":"2026-02-30","outcome":"revideras"})",
    };
    const std::string before = VersionOf("kommunikationspolicy");
    for (const std::string& body : bad) {
        SCOPED_TRACE(body);
        EXPECT_EQ(PostBatch(body).status, 400);
    }
    // JSON only: a cross-site form cannot send it.
    HttpResponse form = HttpRequest(Port(), "POST", "/api/reviews",
                                    {{"Authorization", As("registrator").at("Authorization")},
                                     {"Content-Type", "application/x-www-form-urlencoded"}},
                                    "documents=kommunikationspolicy");
    EXPECT_EQ(form.status, 400);
    EXPECT_EQ(VersionOf("kommunikationspolicy"), before);
}

TEST_F(BatchReviews, TheDashboardFormRecordsOneDecisionAndKeepsTheChoicesOnError) {
    std::optional<testing::SignedIn> session =
        testing::SignIn(Port(), "registrator", testing::kStaffPassword);
    ASSERT_TRUE(session);
    HttpResponse dashboard = HttpGet(Port(), "/granskning", {{"Cookie", session->cookie}});
    ASSERT_EQ(dashboard.status, 200);
    EXPECT_NE(dashboard.body.find("Registrera ett beslut för flera dokument"), std::string::npos);
    EXPECT_NE(dashboard.body.find("name=\"dokument\" value=\"arbetsmiljopolicy\""),
              std::string::npos);

    // Without a date: nothing recorded, the error at the field, the ticks kept.
    const std::string before = VersionOf("arbetsmiljopolicy");
    HttpResponse refused = PostForm(*session, {{"dokument", "arbetsmiljopolicy"},
                                               {"dokument", "reglemente-kommunstyrelsen"},
                                               {"utfall-reglemente-kommunstyrelsen", "revideras"},
                                               {"decided_by", "kf"},
                                               {"paragraph", "§ 150"},
                                               {"outcome", "fortsatt gällande"}});
    EXPECT_EQ(refused.status, 400);
    EXPECT_NE(refused.body.find("Beslutsdatum måste fyllas i"), std::string::npos);
    EXPECT_NE(refused.body.find("class=\"felsammanfattning\""), std::string::npos);
    EXPECT_NE(refused.body.find("value=\"arbetsmiljopolicy\" checked"), std::string::npos);
    EXPECT_NE(refused.body.find("value=\"revideras\" selected"), std::string::npos);
    EXPECT_EQ(VersionOf("arbetsmiljopolicy"), before);

    // A document the body may not review: named beside its row.
    HttpResponse wrong_body = PostForm(*session, {{"dokument", "arbetsmiljopolicy"},
                                                  {"decided_by", "ks"},
                                                  {"decided_on", "2026-11-20"},
                                                  {"paragraph", "§ 150"},
                                                  {"outcome", "fortsatt gällande"}});
    EXPECT_EQ(wrong_body.status, 400);
    EXPECT_NE(wrong_body.body.find("id=\"beslut-dokument-arbetsmiljopolicy-fel\""),
              std::string::npos);

    // Without the CSRF token the form is refused.
    HttpResponse forged = HttpRequest(
        Port(), "POST", "/granskning/provning",
        {{"Cookie", session->cookie}, {"Content-Type", "application/x-www-form-urlencoded"}},
        FormBody({{"dokument", "arbetsmiljopolicy"}, {"decided_by", "kf"}}));
    EXPECT_EQ(forged.status, 403);

    HttpResponse recorded = PostForm(*session, {{"dokument", "arbetsmiljopolicy"},
                                                {"dokument", "reglemente-kommunstyrelsen"},
                                                {"utfall-reglemente-kommunstyrelsen", "revideras"},
                                                {"decided_by", "kf"},
                                                {"decided_on", "2026-11-20"},
                                                {"paragraph", "§ 150"},
                                                {"dnr", "KS 2026/00401"},
                                                {"outcome", "fortsatt gällande"}});
    ASSERT_EQ(recorded.status, 303) << recorded.body;
    const std::string location = recorded.Header("location");
    EXPECT_EQ(location.rfind("/granskning?registrerat=", 0), 0u) << location;
    EXPECT_EQ(LatestCommit("arbetsmiljopolicy")->getValue<std::string>("version"),
              LatestCommit("reglemente-kommunstyrelsen")->getValue<std::string>("version"));
    EXPECT_EQ(ReviewOf("reglemente-kommunstyrelsen", "2026-11-20", "§ 150")
                  ->getValue<std::string>("outcome"),
              "revideras");

    HttpResponse receipt =
        HttpGet(Port(), location.substr(0, location.find('#')), {{"Cookie", session->cookie}});
    ASSERT_EQ(receipt.status, 200);
    EXPECT_NE(receipt.body.find("Beslutet är registrerat"), std::string::npos);
    EXPECT_NE(receipt.body.find("Kommunfullmäktige 2026-11-20 § 150, dnr KS 2026&#x2F;00401, 2 "
                                "dokument."),
              std::string::npos);

    // Sent again (a reload): the versions it carried are stale, and nothing is recorded twice.
    HttpResponse again = PostForm(*session, {{"dokument", "arbetsmiljopolicy"},
                                             {"version-arbetsmiljopolicy", before},
                                             {"decided_by", "kf"},
                                             {"decided_on", "2026-11-20"},
                                             {"paragraph", "§ 150"},
                                             {"outcome", "fortsatt gällande"}});
    EXPECT_EQ(again.status, 409);
}

}  // namespace
}  // namespace styrdok
