#include "router.hpp"

#include <gtest/gtest.h>

namespace styrdok::server {
namespace {

Response Named(std::string name) {
    Response response;
    response.body = std::move(name);
    return response;
}

class RouterTest : public ::testing::Test {
protected:
    RouterTest() {
        router_.Add("GET", "/", [](const Request&, const PathParams&) { return Named("start"); });
        router_.Add("GET", "/documents/{id}", [](const Request&, const PathParams& p) {
            return Named("document " + p.at("id"));
        });
        router_.Add("GET", "/documents/{id}/files/{name}", [](const Request&, const PathParams& p) {
            return Named("file " + p.at("id") + " " + p.at("name"));
        });
        router_.Add("POST", "/api/documents",
                    [](const Request&, const PathParams&) { return Named("create"); });
        router_.AddWriteForm("/documents/{id}/redigera",
                             [](const Request&, const PathParams&) { return Named("form"); });
    }

    std::string Route(std::string_view method, std::vector<std::string> segments) {
        Router::Match match = router_.Find(method, segments);
        if (!match.handler) return match.path_known ? "405" : "404";
        return (*match.handler)(Request{}, match.params).body;
    }

    Router router_;
};

TEST_F(RouterTest, WritesAreEveryMethodButReadsAndTheWriteForms) {
    struct Row {
        std::string method;
        std::vector<std::string> segments;
        bool writes;
    };
    const std::vector<Row> rows = {
        {"GET", {"documents", "a"}, false},
        {"HEAD", {"documents", "a"}, false},
        {"OPTIONS", {"documents", "a"}, false},
        {"GET", {"documents", "a", "redigera"}, true},
        {"HEAD", {"documents", "a", "redigera"}, true},
        {"POST", {"api", "documents"}, true},
        {"PATCH", {"api", "documents"}, true},
        {"DELETE", {"no", "such", "path"}, true},
        {"GET", {"no", "such", "path"}, false},
    };
    for (const Row& row : rows) {
        SCOPED_TRACE(row.method + " /" + (row.segments.empty() ? "" : row.segments[0]) + "/…" +
                     std::to_string(row.segments.size()));
        EXPECT_EQ(router_.Find(row.method, row.segments).writes, row.writes);
    }
    EXPECT_EQ(Route("GET", {"documents", "a", "redigera"}), "form");
}

TEST_F(RouterTest, MatchesLiteralAndParameterSegments) {
    EXPECT_EQ(Route("GET", {}), "start");
    EXPECT_EQ(Route("GET", {"documents", "policy-a"}), "document policy-a");
    EXPECT_EQ(Route("GET", {"documents", "a", "files", "b.pdf"}), "file a b.pdf");
    EXPECT_EQ(Route("POST", {"api", "documents"}), "create");
}

TEST_F(RouterTest, HeadUsesTheGetRoute) {
    EXPECT_EQ(Route("HEAD", {"documents", "x"}), "document x");
}

TEST_F(RouterTest, TellsAnUnknownPathFromAWrongMethod) {
    EXPECT_EQ(Route("GET", {"documents"}), "404");
    EXPECT_EQ(Route("GET", {"documents", "a", "files"}), "404");
    EXPECT_EQ(Route("GET", {"finns", "inte"}), "404");
    EXPECT_EQ(Route("DELETE", {"documents", "x"}), "405");
    EXPECT_EQ(Route("GET", {"api", "documents"}), "405");
}

TEST_F(RouterTest, NamesTheMatchedPatternNeverThePath) {
    router_.Add("PUT", "/documents/{id}",
                [](const Request&, const PathParams&) { return Named("revise"); });
    // One pattern for both methods: the metrics count the method apart.
    EXPECT_EQ(router_.PatternCount(), 5u);
    const auto pattern_of = [this](std::string_view method, std::vector<std::string> segments) {
        const std::size_t number = router_.Find(method, segments).pattern;
        return number == Router::kNoPattern ? std::string("none") : router_.Pattern(number);
    };
    EXPECT_EQ(pattern_of("GET", {"documents", "policy-a"}), "/documents/{id}");
    EXPECT_EQ(pattern_of("PUT", {"documents", "policy-a"}), "/documents/{id}");
    EXPECT_EQ(pattern_of("HEAD", {"documents", "a", "files", "b.pdf"}),
              "/documents/{id}/files/{name}");
    EXPECT_EQ(pattern_of("GET", {}), "/");
    EXPECT_EQ(pattern_of("GET", {"documents", "a", "redigera"}), "/documents/{id}/redigera");
    // A wrong method still names the path's pattern (405); an unknown path none (404).
    EXPECT_EQ(pattern_of("DELETE", {"documents", "x"}), "/documents/{id}");
    EXPECT_EQ(pattern_of("GET", {"finns", "inte"}), "none");
}

}  // namespace
}  // namespace styrdok::server
