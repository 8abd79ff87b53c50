// Aktualitetsprövning against the real server on the sample corpus (issue 6): the review
// state of every document over GET /api/reviews, recording reviews over
// POST /api/documents/{id}/reviews and the form on the document page.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
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
using testing::kToday;

using Headers = std::map<std::string, std::string>;

// The political doctypes whose rule is "every mandate period" in schema/default.xml.
const std::set<std::string> kPeriodDoctypes = {
    "vision", "program",    "plan",          "policy",       "riktlinje",         "reglemente",
    "taxa",   "foreskrift", "bolagsordning", "agardirektiv", "delegationsordning"};

class Reviews : public testing::CorpusServerSuite {
protected:
    // GET /api/reviews?QUERY as `user`: the documents by id.
    static std::map<std::string, Poco::JSON::Object::Ptr> Listed(const std::string& query,
                                                                 const std::string& user = {}) {
        HttpResponse response = HttpGet(Port(), "/api/reviews?" + query, As(user));
        EXPECT_EQ(response.status, 200) << query << ": " << response.body;
        std::map<std::string, Poco::JSON::Object::Ptr> rows;
        if (response.status != 200) return rows;
        Poco::JSON::Array::Ptr documents = Json(response)->getArray("documents");
        for (std::size_t i = 0; i < documents->size(); ++i) {
            Poco::JSON::Object::Ptr row = documents->getObject(static_cast<unsigned>(i));
            rows[row->getValue<std::string>("id")] = row;
        }
        return rows;
    }

    static HttpResponse PostReview(const std::string& id, const std::string& user,
                                   const std::string& json, const std::string& if_match = {}) {
        Headers headers = As(user);
        headers["Content-Type"] = "application/json";
        if (!if_match.empty()) headers["If-Match"] = "\"" + if_match + "\"";
        return HttpRequest(Port(), "POST", "/api/documents/" + id + "/reviews", headers, json);
    }

    static Poco::JSON::Object::Ptr Document(const std::string& id) {
        return Json(HttpGet(Port(), "/api/documents/" + id, As("admin")));
    }
};

std::string Review(const std::string& by, const std::string& on, const std::string& outcome,
                   const std::string& paragraph = "§ 140") {
    return R"({"decided_by":")" + by + R"(","decided_on":")" + on + R"(","paragraph":")" +
           paragraph + R"(","dnr":"KS 2026/00400","outcome":")" + outcome + R"("})";
}

TEST_F(Reviews, ThePoliticalDocumentsAdoptedBeforeFifteenthOctoberAreDue) {
    HttpResponse response = HttpGet(Port(), "/api/reviews?state=due");
    ASSERT_EQ(response.status, 200) << response.body;
    Poco::JSON::Object::Ptr body = Json(response);
    EXPECT_EQ(body->getValue<std::string>("on"), kToday);
    Poco::JSON::Object::Ptr period = body->getObject("mandate_period");
    ASSERT_TRUE(period);
    EXPECT_EQ(period->getValue<std::string>("label"), "2026–2030");
    EXPECT_EQ(period->getValue<std::string>("start"), "2026-10-15");
    EXPECT_EQ(period->getValue<std::string>("review_deadline"), "2027-10-15");

    const auto due = Listed("state=due");
    for (const char* id :
         {"vision-2030", "hallbarhetsprogram", "arbetsmiljopolicy", "agardirektiv-kbab",
          "bolagsordning-kbab", "reglemente-kommunstyrelsen", "riktlinjer-representation",
          "kulturprogram", "riktlinjer-bostadsforsorjning", "taxa-barnomsorg"}) {
        SCOPED_TRACE(id);
        ASSERT_TRUE(due.count(id));
        const std::string state = due.at(id)->getValue<std::string>("state");
        EXPECT_TRUE(state == "due" || state == "overdue") << state;
        EXPECT_LT(due.at(id)->getValue<std::string>("last_event"), "2026-10-15");
    }
    // Decided after election day, before 15 October: the old council's, so due.
    const auto& autumn = due.at("riktlinjer-bostadsforsorjning");
    EXPECT_EQ(autumn->getValue<std::string>("state"), "due");
    EXPECT_EQ(autumn->getValue<std::string>("due_on"), "2026-10-15");
    EXPECT_EQ(autumn->getValue<std::string>("overdue_on"), "2027-10-16");
    EXPECT_EQ(autumn->getValue<std::string>("decided_by"), "kf");
    EXPECT_EQ(autumn->getValue<std::string>("owner_body"), "sbn");
    for (const char* id :
         {"policy-mot-mutor", "program-privata-utforare", "reglemente-ersattningar",
          "informationssakerhetspolicy", "oversiktsplan", "energi-och-klimatplan",
          "folkhalsoprogram", "vision-2040", "rutin-visselblasning", "budget-2025"}) {
        EXPECT_FALSE(due.count(id)) << id;
    }

    // The whole corpus: every document fullmäktige adopted under a mandate-period rule and
    // has not reviewed since 15 October is due, and nothing else is.
    const auto all = Listed("state=all", "admin");
    EXPECT_GE(all.size(), 50u);
    for (const auto& [id, row] : all) {
        SCOPED_TRACE(id);
        const std::string state = row->getValue<std::string>("state");
        const bool listed = due.count(id) > 0;
        EXPECT_EQ(listed, state == "due" || state == "overdue");
        // oversiktsplan has a review_due of its own (2027-12-31).
        if (id != "oversiktsplan" && row->getValue<std::string>("decided_by") == "kf" &&
            kPeriodDoctypes.count(row->getValue<std::string>("doctype")) && state != "ej aktuell" &&
            row->getValue<std::string>("last_event") < "2026-10-15") {
            EXPECT_TRUE(listed) << state;
        }
    }
    EXPECT_EQ(all.at("vision-2040")->getValue<std::string>("state"), "ej aktuell");
    EXPECT_EQ(all.at("oversiktsplan")->getValue<std::string>("due_on"), "2027-12-31");
    EXPECT_TRUE(all.at("kulturprogram")->getValue<bool>("under_revision"));
    EXPECT_FALSE(all.at("vision-2030")->getValue<bool>("under_revision"));
}

TEST_F(Reviews, AnotherDayGivesAnotherAnswer) {
    // The day before the new period, the autumn decision is not yet due.
    auto rows = Listed("state=all&on=2026-10-14");
    EXPECT_EQ(rows.at("riktlinjer-bostadsforsorjning")->getValue<std::string>("state"), "ok");
    EXPECT_FALSE(Listed("state=due&on=2026-10-14").count("riktlinjer-bostadsforsorjning"));
    // A year after the grace it is overdue.
    EXPECT_FALSE(Listed("state=overdue").count("riktlinjer-bostadsforsorjning"));
    EXPECT_TRUE(Listed("state=overdue&on=2027-10-16").count("riktlinjer-bostadsforsorjning"));
    // A nämnd's document waits for the nämnd's period, from 1 January.
    EXPECT_FALSE(Listed("state=due").count("riktlinjer-ekonomiskt-bistand"));
    rows = Listed("state=due&on=2027-01-01");
    ASSERT_TRUE(rows.count("riktlinjer-ekonomiskt-bistand"));
    EXPECT_EQ(rows.at("riktlinjer-ekonomiskt-bistand")->getValue<std::string>("due_on"),
              "2027-01-01");
    // A review recorded later does not count on an earlier day.
    EXPECT_FALSE(Listed("state=due").count("informationssakerhetspolicy"));
    EXPECT_TRUE(Listed("state=due&on=2026-11-01").count("informationssakerhetspolicy"));
    Poco::JSON::Object::Ptr earlier = Json(HttpGet(Port(), "/api/reviews?on=2026-10-14"));
    EXPECT_EQ(earlier->getObject("mandate_period")->getValue<std::string>("label"), "2022–2026");
}

TEST_F(Reviews, FiltersByBodyAndOwner) {
    const auto sbn = Listed("state=all&body=SBN");
    ASSERT_FALSE(sbn.empty());
    for (const auto& [id, row] : sbn) {
        EXPECT_TRUE(row->getValue<std::string>("owner_body") == "sbn" ||
                    row->getValue<std::string>("decided_by") == "sbn")
            << id;
    }
    EXPECT_TRUE(sbn.count("oversiktsplan"));
    const auto owned = Listed("state=all&owner=KOMMUNDIREKTOR%40exempelby.se");
    ASSERT_FALSE(owned.empty());
    for (const auto& [id, row] : owned) {
        EXPECT_EQ(row->getValue<std::string>("owner_email"), "kommundirektor@exempelby.se") << id;
    }
    EXPECT_TRUE(Listed("state=all&owner=ingen%40exempelby.se").empty());
}

TEST_F(Reviews, LeavesOutWhatTheAskerMayNotSee) {
    const auto anyone = Listed("state=all");
    const auto clerk = Listed("state=all", "registrator");
    EXPECT_FALSE(anyone.count("vision-2040"));  // a draft
    EXPECT_FALSE(anyone.count("rutin-visselblasning"));
    EXPECT_TRUE(clerk.count("vision-2040"));
    EXPECT_TRUE(clerk.count("rutin-visselblasning"));
    EXPECT_TRUE(Listed("state=all", "lasare").count("vision-2030"));
    EXPECT_FALSE(Listed("state=all", "lasare").count("vision-2040"));
}

TEST_F(Reviews, BadParametersAnswer400InSwedish) {
    for (const char* query :
         {"state=late", "state=DUE", "on=2026-02-30", "on=igår", "body=riksdagen",
          "state=due&state=all", "on=2026-11-23T00:00", "body=%00", "owner=%FF"}) {
        SCOPED_TRACE(query);
        HttpResponse response = HttpGet(Port(), std::string("/api/reviews?") + query);
        EXPECT_EQ(response.status, 400) << response.body;
        if (response.status == 400 &&
            response.Header("content-type").starts_with("application/json")) {
            EXPECT_FALSE(
                Json(response)->getObject("error")->getValue<std::string>("message").empty());
        }
    }
}

TEST_F(Reviews, KeptIsRecordedAsOneCommitAndTheDocumentIsNoLongerDue) {
    const std::string id = "reglemente-intern-kontroll";
    ASSERT_TRUE(Listed("state=due").count(id));
    const std::size_t versions =
        Json(HttpGet(Port(), "/api/documents/" + id + "/history"))->getArray("versions")->size();
    HttpResponse response =
        PostReview(id, "registrator", Review("KF", "2026-11-20", "fortsatt gällande"));
    ASSERT_EQ(response.status, 201) << response.body;
    Poco::JSON::Object::Ptr answer = Json(response);
    const std::string version = answer->getValue<std::string>("version");
    EXPECT_EQ(version.size(), 40u);
    EXPECT_EQ(response.Header("location"), "/api/documents/" + id);

    Poco::JSON::Object::Ptr document = Document(id);
    EXPECT_EQ(document->getValue<std::string>("version"), version);
    EXPECT_EQ(document->getValue<std::string>("status"), "gällande");
    EXPECT_EQ(document->getValue<std::string>("last_reviewed_on"), "2026-11-20");
    Poco::JSON::Array::Ptr reviews = document->getArray("reviews");
    Poco::JSON::Object::Ptr last = reviews->getObject(static_cast<unsigned>(reviews->size() - 1));
    EXPECT_EQ(last->getValue<std::string>("decided_by"), "kf");
    EXPECT_EQ(last->getValue<std::string>("outcome"), "fortsatt gällande");
    EXPECT_EQ(last->getValue<std::string>("paragraph"), "§ 140");
    Poco::JSON::Array::Ptr history =
        Json(HttpGet(Port(), "/api/documents/" + id + "/history"))->getArray("versions");
    EXPECT_EQ(history->size(), versions + 1);
    EXPECT_NE(history->getObject(0)->getValue<std::string>("message").find("Aktualitetsprövad"),
              std::string::npos);

    EXPECT_FALSE(Listed("state=due").count(id));
    EXPECT_EQ(Listed("state=all").at(id)->getValue<std::string>("state"), "ok");

    // The Atom feed carries the decision as one, for a clerk's feed reader.
    const std::string feed = HttpGet(Port(), "/feed.atom").body;
    const std::size_t entry = feed.find("?version=" + version);
    ASSERT_NE(entry, std::string::npos) << feed;
    const std::size_t start = feed.rfind("<entry>", entry);
    const std::string text = feed.substr(start, feed.find("</entry>", entry) - start);
    EXPECT_NE(text.find("<title>Aktualitetsprövning: "), std::string::npos) << text;
    EXPECT_NE(text.find("fortsatt gällande</title>"), std::string::npos) << text;
    EXPECT_NE(text.find("term=\"aktualitetsprovning\""), std::string::npos) << text;
}

TEST_F(Reviews, RevisedKeepsTheDocumentInForceAndMarksIt) {
    const std::string id = "taxa-kulturskola";
    HttpResponse response = PostReview(id, "admin", Review("kf", "2026-11-20", "revideras"));
    ASSERT_EQ(response.status, 201) << response.body;
    EXPECT_EQ(Document(id)->getValue<std::string>("status"), "gällande");
    const auto row = Listed("state=all").at(id);
    EXPECT_TRUE(row->getValue<bool>("under_revision"));
    EXPECT_EQ(row->getValue<std::string>("state"), "ok");
    HttpResponse page = HttpGet(Port(), "/documents/" + id);
    EXPECT_NE(page.body.find("ska revideras"), std::string::npos);
}

TEST_F(Reviews, RepealedLeavesDefaultSearchButStaysReadableForEarlierDates) {
    const std::string id = "upphandlingspolicy";
    HttpResponse response = PostReview(id, "registrator", Review("kf", "2026-11-20", "upphävs"));
    ASSERT_EQ(response.status, 201) << response.body;
    EXPECT_EQ(Json(response)->getValue<std::string>("status"), "upphävd");
    Poco::JSON::Object::Ptr document = Document(id);
    EXPECT_EQ(document->getValue<std::string>("status"), "upphävd");
    EXPECT_EQ(document->getValue<std::string>("valid_to"), "2026-11-20");
    EXPECT_FALSE(Listed("state=all").count(id) &&
                 Listed("state=all").at(id)->getValue<std::string>("state") != "ej aktuell");
    EXPECT_EQ(HttpGet(Port(), "/api/documents/" + id + "?at=2026-01-01").status, 200);
    Poco::JSON::Array::Ptr hits =
        Json(HttpGet(Port(), "/api/search?q=upphandlingspolicy"))->getArray("hits");
    for (std::size_t i = 0; i < hits->size(); ++i) {
        EXPECT_NE(hits->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"), id);
    }
    // Once repealed, it cannot be reviewed again.
    response = PostReview(id, "registrator", Review("kf", "2026-11-21", "fortsatt gällande"));
    EXPECT_EQ(response.status, 409) << response.body;
}

TEST_F(Reviews, OnlyClerksAndAdminsRecordReviews) {
    const std::string id = "lokala-ordningsforeskrifter";
    const std::string version = Document(id)->getValue<std::string>("version");
    const std::string json = Review("kf", "2026-11-20", "fortsatt gällande");
    EXPECT_EQ(PostReview(id, "", json).status, 401);
    EXPECT_EQ(PostReview(id, "lasare", json).status, 403);
    // hr owns arbetsmiljopolicy, and still may not record its review.
    EXPECT_EQ(PostReview("arbetsmiljopolicy", "hr", json).status, 403);
    EXPECT_EQ(Document(id)->getValue<std::string>("version"), version);
    EXPECT_EQ(PostReview("finns-inte", "registrator", json).status, 404);
    EXPECT_EQ(PostReview("vision-2040", "lasare", json).status, 404);  // a draft it cannot see
}

TEST_F(Reviews, TheBodyMustBeTheAdoptingOneOrAbove) {
    // Adopted by fullmäktige: a nämnd or kommunstyrelsen may not decide its review.
    for (const char* body : {"sn", "ks", "kd"}) {
        SCOPED_TRACE(body);
        HttpResponse response = PostReview("avfallstaxa", "registrator",
                                           Review(body, "2026-11-20", "fortsatt gällande"));
        ASSERT_EQ(response.status, 400) << response.body;
        const std::string message =
            Json(response)->getObject("error")->getValue<std::string>("message");
        EXPECT_NE(message.find("organet som antog dokumentet"), std::string::npos) << message;
    }
    // Adopted by socialnämnden: fullmäktige, above it, may.
    HttpResponse response = PostReview("riktlinjer-bistand-aldreomsorg", "registrator",
                                       Review("kf", "2026-11-20", "fortsatt gällande"));
    EXPECT_EQ(response.status, 201) << response.body;
}

TEST_F(Reviews, IfMatchGuardsAgainstAStaleVersion) {
    const std::string id = "foreskrifter-avfall";
    const std::string version = Document(id)->getValue<std::string>("version");
    const std::string stale(40, 'a');
    EXPECT_EQ(PostReview(id, "registrator", Review("kf", "2026-11-20", "fortsatt gällande"), stale)
                  .status,
              412);
    EXPECT_EQ(Document(id)->getValue<std::string>("version"), version);
    HttpResponse response =
        PostReview(id, "registrator", Review("kf", "2026-11-20", "fortsatt gällande"), version);
    EXPECT_EQ(response.status, 201) << response.body;
}

TEST_F(Reviews, BadInputIsRefusedAndChangesNothing) {
    const std::string id = "taxa-plan-bygg";
    const std::string version = Document(id)->getValue<std::string>("version");
    const std::vector<std::string> bodies = {
        "",
        "not json",
        "[]",
        "null",
        R"({"decided_by":1,"decided_on":"2026-11-20","paragraph":"§ 1","outcome":"revideras"})",
        R"({"decided_by":"kf","decided_on":"2026-11-20","paragraph":"§ 1","outcome":"kasseras"})",
        R"({"decided_by":"kf","decided_on":"20 november","paragraph":"§ 1","outcome":"revideras"})",
        R"({"decided_by":"kf","decided_on":"2026-11-20","outcome":"revideras"})",
        R"({"decided_by":"kf","decided_on":"2027-01-01","paragraph":"§ 1","outcome":"revideras"})",
        R"({"decided_by":"kf","decided_on":"2026-11-20","paragraph":"§ 1","outcome":"revideras","extra":1})",
        R"({"decided_by":"kf","decided_on":"2026-11-20","paragraph":"§ 1","outcome":"upphävs","valid_to":"snart"})",
        R"({"decided_by":"<script>","decided_on":"2026-11-20","paragraph":"§ 1","outcome":"revideras"})",
        std::string("{\"decided_by\":\"kf\xff\"}"),
        std::string(100000, '{'),
    };
    for (const std::string& body : bodies) {
        SCOPED_TRACE(body.substr(0, 80));
        HttpResponse response = PostReview(id, "admin", body);
        EXPECT_GE(response.status, 400);
        EXPECT_LT(response.status, 500) << response.body;
    }
    Headers text = As("admin");
    text["Content-Type"] = "text/plain";
    EXPECT_EQ(HttpRequest(Port(), "POST", "/api/documents/" + id + "/reviews", text,
                          Review("kf", "2026-11-20", "revideras"))
                  .status,
              400);
    for (const char* target : {"/api/documents/..%2F..%2Fetc/reviews", "/api/documents/ABC/reviews",
                               "/api/documents/a%00b/reviews"}) {
        HttpResponse response = HttpRequest(Port(), "POST", target,
                                            {{"Content-Type", "application/json"},
                                             {"Authorization", As("admin").at("Authorization")}},
                                            Review("kf", "2026-11-20", "revideras"));
        EXPECT_GE(response.status, 400) << target;
        EXPECT_LT(response.status, 500) << target;
    }
    EXPECT_EQ(Document(id)->getValue<std::string>("version"), version);
}

TEST_F(Reviews, TheDocumentPageShowsStateAndHistoryAndTheFormRecords) {
    const std::string id = "avfallsplan";
    HttpResponse page = HttpGet(Port(), "/documents/vision-2030");
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("id=\"aktualitetsprovning\""), std::string::npos);
    EXPECT_NE(page.body.find("2023-03-27"), std::string::npos);  // its recorded review
    EXPECT_NE(page.body.find("Dokumentet ska aktualitetsprövas nu, senast 2027-10-15"),
              std::string::npos);
    EXPECT_EQ(page.body.find("&#x2F;provning"), std::string::npos);  // not for a reader

    page = HttpGet(Port(), "/documents/" + id, As("registrator"));
    EXPECT_NE(page.body.find(id + "&#x2F;provning"), std::string::npos);
    EXPECT_EQ(HttpGet(Port(), "/documents/" + id + "/provning", As("lasare")).status, 403);
    EXPECT_EQ(HttpGet(Port(), "/documents/" + id + "/provning").status, 401);
    HttpResponse form = HttpGet(Port(), "/documents/" + id + "/provning", As("registrator"));
    ASSERT_EQ(form.status, 200);
    EXPECT_NE(form.body.find("name=\"outcome\""), std::string::npos);
    const std::string marker = "name=\"version\" value=\"";
    const std::size_t at = form.body.find(marker);
    ASSERT_NE(at, std::string::npos);
    const std::string version = form.body.substr(at + marker.size(), 40);

    // HTTP Basic, as a browser with cached credentials sends it: the form carries its token.
    const std::string csrf = testing::CsrfOf(form.body);
    ASSERT_FALSE(csrf.empty());
    const auto post = [&](const std::string& fields) {
        Headers headers = As("registrator");
        headers["Content-Type"] = "application/x-www-form-urlencoded";
        return HttpRequest(Port(), "POST", "/documents/" + id + "/provning", headers,
                           fields + "&version=" + version + "&csrf=" + csrf);
    };
    // Errors come back at their fields, in Swedish, with what was typed.
    HttpResponse wrong =
        post("decided_by=sbn&decided_on=2026-11-20&paragraph=&dnr=SBN+2026%2F9&outcome=");
    EXPECT_EQ(wrong.status, 400);
    EXPECT_NE(wrong.body.find("organet som antog dokumentet"), std::string::npos);
    EXPECT_NE(wrong.body.find("Välj utfall"), std::string::npos);
    EXPECT_NE(wrong.body.find("SBN 2026&#x2F;9"), std::string::npos);
    EXPECT_EQ(Document(id)->getValue<std::string>("version"), version);

    HttpResponse saved = post(
        "decided_by=kf&decided_on=2026-11-20&paragraph=%C2%A7+141&dnr=&"
        "outcome=fortsatt+g%C3%A4llande&valid_to=&summary=");
    EXPECT_EQ(saved.status, 303) << saved.body;
    EXPECT_NE(Document(id)->getValue<std::string>("version"), version);
    page = HttpGet(Port(), "/documents/" + id);
    EXPECT_NE(page.body.find("2026-11-20"), std::string::npos);
    EXPECT_NE(page.body.find("Nästa aktualitetsprövning"), std::string::npos);

    // The same form again is stale now.
    HttpResponse stale =
        post("decided_by=kf&decided_on=2026-11-21&paragraph=%C2%A7+142&outcome=revideras");
    EXPECT_EQ(stale.status, 409);
    EXPECT_NE(stale.body.find("Prövningen är inte registrerad"), std::string::npos);
}

}  // namespace
}  // namespace styrdok
