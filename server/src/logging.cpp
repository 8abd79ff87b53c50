#include "logging.hpp"

#include <Poco/Message.h>
#include <Poco/PatternFormatter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <ctime>

#include "styrdok/core/utf8.hpp"

namespace styrdok::server {

namespace {

// Longest user agent and account name written: enough to recognise them, short enough that a
// client cannot make one request write kilobytes of log.
constexpr std::size_t kMaxUserAgentBytes = 1024;
constexpr std::size_t kMaxAccountBytes = 256;

std::string_view LevelName(Poco::Message::Priority priority) {
    switch (priority) {
        case Poco::Message::PRIO_FATAL:
            return "fatal";
        case Poco::Message::PRIO_CRITICAL:
            return "critical";
        case Poco::Message::PRIO_ERROR:
            return "error";
        case Poco::Message::PRIO_WARNING:
            return "warning";
        case Poco::Message::PRIO_NOTICE:
            return "notice";
        case Poco::Message::PRIO_INFORMATION:
            return "info";
        case Poco::Message::PRIO_DEBUG:
            return "debug";
        case Poco::Message::PRIO_TRACE:
            return "trace";
    }
    return "info";
}

// "2026-12-06T10:00:00.123Z".
std::string Rfc3339Utc(const Poco::Timestamp& time) {
    const Poco::Timestamp::TimeVal micros = time.epochMicroseconds();
    const std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[96];  // the ints could be wider than any date makes them
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>((micros / 1000) % 1000));
    return text;
}

// The members of a JSON object's text, without its braces ("" for "{}").
std::string_view Members(std::string_view object) {
    if (object.size() < 2) return {};
    return object.substr(1, object.size() - 2);
}

class JsonLineFormatter : public Poco::Formatter {
public:
    void format(const Poco::Message& message, std::string& text) override {
        JsonFields head;
        head.Add("time", Rfc3339Utc(message.getTime()));
        head.Add("level", LevelName(message.getPriority()));
        text = head.Take();
        text.pop_back();
        if (message.has(kLogFieldsParameter)) {
            const std::string_view fields = Members(message.get(kLogFieldsParameter));
            if (!fields.empty()) text.append(",").append(fields);
        }
        if (!message.getText().empty()) {
            JsonFields tail;
            tail.Add("message", message.getText());
            text.append(",").append(Members(tail.Take()));
        }
        text += '}';
    }
};

// `text` cut to at most `limit` bytes (broken UTF-8 at the cut is repaired where it is written).
std::string_view Cut(std::string_view text, std::size_t limit) {
    return text.size() > limit ? text.substr(0, limit) : text;
}

}  // namespace

struct JsonFields::Impl {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer{buffer};

    void Key(std::string_view name) {
        writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    }
    void String(std::string_view value) {
        if (core::IsValidUtf8(value)) {
            writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
        } else {
            const std::string repaired = core::RepairUtf8(value);
            writer.String(repaired.data(), static_cast<rapidjson::SizeType>(repaired.size()));
        }
    }
};

JsonFields::JsonFields() : impl_(std::make_unique<Impl>()) { impl_->writer.StartObject(); }

JsonFields::~JsonFields() = default;

JsonFields& JsonFields::Add(std::string_view name, std::string_view value) {
    impl_->Key(name);
    impl_->String(value);
    return *this;
}

JsonFields& JsonFields::Add(std::string_view name, std::int64_t value) {
    impl_->Key(name);
    impl_->writer.Int64(value);
    return *this;
}

JsonFields& JsonFields::Add(std::string_view name, double value) {
    impl_->Key(name);
    impl_->writer.Double(value);
    return *this;
}

std::string JsonFields::Take() {
    impl_->writer.EndObject();
    return std::string(impl_->buffer.GetString(), impl_->buffer.GetSize());
}

std::string JsonString(std::string_view text) {
    JsonFields object;
    object.Add("s", text);
    const std::string taken = object.Take();
    // {"s":"…"}
    return taken.substr(5, taken.size() - 6);
}

Poco::AutoPtr<Poco::Formatter> NewLogFormatter(LogFormat format) {
    if (format == LogFormat::kJson) return new JsonLineFormatter;
    Poco::AutoPtr<Poco::PatternFormatter> text(
        new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%S.%i %q %s: %t"));
    text->setProperty("times", "local");
    return text;
}

void LogWithFields(Poco::Logger& logger, Poco::Message::Priority priority, std::string text,
                   std::string fields) {
    if (!logger.is(priority)) return;
    Poco::Message message(logger.name(), std::move(text), priority);
    message.set(kLogFieldsParameter, std::move(fields));
    logger.log(message);
}

void LogRequest(Poco::Logger& logger, LogFormat format, const RequestLogEntry& entry) {
    if (!logger.information()) return;
    if (format == LogFormat::kText) {
        // Built here rather than by Poco::format, which was half of what a line cost.
        std::string text = "req=";
        text.append(entry.request_id).append(" ").append(entry.client_address).append(" ");
        text.append(entry.method).append(" ").append(entry.target);
        char tail[80];
        std::snprintf(tail, sizeof tail, " %d %zu B %.1f ms", entry.status, entry.bytes,
                      entry.duration_ms);
        text.append(tail);
        logger.information(text);
        return;
    }
    JsonFields fields;
    fields.Add("event", "request")
        .Add("request_id", entry.request_id)
        .Add("method", entry.method)
        .Add("target", entry.target)
        .Add("route", entry.route)
        .Add("status", static_cast<std::int64_t>(entry.status))
        .Add("bytes", static_cast<std::int64_t>(entry.bytes))
        .Add("duration_ms", entry.duration_ms)
        .Add("client", entry.client_address)
        .Add("account", entry.account)
        .Add("user_agent", Cut(entry.user_agent, kMaxUserAgentBytes));
    LogWithFields(logger, Poco::Message::PRIO_INFORMATION, {}, fields.Take());
}

std::string_view SignInMethodName(SignInMethod method) {
    switch (method) {
        case SignInMethod::kForm:
            return "form";
        case SignInMethod::kBasic:
            return "basic";
        case SignInMethod::kProxy:
            return "proxy";
    }
    return "form";
}

std::string_view SignInOutcomeName(SignInOutcome outcome) {
    switch (outcome) {
        case SignInOutcome::kOk:
            return "ok";
        case SignInOutcome::kWrongPassword:
            return "wrong_password";
        case SignInOutcome::kUnknownAccount:
            return "unknown_account";
        case SignInOutcome::kThrottled:
            return "throttled";
        case SignInOutcome::kBusy:
            return "busy";
        case SignInOutcome::kNameRefused:
            return "name_refused";
    }
    return "ok";
}

void LogSignIn(std::string_view account, std::string_view client_address, SignInMethod method,
               SignInOutcome outcome) {
    const std::string_view name = Cut(account, kMaxAccountBytes);
    const std::string_view how = SignInMethodName(method);
    const std::string_view what = SignInOutcomeName(outcome);
    const bool ok = outcome == SignInOutcome::kOk;
    std::string text =
        ok ? std::string("sign-in ok") : "sign-in refused (" + std::string(what) + ")";
    text += ": account " + JsonString(name) + " from " + JsonString(client_address) + " by " +
            std::string(how);
    JsonFields fields;
    fields.Add("event", "sign_in")
        .Add("account", name)
        .Add("client", client_address)
        .Add("method", how)
        .Add("outcome", what);
    LogWithFields(Poco::Logger::get("styrdok"),
                  ok ? Poco::Message::PRIO_INFORMATION : Poco::Message::PRIO_WARNING,
                  std::move(text), fields.Take());
}

}  // namespace styrdok::server
