#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace styrdok::core {

/// A minute's paragraph as written, and what it says.
struct Paragraph {
    std::string original;  ///< the text as given, untrimmed
    int number = 0;        ///< 139 in "§ 139", 12 in "§ 12:3", 45 in "§ 45 a"
    /// What follows the number, without the spaces before it: ":3" in "§ 12:3" (item 3 of
    /// paragraph 12), "a" in "§ 45 a" (a paragraph added after 45); empty for most.
    std::string rest;
};

/// Reads a paragraph written as "§ 139", "§139", "139", "paragraf 139" or "§§ 139"
/// (case-insensitive, surrounding space ignored), optionally followed by ":N" ("§ 12:3") or
/// one letter, with or without a space ("§ 45 a", "§ 45a"); nullopt for anything else.
std::optional<Paragraph> ParseParagraph(std::string_view text);

}  // namespace styrdok::core
