#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "styrdok/store/extract.hpp"

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

/// A page whose text layer holds fewer letters than this is taken for a scan (what is left
/// is a page number, a stamp); ReadPdf reads it through OCR.
inline constexpr std::size_t kMinPageLetters = 20;

/// The text of a PDF read page by page, and which pages OCR read.
struct PdfText {
    std::string text;        ///< pages in order, separated by a blank line, valid UTF-8
    int pages_total = 0;     ///< pages the file has
    int pages_by_ocr = 0;    ///< pages whose text is what OCR read of them
    int pages_scanned = 0;   ///< pages within `max_pages` without a text layer, read or not
    bool timed_out = false;  ///< OCR's max_time ran out before every scanned page was read
    /// The pages' text layers alone: `text` as it would be without OCR.
    std::string text_layer;
    /// Why OCR read none of the scanned pages of a PDF that has a text layer elsewhere
    /// (tesseract missing, no ExtractionSlot free): the text layer is kept and this says so.
    std::string ocr_problem;

    /// Whether some of `text` was read by OCR (and may hold its misreadings).
    bool read_by_ocr() const { return pages_by_ocr > 0; }
};

/// Reads a PDF's text as `styrdok propose` needs it: each page's text layer, and for each
/// page among the first `limits.max_pages` whose text layer has fewer than kMinPageLetters
/// letters (a whole scan, or scanned pages behind a typed cover) what OCR reads of it
/// instead, when that is more. The text layer is read within `extract`'s bounds
/// (ExtractText's errors); OCR within `limits` (OcrPdf's errors), the deadline counted from
/// when it gets its ExtractionSlot, and the two never hold a slot at once; when OCR fails
/// for a PDF with a text layer of at least kMinPageLetters letters, the layer is returned and
/// `ocr_problem` says why, so that a typed PDF with a blank page is not lost for want of
/// tesseract. With `ocr` false no page is read through OCR (pages_scanned still counts them).
/// Thread-safe.
PdfText ReadPdf(std::string_view bytes, const OcrLimits& limits = {}, bool ocr = true,
                const ExtractLimits& extract = {});

}  // namespace styrdok::store
