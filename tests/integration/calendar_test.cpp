// /reviews.ics as a calendar program reads it: fetched from the real server on the sample
// corpus and parsed by an independent iCalendar parser (Debian's python3-icalendar).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "registry_support.hpp"
#include "styrdok/testing/sandbox.hpp"
#include "styrdok/testing/server_process.hpp"

namespace styrdok {
namespace {

using testing::HttpGet;
using testing::HttpResponse;
using testing::Json;
using testing::Sandbox;
using testing::ServerProcess;

// Reads iCalendar on standard input with python3-icalendar and prints one line per event:
// UID, DTSTART (a date) and SUMMARY, tab-separated. Debian's python, which has the module,
// whatever python3 comes first on PATH.
constexpr const char* kParser = R"(/usr/bin/python3 -c '
import sys, icalendar
calendar = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
assert calendar["VERSION"] == "2.0", calendar["VERSION"]
for event in calendar.walk("VEVENT"):
    print("%s\t%s\t%s" % (event["UID"], event["DTSTART"].dt.isoformat(), event["SUMMARY"]))
')";

struct Event {
    std::string day;
    std::string summary;
};

// Events by UID, as the independent parser read them.
std::map<std::string, Event> Parse(const std::string& ics) {
    testing::RunResult parsed = testing::Run(kParser, ics);
    EXPECT_EQ(parsed.exit_code, 0) << parsed.err;
    std::map<std::string, Event> events;
    std::istringstream lines(parsed.out);
    for (std::string line; std::getline(lines, line);) {
        const std::size_t tab = line.find('\t');
        const std::size_t second = line.find('\t', tab + 1);
        events[line.substr(0, tab)] = {line.substr(tab + 1, second - tab - 1),
                                       line.substr(second + 1)};
    }
    return events;
}

class Calendar : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        sandbox_ = std::make_unique<Sandbox>();
        testing::CreateCorpusRegistry(*sandbox_ / "registry");
        server_ =
            std::make_unique<ServerProcess>(STYRDOK_BINARY, *sandbox_ / "registry",
                                            std::vector<std::string>{"--today", testing::kToday});
    }
    static void TearDownTestSuite() {
        server_.reset();
        sandbox_.reset();
    }
    static HttpResponse Get(const std::string& target) { return HttpGet(server_->port(), target); }

    static inline std::unique_ptr<Sandbox> sandbox_;
    static inline std::unique_ptr<ServerProcess> server_;
};

TEST_F(Calendar, HasOneEventPerReviewDeadlineThatAParserReads) {
    HttpResponse response = Get("/reviews.ics");
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.Header("content-type"), "text/calendar; charset=utf-8");
    EXPECT_NE(response.body.find("\r\n"), std::string::npos) << "RFC 5545 lines end in CRLF";
    const std::map<std::string, Event> events = Parse(response.body);

    // Every document with a review deadline, as the API lists them, has its event on the
    // last day the review is on time.
    auto documents = Json(Get("/api/reviews?state=all"))->getArray("documents");
    std::size_t with_deadline = 0;
    for (std::size_t i = 0; i < documents->size(); ++i) {
        auto document = documents->getObject(static_cast<unsigned>(i));
        if (document->isNull("overdue_on")) continue;
        ++with_deadline;
        const std::string id = document->getValue<std::string>("id");
        const std::string overdue_on = document->getValue<std::string>("overdue_on");
        auto found = std::find_if(events.begin(), events.end(), [&](const auto& event) {
            return event.first.rfind(id + "-", 0) == 0;
        });
        ASSERT_NE(found, events.end()) << id;
        EXPECT_LT(found->second.day, overdue_on) << id;  // the day before it is late
        EXPECT_NE(found->second.summary.find(document->getValue<std::string>("title")),
                  std::string::npos)
            << found->second.summary;
    }
    EXPECT_GT(with_deadline, 10u);
    EXPECT_EQ(events.size(), with_deadline);
    // A draft has no deadline for anyone, and is not shown to readers without rights.
    for (const auto& [uid, event] : events) EXPECT_NE(uid.rfind("vision-2040-", 0), 0u) << uid;
}

TEST_F(Calendar, FiltersByOwnerAndStateLikeTheApi) {
    const std::map<std::string, Event> all = Parse(Get("/reviews.ics").body);
    const std::map<std::string, Event> hr =
        Parse(Get("/reviews.ics?owner=hr-chef%40exempelby.se").body);
    EXPECT_FALSE(hr.empty());
    EXPECT_LT(hr.size(), all.size());
    const int api_total =
        Json(Get("/api/reviews?state=all&owner=hr-chef%40exempelby.se"))->getValue<int>("total");
    EXPECT_LE(hr.size(), static_cast<std::size_t>(api_total));
    const std::map<std::string, Event> overdue = Parse(Get("/reviews.ics?state=overdue").body);
    EXPECT_LT(overdue.size(), all.size());
    for (const char* bad : {"/reviews.ics?state=kanske", "/reviews.ics?on=2026-13-01",
                            "/reviews.ics?body=okant-organ"}) {
        EXPECT_EQ(Get(bad).status, 400) << bad;
    }
}

}  // namespace
}  // namespace styrdok
