#include "request_head.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace styrdok::server {
namespace {

using State = RequestHead::State;

TEST(ScanRequestHead, FindsTheEndOfAHeadAsPocoReadsIt) {
    struct Case {
        std::string bytes;
        State state;
        std::size_t size;  // kComplete only
    };
    const std::string get = "GET /api/search?q=avfall HTTP/1.1\r\nHost: x\r\n\r\n";
    const Case cases[] = {
        {"", State::kIncomplete, 0},
        {"\r\n\r\n", State::kIncomplete, 0},  // Poco skips blank lines before a request
        {"GET / HTTP/1.1", State::kIncomplete, 0},
        {"GET / HTTP/1.1\r\nHost: x\r\n", State::kIncomplete, 0},
        {"GET / HTTP/1.1\r\nHost: x\r\n\r", State::kIncomplete, 0},
        {get, State::kComplete, get.size()},
        {get + "GET / HTTP/1.1\r\n", State::kComplete, get.size()},
        {"\r\n" + get, State::kComplete, get.size() + 2},
        {"GET / HTTP/1.1\n\n", State::kComplete, 16},
        {"GET / HTTP/1.0\r\n\r\n", State::kComplete, 18},
        {"GET / HTTP/1.1 trailing words\r\n\r\n", State::kComplete, 33},
        {"GET / HTTP/1.1\r\nnot a field\r\n\r\n", State::kComplete, 31},
        // Poco reads the words of a request line across line ends: it would wait on.
        {"GET\r\n\r\n", State::kMalformed, 0},
        {"GET /\r\n\r\n", State::kMalformed, 0},
        {"GET /\r\n\r\nHTTP/1.1\r\n\r\n", State::kMalformed, 0},
        // Poco ends the fields at a line that starts with CR and reads on to the next LF.
        {"GET / HTTP/1.1\r\n\rHost: x\r\n\r\n", State::kMalformed, 0},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.bytes);
        RequestHead head = ScanRequestHead(c.bytes);
        EXPECT_EQ(head.state, c.state);
        if (c.state == State::kComplete) {
            EXPECT_EQ(head.size, c.size);
        }
    }
}

TEST(ScanRequestHead, GivesTheBodyLengthOnlyWhenContentLengthAloneStatesIt) {
    struct Case {
        std::string fields;
        std::optional<std::uint64_t> body_length;
    };
    const Case cases[] = {
        {"Host: x\r\n", 0},
        {"Content-Length: 12\r\n", 12},
        {"content-length:7 \r\n", 7},
        {"CONTENT-LENGTH: \t0\r\n", 0},
        {"Content-Length : 5\r\n", 0},  // not the field Poco knows, so no body
        {"Content-Length: 12\r\nContent-Length: 12\r\n", std::nullopt},
        {"Content-Length: 12x\r\n", std::nullopt},
        {"Content-Length: -1\r\n", std::nullopt},
        {"Content-Length: \r\n", std::nullopt},
        {"Content-Length: 99999999999999999999\r\n", std::nullopt},
        {"Content-Length: 12\r\nTransfer-Encoding: chunked\r\n", std::nullopt},
        {"Transfer-Encoding: chunked\r\n", std::nullopt},
        {"Content-Length: 12\r\nExpect: 100-continue\r\n", std::nullopt},
        {"Content-Length: 12\r\nX-Folded: a\r\n b\r\n", std::nullopt},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.fields);
        std::string head = "POST /logga-in HTTP/1.1\r\n" + c.fields + "\r\n";
        RequestHead scanned = ScanRequestHead(head + "abc");
        ASSERT_EQ(scanned.state, State::kComplete);
        EXPECT_EQ(scanned.size, head.size());
        EXPECT_EQ(scanned.body_length, c.body_length);
    }
}

}  // namespace
}  // namespace styrdok::server
