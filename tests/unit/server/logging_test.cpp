#include "logging.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Message.h>
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "styrdok/core/utf8.hpp"

namespace styrdok::server {
namespace {

// Keeps every line a formatter made.
class Lines : public Poco::Channel {
public:
    void log(const Poco::Message& message) override { lines.push_back(message.getText()); }
    std::vector<std::string> lines;
};

// A logger whose lines, made by `format`'s formatter, end up in the returned channel.
Poco::AutoPtr<Lines> Capture(Poco::Logger& logger, LogFormat format) {
    Poco::AutoPtr<Lines> lines(new Lines);
    Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(
        NewLogFormatter(format), Poco::AutoPtr<Poco::Channel>(lines.get(), /*shared=*/true)));
    logger.setChannel(channel);
    logger.setLevel(Poco::Message::PRIO_INFORMATION);
    return lines;
}

Poco::JSON::Object::Ptr Parse(const std::string& line) {
    EXPECT_EQ(line.find('\n'), std::string::npos) << line;
    EXPECT_TRUE(core::IsValidUtf8(line)) << line;
    return Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
}

// What clients put where the log writes it: quotes, backslashes, control bytes (a line feed
// among them), broken UTF-8, and text that looks like JSON.
const std::vector<std::string>& HostileTexts() {
    static const std::vector<std::string> texts = {
        "plain",
        "Mozilla/5.0 (X11; Linux x86_64) \"quoted\"",
        "back\\slash\\",
        std::string("nul \0 inside", 12),
        "line\nfeed\r\nand\ttab\x01\x1f\x7f",
        "broken \xff\xfe utf-8 \xc3",
        "\",\"level\":\"fatal\",\"x\":\"",
        "åäö 日本 \xf0\x9f\x93\x84",
    };
    return texts;
}

TEST(JsonFields, KeepEveryTextOneValidJsonString) {
    for (const std::string& text : HostileTexts()) {
        SCOPED_TRACE(text);
        JsonFields fields;
        fields.Add("text", text).Add("number", std::int64_t{-42}).Add("ms", 1.5);
        Poco::JSON::Object::Ptr object = Parse(fields.Take());
        ASSERT_EQ(object->size(), 3u);
        EXPECT_EQ(object->getValue<std::string>("text"), core::RepairUtf8(text));
        EXPECT_EQ(object->getValue<int>("number"), -42);
        EXPECT_EQ(object->getValue<double>("ms"), 1.5);
    }
}

TEST(JsonString, QuotesAndEscapes) {
    EXPECT_EQ(JsonString("a\"b"), R"("a\"b")");
    EXPECT_EQ(JsonString("a\nb"), R"("a\nb")");
    EXPECT_EQ(JsonString("\xff"), "\"\xef\xbf\xbd\"");
}

TEST(LogRequest, JsonLinesCarryEveryFieldWhateverTheClientSent) {
    Poco::Logger& logger = Poco::Logger::get("styrdok.test.request");
    Poco::AutoPtr<Lines> lines = Capture(logger, LogFormat::kJson);
    for (const std::string& text : HostileTexts()) {
        RequestLogEntry entry;
        entry.request_id = "abcd-1";
        entry.method = "GET";
        entry.target = text;
        entry.route = "/documents/{id}";
        entry.status = 404;
        entry.bytes = 1234;
        entry.duration_ms = 2.5;
        entry.client_address = "192.0.2.7";
        entry.account = "anna";
        entry.user_agent = text;
        LogRequest(logger, LogFormat::kJson, entry);
    }
    ASSERT_EQ(lines->lines.size(), HostileTexts().size());
    static const std::regex kTime(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
    for (std::size_t i = 0; i < lines->lines.size(); ++i) {
        SCOPED_TRACE(lines->lines[i]);
        Poco::JSON::Object::Ptr line = Parse(lines->lines[i]);
        EXPECT_TRUE(std::regex_match(line->getValue<std::string>("time"), kTime));
        EXPECT_EQ(line->getValue<std::string>("level"), "info");
        EXPECT_EQ(line->getValue<std::string>("event"), "request");
        EXPECT_EQ(line->getValue<std::string>("request_id"), "abcd-1");
        EXPECT_EQ(line->getValue<std::string>("method"), "GET");
        EXPECT_EQ(line->getValue<std::string>("target"), core::RepairUtf8(HostileTexts()[i]));
        EXPECT_EQ(line->getValue<std::string>("route"), "/documents/{id}");
        EXPECT_EQ(line->getValue<int>("status"), 404);
        EXPECT_EQ(line->getValue<int>("bytes"), 1234);
        EXPECT_EQ(line->getValue<double>("duration_ms"), 2.5);
        EXPECT_EQ(line->getValue<std::string>("client"), "192.0.2.7");
        EXPECT_EQ(line->getValue<std::string>("account"), "anna");
        EXPECT_EQ(line->getValue<std::string>("user_agent"), core::RepairUtf8(HostileTexts()[i]));
        // A request line says everything in its fields.
        EXPECT_FALSE(line->has("message"));
    }
}

TEST(LogRequest, CutsALongUserAgent) {
    Poco::Logger& logger = Poco::Logger::get("styrdok.test.agent");
    Poco::AutoPtr<Lines> lines = Capture(logger, LogFormat::kJson);
    RequestLogEntry entry;
    // A cut inside a two-byte letter leaves half of it, which is repaired.
    const std::string agent = std::string(1023, 'a') + "ö" + std::string(5000, 'b');
    entry.user_agent = agent;
    LogRequest(logger, LogFormat::kJson, entry);
    ASSERT_EQ(lines->lines.size(), 1u);
    EXPECT_EQ(Parse(lines->lines[0])->getValue<std::string>("user_agent"),
              std::string(1023, 'a') + "\xef\xbf\xbd");
}

TEST(LogRequest, TextLinesNameTheClient) {
    Poco::Logger& logger = Poco::Logger::get("styrdok.test.text");
    Poco::AutoPtr<Lines> lines = Capture(logger, LogFormat::kText);
    RequestLogEntry entry;
    entry.request_id = "abcd-2";
    entry.method = "POST";
    entry.target = "/api/documents";
    entry.status = 201;
    entry.bytes = 80;
    entry.duration_ms = 12.25;
    entry.client_address = "192.0.2.7";
    LogRequest(logger, LogFormat::kText, entry);
    ASSERT_EQ(lines->lines.size(), 1u);
    static const std::regex kLine(
        R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3} I styrdok\.test\.text: )"
        R"(req=abcd-2 192\.0\.2\.7 POST /api/documents 201 80 B 12\.[23] ms)");
    EXPECT_TRUE(std::regex_match(lines->lines[0], kLine)) << lines->lines[0];
}

TEST(LogSignIn, NamesAccountClientMethodAndOutcomeNeverAPassword) {
    Poco::Logger& logger = Poco::Logger::get("styrdok");
    Poco::AutoPtr<Lines> lines = Capture(logger, LogFormat::kJson);
    struct Case {
        SignInMethod method;
        SignInOutcome outcome;
        const char* method_name;
        const char* outcome_name;
        const char* level;
    };
    const std::vector<Case> cases = {
        {SignInMethod::kForm, SignInOutcome::kOk, "form", "ok", "info"},
        {SignInMethod::kBasic, SignInOutcome::kWrongPassword, "basic", "wrong_password", "warning"},
        {SignInMethod::kForm, SignInOutcome::kUnknownAccount, "form", "unknown_account", "warning"},
        {SignInMethod::kBasic, SignInOutcome::kThrottled, "basic", "throttled", "warning"},
        {SignInMethod::kProxy, SignInOutcome::kBusy, "proxy", "busy", "warning"},
        {SignInMethod::kProxy, SignInOutcome::kNameRefused, "proxy", "name_refused", "warning"},
    };
    for (const Case& c : cases) LogSignIn("anna\n\"x\"\xff", "192.0.2.7", c.method, c.outcome);
    ASSERT_EQ(lines->lines.size(), cases.size());
    for (std::size_t i = 0; i < cases.size(); ++i) {
        SCOPED_TRACE(lines->lines[i]);
        Poco::JSON::Object::Ptr line = Parse(lines->lines[i]);
        EXPECT_EQ(line->getValue<std::string>("event"), "sign_in");
        EXPECT_EQ(line->getValue<std::string>("account"), "anna\n\"x\"\xef\xbf\xbd");
        EXPECT_EQ(line->getValue<std::string>("client"), "192.0.2.7");
        EXPECT_EQ(line->getValue<std::string>("method"), cases[i].method_name);
        EXPECT_EQ(line->getValue<std::string>("outcome"), cases[i].outcome_name);
        EXPECT_EQ(line->getValue<std::string>("level"), cases[i].level);
        EXPECT_NE(line->getValue<std::string>("message").find(cases[i].method_name),
                  std::string::npos);
    }

    // As text, what the client chose is quoted, so it cannot start a line of its own.
    Poco::AutoPtr<Lines> text = Capture(logger, LogFormat::kText);
    LogSignIn("anna\nI styrdok: fake", "192.0.2.7", SignInMethod::kForm,
              SignInOutcome::kWrongPassword);
    ASSERT_EQ(text->lines.size(), 1u);
    EXPECT_EQ(text->lines[0].find('\n'), std::string::npos);
    EXPECT_NE(text->lines[0].find(
                  R"(sign-in refused (wrong_password): account "anna\nI styrdok: fake" from )"
                  R"("192.0.2.7" by form)"),
              std::string::npos)
        << text->lines[0];
}

TEST(JsonLogFormatter, ServerEventsAreObjectsWithTheirMessage) {
    Poco::Logger& logger = Poco::Logger::get("styrdok.test.events");
    Poco::AutoPtr<Lines> lines = Capture(logger, LogFormat::kJson);
    logger.error("req=x GET /\"\xff: failed");
    logger.information("serving http://127.0.0.1:8080/ with 64 threads");
    ASSERT_EQ(lines->lines.size(), 2u);
    Poco::JSON::Object::Ptr error = Parse(lines->lines[0]);
    EXPECT_EQ(error->getValue<std::string>("level"), "error");
    EXPECT_EQ(error->getValue<std::string>("message"), "req=x GET /\"\xef\xbf\xbd: failed");
    EXPECT_EQ(Parse(lines->lines[1])->getValue<std::string>("level"), "info");
}

}  // namespace
}  // namespace styrdok::server
