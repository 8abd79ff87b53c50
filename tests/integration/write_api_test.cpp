// The write side as clients meet it: accounts, sign-in, rights and the JSON write API of the
// real styrdok binary on a real registry (issue 5).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "registry_support.hpp"
#include "styrdok/testing/sandbox.hpp"
#include "styrdok/testing/server_process.hpp"

namespace styrdok {
namespace {

using testing::AddUser;
using testing::As;
using testing::BasicAuth;
using testing::CreateCorpusRegistry;
using testing::HttpRequest;
using testing::HttpResponse;
using testing::Json;
using testing::kToday;
using testing::PostForm;
using testing::Sandbox;
using testing::ServerProcess;
using testing::SignedIn;
using testing::SignIn;

using Headers = std::map<std::string, std::string>;

constexpr const char* kPassword = testing::kStaffPassword;
// hr-chef@exempelby.se owns it; its owner_body is ks.
constexpr const char* kHrDocument = "arbetsmiljopolicy";
// kulturchef@exempelby.se owns it; its owner_body is kfn.
constexpr const char* kCultureDocument = "kulturprogram";

std::string Stringify(const Poco::JSON::Object& object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

Headers Merge(Headers a, const Headers& b) {
    a.insert(b.begin(), b.end());
    return a;
}

// The accounts of the suite: each role, and owners who own by e-mail and by body.
void AddAccounts(const std::filesystem::path& data) {
    testing::AddStaffAccounts(data);
    AddUser(data, "kultur", "owner", "kultur@exempelby.se", kPassword, {"kfn"});
}

// A server with the corpus and the accounts, for an OwnServer-style test that needs its own
// configuration.
struct Registry {
    Sandbox sandbox;
    std::filesystem::path data = sandbox / "registry";

    explicit Registry(const std::string& configuration = {}) {
        CreateCorpusRegistry(data);
        AddAccounts(data);
        if (!configuration.empty()) {
            std::ofstream(data / "styrdok.ini", std::ios::app) << "\n" << configuration << "\n";
        }
    }
};

std::unique_ptr<ServerProcess> Start(const std::filesystem::path& data) {
    return std::make_unique<ServerProcess>(STYRDOK_BINARY, data,
                                           std::vector<std::string>{"--today", kToday});
}

class WriteApi : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        registry_ = std::make_unique<Registry>();
        server_ = Start(registry_->data);
    }
    static void TearDownTestSuite() {
        server_.reset();
        registry_.reset();
    }

    static std::uint16_t Port() { return server_->port(); }

    // The current version of a document, as the admin sees it.
    static std::string VersionOf(const std::string& id) {
        HttpResponse response = HttpRequest(Port(), "GET", "/api/documents/" + id, As("admin"));
        EXPECT_EQ(response.status, 200) << id << " " << response.body;
        return response.status == 200 ? Json(response)->getValue<std::string>("version")
                                      : std::string();
    }

    static HttpResponse Put(const std::string& id, const std::string& user, const std::string& json,
                            const std::string& if_match) {
        Headers headers = Merge(As(user), {{"Content-Type", "application/json"}});
        if (!if_match.empty()) headers["If-Match"] = "\"" + if_match + "\"";
        return HttpRequest(Port(), "PUT", "/api/documents/" + id, headers, json);
    }

    static HttpResponse Post(const std::string& user, const std::string& json) {
        return HttpRequest(Port(), "POST", "/api/documents",
                           Merge(As(user), {{"Content-Type", "application/json"}}), json);
    }

    // A complete new document: a copy of the HR document's metadata with another id and
    // owner.
    static std::string NewDocument(const std::string& id, const std::string& owner_email,
                                   const std::string& owner_body = "ks",
                                   const std::string& status = "gällande") {
        auto object = Json(
            HttpRequest(Port(), "GET", std::string("/api/documents/") + kHrDocument, As("admin")));
        object->set("id", id);
        object->set("title", "Riktlinjer för " + id);
        object->set("owner_email", owner_email);
        object->set("owner_body", owner_body);
        object->set("status", status);
        // A new document has no review decisions of its own (they are recorded only as such).
        object->remove("reviews");
        object->remove("last_reviewed_on");
        object->set("text", "# Riktlinjer för " + id + "\n\nOrdet " + id + " står här.\n");
        object->set("summary", "Nytt dokument " + id);
        return Stringify(*object);
    }

    static int SearchTotal(const std::string& query, const Headers& headers = {}) {
        return Json(HttpRequest(Port(), "GET", "/api/search?q=" + query, headers))
            ->getValue<int>("total");
    }

    static inline std::unique_ptr<Registry> registry_;
    static inline std::unique_ptr<ServerProcess> server_;
};

TEST_F(WriteApi, PermissionMatrixOfRolesActionsAndOwnership) {
    struct Case {
        std::string user;  // "" is nobody signed in
        std::string document;
        bool text;  // change the text, or only metadata
        int status;
    };
    const std::vector<Case> cases = {
        {"", kHrDocument, false, 401},
        {"", kHrDocument, true, 401},
        {"lasare", kHrDocument, false, 403},
        {"lasare", kHrDocument, true, 403},
        {"hr", kHrDocument, false, 200},  // owns it by e-mail
        {"hr", kHrDocument, true, 200},
        {"hr", kCultureDocument, false, 403},  // another's
        {"hr", kCultureDocument, true, 403},
        {"kultur", kCultureDocument, true, 200},  // owns it by body (kfn)
        {"kultur", kHrDocument, false, 403},
        {"registrator", kHrDocument, false, 200},  // a clerk edits every document's metadata
        {"registrator", kHrDocument, true, 403},   // but not another's text
        {"admin", kCultureDocument, false, 200},
        {"admin", kCultureDocument, true, 200},
    };
    int n = 0;
    for (const Case& c : cases) {
        SCOPED_TRACE((c.user.empty() ? std::string("nobody") : c.user) + " " + c.document +
                     (c.text ? " text" : " metadata"));
        const std::string before = VersionOf(c.document);
        Poco::JSON::Object change;
        const std::string word = "matrisord" + std::to_string(++n);
        if (c.text) {
            change.set("text", "# Rubrik\n\nNy text med " + word + ".\n");
        } else {
            Poco::JSON::Array::Ptr keywords = new Poco::JSON::Array;
            keywords->add(word);
            change.set("keywords", keywords);
        }
        change.set("summary", "Test av behörighet");
        HttpResponse response = Put(c.document, c.user, Stringify(change), before);
        EXPECT_EQ(response.status, c.status) << response.body;
        const std::string after = VersionOf(c.document);
        if (c.status == 200) {
            EXPECT_NE(after, before);
            EXPECT_EQ(Json(response)->getValue<std::string>("version"), after);
            // Searchable before the answer came.
            EXPECT_EQ(SearchTotal(word), 1) << word;
        } else {
            EXPECT_EQ(after, before) << "a refused write changed the document";
            EXPECT_FALSE(
                Json(response)->getObject("error")->getValue<std::string>("message").empty());
        }
    }
}

// Searches are answered from a cache while the index stays as it was (handlers/api.cpp): the
// same search asked again answers byte for byte alike, and a save is seen by the very next
// asking of it, and so is the save that takes the word away.
TEST_F(WriteApi, ASearchAskedAgainSeesEachSave) {
    const std::string url = "/api/search?q=lingonris";
    const HttpResponse first = HttpRequest(Port(), "GET", url, {});
    EXPECT_EQ(Json(first)->getValue<int>("total"), 0);
    EXPECT_EQ(HttpRequest(Port(), "GET", url, {}).body, first.body);

    Poco::JSON::Object add;
    add.set("text", "# Rubrik\n\nText om lingonris.\n");
    add.set("summary", "Lingonris");
    ASSERT_EQ(Put(kHrDocument, "hr", Stringify(add), VersionOf(kHrDocument)).status, 200);
    const HttpResponse found = HttpRequest(Port(), "GET", url, {});
    EXPECT_EQ(Json(found)->getValue<int>("total"), 1) << found.body;
    EXPECT_EQ(HttpRequest(Port(), "GET", url, {}).body, found.body);

    Poco::JSON::Object remove;
    remove.set("text", "# Rubrik\n\nText om blåbär.\n");
    remove.set("summary", "Blåbär");
    ASSERT_EQ(Put(kHrDocument, "hr", Stringify(remove), VersionOf(kHrDocument)).status, 200);
    EXPECT_EQ(Json(HttpRequest(Port(), "GET", url, {}))->getValue<int>("total"), 0);
}

TEST_F(WriteApi, CreatingNeedsARoleThatMayOwnTheNewDocument) {
    struct Case {
        std::string user;
        std::string owner_email;
        int status;
    };
    const std::vector<Case> cases = {
        {"", "hr-chef@exempelby.se", 401},
        {"lasare", "lasare@exempelby.se", 403},
        {"hr", "hr-chef@exempelby.se", 201},
        {"hr", "kulturchef@exempelby.se", 403},  // an owner creates only what they own
        {"registrator", "kulturchef@exempelby.se", 201},
        {"admin", "kulturchef@exempelby.se", 201},
    };
    int n = 0;
    for (const Case& c : cases) {
        const std::string id = "nytt-dokument-" + std::to_string(++n);
        SCOPED_TRACE(c.user + " " + id);
        HttpResponse response = Post(c.user, NewDocument(id, c.owner_email));
        EXPECT_EQ(response.status, c.status) << response.body;
        const int exists = HttpRequest(Port(), "GET", "/api/documents/" + id, As("admin")).status;
        EXPECT_EQ(exists, c.status == 201 ? 200 : 404);
        if (c.status == 201) {
            EXPECT_EQ(response.Header("location"), "/api/documents/" + id);
            EXPECT_EQ(response.Header("etag"),
                      std::string("\"")
                          .append(Json(response)->getValue<std::string>("version"))
                          .append("\""));
            EXPECT_EQ(SearchTotal(id), 1);
        }
    }
    // The same id twice is a conflict, not a second document.
    EXPECT_EQ(Post("admin", NewDocument("nytt-dokument-3", "hr-chef@exempelby.se")).status, 409);
}

TEST_F(WriteApi, AStaleOrMissingVersionIsRefusedAndNamesTheCurrentOne) {
    const std::string id = "rutin-felanmalan";
    const std::string first = VersionOf(id);
    ASSERT_EQ(Put(id, "admin", R"({"title":"Rutin för felanmälan, ny"})", first).status, 200);
    const std::string second = VersionOf(id);
    HttpResponse stale = Put(id, "admin", R"({"title":"Gammal grund"})", first);
    EXPECT_EQ(stale.status, 412) << stale.body;
    EXPECT_NE(stale.body.find(second), std::string::npos) << stale.body;
    EXPECT_EQ(VersionOf(id), second);
    HttpResponse missing = Put(id, "admin", R"({"title":"Utan version"})", "");
    EXPECT_EQ(missing.status, 428) << missing.body;
    EXPECT_EQ(VersionOf(id), second);
}

// The registry's snapshot (which documents replace which) is moved by each save before the
// answer: the next read of the saved document and of the one it replaces shows the save.
TEST_F(WriteApi, TheNextReadAfterASaveSeesItAndTheDocumentItReplaces) {
    ASSERT_EQ(Post("admin", NewDocument("ersatt-dokument", "hr-chef@exempelby.se")).status, 201);
    ASSERT_EQ(Post("admin", NewDocument("ersattare", "hr-chef@exempelby.se")).status, 201);
    const auto replaced_by = [](const std::string& id) {
        auto document = Json(HttpRequest(Port(), "GET", "/api/documents/" + id, As("admin")));
        Poco::JSON::Array::Ptr by = document->getArray("replaced_by");
        std::string ids;
        for (std::size_t i = 0; i < by->size(); ++i) {
            ids += by->getElement<std::string>(static_cast<unsigned>(i)) + " ";
        }
        return ids;
    };
    EXPECT_EQ(replaced_by("ersatt-dokument"), "");

    HttpResponse saved =
        Put("ersattare", "admin", R"({"replaces":"ersatt-dokument","title":"Ersättaren"})",
            VersionOf("ersattare"));
    ASSERT_EQ(saved.status, 200) << saved.body;
    EXPECT_EQ(replaced_by("ersatt-dokument"), "ersattare ");
    auto successor = Json(HttpRequest(Port(), "GET", "/api/documents/ersattare", As("admin")));
    EXPECT_EQ(successor->getValue<std::string>("title"), "Ersättaren");
    EXPECT_EQ(successor->getValue<std::string>("version"),
              Json(saved)->getValue<std::string>("version"));

    saved = Put("ersattare", "admin", R"({"replaces":""})", VersionOf("ersattare"));
    ASSERT_EQ(saved.status, 200) << saved.body;
    EXPECT_EQ(replaced_by("ersatt-dokument"), "");
}

TEST_F(WriteApi, EightWritersOnOneVersionHaveExactlyOneWinner) {
    const std::string id = "rutin-synpunkter";
    const std::string base = VersionOf(id);
    std::vector<int> statuses(8);
    std::vector<std::thread> writers;
    for (int i = 0; i < 8; ++i) {
        writers.emplace_back([&, i] {
            statuses[i] = Put(id, "admin",
                              R"({"text":"Skribent )" + std::to_string(i) +
                                  R"( var här.","summary":"Samtidigt"})",
                              base)
                              .status;
        });
    }
    for (std::thread& writer : writers) writer.join();
    int won = 0;
    for (int status : statuses) {
        if (status == 200) {
            ++won;
        } else {
            EXPECT_EQ(status, 412);
        }
    }
    EXPECT_EQ(won, 1);
    // Exactly one new version on top of the base.
    auto history = Json(HttpRequest(Port(), "GET", "/api/documents/" + std::string(id) + "/history",
                                    As("admin")))
                       ->getArray("versions");
    ASSERT_GE(history->size(), 2u);
    EXPECT_EQ(history->getObject(1)->getValue<std::string>("version"), base);
}

TEST_F(WriteApi, MarkupInTitleAndTextIsRenderedInert) {
    const std::string id = "riktlinjer-representation";
    const std::string json =
        R"({"title":"<script>alert('titel')</script> Representation",)"
        R"("text":"# Rubrik\n\n<script>alert('text')</script>\n\n[Klicka](javascript:alert(1)) och <img src=x onerror=alert(2)>\n",)"
        R"("summary":"Försök med skript"})";
    ASSERT_EQ(Put(id, "admin", json, VersionOf(id)).status, 200);
    // The JSON gives the text as written (as data, never as a page); its html is rendered.
    auto answer = Json(HttpRequest(Port(), "GET", "/api/documents/" + id));
    EXPECT_EQ(answer->getValue<std::string>("html").find("<script"), std::string::npos);
    EXPECT_EQ(answer->getValue<std::string>("html").find("javascript:"), std::string::npos);
    EXPECT_EQ(answer->getValue<std::string>("html").find("onerror"), std::string::npos);
    const std::vector<std::string> targets = {"/documents/" + id, "/?q=representation",
                                              "/documents/" + id + "/history"};
    for (const std::string& target : targets) {
        SCOPED_TRACE(target);
        HttpResponse response = HttpRequest(Port(), "GET", target);
        ASSERT_EQ(response.status, 200);
        EXPECT_EQ(response.body.find("<script>alert"), std::string::npos);
        EXPECT_EQ(response.body.find("href=\"javascript:"), std::string::npos);
        EXPECT_EQ(response.body.find("<img src=x onerror"), std::string::npos);
        EXPECT_EQ(response.body.find("<img src=\"x\" onerror"), std::string::npos);
    }
}

TEST_F(WriteApi, BadInputIsAClearErrorAndChangesNothing) {
    const std::string id = "rutin-rehabilitering";
    const std::string version = VersionOf(id);
    struct Case {
        std::string target;
        std::string method;
        std::string content_type;
        std::string body;
        int status;
    };
    const std::vector<Case> cases = {
        {"/api/documents/" + id, "PUT", "application/json", "{inte json", 400},
        {"/api/documents/" + id, "PUT", "application/json", "[1,2]", 400},
        {"/api/documents/" + id, "PUT", "text/plain", R"({"title":"x"})", 400},
        {"/api/documents/" + id, "PUT", "application/json", R"({"decided_on":"2021-13-45"})", 400},
        {"/api/documents/" + id, "PUT", "application/json", R"({"doctype":"okänd-typ"})", 400},
        {"/api/documents/" + id, "PUT", "application/json", R"({"status":"kanske"})", 400},
        {"/api/documents/" + id, "PUT", "application/json", R"({"title":42})", 400},
        {"/api/documents/" + id, "PUT", "application/json", R"({"id":"annat-id"})", 400},
        {"/api/documents/" + id, "PUT", "application/json", "{\"title\":\"\xff\xfe\"}", 400},
        {"/api/documents/..%2F..%2Fetc", "PUT", "application/json", R"({"title":"x"})", 400},
        {"/api/documents/Stora-Bokstaver", "PUT", "application/json", R"({"title":"x"})", 400},
        {"/api/documents/finns-inte", "PUT", "application/json", R"({"title":"x"})", 404},
        {"/api/documents", "POST", "application/json", R"({"id":"../utanfor","title":"x"})", 400},
        {"/api/documents", "POST", "application/json", R"({"id":"ny-utan-metadata"})", 400},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.method + " " + c.target + " " + c.body);
        Headers headers = Merge(
            As("admin"), {{"Content-Type", c.content_type}, {"If-Match", "\"" + version + "\""}});
        HttpResponse response = HttpRequest(Port(), c.method, c.target, headers, c.body);
        EXPECT_EQ(response.status, c.status) << response.body;
        auto error = Json(response)->getObject("error");
        ASSERT_TRUE(error);
        EXPECT_FALSE(error->getValue<std::string>("message").empty());
    }
    EXPECT_EQ(VersionOf(id), version);
    EXPECT_EQ(HttpRequest(Port(), "GET", "/api/documents/ny-utan-metadata", As("admin")).status,
              404);
}

TEST_F(WriteApi, ANonPublicForeskriftInForceIsRefused) {
    const std::string id = "lokala-ordningsforeskrifter";
    HttpResponse response = Put(id, "admin", R"({"public":false})", VersionOf(id));
    EXPECT_EQ(response.status, 400) << response.body;
    EXPECT_NE(response.body.find("problems"), std::string::npos);
}

TEST_F(WriteApi, DraftsAreSeenOnlyByThoseWithRights) {
    ASSERT_EQ(
        Post("hr", NewDocument("utkast-hemligt", "hr-chef@exempelby.se", "ks", "utkast")).status,
        201);
    // A new document that is a draft lives on refs/drafts/: ?draft=1 asks for it.
    const std::string path = "/api/documents/utkast-hemligt?draft=1";
    EXPECT_EQ(HttpRequest(Port(), "GET", path).status, 404);
    EXPECT_EQ(HttpRequest(Port(), "GET", path, As("lasare")).status, 404);
    EXPECT_EQ(HttpRequest(Port(), "GET", path, As("kultur")).status, 404);
    EXPECT_EQ(HttpRequest(Port(), "GET", path, As("hr")).status, 200);
    EXPECT_EQ(HttpRequest(Port(), "GET", path, As("registrator")).status, 200);
    EXPECT_EQ(HttpRequest(Port(), "GET", "/api/documents/utkast-hemligt", As("hr")).status, 404);
    EXPECT_EQ(SearchTotal("utkast-hemligt&status=alla"), 0);
    EXPECT_EQ(SearchTotal("utkast-hemligt&status=alla", As("lasare")), 0);
    EXPECT_EQ(SearchTotal("utkast-hemligt&status=alla", As("admin")), 1);
    EXPECT_EQ(HttpRequest(Port(), "GET", "/feed.atom").body.find("utkast-hemligt"),
              std::string::npos);
}

TEST_F(WriteApi, WrongBasicCredentialsAre401WithAChallenge) {
    HttpResponse response =
        HttpRequest(Port(), "PUT", std::string("/api/documents/") + kHrDocument,
                    Merge(BasicAuth("admin", "fel-lösenord"),
                          {{"Content-Type", "application/json"}, {"If-Match", "\"x\""}}),
                    R"({"title":"x"})");
    EXPECT_EQ(response.status, 401);
    EXPECT_NE(response.Header("www-authenticate").find("Basic"), std::string::npos);
    EXPECT_EQ(response.body.find(kPassword), std::string::npos);
}

// --- the browser's way in: sign-in form, session cookie, CSRF --------------------------------

TEST_F(WriteApi, SignedInPagesShowTheUserAndSignOutEndsTheSession) {
    std::optional<SignedIn> session = SignIn(Port(), "hr", kPassword);
    ASSERT_TRUE(session);
    HttpResponse page = HttpRequest(Port(), "GET", "/", {{"Cookie", session->cookie}});
    EXPECT_NE(page.body.find("Inloggad som hr"), std::string::npos);
    // A signed-in reader's pages are their own, never the shared cached copy.
    HttpResponse document = HttpRequest(Port(), "GET", std::string("/documents/") + kHrDocument,
                                        {{"Cookie", session->cookie}});
    EXPECT_NE(document.body.find("Inloggad som hr"), std::string::npos);
    EXPECT_EQ(HttpRequest(Port(), "GET", std::string("/documents/") + kHrDocument)
                  .body.find("Inloggad som"),
              std::string::npos);
    // Signing out without the token is refused; with it, the cookie stops working.
    EXPECT_EQ(PostForm(Port(), "/logga-ut", {}, {{"Cookie", session->cookie}}).status, 403);
    EXPECT_EQ(
        PostForm(Port(), "/logga-ut", {{"csrf", session->csrf}}, {{"Cookie", session->cookie}})
            .status,
        303);
    EXPECT_EQ(
        HttpRequest(Port(), "GET", "/", {{"Cookie", session->cookie}}).body.find("Inloggad som"),
        std::string::npos);
}

TEST_F(WriteApi, AWriteFromASessionNeedsItsCsrfToken) {
    std::optional<SignedIn> session = SignIn(Port(), "hr", kPassword);
    ASSERT_TRUE(session);
    const std::string id = "regler-bisysslor";  // hr-chef's
    const std::string version = VersionOf(id);
    Headers headers = {{"Cookie", session->cookie},
                       {"Content-Type", "application/json"},
                       {"If-Match", "\"" + version + "\""}};
    const std::string change = R"({"title":"Regler om bisysslor, ändrade"})";
    EXPECT_EQ(HttpRequest(Port(), "PUT", "/api/documents/" + id, headers, change).status, 403);
    headers["X-CSRF-Token"] = "fel" + session->csrf;
    EXPECT_EQ(HttpRequest(Port(), "PUT", "/api/documents/" + id, headers, change).status, 403);
    EXPECT_EQ(VersionOf(id), version);
    headers["X-CSRF-Token"] = session->csrf;
    EXPECT_EQ(HttpRequest(Port(), "PUT", "/api/documents/" + id, headers, change).status, 200);
}

TEST_F(WriteApi, SignInRefusesWrongPasswordsAndOnlyGoesToLocalPages) {
    HttpResponse wrong =
        PostForm(Port(), "/logga-in", {{"name", "lasare"}, {"password", "fel"}, {"next", "/"}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_NE(wrong.body.find("Fel användarnamn eller lösenord"), std::string::npos);
    EXPECT_TRUE(wrong.Header("set-cookie").empty());
    for (const char* next : {"https://elak.example/", "//elak.example/", "/\\elak.example"}) {
        HttpResponse response = PostForm(
            Port(), "/logga-in", {{"name", "lasare"}, {"password", kPassword}, {"next", next}});
        EXPECT_EQ(response.status, 303);
        EXPECT_EQ(response.Header("location"), "/") << next;
    }
}

TEST(WriteApiSessions, ASessionEndsAfterItsIdleTime) {
    Registry registry("[auth]\nsession_idle_seconds = 2\n");
    auto server = Start(registry.data);
    std::optional<SignedIn> session = SignIn(server->port(), "admin", kPassword);
    ASSERT_TRUE(session);
    EXPECT_NE(HttpRequest(server->port(), "GET", "/", {{"Cookie", session->cookie}})
                  .body.find("Inloggad som admin"),
              std::string::npos);
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    EXPECT_EQ(HttpRequest(server->port(), "GET", "/", {{"Cookie", session->cookie}})
                  .body.find("Inloggad som"),
              std::string::npos);
    // And writes with it are from nobody.
    HttpResponse write = HttpRequest(
        server->port(), "PUT", std::string("/api/documents/") + kHrDocument,
        {{"Cookie", session->cookie}, {"Content-Type", "application/json"}, {"If-Match", "\"x\""}},
        R"({"title":"x"})");
    EXPECT_EQ(write.status, 401);
}

TEST(WriteApiSessions, RepeatedFailedSignInsMustWait) {
    Registry registry("[auth]\nsign_in_attempts = 3\nsign_in_wait_seconds = 60\n");
    auto server = Start(registry.data);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(
            PostForm(server->port(), "/logga-in", {{"name", "admin"}, {"password", "fel"}}).status,
            401);
    }
    // Even the right password waits now, in the form and through HTTP Basic alike.
    HttpResponse form =
        PostForm(server->port(), "/logga-in", {{"name", "admin"}, {"password", kPassword}});
    EXPECT_EQ(form.status, 429);
    EXPECT_NE(form.body.find("försök igen om"), std::string::npos);
    HttpResponse basic =
        HttpRequest(server->port(), "GET", "/api/search?q=policy", BasicAuth("admin", kPassword));
    EXPECT_EQ(basic.status, 429);
    // Another account is not held up by it.
    EXPECT_TRUE(SignIn(server->port(), "lasare", kPassword));
}

TEST(WriteApiSessions, ATrustedProxyHeaderSignsInOnlyWhenConfigured) {
    const Headers as_admin = {{"X-Remote-User", "admin"}};
    {
        Registry off;
        auto server = Start(off.data);
        EXPECT_EQ(HttpRequest(server->port(), "GET", "/", as_admin).body.find("Inloggad som"),
                  std::string::npos);
    }
    {
        // The header alone is believed from nobody: no address is trusted by default, and
        // the server refuses to start rather than ignore it.
        Registry no_proxies("[auth]\ntrusted_user_header = X-Remote-User\n");
        // (Bounded in time: a server that started would serve until killed.)
        testing::RunResult refused =
            testing::Run("timeout 60 " + std::string(STYRDOK_BINARY) + " serve --port 0 --data " +
                         testing::ShellQuote(no_proxies.data.string()));
        EXPECT_EQ(refused.exit_code, 2);
        EXPECT_NE(refused.err.find("auth.trusted_proxies"), std::string::npos) << refused.err;
    }
    Registry on("[auth]\ntrusted_user_header = X-Remote-User\ntrusted_proxies = 127.0.0.1\n");
    auto server = Start(on.data);
    const std::string page = HttpRequest(server->port(), "GET", "/", as_admin).body;
    EXPECT_NE(page.find("Inloggad som admin"), std::string::npos);
    // A name without an account is a reader (auth.unknown_users = reader, the default).
    const HttpResponse unknown =
        HttpRequest(server->port(), "GET", "/", {{"X-Remote-User", "okand"}});
    EXPECT_EQ(unknown.status, 200);
    EXPECT_NE(unknown.body.find("Inloggad som okand"), std::string::npos);
    // The proxy adds its header to cross-site requests too: writes need the page's token.
    const std::string csrf = testing::CsrfOf(page);
    const std::string version =
        Json(HttpRequest(server->port(), "GET", std::string("/api/documents/") + kHrDocument))
            ->getValue<std::string>("version");
    Headers write = Merge(
        as_admin, {{"Content-Type", "application/json"}, {"If-Match", "\"" + version + "\""}});
    const std::string change = R"({"title":"Arbetsmiljöpolicy via proxy"})";
    EXPECT_EQ(HttpRequest(server->port(), "PUT", std::string("/api/documents/") + kHrDocument,
                          write, change)
                  .status,
              403);
    write["X-CSRF-Token"] = csrf;
    EXPECT_EQ(HttpRequest(server->port(), "PUT", std::string("/api/documents/") + kHrDocument,
                          write, change)
                  .status,
              200);
}

TEST(WriteApiLimits, ABodyOverTheLimitIs413) {
    Registry registry("[server]\nmax_body_bytes = 4096\n");
    auto server = Start(registry.data);
    Headers headers = Merge(BasicAuth("admin", kPassword),
                            {{"Content-Type", "application/json"}, {"If-Match", "\"x\""}});
    HttpResponse response =
        HttpRequest(server->port(), "PUT", std::string("/api/documents/") + kHrDocument, headers,
                    R"({"text":")" + std::string(8000, 'a') + R"("})");
    EXPECT_EQ(response.status, 413);
}

// Issues 15 and 16: a review is recorded only as a review decision, and a clerk cannot make
// themselves a document's owner (and so win the right to change its text in a second PUT).
TEST_F(WriteApi, ReviewsAndOwnershipChangeOnlyThroughTheirOwnRules) {
    const struct {
        const char* name;
        const char* user;
        const char* field;
        const char* value;
        const char* refused_because;
    } cases[] = {
        {"an owner marks their document reviewed", "hr", "last_reviewed_on", "2026-11-20",
         "ändras bara när en aktualitetsprövning registreras"},
        {"an owner moves its review deadline", "hr", "review_due", "2031-12-31",
         "ändras bara när en aktualitetsprövning registreras"},
        {"a clerk names themselves its owner", "registrator", "owner_email", "diarium@exempelby.se",
         "kan inte göra sig själv till dokumentansvarig"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const std::string before = VersionOf(kHrDocument);
        auto object = Json(
            HttpRequest(Port(), "GET", std::string("/api/documents/") + kHrDocument, As("admin")));
        object->set(c.field, c.value);
        object->set("summary", c.name);
        HttpResponse response = Put(kHrDocument, c.user, Stringify(*object), before);
        EXPECT_EQ(response.status, 403) << response.body;
        EXPECT_NE(response.body.find(c.refused_because), std::string::npos) << response.body;
        EXPECT_EQ(VersionOf(kHrDocument), before) << "nothing was written";
    }
    // The same reviews field sent back unchanged is no change at all: a revision goes through.
    auto object =
        Json(HttpRequest(Port(), "GET", std::string("/api/documents/") + kHrDocument, As("hr")));
    object->set("changes", "Språket förenklat.");
    object->set("summary", "Språket förenklat");
    HttpResponse revised = Put(kHrDocument, "hr", Stringify(*object), VersionOf(kHrDocument));
    EXPECT_EQ(revised.status, 200) << revised.body;
}

}  // namespace
}  // namespace styrdok
