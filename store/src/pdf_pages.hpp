#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "styrdok/store/extract.hpp"

namespace styrdok::store::detail {

/// The text layer of each page of a PDF, tidied as ExtractText tidies it: a page without
/// text is an empty string, so that OCR can read just the scanned pages behind a typed
/// cover. The bounds, errors and ExtractionSlot of ExtractText for a PDF; released before
/// it returns. Thread-safe.
std::vector<std::string> ExtractPdfPages(std::string_view bytes, const ExtractLimits& limits = {});

}  // namespace styrdok::store::detail
