// The server as clients meet it: the real styrdok binary on a free loopback port, on a real
// git repository and Xapian index built from the sample corpus, spoken to over HTTP.
#include <Poco/InflatingStream.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <pugixml.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "registry_support.hpp"
#include "styrdok/testing/sandbox.hpp"
#include "styrdok/testing/server_process.hpp"

namespace styrdok {
namespace {

using testing::CreateCorpusRegistry;
using testing::HttpGet;
using testing::HttpRequest;
using testing::HttpResponse;
using testing::Json;
using testing::kToday;
using testing::Sandbox;
using testing::ServerProcess;
using testing::ShellQuote;
using testing::SourceDir;
using testing::Styrdok;

std::string Inflate(const std::string& gzip) {
    std::istringstream in(gzip);
    Poco::InflatingInputStream inflater(in, Poco::InflatingStreamBuf::STREAM_GZIP);
    std::ostringstream out;
    out << inflater.rdbuf();
    return out.str();
}

// One server over the corpus for every read-only test of the suite.
class Server : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        sandbox_ = std::make_unique<Sandbox>();
        CreateCorpusRegistry(Data());
        server_ = std::make_unique<ServerProcess>(STYRDOK_BINARY, Data(),
                                                  std::vector<std::string>{"--today", kToday});
    }
    static void TearDownTestSuite() {
        server_.reset();
        sandbox_.reset();
    }
    static std::filesystem::path Data() { return *sandbox_ / "registry"; }
    static HttpResponse Get(const std::string& target,
                            const std::map<std::string, std::string>& headers = {}) {
        return HttpGet(server_->port(), target, headers);
    }
    // The versions of a document, newest first.
    static std::vector<std::string> Versions(const std::string& id) {
        std::vector<std::string> versions;
        auto history = Json(Get("/api/documents/" + id + "/history"))->getArray("versions");
        for (std::size_t i = 0; i < history->size(); ++i) {
            versions.push_back(
                history->getObject(static_cast<unsigned>(i))->getValue<std::string>("version"));
        }
        return versions;
    }

    static inline std::unique_ptr<Sandbox> sandbox_;
    static inline std::unique_ptr<ServerProcess> server_;
};

TEST_F(Server, SearchApiAnswersWithHitsFacetsSnippetsAndTotal) {
    HttpResponse response = Get("/api/search?q=arbetsmilj%C3%B6");
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.Header("content-type"), "application/json; charset=utf-8");
    auto body = Json(response);
    EXPECT_GT(body->getValue<int>("total"), 1);
    EXPECT_EQ(body->getValue<int>("page"), 1);
    EXPECT_EQ(body->getValue<int>("per_page"), 20);
    auto first = body->getArray("hits")->getObject(0);
    EXPECT_EQ(first->getValue<std::string>("id"), "arbetsmiljopolicy");
    for (const char* key : {"title", "doctype", "dnr", "decided_by", "decided_on", "valid_from",
                            "valid_to", "status", "owner", "snippet", "version"}) {
        EXPECT_TRUE(first->has(key)) << key;
    }
    EXPECT_NE(first->getValue<std::string>("snippet").find("<mark>"), std::string::npos);
    EXPECT_EQ(first->getValue<std::string>("version").size(), 40u);
    auto facets = body->getObject("facets");
    for (const char* facet :
         {"doctype", "decided_by", "status", "category", "goal_area", "owner"}) {
        EXPECT_TRUE(facets->has(facet)) << facet;
    }
    EXPECT_GT(facets->getObject("doctype")->getValue<int>("policy"), 0);
    EXPECT_TRUE(body->has("suggestion"));
}

TEST_F(Server, SearchApiFiltersSortsAndPages) {
    auto all = Json(Get("/api/search?doctype=policy&per_page=100"));
    int total = all->getValue<int>("total");
    ASSERT_GE(total, 3);
    auto page = Json(Get("/api/search?doctype=policy&per_page=2&page=2&sort=title"));
    EXPECT_EQ(page->getValue<int>("total"), total);
    EXPECT_EQ(page->getValue<int>("page"), 2);
    auto hits = page->getArray("hits");
    ASSERT_EQ(hits->size(), 2u);
    for (std::size_t i = 0; i < hits->size(); ++i) {
        EXPECT_EQ(hits->getObject(static_cast<unsigned>(i))->getValue<std::string>("doctype"),
                  "policy");
    }
    EXPECT_LE(hits->getObject(0)->getValue<std::string>("title"),
              hits->getObject(1)->getValue<std::string>("title"));
    // Hits only: no facets, no snippets, for clients that need speed.
    auto bare = Json(Get("/api/search?q=policy&facets=false&snippets=false"));
    EXPECT_EQ(bare->getObject("facets")->size(), 0u);
    EXPECT_EQ(bare->getArray("hits")->getObject(0)->getValue<std::string>("snippet"), "");
}

TEST_F(Server, SearchApiMisspellingGetsASuggestion) {
    auto body = Json(Get("/api/search?q=arbetsmiljpolisy"));
    EXPECT_FALSE(body->getValue<std::string>("suggestion").empty());
}

TEST_F(Server, SearchApiValidOnFindsTheVersionInForceThen) {
    std::vector<std::string> versions = Versions("arbetsmiljopolicy");
    ASSERT_GE(versions.size(), 2u);
    auto now = Json(Get("/api/search?q=arbetsmilj%C3%B6policy&doctype=policy"));
    auto then =
        Json(Get("/api/search?q=arbetsmilj%C3%B6policy&doctype=policy&valid_on=2019-06-01"));
    auto version_of = [](const Poco::JSON::Object::Ptr& body) {
        auto hits = body->getArray("hits");
        for (std::size_t i = 0; i < hits->size(); ++i) {
            auto hit = hits->getObject(static_cast<unsigned>(i));
            if (hit->getValue<std::string>("id") == "arbetsmiljopolicy") {
                return hit->getValue<std::string>("version");
            }
        }
        return std::string();
    };
    EXPECT_EQ(version_of(now), versions.front());
    std::string old = version_of(then);
    EXPECT_FALSE(old.empty());
    EXPECT_NE(old, versions.front());
}

TEST_F(Server, DocumentApiGivesMetadataTextHtmlAndVersionAsETag) {
    HttpResponse response = Get("/api/documents/arbetsmiljopolicy");
    ASSERT_EQ(response.status, 200);
    auto body = Json(response);
    EXPECT_EQ(body->getValue<std::string>("id"), "arbetsmiljopolicy");
    EXPECT_EQ(body->getValue<std::string>("title"), "Arbetsmiljöpolicy");
    EXPECT_EQ(body->getValue<std::string>("doctype"), "policy");
    EXPECT_EQ(body->getValue<std::string>("category"), "politisk");
    EXPECT_EQ(body->getValue<std::string>("status"), "gällande");
    for (const char* key : {"dnr", "decided_by", "decided_on", "paragraph", "owner", "valid_from",
                            "valid_to", "goal_areas", "related", "public", "text", "html"}) {
        EXPECT_TRUE(body->has(key)) << key;
    }
    EXPECT_NE(body->getValue<std::string>("html").find("<h"), std::string::npos);
    std::string version = body->getValue<std::string>("version");
    EXPECT_EQ(response.Header("etag"), "\"" + version + "\"");

    HttpResponse again =
        Get("/api/documents/arbetsmiljopolicy", {{"If-None-Match", "\"" + version + "\""}});
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(Get("/api/documents/arbetsmiljopolicy", {{"If-None-Match", "\"0000\""}}).status, 200);
}

TEST_F(Server, DocumentApiAtADateGivesTheVersionInForceThen) {
    std::vector<std::string> versions = Versions("arbetsmiljopolicy");
    auto then = Json(Get("/api/documents/arbetsmiljopolicy?at=2019-06-01"));
    EXPECT_NE(then->getValue<std::string>("version"), versions.front());
    HttpResponse before = Get("/api/documents/arbetsmiljopolicy?at=1990-01-01");
    EXPECT_EQ(before.status, 404);
    EXPECT_EQ(Json(before)->getObject("error")->getValue<std::string>("code"), "not_found");
    auto named = Json(Get("/api/documents/arbetsmiljopolicy?version=" + versions.back()));
    EXPECT_EQ(named->getValue<std::string>("version"), versions.back());
}

TEST_F(Server, HistoryApiListsVersionsNewestFirst) {
    auto body = Json(Get("/api/documents/arbetsmiljopolicy/history"));
    auto versions = body->getArray("versions");
    ASSERT_GE(versions->size(), 2u);
    for (const char* key : {"version", "date", "author", "message"}) {
        EXPECT_TRUE(versions->getObject(0)->has(key)) << key;
    }
    EXPECT_EQ(versions->getObject(0)->getValue<std::string>("author"), "Test");
    EXPECT_EQ(Get("/api/documents/finns-inte/history").status, 404);
}

TEST_F(Server, DiffApiShowsMetadataAndWordChanges) {
    std::vector<std::string> versions = Versions("arbetsmiljopolicy");
    HttpResponse response = Get("/api/documents/arbetsmiljopolicy/diff?from=" + versions.back() +
                                "&to=" + versions.front());
    ASSERT_EQ(response.status, 200) << response.body;
    auto body = Json(response);
    EXPECT_GT(body->getArray("metadata")->size(), 0u);
    auto text = body->getArray("text");
    bool word_change = false;
    for (std::size_t i = 0; i < text->size(); ++i) {
        auto line = text->getObject(static_cast<unsigned>(i));
        if (line->getValue<std::string>("kind") == "changed") word_change = true;
    }
    EXPECT_TRUE(word_change) << response.body.substr(0, 2000);
    EXPECT_EQ(Get("/api/documents/arbetsmiljopolicy/diff?from=" + versions.back()).status, 400);
    EXPECT_EQ(Get("/api/documents/arbetsmiljopolicy/diff?from=zz&to=" + versions.front()).status,
              400);
}

TEST_F(Server, FeedIsAtomWithTheLatestChanges) {
    HttpResponse response = Get("/feed.atom");
    ASSERT_EQ(response.status, 200);
    EXPECT_EQ(response.Header("content-type"), "application/atom+xml; charset=utf-8");
    pugi::xml_document feed;
    ASSERT_TRUE(feed.load_string(response.body.c_str()));
    pugi::xml_node root = feed.child("feed");
    EXPECT_STREQ(root.attribute("xmlns").value(), "http://www.w3.org/2005/Atom");
    EXPECT_FALSE(root.child("entry").empty());
    EXPECT_FALSE(root.child("updated").text().empty());
    EXPECT_EQ(response.body.find("utkast"), std::string::npos) << "drafts must not be in the feed";
}

TEST_F(Server, PagesRenderInSwedish) {
    std::vector<std::string> versions = Versions("arbetsmiljopolicy");
    struct Case {
        std::string target;
        std::string expected;
    };
    for (const Case& c : std::vector<Case>{
             {"/", "Styrande dokument"},
             {"/?q=arbetsmilj%C3%B6", "<mark>"},
             {"/?q=arbetsmilj%C3%B6&doctype=policy", "Arbetsmiljöpolicy"},
             {"/?valid_on=2019-06-01", "2019-06-01"},
             {"/documents/arbetsmiljopolicy", "Diarienummer"},
             {"/documents/arbetsmiljopolicy?at=2019-06-01", "äldre version"},
             {"/documents/arbetsmiljopolicy/history", versions.front().substr(0, 8)},
             {"/documents/arbetsmiljopolicy/diff?from=" + versions.back() +
                  "&to=" + versions.front(),
              "<ins"},
             {"/foreskrifter", "Kommunala föreskrifter"},
             // A new site cannot claim the exemption for files published before 2018-09-23.
             {"/tillganglighet", "Undantaget gäller inte originalfilerna här"},
         }) {
        SCOPED_TRACE(c.target);
        HttpResponse response = Get(c.target);
        EXPECT_EQ(response.status, 200);
        EXPECT_EQ(response.Header("content-type"), "text/html; charset=utf-8");
        EXPECT_NE(response.body.find("lang=\"sv\""), std::string::npos);
        EXPECT_NE(response.body.find(c.expected), std::string::npos)
            << response.body.substr(0, 3000);
    }
    HttpResponse missing = Get("/finns-inte");
    EXPECT_EQ(missing.status, 404);
    EXPECT_NE(missing.body.find("lang=\"sv\""), std::string::npos);
}

TEST_F(Server, DraftsAndDocumentsNotPublicAreInvisible) {
    for (const char* id : {"vision-2040", "rutin-visselblasning"}) {
        SCOPED_TRACE(id);
        EXPECT_EQ(Get(std::string("/api/documents/") + id).status, 404);
        EXPECT_EQ(Get(std::string("/documents/") + id).status, 404);
        EXPECT_EQ(Get(std::string("/api/documents/") + id + "/history").status, 404);
    }
    auto drafts = Json(Get("/api/search?status=utkast"));
    EXPECT_EQ(drafts->getValue<int>("total"), 0);
    auto all = Json(Get("/api/search?status=alla&per_page=100"));
    EXPECT_EQ(all->getObject("facets")->getObject("status")->has("utkast"), false);
    EXPECT_EQ(Json(Get("/api/search?q=visselbl%C3%A5sning"))->getValue<int>("total"), 0);
}

TEST_F(Server, CompressesForClientsThatAcceptGzip) {
    HttpResponse plain = Get("/api/documents/arbetsmiljopolicy");
    HttpResponse gzip = Get("/api/documents/arbetsmiljopolicy", {{"Accept-Encoding", "gzip"}});
    EXPECT_EQ(gzip.Header("content-encoding"), "gzip");
    EXPECT_EQ(gzip.Header("vary"), "Accept-Encoding");
    EXPECT_LT(gzip.body.size(), plain.body.size());
    EXPECT_EQ(Inflate(gzip.body), plain.body);
    EXPECT_EQ(plain.Header("content-encoding"), "");
}

TEST_F(Server, HeadAnswersHeadersOnlyAndOtherMethodsAre405) {
    HttpResponse head = HttpRequest(server_->port(), "HEAD", "/api/documents/arbetsmiljopolicy");
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());
    EXPECT_FALSE(head.Header("etag").empty());
    HttpResponse del = HttpRequest(server_->port(), "DELETE", "/api/search");
    EXPECT_EQ(del.status, 405);
    EXPECT_EQ(Json(del)->getObject("error")->getValue<std::string>("code"), "method_not_allowed");
}

TEST_F(Server, EveryResponseCarriesARequestIdAndSecurityHeaders) {
    HttpResponse response = Get("/");
    EXPECT_FALSE(response.Header("x-request-id").empty());
    EXPECT_EQ(response.Header("x-content-type-options"), "nosniff");
    EXPECT_NE(response.Header("content-security-policy").find("script-src 'none'"),
              std::string::npos);
}

TEST_F(Server, MalformedRequestsNeverGet5xx) {
    const std::string long_query(3000, 'a');
    std::vector<std::string> targets = {
        "/api/search?q=%ZZ",
        "/api/search?q=%",
        "/api/search?q=%ff%fe",
        "/api/search?q=%C3",
        "/api/search?q=((",
        "/api/search?q=%22",
        "/api/search?q=AND",
        "/api/search?q=NOT+OR+AND",
        "/api/search?q=title%3A",
        "/api/search?q=*",
        "/api/search?q=a*b*c*",
        "/api/search?q=" + long_query,
        "/api/search?q=dnr%3A%2F%2F",
        "/api/search?q=%3Cscript%3E",
        "/api/search?q=%00",
        "/api/search?page=0",
        "/api/search?page=-1",
        "/api/search?page=99999999999999999999",
        "/api/search?page=2.5",
        "/api/search?page=1000",
        "/api/search?per_page=0",
        "/api/search?per_page=101",
        "/api/search?per_page=abc",
        "/api/search?sort=bogus",
        "/api/search?status=bogus",
        "/api/search?valid_on=2023-02-30",
        "/api/search?valid_on=igår",
        "/api/search?doctype=finns-inte",
        "/api/search?decided_by=%2e%2e",
        "/api/search?goal_area=x",
        "/api/search?facets=kanske",
        "/api/search?&&&==&",
        "/api/search?=x",
        "/api/search?q",
        "/api/documents/",
        "/api/documents/%2e%2e",
        "/api/documents/..%2F..%2Fschema.xml",
        "/api/documents/ABC",
        "/api/documents/" + std::string(200, 'a'),
        "/api/documents/arbetsmiljopolicy?at=2023-13-01",
        "/api/documents/arbetsmiljopolicy?at=x",
        "/api/documents/arbetsmiljopolicy?version=HEAD",
        "/api/documents/arbetsmiljopolicy?version=" + std::string(40, '0'),
        "/api/documents/arbetsmiljopolicy?version=" + std::string(40, 'g'),
        "/api/documents/arbetsmiljopolicy/diff?from=HEAD&to=HEAD~1",
        "/api/documents/arbetsmiljopolicy/diff?from=" + std::string(40, '0') +
            "&to=" + std::string(40, '1'),
        "/?q=%ZZ",
        "/?page=0",
        "/?valid_on=2023-02-30",
        "/?sort=x",
        "/?status=x",
        "/?q=" + long_query,
        "/documents/%00",
        "/documents/arbetsmiljopolicy/files/..%2F..%2Fmetadata.xml",
        "/documents/arbetsmiljopolicy/files/finns-inte.pdf",
        "/documents/arbetsmiljopolicy/diff",
        "/documents/arbetsmiljopolicy?at=",
        "/feed.atom?x=%ZZ",
        "//",
        "/./",
        "/api/search#x",
    };
    for (const std::string& target : targets) {
        SCOPED_TRACE(target.substr(0, 120));
        HttpResponse response = Get(target);
        EXPECT_LT(response.status, 500) << response.body.substr(0, 500);
        if (response.status >= 400 && target.starts_with("/api/")) {
            EXPECT_TRUE(Json(response)->getObject("error")->has("message"));
        }
    }
    // Headers a client can get wrong.
    EXPECT_LT(Get("/api/documents/arbetsmiljopolicy", {{"If-None-Match", "\"\",,,W/"}}).status,
              500);
    EXPECT_LT(Get("/", {{"Accept-Encoding", "gzip;q=0,br,,"}}).status, 500);
    // The server survived all of it.
    EXPECT_EQ(Get("/api/search?q=policy").status, 200);
}

// Searches from many connections at once share no Xapian object between threads: copying
// Xapian's static MatchAll from two threads corrupted its reference count (found by ASan).
TEST_F(Server, ManySearchesAtOnceAllSucceed) {
    // Searches without words are the ones that took Xapian's MatchAll; the rest vary the load.
    const std::vector<std::string> targets = {"/api/search", "/api/search?status=alla",
                                              "/api/search?q=((", "/api/search?doctype=policy",
                                              "/api/search?q=arbetsmilj%C3%B6"};
    constexpr int kThreads = 16;
    constexpr int kRequests = 60;
    std::vector<std::thread> threads;
    std::vector<int> failures(kThreads, 0);
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kRequests; ++i) {
                const std::string& target = targets[(t + i) % targets.size()];
                try {
                    if (Get(target).status != 200) ++failures[t];
                } catch (const std::exception&) {
                    ++failures[t];
                }
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
    EXPECT_EQ(Get("/api/search?q=policy").status, 200);
}

TEST_F(Server, PathTricksNeverServeAFileOutsideTheAssets) {
    EXPECT_EQ(Get("/assets/styrdok.css").status, 200);
    for (const char* target :
         {"/assets/..%2F..%2Fschema%2Fdefault.xml", "/assets/../../etc/passwd",
          "/assets/%2e%2e%2fstyrdok.ini", "/assets/..%2f..%2f..%2f..%2fetc%2fpasswd",
          "/assets/....//....//etc/passwd", "/assets/%252e%252e%252fetc%252fpasswd",
          "/assets/.%2e/search.mustache", "/assets/search.mustache", "/../styrdok.ini",
          "/documents/..%2F..%2Fstyrdok.ini",
          "/documents/arbetsmiljopolicy/files/..%2Fmetadata.xml", "/assets/",
          "/assets/%00styrdok.css"}) {
        SCOPED_TRACE(target);
        HttpResponse response = Get(target);
        EXPECT_GE(response.status, 400);
        EXPECT_LT(response.status, 500);
        EXPECT_EQ(response.body.find("root:"), std::string::npos);
        EXPECT_EQ(response.body.find("[server]"), std::string::npos);
        EXPECT_EQ(response.body.find("{{"), std::string::npos);
        EXPECT_EQ(response.body.find("<schema"), std::string::npos);
    }
}

// Tests that need a server of their own.
class OwnServer : public ::testing::Test {
protected:
    Sandbox sandbox_;
    std::filesystem::path data_ = sandbox_ / "registry";
};

TEST_F(OwnServer, StopsCleanlyOnSigterm) {
    CreateCorpusRegistry(data_);
    ServerProcess server(STYRDOK_BINARY, data_);
    EXPECT_EQ(HttpGet(server.port(), "/api/search?q=policy").status, 200);
    EXPECT_EQ(server.Stop(), 0);
    EXPECT_NE(server.Log().find("stopped"), std::string::npos) << server.Log();
}

TEST_F(OwnServer, BodiesOverTheConfiguredLimitAre413) {
    CreateCorpusRegistry(data_);
    std::ofstream(data_ / "styrdok.ini", std::ios::app) << "\n[server]\nmax_body_bytes = 2048\n";
    ServerProcess server(STYRDOK_BINARY, data_);
    HttpResponse response =
        HttpRequest(server.port(), "POST", "/api/search", {}, std::string(4096, 'x'));
    EXPECT_EQ(response.status, 413);
    EXPECT_EQ(Json(response)->getObject("error")->getValue<std::string>("code"), "too_large");
    EXPECT_EQ(HttpGet(server.port(), "/api/search").status, 200);
}

TEST_F(OwnServer, BadConfigurationIsRefusedWithTheKeyNamed) {
    CreateCorpusRegistry(data_);
    std::ofstream(data_ / "styrdok.ini", std::ios::app) << "\n[server]\nthreads = många\n";
    testing::RunResult result = testing::Run(
        std::string(STYRDOK_BINARY) + " serve --port 0 --data " + ShellQuote(data_.string()));
    EXPECT_NE(result.exit_code, 0);
    EXPECT_NE(result.err.find("server.threads"), std::string::npos) << result.err;
}

TEST_F(OwnServer, SeesCommitsMadeWhileItRuns) {
    CreateCorpusRegistry(data_);
    std::ofstream(data_ / "styrdok.ini", std::ios::app) << "\n[server]\npoll_milliseconds = 200\n";
    ServerProcess server(STYRDOK_BINARY, data_);
    EXPECT_EQ(Json(HttpGet(server.port(), "/api/search?q=pulkabacke"))->getValue<int>("total"), 0);
    EXPECT_EQ(HttpGet(server.port(), "/feed.atom").body.find("pulkabackar"), std::string::npos);

    Sandbox source;
    source.Write("pulkabackar/metadata.xml", R"(<?xml version="1.0" encoding="utf-8"?>
<document>
  <id>pulkabackar</id>
  <title>Riktlinjer för pulkabackar</title>
  <doctype>riktlinje</doctype>
  <dnr>KS 2026/0999</dnr>
  <decided_by>ks</decided_by>
  <decided_on>2026-11-02</decided_on>
  <paragraph>§ 201</paragraph>
  <owner>Gatuchef</owner>
  <status>gällande</status>
</document>
)");
    source.Write("pulkabackar/text.md",
                 "# Riktlinjer för pulkabackar\n\nVarje pulkabacke ses över innan snön kommer.\n");
    Styrdok(data_, "import --author Test --email test@exempelby.se --message Snö " +
                       ShellQuote(source.path().string()));
    int total = 0;
    for (int attempt = 0; attempt < 100 && total == 0; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        total = Json(HttpGet(server.port(), "/api/search?q=pulkabacke"))->getValue<int>("total");
    }
    EXPECT_EQ(total, 1);
    EXPECT_EQ(HttpGet(server.port(), "/documents/pulkabackar").status, 200);
    // The feed, kept between requests, follows the new commit too.
    EXPECT_NE(HttpGet(server.port(), "/feed.atom").body.find("Riktlinjer för pulkabackar"),
              std::string::npos);

    // The page and its JSON, kept between requests, follow a new version.
    const std::string first_version = Json(HttpGet(server.port(), "/api/documents/pulkabackar"))
                                          ->getValue<std::string>("version");
    EXPECT_EQ(HttpGet(server.port(), "/documents/pulkabackar").body.find("halka"),
              std::string::npos);
    source.Write("pulkabackar/text.md",
                 "# Riktlinjer för pulkabackar\n\nVarje pulkabacke ses över innan snön kommer. "
                 "Vid halka läggs sand ut.\n");
    Styrdok(data_, "import --author Test --email test@exempelby.se --message Halka " +
                       ShellQuote(source.path().string()));
    total = 0;
    for (int attempt = 0; attempt < 100 && total == 0; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        total = Json(HttpGet(server.port(), "/api/search?q=halka"))->getValue<int>("total");
    }
    EXPECT_EQ(total, 1);
    Poco::JSON::Object::Ptr revised = Json(HttpGet(server.port(), "/api/documents/pulkabackar"));
    EXPECT_NE(revised->getValue<std::string>("version"), first_version);
    EXPECT_NE(revised->getValue<std::string>("text").find("halka"), std::string::npos);
    EXPECT_NE(HttpGet(server.port(), "/documents/pulkabackar").body.find("halka"),
              std::string::npos);
}

}  // namespace
}  // namespace styrdok
