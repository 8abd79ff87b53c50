#pragma once

// CSV for spreadsheets (the clerks' dashboard and yearly report): RFC 4180 quoting with the
// semicolon that Swedish Excel expects between fields, and cells that Excel would run as a
// formula made plain text.

#include <string>
#include <vector>

#include "../http.hpp"

namespace styrdok::server {

/// Appends one record: fields separated by ';', CRLF at the end; a field quoted when it holds
/// ';', '"', CR or LF, quotes doubled. A field that starts with '=', '+', '-', '@', a tab or a
/// CR gets a leading apostrophe, so that a spreadsheet shows it as text instead of computing
/// it (OWASP's advice against CSV injection): a title such as "=HYPERLINK(…)" written by a
/// document owner must never run on a clerk's machine.
void AppendCsvRecord(std::string& csv, const std::vector<std::string>& fields);

/// A CSV download: UTF-8 with a byte order mark (so Excel reads å, ä and ö), never stored.
Response CsvResponse(std::string csv, const std::string& filename);

}  // namespace styrdok::server
