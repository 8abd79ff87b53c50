#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace styrdok::core {

/// How a municipality writes a number of two groups whose first has four digits and whose
/// second has two ("2019/17"). There is no national format, so the schema says.
enum class DnrStyle {
    /// Year first: a four-digit first group that reads as a year (1900–2099) is the year,
    /// so "2019/17" is serial 17 of 2019 ("KS/2009:50", "KS 2009/0050"). A first group that
    /// is no year leaves serial/year: "0110/18" is serial 110 of 2018.
    kYearSerial,
    /// Serial first: `NNNN/YY` is serial/year whatever NNNN is, so "2019/17" is serial 2019
    /// of 2017 and not the same number as "0017/19". Other forms read as in kYearSerial.
    kSerialYear,
};

/// A diarienummer as written ("KS/2009:50", "KS 2017/00064", "0110/18", "KS 2016-254/322")
/// with its parts. There is no national format, so `original` is always kept.
struct Diarienummer {
    std::string original;
    std::string unit;  ///< upper case, no separators ("KS", "BUN", "ÖFN"); may be empty
    int year = 0;      ///< four digits; a two-digit year is the latest not after the reference
    long serial = 0;   ///< leading zeros dropped
    std::optional<long> sub;  ///< sub-number, as 322 in "KS 2016-254/322"

    /// The normalised key: every spelling of one number has the same key ("ks-2009-50",
    /// "2018-110", "ks-2016-254-322", "öfn-2023-4"). Lower-case letters
    /// (a–z, å, ä, ö: Ä is a letter of its own, not A), digits and '-', in UTF-8.
    std::string Key() const;
};

/// Parses a diarienummer written in `style`; nullopt when the text does not follow any known
/// pattern. A two-digit year is the latest year not after `reference_year` that ends in it
/// (with 2025: 98 → 1998, 19 → 2019, 25 → 2025). Pure.
///
/// Index keys depend on `reference_year` only through two-digit years, and a real number's
/// year is never in the future: its reading stays the same for a century, whenever it is
/// indexed or searched for. Only a two-digit year ahead of the reference (a slip) reads as a
/// century back and changes once that year comes.
std::optional<Diarienummer> ParseDiarienummer(std::string_view text, DnrStyle style,
                                              int reference_year);

/// ParseDiarienummer in kYearSerial style with this year by the system clock (UTC) as the
/// reference.
std::optional<Diarienummer> ParseDiarienummer(std::string_view text);

/// The key to index and match a diarienummer by: the parsed key when it parses, otherwise
/// the trimmed, case-folded original, so that an unusual number still matches itself exactly.
/// Pure; see ParseDiarienummer for `style` and `reference_year`.
std::string DiarienummerKey(std::string_view text, DnrStyle style, int reference_year);

/// DiarienummerKey in kYearSerial style with this year by the system clock (UTC).
std::string DiarienummerKey(std::string_view text);

}  // namespace styrdok::core
