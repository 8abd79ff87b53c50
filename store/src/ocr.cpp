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
#include <string>

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

OcrText OcrPdf(std::string_view bytes, const OcrLimits& limits) {
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

    OcrText result;
    result.pages_total = document->pages();
    const int pages = std::min(result.pages_total, limits.max_pages);
    for (int i = 0; i < pages; ++i) {
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
        if (recognised && !result.timed_out) {
            const std::unique_ptr<char[]> utf8(api.GetUTF8Text());
            if (utf8) {
                const std::string page_text = Tidy(utf8.get());
                if (!page_text.empty()) {
                    if (!result.text.empty()) result.text += '\n';
                    result.text += page_text;
                }
            }
        }
        api.Clear();
        ++result.pages_read;
        if (result.timed_out) break;
    }
    if (!core::IsValidUtf8(result.text)) result.text = core::RepairUtf8(result.text);
    return result;
}

}  // namespace styrdok::store
