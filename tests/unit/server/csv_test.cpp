// The dashboard's CSV cells (render/csv.hpp): quoting, the Swedish separator, and cells that a
// spreadsheet would otherwise run as formulas (issue 15).
#include "render/csv.hpp"

#include <gtest/gtest.h>

#include <string>

namespace styrdok::server {
namespace {

TEST(Csv, QuotesWhatWouldSplitACellAndNeutralisesFormulas) {
    const struct {
        const char* cell;
        const char* written;
    } cases[] = {
        {"Arbetsmiljöpolicy", "Arbetsmiljöpolicy"},
        {"Riktlinjer för representation, gåvor", "Riktlinjer för representation, gåvor"},
        {"a;b", "\"a;b\""},
        {"säger \"nej\"", "\"säger \"\"nej\"\"\""},
        {"två\nrader", "\"två\nrader\""},
        {"=HYPERLINK(\"http://x\";\"klicka\")", "\"'=HYPERLINK(\"\"http://x\"\";\"\"klicka\"\")\""},
        {"+46 470 410 00", "'+46 470 410 00"},
        {"-1+1", "'-1+1"},
        {"@SUM(A1)", "'@SUM(A1)"},
        {"\t=1", "'\t=1"},
        {"", ""},
        {"2026-11-23", "2026-11-23"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.cell);
        std::string csv;
        AppendCsvRecord(csv, {c.cell});
        EXPECT_EQ(csv, std::string(c.written) + "\r\n");
    }
    std::string record;
    AppendCsvRecord(record, {"a", "b", ""});
    EXPECT_EQ(record, "a;b;\r\n");
}

}  // namespace
}  // namespace styrdok::server
