#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "styrdok/core/error.hpp"
#include "styrdok/server/users.hpp"

namespace styrdok::server {

/// A file sent with a multipart form.
struct Upload {
    std::string field;     ///< the form field's name
    std::string filename;  ///< as the browser sent it; not yet checked
    std::string content_type;
    std::string bytes;
};

/// Who sends a request, as the gatekeeper found out before the route ran.
struct Identity {
    enum class Source { kNobody, kSession, kBasic, kProxy };
    Source source = Source::kNobody;
    std::optional<User> user;  ///< nullopt: nobody signed in
    /// The token this identity's forms carry (CSRF); empty for nobody. HTTP Basic has one
    /// too: a browser that has the credentials sends them whatever site made the request.
    std::string csrf;
    std::string session_token;  ///< the cookie's token, for signing out
};

/// A request as the handlers see it: decoded, validated UTF-8, independent of Poco.
struct Request {
    std::string method;                 ///< "GET", "HEAD", …
    std::string target;                 ///< the raw request target, for logs and links
    std::vector<std::string> segments;  ///< decoded path segments ("/a/b/" → {"a", "b"})
    std::vector<std::pair<std::string, std::string>> query;   ///< decoded, in order
    std::map<std::string, std::string, std::less<>> headers;  ///< names lower-cased
    std::string body;
    std::string request_id;
    /// The client's IP address: the TCP peer's, or, from a trusted reverse proxy, the client
    /// its X-Forwarded-For names (auth/trusted_proxies.hpp). What logs and the sign-in
    /// throttle key on.
    std::string client_address;
    std::string peer_address;        ///< the TCP peer's IP address (the proxy, behind one)
    bool via_trusted_proxy = false;  ///< the peer is a trusted proxy: its headers are believed
    bool https = false;  ///< a trusted proxy says the client came over TLS (X-Forwarded-Proto)
    /// Fields of a form body (application/x-www-form-urlencoded or multipart/form-data),
    /// decoded, in order; files of a multipart body in `uploads`.
    std::vector<std::pair<std::string, std::string>> form;
    std::vector<Upload> uploads;
    Identity identity;

    /// The first value of a query parameter; empty when absent.
    std::string Param(std::string_view name) const;
    /// Every non-empty value of a repeatable parameter ("doctype=a&doctype=b").
    std::vector<std::string> Params(std::string_view name) const;
    bool HasParam(std::string_view name) const;
    /// A header by lower-case name; empty when absent.
    std::string Header(std::string_view name) const;
    /// The first value of a form field; empty when absent.
    std::string Field(std::string_view name) const;
    /// Every value of a repeatable form field, empty ones included (a cleared list entry).
    std::vector<std::string> Fields(std::string_view name) const;
    bool HasField(std::string_view name) const;
};

/// A response as handlers build it; the boundary adds compression, conditional GET and HEAD.
struct Response {
    int status = 200;
    std::string content_type = "text/html; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    /// A strong validator of the body (without quotes); enables 304 Not Modified.
    std::string etag;
    /// Cache-Control; every response says something, so nothing is cached by accident.
    std::string cache_control = "no-cache";
    /// A body kept in a cache and shared by every answer from it (`body` is then empty), and
    /// its gzip when it is worth compressing (IsCompressible, at least kGzipFromBytes).
    std::shared_ptr<const std::string> shared_body;
    std::shared_ptr<const std::string> shared_gzip;

    /// The bytes to send: the shared body if there is one, else `body`.
    const std::string& Payload() const { return shared_body ? *shared_body : body; }
};

/// Bodies smaller than this are sent as they are: gzip would save too little.
inline constexpr std::size_t kGzipFromBytes = 1024;

/// True for a content type that compresses well (text, JSON, XML, SVG).
bool IsCompressible(std::string_view content_type);

/// gzip of `body`.
std::string Gzip(std::string_view body);

/// Path parameters of a matched route, by name ("{id}" → "id").
using PathParams = std::map<std::string, std::string, std::less<>>;

/// A JSON body: `json` is a serialised JSON value.
Response JsonResponse(std::string json, int status = 200);

/// {"error": {"code", "message"}} with the status that belongs to the code name.
Response JsonError(int status, std::string_view code, std::string_view message);

/// The HTTP status that answers an error of `code`.
int StatusFor(ErrorCode code);

}  // namespace styrdok::server
