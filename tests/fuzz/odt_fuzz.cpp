// ODT files from anyone: text extraction answers with tidy text or a documented error,
// within its bounds. An input that starts like a zip ("PK") is the whole file; any other is
// content.xml, packed into an ODT here, so that mutations reach the XML reader instead of
// breaking the zip around it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extraction.hpp"
#include "packages.hpp"
#include "styrdok/store/extract.hpp"
#include "support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace styrdok;
    const std::string_view input = fuzz::AsText(data, size);
    if (input.starts_with("PK")) {
        fuzz::CheckExtraction(store::FileKind::kOdt, input);
    } else {
        fuzz::CheckExtraction(store::FileKind::kOdt, fuzz::OdtAround(input));
    }
    return 0;
}
