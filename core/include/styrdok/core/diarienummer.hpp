#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace styrdok::core {

/// A diarienummer as written ("KS/2009:50", "KS 2017/00064", "0110/18", "KS 2016-254/322")
/// with its parts. There is no national format, so `original` is always kept.
struct Diarienummer {
    std::string original;
    std::string unit;         ///< upper case, no separators ("KS", "BUN"); may be empty
    int year = 0;             ///< four digits; two-digit years are 20YY
    long serial = 0;          ///< leading zeros dropped
    std::optional<long> sub;  ///< sub-number, as 322 in "KS 2016-254/322"

    /// The normalised key: every spelling of one number has the same key ("KS-2009-50",
    /// "2018-110", "KS-2016-254-322"). Lower-case ASCII letters, digits and '-'.
    std::string Key() const;
};

/// Parses a diarienummer; nullopt when the text does not follow any known pattern.
std::optional<Diarienummer> ParseDiarienummer(std::string_view text);

/// The key to index and match a diarienummer by: the parsed key when it parses, otherwise
/// the trimmed, case-folded original, so that an unusual number still matches itself exactly.
std::string DiarienummerKey(std::string_view text);

}  // namespace styrdok::core
