#pragma once

#include <chrono>
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
    kUnavailable,      ///< too busy to do it now: try again later (nothing was done)
    kInternal,
};

/// Stable lower-case name of a code ("bad_input", "stale_version", …), used in JSON errors.
std::string_view ErrorCodeName(ErrorCode code);

/// The one exception type of Styrdok. `what()` is a one-line message fit for a user; it
/// never carries a library's internals for codes other than kInternal.
class Error : public std::runtime_error {
public:
    Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
    /// An error that passes: the caller may try again after `retry_after` (kTooManyRequests,
    /// kUnavailable; HTTP sends it as Retry-After).
    Error(ErrorCode code, const std::string& message, std::chrono::seconds retry_after)
        : std::runtime_error(message), code_(code), retry_after_(retry_after) {}

    ErrorCode code() const noexcept { return code_; }
    /// When to try again; zero when the error does not say.
    std::chrono::seconds retry_after() const noexcept { return retry_after_; }

private:
    ErrorCode code_;
    std::chrono::seconds retry_after_{0};
};

}  // namespace styrdok
