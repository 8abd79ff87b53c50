#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace styrdok::server {

/// What the bytes received so far on a connection say about its next request's head.
struct RequestHead {
    enum class State {
        kIncomplete,  ///< the blank line that ends the head has not come yet
        kComplete,    ///< Poco can read the whole head from these bytes without waiting
        kMalformed,   ///< not an HTTP/1.x request head (answer 400)
    };
    State state = State::kIncomplete;
    /// Bytes of the head, its blank line included (kComplete only).
    std::size_t size = 0;
    /// The body's length when the head states it plainly: one Content-Length of digits, and
    /// neither Transfer-Encoding nor Expect nor a folded line; nullopt otherwise.
    std::optional<std::uint64_t> body_length;
};

/// Looks at the first bytes of a request as Poco 1.11's HTTPRequest::read will read them: leading
/// white space, a request line of at least three words (method, target, version) and header
/// lines up to an empty one ("\r\n" or "\n"). kComplete promises that Poco reads no byte
/// beyond `size` for the head, so a thread given the connection never waits for the head; a
/// request line with fewer words (Poco would read the missing ones from the following lines)
/// and a line that starts with a bare CR are kMalformed. Pure; never throws.
RequestHead ScanRequestHead(std::string_view bytes);

}  // namespace styrdok::server
