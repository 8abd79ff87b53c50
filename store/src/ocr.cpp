#include "styrdok/store/ocr.hpp"

#include <omp.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pdf_pages.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/utf8.hpp"
#include "styrdok/store/extract.hpp"

namespace styrdok::store {

namespace {

using Clock = std::chrono::steady_clock;

constexpr double kPointsPerInch = 72.0;
// Below this a page's print is too small for tesseract to read anything useful.
constexpr int kMinDpi = 70;

// One tesseract, ended whatever happens.
class Tesseract {
public:
    explicit Tesseract(const std::string& language) {
        // Tesseract prints its progress and warnings to stderr; the caller reports what
        // matters itself.
        api_.SetVariable("debug_file", "/dev/null");
        if (api_.Init(nullptr, language.c_str(), tesseract::OEM_LSTM_ONLY) != 0) {
            throw Error(ErrorCode::kUnavailable,
                        "Textigenkänning (OCR) saknas: installera tesseract-ocr och "
                        "tesseract-ocr-" +
                            language + ".");
        }
        api_.SetPageSegMode(tesseract::PSM_AUTO);
    }
    ~Tesseract() { api_.End(); }
    Tesseract(const Tesseract&) = delete;
    Tesseract& operator=(const Tesseract&) = delete;

    tesseract::TessBaseAPI& api() { return api_; }

private:
    tesseract::TessBaseAPI api_;
};

// Trimmed lines, runs of blank lines as one, as ExtractText tidies a text layer.
std::string Tidy(std::string_view text) {
    std::string out;
    bool blank = false;
    while (!text.empty()) {
        const std::size_t end = std::min(text.find('\n'), text.size());
        std::string_view line = text.substr(0, end);
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
            line.remove_prefix(1);
        while (!line.empty() &&
               (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
            line.remove_suffix(1);
        }
        if (line.empty()) {
            blank = !out.empty();
        } else {
            if (blank) out += '\n';
            blank = false;
            out += line;
            out += '\n';
        }
        text.remove_prefix(std::min(end + 1, text.size()));
    }
    return out;
}

}  // namespace

bool OcrAvailable(const OcrLimits& limits) {
    try {
        Tesseract tesseract(limits.language);
        return true;
    } catch (const Error&) {
        return false;
    }
}

namespace {

// What OCR read of some pages of a PDF.
struct PagesRead {
    std::vector<std::pair<int, std::string>> pages;  ///< page index, its text (maybe empty)
    int pages_total = 0;
    bool timed_out = false;
};

// Renders and recognises `wanted` (page indices, ascending), or the first
// `limits.max_pages` pages when there is no list, within `limits`. A page that is too large
// to read at a useful resolution is left out; the page cut short by the deadline is listed
// with an empty text and ends the reading.
PagesRead OcrPages(std::string_view bytes, const OcrLimits& limits,
                   const std::optional<std::vector<int>>& wanted) {
    // The same checks and messages as the text layer's reader: a file that is no PDF is
    // refused there before OCR is ever tried, so these only guard a direct call.
    if (bytes.substr(0, 1024).find("%PDF-") == std::string_view::npos) {
        throw Error(ErrorCode::kBadInput, "Filen är ingen PDF.");
    }
    if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
        throw Error(ErrorCode::kTooLarge, "PDF-filen är för stor.");
    }
    ExtractionSlot slot(limits.slot_wait);
    const Clock::time_point deadline = Clock::now() + limits.max_time;
    static std::once_flag once;
    std::call_once(
        once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
    const std::unique_ptr<poppler::document> document(
        poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
    if (!document) throw Error(ErrorCode::kBadInput, "PDF-filen är skadad och kan inte läsas.");
    if (document->is_locked()) {
        throw Error(ErrorCode::kBadInput, "PDF-filen är låst med lösenord.");
    }
    // Debian's tesseract recognises with OpenMP threads that spin while they wait: on a
    // machine whose cores are busy a page took 7.3 s instead of 2.5. Dynamic teams let
    // OpenMP start no more threads than the load leaves cores for (libgomp reads the load
    // average), in the parallel regions this thread starts.
    omp_set_dynamic(1);
    Tesseract tesseract(limits.language);
    poppler::page_renderer renderer;
    renderer.set_image_format(poppler::image::format_gray8);
    renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);

    PagesRead result;
    result.pages_total = document->pages();
    std::vector<int> pages;
    if (wanted) {
        pages = *wanted;
    } else {
        for (int i = 0; i < std::min(result.pages_total, limits.max_pages); ++i) pages.push_back(i);
    }
    int read = 0;
    for (const int i : pages) {
        if (i < 0 || i >= result.pages_total || read >= limits.max_pages) break;
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            break;
        }
        const std::unique_ptr<poppler::page> page(document->create_page(i));
        if (!page) continue;
        const poppler::rectf box = page->page_rect();
        const double inches = (box.width() / kPointsPerInch) * (box.height() / kPointsPerInch);
        if (!(inches > 0)) continue;
        double dpi = limits.dpi;
        if (dpi * dpi * inches > static_cast<double>(limits.max_pixels)) {
            dpi = std::floor(std::sqrt(static_cast<double>(limits.max_pixels) / inches));
        }
        if (dpi < kMinDpi) continue;
        poppler::image image = renderer.render_page(page.get(), dpi, dpi);
        if (!image.is_valid() || image.format() != poppler::image::format_gray8) continue;
        tesseract::TessBaseAPI& api = tesseract.api();
        api.SetImage(reinterpret_cast<const unsigned char*>(image.const_data()), image.width(),
                     image.height(), 1, image.bytes_per_row());
        api.SetSourceResolution(static_cast<int>(dpi));
        tesseract::ETEXT_DESC monitor;
        monitor.set_deadline_msecs(
            static_cast<int32_t>(std::min<long long>(left.count(), INT32_MAX)));
        const bool recognised = api.Recognize(&monitor) == 0;
        // After a cut-short recognition GetUTF8Text would recognise the page again, without
        // the deadline: the page is dropped instead.
        if (monitor.deadline_exceeded()) result.timed_out = true;
        std::string page_text;
        if (recognised && !result.timed_out) {
            const std::unique_ptr<char[]> utf8(api.GetUTF8Text());
            if (utf8) page_text = Tidy(utf8.get());
        }
        api.Clear();
        if (!core::IsValidUtf8(page_text)) page_text = core::RepairUtf8(page_text);
        result.pages.emplace_back(i, std::move(page_text));
        ++read;
        if (result.timed_out) break;
    }
    return result;
}

// Letters a text layer or OCR gave: ASCII letters and every character beyond (å, ä, ö, é
// and the rest), counted by their first byte. Digits and punctuation are what a scanned
// page's stamp or page number leaves.
std::size_t Letters(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               static_cast<unsigned char>(c) >= 0xC0;
    }));
}

}  // namespace

OcrText OcrPdf(std::string_view bytes, const OcrLimits& limits) {
    PagesRead read = OcrPages(bytes, limits, std::nullopt);
    OcrText result;
    result.pages_total = read.pages_total;
    result.pages_read = static_cast<int>(read.pages.size());
    result.timed_out = read.timed_out;
    for (const auto& [page, text] : read.pages) {
        if (text.empty()) continue;
        if (!result.text.empty()) result.text += '\n';
        result.text += text;
    }
    return result;
}

PdfText ReadPdf(std::string_view bytes, const OcrLimits& limits, bool ocr,
                const ExtractLimits& extract) {
    std::vector<std::string> pages = detail::ExtractPdfPages(bytes, extract);
    PdfText result;
    result.pages_total = static_cast<int>(pages.size());
    std::size_t bytes_of_text = 0;
    for (const std::string& page : pages) bytes_of_text += page.size() + 1;
    std::vector<int> scanned;
    for (int i = 0; i < std::min(result.pages_total, limits.max_pages); ++i) {
        if (Letters(pages[static_cast<std::size_t>(i)]) < kMinPageLetters) scanned.push_back(i);
    }
    result.pages_scanned = static_cast<int>(scanned.size());
    std::size_t layer_letters = 0;
    for (const std::string& page : pages) {
        layer_letters += Letters(page);
        if (page.empty()) continue;
        if (!result.text_layer.empty()) result.text_layer += '\n';
        result.text_layer += page;
    }
    if (ocr && !scanned.empty()) {
        // The slot of the text layer's read is free again: one read never holds two, so a
        // process with one slot cannot wait on itself.
        PagesRead read;
        try {
            read = OcrPages(bytes, limits, scanned);
        } catch (const Error& error) {
            const bool kept = error.code() == ErrorCode::kUnavailable ||
                              error.code() == ErrorCode::kTooManyRequests;
            if (!kept || layer_letters < kMinPageLetters) throw;
            result.ocr_problem = error.what();
        }
        result.timed_out = read.timed_out;
        for (auto& [index, text] : read.pages) {
            std::string& page = pages[static_cast<std::size_t>(index)];
            // A page whose stamp or page number is all OCR adds is kept as its layer says;
            // and OCR never makes the text larger than a document's text may be.
            if (Letters(text) <= Letters(page) ||
                bytes_of_text + text.size() > extract.max_text_bytes + page.size()) {
                continue;
            }
            bytes_of_text += text.size() - page.size();
            page = std::move(text);
            ++result.pages_by_ocr;
        }
    }
    if (result.pages_by_ocr == 0) {
        result.text = result.text_layer;
        return result;
    }
    for (const std::string& page : pages) {
        if (page.empty()) continue;
        if (!result.text.empty()) result.text += '\n';
        result.text += page;
    }
    return result;
}

}  // namespace styrdok::store
