#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace styrdok::core {

/// What a document text (Markdown: CommonMark with GitHub's tables) must keep within so that
/// its page stays small and quick to render. A text beyond a limit is refused when it is saved
/// or imported; one stored before the limits existed is shown simplified instead.
enum class TextLimit {
    kBytes,         ///< the size of the text
    kTableColumns,  ///< the columns of one table, or the cells of one of its rows
    kTableCells,    ///< the cells of all tables together, header rows included
    kNesting,       ///< block quotes and list items inside one another
    kMarkup,        ///< markup characters (* _ [ < | " …) gathered in long paragraphs
    kPageBytes,     ///< the estimated size of the text as a web page
};

/// The limits, with the values Styrdok uses. Each guards against a way a short text makes
/// the renderer (cmark-gfm 0.29.0.gfm.6) slow or its page huge: see docs/operations.md.
struct TextLimits {
    std::size_t max_bytes = std::size_t{1} << 20;
    std::size_t max_table_columns = 64;
    std::size_t max_table_cells = 50'000;
    std::size_t max_nesting = 16;
    /// Markup work: per paragraph the square of its markup characters that are matched
    /// against each other (* _ ~ ' " [ ] ! <) plus its length times the places where the
    /// renderer scans ahead ("<?", "<!", "://", "www.", "@"), and 256 per markup character of
    /// any kind, summed over the text.
    std::size_t max_markup_work = 50'000'000;
    std::size_t max_page_bytes = std::size_t{8} << 20;
};

/// One limit a text goes beyond, with the figures a message names.
struct TextProblem {
    TextLimit limit = TextLimit::kBytes;
    std::size_t found = 0;    ///< what the text has: bytes, columns, cells, levels, characters
    std::size_t allowed = 0;  ///< the most the limit allows
    std::size_t line = 0;     ///< 1-based line where it is worst; 0 for the text as a whole
    bool operator==(const TextProblem&) const = default;
};

/// A GitHub table as the scan sees it, counted generously: its rows run to the next blank line.
struct TextTable {
    std::size_t begin = 0;    ///< byte offset where the header row's line starts
    std::size_t end = 0;      ///< byte offset just after its last row's line ending
    std::size_t line = 0;     ///< 1-based line of the header row
    std::size_t columns = 0;  ///< the most cells of its header, delimiter or any row
    std::size_t rows = 0;     ///< rows below the delimiter row
    bool operator==(const TextTable&) const = default;
};

struct TextScan {
    std::vector<TextProblem> problems;  ///< at most one per limit, in the order of TextLimit
    std::vector<TextTable> tables;      ///< in the order of the text
};

/// Scans `text` once, in time linear in its size, for what would make it explode when
/// rendered. Never throws for any bytes (invalid UTF-8 included); pure and thread-safe.
TextScan ScanText(std::string_view text, const TextLimits& limits = {});

/// ScanText(text, limits).problems: empty when the text may be saved.
std::vector<TextProblem> TextProblems(std::string_view text, const TextLimits& limits = {});

/// The problem as one Swedish sentence for the person who wrote the text ("Texten har en
/// tabell med 5 000 kolumner på rad 3; högst 64 går att visa.").
std::string SwedishMessage(const TextProblem& problem);

/// The problem in English, for the import's report ("a table with 5000 columns at line 3;
/// at most 64 can be shown").
std::string EnglishMessage(const TextProblem& problem);

}  // namespace styrdok::core
