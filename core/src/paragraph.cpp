#include "styrdok/core/paragraph.hpp"

#include "styrdok/core/utf8.hpp"

namespace styrdok::core {

namespace {

constexpr std::string_view kSectionSign = "\xC2\xA7";
// Minutes copied from word processors often hold a no-break space after "§".
constexpr std::string_view kNoBreakSpace = "\xC2\xA0";
// Paragraphs are numbered per body and year, so five digits is far beyond any real one
// and keeps the value well inside an int.
constexpr std::size_t kMaxDigits = 5;

void SkipSpaces(std::string_view& text) noexcept {
    while (true) {
        if (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
            text.remove_prefix(1);
        } else if (text.starts_with(kNoBreakSpace)) {
            text.remove_prefix(kNoBreakSpace.size());
        } else {
            return;
        }
    }
}

bool ConsumeWordIgnoringCase(std::string_view& text, std::string_view lower_word) noexcept {
    if (text.size() < lower_word.size()) return false;
    for (std::size_t i = 0; i < lower_word.size(); ++i) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != lower_word[i]) return false;
    }
    text.remove_prefix(lower_word.size());
    return true;
}

}  // namespace

std::optional<int> ParseParagraph(std::string_view text) {
    text = Trim(text);
    if (text.starts_with(kSectionSign)) {
        text.remove_prefix(kSectionSign.size());
        // "§§ 139" is how a paragraph reference is sometimes written when a decision spans
        // several paragraphs; only a single number is accepted after it.
        if (text.starts_with(kSectionSign)) text.remove_prefix(kSectionSign.size());
        SkipSpaces(text);
    } else if (ConsumeWordIgnoringCase(text, "paragraf")) {
        SkipSpaces(text);
    }
    if (text.empty() || text.size() > kMaxDigits) return std::nullopt;
    int value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    if (value == 0) return std::nullopt;
    return value;
}

}  // namespace styrdok::core
