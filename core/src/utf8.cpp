#include "styrdok/core/utf8.hpp"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

#include "styrdok/core/error.hpp"

namespace styrdok::core {

namespace {

// The length of the well-formed UTF-8 sequence at `p`, or 0 when the bytes there are none.
std::size_t SequenceLength(const unsigned char* p, const unsigned char* end) noexcept {
    const unsigned char lead = *p;
    if (lead < 0x80) return 1;
    // The ranges of the second byte follow RFC 3629's table: they exclude overlong forms
    // (E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and code points above U+10FFFF
    // (F4 90..BF), so no decoded value has to be checked afterwards.
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;
        if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;
        if (lead == 0xF4) high = 0x8F;
    } else {
        return 0;
    }
    if (static_cast<std::size_t>(end - p) < length) return 0;
    if (p[1] < low || p[1] > high) return 0;
    for (std::size_t i = 2; i < length; ++i) {
        if (p[i] < 0x80 || p[i] > 0xBF) return 0;
    }
    return length;
}

}  // namespace

bool IsValidUtf8(std::string_view text) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    while (p < end) {
        const std::size_t length = SequenceLength(p, end);
        if (length == 0) return false;
        p += length;
    }
    return true;
}

std::string RepairUtf8(std::string_view text) {
    std::string repaired;
    repaired.reserve(text.size());
    const auto* begin = reinterpret_cast<const unsigned char*>(text.data());
    const auto* p = begin;
    const auto* end = p + text.size();
    while (p < end) {
        const std::size_t length = SequenceLength(p, end);
        if (length == 0) {
            repaired += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
            ++p;
        } else {
            repaired.append(text.substr(static_cast<std::size_t>(p - begin), length));
            p += length;
        }
    }
    return repaired;
}

std::string FoldCase(std::string_view text) {
    utf8proc_uint8_t* folded = nullptr;
    const utf8proc_ssize_t length = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
        static_cast<utf8proc_ssize_t>(text.size()), &folded,
        static_cast<utf8proc_option_t>(UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_STABLE));
    if (length < 0) {
        throw Error(ErrorCode::kBadInput, "text is not valid UTF-8");
    }
    const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(folded, &std::free);
    return std::string(reinterpret_cast<const char*>(folded), static_cast<std::size_t>(length));
}

std::string_view Trim(std::string_view text) noexcept {
    constexpr std::string_view kSpace = " \t\n\r\f\v";
    const auto first = text.find_first_not_of(kSpace);
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(kSpace);
    return text.substr(first, last - first + 1);
}

}  // namespace styrdok::core
