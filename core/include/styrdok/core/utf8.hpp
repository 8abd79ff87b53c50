#pragma once

#include <string>
#include <string_view>

namespace styrdok::core {

/// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or stray bytes).
bool IsValidUtf8(std::string_view text) noexcept;

/// Unicode case folding, NFC-composed ("Å" → "å"), for matching names and keys. Throws
/// styrdok::Error(kBadInput) when `text` is not valid UTF-8.
std::string FoldCase(std::string_view text);

/// Strips ASCII white space at both ends.
std::string_view Trim(std::string_view text) noexcept;

}  // namespace styrdok::core
