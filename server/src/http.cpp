#include "http.hpp"

#include <Poco/DeflatingStream.h>
#include <Poco/JSON/Object.h>

#include <sstream>

namespace styrdok::server {

std::string Request::Param(std::string_view name) const {
    for (const auto& [key, value] : query) {
        if (key == name) return value;
    }
    return {};
}

std::vector<std::string> Request::Params(std::string_view name) const {
    std::vector<std::string> values;
    for (const auto& [key, value] : query) {
        if (key == name && !value.empty()) values.push_back(value);
    }
    return values;
}

std::string Request::Field(std::string_view name) const {
    for (const auto& [key, value] : form) {
        if (key == name) return value;
    }
    return {};
}

std::vector<std::string> Request::Fields(std::string_view name) const {
    std::vector<std::string> values;
    for (const auto& [key, value] : form) {
        if (key == name) values.push_back(value);
    }
    return values;
}

bool Request::HasField(std::string_view name) const {
    for (const auto& entry : form) {
        if (entry.first == name) return true;
    }
    return false;
}

bool Request::HasParam(std::string_view name) const {
    for (const auto& entry : query) {
        if (entry.first == name) return true;
    }
    return false;
}

std::string Request::Header(std::string_view name) const {
    auto found = headers.find(name);
    return found == headers.end() ? std::string() : found->second;
}

Response JsonResponse(std::string json, int status) {
    Response response;
    response.status = status;
    response.content_type = "application/json; charset=utf-8";
    response.body = std::move(json);
    return response;
}

Response JsonError(int status, std::string_view code, std::string_view message) {
    Poco::JSON::Object error(Poco::JSON_PRESERVE_KEY_ORDER);
    error.set("code", std::string(code));
    error.set("message", std::string(message));
    Poco::JSON::Object body;
    body.set("error", error);
    std::ostringstream out;
    body.stringify(out);
    return JsonResponse(out.str(), status);
}

int StatusFor(ErrorCode code) {
    switch (code) {
        case ErrorCode::kBadInput:
            return 400;
        case ErrorCode::kUnauthorized:
            return 401;
        case ErrorCode::kForbidden:
            return 403;
        case ErrorCode::kNotFound:
            return 404;
        case ErrorCode::kConflict:
            return 409;
        case ErrorCode::kStaleVersion:
            return 412;
        case ErrorCode::kTooLarge:
            return 413;
        case ErrorCode::kTooManyRequests:
            return 429;
        case ErrorCode::kUnavailable:
            return 503;
        case ErrorCode::kInternal:
            break;
    }
    return 500;
}

bool IsCompressible(std::string_view content_type) {
    return content_type.starts_with("text/") || content_type.starts_with("application/json") ||
           content_type.find("xml") != std::string_view::npos ||
           content_type.starts_with("image/svg+xml");
}

std::string Gzip(std::string_view body) {
    std::ostringstream out;
    Poco::DeflatingOutputStream deflater(out, Poco::DeflatingStreamBuf::STREAM_GZIP, 6);
    deflater.write(body.data(), static_cast<std::streamsize>(body.size()));
    deflater.close();
    return out.str();
}

}  // namespace styrdok::server
