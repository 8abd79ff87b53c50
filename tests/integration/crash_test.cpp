// Durability of the write side (issue 5): a burst of concurrent writes to the real server,
// kill -9 in the middle of it, a restart on the same registry; every acknowledged write must
// be there and searchable, the next write must work, and `styrdok check` must be clean.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "registry_support.hpp"
#include "styrdok/testing/sandbox.hpp"
#include "styrdok/testing/server_process.hpp"

namespace styrdok {
namespace {

using testing::HttpRequest;
using testing::HttpResponse;
using testing::Json;
using testing::kToday;
using testing::ServerProcess;

using Headers = std::map<std::string, std::string>;

constexpr const char* kPassword = "hemligt-lösen-1";
// Each writer revises one of these (so its If-Match chain is its own) and creates new ones.
constexpr const char* kRevised[] = {"arbetsmiljopolicy", "avfallsplan", "avfallstaxa",
                                    "budget-2026"};
constexpr int kWriters = 4;

std::unique_ptr<ServerProcess> Start(const std::filesystem::path& data) {
    return std::make_unique<ServerProcess>(STYRDOK_BINARY, data,
                                           std::vector<std::string>{"--today", kToday});
}

Headers Admin() { return testing::BasicAuth("admin", kPassword); }

Headers JsonHeaders(const std::string& version = {}) {
    Headers headers = Admin();
    headers["Content-Type"] = "application/json";
    if (!version.empty()) headers["If-Match"] = "\"" + version + "\"";
    return headers;
}

std::string Stringify(const Poco::JSON::Object& object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

// A word no text has and the Swedish stemmer leaves whole: consonants, ending in x.
std::string UniqueWord(int writer, int count) {
    static constexpr std::string_view kLetters = "bcdfghjklmnpqrtvwz";
    std::string word = "krzq";
    for (int n = writer * 10000 + count; n > 0; n /= static_cast<int>(kLetters.size())) {
        word += kLetters[static_cast<std::size_t>(n) % kLetters.size()];
    }
    return word + "x";
}

std::string TextWith(const std::string& word) {
    return "## Krasch\n\nDen här versionen skrevs under kraschprovet och bär ordet " + word + ".\n";
}

// What one writer sent and what the server acknowledged.
struct WriterLog {
    std::string revised;                             ///< the existing document it revises
    std::vector<std::string> revised_versions;       ///< acknowledged, oldest first
    std::vector<std::string> revised_texts;          ///< their texts
    std::optional<std::string> unanswered_revision;  ///< text of a PUT that got no answer
    std::map<std::string, std::string> created;      ///< acknowledged new id → its text
    std::map<std::string, std::string> created_versions;
    std::string failure;  ///< a non-2xx answer, which must not come
};

void Write(std::uint16_t port, int writer, const Poco::JSON::Object& model, WriterLog& log,
           std::atomic<int>& acknowledged, const std::atomic<bool>& server_gone) {
    std::string version = log.revised_versions.back();
    for (int count = 1; !server_gone; ++count) {
        const std::string word = UniqueWord(writer, count);
        const std::string text = TextWith(word);
        const bool create = count % 2 == 0;
        const std::string id = "krasch-" + std::to_string(writer) + "-" + std::to_string(count);
        try {
            HttpResponse response;
            if (create) {
                Poco::JSON::Object document(model);
                document.set("id", id);
                document.set("title", "Kraschprov " + id);
                document.set("text", text);
                response =
                    HttpRequest(port, "POST", "/api/documents", JsonHeaders(), Stringify(document));
            } else {
                Poco::JSON::Object change;
                change.set("text", text);
                change.set("summary", "Kraschprov " + word);
                log.unanswered_revision = text;
                response = HttpRequest(port, "PUT", "/api/documents/" + log.revised,
                                       JsonHeaders(version), Stringify(change));
                log.unanswered_revision.reset();
            }
            if (response.status / 100 != 2) {
                log.failure = std::to_string(response.status) + " " + response.body;
                return;
            }
            const std::string saved = Json(response)->getValue<std::string>("version");
            if (create) {
                log.created[id] = text;
                log.created_versions[id] = saved;
            } else {
                version = saved;
                log.revised_versions.push_back(saved);
                log.revised_texts.push_back(text);
            }
            ++acknowledged;
        } catch (const std::exception&) {
            return;  // the server is gone: this write got no answer
        }
    }
}

class CrashTest : public ::testing::Test {
protected:
    void SetUp() override {
        testing::CreateCorpusRegistry(data_);
        testing::AddUser(data_, "admin", "admin", "admin@exempelby.se", kPassword);
    }

    HttpResponse Get(const std::string& target) {
        return testing::HttpGet(Port(), target, Admin());
    }
    std::uint16_t Port() const { return server_->port(); }

    // Whether a search for `word` finds document `id`.
    bool Found(const std::string& word, const std::string& id) {
        HttpResponse response = Get("/api/search?q=" + word + "&per_page=50");
        if (response.status != 200) return false;
        Poco::JSON::Array::Ptr hits = Json(response)->getArray("hits");
        for (std::size_t i = 0; i < hits->size(); ++i) {
            if (hits->getObject(static_cast<unsigned>(i))->getValue<std::string>("id") == id) {
                return true;
            }
        }
        return false;
    }

    std::vector<std::string> History(const std::string& id) {
        std::vector<std::string> versions;
        Poco::JSON::Array::Ptr list =
            Json(Get("/api/documents/" + id + "/history"))->getArray("versions");
        for (std::size_t i = 0; i < list->size(); ++i) {
            versions.push_back(
                list->getObject(static_cast<unsigned>(i))->getValue<std::string>("version"));
        }
        return versions;
    }

    testing::Sandbox sandbox_;
    std::filesystem::path data_ = sandbox_ / "registry";
    std::unique_ptr<ServerProcess> server_;
};

TEST_F(CrashTest, AcknowledgedWritesSurviveKillNineAndTheRegistryIsCleanAfterRestart) {
    server_ = Start(data_);
    HttpResponse model_response = Get(std::string("/api/documents/") + kRevised[0]);
    ASSERT_EQ(model_response.status, 200) << model_response.body;
    Poco::JSON::Object::Ptr model = Json(model_response);
    // New documents made from it have no review decisions of their own.
    model->remove("reviews");
    model->remove("last_reviewed_on");

    std::vector<WriterLog> logs(kWriters);
    for (int writer = 0; writer < kWriters; ++writer) {
        logs[writer].revised = kRevised[writer];
        HttpResponse current = Get(std::string("/api/documents/") + kRevised[writer]);
        ASSERT_EQ(current.status, 200);
        logs[writer].revised_versions.push_back(Json(current)->getValue<std::string>("version"));
        logs[writer].revised_texts.push_back(Json(current)->getValue<std::string>("text"));
    }

    // The kill comes at a random moment after the first acknowledged writes, so that runs
    // catch the server in different places: in git's object or reference writes, in the
    // index, between them, or answering.
    std::mt19937 random(std::random_device{}());
    const auto delay =
        std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 1500)(random));
    SCOPED_TRACE("kill -9 " + std::to_string(delay.count()) + " ms after the third answer");
    std::atomic<int> acknowledged = 0;
    std::atomic<bool> server_gone = false;
    std::vector<std::thread> threads;
    for (int writer = 0; writer < kWriters; ++writer) {
        threads.emplace_back(Write, Port(), writer, std::cref(*model), std::ref(logs[writer]),
                             std::ref(acknowledged), std::cref(server_gone));
    }
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (acknowledged < 3 && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    std::this_thread::sleep_for(delay);
    ASSERT_EQ(kill(server_->pid(), SIGKILL), 0);
    server_gone = true;
    for (std::thread& thread : threads) thread.join();
    server_->Stop();  // reaps it
    // What the kill left, as `styrdok check` sees it before the restart repairs it.
    testing::RunResult before =
        testing::Run(std::string(STYRDOK_BINARY) + " check --today " + kToday + " --data " +
                     testing::ShellQuote(data_.string()));
    std::istringstream lines(before.out);
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("FAIL") || line.starts_with("      -")) {
            std::cout << "[ crash    ] before the restart: " << line << "\n";
        }
    }
    for (const WriterLog& log : logs) EXPECT_EQ(log.failure, "") << log.revised;
    ASSERT_GE(acknowledged, 3);

    server_ = Start(data_);
    int created = 0;
    for (const WriterLog& log : logs) {
        SCOPED_TRACE(log.revised);
        // Every acknowledged revision is in the history; the document is at the last of them,
        // or at the one whose answer the kill cut off.
        std::vector<std::string> history = History(log.revised);
        for (const std::string& version : log.revised_versions) {
            EXPECT_NE(std::find(history.begin(), history.end(), version), history.end()) << version;
        }
        Poco::JSON::Object::Ptr now = Json(Get("/api/documents/" + log.revised));
        const std::string text = now->getValue<std::string>("text");
        if (now->getValue<std::string>("version") == log.revised_versions.back()) {
            EXPECT_EQ(text, log.revised_texts.back());
        } else {
            ASSERT_TRUE(log.unanswered_revision.has_value());
            EXPECT_EQ(text, *log.unanswered_revision);
            EXPECT_EQ(history.at(1), log.revised_versions.back());
        }
        if (log.revised_versions.size() > 1) {
            const std::string word =
                text.substr(text.rfind(' ') + 1, text.size() - 3 - text.rfind(' '));
            EXPECT_TRUE(Found(word, log.revised)) << word;
        }
        for (const auto& [id, written] : log.created) {
            SCOPED_TRACE(id);
            HttpResponse document = Get("/api/documents/" + id);
            ASSERT_EQ(document.status, 200);
            EXPECT_EQ(Json(document)->getValue<std::string>("text"), written);
            EXPECT_EQ(Json(document)->getValue<std::string>("version"),
                      log.created_versions.at(id));
            EXPECT_TRUE(Found(
                written.substr(written.rfind(' ') + 1, written.size() - 3 - written.rfind(' ')),
                id));
            ++created;
        }
    }
    std::cout << "[ crash    ] " << acknowledged << " writes acknowledged (" << created
              << " new documents) before kill -9 " << delay.count()
              << " ms after the third answer\n";

    // The next write works: nothing the crash left (a git lock file) refuses it.
    const std::string id = logs[0].revised;
    const std::string version = Json(Get("/api/documents/" + id))->getValue<std::string>("version");
    Poco::JSON::Object change;
    change.set("text", TextWith(UniqueWord(9, 1)));
    HttpResponse after =
        HttpRequest(Port(), "PUT", "/api/documents/" + id, JsonHeaders(version), Stringify(change));
    EXPECT_EQ(after.status, 200) << after.body;
    EXPECT_TRUE(Found(UniqueWord(9, 1), id));
    server_->Stop();

    testing::Styrdok(data_, std::string("check --today ") + kToday);
}

// The server commits the index without syncing it, behind a crash marker holding the boot
// id. A marker from another boot means the machine went down before the index reached the
// disk: the server starts the index over and rebuilds it from git before it listens. A server
// stopped on purpose flushes the index and leaves no marker.
TEST(CrashMarker, AnIndexLeftUnsyncedInAnotherBootIsRebuiltAtStart) {
    testing::Sandbox sandbox;
    const std::filesystem::path data = sandbox / "registry";
    testing::CreateCorpusRegistry(data);
    const std::filesystem::path marker = data / "index" / "unsynced";
    std::ofstream(marker) << "a-boot-before-the-crash\n";

    ServerProcess server(STYRDOK_BINARY, data, {"--today", kToday});
    EXPECT_NE(server.Log().find("rebuilding"), std::string::npos) << server.Log();
    const HttpResponse found = testing::HttpGet(server.port(), "/api/search?q=arbetsmilj%C3%B6");
    ASSERT_EQ(found.status, 200) << found.body;
    EXPECT_NE(found.body.find("\"arbetsmiljopolicy\""), std::string::npos);
    server.Stop();
    EXPECT_FALSE(std::filesystem::exists(marker));

    // Started again in this boot: the index is trusted, not rebuilt.
    ServerProcess again(STYRDOK_BINARY, data, {"--today", kToday});
    EXPECT_EQ(again.Log().find("rebuilding"), std::string::npos) << again.Log();
}

}  // namespace
}  // namespace styrdok
