#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace styrdok::store {

/// Bounds on reading a scanned PDF through OCR, the most expensive read Styrdok does (a
/// second or more a page). The defaults read what a document's metadata needs: its first
/// pages, not the whole scan.
struct OcrLimits {
    /// Pages read, from the first.
    int max_pages = 4;
    /// Resolution the pages are rendered at; tesseract reads print best at about 300 dpi.
    int dpi = 300;
    /// Pixels of one rendered page (gray, a byte each): a page larger than A3 at `dpi` is
    /// rendered at a lower resolution instead, so that a hostile page size costs no memory.
    std::size_t max_pixels = 20'000'000;
    /// Time for the whole file, once it has an ExtractionSlot. The page being read when it
    /// runs out is cut short; the text read until then is kept.
    std::chrono::milliseconds max_time{60'000};
    /// Time to wait for an ExtractionSlot.
    std::chrono::milliseconds slot_wait{3'000};
    /// Tesseract's language ("swe": Debian's tesseract-ocr-swe).
    std::string language = "swe";
};

/// The text OCR read, and how much of the file it covered.
struct OcrText {
    std::string text;        ///< pages separated by a blank line, lines trimmed, valid UTF-8
    int pages_read = 0;      ///< pages recognised (fewer than the file has past max_pages)
    int pages_total = 0;     ///< pages the file has
    bool timed_out = false;  ///< max_time ran out: `text` is what was read before
};

/// Whether OCR can run here: tesseract initialises with `language`'s data. Thread-safe.
bool OcrAvailable(const OcrLimits& limits = {});

/// Reads the text of a scanned PDF: renders its first pages with poppler and recognises them
/// with tesseract (the library, in this process). Meant for a PDF whose text layer is empty
/// (ExtractText gave no text); it does not look at the text layer. Throws Error(kBadInput)
/// when the bytes are no PDF, the file is damaged or locked (the messages of ExtractText);
/// Error(kUnavailable) when tesseract or its language data is missing;
/// Error(kTooManyRequests) when no ExtractionSlot frees within `limits.slot_wait`.
/// Thread-safe: each call has its own tesseract.
OcrText OcrPdf(std::string_view bytes, const OcrLimits& limits = {});

}  // namespace styrdok::store
