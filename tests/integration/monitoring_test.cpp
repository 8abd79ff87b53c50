// Monitoring (issue 18) as a load balancer, Prometheus and a log collector meet it: /healthz,
// /metrics and the JSON log lines of the real server.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "registry_support.hpp"
#include "styrdok/testing/sandbox.hpp"
#include "styrdok/testing/server_process.hpp"

namespace styrdok {
namespace {

using testing::As;
using testing::HttpGet;
using testing::HttpResponse;
using testing::Json;
using testing::kStaffPassword;
using testing::kToday;
using testing::Sandbox;
using testing::ServerProcess;
using testing::ShellQuote;
using testing::Styrdok;

// A registry with the corpus and the staff accounts, served with JSON log lines and a poll
// slow enough that a commit made beside the server stays unindexed for a while.
class Monitoring : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        sandbox_ = std::make_unique<Sandbox>();
        testing::CreateCorpusRegistry(Data());
        testing::AddStaffAccounts(Data());
        std::ofstream(Data() / "styrdok.ini", std::ios::app)
            << "\n[server]\nlog_format = json\npoll_milliseconds = 3000\n";
        server_ = std::make_unique<ServerProcess>(STYRDOK_BINARY, Data(),
                                                  std::vector<std::string>{"--today", kToday});
    }
    static void TearDownTestSuite() {
        server_.reset();
        sandbox_.reset();
    }
    static std::filesystem::path Data() { return *sandbox_ / "registry"; }
    static std::uint16_t Port() { return server_->port(); }

    static inline std::unique_ptr<Sandbox> sandbox_;
    static inline std::unique_ptr<ServerProcess> server_;
};

// A new document committed by `styrdok import` beside the running server, which only its
// poll brings into the index the server searches.
void ImportBeside(const std::filesystem::path& data, const std::string& id) {
    Sandbox source;
    source.Write(id + "/metadata.xml", R"(<?xml version="1.0" encoding="utf-8"?>
<document>
  <id>)" + id + R"(</id>
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
    source.Write(id + "/text.md", "# Riktlinjer för pulkabackar\n\nSnö.\n");
    Styrdok(data, "import --no-index --author Test --email test@exempelby.se --message Snö " +
                      ShellQuote(source.path().string()));
}

// One sample line of the text format: name, labels and value.
struct Sample {
    std::string name;
    std::map<std::string, std::string> labels;
    double value = 0;
};

// Every line of a Prometheus text exposition (0.0.4), parsed; a gtest failure for a line that
// is neither a comment nor `name{label="value",…} value`.
std::vector<Sample> ParseExposition(const std::string& text) {
    static const std::regex kLine(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$)");
    static const std::regex kLabel(R"re(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$))re");
    std::vector<Sample> samples;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) continue;
        std::smatch match;
        if (!std::regex_match(line, match, kLine)) {
            ADD_FAILURE() << "not a sample: " << line;
            continue;
        }
        Sample sample;
        sample.name = match[1];
        const std::string labels = match[3];
        std::size_t consumed = 0;
        for (std::sregex_iterator it(labels.begin(), labels.end(), kLabel), end; it != end; ++it) {
            EXPECT_EQ(static_cast<std::size_t>(it->position()), consumed) << line;
            consumed = static_cast<std::size_t>(it->position() + it->length());
            sample.labels[(*it)[1]] = (*it)[2];
        }
        EXPECT_EQ(consumed, labels.size()) << line;
        const std::string value = match[4];
        sample.value = value == "+Inf" ? INFINITY : std::stod(value);
        samples.push_back(std::move(sample));
    }
    return samples;
}

// The value of the sample `name` with exactly `labels`; 0 when there is none.
double ValueOf(const std::vector<Sample>& samples, const std::string& name,
               const std::map<std::string, std::string>& labels = {}) {
    for (const Sample& sample : samples) {
        if (sample.name == name && sample.labels == labels) return sample.value;
    }
    return 0;
}

std::vector<Sample> Scrape(std::uint16_t port) {
    HttpResponse response = HttpGet(port, "/metrics");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    return ParseExposition(response.body);
}

TEST_F(Monitoring, HealthIsBehindFromACommitBesideTheServerUntilThePollIndexesIt) {
    HttpResponse healthy = HttpGet(Port(), "/healthz");
    ASSERT_EQ(healthy.status, 200) << healthy.body;
    EXPECT_EQ(healthy.Header("cache-control"), "no-store");
    Poco::JSON::Object::Ptr body = Json(healthy);
    EXPECT_EQ(body->getValue<std::string>("status"), "ok");
    const std::string head = body->getValue<std::string>("head");
    EXPECT_EQ(body->getValue<std::string>("index"), head);

    // The poll may fall between the commit and the first look: then try with another commit.
    bool saw_behind = false;
    for (int round = 0; round < 3 && !saw_behind; ++round) {
        ImportBeside(Data(), "pulkabackar-" + std::to_string(round));
        // Scraped before /healthz is asked: when that is still behind, so was the scrape.
        const std::vector<Sample> scraped = Scrape(Port());
        HttpResponse behind = HttpGet(Port(), "/healthz");
        if (behind.status == 200) continue;
        saw_behind = true;
        EXPECT_EQ(behind.status, 503) << behind.body;
        EXPECT_EQ(Json(behind)->getValue<std::string>("status"), "index_behind");
        EXPECT_NE(Json(behind)->getValue<std::string>("head"), head);
        EXPECT_EQ(ValueOf(scraped, "styrdok_index_behind"), 1);
    }
    EXPECT_TRUE(saw_behind);
    int status = 0;
    for (int attempt = 0; attempt < 100 && status != 200; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        status = HttpGet(Port(), "/healthz").status;
    }
    EXPECT_EQ(status, 200);
    const std::vector<Sample> samples = Scrape(Port());
    EXPECT_EQ(ValueOf(samples, "styrdok_index_behind"), 0);
    const double last_sync = ValueOf(samples, "styrdok_index_last_sync_timestamp_seconds");
    const double now =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    EXPECT_GT(last_sync, now - 60);
    EXPECT_LE(last_sync, now + 1);
}

TEST_F(Monitoring, MetricsCountRequestsByRoutePatternNeverByPath) {
    const std::vector<Sample> before = Scrape(Port());
    const std::map<std::string, std::string> document_ok{
        {"route", "/api/documents/{id}"}, {"method", "GET"}, {"status", "200"}};
    const std::map<std::string, std::string> unmatched{
        {"route", "unmatched"}, {"method", "GET"}, {"status", "404"}};
    const std::string id = Json(HttpGet(Port(), "/api/search?q=policy"))
                               ->getArray("hits")
                               ->getObject(0)
                               ->getValue<std::string>("id");
    EXPECT_EQ(HttpGet(Port(), "/api/documents/" + id).status, 200);
    EXPECT_EQ(HttpGet(Port(), "/api/documents/" + id).status, 200);
    EXPECT_EQ(HttpGet(Port(), "/finns/inte/" + id).status, 404);
    EXPECT_EQ(testing::HttpRequest(Port(), "BREW", "/").status, 405);

    const std::map<std::string, std::string> brewed{
        {"route", "/"}, {"method", "other"}, {"status", "405"}};
    // A request is counted once its answer has gone out (its duration covers the sending), so
    // a scrape right after the answer can come first: ask again for a while.
    std::vector<Sample> after;
    for (int tries = 0; tries < 50; ++tries) {
        after = Scrape(Port());
        if (ValueOf(after, "styrdok_http_requests_total", document_ok) -
                    ValueOf(before, "styrdok_http_requests_total", document_ok) >=
                2 &&
            ValueOf(after, "styrdok_http_requests_total", unmatched) -
                    ValueOf(before, "styrdok_http_requests_total", unmatched) >=
                1 &&
            ValueOf(after, "styrdok_http_requests_total", brewed) >= 1) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(ValueOf(after, "styrdok_http_requests_total", document_ok) -
                  ValueOf(before, "styrdok_http_requests_total", document_ok),
              2);
    EXPECT_EQ(ValueOf(after, "styrdok_http_requests_total", unmatched) -
                  ValueOf(before, "styrdok_http_requests_total", unmatched),
              1);
    EXPECT_EQ(ValueOf(after, "styrdok_http_requests_total", brewed), 1);
    for (const Sample& sample : after) {
        for (const auto& [name, value] : sample.labels) {
            EXPECT_EQ(value.find(id), std::string::npos) << sample.name << " " << name;
            EXPECT_EQ(value.find("finns"), std::string::npos) << sample.name << " " << name;
        }
    }
    // The histogram is cumulative and ends with every request of the route.
    const std::map<std::string, std::string> route{{"route", "/api/documents/{id}"}};
    double previous = 0;
    for (const char* le : {"0.001", "0.01", "0.1", "1", "10", "+Inf"}) {
        std::map<std::string, std::string> labels = route;
        labels["le"] = le;
        const double count = ValueOf(after, "styrdok_http_request_duration_seconds_bucket", labels);
        EXPECT_GE(count, previous) << le;
        previous = count;
    }
    EXPECT_EQ(previous, ValueOf(after, "styrdok_http_request_duration_seconds_count", route));
    EXPECT_GE(previous, 2);
    EXPECT_GT(ValueOf(after, "process_start_time_seconds"), 0);
    EXPECT_EQ(ValueOf(after, "styrdok_registry_readable"), 1);
}

TEST_F(Monitoring, DocumentsByStateAddUpToEveryDocument) {
    const std::vector<Sample> samples = Scrape(Port());
    double sum = 0;
    std::vector<std::string> states;
    for (const Sample& sample : samples) {
        if (sample.name != "styrdok_documents") continue;
        sum += sample.value;
        states.push_back(sample.labels.at("state"));
    }
    EXPECT_EQ(states, (std::vector<std::string>{"gällande", "ej i kraft än", "upphört", "upphävd",
                                                "utkast"}));
    // Every document on main, public or not (drafts live beside it, on refs/drafts/).
    const testing::RunResult listing =
        testing::Run("git -C " + ShellQuote((Data() / "repository").string()) +
                     " ls-tree -r --name-only HEAD documents/");
    ASSERT_EQ(listing.exit_code, 0) << listing.err;
    double total = 0;
    for (std::size_t at = listing.out.find("/metadata.xml\n"); at != std::string::npos;
         at = listing.out.find("/metadata.xml\n", at + 1)) {
        ++total;
    }
    EXPECT_GT(total, 0);
    EXPECT_EQ(sum, total);
    EXPECT_GT(ValueOf(samples, "styrdok_documents", {{"state", "gällande"}}), 0);
}

TEST_F(Monitoring, MetricsAreNotFoundForARequestAProxyForwarded) {
    EXPECT_EQ(HttpGet(Port(), "/metrics").status, 200);
    EXPECT_EQ(HttpGet(Port(), "/metrics", {{"X-Forwarded-For", "203.0.113.7"}}).status, 404);
    EXPECT_EQ(HttpGet(Port(), "/metrics", {{"Forwarded", "for=203.0.113.7"}}).status, 404);
    // /healthz answers everyone.
    EXPECT_EQ(HttpGet(Port(), "/healthz", {{"X-Forwarded-For", "203.0.113.7"}}).status, 200);
}

bool IsUtf8(const std::string& text) {
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const std::size_t length = c < 0x80         ? 1
                                   : (c >> 5) == 6  ? 2
                                   : (c >> 4) == 14 ? 3
                                   : (c >> 3) == 30 ? 4
                                                    : 0;
        if (length == 0 || i + length > text.size()) return false;
        for (std::size_t k = 1; k < length; ++k) {
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
        }
        i += length;
    }
    return true;
}

TEST_F(Monitoring, JsonLogLinesStayOneObjectEachWhateverAClientSends) {
    const std::string hostile_agent = "agent \"quoted\" \\ \x01\x1f \xff\xfe end";
    EXPECT_EQ(HttpGet(Port(), "/?q=%22\"x", {{"User-Agent", hostile_agent}}).status, 200);
    // Bytes that are not UTF-8 in the target itself: refused, and logged as valid JSON.
    EXPECT_EQ(HttpGet(Port(), "/s\xf6k\"?q=\xff").status, 400);
    EXPECT_EQ(HttpGet(Port(), "/api/search?q=policy", As("registrator")).status, 200);
    testing::PostForm(Port(), "/logga-in",
                      {{"name", "registrator"}, {"password", "fel-lösen-1"}, {"next", "/"}});
    testing::PostForm(Port(), "/logga-in",
                      {{"name", "ingen\"sådan\nperson"}, {"password", "fel-lösen-2"}});

    std::istringstream lines(server_->Log());
    int lines_seen = 0;
    bool saw_agent = false, saw_account = false, saw_wrong = false, saw_unknown = false;
    bool saw_start = false;
    static const std::regex kTime(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
    for (std::string line; std::getline(lines, line);) {
        ++lines_seen;
        ASSERT_TRUE(IsUtf8(line)) << line;
        Poco::JSON::Object::Ptr entry;
        try {
            entry = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
        } catch (const Poco::Exception& error) {
            FAIL() << "not one JSON object: " << line << ": " << error.displayText();
        }
        EXPECT_TRUE(std::regex_match(entry->getValue<std::string>("time"), kTime)) << line;
        EXPECT_TRUE(entry->has("level")) << line;
        const std::string event = entry->optValue<std::string>("event", "");
        if (event.empty()) {
            saw_start |= entry->getValue<std::string>("message").starts_with("serving http://");
        } else if (event == "request") {
            for (const char* field : {"request_id", "method", "target", "route", "status", "bytes",
                                      "duration_ms", "client", "account", "user_agent"}) {
                EXPECT_TRUE(entry->has(field)) << field << " in " << line;
            }
            EXPECT_EQ(entry->getValue<std::string>("client"), "127.0.0.1");
            const std::string agent = entry->getValue<std::string>("user_agent");
            if (agent.starts_with("agent \"quoted\" \\ \x01\x1f ")) {
                saw_agent = true;
                EXPECT_TRUE(agent.ends_with(" end")) << agent;
                EXPECT_EQ(entry->getValue<std::string>("route"), "/");
                EXPECT_EQ(entry->getValue<std::string>("method"), "GET");
                EXPECT_EQ(entry->getValue<int>("status"), 200);
                EXPECT_EQ(entry->getValue<std::string>("account"), "");
            }
            if (entry->getValue<std::string>("account") == "registrator") {
                saw_account = true;
                EXPECT_EQ(entry->getValue<std::string>("route"), "/api/search");
            }
        } else if (event == "sign_in") {
            EXPECT_EQ(entry->getValue<std::string>("client"), "127.0.0.1");
            const std::string outcome = entry->getValue<std::string>("outcome");
            const std::string account = entry->getValue<std::string>("account");
            if (outcome == "wrong_password" && account == "registrator") {
                saw_wrong = true;
                EXPECT_EQ(entry->getValue<std::string>("method"), "form");
                EXPECT_EQ(entry->getValue<std::string>("level"), "warning");
            }
            if (outcome == "unknown_account" && account == "ingen\"sådan\nperson") {
                saw_unknown = true;
            }
        }
    }
    EXPECT_GT(lines_seen, 5);
    EXPECT_TRUE(saw_start);
    EXPECT_TRUE(saw_agent);
    EXPECT_TRUE(saw_account);
    EXPECT_TRUE(saw_wrong);
    EXPECT_TRUE(saw_unknown);
    const std::string log = server_->Log();
    EXPECT_EQ(log.find("fel-lösen"), std::string::npos);
    EXPECT_EQ(log.find(kStaffPassword), std::string::npos);
}

}  // namespace
}  // namespace styrdok
