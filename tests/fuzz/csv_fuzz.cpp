// CSV registers from spreadsheets: the parser answers with a table or Error(kBadInput), and
// the import reads the register's rows into metadata, validates them and fetches their
// originals (a Markdown text, a plain text and a DOCX beside the register) without throwing:
// every problem is a rejection. The import is strict, so only a register without a single
// problem writes to the fixture's store.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "csv_register.hpp"
#include "packages.hpp"
#include "styrdok/core/date.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/store/import.hpp"
#include "styrdok/store/store.hpp"
#include "support.hpp"

namespace {

namespace fs = std::filesystem;

void Write(const fs::path& file, std::string_view bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) styrdok::fuzz::Broken("the fixture can write its files");
}

struct Fixture {
    fs::path dir;
    fs::path register_file;
    styrdok::core::Schema schema;
    styrdok::store::Store store;

    Fixture()
        : dir(fs::temp_directory_path() / ("styrdok-csv-fuzz-" + std::to_string(::getpid()))),
          register_file(dir / "register" / "register.csv"),
          schema(styrdok::core::Schema::Load(fs::path(STYRDOK_SOURCE_DIR) / "schema/default.xml")),
          store(InitStore(dir)) {
        fs::create_directories(dir / "register" / "texter");
        Write(dir / "register" / "texter" / "a.md", "# Policy\n\nAlla gäller.\n");
        Write(dir / "register" / "texter" / "b.txt", "Riktlinjen gäller alla.\n");
        Write(dir / "register" / "texter" / "c.docx",
              styrdok::fuzz::DocxAround(
                  "<w:document><w:body><w:p><w:r><w:t>Plan</w:t></w:r></w:p></w:body>"
                  "</w:document>"));
    }
    ~Fixture() {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }

    static styrdok::store::Store InitStore(const fs::path& dir) {
        fs::remove_all(dir);
        return styrdok::store::Store::Init(dir / "repository");
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace styrdok;
    static Fixture fixture;
    const std::string_view text = fuzz::AsText(data, size);
    try {
        const store::detail::CsvTable table = store::detail::ParseCsv(text);
        fuzz::Expect(!table.header.empty(), "a table has a header");
    } catch (const Error& error) {
        fuzz::ExpectCode(error, {ErrorCode::kBadInput});
    }
    Write(fixture.register_file, text);
    store::ImportOptions options;
    options.strict = true;
    options.today = *core::Date::FromYmd(2030, 1, 1);
    const store::ImportReport report =
        store::Import(fixture.store, fixture.schema, {fixture.register_file}, options);
    fuzz::Expect(report.rejected.empty() || !report.commit,
                 "a strict import with rejections writes nothing");
    return 0;
}
