// CSV registers from spreadsheets: the parser answers with a table or Error(kBadInput),
// never anything else.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "csv_register.hpp"
#include "styrdok/core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        styrdok::store::detail::CsvTable table = styrdok::store::detail::ParseCsv(text);
        if (table.header.empty()) std::abort();
    } catch (const styrdok::Error& error) {
        if (error.code() != styrdok::ErrorCode::kBadInput) std::abort();
    }
    return 0;
}
