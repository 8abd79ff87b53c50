// Request targets from anyone: ParseTarget splits a target into UTF-8 path segments, none
// empty, and UTF-8 query parameters, or refuses it as bad input.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http.hpp"
#include "request_handler.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/utf8.hpp"
#include "support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace styrdok;
    const std::string_view target = fuzz::AsText(data, size);
    server::Request request;
    try {
        server::ParseTarget(target, request);
    } catch (const Error& error) {
        fuzz::ExpectCode(error, {ErrorCode::kBadInput});
        fuzz::ExpectMessage(error.what());
        return 0;
    }
    const std::string_view path = target.substr(0, target.find('?'));
    fuzz::Expect(request.segments.size() <=
                     static_cast<std::size_t>(std::count(path.begin(), path.end(), '/')),
                 "no more segments than slashes");
    for (const std::string& segment : request.segments) {
        fuzz::Expect(!segment.empty() && core::IsValidUtf8(segment), "segments are UTF-8");
    }
    for (const auto& [name, value] : request.query) {
        fuzz::Expect(core::IsValidUtf8(name) && core::IsValidUtf8(value),
                     "query parameters are UTF-8");
    }
    return 0;
}
