#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string_view>

namespace styrdok::store {

/// Bounds on the picture of a PDF's first page shown beside a proposal (the import page):
/// large enough to read a title page, small enough that a hostile page size costs nothing.
struct PageImageLimits {
    /// Widest picture in pixels; a wider page is rendered at a lower resolution.
    int max_width = 1200;
    /// Tallest picture in pixels (a long strip of a page is cut to this scale as well).
    int max_height = 1800;
    /// Highest resolution: a small page is not blown up past it.
    double max_dpi = 150;
};

/// Renders the first page of the PDF `bytes` with poppler and writes it to `png` as a PNG,
/// scaled to fit `limits`. Takes an ExtractionSlot (waits up to `slot_wait`) like every read
/// of a file. Returns false when the file has no page that renders (damaged, locked, empty,
/// a page of no size); throws Error(kTooManyRequests) when no slot frees in time and
/// Error(kInternal) when the PNG cannot be written. Thread-safe.
bool RenderFirstPage(std::string_view bytes, const std::filesystem::path& png,
                     const PageImageLimits& limits = {},
                     std::chrono::milliseconds slot_wait = std::chrono::milliseconds(3'000));

}  // namespace styrdok::store
