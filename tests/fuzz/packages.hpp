#pragma once

// DOCX and ODT packages around an XML part, made in memory. The entries are stored rather
// than deflated, with a fixed time, so that the same part always gives the same bytes (the
// generated seeds stay stable) and a fuzzer that mutates a whole package still finds the
// XML in it as it is.

#include <zip.h>

#include <ctime>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace styrdok::fuzz {

/// A zip archive of `entries` (name, content) in order, stored and dated 2024-01-01.
/// Throws std::runtime_error if libzip fails, which it does only without memory; the
/// failure ends the run, so what was allocated on the way is not freed.
inline std::string StoredZip(const std::vector<std::pair<std::string, std::string>>& entries) {
    constexpr std::time_t kFixedTime = 1704067200;  // 2024-01-01T00:00:00Z
    zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, nullptr);
    if (buffer == nullptr) throw std::runtime_error("zip_source_buffer_create failed");
    // The buffer must outlive zip_close, which writes the archive into it.
    zip_source_keep(buffer);
    zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, nullptr);
    if (archive == nullptr) throw std::runtime_error("zip_open_from_source failed");
    for (const auto& [name, content] : entries) {
        zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
        if (source == nullptr) throw std::runtime_error("zip_source_buffer failed");
        const zip_int64_t index = zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8);
        if (index < 0) throw std::runtime_error("zip_file_add failed");
        const auto entry = static_cast<zip_uint64_t>(index);
        if (zip_set_file_compression(archive, entry, ZIP_CM_STORE, 0) < 0 ||
            zip_file_set_mtime(archive, entry, kFixedTime, 0) < 0) {
            throw std::runtime_error("zip entry settings failed");
        }
    }
    if (zip_close(archive) < 0) throw std::runtime_error("zip_close failed");
    if (zip_source_open(buffer) < 0) throw std::runtime_error("zip_source_open failed");
    std::string bytes;
    char chunk[4096];
    for (zip_int64_t n; (n = zip_source_read(buffer, chunk, sizeof chunk)) > 0;) {
        bytes.append(chunk, static_cast<std::size_t>(n));
    }
    zip_source_close(buffer);
    zip_source_free(buffer);
    return bytes;
}

/// A DOCX whose word/document.xml is `document_xml`, as it is.
inline std::string DocxAround(std::string_view document_xml) {
    return StoredZip({
        {"[Content_Types].xml",
         "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
         "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Override "
         "PartName=\"/word/document.xml\" ContentType=\"application/"
         "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"},
        {"word/document.xml", std::string(document_xml)},
    });
}

/// An ODT whose content.xml is `content_xml`, as it is.
inline std::string OdtAround(std::string_view content_xml) {
    return StoredZip({
        {"mimetype", "application/vnd.oasis.opendocument.text"},
        {"content.xml", std::string(content_xml)},
    });
}

}  // namespace styrdok::fuzz
