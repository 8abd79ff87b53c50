#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "styrdok/core/text_limits.hpp"

namespace styrdok::store {

/// The kinds of original file Styrdok reads text from.
enum class FileKind { kPdf, kDocx, kOdt, kMarkdown, kPlainText, kUnknown };

/// By file name extension, case-insensitively.
FileKind FileKindOf(const std::filesystem::path& file);

/// Bounds on one extraction of a PDF, DOCX or ODT, so that a hostile file costs no more
/// than a large honest one. The defaults are what the import and the server use; tests
/// lower them to reach a bound with a small file.
struct ExtractLimits {
    /// Bytes of extracted text: the most a document's text may hold when it is saved
    /// (core::TextLimits::max_bytes), so that a file whose text could not be saved anyway is
    /// refused while it is read, with the same figure.
    std::size_t max_text_bytes = core::TextLimits{}.max_bytes;
    /// Nesting of elements in a DOCX's or ODT's XML.
    int max_depth = 200;
    /// Cells of one table as it is written out: its rows times its widest row.
    std::size_t max_table_cells = 250'000;
    /// Pages of a PDF.
    int max_pages = 5'000;
    /// Time for one extraction, once it has a slot (ExtractionSlot).
    std::chrono::milliseconds max_time{15'000};
    /// Time to wait for a slot when every one is taken.
    std::chrono::milliseconds slot_wait{3'000};
};

/// Extracts the text of an original file as Markdown-safe plain text (paragraphs separated
/// by blank lines), using poppler for PDF and libzip + pugixml for DOCX/ODT. Every problem
/// is a one-line Swedish message for the person who chose the file ("Filen är ingen PDF.").
/// Throws Error(kBadInput) when the bytes are not what the name says, the file is
/// encrypted, nested deeper than `limits.max_depth` or the text is not valid UTF-8;
/// Error(kTooLarge) when the file passes another bound of `limits` (text, table cells,
/// pages, time, the size of its XML); Error(kTooManyRequests) when no ExtractionSlot frees
/// within `limits.slot_wait`. Markdown and plain text are passed through without a slot.
/// Thread-safe.
std::string ExtractText(FileKind kind, std::string_view bytes, const ExtractLimits& limits = {});

/// One of the places for extractions that the process runs at once: as many as the machine
/// has hardware threads (at least one), shared by every caller in the process, so that a
/// burst of uploads or an import beside the server cannot take every core and all memory.
/// ExtractText holds one while it reads a PDF, DOCX or ODT; hold one yourself only to keep
/// extractions out (tests do). Thread-safe; not copyable.
class ExtractionSlot {
public:
    /// Waits up to `wait` for a free place. Throws Error(kTooManyRequests) ("Servern läser
    /// redan in många filer. Försök igen om en stund.") when none frees in time.
    explicit ExtractionSlot(std::chrono::milliseconds wait);
    ~ExtractionSlot();
    ExtractionSlot(const ExtractionSlot&) = delete;
    ExtractionSlot& operator=(const ExtractionSlot&) = delete;

    /// How many places the process has.
    static std::size_t Capacity();
};

}  // namespace styrdok::store
