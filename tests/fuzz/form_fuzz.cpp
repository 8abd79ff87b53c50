// Form bodies from anyone, URL-encoded or multipart: ParseFormBody fills the form with UTF-8
// fields and uploads whose names are UTF-8, at most a thousand fields, or refuses the body
// as bad input with a one-line message. The input's first line is the Content-Type header,
// the rest the body. Poco, which reads multipart bodies, is not instrumented: the shape of
// the form it read (how many fields and files, how big) is a feature for the fuzzer instead.
#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "form.hpp"
#include "http.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/utf8.hpp"
#include "support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace styrdok;
    const std::string_view input = fuzz::AsText(data, size);
    const std::size_t line_end = input.find('\n');
    server::Request request;
    request.method = "POST";
    request.headers["content-type"] = input.substr(0, line_end);
    if (line_end != std::string_view::npos) request.body = input.substr(line_end + 1);
    try {
        server::ParseFormBody(request);
    } catch (const Error& error) {
        fuzz::ExpectCode(error, {ErrorCode::kBadInput});
        fuzz::ExpectMessage(error.what());
        return 0;
    }
    fuzz::Expect(request.form.size() <= 1000, "at most a thousand fields");
    fuzz::Cover(fuzz::FeatureOf("fields") + std::min<std::size_t>(request.form.size(), 32));
    fuzz::Cover(fuzz::FeatureOf("uploads") + std::min<std::size_t>(request.uploads.size(), 32));
    for (const auto& [name, value] : request.form) {
        fuzz::Expect(core::IsValidUtf8(name) && core::IsValidUtf8(value), "fields are UTF-8");
    }
    for (const server::Upload& upload : request.uploads) {
        fuzz::Expect(core::IsValidUtf8(upload.filename), "file names are UTF-8");
        fuzz::Cover(fuzz::FeatureOf("upload bytes") + std::bit_width(upload.bytes.size()));
    }
    return 0;
}
