#include "csv.hpp"

#include <string_view>

namespace styrdok::server {

namespace {

constexpr char kSeparator = ';';

std::string CsvField(std::string_view value) {
    std::string cell;
    if (!value.empty() &&
        std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos) {
        cell += '\'';
    }
    cell += value;
    if (cell.find_first_of(";\"\r\n") == std::string::npos) return cell;
    std::string quoted = "\"";
    for (char c : cell) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

}  // namespace

void AppendCsvRecord(std::string& csv, const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) csv += kSeparator;
        csv += CsvField(fields[i]);
    }
    csv += "\r\n";
}

Response CsvResponse(std::string csv, const std::string& filename) {
    Response response;
    response.content_type = "text/csv; charset=utf-8; header=present";
    response.body = "\xEF\xBB\xBF" + std::move(csv);
    response.headers.emplace_back("Content-Disposition",
                                  "attachment; filename=\"" + filename + "\"");
    response.cache_control = "no-store";
    return response;
}

}  // namespace styrdok::server
