#pragma once

// What the DOCX, ODT and PDF targets check: ExtractText answers every file with text fit to
// be stored as text.md, or with one of the errors it documents, within its bounds.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "styrdok/core/error.hpp"
#include "styrdok/core/utf8.hpp"
#include "styrdok/store/extract.hpp"
#include "support.hpp"

namespace styrdok::fuzz {

/// Bounds far below the defaults, so that small inputs reach them. The time bound is a third
/// of the per-input timeout scripts/fuzz gives libFuzzer: an input that runs into the
/// timeout is one the bound failed to stop.
inline store::ExtractLimits FuzzExtractLimits() {
    store::ExtractLimits limits;
    limits.max_text_bytes = std::size_t{256} << 10;
    limits.max_depth = 64;
    limits.max_table_cells = 10'000;
    limits.max_pages = 50;
    limits.max_time = std::chrono::milliseconds(5'000);
    limits.slot_wait = std::chrono::milliseconds(5'000);
    return limits;
}

/// Checks text as ExtractText promises it: UTF-8, trimmed lines without control characters
/// or runs of spaces, paragraphs separated by exactly one blank line, a final line end, and
/// no bigger than its bound allows (every block spends at least one byte of it and adds at
/// most two of separation).
inline void CheckExtractedText(std::string_view text, std::size_t max_text_bytes) {
    Expect(core::IsValidUtf8(text), "extracted text is UTF-8");
    Expect(text.size() <= 3 * max_text_bytes, "extracted text stays within its bound");
    if (text.empty()) return;
    Expect(text.back() == '\n', "extracted text ends with a line end");
    Expect(text.front() != '\n', "extracted text starts with text");
    Expect(text.find("\n\n\n") == std::string_view::npos, "at most one blank line in a row");
    Expect(text.find("  ") == std::string_view::npos, "runs of spaces are collapsed");
    Expect(text.find(" \n") == std::string_view::npos, "lines have no trailing space");
    Expect(text.find("\n ") == std::string_view::npos, "lines have no leading space");
    Expect(text.front() != ' ', "the first line has no leading space");
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        Expect(c == '\n' || (byte >= 0x20 && byte != 0x7F), "no control characters");
    }
}

/// Extracts `bytes` as `kind` under FuzzExtractLimits and checks the outcome: text as
/// CheckExtractedText wants it, or Error(kBadInput) or Error(kTooLarge) with a one-line
/// message. Returns the text; none after an error.
inline std::string CheckExtraction(store::FileKind kind, std::string_view bytes) {
    const store::ExtractLimits limits = FuzzExtractLimits();
    try {
        std::string text = store::ExtractText(kind, bytes, limits);
        CheckExtractedText(text, limits.max_text_bytes);
        return text;
    } catch (const Error& error) {
        ExpectCode(error, {ErrorCode::kBadInput, ErrorCode::kTooLarge});
        ExpectMessage(error.what());
        return {};
    }
}

}  // namespace styrdok::fuzz
