// The query of GET /api/reviews (issue 6) with the default schema.
#include "handlers/review_query.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "styrdok/core/error.hpp"
#include "styrdok/testing/sandbox.hpp"

namespace styrdok::server {
namespace {

core::Date D(std::string_view text) { return core::Date::Parse(text).value(); }

const core::Schema& DefaultSchema() {
    static const core::Schema schema =
        core::Schema::Load(testing::SourceDir() / "schema/default.xml");
    return schema;
}

const core::Date kToday = D("2026-11-23");

Request Query(std::vector<std::pair<std::string, std::string>> query) {
    Request request;
    request.query = std::move(query);
    return request;
}

TEST(ReviewQuery, ReadsStateOwnerBodyAndDate) {
    ReviewQuery query = ParseReviewQuery(Query({}), DefaultSchema(), kToday);
    EXPECT_EQ(query.filter, core::ReviewFilter::kAll);
    EXPECT_EQ(query.on, kToday);
    EXPECT_EQ(query.body, nullptr);

    query = ParseReviewQuery(
        Query({{"state", "due"}, {"body", "KS"}, {"owner", "x@y.se"}, {"on", "2027-10-16"}}),
        DefaultSchema(), kToday);
    EXPECT_EQ(query.filter, core::ReviewFilter::kDue);
    ASSERT_NE(query.body, nullptr);
    EXPECT_EQ(query.body->id, "ks");
    EXPECT_EQ(query.owner, "x@y.se");
    EXPECT_EQ(query.on, D("2027-10-16"));
    EXPECT_EQ(ParseReviewQuery(Query({{"state", "overdue"}}), DefaultSchema(), kToday).filter,
              core::ReviewFilter::kOverdue);
}

TEST(ReviewQuery, RefusesBadParameters) {
    const std::vector<std::vector<std::pair<std::string, std::string>>> bad = {
        {{"state", "late"}},
        {{"state", "DUE"}},
        {{"body", "riksdagen"}},
        {{"on", "2026-13-01"}},
        {{"on", "23/11/2026"}},
        {{"on", "2026-11-23T00:00"}},
        {{"state", "due"}, {"state", "all"}},
    };
    for (const auto& query : bad) {
        SCOPED_TRACE(query.front().first + "=" + query.front().second);
        try {
            ParseReviewQuery(Query(query), DefaultSchema(), kToday);
            ADD_FAILURE() << "accepted";
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), ErrorCode::kBadInput);
        }
    }
}

}  // namespace
}  // namespace styrdok::server
