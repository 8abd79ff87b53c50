#include "styrdok/core/error.hpp"

namespace styrdok {

std::string_view ErrorCodeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::kBadInput:
            return "bad_input";
        case ErrorCode::kNotFound:
            return "not_found";
        case ErrorCode::kConflict:
            return "conflict";
        case ErrorCode::kStaleVersion:
            return "stale_version";
        case ErrorCode::kUnauthorized:
            return "unauthorized";
        case ErrorCode::kForbidden:
            return "forbidden";
        case ErrorCode::kTooLarge:
            return "too_large";
        case ErrorCode::kTooManyRequests:
            return "too_many_requests";
        case ErrorCode::kUnavailable:
            return "unavailable";
        case ErrorCode::kInternal:
            return "internal";
    }
    // Only reachable with a value cast from outside the enumeration; naming it "internal"
    // keeps the JSON error body well-formed instead of crashing the error boundary.
    return "internal";
}

}  // namespace styrdok
