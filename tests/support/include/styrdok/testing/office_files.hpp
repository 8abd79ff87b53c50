#pragma once

// Small but valid PDF, DOCX and ODT files made in memory, so that the tests exercise the
// real readers without keeping binary fixtures in the repository.

#include <zip.h>

#include <cstddef>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace styrdok::testing {

/// A zip archive holding `entries` (name, content), as libzip writes it.
inline std::string MakeZip(const std::vector<std::pair<std::string, std::string>>& entries) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
    if (buffer == nullptr) throw std::runtime_error("zip_source_buffer_create failed");
    // The buffer must outlive zip_close, which writes the archive into it.
    zip_source_keep(buffer);
    zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
    if (archive == nullptr) throw std::runtime_error("zip_open_from_source failed");
    for (const auto& [name, content] : entries) {
        zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
        if (source == nullptr ||
            zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8) < 0) {
            throw std::runtime_error("zip_file_add failed");
        }
    }
    if (zip_close(archive) < 0) throw std::runtime_error("zip_close failed");
    std::string bytes;
    if (zip_source_open(buffer) < 0) throw std::runtime_error("zip_source_open failed");
    char chunk[4096];
    for (zip_int64_t n; (n = zip_source_read(buffer, chunk, sizeof chunk)) > 0;) {
        bytes.append(chunk, static_cast<std::size_t>(n));
    }
    zip_source_close(buffer);
    zip_source_free(buffer);
    zip_error_fini(&error);
    return bytes;
}

/// A DOCX whose word/document.xml has `body` (WordprocessingML inside <w:body>).
inline std::string MakeDocx(const std::string& body) {
    const std::string document =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
        "<w:body>" +
        body + "</w:body></w:document>";
    return MakeZip({
        {"[Content_Types].xml",
         "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
         "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Override "
         "PartName=\"/word/document.xml\" "
         "ContentType=\"application/"
         "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"},
        {"word/document.xml", document},
    });
}

/// An ODT whose content.xml has `text` inside <office:text>.
inline std::string MakeOdt(const std::string& text) {
    const std::string content =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<office:document-content "
        "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
        "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
        "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
        "office:version=\"1.3\"><office:body><office:text>" +
        text + "</office:text></office:body></office:document-content>";
    return MakeZip({
        {"mimetype", "application/vnd.oasis.opendocument.text"},
        {"content.xml", content},
    });
}

/// `piece` written `count` times.
inline std::string Repeat(const std::string& piece, std::size_t count) {
    std::string out;
    out.reserve(piece.size() * count);
    for (std::size_t i = 0; i < count; ++i) out += piece;
    return out;
}

// Hostile files, as they were sent to a release build (issue 15): each is a few kilobytes.

/// A DOCX whose one paragraph nests `depth` runs (<w:r>) in one another.
inline std::string NestedDocx(std::size_t depth) {
    return MakeDocx("<w:p>" + Repeat("<w:r>", depth) + "<w:t>x</w:t>" + Repeat("</w:r>", depth) +
                    "</w:p>");
}

/// An ODT whose one paragraph nests `depth` spans (<text:span>) in one another.
inline std::string NestedOdt(std::size_t depth) {
    return MakeOdt("<text:p>" + Repeat("<text:span>", depth) + "x" + Repeat("</text:span>", depth) +
                   "</text:p>");
}

/// A DOCX table whose first row has `columns` cells and whose `rows` - 1 other rows one
/// each: written out, every row is padded to the widest.
inline std::string WideTableDocx(std::size_t columns, std::size_t rows) {
    const std::string cell = "<w:tc><w:p/></w:tc>";
    return MakeDocx("<w:tbl><w:tr>" + Repeat(cell, columns) + "</w:tr>" +
                    Repeat("<w:tr>" + cell + "</w:tr>", rows - 1) + "</w:tbl>");
}

/// An ODT paragraph "a", `count` spaces elements asking for `spaces` spaces each, "b".
inline std::string SpacedOdt(std::size_t count, const std::string& spaces) {
    return MakeOdt("<text:p>a" + Repeat("<text:s text:c=\"" + spaces + "\"/>", count) +
                   "b</text:p>");
}

/// A PDF file of `objects` (object 1 the catalog, numbered from 1 in order), with its
/// cross-reference table and trailer.
inline std::string AssemblePdf(const std::vector<std::string>& objects) {
    std::string pdf = "%PDF-1.4\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (const std::size_t offset : offsets) {
        char entry[24];
        std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
        pdf += entry;
    }
    pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
           " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

/// A PDF with one page per element of `pages`, each line of a page one text line in
/// Helvetica. Lines are UTF-8 and may use the Latin-1 range (å, ä, ö) and the en and em
/// dashes, which WinAnsiEncoding covers; other characters become '?'.
inline std::string MakePdf(const std::vector<std::vector<std::string>>& pages) {
    const auto pdf_string = [](const std::string& utf8) {
        std::string out = "(";
        for (std::size_t i = 0; i < utf8.size(); ++i) {
            auto c = static_cast<unsigned char>(utf8[i]);
            unsigned code = c;
            if (c >= 0xE0 && i + 2 < utf8.size()) {
                code = ((c & 0x0Fu) << 12) |
                       ((static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu) << 6) |
                       (static_cast<unsigned char>(utf8[i + 2]) & 0x3Fu);
                i += 2;
                // WinAnsiEncoding has the dashes where Latin-1 has control characters.
                code = code == 0x2013 ? 0x96u : code == 0x2014 ? 0x97u : '?';
            } else if (c >= 0xC0 && i + 1 < utf8.size()) {
                code = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(utf8[++i]) & 0x3Fu);
            }
            if (code == '(' || code == ')' || code == '\\') {
                out += '\\';
                out += static_cast<char>(code);
            } else if (code < 0x80) {
                out += static_cast<char>(code);
            } else {
                char octal[8];
                std::snprintf(octal, sizeof octal, "\\%03o", code);
                out += octal;
            }
        }
        return out + ")";
    };
    std::vector<std::string> objects;
    const std::size_t page_count = pages.size();
    std::string kids;
    for (std::size_t p = 0; p < page_count; ++p) {
        kids += std::to_string(4 + 2 * p) + " 0 R ";
    }
    objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
    objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(page_count) +
                      " >>");
    objects.push_back(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    for (std::size_t p = 0; p < page_count; ++p) {
        std::string stream = "BT /F1 12 Tf 14 TL 72 720 Td\n";
        for (const std::string& line : pages[p]) stream += pdf_string(line) + " Tj T*\n";
        stream += "ET";
        objects.push_back(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
            "<< /Font << /F1 3 0 R >> >> /Contents " +
            std::to_string(5 + 2 * p) + " 0 R >>");
        objects.push_back("<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream +
                          "\nendstream");
    }
    return AssemblePdf(objects);
}

}  // namespace styrdok::testing
