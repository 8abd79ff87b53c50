#include "styrdok/store/first_page.hpp"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <mutex>

#include "styrdok/core/error.hpp"
#include "styrdok/store/extract.hpp"

namespace styrdok::store {

namespace {

constexpr double kPointsPerInch = 72.0;
// A page of PDF's largest size (200 inches) still draws at 9 dpi within the height limit; below
// one dot per inch a picture would have no pixels.
constexpr double kMinDpi = 1.0;

}  // namespace

bool RenderFirstPage(std::string_view bytes, const std::filesystem::path& png,
                     const PageImageLimits& limits, std::chrono::milliseconds slot_wait) {
    if (bytes.substr(0, 1024).find("%PDF-") == std::string_view::npos ||
        bytes.size() > static_cast<std::size_t>(INT_MAX)) {
        return false;
    }
    ExtractionSlot slot(slot_wait);
    static std::once_flag once;
    std::call_once(
        once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
    const std::unique_ptr<poppler::document> document(
        poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
    if (!document || document->is_locked() || document->pages() < 1) return false;
    const std::unique_ptr<poppler::page> page(document->create_page(0));
    if (!page) return false;
    // The page as shown: a page turned a quarter is as wide as the box is high.
    poppler::rectf box = page->page_rect();
    double width = box.width();
    double height = box.height();
    if (page->orientation() == poppler::page::landscape ||
        page->orientation() == poppler::page::seascape) {
        std::swap(width, height);
    }
    if (!(width > 0) || !(height > 0)) return false;
    double dpi = limits.max_dpi;
    dpi = std::min(dpi, limits.max_width * kPointsPerInch / width);
    dpi = std::min(dpi, limits.max_height * kPointsPerInch / height);
    if (!(dpi >= kMinDpi)) return false;
    poppler::page_renderer renderer;
    renderer.set_image_format(poppler::image::format_rgb24);
    renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    const poppler::image image = renderer.render_page(page.get(), dpi, dpi);
    if (!image.is_valid()) return false;
    if (!image.save(png.string(), "png")) {
        throw Error(ErrorCode::kInternal, "cannot write " + png.string());
    }
    return true;
}

}  // namespace styrdok::store
