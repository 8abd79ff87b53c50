#include "request_handler.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <istream>
#include <optional>
#include <sstream>

#include "form.hpp"
#include "listener.hpp"
#include "logging.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/store/follow.hpp"

namespace styrdok::server {

namespace {

// The largest refused body read to its end before the 413 is sent.
constexpr std::size_t kMaxDrainBytes = 64u << 20;

bool AcceptsGzip(const Request& request) {
    return request.Header("accept-encoding").find("gzip") != std::string::npos;
}

// True when an If-None-Match header names `etag` (quoted) or is "*".
bool MatchesIfNoneMatch(const std::string& header, const std::string& quoted_etag) {
    if (header.empty()) return false;
    if (header == "*") return true;
    std::size_t start = 0;
    while (start < header.size()) {
        std::size_t comma = header.find(',', start);
        if (comma == std::string::npos) comma = header.size();
        std::string_view candidate(header.data() + start, comma - start);
        while (!candidate.empty() && candidate.front() == ' ') candidate.remove_prefix(1);
        while (!candidate.empty() && candidate.back() == ' ') candidate.remove_suffix(1);
        if (candidate.starts_with("W/")) candidate.remove_prefix(2);
        if (candidate == quoted_etag) return true;
        start = comma + 1;
    }
    return false;
}

// A place among the requests that wait for their body; always taken when `limit` is 0.
class BodyReaderSlot {
public:
    BodyReaderSlot(std::atomic<int>& readers, int limit)
        : readers_(limit > 0 ? &readers : nullptr) {
        if (readers_ && readers_->fetch_add(1) >= limit) {
            readers_->fetch_sub(1);
            readers_ = nullptr;
            taken_ = false;
        }
    }
    ~BodyReaderSlot() {
        if (readers_) readers_->fetch_sub(1);
    }
    BodyReaderSlot(const BodyReaderSlot&) = delete;
    BodyReaderSlot& operator=(const BodyReaderSlot&) = delete;

    bool taken() const { return taken_; }

private:
    std::atomic<int>* readers_;
    bool taken_ = true;
};

class BoundaryHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit BoundaryHandler(RequestHandlerFactory& factory) : factory_(factory) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        factory_.Answer(request, response);
    }

private:
    RequestHandlerFactory& factory_;
};

}  // namespace

RequestHandlerFactory::RequestHandlerFactory(const Router& router, ErrorPageRenderer error_page,
                                             Limits limits, Poco::Logger& logger, Admission admit,
                                             ReadDeadlines* deadlines, TrustedProxies proxies)
    : router_(router),
      error_page_(std::move(error_page)),
      limits_(limits),
      admit_(std::move(admit)),
      logger_(logger),
      deadlines_(deadlines),
      proxies_(std::move(proxies)) {
    // A random prefix tells one server run's request ids from another's in shared logs.
    unsigned char random[4];
    randombytes_buf(random, sizeof random);
    char prefix[16];
    std::snprintf(prefix, sizeof prefix, "%02x%02x%02x%02x", random[0], random[1], random[2],
                  random[3]);
    id_prefix_ = prefix;
}

Poco::Net::HTTPRequestHandler* RequestHandlerFactory::createRequestHandler(
    const Poco::Net::HTTPServerRequest&) {
    return new BoundaryHandler(*this);
}

RequestHandlerFactory::BodyRead RequestHandlerFactory::ReadBody(Poco::Net::HTTPServerRequest& raw,
                                                                std::string* body,
                                                                std::size_t limit) {
    std::optional<ReadDeadlines::Watch> watch;
    auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&raw);
    if (deadlines_ && impl)
        watch.emplace(*deadlines_, impl->socket().impl()->sockfd(), limits_.body);
    std::istream& in = raw.stream();
    // Small reads, so that the deadline moves on with every few bytes received.
    char buffer[4096];
    std::size_t received = 0;
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        auto n = static_cast<std::size_t>(in.gcount());
        received += n;
        if (received > limit) return BodyRead::kTooLarge;
        if (watch) watch->Received(received);
        if (body) body->append(buffer, n);
    }
    if (raw.hasContentLength() && received == static_cast<std::size_t>(raw.getContentLength64())) {
        return BodyRead::kDone;
    }
    if (watch && watch->Expired()) return BodyRead::kLate;
    if (raw.hasContentLength() || in.bad()) return BodyRead::kCut;
    return BodyRead::kDone;
}

std::string RequestHandlerFactory::NextRequestId() {
    return id_prefix_ + "-" + std::to_string(next_id_.fetch_add(1));
}

Response RequestHandlerFactory::Error(int status, std::string_view code, std::string_view message,
                                      const Request& request) const {
    bool wants_json = (!request.segments.empty() && request.segments[0] == "api") ||
                      request.Header("accept").starts_with("application/json");
    if (wants_json || !error_page_) return JsonError(status, code, message);
    try {
        Response page = error_page_(status, code, message, request);
        page.status = status;
        return page;
    } catch (const std::exception& error) {
        logger_.error("req=%s error page failed: %s", request.request_id,
                      std::string(error.what()));
        return JsonError(status, code, message);
    }
}

void RequestHandlerFactory::Monitor(Metrics* metrics, LogFormat format) {
    metrics_ = metrics;
    log_format_ = format;
}

void RequestHandlerFactory::SetReadOnly(std::string primary) {
    read_only_message_ =
        "registret här är en skrivskyddad kopia; ändringar görs i huvudregistret " +
        store::PrimaryForDisplay(primary);
}

Response RequestHandlerFactory::Dispatch(Request& request, const Router::Match& match) {
    // Before admission: a follower has no accounts, and a write is refused whoever sends it.
    if (!read_only_message_.empty() && match.writes) {
        return Error(503, "read_only", read_only_message_, request);
    }
    if (admit_) admit_(request);
    if (!match.handler) {
        if (match.path_known) {
            Response response = Error(405, "method_not_allowed",
                                      "metoden stöds inte för den här adressen", request);
            return response;
        }
        return Error(404, "not_found", "sidan finns inte", request);
    }
    return (*match.handler)(request, match.params);
}

void RequestHandlerFactory::Answer(Poco::Net::HTTPServerRequest& raw,
                                   Poco::Net::HTTPServerResponse& out) {
    auto started = std::chrono::steady_clock::now();
    Request request;
    request.request_id = NextRequestId();
    request.method = raw.getMethod();
    request.target = raw.getURI();
    request.peer_address = raw.clientAddress().host().toString();
    request.client_address = request.peer_address;
    Response response;
    // What the metrics and the log name the request by: found before the admission, so that a
    // refused request counts under its route too.
    std::size_t pattern = Router::kNoPattern;
    try {
        for (const auto& [name, value] : raw) {
            std::string lower = name;
            for (char& c : lower)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            request.headers[lower] = value;
        }
        const ForwardedClient client =
            FindClient(proxies_, request.peer_address, request.Header("x-forwarded-for"),
                       request.Header("x-forwarded-proto"));
        request.client_address = client.address;
        request.via_trusted_proxy = client.via_trusted_proxy;
        request.https = client.https;
        if (request.target.size() > limits_.max_uri_bytes) {
            response = Error(414, "uri_too_long", "adressen är för lång", request);
        } else {
            ParseTarget(request.target, request);
            const Router::Match match = router_.Find(request.method, request.segments);
            pattern = match.pattern;
            const bool has_body = raw.hasContentLength() || raw.getChunkedTransferEncoding();
            const std::size_t length =
                raw.hasContentLength() ? static_cast<std::size_t>(raw.getContentLength64()) : 0;
            // A body that has not fully arrived holds this thread while it comes in.
            const bool arrived =
                !has_body || (raw.hasContentLength() && BytesWaiting(raw) >= length);
            BodyReaderSlot slot(body_readers_, arrived ? 0 : limits_.max_body_readers);
            if (!slot.taken()) {
                response = Error(503, "unavailable", "servern är upptagen; försök igen om en stund",
                                 request);
                response.headers.emplace_back("Retry-After", "5");
                out.setKeepAlive(false);  // the unread body must not be taken for a request
            } else if (length > limits_.max_body_bytes) {
                // Read (and drop) a body of reasonable size first: closing on unread bytes
                // makes the kernel reset the connection, and the client never sees the 413.
                if (length <= kMaxDrainBytes) ReadBody(raw, nullptr, kMaxDrainBytes);
                response = Error(413, "too_large", "förfrågan är för stor", request);
                out.setKeepAlive(false);
            } else {
                BodyRead read = has_body ? ReadBody(raw, &request.body, limits_.max_body_bytes)
                                         : BodyRead::kDone;
                if (read == BodyRead::kTooLarge) {
                    throw styrdok::Error(ErrorCode::kTooLarge, "förfrågan är för stor");
                }
                if (read == BodyRead::kLate) {
                    response =
                        Error(408, "request_timeout", "förfrågan kom inte fram i tid", request);
                    out.setKeepAlive(false);
                } else if (read == BodyRead::kCut) {
                    response = Error(400, "bad_input", "förfrågan kom inte fram hel", request);
                    out.setKeepAlive(false);
                } else {
                    if (has_body) ParseFormBody(request);
                    response = Dispatch(request, match);
                }
            }
        }
    } catch (const styrdok::Error& error) {
        int status = StatusFor(error.code());
        if (status >= 500 && error.code() != ErrorCode::kUnavailable) {
            logger_.error("req=%s %s %s: %s", request.request_id, request.method, request.target,
                          std::string(error.what()));
            response = Error(500, "internal", "internt fel; försök igen senare", request);
        } else {
            if (status == 413) out.setKeepAlive(false);
            response = Error(status, ErrorCodeName(error.code()), error.what(), request);
            if (error.retry_after().count() > 0) {
                response.headers.emplace_back("Retry-After",
                                              std::to_string(error.retry_after().count()));
            }
        }
    } catch (const Poco::Exception& error) {
        logger_.error("req=%s %s %s: %s", request.request_id, request.method, request.target,
                      error.displayText());
        response = Error(500, "internal", "internt fel; försök igen senare", request);
    } catch (const std::exception& error) {
        logger_.error("req=%s %s %s: %s", request.request_id, request.method, request.target,
                      std::string(error.what()));
        response = Error(500, "internal", "internt fel; försök igen senare", request);
    }

    out.set("X-Request-Id", request.request_id);
    out.set("X-Content-Type-Options", "nosniff");
    out.set("Referrer-Policy", "same-origin");
    // A page with a script of its own (the import page's progress) sends its own policy.
    const bool own_policy =
        std::any_of(response.headers.begin(), response.headers.end(),
                    [](const auto& header) { return header.first == "Content-Security-Policy"; });
    if (!own_policy) {
        out.set("Content-Security-Policy",
                "default-src 'self'; style-src 'self'; img-src 'self' data:; script-src 'none'; "
                "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    }
    out.set("Cache-Control", response.cache_control);
    for (const auto& [name, value] : response.headers) out.add(name, value);
    if (response.status == 401 && !request.segments.empty() && request.segments[0] == "api") {
        out.set("WWW-Authenticate", "Basic realm=\"Styrdok\", charset=\"UTF-8\"");
    }

    bool not_modified = false;
    std::size_t sent_bytes = 0;
    // A 201 names the version it created, as a 200 names the one it sends.
    if (!response.etag.empty() && (response.status == 200 || response.status == 201)) {
        std::string quoted = "\"" + response.etag + "\"";
        out.set("ETag", quoted);
        not_modified = (request.method == "GET" || request.method == "HEAD") &&
                       MatchesIfNoneMatch(request.Header("if-none-match"), quoted);
    }
    if (IsCompressible(response.content_type)) out.set("Vary", "Accept-Encoding");
    if (not_modified) {
        out.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED);
        out.setContentLength(0);
        out.send();
    } else {
        const std::string* payload = &response.Payload();
        std::string compressed;
        if (payload->size() >= kGzipFromBytes && IsCompressible(response.content_type) &&
            AcceptsGzip(request)) {
            if (response.shared_gzip) {
                payload = response.shared_gzip.get();
            } else {
                compressed = Gzip(*payload);
                payload = &compressed;
            }
            out.set("Content-Encoding", "gzip");
        }
        sent_bytes = payload->size();
        out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
        out.setContentType(response.content_type);
        if (!SendWhole(raw, out, *payload)) out.setKeepAlive(false);
    }

    const int status = not_modified ? 304 : response.status;
    const auto elapsed = std::chrono::steady_clock::now() - started;
    if (metrics_) metrics_->CountRequest(pattern, request.method, status, elapsed);
    if (logger_.information()) {
        const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
        RequestLogEntry entry;
        entry.request_id = request.request_id;
        entry.method = request.method;
        entry.target = request.target;
        entry.status = status;
        entry.bytes = sent_bytes;
        entry.duration_ms = static_cast<double>(micros) / 1000.0;
        entry.client_address = request.client_address;
        if (log_format_ == LogFormat::kJson) {
            entry.route = pattern == Router::kNoPattern ? std::string_view("unmatched")
                                                        : router_.Pattern(pattern);
            if (request.identity.user) entry.account = request.identity.user->name;
            const auto agent = request.headers.find("user-agent");
            if (agent != request.headers.end()) entry.user_agent = agent->second;
        }
        LogRequest(logger_, log_format_, entry);
    }
}

}  // namespace styrdok::server
