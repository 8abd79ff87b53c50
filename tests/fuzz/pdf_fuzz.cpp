// PDF files from anyone: text extraction answers with tidy text or a documented error,
// within its bounds. poppler is a system library built without instrumentation: coverage
// guides the fuzzer only through Styrdok's side of the reading, and the sanitizers see
// poppler's own memory faults only where they pass libc calls they intercept. The text's
// length and line count are features for the fuzzer, a hint of how far poppler got.
#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>

#include "extraction.hpp"
#include "styrdok/store/extract.hpp"
#include "support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace styrdok;
    const std::string text = fuzz::CheckExtraction(store::FileKind::kPdf, fuzz::AsText(data, size));
    fuzz::Cover(fuzz::FeatureOf("bytes") + std::bit_width(text.size()));
    fuzz::Cover(fuzz::FeatureOf("lines") + std::bit_width(static_cast<std::size_t>(
                                               std::count(text.begin(), text.end(), '\n'))));
    return 0;
}
