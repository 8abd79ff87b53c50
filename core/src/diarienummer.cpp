#include "styrdok/core/diarienummer.hpp"

#include <chrono>

#include "styrdok/core/utf8.hpp"

namespace styrdok::core {

// How a diarienummer is read. There is no national format, so these rules pick one
// reading where spellings overlap and refuse text they cannot read with confidence; such
// text is matched verbatim (DiarienummerKey) instead of being guessed at.
//
//   [dnr] [UNIT] G1 sep G2 [sep G3]
//
// - An optional leading "dnr" / "diarienummer" (any case, followed by space, ':' or '.')
//   is dropped: it names the field, not the number.
// - UNIT is one to three groups of letters (A–Z, Å, Ä, Ö, any case) joined by a single
//   space, '.' or '-', at most 12 letters in all ("KS", "BUN", "KS-AU"); it is stored in
//   upper case without the joins. It may touch the digits ("KS2009/50") or be followed by
//   separators ("KS/2009:50", "KS.2020.0123").
// - G1..G3 are runs of 1–9 digits; between two of them stands one of '/', ':', '-', '.'
//   (spaces around it allowed) or a run of spaces.
// - In DnrStyle::kSerialYear, exactly two groups of which G2 has two digits are SERIAL/YY,
//   whatever G1 is: "2019/17" is serial 2019 of 2017.
// - Otherwise, if G1 has four digits and reads as a year 1900–2099, the number is YEAR sep
//   SERIAL [sep SUB]: "KS 2016-254/322" is serial 254 of 2016 with sub-number 322. In
//   DnrStyle::kYearSerial this reading wins over the next one, so "1999/12" is serial 12 of
//   1999, not serial 1999 of 2012.
// - Otherwise, if there are exactly two groups and G2 has two digits, the number is
//   SERIAL/YY: "0110/18" is serial 110 of 2018.
// - A two-digit year is the latest year not after the reference year that ends in it: the
//   number was registered some time up to now, and a rolling century is the only reading
//   that stays right as the years pass (98 → 1998, 19 → 2019).
// - Anything else (a lone number, a year-less serial, "18/0110", a third group after a
//   SERIAL/YY, trailing text, serial or sub-number 0) does not parse.
namespace {

constexpr std::size_t kMaxUnitLetters = 12;
constexpr int kMaxUnitGroups = 3;
constexpr std::size_t kMaxDigits = 9;

bool IsAsciiLetter(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) noexcept { return c >= '0' && c <= '9'; }
bool IsNumberSeparator(char c) noexcept { return c == '/' || c == ':' || c == '-' || c == '.'; }

// Reads left to right over the trimmed text; every step either consumes or leaves `rest`
// untouched, so a failed optional step costs nothing.
class Scanner {
public:
    explicit Scanner(std::string_view text) : rest_(text) {}

    bool AtEnd() const noexcept { return rest_.empty(); }
    bool AtDigit() const noexcept { return !rest_.empty() && IsDigit(rest_.front()); }

    void SkipSpaces() noexcept {
        while (!rest_.empty() && rest_.front() == ' ') rest_.remove_prefix(1);
    }

    void SkipFieldName() noexcept {
        for (std::string_view name : {"diarienummer", "dnr"}) {
            if (rest_.size() <= name.size()) continue;
            bool same = true;
            for (std::size_t i = 0; i < name.size(); ++i) {
                const char c = rest_[i];
                const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
                if (lower != name[i]) same = false;
            }
            const char after = rest_[name.size()];
            if (same && (after == ' ' || after == ':' || after == '.')) {
                rest_.remove_prefix(name.size() + 1);
                while (!rest_.empty() && (rest_.front() == ' ' || rest_.front() == ':')) {
                    rest_.remove_prefix(1);
                }
                return;
            }
        }
    }

    // Appends the upper-case letter at the front to `unit` and consumes it.
    bool TakeLetter(std::string& unit) {
        if (rest_.empty()) return false;
        const char c = rest_.front();
        if (IsAsciiLetter(c)) {
            unit.push_back(c >= 'a' ? static_cast<char>(c - 'a' + 'A') : c);
            rest_.remove_prefix(1);
            return true;
        }
        // å ä ö and Å Ä Ö are C3 followed by A5 A4 B6 / 85 84 96; upper case clears 0x20.
        if (rest_.size() >= 2 && static_cast<unsigned char>(c) == 0xC3) {
            const auto second = static_cast<unsigned char>(rest_[1]);
            const unsigned char upper = second & ~0x20u;
            if (upper == 0x85 || upper == 0x84 || upper == 0x96) {
                unit.push_back(c);
                unit.push_back(static_cast<char>(upper));
                rest_.remove_prefix(2);
                return true;
            }
        }
        return false;
    }

    // Reads UNIT and the separators after it; false when letters are there but do not
    // form a unit. Leaves `unit` empty when the text starts with a digit.
    bool TakeUnit(std::string& unit, std::size_t& letters) {
        int groups = 0;
        while (true) {
            std::size_t group_letters = 0;
            while (TakeLetter(unit)) ++group_letters;
            if (group_letters == 0) return groups == 0 && AtDigit();
            letters += group_letters;
            if (++groups > kMaxUnitGroups || letters > kMaxUnitLetters) return false;
            // Separators after a group lead either to the digits or to the next group.
            std::size_t skipped = 0;
            while (!rest_.empty() && (rest_.front() == ' ' || IsNumberSeparator(rest_.front()))) {
                rest_.remove_prefix(1);
                ++skipped;
            }
            if (AtDigit()) return true;
            if (skipped != 1) return false;
        }
    }

    std::optional<std::string_view> TakeDigits() noexcept {
        std::size_t n = 0;
        while (n < rest_.size() && IsDigit(rest_[n])) ++n;
        if (n == 0 || n > kMaxDigits) return std::nullopt;
        const std::string_view digits = rest_.substr(0, n);
        rest_.remove_prefix(n);
        return digits;
    }

    // One separator between digit groups; false (consuming nothing useful) when absent.
    bool TakeNumberSeparator() noexcept {
        const std::string_view before = rest_;
        SkipSpaces();
        if (!rest_.empty() && IsNumberSeparator(rest_.front())) {
            rest_.remove_prefix(1);
            SkipSpaces();
        }
        if (rest_.size() == before.size() || !AtDigit()) {
            rest_ = before;
            return false;
        }
        return true;
    }

private:
    std::string_view rest_;
};

long ToNumber(std::string_view digits) noexcept {
    long value = 0;
    for (char c : digits) value = value * 10 + (c - '0');
    return value;
}

constexpr int kYearsPerCentury = 100;

int ExpandTwoDigitYear(int two_digits, int reference_year) noexcept {
    // The modulo of a negative number is negative in C++: shift it into 0..99.
    const int back =
        ((reference_year - two_digits) % kYearsPerCentury + kYearsPerCentury) % kYearsPerCentury;
    return reference_year - back;
}

int ThisYear() {
    const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    return static_cast<int>(std::chrono::year_month_day(today).year());
}

}  // namespace

std::string Diarienummer::Key() const {
    std::string key;
    for (std::size_t i = 0; i < unit.size(); ++i) {
        const auto c = static_cast<unsigned char>(unit[i]);
        if (c >= 'A' && c <= 'Z') {
            key.push_back(static_cast<char>(c - 'A' + 'a'));
        } else if (c >= 'a' && c <= 'z') {
            key.push_back(static_cast<char>(c));
        } else if (c == 0xC3 && i + 1 < unit.size()) {
            // Å, Ä and Ö are letters of their own in Swedish (ÄN is not AN): they stay,
            // in lower case (0x20 set in the second byte: C3 85 → C3 A5).
            key.push_back(static_cast<char>(c));
            key.push_back(static_cast<char>(static_cast<unsigned char>(unit[++i]) | 0x20u));
        }
    }
    if (!key.empty()) key.push_back('-');
    // Appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict for "-" + string.
    key += std::to_string(year);
    key += '-';
    key += std::to_string(serial);
    if (sub) {
        key += '-';
        key += std::to_string(*sub);
    }
    return key;
}

std::optional<Diarienummer> ParseDiarienummer(std::string_view text, DnrStyle style,
                                              int reference_year) {
    const std::string_view trimmed = Trim(text);
    if (!IsValidUtf8(trimmed)) return std::nullopt;
    Scanner scan(trimmed);
    scan.SkipFieldName();

    Diarienummer result;
    result.original = std::string(text);
    std::size_t letters = 0;
    if (!scan.TakeUnit(result.unit, letters)) return std::nullopt;

    std::string_view groups[3];
    std::size_t count = 0;
    while (count < 3) {
        const auto digits = scan.TakeDigits();
        if (!digits) return std::nullopt;
        groups[count++] = *digits;
        if (!scan.TakeNumberSeparator()) break;
    }
    scan.SkipSpaces();
    if (!scan.AtEnd() || count < 2) return std::nullopt;

    const long first = ToNumber(groups[0]);
    const bool serial_slash_yy = count == 2 && groups[1].size() == 2;
    const bool year_first = groups[0].size() == 4 && first >= 1900 && first <= 2099;
    if (year_first && !(serial_slash_yy && style == DnrStyle::kSerialYear)) {
        result.year = static_cast<int>(first);
        result.serial = ToNumber(groups[1]);
        if (count == 3) result.sub = ToNumber(groups[2]);
    } else if (serial_slash_yy) {
        result.year = ExpandTwoDigitYear(static_cast<int>(ToNumber(groups[1])), reference_year);
        result.serial = first;
    } else {
        return std::nullopt;
    }
    if (result.serial == 0 || (result.sub && *result.sub == 0)) return std::nullopt;
    return result;
}

std::optional<Diarienummer> ParseDiarienummer(std::string_view text) {
    return ParseDiarienummer(text, DnrStyle::kYearSerial, ThisYear());
}

std::string DiarienummerKey(std::string_view text, DnrStyle style, int reference_year) {
    if (const auto parsed = ParseDiarienummer(text, style, reference_year)) return parsed->Key();
    const std::string_view trimmed = Trim(text);
    // Folding needs UTF-8; bytes that are not stay as they are, still matching themselves.
    if (!IsValidUtf8(trimmed)) return std::string(trimmed);
    return FoldCase(trimmed);
}

std::string DiarienummerKey(std::string_view text) {
    return DiarienummerKey(text, DnrStyle::kYearSerial, ThisYear());
}

}  // namespace styrdok::core
