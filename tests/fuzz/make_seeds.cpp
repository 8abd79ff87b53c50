// Writes the fuzz seeds that are binary or derived from the corpus: DOCX and ODT packages
// (and their XML parts), PDFs and Markdown texts, made from a few corpus documents and from
// a part that uses every construct the readers know. The repository keeps what this writes,
// so that seeds of known origin can be read and reviewed; the test Fuzz.SeedsAreGenerated
// runs it with --check to keep the two the same.
//
// Usage: fuzz_seeds SOURCE_DIR SEEDS_DIR [--check]
#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "packages.hpp"
#include "styrdok/testing/office_files.hpp"

namespace {

namespace fs = std::filesystem;

// Short documents that between them have headings, lists, tables and plain paragraphs.
constexpr std::string_view kCorpusDocuments[] = {"taxa-barnomsorg", "vision-2040",
                                                 "regler-bisysslor"};

// --- reading Markdown into blocks ------------------------------------------------------

struct Block {
    enum class Kind { kHeading, kItem, kRow, kParagraph };
    Kind kind = Kind::kParagraph;
    int level = 0;                     ///< a heading's
    std::string text{};                ///< a heading's, item's or paragraph's
    std::vector<std::string> cells{};  ///< a table row's
};

std::string_view Trimmed(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    return text;
}

// The block structure of the corpus texts, which use one line per paragraph, "- " items
// and GitHub tables; inline markup is left as it is.
std::vector<Block> ReadBlocks(std::string_view markdown) {
    std::vector<Block> blocks;
    std::size_t pos = 0;
    while (pos < markdown.size()) {
        std::size_t end = markdown.find('\n', pos);
        if (end == std::string_view::npos) end = markdown.size();
        const std::string_view line = Trimmed(markdown.substr(pos, end - pos));
        pos = end + 1;
        if (line.empty()) continue;
        if (line.starts_with('#')) {
            const std::size_t level = line.find_first_not_of('#');
            blocks.push_back({.kind = Block::Kind::kHeading,
                              .level = static_cast<int>(level),
                              .text = std::string(Trimmed(line.substr(level)))});
        } else if (line.starts_with("- ")) {
            blocks.push_back({.kind = Block::Kind::kItem, .text = std::string(line.substr(2))});
        } else if (line.starts_with('|')) {
            if (line.find_first_not_of("|-: ") == std::string_view::npos) continue;
            Block row{.kind = Block::Kind::kRow};
            std::string_view rest = line.substr(1);
            while (!rest.empty()) {
                const std::size_t bar = rest.find('|');
                row.cells.emplace_back(Trimmed(rest.substr(0, bar)));
                if (bar == std::string_view::npos) break;
                rest.remove_prefix(bar + 1);
            }
            blocks.push_back(std::move(row));
        } else {
            blocks.push_back({.kind = Block::Kind::kParagraph, .text = std::string(line)});
        }
    }
    return blocks;
}

std::string Escaped(std::string_view text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

// --- DOCX -----------------------------------------------------------------------------

constexpr std::string_view kDocxStart =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"><w:body>";
constexpr std::string_view kDocxEnd = "</w:body></w:document>\n";

std::string DocxRun(std::string_view text) {
    return "<w:r><w:t xml:space=\"preserve\">" + Escaped(text) + "</w:t></w:r>";
}

std::string DocxXml(const std::vector<Block>& blocks) {
    std::string xml(kDocxStart);
    bool in_table = false;
    for (const Block& block : blocks) {
        const bool row = block.kind == Block::Kind::kRow;
        if (row && !in_table) xml += "<w:tbl>";
        if (!row && in_table) xml += "</w:tbl>";
        in_table = row;
        switch (block.kind) {
            case Block::Kind::kHeading:
                xml += "<w:p><w:pPr><w:pStyle w:val=\"Heading" + std::to_string(block.level) +
                       "\"/></w:pPr>" + DocxRun(block.text) + "</w:p>";
                break;
            case Block::Kind::kItem:
                xml +=
                    "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr>"
                    "</w:pPr>" +
                    DocxRun(block.text) + "</w:p>";
                break;
            case Block::Kind::kRow:
                xml += "<w:tr>";
                for (const std::string& cell : block.cells) {
                    xml += "<w:tc><w:p>" + DocxRun(cell) + "</w:p></w:tc>";
                }
                xml += "</w:tr>";
                break;
            case Block::Kind::kParagraph:
                xml += "<w:p>" + DocxRun(block.text) + "</w:p>";
                break;
        }
    }
    if (in_table) xml += "</w:tbl>";
    return xml + std::string(kDocxEnd);
}

// Every construct the DOCX reader treats on its own.
std::string DocxFeatures() {
    return std::string(kDocxStart) + "<w:p><w:pPr><w:pStyle w:val=\"Title\"/></w:pPr>" +
           DocxRun("Riktlinje för attest") +
           "</w:p>"
           "<w:p><w:pPr><w:outlineLvl w:val=\"1\"/></w:pPr>" +
           DocxRun("Syfte") +
           "</w:p>"
           "<w:p><w:pPr><w:pStyle w:val=\"Rubrik3\"/></w:pPr>" +
           DocxRun("Omfattning") +
           "</w:p>"
           "<w:p><w:r><w:t>Attest</w:t><w:tab/><w:t>och</w:t><w:br/><w:t>beslut</w:t>"
           "<w:br w:type=\"page\"/><w:t>KS</w:t><w:noBreakHyphen/><w:t>2024</w:t></w:r>"
           "<w:del><w:r><w:delText>borttaget</w:delText></w:r></w:del>"
           "<w:ins><w:r><w:t> tillagt</w:t></w:r></w:ins>"
           "<w:r><w:fldChar w:fldCharType=\"begin\"/><w:instrText>PAGE</w:instrText></w:r>"
           "<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:r><w:t> val</w:t></w:r>"
           "</mc:Choice><mc:Fallback><w:r><w:t> reserv</w:t></w:r></mc:Fallback>"
           "</mc:AlternateContent></w:p>"
           "<w:sdt><w:sdtContent><w:p>" +
           DocxRun("Innehållskontroll") +
           "</w:p></w:sdtContent>"
           "</w:sdt>"
           "<w:customXml><w:p><w:smartTag><w:r><w:t>Exempelby</w:t></w:r></w:smartTag></w:p>"
           "</w:customXml>"
           "<w:tbl><w:tr><w:tc><w:p>" +
           DocxRun("belopp") + "</w:p></w:tc><w:tc><w:p>" + DocxRun("attestant") +
           "</w:p></w:tc></w:tr><w:tr><w:tc><w:tbl><w:tr><w:tc><w:p>" + DocxRun("inre") +
           "</w:p></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>"
           "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"2\"/></w:numPr></w:pPr>" +
           DocxRun("punkt | med ` och *") + "</w:p><w:p>" + DocxRun("   ") + "</w:p>" +
           std::string(kDocxEnd);
}

// --- ODT ------------------------------------------------------------------------------

constexpr std::string_view kOdtStart =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
    "xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" "
    "office:version=\"1.3\"><office:body><office:text>";
constexpr std::string_view kOdtEnd = "</office:text></office:body></office:document-content>\n";

std::string OdtXml(const std::vector<Block>& blocks) {
    std::string xml(kOdtStart);
    Block::Kind open = Block::Kind::kParagraph;  // a list or table being written, if any
    const auto close = [&] {
        if (open == Block::Kind::kItem) xml += "</text:list>";
        if (open == Block::Kind::kRow) xml += "</table:table>";
        open = Block::Kind::kParagraph;
    };
    for (const Block& block : blocks) {
        if (block.kind != open) close();
        switch (block.kind) {
            case Block::Kind::kHeading:
                xml += "<text:h text:outline-level=\"" + std::to_string(block.level) + "\">" +
                       Escaped(block.text) + "</text:h>";
                break;
            case Block::Kind::kItem:
                if (open != Block::Kind::kItem) xml += "<text:list>";
                open = Block::Kind::kItem;
                xml +=
                    "<text:list-item><text:p>" + Escaped(block.text) + "</text:p></text:list-item>";
                break;
            case Block::Kind::kRow:
                if (open != Block::Kind::kRow) xml += "<table:table>";
                open = Block::Kind::kRow;
                xml += "<table:table-row>";
                for (const std::string& cell : block.cells) {
                    xml += "<table:table-cell><text:p>" + Escaped(cell) +
                           "</text:p></table:table-cell>";
                }
                xml += "</table:table-row>";
                break;
            case Block::Kind::kParagraph:
                xml += "<text:p>" + Escaped(block.text) + "</text:p>";
                break;
        }
    }
    close();
    return xml + std::string(kOdtEnd);
}

// Every construct the ODT reader treats on its own.
std::string OdtFeatures() {
    return std::string(kOdtStart) +
           "<text:h text:outline-level=\"9\">Riktlinje för attest</text:h>"
           "<text:h>Syfte</text:h>"
           "<text:p>Attest<text:s text:c=\"4\"/>och<text:tab/>beslut<text:line-break/>KS "
           "2024<text:note><text:note-body><text:p>fotnot</text:p></text:note-body></text:note>"
           "<office:annotation><text:p>kommentar</text:p></office:annotation>"
           "<text:span>  span\n med  blanksteg </text:span><text:soft-page-break/>"
           "<text:bookmark-ref>ref</text:bookmark-ref><![CDATA[ cdata]]></text:p>"
           "<text:section><text:p>Avsnitt</text:p></text:section>"
           "<text:table-of-content><text:index-body><text:p>Innehåll</text:p></text:index-body>"
           "</text:table-of-content>"
           "<text:p><draw:frame><draw:text-box><text:p>Ruta</text:p></draw:text-box></draw:frame>"
           "</text:p>"
           "<text:list><text:list-header><text:p>Lista</text:p></text:list-header>"
           "<text:list-item><text:p>ett</text:p><text:p>fortsatt</text:p><text:list>"
           "<text:list-item><text:p>inre</text:p></text:list-item></text:list></text:list-item>"
           "</text:list>"
           "<table:table><table:table-header-rows><table:table-row><table:table-cell><text:p>"
           "belopp</text:p></table:table-cell><table:table-cell><text:p>attestant</text:p>"
           "</table:table-cell></table:table-row></table:table-header-rows><table:table-rows>"
           "<table:table-row><table:table-cell table:number-columns-spanned=\"2\"><text:p>båda"
           "</text:p></table:table-cell><table:covered-table-cell/></table:table-row>"
           "</table:table-rows></table:table>"
           "<text:p>   </text:p>" +
           std::string(kOdtEnd);
}

// --- PDF ------------------------------------------------------------------------------

// The text's lines as a typewriter would set them: at most 80 characters (UTF-8 bytes
// counted, which errs short), 45 lines to a page.
std::vector<std::vector<std::string>> PdfPages(const std::vector<Block>& blocks) {
    constexpr std::size_t kWidth = 80;
    constexpr std::size_t kLinesPerPage = 45;
    std::vector<std::string> lines;
    for (const Block& block : blocks) {
        std::string text = block.text;
        if (block.kind == Block::Kind::kItem) text = "- " + text;
        for (const std::string& cell : block.cells) text += (text.empty() ? "" : "   ") + cell;
        std::string line;
        std::size_t start = 0;
        while (start < text.size()) {
            std::size_t space = text.find(' ', start);
            if (space == std::string::npos) space = text.size();
            const std::string word = text.substr(start, space - start);
            if (!line.empty() && line.size() + 1 + word.size() > kWidth) {
                lines.push_back(line);
                line.clear();
            }
            line += (line.empty() ? "" : " ") + word;
            start = space + 1;
        }
        lines.push_back(line);
        lines.emplace_back();
    }
    std::vector<std::vector<std::string>> pages;
    for (std::size_t i = 0; i < lines.size(); i += kLinesPerPage) {
        pages.emplace_back(
            lines.begin() + static_cast<std::ptrdiff_t>(i),
            lines.begin() + static_cast<std::ptrdiff_t>(std::min(lines.size(), i + kLinesPerPage)));
    }
    return pages;
}

// --- files ----------------------------------------------------------------------------

std::optional<std::string> ReadFile(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The seeds, as (path below SEEDS_DIR, bytes).
std::vector<std::pair<fs::path, std::string>> Seeds(const fs::path& source_dir) {
    std::vector<std::pair<fs::path, std::string>> seeds;
    for (const std::string_view id : kCorpusDocuments) {
        const std::string name(id);
        const std::optional<std::string> text = ReadFile(source_dir / "corpus" / name / "text.md");
        if (!text) throw std::runtime_error("cannot read the corpus text of " + name);
        const std::vector<Block> blocks = ReadBlocks(*text);
        const std::string docx = DocxXml(blocks);
        const std::string odt = OdtXml(blocks);
        seeds.emplace_back(fs::path("docx") / (name + ".xml"), docx);
        seeds.emplace_back(fs::path("docx") / (name + ".docx"), styrdok::fuzz::DocxAround(docx));
        seeds.emplace_back(fs::path("odt") / (name + ".xml"), odt);
        seeds.emplace_back(fs::path("odt") / (name + ".odt"), styrdok::fuzz::OdtAround(odt));
        seeds.emplace_back(fs::path("pdf") / (name + ".pdf"),
                           styrdok::testing::MakePdf(PdfPages(blocks)));
        // The markdown target reads a title line before the text.
        const std::string title = blocks.empty() ? name : blocks.front().text;
        seeds.emplace_back(fs::path("markdown") / (name + ".md"), title + "\n" + *text);
    }
    const std::string docx = DocxFeatures();
    seeds.emplace_back("docx/features.xml", docx);
    seeds.emplace_back("docx/features.docx", styrdok::fuzz::DocxAround(docx));
    const std::string odt = OdtFeatures();
    seeds.emplace_back("odt/features.xml", odt);
    seeds.emplace_back("odt/features.odt", styrdok::fuzz::OdtAround(odt));
    seeds.emplace_back("pdf/blank-page.pdf", styrdok::testing::MakePdf({{}, {"Sida två"}}));
    return seeds;
}

}  // namespace

int main(int argc, char** argv) {
    const bool check = argc == 4 && std::string_view(argv[3]) == "--check";
    if (argc != 3 && !check) {
        std::cerr << "usage: fuzz_seeds SOURCE_DIR SEEDS_DIR [--check]\n";
        return 2;
    }
    const fs::path seeds_dir = argv[2];
    std::vector<std::pair<fs::path, std::string>> seeds;
    try {
        seeds = Seeds(argv[1]);
    } catch (const std::exception& error) {
        std::cerr << error.what() << "\n";
        return 1;
    }
    int differing = 0;
    for (const auto& [path, bytes] : seeds) {
        const fs::path file = seeds_dir / path;
        if (check) {
            if (ReadFile(file) != bytes) {
                std::cerr << file.string() << " is not what fuzz_seeds writes\n";
                ++differing;
            }
            continue;
        }
        fs::create_directories(file.parent_path());
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out << bytes;
        if (!out) {
            std::cerr << "cannot write " << file.string() << "\n";
            return 1;
        }
    }
    if (check && differing > 0) {
        std::cerr << "run: fuzz_seeds " << argv[1] << " " << argv[2] << "\n";
        return 1;
    }
    return 0;
}
