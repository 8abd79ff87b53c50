// Drafts beside the version in force (issue 16; DESIGN.md "Storage layout"): a draft of the
// next revision lives on refs/drafts/<id> and leaves the public page, the JSON and the search
// exactly as they were until it is adopted; its words are never found by the public; it is
// adopted as one commit on main, or discarded. The real server, over HTTP, on the corpus.
#include <Poco/JSON/Object.h>

#include <sstream>
#include <string>

#include "registry_support.hpp"

namespace styrdok::testing {
namespace {

constexpr const char* kPolicy = "arbetsmiljopolicy";  // in force, owned by hr

class Drafts : public ::testing::Test {
protected:
    void SetUp() override {
        CreateCorpusRegistry(data_);
        AddStaffAccounts(data_);
        server_ = std::make_unique<ServerProcess>(STYRDOK_BINARY, data_,
                                                  std::vector<std::string>{"--today", kToday});
    }

    std::uint16_t Port() const { return server_->port(); }

    HttpResponse Get(const std::string& target, const std::string& user = "") const {
        return HttpRequest(Port(), "GET", target, As(user));
    }

    HttpResponse Send(const std::string& method, const std::string& target, const std::string& user,
                      const std::string& if_match, const std::string& body = {}) const {
        auto headers = As(user);
        if (!body.empty()) headers["Content-Type"] = "application/json";
        if (!if_match.empty()) headers["If-Match"] = "\"" + if_match + "\"";
        return HttpRequest(Port(), method, target, headers, body);
    }

    int SearchTotal(const std::string& query, const std::string& user = "") const {
        return Json(Get("/api/search?q=" + query, user))->getValue<int>("total");
    }

    // The policy as the owner sends a draft of it: its JSON with another text.
    std::string DraftBody(const std::string& text) const {
        auto object = Json(Get(std::string("/api/documents/") + kPolicy, "hr"));
        object->set("text", text);
        object->set("summary", "Utkast till revidering");
        std::ostringstream out;
        object->stringify(out);
        return out.str();
    }

    Sandbox sandbox_;
    std::filesystem::path data_ = sandbox_ / "registry";
    std::unique_ptr<ServerProcess> server_;
};

TEST_F(Drafts, ADraftRevisionLeavesTheVersionInForceAsItWasUntilAdopted) {
    const std::string json_path = std::string("/api/documents/") + kPolicy;
    const std::string page_path = std::string("/documents/") + kPolicy;
    const HttpResponse json_before = Get(json_path);
    const HttpResponse page_before = Get(page_path);
    ASSERT_EQ(json_before.status, 200);
    const std::string main_version = Json(json_before)->getValue<std::string>("version");
    const int found_before = SearchTotal("arbetsmiljöpolicy");
    ASSERT_GT(found_before, 0);

    // PUT with status utkast, as an old client would: it lands on the draft, not on main.
    auto object = Json(Get(json_path, "hr"));
    object->set("status", "utkast");
    object->set("text", "# Arbetsmiljöpolicy\n\nNytt stycke om blåbärssoppa i personalrummet.\n");
    object->set("summary", "Utkast");
    std::ostringstream body;
    object->stringify(body);
    HttpResponse saved = Send("PUT", json_path, "hr", main_version, body.str());
    ASSERT_EQ(saved.status, 200) << saved.body;
    const std::string draft_version = Json(saved)->getValue<std::string>("version");
    EXPECT_NE(draft_version, main_version);

    // The public sees exactly what it saw.
    EXPECT_EQ(Get(json_path).body, json_before.body);
    EXPECT_EQ(Get(page_path).body, page_before.body);
    EXPECT_EQ(SearchTotal("arbetsmiljöpolicy"), found_before);
    EXPECT_EQ(SearchTotal("blåbärssoppa"), 0);
    EXPECT_EQ(SearchTotal("blåbärssoppa", "lasare"), 0);
    EXPECT_EQ(Get(json_path + "?draft=1").status, 404);
    EXPECT_EQ(Get(json_path + "?draft=1", "lasare").status, 404);
    EXPECT_EQ(Get(json_path + "/history").body.find("Utkast"), std::string::npos);

    // The owner and the clerk see the draft, and its difference from the version in force.
    HttpResponse draft = Get(json_path + "?draft=1", "hr");
    ASSERT_EQ(draft.status, 200) << draft.body;
    EXPECT_EQ(Json(draft)->getValue<std::string>("version"), draft_version);
    EXPECT_NE(Json(draft)->getValue<std::string>("text").find("blåbärssoppa"), std::string::npos);
    EXPECT_EQ(Get(json_path + "?draft=1", "registrator").status, 200);
    HttpResponse diff =
        Get(json_path + "/diff?from=" + main_version + "&to=" + draft_version, "hr");
    ASSERT_EQ(diff.status, 200) << diff.body;
    EXPECT_NE(diff.body.find("blåbärssoppa"), std::string::npos);
    HttpResponse draft_page = Get(page_path + "?draft=1", "hr");
    ASSERT_EQ(draft_page.status, 200);
    EXPECT_NE(draft_page.body.find("utkast"), std::string::npos);

    // The owner works on: the draft's version is what a second save must name.
    HttpResponse stale = Send("PUT", json_path + "?draft=1", "hr", main_version,
                              DraftBody("# Arbetsmiljöpolicy\n\nFörsök två.\n"));
    EXPECT_EQ(stale.status, 412) << stale.body;

    // Adopted by the council's decision: one commit on main, the draft gone.
    const std::string decision =
        R"({"decided_by": "kf", "decided_on": "2026-11-20", "paragraph": "§ 140"})";
    HttpResponse not_owner = Send("POST", json_path + "/adopt", "lasare", draft_version, decision);
    EXPECT_EQ(not_owner.status, 404) << not_owner.body;  // a reader does not see the draft
    HttpResponse adopted =
        Send("POST", json_path + "/adopt", "registrator", draft_version, decision);
    ASSERT_EQ(adopted.status, 200) << adopted.body;
    const std::string new_version = Json(adopted)->getValue<std::string>("version");
    auto now = Json(Get(json_path));
    EXPECT_EQ(now->getValue<std::string>("version"), new_version);
    EXPECT_EQ(now->getValue<std::string>("status"), "gällande");
    EXPECT_EQ(now->getValue<std::string>("paragraph"), "§ 140");
    EXPECT_NE(now->getValue<std::string>("text").find("blåbärssoppa"), std::string::npos);
    EXPECT_EQ(SearchTotal("blåbärssoppa"), 1);
    EXPECT_EQ(Get(json_path + "?draft=1", "hr").status, 404);
    // The public history has the adoption, not the draft's own saves.
    const std::string history = Get(json_path + "/history").body;
    EXPECT_NE(history.find("Antagen av Kommunfullmäktige 2026-11-20 § 140"), std::string::npos)
        << history;
    EXPECT_EQ(history.find("\"Utkast\""), std::string::npos) << history;
}

TEST_F(Drafts, AReviewRecordedWhileADraftIsWrittenIsKeptWhenTheOwnerAdoptsIt) {
    const std::string json_path = std::string("/api/documents/") + kPolicy;
    const std::string main_version = Json(Get(json_path, "hr"))->getValue<std::string>("version");
    HttpResponse saved = Send("PUT", json_path + "?draft=1", "hr", main_version,
                              DraftBody("# Arbetsmiljöpolicy\n\nEn ny riktning.\n"));
    ASSERT_EQ(saved.status, 200) << saved.body;
    const std::string draft_version = Json(saved)->getValue<std::string>("version");
    const std::size_t reviews_before = Json(Get(json_path))->getArray("reviews")->size();

    // The clerk records the council's review on the version in force meanwhile.
    HttpResponse reviewed = Send(
        "POST", json_path + "/reviews", "registrator", "",
        R"({"decided_by":"kf","decided_on":"2026-11-19","paragraph":"§ 131","outcome":"revideras"})");
    ASSERT_EQ(reviewed.status, 201) << reviewed.body;

    // The owner adopts the draft (owners adopt their own drafts, DESIGN.md): the review stays.
    HttpResponse adopted =
        Send("POST", json_path + "/adopt", "hr", draft_version,
             R"({"decided_by":"kf","decided_on":"2026-11-20","paragraph":"§ 140"})");
    ASSERT_EQ(adopted.status, 200) << adopted.body;
    auto now = Json(Get(json_path));
    auto reviews = now->getArray("reviews");
    ASSERT_EQ(reviews->size(), reviews_before + 1);
    EXPECT_EQ(reviews->getObject(reviews->size() - 1)->getValue<std::string>("paragraph"), "§ 131");
    EXPECT_EQ(now->getValue<std::string>("last_reviewed_on"), "2026-11-19");
    EXPECT_NE(now->getValue<std::string>("text").find("En ny riktning"), std::string::npos);
}

TEST_F(Drafts, ANewDocumentIsADraftUntilAdoptedAndADraftCanBeDiscarded) {
    auto object = Json(Get(std::string("/api/documents/") + kPolicy, "admin"));
    object->set("id", "policy-om-distansarbete");
    object->set("title", "Policy om distansarbete");
    object->set("status", "utkast");
    object->remove("reviews");
    object->remove("last_reviewed_on");
    object->set("text", "# Policy om distansarbete\n\nOm arbete hemifrån och fjällstugor.\n");
    std::ostringstream body;
    object->stringify(body);
    HttpResponse created = Send("POST", "/api/documents", "hr", "", body.str());
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string draft_version = Json(created)->getValue<std::string>("version");
    const std::string path = "/api/documents/policy-om-distansarbete";
    EXPECT_EQ(Get(path).status, 404);
    EXPECT_EQ(Get(path, "hr").status, 404);  // nothing decided on main
    EXPECT_EQ(Get(path + "?draft=1", "hr").status, 200);
    EXPECT_EQ(SearchTotal("fjällstugor"), 0);
    // The id is taken, by the draft, for anyone who would create it again.
    EXPECT_EQ(Send("POST", "/api/documents", "admin", "", body.str()).status, 409);

    // Discarded: the id is free, main never had it.
    EXPECT_EQ(Send("DELETE", path + "?draft=1", "lasare", draft_version).status, 404);
    EXPECT_EQ(Send("DELETE", path + "?draft=1", "hr", "0000").status, 412);
    HttpResponse discarded = Send("DELETE", path + "?draft=1", "hr", draft_version);
    EXPECT_EQ(discarded.status, 204) << discarded.body;
    EXPECT_EQ(Get(path + "?draft=1", "hr").status, 404);
    EXPECT_EQ(Send("POST", "/api/documents", "hr", "", body.str()).status, 201);
}

}  // namespace
}  // namespace styrdok::testing
