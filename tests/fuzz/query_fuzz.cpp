// Search queries as typed by anyone: on a small real index, every query is answered (a
// malformed one as well as it can be) and never throws.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "styrdok/core/metadata.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/indexer/index.hpp"
#include "styrdok/indexer/search.hpp"
#include "styrdok/store/store.hpp"

namespace {

namespace fs = std::filesystem;

struct Fixture {
    fs::path dir;
    styrdok::core::Schema schema;
    std::unique_ptr<styrdok::indexer::Searcher> searcher;

    Fixture()
        : dir(fs::temp_directory_path() / ("styrdok-query-fuzz-" + std::to_string(::getpid()))),
          schema(styrdok::core::Schema::Load(fs::path(STYRDOK_SOURCE_DIR) / "schema/default.xml")) {
        fs::remove_all(dir);
        auto store = styrdok::store::Store::Init(dir / "repository");
        styrdok::store::CommitRequest request;
        request.author = {"Fuzz", "fuzz@exempelby.se"};
        request.message = "Fuzz fixture";
        const char* texts[] = {"Arbetsmiljöpolicyn gäller alla förvaltningar och bolag.",
                               "Internkontrollplan för kommunstyrelsen: attest och representation.",
                               "Ägardirektiv för Kommunfastigheter i Exempelby AB."};
        const char* doctypes[] = {"policy", "plan", "agardirektiv"};
        for (int i = 0; i < 3; ++i) {
            styrdok::store::DocumentWrite write;
            write.metadata.id = "dokument-" + std::to_string(i);
            write.metadata.title = texts[i];
            write.metadata.doctype = doctypes[i];
            write.metadata.decided_by = "kf";
            write.metadata.decided_on = styrdok::core::Date::FromYmd(2020 + i, 3, 1);
            write.metadata.dnr = "KS 2020/" + std::to_string(i + 1);
            write.text = texts[i];
            request.writes.push_back(std::move(write));
        }
        store.Commit(request);
        styrdok::indexer::Index::Open(dir / "index", schema).Sync(store);
        searcher = std::make_unique<styrdok::indexer::Searcher>(
            styrdok::indexer::Searcher::Open(dir / "index", schema));
    }
    ~Fixture() {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Fixture fixture;
    styrdok::indexer::SearchRequest request;
    request.query.assign(reinterpret_cast<const char*>(data), size);
    for (const char* status : {"gällande", "alla"}) {
        request.status = status;
        fixture.searcher->Search(request);
    }
    return 0;
}
