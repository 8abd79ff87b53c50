// Diarienummer and paragraphs as typed by anyone: parsing never throws, in either style; a
// parsed number's key is made of a–z, å, ä, ö, digits and '-' and is what DiarienummerKey
// gives for its original; only text that is not UTF-8 may be refused, and only as bad input.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "styrdok/core/diarienummer.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/paragraph.hpp"
#include "styrdok/core/utf8.hpp"
#include "support.hpp"

namespace {

using namespace styrdok;

// A fixed reference year keeps a finding reproducible whatever year it is replayed in.
constexpr int kReferenceYear = 2025;

bool IsKey(std::string_view key) {
    for (std::size_t i = 0; i < key.size(); ++i) {
        const char c = key[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') continue;
        const std::string_view letter = key.substr(i, 2);
        if (letter != "å" && letter != "ä" && letter != "ö") return false;
        ++i;
    }
    return true;
}

// The key of `text`, or nullopt when it is refused (as bad input, for text not UTF-8 only).
std::optional<std::string> KeyOf(std::string_view text, core::DnrStyle style) {
    try {
        return core::DiarienummerKey(text, style, kReferenceYear);
    } catch (const Error& error) {
        fuzz::ExpectCode(error, {ErrorCode::kBadInput});
        fuzz::Expect(!core::IsValidUtf8(text), "only text that is not UTF-8 is refused");
        return std::nullopt;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::AsText(data, size);
    core::ParseParagraph(text);
    for (const core::DnrStyle style : {core::DnrStyle::kYearSerial, core::DnrStyle::kSerialYear}) {
        const std::optional<core::Diarienummer> parsed =
            core::ParseDiarienummer(text, style, kReferenceYear);
        const std::optional<std::string> key = KeyOf(text, style);
        if (!parsed) continue;
        fuzz::Expect(IsKey(parsed->Key()), "a key is a–z, å, ä, ö, digits and '-'");
        fuzz::Expect(key == parsed->Key(), "DiarienummerKey is the parsed number's key");
    }
    return 0;
}
