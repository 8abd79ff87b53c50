#include "handlers/search_params.hpp"

#include <gtest/gtest.h>

#include "request_handler.hpp"
#include "styrdok/core/error.hpp"

namespace styrdok::server {
namespace {

indexer::SearchRequest ParseSearch(std::string_view target) {
    Request request;
    ParseTarget(target, request);
    return ParseSearchRequest(request);
}

TEST(ParseSearchRequest, ReadsEveryParameter) {
    indexer::SearchRequest s = ParseSearch(
        "/api/search?q=milj%C3%B6&doctype=policy&doctype=plan&category=politisk&decided_by=kf"
        "&owner=HR-chef&goal_area=miljo&dnr=KS+2017%2F64&status=alla&valid_on=2019-06-01"
        "&sort=-decided_on&page=3&per_page=50&facets=false&snippets=0");
    EXPECT_EQ(s.query, "miljö");
    EXPECT_EQ(s.doctype, (std::vector<std::string>{"policy", "plan"}));
    EXPECT_EQ(s.category, "politisk");
    EXPECT_EQ(s.decided_by, (std::vector<std::string>{"kf"}));
    EXPECT_EQ(s.owner, "HR-chef");
    EXPECT_EQ(s.goal_area, (std::vector<std::string>{"miljo"}));
    EXPECT_EQ(s.dnr, "KS 2017/64");
    EXPECT_EQ(s.status, "alla");
    EXPECT_EQ(s.valid_on, core::Date::Parse("2019-06-01"));
    EXPECT_EQ(s.sort, indexer::SortOrder::kDecidedNewest);
    EXPECT_EQ(s.page, 3u);
    EXPECT_EQ(s.per_page, 50u);
    EXPECT_FALSE(s.facets);
    EXPECT_FALSE(s.snippets);
    EXPECT_FALSE(s.include_restricted);
}

TEST(ParseSearchRequest, DefaultsToTheFirstPageOfTwentyWithFacets) {
    indexer::SearchRequest s = ParseSearch("/api/search");
    EXPECT_EQ(s.page, 1u);
    EXPECT_EQ(s.per_page, 20u);
    EXPECT_TRUE(s.facets);
    EXPECT_TRUE(s.snippets);
    EXPECT_EQ(s.sort, indexer::SortOrder::kRelevance);
}

TEST(ParseSearchRequest, RefusesValuesThatAreNotValid) {
    for (const char* target :
         {"/?page=0", "/?page=-1", "/?page=1001", "/?page=2.5", "/?page=1e3", "/?page=%201",
          "/?per_page=0", "/?per_page=101", "/?per_page=x", "/?sort=bogus", "/?valid_on=2023-02-30",
          "/?valid_on=20230101", "/?facets=kanske", "/?snippets=yes",
          "/?page=99999999999999999999999"}) {
        SCOPED_TRACE(target);
        try {
            ParseSearch(target);
            ADD_FAILURE() << "accepted";
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), ErrorCode::kBadInput);
        }
    }
    std::string long_query = "/?q=" + std::string(kMaxQueryBytes + 1, 'a');
    EXPECT_THROW(ParseSearch(long_query), Error);
    EXPECT_NO_THROW(ParseSearch("/?q=" + std::string(kMaxQueryBytes, 'a')));
}

}  // namespace
}  // namespace styrdok::server
