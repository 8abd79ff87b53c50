#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace styrdok::store {

/// The kinds of original file Styrdok reads text from.
enum class FileKind { kPdf, kDocx, kOdt, kMarkdown, kPlainText, kUnknown };

/// By file name extension, case-insensitively.
FileKind FileKindOf(const std::filesystem::path& file);

/// Extracts the text of an original file as Markdown-safe plain text (paragraphs separated
/// by blank lines), using poppler for PDF and libzip + pugixml for DOCX/ODT. Throws
/// Error(kBadInput) when the bytes are not what the name says ("not a PDF"), the file is
/// encrypted or the text is not valid UTF-8.
std::string ExtractText(FileKind kind, std::string_view bytes);

}  // namespace styrdok::store
