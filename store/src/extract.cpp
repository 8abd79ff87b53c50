#include "styrdok/store/extract.hpp"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>
#include <zip.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <pugixml.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "pdf_pages.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/utf8.hpp"

namespace styrdok::store {

namespace {

// An honest DOCX's word/document.xml or ODT's content.xml is a few megabytes even for a
// long document (Word writes about ten times the text in markup, more for heavily formatted
// text), so 64 MiB leaves room for the most text a document may hold. The cap keeps a zip bomb from
// filling memory before pugixml sees a byte.
constexpr std::size_t kMaxXmlPartBytes = std::size_t{64} << 20;
// pugixml needs 64 bytes for an element or text node and 40 for an attribute, besides its
// copy of the part. Every element or text node comes with a '<' and every attribute with a
// '=', so counting both before parsing bounds the tree: 4 million (a formatted run every few
// characters of the most text allowed) is at most some 500 MB however dense the markup.
constexpr std::size_t kMaxXmlMarkup = 4'000'000;
// The PDF specification lets readers accept the header anywhere in the first 1024 bytes,
// and some producers do write junk before it.
constexpr std::size_t kPdfHeaderWindow = 1024;
constexpr int kMaxHeadingLevel = 6;
// Steps of work between two looks at the clock: a few microseconds of work each time.
constexpr unsigned kStepsPerClockCheck = 256;

// --- problems -------------------------------------------------------------------------
// Every message ExtractText throws. They are Swedish because they reach people as they are:
// the web form shows them under the upload field, and an import names them in its
// rejections. {kind} is "DOCX" or "ODT", {part} a part of the file, {limit} the bound passed.

enum class Problem {
    kUnknownKind,
    kTextNotUtf8,
    kNotAPdf,
    kDamagedPdf,
    kLockedPdf,
    kPdfTooLarge,
    kTooManyPages,
    kNotAnArchive,
    kMissingPart,
    kDamagedPart,
    kPartTooLarge,
    kPartNotUtf8,
    kMalformedXml,
    kTooMuchMarkup,
    kNotATextDocument,
    kTooDeep,
    kTooManyCells,
    kTextTooLarge,
    kTooSlow,
    kBusy,
};

struct ProblemText {
    Problem problem;
    ErrorCode code;
    std::string_view text;
};

constexpr ProblemText kProblemTexts[] = {
    {Problem::kUnknownKind, ErrorCode::kBadInput,
     "Ur den här sortens fil går ingen text att läsa (PDF, DOCX, ODT, Markdown eller text)."},
    {Problem::kTextNotUtf8, ErrorCode::kBadInput, "Texten är inte giltig UTF-8."},
    {Problem::kNotAPdf, ErrorCode::kBadInput, "Filen är ingen PDF."},
    {Problem::kDamagedPdf, ErrorCode::kBadInput, "PDF-filen är skadad."},
    {Problem::kLockedPdf, ErrorCode::kBadInput, "PDF-filen är låst med lösenord."},
    {Problem::kPdfTooLarge, ErrorCode::kTooLarge, "PDF-filen är större än {limit} MB."},
    {Problem::kTooManyPages, ErrorCode::kTooLarge, "PDF-filen har fler än {limit} sidor."},
    {Problem::kNotAnArchive, ErrorCode::kBadInput, "Filen är ingen {kind}-fil."},
    {Problem::kMissingPart, ErrorCode::kBadInput, "Filen är ingen {kind}-fil ({part} saknas)."},
    {Problem::kDamagedPart, ErrorCode::kBadInput, "Filen är ingen {kind}-fil ({part} är skadad)."},
    {Problem::kPartTooLarge, ErrorCode::kTooLarge,
     "Filen är för stor uppackad ({part} är större än {limit} MB)."},
    {Problem::kPartNotUtf8, ErrorCode::kBadInput,
     "Filen är ingen {kind}-fil ({part} är inte giltig UTF-8)."},
    {Problem::kMalformedXml, ErrorCode::kBadInput,
     "Filen är ingen {kind}-fil ({part} är inte korrekt XML)."},
    {Problem::kTooMuchMarkup, ErrorCode::kTooLarge,
     "Filen har för många XML-element och attribut (mer än {limit})."},
    {Problem::kNotATextDocument, ErrorCode::kBadInput,
     "Filen är inget {kind}-textdokument ({part} saknas)."},
    {Problem::kTooDeep, ErrorCode::kBadInput,
     "Filen är för djupt nästlad (mer än {limit} nivåer)."},
    {Problem::kTooManyCells, ErrorCode::kTooLarge,
     "En tabell i filen har för många celler (mer än {limit})."},
    {Problem::kTextTooLarge, ErrorCode::kTooLarge, "Texten blir större än {limit} MB."},
    {Problem::kTooSlow, ErrorCode::kTooLarge,
     "Filen tar för lång tid att läsa (mer än {limit} sekunder)."},
    {Problem::kBusy, ErrorCode::kTooManyRequests,
     "Servern läser redan in många filer. Försök igen om en stund."},
};

struct Details {
    std::string_view kind{};
    std::string_view part{};
    std::string limit{};
};

// A bound as people read it: "250 000", "8".
std::string Number(std::size_t value) {
    std::string digits = std::to_string(value);
    for (std::size_t at = digits.size(); at > 3; at -= 3) digits.insert(at - 3, 1, ' ');
    return digits;
}

std::string Megabytes(std::size_t bytes) { return Number(bytes >> 20); }

[[noreturn]] void Fail(Problem problem, const Details& details = {}) {
    const ProblemText* entry =
        std::find_if(std::begin(kProblemTexts), std::end(kProblemTexts),
                     [problem](const ProblemText& text) { return text.problem == problem; });
    std::string message(entry->text);
    for (const auto& [slot, value] :
         {std::pair<std::string_view, std::string_view>{"{kind}", details.kind},
          {"{part}", details.part},
          {"{limit}", details.limit}}) {
        if (const std::size_t at = message.find(slot); at != std::string::npos) {
            message.replace(at, slot.size(), value);
        }
    }
    throw Error(entry->code, message);
}

// --- bounds ---------------------------------------------------------------------------

// What one extraction may still spend: text bytes and time. Every loop over the input
// calls Step, so a file that takes too long is stopped within microseconds of its deadline.
class Budget {
public:
    explicit Budget(const ExtractLimits& limits)
        : limits_(limits), deadline_(std::chrono::steady_clock::now() + limits.max_time) {}

    const ExtractLimits& limits() const { return limits_; }

    void Step() {
        if (++steps_ % kStepsPerClockCheck == 0) CheckTime();
    }

    void CheckTime() const {
        if (std::chrono::steady_clock::now() >= deadline_) {
            Fail(Problem::kTooSlow,
                 {.limit = Number(static_cast<std::size_t>(
                      std::chrono::ceil<std::chrono::seconds>(limits_.max_time).count()))});
        }
    }

    // Text counts where it is made, also inside a table cell that the table repeats: the
    // bound is on work and memory as much as on the result, and an honest text is far below.
    void Spend(std::size_t bytes) {
        spent_ += bytes;
        if (spent_ > limits_.max_text_bytes) {
            Fail(Problem::kTextTooLarge, {.limit = Megabytes(limits_.max_text_bytes)});
        }
    }

private:
    const ExtractLimits& limits_;
    std::chrono::steady_clock::time_point deadline_;
    std::size_t spent_ = 0;
    unsigned steps_ = 0;
};

class Slots {
public:
    explicit Slots(std::size_t capacity) : capacity_(capacity), free_(capacity) {}

    std::size_t capacity() const { return capacity_; }

    void Acquire(std::chrono::milliseconds wait) {
        std::unique_lock lock(mutex_);
        if (!freed_.wait_for(lock, wait, [this] { return free_ > 0; })) Fail(Problem::kBusy);
        --free_;
    }

    void Release() {
        {
            const std::lock_guard lock(mutex_);
            ++free_;
        }
        freed_.notify_one();
    }

private:
    const std::size_t capacity_;
    std::size_t free_;
    std::mutex mutex_;
    std::condition_variable freed_;
};

// One per process: the server's request threads and an import share the machine.
Slots& ProcessSlots() {
    static Slots slots(std::max(1U, std::thread::hardware_concurrency()));
    return slots;
}

// --- text -----------------------------------------------------------------------------

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
    if (!core::IsValidUtf8(text)) Fail(Problem::kTextNotUtf8);
    return text;
}

// Markdown and plain text are stored as written: only a byte order mark and CR line ends
// go, so that text.md diffs cleanly whichever editor produced it.
std::string PassThrough(std::string_view bytes) {
    if (!core::IsValidUtf8(bytes)) Fail(Problem::kTextNotUtf8);
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

// --- PDF ------------------------------------------------------------------------------

void SilencePoppler() {
    // poppler prints every complaint about a damaged file to stderr; the caller gets our
    // Error instead, so the noise would only clutter an import's output.
    static std::once_flag once;
    std::call_once(
        once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

// The bounds hold between pages: poppler cannot be interrupted inside one, so a single
// hostile page can still cost what poppler makes of it (see docs/import.md). A page without
// text is an empty string, so that a caller can tell which pages are scanned.
std::vector<std::string> ExtractPdfPages(std::string_view bytes, Budget& budget) {
    if (bytes.substr(0, kPdfHeaderWindow).find("%PDF-") == std::string_view::npos) {
        Fail(Problem::kNotAPdf);
    }
    if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
        Fail(Problem::kPdfTooLarge, {.limit = Megabytes(static_cast<std::size_t>(INT_MAX) + 1)});
    }
    SilencePoppler();
    const std::unique_ptr<poppler::document> document(
        poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
    if (!document) Fail(Problem::kDamagedPdf);
    // An owner password only restricts printing or copying and poppler still reads the
    // text; a user password locks the content, which is what the caller must hear about.
    if (document->is_locked()) Fail(Problem::kLockedPdf);
    const int pages = document->pages();
    if (pages > budget.limits().max_pages) {
        Fail(Problem::kTooManyPages,
             {.limit = Number(static_cast<std::size_t>(budget.limits().max_pages))});
    }
    // Each page is tidied on its own, which comes to the same as tidying the pages joined
    // by blank lines, so that the bound counts the text as it will be stored.
    std::vector<std::string> texts(static_cast<std::size_t>(pages));
    for (int i = 0; i < pages; ++i) {
        budget.CheckTime();
        const std::unique_ptr<poppler::page> page(document->create_page(i));
        if (!page) continue;
        const poppler::byte_array utf8 =
            page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout).to_utf8();
        std::string tidy = TidyWhitespace(std::string_view(utf8.data(), utf8.size()));
        if (tidy.empty()) continue;
        budget.Spend(tidy.size() + 1);
        texts[static_cast<std::size_t>(i)] = RequireUtf8(std::move(tidy));
    }
    return texts;
}

std::string ExtractPdf(std::string_view bytes, Budget& budget) {
    std::string text;
    for (const std::string& page : ExtractPdfPages(bytes, budget)) {
        if (page.empty()) continue;
        if (!text.empty()) text += '\n';
        text += page;
    }
    return text;
}

// --- zip and XML ----------------------------------------------------------------------

// The file a DOCX or ODT reader is reading and the XML part it reads.
struct Package {
    std::string_view kind;  ///< "DOCX", "ODT"
    const char* part;       ///< "word/document.xml", "content.xml"
};

[[noreturn]] void FailPart(Problem problem, const Package& package, std::string limit = {}) {
    Fail(problem, {.kind = package.kind, .part = package.part, .limit = std::move(limit)});
}

// Reads the package's XML part from the zip archive held in memory.
std::string ReadXmlPart(std::string_view bytes, const Package& package, Budget& budget) {
    // libzip opens zero bytes as an empty archive; to a user they are no file at all.
    if (bytes.empty()) FailPart(Problem::kNotAnArchive, package);
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source == nullptr) {
        zip_error_fini(&error);
        FailPart(Problem::kNotAnArchive, package);
    }
    zip_t* archive = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
    zip_error_fini(&error);
    if (archive == nullptr) {
        zip_source_free(source);
        FailPart(Problem::kNotAnArchive, package);
    }
    const std::unique_ptr<zip_t, decltype(&zip_discard)> owner(archive, &zip_discard);
    const zip_int64_t index = zip_name_locate(archive, package.part, 0);
    if (index < 0) FailPart(Problem::kMissingPart, package);
    zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(index), 0);
    if (file == nullptr) FailPart(Problem::kDamagedPart, package);
    const std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file_owner(file, &zip_fclose);
    std::string content;
    char buffer[64 * 1024];
    for (;;) {
        budget.CheckTime();
        const zip_int64_t n = zip_fread(file, buffer, sizeof buffer);
        if (n < 0) FailPart(Problem::kDamagedPart, package);
        if (n == 0) break;
        content.append(buffer, static_cast<std::size_t>(n));
        if (content.size() > kMaxXmlPartBytes) {
            FailPart(Problem::kPartTooLarge, package, Megabytes(kMaxXmlPartBytes));
        }
    }
    return content;
}

// pugixml parses, moves and frees a tree without recursion (tested to 300 000 levels under
// ASan), so depth is checked on the parsed tree; the markup is counted first because the
// tree's memory is what a dense file inflates.
pugi::xml_document ParseXml(const std::string& xml, const Package& package) {
    if (!core::IsValidUtf8(xml)) FailPart(Problem::kPartNotUtf8, package);
    const auto markup = static_cast<std::size_t>(
        std::count_if(xml.begin(), xml.end(), [](char c) { return c == '<' || c == '='; }));
    if (markup > kMaxXmlMarkup) FailPart(Problem::kTooMuchMarkup, package, Number(kMaxXmlMarkup));
    pugi::xml_document document;
    // Whitespace-only text nodes carry meaning here (<w:t xml:space="preserve"> </w:t>).
    const pugi::xml_parse_result result = document.load_buffer(
        xml.data(), xml.size(), pugi::parse_default | pugi::parse_ws_pcdata, pugi::encoding_utf8);
    if (!result) FailPart(Problem::kMalformedXml, package);
    return document;
}

// Visits the nodes below `root` in document order, going into a node's children when
// `enter` returns true. Iterative: the tree's parent links take the place of a stack, so
// input depth costs no stack at all.
template <typename Enter>
void VisitBelow(const pugi::xml_node& root, Budget& budget, Enter&& enter) {
    pugi::xml_node node = root.first_child();
    while (node) {
        budget.Step();
        if (enter(node) && node.first_child()) {
            node = node.first_child();
            continue;
        }
        while (node != root && !node.next_sibling()) node = node.parent();
        if (node == root) break;
        node = node.next_sibling();
    }
}

void CheckDepth(const pugi::xml_document& document, Budget& budget) {
    const int max_depth = budget.limits().max_depth;
    int depth = 0;
    pugi::xml_node node = document.first_child();
    if (node) depth = 1;
    while (node) {
        budget.Step();
        if (depth > max_depth) {
            Fail(Problem::kTooDeep, {.limit = Number(static_cast<std::size_t>(max_depth))});
        }
        if (node.first_child()) {
            node = node.first_child();
            ++depth;
            continue;
        }
        while (node && !node.next_sibling()) {
            node = node.parent();
            --depth;
        }
        if (node) node = node.next_sibling();
    }
}

// --- blocks: paragraphs, lists and tables ---------------------------------------------

std::string Heading(int level) {
    return std::string(static_cast<std::size_t>(std::clamp(level, 1, kMaxHeadingLevel)), '#') + ' ';
}

std::string Flat(const std::string& text) {
    std::string flat;
    flat.reserve(text.size());
    for (char c : text) flat += c == '\n' ? ' ' : c;
    return flat;
}

// A trailing hard break ends nothing, and a paragraph of spaces is none.
bool FinishParagraph(std::string& text) {
    while (text.ends_with("\\\n")) text.resize(text.size() - 2);
    return !core::Trim(text).empty();
}

// The cells of a table in the order they are written, each with its row.
struct TableCell {
    std::size_t row;
    pugi::xml_node node;
};
struct TableLayout {
    std::size_t rows = 0;
    std::vector<TableCell> cells;
};

// Collects a table's cells row by row, refusing a table whose written grid (rows times the
// widest row, since every row is padded to it) passes the limit.
class LayoutBuilder {
public:
    explicit LayoutBuilder(Budget& budget) : budget_(budget) {}

    void AddRow() {
        ++layout_.rows;
        width_ = 0;
        Check();
    }
    void AddCell(const pugi::xml_node& cell) {
        budget_.Step();
        layout_.cells.push_back({layout_.rows - 1, cell});
        widest_ = std::max(widest_, ++width_);
        Check();
    }
    TableLayout Take() { return std::move(layout_); }

private:
    void Check() const {
        const std::size_t max = budget_.limits().max_table_cells;
        if (layout_.rows > max || widest_ > max || layout_.rows * widest_ > max) {
            Fail(Problem::kTooManyCells, {.limit = Number(max)});
        }
    }

    Budget& budget_;
    TableLayout layout_;
    std::size_t width_ = 0;
    std::size_t widest_ = 0;
};

// A table becomes a GitHub table, the first row its header, since text.md is CommonMark with
// GitHub tables; a cell's paragraphs are joined on one line because a table cell cannot
// hold a line break.
std::string RenderTable(const std::vector<std::vector<std::string>>& rows, Budget& budget) {
    std::size_t columns = 0;
    for (const auto& row : rows) columns = std::max(columns, row.size());
    if (columns == 0) return {};
    std::string out;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const std::size_t before = out.size();
        out += '|';
        for (std::size_t c = 0; c < columns; ++c) {
            budget.Step();
            out += ' ';
            if (c < rows[r].size()) {
                for (char ch : rows[r][c]) {
                    if (ch == '|') out += '\\';
                    out += ch == '\n' ? ' ' : ch;
                }
            }
            out += " |";
        }
        out += '\n';
        if (r == 0) {
            out += '|';
            for (std::size_t c = 0; c < columns; ++c) out += " --- |";
            out += '\n';
        }
        budget.Spend(out.size() - before);
    }
    return out;
}

// What a block-level element is to the reader.
enum class Role {
    kSkip,       ///< not text (properties, section settings, …)
    kParagraph,  ///< one block, read by the format's Paragraph
    kTable,      ///< its cells, laid out by the format's Layout
    kPass,       ///< a wrapper: its children are blocks where it stands
    kList,       ///< a wrapper whose paragraphs are list items (ODT's text:list)
    kListItem,   ///< its first block carries the bullet (ODT's text:list-item)
};

// The blocks of a document part, walked with a stack of open containers on the heap rather
// than by recursion: a table's cells, a list item's paragraphs and a wrapper's children each
// sit in a frame until read. `Format` says what an element is (RoleOf), reads a paragraph
// (Paragraph) and lists a table's cells (Layout).
template <typename Format>
class BlockReader {
public:
    explicit BlockReader(Budget& budget) : budget_(budget) {}

    std::string Read(const pugi::xml_node& root) {
        stack_.clear();
        stack_.push_back(Frame{.kind = Kind::kRoot, .next = root.first_child()});
        for (;;) {
            budget_.Step();
            if (stack_.back().kind == Kind::kTable) {
                NextCell();
                continue;
            }
            const pugi::xml_node node = stack_.back().next;
            if (!node) {
                if (stack_.size() == 1) break;
                Close();
                continue;
            }
            stack_.back().next = node.next_sibling();
            Open(node);
        }
        std::string text;
        for (const std::string& block : stack_.front().blocks) {
            text += block;
            text += "\n\n";
        }
        return text;
    }

private:
    enum class Kind { kRoot, kPass, kListItem, kCell, kTable };

    struct Frame {
        Kind kind = Kind::kRoot;
        pugi::xml_node next{};  ///< the next child to read; none when the container is done
        bool in_list = false;
        std::size_t collector = 0;  ///< the frame whose blocks this one's blocks join
        std::size_t result_to = 0;  ///< the frame a cell, list item or table ends up in
        std::vector<std::string> blocks{};
        std::size_t row = 0;   ///< a cell's row
        TableLayout layout{};  ///< a table's cells
        std::size_t next_cell = 0;
        std::vector<std::vector<std::string>> rows{};  ///< a table's cell texts so far
    };

    void Open(const pugi::xml_node& node) {
        const std::size_t top = stack_.size() - 1;
        const bool in_list = stack_[top].in_list;
        const std::size_t collector = stack_[top].collector;
        const Role role = Format::RoleOf(node);
        switch (role) {
            case Role::kSkip:
                break;
            case Role::kParagraph:
                if (std::string text = Format::Paragraph(node, in_list, budget_); !text.empty()) {
                    stack_[collector].blocks.push_back(std::move(text));
                }
                break;
            case Role::kTable: {
                Frame table{.kind = Kind::kTable, .result_to = collector};
                table.layout = Format::Layout(node, budget_);
                table.rows.resize(table.layout.rows);
                stack_.push_back(std::move(table));
                break;
            }
            case Role::kPass:
            case Role::kList:
                stack_.push_back(Frame{.kind = Kind::kPass,
                                       .next = node.first_child(),
                                       .in_list = in_list || role == Role::kList,
                                       .collector = collector});
                break;
            case Role::kListItem:
                stack_.push_back(Frame{.kind = Kind::kListItem,
                                       .next = node.first_child(),
                                       .collector = top + 1,
                                       .result_to = collector});
                break;
        }
    }

    void NextCell() {
        const std::size_t top = stack_.size() - 1;
        Frame& table = stack_[top];
        if (table.next_cell < table.layout.cells.size()) {
            const TableCell& cell = table.layout.cells[table.next_cell++];
            stack_.push_back(Frame{.kind = Kind::kCell,
                                   .next = cell.node.first_child(),
                                   .collector = top + 1,
                                   .result_to = top,
                                   .row = cell.row});
            return;
        }
        std::string rendered = RenderTable(table.rows, budget_);
        const std::size_t result_to = table.result_to;
        stack_.pop_back();
        if (!rendered.empty()) stack_[result_to].blocks.push_back(std::move(rendered));
    }

    void Close() {
        Frame done = std::move(stack_.back());
        stack_.pop_back();
        switch (done.kind) {
            case Kind::kCell: {
                std::string joined;
                for (const std::string& block : done.blocks) {
                    if (!joined.empty()) joined += ' ';
                    joined += block;
                }
                stack_[done.result_to].rows[done.row].push_back(std::move(joined));
                break;
            }
            case Kind::kListItem: {
                // Only the item's first paragraph carries the bullet; later ones continue
                // it, and a nested list's items keep their own.
                std::vector<std::string>& blocks = stack_[done.result_to].blocks;
                for (std::size_t i = 0; i < done.blocks.size(); ++i) {
                    const bool nested = done.blocks[i].starts_with("- ");
                    if (i == 0 && !nested) {
                        budget_.Spend(2);
                        blocks.push_back("- " + done.blocks[i]);
                    } else {
                        blocks.push_back(std::move(done.blocks[i]));
                    }
                }
                break;
            }
            case Kind::kRoot:
            case Kind::kPass:
            case Kind::kTable:
                break;
        }
    }

    Budget& budget_;
    std::vector<Frame> stack_;
};

// --- DOCX (WordprocessingML) ----------------------------------------------------------
// pugixml does not resolve namespaces, so elements are matched by the prefixes Word and
// every other producer write ("w:", "mc:").

struct Docx {
    static constexpr Package kPackage{"DOCX", "word/document.xml"};

    static Role RoleOf(const pugi::xml_node& node) {
        const std::string_view name = node.name();
        if (name == "w:p") return Role::kParagraph;
        if (name == "w:tbl") return Role::kTable;
        if (name == "w:sdt" || name == "w:sdtContent" || name == "w:customXml" || name == "w:ins" ||
            name == "w:smartTag") {
            return Role::kPass;
        }
        return Role::kSkip;
    }

    static int HeadingLevel(const pugi::xml_node& paragraph) {
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

    static std::string Paragraph(const pugi::xml_node& paragraph, bool /*in_list*/,
                                 Budget& budget) {
        std::string text;
        const auto add = [&](std::string_view piece) {
            budget.Spend(piece.size());
            text += piece;
        };
        VisitBelow(paragraph, budget, [&](const pugi::xml_node& node) {
            const std::string_view name = node.name();
            if (name == "w:t") {
                add(node.text().get());
            } else if (name == "w:tab") {
                add(" ");
            } else if (name == "w:br" || name == "w:cr") {
                const std::string_view type = node.attribute("w:type").value();
                // A page or column break ends nothing in the text; a line break is a
                // Markdown hard break, which a backslash at the end of the line writes.
                add(type.empty() || type == "textWrapping" ? "\\\n" : " ");
            } else if (name == "w:noBreakHyphen") {
                add("-");
            } else if (name == "w:pPr" || name == "w:rPr" || name == "w:del" ||
                       name == "w:instrText" || name == "w:delText" || name == "mc:Fallback") {
                // Properties, deleted revisions and field codes are not text; mc:Fallback
                // repeats the mc:Choice already read.
            } else {
                return true;
            }
            return false;
        });
        if (!FinishParagraph(text)) return {};
        if (const int level = HeadingLevel(paragraph); level > 0) {
            return Heading(level) + Flat(text);
        }
        if (paragraph.child("w:pPr").child("w:numPr")) return "- " + text;
        return text;
    }

    static TableLayout Layout(const pugi::xml_node& table, Budget& budget) {
        LayoutBuilder layout(budget);
        for (const pugi::xml_node& row : table.children("w:tr")) {
            layout.AddRow();
            for (const pugi::xml_node& cell : row.children("w:tc")) layout.AddCell(cell);
        }
        return layout.Take();
    }
};

std::string ExtractDocx(std::string_view bytes, Budget& budget) {
    const std::string xml = ReadXmlPart(bytes, Docx::kPackage, budget);
    const pugi::xml_document document = ParseXml(xml, Docx::kPackage);
    CheckDepth(document, budget);
    const pugi::xml_node body = document.child("w:document").child("w:body");
    if (!body) Fail(Problem::kMissingPart, {.kind = "DOCX", .part = "w:body"});
    return RequireUtf8(TidyWhitespace(BlockReader<Docx>(budget).Read(body)));
}

// --- ODT (OpenDocument text) ----------------------------------------------------------

struct Odt {
    static constexpr Package kPackage{"ODT", "content.xml"};

    static Role RoleOf(const pugi::xml_node& node) {
        const std::string_view name = node.name();
        if (name == "text:p" || name == "text:h") return Role::kParagraph;
        if (name == "text:list") return Role::kList;
        if (name == "text:list-item" || name == "text:list-header") return Role::kListItem;
        if (name == "table:table") return Role::kTable;
        if (name == "text:section" || name == "text:index-body" ||
            name == "text:table-of-content" || name == "draw:frame" || name == "draw:text-box") {
            return Role::kPass;
        }
        return Role::kSkip;
    }

    static std::string Paragraph(const pugi::xml_node& paragraph, bool in_list, Budget& budget) {
        std::string text;
        const auto add = [&](std::string_view piece) {
            budget.Spend(piece.size());
            text += piece;
        };
        VisitBelow(paragraph, budget, [&](const pugi::xml_node& node) {
            if (node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata) {
                // ODF collapses white space in text like HTML does; text:s and text:tab
                // carry the deliberate kind.
                const std::string_view value = node.value();
                budget.Spend(value.size());
                for (const char c : value) {
                    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
                    if (!space) {
                        text += c;
                    } else if (!text.empty() && text.back() != ' ' && text.back() != '\n') {
                        text += ' ';
                    }
                }
                return false;
            }
            const std::string_view name = node.name();
            if (name == "text:s" || name == "text:tab") {
                // One space, whatever text:c asks for: the text is tidied afterwards and any
                // run of spaces becomes one, so a count of two billion costs nothing.
                add(" ");
            } else if (name == "text:line-break") {
                add("\\\n");
            } else if (name == "text:note" || name == "office:annotation" ||
                       name == "office:annotation-end" || name == "text:bookmark-ref" ||
                       name == "text:soft-page-break") {
                // Notes and comments are not part of the running text; a note's body would
                // otherwise land mid-sentence.
            } else {
                return true;
            }
            return false;
        });
        if (!FinishParagraph(text)) return {};
        if (std::string_view(paragraph.name()) == "text:h") {
            return Heading(paragraph.attribute("text:outline-level").as_int(1)) + Flat(text);
        }
        if (in_list) return "- " + text;
        return text;
    }

    static TableLayout Layout(const pugi::xml_node& table, Budget& budget) {
        LayoutBuilder layout(budget);
        const auto add_rows = [&](const pugi::xml_node& parent) {
            for (const pugi::xml_node& row : parent.children("table:table-row")) {
                layout.AddRow();
                for (const pugi::xml_node& cell : row.children()) {
                    const std::string_view name = cell.name();
                    if (name == "table:table-cell" || name == "table:covered-table-cell") {
                        layout.AddCell(cell);
                    }
                }
            }
        };
        add_rows(table.child("table:table-header-rows"));
        add_rows(table);
        for (const pugi::xml_node& group : table.children("table:table-rows")) add_rows(group);
        return layout.Take();
    }
};

std::string ExtractOdt(std::string_view bytes, Budget& budget) {
    const std::string xml = ReadXmlPart(bytes, Odt::kPackage, budget);
    const pugi::xml_document document = ParseXml(xml, Odt::kPackage);
    CheckDepth(document, budget);
    const pugi::xml_node text =
        document.child("office:document-content").child("office:body").child("office:text");
    if (!text) Fail(Problem::kNotATextDocument, {.kind = "ODT", .part = "office:text"});
    return RequireUtf8(TidyWhitespace(BlockReader<Odt>(budget).Read(text)));
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

ExtractionSlot::ExtractionSlot(std::chrono::milliseconds wait) { ProcessSlots().Acquire(wait); }

ExtractionSlot::~ExtractionSlot() { ProcessSlots().Release(); }

std::size_t ExtractionSlot::Capacity() { return ProcessSlots().capacity(); }

namespace detail {

std::vector<std::string> ExtractPdfPages(std::string_view bytes, const ExtractLimits& limits) {
    const ExtractionSlot slot(limits.slot_wait);
    Budget budget(limits);
    return ExtractPdfPages(bytes, budget);
}

}  // namespace detail

std::string ExtractText(FileKind kind, std::string_view bytes, const ExtractLimits& limits) {
    if (kind == FileKind::kMarkdown || kind == FileKind::kPlainText) return PassThrough(bytes);
    if (kind == FileKind::kUnknown) Fail(Problem::kUnknownKind);
    const ExtractionSlot slot(limits.slot_wait);
    Budget budget(limits);
    if (kind == FileKind::kPdf) return ExtractPdf(bytes, budget);
    if (kind == FileKind::kDocx) return ExtractDocx(bytes, budget);
    return ExtractOdt(bytes, budget);
}

}  // namespace styrdok::store
