// metadata.xml from anywhere: reading never throws or crashes, and whatever reads without
// problems is written back and read again to the same metadata.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "styrdok/core/metadata_xml.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace styrdok::core;
    std::string_view xml(reinterpret_cast<const char*>(data), size);
    MetadataParseResult first = ParseMetadataXml(xml);
    if (!first.problems.empty()) return 0;
    std::string written = WriteMetadataXml(first.metadata);
    MetadataParseResult second = ParseMetadataXml(written);
    if (!second.problems.empty() || !(second.metadata == first.metadata)) std::abort();
    if (WriteMetadataXml(second.metadata) != written) std::abort();
    return 0;
}
