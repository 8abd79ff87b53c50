#pragma once

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "auth/trusted_proxies.hpp"
#include "http.hpp"
#include "metrics.hpp"
#include "read_deadlines.hpp"
#include "router.hpp"
#include "styrdok/server/server.hpp"
#include "target.hpp"

namespace styrdok::server {

/// Runs before every route once the request is read: says who sends it
/// (Request::identity) and throws Error to refuse it (Gatekeeper::Admit).
using Admission = std::function<void(Request&)>;

/// Renders an error for a person (an HTML page); API paths get JSON without it. `code` is
/// the JSON error code ("not_found", "read_only", …).
using ErrorPageRenderer = std::function<Response(int status, std::string_view code,
                                                 std::string_view message, const Request& request)>;

/// The one HTTP error boundary: turns Poco's request into a Request (decoded, checked for
/// size and UTF-8), runs the route, maps every styrdok::Error to its status, answers 500
/// only for our own faults (logged with the request id), and adds what every response
/// shares: request id, security headers, conditional GET (304), gzip, HEAD. Never returns
/// a null handler, so Poco never answers on its own.
class RequestHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    struct Limits {
        std::size_t max_body_bytes = 10u << 20;
        std::size_t max_uri_bytes = 8192;
        /// How long a body may take to arrive; a late one is answered 408 (with `deadlines`).
        ReadBudget body;
        /// Requests that may wait for their body at once (0: any number); a request whose
        /// body has not fully arrived is answered 503 beyond it, so that slow bodies can
        /// hold at most this many threads.
        int max_body_readers = 0;
    };

    /// `deadlines` (may be null: no body deadline) must outlive the factory. `proxies` are
    /// believed on the client (Request::client_address, via_trusted_proxy, https).
    RequestHandlerFactory(const Router& router, ErrorPageRenderer error_page, Limits limits,
                          Poco::Logger& logger, Admission admit = {},
                          ReadDeadlines* deadlines = nullptr, TrustedProxies proxies = {});

    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest& request) override;

    /// Makes the registry read-only, before the server starts: every request that would
    /// change it (Router::Match::writes) is answered 503 with the error code read_only and a
    /// message naming `primary`, before admission and before any route runs. A follower's
    /// one switch (styrdok init --follow).
    void SetReadOnly(std::string primary);

    /// Answers `request` in full; what each handler object does.
    void Answer(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

    /// Counts every answer in `metrics` (null: nowhere) and writes each request's log line in
    /// `format`. Call before the first request; `metrics` must outlive the factory.
    void Monitor(Metrics* metrics, LogFormat format);

private:
    enum class BodyRead { kDone, kTooLarge, kLate, kCut };

    BodyRead ReadBody(Poco::Net::HTTPServerRequest& raw, std::string* body, std::size_t limit);
    Response Dispatch(Request& request, const Router::Match& match);
    Response Error(int status, std::string_view code, std::string_view message,
                   const Request& request) const;
    std::string NextRequestId();

    const Router& router_;
    ErrorPageRenderer error_page_;
    Limits limits_;
    Admission admit_;
    Poco::Logger& logger_;
    std::string read_only_message_;  ///< empty: the registry takes writes
    std::string id_prefix_;
    std::atomic<unsigned long> next_id_{1};
    ReadDeadlines* deadlines_;
    const TrustedProxies proxies_;
    std::atomic<int> body_readers_{0};
    Metrics* metrics_ = nullptr;
    LogFormat log_format_ = LogFormat::kText;
};

}  // namespace styrdok::server
