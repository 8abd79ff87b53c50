#pragma once

// The server's log lines (issue 18; docs/operations.md, "Monitoring"): text as before, or with
// server.log_format = json one JSON object per line, whatever bytes a request sent.

#include <Poco/AutoPtr.h>
#include <Poco/Formatter.h>
#include <Poco/Logger.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "styrdok/server/server.hpp"

namespace styrdok::server {

/// Fields of one JSON object, written with RapidJSON's Writer in the order added: strings
/// with broken UTF-8 replaced by U+FFFD, so that whatever a client sent, the text stays
/// valid JSON (control bytes, quotes and backslashes escaped).
class JsonFields {
public:
    JsonFields();
    ~JsonFields();
    JsonFields(const JsonFields&) = delete;
    JsonFields& operator=(const JsonFields&) = delete;

    JsonFields& Add(std::string_view name, std::string_view value);
    JsonFields& Add(std::string_view name, std::int64_t value);
    JsonFields& Add(std::string_view name, double value);

    /// The object ("{…}"); the fields cannot be added to afterwards.
    std::string Take();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// `text` as a JSON string, quotes included (JsonFields' escaping): also how the text log
/// quotes what a client chose, so that it cannot start a line of its own.
std::string JsonString(std::string_view text);

/// The name of the message parameter (Poco::Message::set) that holds a JSON object of fields
/// for the JSON format; the text format leaves it out.
inline constexpr const char* kLogFieldsParameter = "fields";

/// How each line is made from a message: kText as "2026-12-06T10:00:00.123 I styrdok: text"
/// (local time); kJson as {"time" (RFC 3339, UTC, milliseconds), "level", the fields of the
/// message's kLogFieldsParameter in their order, "message" (the text, when not empty)}.
Poco::AutoPtr<Poco::Formatter> NewLogFormatter(LogFormat format);

/// Logs `text` at `priority` with `fields` (a JsonFields object) for the JSON format.
void LogWithFields(Poco::Logger& logger, Poco::Message::Priority priority, std::string text,
                   std::string fields);

/// What the log says of one answered request.
struct RequestLogEntry {
    std::string_view request_id;
    std::string_view method;
    std::string_view target;  ///< path and query, as sent
    std::string_view route;   ///< the router's pattern, or "unmatched"
    int status = 0;
    std::size_t bytes = 0;  ///< of the body sent
    double duration_ms = 0;
    std::string_view client_address;
    std::string_view account;  ///< the signed-in user; empty for nobody
    std::string_view user_agent;
};

/// The request's line at info: "req=ID CLIENT METHOD TARGET STATUS BYTES B MS ms" as text, or
/// {"event":"request", "request_id", "method", "target", "route", "status", "bytes",
/// "duration_ms", "client", "account", "user_agent"} (a user agent cut at 1 KiB).
void LogRequest(Poco::Logger& logger, LogFormat format, const RequestLogEntry& entry);

/// How a sign-in came.
enum class SignInMethod { kForm, kBasic, kProxy };
/// What became of it.
/// kNameRefused: a proxy named someone by a name no account could have.
enum class SignInOutcome { kOk, kWrongPassword, kUnknownAccount, kThrottled, kBusy, kNameRefused };

/// "form", "basic", "proxy".
std::string_view SignInMethodName(SignInMethod method);
/// "ok", "wrong_password", "unknown_account", "throttled", "busy", "name_refused".
std::string_view SignInOutcomeName(SignInOutcome outcome);

/// Logs a sign-in (info) or a refused one (warning) to the "styrdok" logger: the account name
/// tried (cut at 256 bytes), the client's address, how and the outcome; never a password.
/// Text: `sign-in ok: account "NAME" from ADDRESS by form`; JSON: {"event":"sign_in",
/// "account", "client", "method", "outcome", "message"}. Thread-safe.
void LogSignIn(std::string_view account, std::string_view client_address, SignInMethod method,
               SignInOutcome outcome);

}  // namespace styrdok::server
