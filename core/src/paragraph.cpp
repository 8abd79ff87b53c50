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

bool IsDigit(char c) noexcept { return c >= '0' && c <= '9'; }

// What may follow the number: nothing; ":" and an item number ("§ 12:3"); or one letter,
// with or without a space, for a paragraph inserted after another ("§ 45 a"). Ranges and
// lists ("§ 139-140", "§§ 139, 140") name several decisions and are refused.
bool IsRest(std::string_view rest) noexcept {
    if (rest.empty()) return true;
    if (rest.front() == ':') {
        rest.remove_prefix(1);
        if (rest.empty() || rest.size() > kMaxDigits) return false;
        for (char c : rest) {
            if (!IsDigit(c)) return false;
        }
        return true;
    }
    SkipSpaces(rest);
    return rest.size() == 1 &&
           ((rest[0] >= 'a' && rest[0] <= 'z') || (rest[0] >= 'A' && rest[0] <= 'Z'));
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

std::optional<Paragraph> ParseParagraph(std::string_view text) {
    Paragraph paragraph;
    paragraph.original = std::string(text);
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
    std::size_t digits = 0;
    while (digits < text.size() && IsDigit(text[digits])) ++digits;
    if (digits == 0 || digits > kMaxDigits) return std::nullopt;
    for (char c : text.substr(0, digits)) paragraph.number = paragraph.number * 10 + (c - '0');
    if (paragraph.number == 0) return std::nullopt;
    text.remove_prefix(digits);
    if (!IsRest(text)) return std::nullopt;
    SkipSpaces(text);
    paragraph.rest = std::string(text);
    return paragraph;
}

}  // namespace styrdok::core
