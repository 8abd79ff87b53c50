#include "csv_register.hpp"

#include "styrdok/core/error.hpp"

namespace styrdok::store::detail {

namespace {

[[noreturn]] void BadInput(std::size_t line, const std::string& message) {
    throw Error(ErrorCode::kBadInput, "line " + std::to_string(line) + ": " + message);
}

// Counts ';' and ',' outside quotes on the first line; a header with neither is a
// one-column file, for which the separator does not matter.
char DetectSeparator(std::string_view text) {
    std::size_t semicolons = 0;
    std::size_t commas = 0;
    bool quoted = false;
    for (const char c : text) {
        if (c == '"') {
            quoted = !quoted;
        } else if (!quoted && (c == '\n' || c == '\r')) {
            break;
        } else if (!quoted && c == ';') {
            ++semicolons;
        } else if (!quoted && c == ',') {
            ++commas;
        }
    }
    return semicolons > commas ? ';' : ',';
}

enum class State { kFieldStart, kUnquoted, kQuoted, kAfterQuote };

}  // namespace

CsvTable ParseCsv(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    const char separator = DetectSeparator(text);

    std::vector<CsvRecord> records;
    CsvRecord record{1, {}};
    std::string field;
    bool has_content = false;  // distinguishes an empty line from a record of empty fields
    std::size_t line = 1;
    std::size_t quote_line = 0;
    State state = State::kFieldStart;

    const auto end_field = [&] {
        record.fields.push_back(std::move(field));
        field.clear();
        state = State::kFieldStart;
    };
    // Called on a line end outside quotes; `i` is moved past a CRLF pair.
    const auto end_line = [&](std::size_t& i) {
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        if (has_content) {
            end_field();
            records.push_back(std::move(record));
        }
        ++line;
        record = CsvRecord{line, {}};
        field.clear();
        has_content = false;
        state = State::kFieldStart;
    };

    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool line_end = c == '\n' || c == '\r';
        switch (state) {
            case State::kFieldStart:
                if (c == '"') {
                    state = State::kQuoted;
                    quote_line = line;
                    has_content = true;
                    break;
                }
                [[fallthrough]];
            case State::kUnquoted:
                if (line_end) {
                    end_line(i);
                } else if (c == separator) {
                    has_content = true;
                    end_field();
                } else {
                    field += c;
                    has_content = true;
                    state = State::kUnquoted;
                }
                break;
            case State::kQuoted:
                if (c == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') {
                        field += '"';
                        ++i;
                    } else {
                        state = State::kAfterQuote;
                    }
                } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
                    // A line break inside a field is kept, as LF like every text we store.
                    field += '\n';
                    ++i;
                    ++line;
                } else {
                    if (c == '\n') ++line;
                    field += c;
                }
                break;
            case State::kAfterQuote:
                if (line_end) {
                    end_line(i);
                } else if (c == separator) {
                    end_field();
                } else {
                    BadInput(line, "text after the closing quote of a field");
                }
                break;
        }
    }
    if (state == State::kQuoted) BadInput(quote_line, "a quoted field never ends");
    if (has_content) {
        end_field();
        records.push_back(std::move(record));
    }
    if (records.empty()) BadInput(1, "no header line");

    CsvTable table;
    table.separator = separator;
    table.header = std::move(records.front().fields);
    records.erase(records.begin());
    table.records = std::move(records);
    return table;
}

}  // namespace styrdok::store::detail
