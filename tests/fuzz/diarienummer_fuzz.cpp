// Diarienummer and paragraphs as typed by anyone: parsing never throws, a parsed number's
// key is made of [a-z0-9-] and survives being parsed again from its original.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "styrdok/core/diarienummer.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/paragraph.hpp"
#include "styrdok/core/utf8.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace styrdok::core;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    ParseParagraph(text);
    if (auto parsed = ParseDiarienummer(text)) {
        std::string key = parsed->Key();
        for (char c : key) {
            bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            if (!allowed) std::abort();
        }
        if (DiarienummerKey(text) != key) std::abort();
    } else {
        try {
            DiarienummerKey(text);
        } catch (const styrdok::Error& error) {
            // Only text that is not UTF-8 may be refused, and only as bad input.
            if (error.code() != styrdok::ErrorCode::kBadInput || IsValidUtf8(text)) std::abort();
        }
    }
    return 0;
}
