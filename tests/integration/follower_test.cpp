// Read-only followers (issue 18, part 5): a primary and two followers of its repository on
// loopback, each a real `styrdok serve`. A follower fetches the primary's main every poll,
// indexes what arrives, serves every read, answers writes 503 read_only, sends no reminders
// and catches up after being down.
#include <Poco/JSON/Object.h>
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
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
using testing::HttpRequest;
using testing::HttpResponse;
using testing::Json;
using testing::kToday;
using testing::Run;
using testing::Sandbox;
using testing::ServerProcess;
using testing::ShellQuote;

using Clock = std::chrono::steady_clock;
using Headers = std::map<std::string, std::string>;

// The corpus document the primary revises (owned by hr; admin may change it).
constexpr const char* kDocument = "arbetsmiljopolicy";
// What the issue asks: a write on the primary is searchable on each follower within this.
constexpr auto kWithin = std::chrono::seconds(5);
constexpr const char* kFollowSettings = "[follow]\npoll_milliseconds = 200\n";
// The one line a follower logs for an outage of its primary.
constexpr const char* kOutageLine = "serving what this follower has";

std::unique_ptr<ServerProcess> Serve(const std::filesystem::path& data) {
    return std::make_unique<ServerProcess>(STYRDOK_BINARY, data,
                                           std::vector<std::string>{"--today", kToday});
}

testing::RunResult Styrdok(const std::filesystem::path& data, const std::string& arguments,
                           const std::string& input = {}) {
    return Run(
        std::string(STYRDOK_BINARY) + " " + arguments + " --data " + ShellQuote(data.string()),
        input);
}

int SearchTotal(std::uint16_t port, const std::string& word) {
    HttpResponse response = HttpGet(port, "/api/search?q=" + word);
    return response.status == 200 ? Json(response)->getValue<int>("total") : -1;
}

// How long until `word` is found on `port`; nullopt when not within `limit`.
std::optional<std::chrono::milliseconds> TimeUntilFound(std::uint16_t port, const std::string& word,
                                                        Clock::time_point since,
                                                        std::chrono::seconds limit) {
    while (Clock::now() - since < limit) {
        if (SearchTotal(port, word) > 0) {
            return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::nullopt;
}

std::size_t Occurrences(const std::string& text, const std::string& part) {
    std::size_t count = 0;
    for (std::size_t at = text.find(part); at != std::string::npos;
         at = text.find(part, at + part.size())) {
        ++count;
    }
    return count;
}

class Follower : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        sandbox_ = std::make_unique<Sandbox>();
        testing::CreateCorpusRegistry(Primary());
        testing::AddStaffAccounts(Primary());
        for (const std::filesystem::path& follower : {FollowerData(0), FollowerData(1)}) {
            testing::Styrdok(follower, "init --follow " + ShellQuote(Repository().string()));
            std::ofstream(follower / "styrdok.ini", std::ios::app) << "\n" << kFollowSettings;
        }
        primary_ = Serve(Primary());
        followers_[0] = Serve(FollowerData(0));
        followers_[1] = Serve(FollowerData(1));
    }
    static void TearDownTestSuite() {
        followers_[0].reset();
        followers_[1].reset();
        primary_.reset();
        sandbox_.reset();
    }

    static std::filesystem::path Primary() { return *sandbox_ / "primary"; }
    static std::filesystem::path Repository() { return Primary() / "repository"; }
    static std::filesystem::path FollowerData(int n) {
        return *sandbox_ / ("follower-" + std::to_string(n));
    }

    // Revises kDocument on the primary with `word` in its text; the answer's status.
    static int WriteOnPrimary(const std::string& word) {
        HttpResponse current =
            HttpGet(primary_->port(), std::string("/api/documents/") + kDocument, As("admin"));
        EXPECT_EQ(current.status, 200) << current.body;
        Headers headers = As("admin");
        headers["Content-Type"] = "application/json";
        headers["If-Match"] = "\"" + Json(current)->getValue<std::string>("version") + "\"";
        HttpResponse saved = HttpRequest(primary_->port(), "PUT",
                                         std::string("/api/documents/") + kDocument, headers,
                                         R"({"text":"# Arbetsmiljöpolicy\n\nNu med ordet )" + word +
                                             R"(.\n","summary":"Test av följare"})");
        EXPECT_EQ(saved.status, 200) << saved.body;
        return saved.status;
    }

    static inline std::unique_ptr<Sandbox> sandbox_;
    static inline std::unique_ptr<ServerProcess> primary_;
    static inline std::unique_ptr<ServerProcess> followers_[2];
};

TEST_F(Follower, StartsWithThePrimarysDocuments) {
    for (int n = 0; n < 2; ++n) {
        SCOPED_TRACE("follower " + std::to_string(n));
        HttpResponse page = HttpGet(followers_[n]->port(), std::string("/documents/") + kDocument);
        EXPECT_EQ(page.status, 200);
        EXPECT_EQ(SearchTotal(followers_[n]->port(), "arbetsmiljö"),
                  SearchTotal(primary_->port(), "arbetsmiljö"));
    }
}

TEST_F(Follower, WriteOnThePrimaryIsSearchableOnEachFollowerWithinFiveSeconds) {
    for (int round = 1; round <= 3; ++round) {
        const std::string word = "kvittrarord" + std::to_string(round);
        ASSERT_EQ(SearchTotal(followers_[0]->port(), word), 0);
        ASSERT_EQ(WriteOnPrimary(word), 200);
        const Clock::time_point saved = Clock::now();
        for (int n = 0; n < 2; ++n) {
            SCOPED_TRACE("follower " + std::to_string(n) + ", round " + std::to_string(round));
            std::optional<std::chrono::milliseconds> took =
                TimeUntilFound(followers_[n]->port(), word, saved, kWithin);
            ASSERT_TRUE(took) << "not searchable within 5 s\n" << followers_[n]->Log();
            std::cout << "[ follow   ] round " << round << ": searchable on follower " << n << " "
                      << took->count() << " ms after the primary's answer\n";
        }
    }
    // Every read the follower serves shows the new version too: the document, its history
    // and the diff between its last two versions.
    HttpResponse primary_document =
        HttpGet(primary_->port(), std::string("/api/documents/") + kDocument);
    const std::string version = Json(primary_document)->getValue<std::string>("version");
    for (int n = 0; n < 2; ++n) {
        SCOPED_TRACE("follower " + std::to_string(n));
        const std::uint16_t port = followers_[n]->port();
        EXPECT_EQ(Json(HttpGet(port, std::string("/api/documents/") + kDocument))
                      ->getValue<std::string>("version"),
                  version);
        for (const std::string& target :
             {std::string("/documents/") + kDocument + "/history",
              std::string("/api/documents/") + kDocument + "/history", std::string("/feed.atom"),
              std::string("/reviews.ics"), std::string("/foreskrifter"),
              std::string("/?q=kvittrarord3")}) {
            EXPECT_EQ(HttpGet(port, target).status, 200) << target;
        }
    }
}

TEST_F(Follower, AnswersEveryWriteWithReadOnlyNamingThePrimary) {
    const std::uint16_t port = followers_[0]->port();
    struct Case {
        std::string method;
        std::string target;
        Headers headers;
    };
    const Headers json = {{"Content-Type", "application/json"}};
    Headers admin_json = As("admin");
    admin_json.insert(json.begin(), json.end());
    const std::vector<Case> cases = {
        {"PUT", std::string("/api/documents/") + kDocument, admin_json},
        {"POST", "/api/documents", json},
        {"DELETE", std::string("/api/documents/") + kDocument, As("admin")},
        {"PATCH", std::string("/api/documents/") + kDocument, json},
        {"POST", std::string("/api/documents/") + kDocument + "/reviews", admin_json},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.method + " " + c.target);
        HttpResponse response = HttpRequest(port, c.method, c.target, c.headers, "{}");
        EXPECT_EQ(response.status, 503);
        Poco::JSON::Object::Ptr error = Json(response)->getObject("error");
        EXPECT_EQ(error->getValue<std::string>("code"), "read_only");
        EXPECT_NE(error->getValue<std::string>("message").find(Repository().string()),
                  std::string::npos)
            << error->getValue<std::string>("message");
    }
    // The forms: posting one, and the pages that are nothing but a form, say so in Swedish.
    const std::vector<std::pair<std::string, std::string>> pages = {
        {"POST", "/logga-in"},
        {"GET", "/logga-in"},
        {"GET", "/nytt"},
        {"GET", std::string("/documents/") + kDocument + "/redigera"},
        {"GET", std::string("/documents/") + kDocument + "/upphav"},
        {"GET", std::string("/documents/") + kDocument + "/provning"},
        {"POST", std::string("/documents/") + kDocument + "/redigera"},
    };
    for (const auto& [method, target] : pages) {
        SCOPED_TRACE(method + " " + target);
        HttpResponse response = HttpRequest(port, method, target,
                                            {{"Content-Type", "application/x-www-form-urlencoded"}},
                                            method == "POST" ? "namn=admin&losenord=x" : "");
        EXPECT_EQ(response.status, 503);
        EXPECT_NE(response.body.find("skrivskyddad kopia"), std::string::npos) << response.body;
        EXPECT_EQ(response.body.find("<form class=\"utloggning\""), std::string::npos);
    }
    // The pages offer no change and no sign-in: there are no accounts on a follower.
    for (const std::string& target : {std::string("/"), std::string("/documents/") + kDocument}) {
        SCOPED_TRACE(target);
        HttpResponse page = HttpGet(port, target);
        EXPECT_EQ(page.status, 200);
        EXPECT_EQ(page.body.find("/logga-in"), std::string::npos);
        EXPECT_EQ(page.body.find("/redigera"), std::string::npos);
        EXPECT_EQ(page.body.find("/nytt"), std::string::npos);
    }
    // The primary takes the same write.
    EXPECT_EQ(HttpGet(primary_->port(), "/logga-in").status, 200);
}

TEST_F(Follower, RefusesTheCommandsThatWrite) {
    const std::vector<std::pair<std::string, std::string>> commands = {
        {"remind --today 2026-11-23", ""},
        {"import " + ShellQuote((testing::SourceDir() / "corpus").string()), ""},
        {"user add someone --role admin", "hemligt-lösen-1\n"},
        {"migrate-drafts", ""},
    };
    for (const auto& [command, input] : commands) {
        SCOPED_TRACE(command);
        testing::RunResult result = Styrdok(FollowerData(0), command, input);
        EXPECT_NE(result.exit_code, 0);
        EXPECT_NE(result.err.find("read-only follower of " + Repository().string()),
                  std::string::npos)
            << result.err;
    }
    EXPECT_FALSE(std::filesystem::exists(FollowerData(0) / "users.xml"));
    EXPECT_FALSE(std::filesystem::exists(FollowerData(0) / "outbox"));
    // Reading commands work.
    EXPECT_EQ(Styrdok(FollowerData(0), "search arbetsmiljö").exit_code, 0);
}

TEST_F(Follower, InitWithAPrimaryThatCannotBeFetchedCreatesNothing) {
    const std::filesystem::path data = *sandbox_ / "follower-of-nothing";
    testing::RunResult result =
        Styrdok(data, "init --follow " + ShellQuote((*sandbox_ / "no-such-registry").string()));
    EXPECT_NE(result.exit_code, 0);
    EXPECT_NE(result.err.find("no registry was created"), std::string::npos) << result.err;
    EXPECT_FALSE(std::filesystem::exists(data));
}

TEST_F(Follower, KilledWithSigkillAndRestartedCatchesUp) {
    ASSERT_EQ(kill(followers_[1]->pid(), SIGKILL), 0);
    followers_[1]->Stop();  // reaps it
    ASSERT_EQ(WriteOnPrimary("medanborta1"), 200);
    ASSERT_EQ(WriteOnPrimary("medanborta2"), 200);
    followers_[1] = Serve(FollowerData(1));
    const Clock::time_point started = Clock::now();
    std::optional<std::chrono::milliseconds> took =
        TimeUntilFound(followers_[1]->port(), "medanborta2", started, kWithin);
    ASSERT_TRUE(took) << followers_[1]->Log();
    std::cout << "[ follow   ] restarted follower caught up " << took->count()
              << " ms after it answered\n";
    EXPECT_EQ(Json(HttpGet(followers_[1]->port(), std::string("/api/documents/") + kDocument))
                  ->getValue<std::string>("version"),
              Json(HttpGet(primary_->port(), std::string("/api/documents/") + kDocument))
                  ->getValue<std::string>("version"));
    // The version in between is in its history.
    HttpResponse history =
        HttpGet(followers_[1]->port(), std::string("/api/documents/") + kDocument + "/history");
    EXPECT_NE(history.body.find("Test av följare"), std::string::npos);
}

// A primary restored from an older backup, or pushed to with --force: main moves to a commit
// that does not descend from the follower's. The follower follows (it holds no writes of its
// own), and what only the dropped commit had is gone from its search too.
TEST_F(Follower, FollowsAPrimaryThatRewroteMain) {
    ASSERT_EQ(WriteOnPrimary("bortskrivetord"), 200);
    ASSERT_TRUE(TimeUntilFound(followers_[0]->port(), "bortskrivetord", Clock::now(), kWithin));
    primary_->Stop();
    ASSERT_EQ(testing::Run("git -C " + ShellQuote(Repository().string()) +
                           " update-ref refs/heads/main refs/heads/main~1")
                  .exit_code,
              0);
    primary_ = Serve(Primary());
    ASSERT_EQ(WriteOnPrimary("nyvagord"), 200);
    ASSERT_TRUE(TimeUntilFound(followers_[0]->port(), "nyvagord", Clock::now(), kWithin))
        << followers_[0]->Log();
    EXPECT_EQ(SearchTotal(followers_[0]->port(), "bortskrivetord"), 0);
    EXPECT_NE(followers_[0]->Log().find("follow: the primary rewrote main"), std::string::npos)
        << followers_[0]->Log();
    EXPECT_EQ(Json(HttpGet(followers_[0]->port(), std::string("/api/documents/") + kDocument))
                  ->getValue<std::string>("version"),
              Json(HttpGet(primary_->port(), std::string("/api/documents/") + kDocument))
                  ->getValue<std::string>("version"));
}

// A primary whose address takes the connection and never answers: libgit2 has no socket
// timeout, so without the follower's own the fetch would wait forever, and so would a stop.
TEST_F(Follower, AFetchThatNeverGetsAnAnswerIsAbandonedAtTheTimeout) {
    const int silent = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(silent, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(bind(silent, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(listen(silent, 16), 0);  // the kernel takes connections; nobody answers them
    socklen_t length = sizeof address;
    ASSERT_EQ(getsockname(silent, reinterpret_cast<sockaddr*>(&address), &length), 0);
    const std::string url =
        "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/repository";

    const std::filesystem::path data = *sandbox_ / "follower-of-silence";
    testing::Styrdok(data, "init --follow " + ShellQuote(Repository().string()));
    ASSERT_EQ(testing::Run("git -C " + ShellQuote((data / "repository").string()) +
                           " remote set-url primary " + url)
                  .exit_code,
              0);
    std::ofstream(data / "styrdok.ini", std::ios::app)
        << "\n"
        << kFollowSettings << "timeout_seconds = 1\n";
    auto follower = Serve(data);
    std::this_thread::sleep_for(std::chrono::milliseconds(3500));
    EXPECT_EQ(HttpGet(follower->port(), std::string("/documents/") + kDocument).status, 200);
    const std::string log = follower->Log();
    EXPECT_NE(log.find("did not finish within 1000 ms"), std::string::npos) << log;
    EXPECT_EQ(Occurrences(log, kOutageLine), 1u) << log;
    // And it stops at once, though a fetch is waiting for the silent primary again.
    const Clock::time_point stopping = Clock::now();
    EXPECT_EQ(follower->Stop(), 0);
    EXPECT_LT(Clock::now() - stopping, std::chrono::seconds(5));
    close(silent);
}

TEST_F(Follower, KeepsServingReadsWhileThePrimaryIsDownAndResumesAfter) {
    ASSERT_EQ(WriteOnPrimary("foreutfallet"), 200);
    for (int n = 0; n < 2; ++n) {
        ASSERT_TRUE(TimeUntilFound(followers_[n]->port(), "foreutfallet", Clock::now(), kWithin));
    }
    // The primary's machine goes away: its server stops and its repository cannot be read.
    primary_->Stop();
    const std::filesystem::path away = *sandbox_ / "primary-repository-away";
    std::filesystem::rename(Repository(), away);
    // Ten polls and more.
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    for (int n = 0; n < 2; ++n) {
        SCOPED_TRACE("follower " + std::to_string(n));
        const std::uint16_t port = followers_[n]->port();
        EXPECT_EQ(HttpGet(port, std::string("/documents/") + kDocument).status, 200);
        EXPECT_EQ(HttpGet(port, "/api/search?q=arbetsmiljö").status, 200);
        EXPECT_EQ(SearchTotal(port, "foreutfallet"), 1);
        // One line for the outage, not one a poll.
        EXPECT_EQ(Occurrences(followers_[n]->Log(), kOutageLine), 1u) << followers_[n]->Log();
    }
    // It comes back, and commits again.
    std::filesystem::rename(away, Repository());
    primary_ = Serve(Primary());
    ASSERT_EQ(WriteOnPrimary("tillbakaord"), 200);
    const Clock::time_point saved = Clock::now();
    for (int n = 0; n < 2; ++n) {
        SCOPED_TRACE("follower " + std::to_string(n));
        std::optional<std::chrono::milliseconds> took =
            TimeUntilFound(followers_[n]->port(), "tillbakaord", saved, kWithin);
        ASSERT_TRUE(took) << followers_[n]->Log();
        std::cout << "[ follow   ] after the outage: searchable on follower " << n << " "
                  << took->count() << " ms after the primary's answer\n";
        EXPECT_NE(followers_[n]->Log().find("follow: fetching from"), std::string::npos);
    }
}

}  // namespace
}  // namespace styrdok
