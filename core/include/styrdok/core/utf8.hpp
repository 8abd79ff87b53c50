#pragma once

#include <string>
#include <string_view>

namespace styrdok::core {

/// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or stray bytes).
bool IsValidUtf8(std::string_view text) noexcept;

/// `text` with each byte that begins no well-formed UTF-8 sequence replaced by U+FFFD, as a
/// browser shows it: for what is shown but was never checked (a text committed with git).
std::string RepairUtf8(std::string_view text);

/// Unicode case folding, NFC-composed ("Å" → "å"), for matching names and keys. Throws
/// styrdok::Error(kBadInput) when `text` is not valid UTF-8.
std::string FoldCase(std::string_view text);

/// Strips ASCII white space at both ends.
std::string_view Trim(std::string_view text) noexcept;

}  // namespace styrdok::core
