#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace styrdok::store::detail {

/// One record of a CSV file: its fields and the line it starts on (1-based).
struct CsvRecord {
    std::size_t line = 0;
    std::vector<std::string> fields;
};

/// A CSV register: the header's field names and the records after it.
struct CsvTable {
    char separator = ',';
    std::vector<std::string> header;
    std::vector<CsvRecord> records;
};

/// Parses CSV as RFC 4180 describes it, with the leniencies registers exported from
/// spreadsheets need: LF or CRLF line ends, an optional UTF-8 byte order mark, and ';' or
/// ',' as separator, whichever occurs more often outside quotes in the header line. Empty
/// lines are skipped. Fields are returned as written (not trimmed, not checked for UTF-8).
/// Throws Error(kBadInput) "line N: …" for a quoted field that never ends or text after a
/// closing quote, and for a file without a header line.
CsvTable ParseCsv(std::string_view text);

}  // namespace styrdok::store::detail
