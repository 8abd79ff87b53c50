#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace styrdok {

/// What went wrong, in the terms a caller acts on. The HTTP layer maps each code to one
/// status (bad input 400, not found 404, conflict 409, stale version 412, …).
enum class ErrorCode {
    kBadInput,
    kNotFound,
    kConflict,
    kStaleVersion,
    kUnauthorized,
    kForbidden,
    kTooLarge,
    kTooManyRequests,  ///< too many failed sign-ins: wait and try again
    kInternal,
};

/// Stable lower-case name of a code ("bad_input", "stale_version", …), used in JSON errors.
std::string_view ErrorCodeName(ErrorCode code);

/// The one exception type of Styrdok. `what()` is a one-line message fit for a user; it
/// never carries a library's internals for codes other than kInternal.
class Error : public std::runtime_error {
public:
    Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}

    ErrorCode code() const noexcept { return code_; }

private:
    ErrorCode code_;
};

}  // namespace styrdok
