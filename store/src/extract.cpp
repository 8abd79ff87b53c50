#include "styrdok/store/extract.hpp"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>
#include <zip.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstring>
#include <memory>
#include <mutex>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "styrdok/core/error.hpp"
#include "styrdok/core/utf8.hpp"

namespace styrdok::store {

namespace {

// A DOCX's word/document.xml or an ODT's content.xml is a few megabytes even for a
// long document; the cap keeps a zip bomb from exhausting memory.
constexpr std::size_t kMaxXmlEntryBytes = 256U * 1024 * 1024;
// The PDF specification lets readers accept the header anywhere in the first 1024 bytes,
// and some producers do write junk before it.
constexpr std::size_t kPdfHeaderWindow = 1024;
constexpr int kMaxHeadingLevel = 6;
const std::string kNotADocx = "not a DOCX file";
const std::string kNotAnOdt = "not an ODT file";

[[noreturn]] void BadInput(const std::string& message) {
    throw Error(ErrorCode::kBadInput, message);
}

std::string Lower(std::string_view text) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower;
}

bool IsHorizontalSpace(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }

// Extracted text becomes text.md: lines are trimmed (four leading spaces would make a code
// block, trailing ones a hard break), runs of spaces from PDF layout collapse, control
// characters that no editor shows are dropped, and paragraphs are separated by exactly one
// blank line.
std::string TidyWhitespace(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t blank_lines = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string line;
        bool pending_space = false;
        for (std::size_t i = pos; i < end; ++i) {
            const char c = text[i];
            if (IsHorizontalSpace(c) || c == '\r') {
                pending_space = true;
                continue;
            }
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) continue;
            if (pending_space && !line.empty()) line += ' ';
            pending_space = false;
            line += c;
        }
        if (line.empty()) {
            ++blank_lines;
        } else {
            if (!out.empty()) out += blank_lines > 0 ? "\n\n" : "\n";
            out += line;
            blank_lines = 0;
        }
        pos = end + 1;
    }
    if (!out.empty()) out += '\n';
    return out;
}

std::string RequireUtf8(std::string text) {
    if (!core::IsValidUtf8(text)) BadInput("text is not valid UTF-8");
    return text;
}

// Markdown and plain text are stored as written: only a byte order mark and CR line ends
// go, so that text.md diffs cleanly whichever editor produced it.
std::string PassThrough(std::string_view bytes) {
    if (!core::IsValidUtf8(bytes)) BadInput("text is not valid UTF-8");
    if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
    std::string text;
    text.reserve(bytes.size());
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (bytes[i] == '\r') {
            text += '\n';
            if (i + 1 < bytes.size() && bytes[i + 1] == '\n') ++i;
        } else {
            text += bytes[i];
        }
    }
    return text;
}

void SilencePoppler() {
    // poppler prints every complaint about a damaged file to stderr; the caller gets our
    // Error instead, so the noise would only clutter an import's output.
    static std::once_flag once;
    std::call_once(
        once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

std::string ExtractPdf(std::string_view bytes) {
    if (bytes.substr(0, kPdfHeaderWindow).find("%PDF-") == std::string_view::npos) {
        BadInput("not a PDF");
    }
    if (bytes.size() > static_cast<std::size_t>(INT_MAX)) BadInput("PDF is too large");
    SilencePoppler();
    const std::unique_ptr<poppler::document> document(
        poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
    if (!document) BadInput("damaged PDF");
    // An owner password only restricts printing or copying and poppler still reads the
    // text; a user password locks the content, which is what the caller must hear about.
    if (document->is_locked()) BadInput("PDF is encrypted");
    std::string text;
    for (int i = 0; i < document->pages(); ++i) {
        const std::unique_ptr<poppler::page> page(document->create_page(i));
        if (!page) continue;
        const poppler::byte_array utf8 =
            page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout).to_utf8();
        text.append(utf8.begin(), utf8.end());
        text += "\n\n";
    }
    return RequireUtf8(TidyWhitespace(text));
}

// Reads one entry of a zip archive held in memory. Throws Error(kBadInput) with
// `not_a_file` ("not a DOCX file") when the bytes are no zip or the entry is missing.
std::string ReadZipEntry(std::string_view bytes, const char* entry, const std::string& not_a_file) {
    // libzip opens zero bytes as an empty archive; to a user they are no file at all.
    if (bytes.empty()) BadInput(not_a_file);
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source == nullptr) {
        zip_error_fini(&error);
        BadInput(not_a_file);
    }
    zip_t* archive = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
    zip_error_fini(&error);
    if (archive == nullptr) {
        zip_source_free(source);
        BadInput(not_a_file);
    }
    const std::unique_ptr<zip_t, decltype(&zip_discard)> owner(archive, &zip_discard);
    const zip_int64_t index = zip_name_locate(archive, entry, 0);
    if (index < 0) BadInput(not_a_file + " (no " + entry + ")");
    zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(index), 0);
    if (file == nullptr) BadInput(not_a_file + " (" + entry + " cannot be read)");
    const std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file_owner(file, &zip_fclose);
    std::string content;
    char buffer[64 * 1024];
    for (;;) {
        const zip_int64_t n = zip_fread(file, buffer, sizeof buffer);
        if (n < 0) BadInput(not_a_file + " (" + entry + " is damaged)");
        if (n == 0) break;
        content.append(buffer, static_cast<std::size_t>(n));
        if (content.size() > kMaxXmlEntryBytes) BadInput(std::string(entry) + " is too large");
    }
    return content;
}

pugi::xml_document ParseXml(const std::string& xml, const char* entry,
                            const std::string& not_a_file) {
    if (!core::IsValidUtf8(xml)) BadInput(std::string(entry) + " is not valid UTF-8");
    pugi::xml_document document;
    // Whitespace-only text nodes carry meaning here (<w:t xml:space="preserve"> </w:t>).
    const pugi::xml_parse_result result = document.load_buffer(
        xml.data(), xml.size(), pugi::parse_default | pugi::parse_ws_pcdata, pugi::encoding_utf8);
    if (!result) {
        BadInput(not_a_file + " (" + entry + ": " + result.description() + ")");
    }
    return document;
}

std::string Heading(int level) {
    return std::string(static_cast<std::size_t>(std::clamp(level, 1, kMaxHeadingLevel)), '#') + ' ';
}

// A table becomes a GitHub table, the first row its header, since text.md is CommonMark with
// GitHub tables; a cell's paragraphs are joined on one line because a table cell cannot
// hold a line break.
std::string RenderTable(const std::vector<std::vector<std::string>>& rows) {
    std::size_t columns = 0;
    for (const auto& row : rows) columns = std::max(columns, row.size());
    if (columns == 0) return {};
    std::string out;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        out += '|';
        for (std::size_t c = 0; c < columns; ++c) {
            std::string cell = c < rows[r].size() ? rows[r][c] : std::string();
            std::string escaped;
            for (char ch : cell) {
                if (ch == '|') escaped += '\\';
                escaped += ch == '\n' ? ' ' : ch;
            }
            out += ' ' + escaped + " |";
        }
        out += '\n';
        if (r == 0) {
            out += '|';
            for (std::size_t c = 0; c < columns; ++c) out += " --- |";
            out += '\n';
        }
    }
    return out;
}

// --- DOCX (WordprocessingML) ----------------------------------------------------------
// pugixml does not resolve namespaces, so elements are matched by the prefixes Word and
// every other producer write ("w:", "mc:").

int DocxHeadingLevel(const pugi::xml_node& paragraph) {
    const pugi::xml_node properties = paragraph.child("w:pPr");
    const std::string style = Lower(properties.child("w:pStyle").attribute("w:val").value());
    for (const std::string_view prefix : {"heading", "rubrik"}) {
        if (style.starts_with(prefix) && style.size() > prefix.size()) {
            const std::string digits = style.substr(prefix.size());
            if (std::all_of(digits.begin(), digits.end(),
                            [](unsigned char c) { return std::isdigit(c); }) &&
                digits.size() <= 2) {
                return std::stoi(digits);
            }
        }
    }
    if (style == "title" || style == "titel" || style == "rubrik") return 1;
    const pugi::xml_attribute outline = properties.child("w:outlineLvl").attribute("w:val");
    // w:outlineLvl 9 means "body text", not a heading.
    if (outline && outline.as_int(9) < 9) return outline.as_int() + 1;
    return 0;
}

void DocxInline(const pugi::xml_node& node, std::string& out) {
    for (const pugi::xml_node& child : node.children()) {
        const std::string_view name = child.name();
        if (name == "w:t") {
            out += child.text().get();
        } else if (name == "w:tab") {
            out += ' ';
        } else if (name == "w:br" || name == "w:cr") {
            const std::string_view type = child.attribute("w:type").value();
            // A page or column break ends nothing in the text; a line break is a Markdown
            // hard break, which a backslash at the end of the line writes.
            if (type.empty() || type == "textWrapping") {
                out += "\\\n";
            } else {
                out += ' ';
            }
        } else if (name == "w:noBreakHyphen") {
            out += '-';
        } else if (name == "w:pPr" || name == "w:rPr" || name == "w:del" || name == "w:instrText" ||
                   name == "w:delText" || name == "mc:Fallback") {
            // Properties, deleted revisions and field codes are not text; mc:Fallback repeats
            // the mc:Choice already read.
            continue;
        } else {
            DocxInline(child, out);
        }
    }
}

void DocxBlocks(const pugi::xml_node& container, std::vector<std::string>& blocks);

std::string DocxParagraph(const pugi::xml_node& paragraph) {
    std::string text;
    DocxInline(paragraph, text);
    while (text.ends_with("\\\n")) text.resize(text.size() - 2);
    if (core::Trim(text).empty()) return {};
    if (const int level = DocxHeadingLevel(paragraph); level > 0) {
        std::string flat;
        for (char c : text) flat += c == '\n' ? ' ' : c;
        return Heading(level) + flat;
    }
    if (paragraph.child("w:pPr").child("w:numPr")) return "- " + text;
    return text;
}

std::string DocxTable(const pugi::xml_node& table) {
    std::vector<std::vector<std::string>> rows;
    for (const pugi::xml_node& row : table.children("w:tr")) {
        std::vector<std::string>& cells = rows.emplace_back();
        for (const pugi::xml_node& cell : row.children("w:tc")) {
            std::vector<std::string> parts;
            DocxBlocks(cell, parts);
            std::string joined;
            for (const std::string& part : parts) {
                if (!joined.empty()) joined += ' ';
                joined += part;
            }
            cells.push_back(std::move(joined));
        }
    }
    return RenderTable(rows);
}

void DocxBlocks(const pugi::xml_node& container, std::vector<std::string>& blocks) {
    for (const pugi::xml_node& child : container.children()) {
        const std::string_view name = child.name();
        if (name == "w:p") {
            if (std::string paragraph = DocxParagraph(child); !paragraph.empty()) {
                blocks.push_back(std::move(paragraph));
            }
        } else if (name == "w:tbl") {
            if (std::string table = DocxTable(child); !table.empty()) {
                blocks.push_back(std::move(table));
            }
        } else if (name == "w:sdt" || name == "w:sdtContent" || name == "w:customXml" ||
                   name == "w:ins" || name == "w:smartTag") {
            DocxBlocks(child, blocks);
        }
    }
}

std::string JoinBlocks(const std::vector<std::string>& blocks) {
    std::string text;
    for (const std::string& block : blocks) {
        text += block;
        text += "\n\n";
    }
    return text;
}

std::string ExtractDocx(std::string_view bytes) {
    const std::string xml = ReadZipEntry(bytes, "word/document.xml", kNotADocx);
    const pugi::xml_document document = ParseXml(xml, "word/document.xml", kNotADocx);
    const pugi::xml_node body = document.child("w:document").child("w:body");
    if (!body) BadInput(kNotADocx + " (no w:body)");
    std::vector<std::string> blocks;
    DocxBlocks(body, blocks);
    return RequireUtf8(TidyWhitespace(JoinBlocks(blocks)));
}

// --- ODT (OpenDocument text) ----------------------------------------------------------

void OdtInline(const pugi::xml_node& node, std::string& out) {
    for (const pugi::xml_node& child : node.children()) {
        if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
            // ODF collapses white space in text like HTML does; text:s and text:tab carry
            // the deliberate kind.
            for (const char c : std::string_view(child.value())) {
                const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
                if (!space) {
                    out += c;
                } else if (!out.empty() && out.back() != ' ' && out.back() != '\n') {
                    out += ' ';
                }
            }
            continue;
        }
        const std::string_view name = child.name();
        if (name == "text:s") {
            out.append(static_cast<std::size_t>(std::max(1, child.attribute("text:c").as_int(1))),
                       ' ');
        } else if (name == "text:tab") {
            out += ' ';
        } else if (name == "text:line-break") {
            out += "\\\n";
        } else if (name == "text:note" || name == "office:annotation" ||
                   name == "office:annotation-end" || name == "text:bookmark-ref" ||
                   name == "text:soft-page-break") {
            // Notes and comments are not part of the running text; a note's body would
            // otherwise land mid-sentence.
            continue;
        } else {
            OdtInline(child, out);
        }
    }
}

void OdtBlocks(const pugi::xml_node& container, std::vector<std::string>& blocks, bool in_list);

std::string OdtTable(const pugi::xml_node& table) {
    std::vector<std::vector<std::string>> rows;
    const auto add_rows = [&rows](const pugi::xml_node& parent) {
        for (const pugi::xml_node& row : parent.children("table:table-row")) {
            std::vector<std::string>& cells = rows.emplace_back();
            for (const pugi::xml_node& cell : row.children()) {
                const std::string_view name = cell.name();
                if (name != "table:table-cell" && name != "table:covered-table-cell") continue;
                std::vector<std::string> parts;
                OdtBlocks(cell, parts, false);
                std::string joined;
                for (const std::string& part : parts) {
                    if (!joined.empty()) joined += ' ';
                    joined += part;
                }
                cells.push_back(std::move(joined));
            }
        }
    };
    add_rows(table.child("table:table-header-rows"));
    add_rows(table);
    for (const pugi::xml_node& group : table.children("table:table-rows")) add_rows(group);
    return RenderTable(rows);
}

void OdtBlocks(const pugi::xml_node& container, std::vector<std::string>& blocks, bool in_list) {
    for (const pugi::xml_node& child : container.children()) {
        const std::string_view name = child.name();
        if (name == "text:p" || name == "text:h") {
            std::string text;
            OdtInline(child, text);
            while (text.ends_with("\\\n")) text.resize(text.size() - 2);
            if (core::Trim(text).empty()) continue;
            if (name == "text:h") {
                std::string flat;
                for (char c : text) flat += c == '\n' ? ' ' : c;
                blocks.push_back(Heading(child.attribute("text:outline-level").as_int(1)) + flat);
            } else if (in_list) {
                blocks.push_back("- " + text);
            } else {
                blocks.push_back(std::move(text));
            }
        } else if (name == "text:list") {
            OdtBlocks(child, blocks, true);
        } else if (name == "text:list-item" || name == "text:list-header") {
            // Only the item's first paragraph carries the bullet; later ones continue it.
            std::vector<std::string> item;
            OdtBlocks(child, item, false);
            for (std::size_t i = 0; i < item.size(); ++i) {
                const bool nested = item[i].starts_with("- ");
                blocks.push_back(i == 0 && !nested ? "- " + item[i] : item[i]);
            }
        } else if (name == "table:table") {
            if (std::string table = OdtTable(child); !table.empty()) {
                blocks.push_back(std::move(table));
            }
        } else if (name == "text:section" || name == "text:index-body" ||
                   name == "text:table-of-content" || name == "draw:frame" ||
                   name == "draw:text-box") {
            OdtBlocks(child, blocks, in_list);
        }
    }
}

std::string ExtractOdt(std::string_view bytes) {
    const std::string xml = ReadZipEntry(bytes, "content.xml", kNotAnOdt);
    const pugi::xml_document document = ParseXml(xml, "content.xml", kNotAnOdt);
    const pugi::xml_node text =
        document.child("office:document-content").child("office:body").child("office:text");
    if (!text) BadInput("not an ODT text document (no office:text)");
    std::vector<std::string> blocks;
    OdtBlocks(text, blocks, false);
    return RequireUtf8(TidyWhitespace(JoinBlocks(blocks)));
}

}  // namespace

FileKind FileKindOf(const std::filesystem::path& file) {
    const std::string extension = Lower(file.extension().string());
    if (extension == ".pdf") return FileKind::kPdf;
    if (extension == ".docx") return FileKind::kDocx;
    if (extension == ".odt") return FileKind::kOdt;
    if (extension == ".md" || extension == ".markdown") return FileKind::kMarkdown;
    if (extension == ".txt" || extension == ".text") return FileKind::kPlainText;
    return FileKind::kUnknown;
}

std::string ExtractText(FileKind kind, std::string_view bytes) {
    switch (kind) {
        case FileKind::kPdf:
            return ExtractPdf(bytes);
        case FileKind::kDocx:
            return ExtractDocx(bytes);
        case FileKind::kOdt:
            return ExtractOdt(bytes);
        case FileKind::kMarkdown:
        case FileKind::kPlainText:
            return PassThrough(bytes);
        case FileKind::kUnknown:
            break;
    }
    BadInput("no text can be extracted from this kind of file");
}

}  // namespace styrdok::store
