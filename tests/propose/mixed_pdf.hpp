#pragma once

// A PDF as a municipality often has one: a typed cover (a text layer) in front of scanned
// pages without one, where the decision is.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "cases.hpp"
#include "styrdok/testing/office_files.hpp"

namespace styrdok::testing {

/// The objects of a PDF that AssemblePdf made, found by its cross-reference table.
inline std::vector<std::string> PdfObjects(const std::string& pdf) {
    const std::size_t xref = pdf.rfind("\nxref\n0 ");
    if (xref == std::string::npos) throw std::runtime_error("no cross-reference table");
    std::size_t at = xref + 8;
    const std::size_t count = std::stoul(pdf.substr(at)) - 1;
    at = pdf.find('\n', at) + 1 + 20;  // past the free entry of object 0
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < count; ++i, at += 20) offsets.push_back(std::stoul(pdf.substr(at)));
    offsets.push_back(xref + 1);
    std::vector<std::string> objects;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t begin = pdf.find('\n', offsets[i]) + 1;
        const std::size_t end = offsets[i + 1] - std::string("\nendobj\n").size();
        objects.push_back(pdf.substr(begin, end - begin));
    }
    return objects;
}

/// `cover` typed on the first page (Helvetica, a text layer) and each of `scanned` rendered
/// at 200 dpi as a gray image on a page of its own, without a text layer.
inline std::string TypedCoverBeforeScan(const std::vector<std::string>& cover,
                                        const std::vector<std::vector<std::string>>& scanned) {
    std::vector<std::vector<std::string>> pages = {cover};
    pages.insert(pages.end(), scanned.begin(), scanned.end());
    // Every page scanned, then the first one's image swapped for the typed cover.
    std::vector<std::string> objects = PdfObjects(ScannedPdf(MakePdf(pages), 200));
    // MakePdf's objects: catalog, pages, font, then the page and its content stream.
    const std::vector<std::string> typed = PdfObjects(MakePdf({cover}));
    const std::size_t font = objects.size() + 1;
    objects[2] =
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << "
        "/F1 " +
        std::to_string(font) + " 0 R >> >> /Contents " + std::to_string(font + 1) + " 0 R >>";
    objects.push_back(typed.at(2));
    objects.push_back(typed.at(4));
    return AssemblePdf(objects);
}

}  // namespace styrdok::testing
