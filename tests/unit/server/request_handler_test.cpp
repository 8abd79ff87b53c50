#include "request_handler.hpp"

#include <Poco/InflatingStream.h>
#include <gtest/gtest.h>

#include <sstream>

#include "styrdok/core/error.hpp"

namespace styrdok::server {
namespace {

Request Parse(std::string_view target) {
    Request request;
    ParseTarget(target, request);
    return request;
}

using Strings = std::vector<std::string>;

TEST(ParseTarget, DecodesSegmentsAndQuery) {
    Request r =
        Parse("/documents/arbetsmiljopolicy/history?q=milj%C3%B6+plan&doctype=a&doctype=b&x");
    EXPECT_EQ(r.segments, (Strings{"documents", "arbetsmiljopolicy", "history"}));
    EXPECT_EQ(r.Param("q"), "miljö plan");
    EXPECT_EQ(r.Params("doctype"), (Strings{"a", "b"}));
    EXPECT_TRUE(r.HasParam("x"));
    EXPECT_EQ(r.Param("x"), "");
    EXPECT_FALSE(r.HasParam("y"));
}

TEST(ParseTarget, KeepsAnEncodedSlashInsideItsSegment) {
    Request r = Parse("/assets/..%2F..%2Fetc%2Fpasswd");
    EXPECT_EQ(r.segments, (Strings{"assets", "../../etc/passwd"}));
}

TEST(ParseTarget, DropsEmptySegmentsAndTheFragment) {
    EXPECT_EQ(Parse("//a///b/").segments, (Strings{"a", "b"}));
    EXPECT_TRUE(Parse("/").segments.empty());
    EXPECT_EQ(Parse("/a?q=x#frag").Param("q"), "x");
}

TEST(ParseTarget, RefusesBadEncodingAndTextThatIsNotUtf8) {
    for (const char* target : {"/a%ZZ", "/a?q=%", "/a?q=%ff", "/%C3", "/a?%fe=1", "relative", ""}) {
        SCOPED_TRACE(target);
        try {
            Parse(target);
            ADD_FAILURE() << "accepted";
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), ErrorCode::kBadInput);
        }
    }
}

TEST(Gzip, InflatesToTheOriginal) {
    std::string text;
    for (int i = 0; i < 200; ++i) text += "Arbetsmiljöpolicy för Exempelby kommun. ";
    std::string packed = Gzip(text);
    EXPECT_LT(packed.size(), text.size() / 5);
    std::istringstream in(packed);
    Poco::InflatingInputStream inflater(in, Poco::InflatingStreamBuf::STREAM_GZIP);
    std::ostringstream out;
    out << inflater.rdbuf();
    EXPECT_EQ(out.str(), text);
}

}  // namespace
}  // namespace styrdok::server
