#pragma once

#include <optional>
#include <string_view>

namespace styrdok::core {

/// The number of a minute's paragraph written as "§ 139", "§139", "139", "paragraf 139"
/// or "§§ 139" (case-insensitive, surrounding space ignored); nullopt for anything else.
std::optional<int> ParseParagraph(std::string_view text);

}  // namespace styrdok::core
