#include "cases.hpp"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <stdexcept>

#include "styrdok/testing/office_files.hpp"
#include "styrdok/testing/sandbox.hpp"

namespace styrdok::testing {

namespace {

// Helvetica 11 pt on a US Letter page holds about this many characters a line.
constexpr std::size_t kPdfLineChars = 90;

std::string XmlEscape(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '&') {
            out += "&amp;";
        } else if (c == '<') {
            out += "&lt;";
        } else if (c == '>') {
            out += "&gt;";
        } else {
            out += c;
        }
    }
    return out;
}

int HeadingLevel(const std::string& line) {
    int level = 0;
    while (level < static_cast<int>(line.size()) && line[level] == '#') ++level;
    return level > 0 && level < static_cast<int>(line.size()) && line[level] == ' ' ? level : 0;
}

std::vector<std::string> Cells(const std::string& row) {
    std::vector<std::string> cells;
    std::size_t start = 1;
    while (start < row.size()) {
        const std::size_t end = row.find('|', start);
        if (end == std::string::npos) break;
        std::string cell = row.substr(start, end - start);
        cell.erase(0, cell.find_first_not_of(' '));
        cell.erase(cell.find_last_not_of(' ') + 1);
        cells.push_back(cell);
        start = end + 1;
    }
    return cells;
}

std::string Docx(const std::vector<std::string>& lines) {
    std::string body;
    bool in_table = false;
    for (const std::string& line : lines) {
        const bool row = !line.empty() && line.front() == '|';
        if (in_table && !row) body += "</w:tbl>";
        if (row) {
            if (!in_table) body += "<w:tbl>";
            body += "<w:tr>";
            for (const std::string& cell : Cells(line)) {
                body += "<w:tc><w:p><w:r><w:t>" + XmlEscape(cell) + "</w:t></w:r></w:p></w:tc>";
            }
            body += "</w:tr>";
        } else if (const int level = HeadingLevel(line)) {
            body += "<w:p><w:pPr><w:pStyle w:val=\"Heading" + std::to_string(level) +
                    "\"/></w:pPr><w:r><w:t>" + XmlEscape(line.substr(level + 1)) +
                    "</w:t></w:r></w:p>";
        } else if (!line.empty()) {
            body += "<w:p><w:r><w:t>" + XmlEscape(line) + "</w:t></w:r></w:p>";
        }
        in_table = row;
    }
    if (in_table) body += "</w:tbl>";
    return MakeDocx(body);
}

std::string Odt(const std::vector<std::string>& lines) {
    std::string text;
    bool in_table = false;
    for (const std::string& line : lines) {
        const bool row = !line.empty() && line.front() == '|';
        if (in_table && !row) text += "</table:table>";
        if (row) {
            if (!in_table) text += "<table:table>";
            text += "<table:table-row>";
            for (const std::string& cell : Cells(line)) {
                text +=
                    "<table:table-cell><text:p>" + XmlEscape(cell) + "</text:p></table:table-cell>";
            }
            text += "</table:table-row>";
        } else if (const int level = HeadingLevel(line)) {
            text += "<text:h text:outline-level=\"" + std::to_string(level) + "\">" +
                    XmlEscape(line.substr(level + 1)) + "</text:h>";
        } else if (!line.empty()) {
            text += "<text:p>" + XmlEscape(line) + "</text:p>";
        }
        in_table = row;
    }
    if (in_table) text += "</table:table>";
    return MakeOdt(text);
}

// Characters, not bytes, so that å, ä and ö count once.
std::size_t Chars(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

// Pages ("\f" starts a new one) of lines wrapped at word boundaries to fit the page.
std::vector<std::vector<std::string>> PdfPages(const std::vector<std::string>& lines) {
    std::vector<std::vector<std::string>> pages(1);
    for (const std::string& line : lines) {
        if (line == "\\f") {
            pages.emplace_back();
            continue;
        }
        std::string rest = line;
        while (Chars(rest) > kPdfLineChars) {
            std::size_t cut = rest.rfind(' ', kPdfLineChars);
            if (cut == std::string::npos || cut == 0) cut = kPdfLineChars;
            pages.back().push_back(rest.substr(0, cut));
            rest = rest.substr(std::min(rest.size(), cut + 1));
        }
        pages.back().push_back(rest);
    }
    return pages;
}

std::string Joined(const std::vector<std::string>& lines) {
    std::string text;
    for (const std::string& line : lines) text += line + "\n";
    return text;
}

}  // namespace

std::vector<ProposeCase> LoadProposeCases(const std::filesystem::path& folder) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
        if (entry.path().extension() == ".case") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<ProposeCase> cases;
    for (const auto& file : files) {
        ProposeCase c;
        c.name = file.stem().string();
        const std::string content = ReadFile(file);
        bool body = false;
        std::size_t start = 0;
        while (start < content.size()) {
            std::size_t end = content.find('\n', start);
            if (end == std::string::npos) end = content.size();
            const std::string line = content.substr(start, end - start);
            start = end + 1;
            if (body) {
                c.lines.push_back(line);
            } else if (line == "===") {
                body = true;
            } else {
                const std::size_t colon = line.find(": ");
                if (colon == std::string::npos) {
                    throw std::runtime_error(file.string() + ": no 'field: value' in " + line);
                }
                const std::string field = line.substr(0, colon);
                (field == "kind" ? c.kind : c.expected[field]) = line.substr(colon + 2);
            }
        }
        if (c.kind.empty() || !body) throw std::runtime_error(file.string() + ": no kind or body");
        cases.push_back(std::move(c));
    }
    return cases;
}

std::string CaseFileName(const ProposeCase& c) {
    return c.name + "." + (c.kind == "scanned" ? std::string("pdf") : c.kind);
}

std::string MakeCaseFile(const ProposeCase& c) {
    if (c.kind == "docx") return Docx(c.lines);
    if (c.kind == "odt") return Odt(c.lines);
    if (c.kind == "pdf") return MakePdf(PdfPages(c.lines));
    if (c.kind == "scanned") return ScannedPdf(MakePdf(PdfPages(c.lines)), 200);
    if (c.kind == "md" || c.kind == "txt") return Joined(c.lines);
    throw std::runtime_error(c.name + ": unknown kind " + c.kind);
}

std::string ScannedPdf(const std::string& text_pdf, double dpi) {
    const std::unique_ptr<poppler::document> document(
        poppler::document::load_from_raw_data(text_pdf.data(), static_cast<int>(text_pdf.size())));
    if (!document) throw std::runtime_error("poppler cannot read the PDF to scan");
    poppler::page_renderer renderer;
    renderer.set_image_format(poppler::image::format_gray8);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    std::vector<std::string> objects = {"<< /Type /Catalog /Pages 2 0 R >>", ""};
    std::string kids;
    for (int i = 0; i < document->pages(); ++i) {
        const std::unique_ptr<poppler::page> page(document->create_page(i));
        const poppler::image image = renderer.render_page(page.get(), dpi, dpi);
        const int width = image.width();
        const int height = image.height();
        std::string pixels;
        for (int y = 0; y < height; ++y) {
            pixels.append(
                image.const_data() + static_cast<std::ptrdiff_t>(y) * image.bytes_per_row(),
                static_cast<std::size_t>(width));
        }
        const std::size_t first = objects.size() + 1;
        kids += std::to_string(first) + " 0 R ";
        const double points_wide = width * 72.0 / dpi;
        const double points_high = height * 72.0 / dpi;
        char box[64];
        std::snprintf(box, sizeof box, "%.2f %.2f", points_wide, points_high);
        char draw[96];
        std::snprintf(draw, sizeof draw, "q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q", points_wide,
                      points_high);
        const std::string content = draw;
        objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + std::string(box) +
                          "] /Resources << /XObject << /Im0 " + std::to_string(first + 2) +
                          " 0 R >> >> /Contents " + std::to_string(first + 1) + " 0 R >>");
        objects.push_back("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" +
                          content + "\nendstream");
        objects.push_back("<< /Type /XObject /Subtype /Image /Width " + std::to_string(width) +
                          " /Height " + std::to_string(height) +
                          " /ColorSpace /DeviceGray /BitsPerComponent 8 /Length " +
                          std::to_string(pixels.size()) + " >>\nstream\n" + pixels + "\nendstream");
    }
    objects[1] =
        "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(document->pages()) + " >>";
    return AssemblePdf(objects);
}

}  // namespace styrdok::testing
