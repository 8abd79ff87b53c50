// Searches as anyone asks for them: on a small real index, every query is answered (a
// malformed one as well as it can be) and never throws. An input that starts with '?' is
// the query string of a request to the search API, read as the server reads it, whose bad
// parameters are refused as bad input (by the request's reader or, for a filter value, by
// the search); any other is the search text.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "handlers/search_params.hpp"
#include "http.hpp"
#include "request_handler.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/indexer/index.hpp"
#include "styrdok/indexer/search.hpp"
#include "styrdok/store/store.hpp"
#include "support.hpp"

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
    using namespace styrdok;
    static Fixture fixture;
    const std::string_view input = fuzz::AsText(data, size);
    if (input.starts_with('?')) {
        try {
            server::Request http;
            server::ParseTarget("/api/v1/search" + std::string(input), http);
            fixture.searcher->Search(server::ParseSearchRequest(http));
        } catch (const Error& error) {
            fuzz::ExpectCode(error, {ErrorCode::kBadInput});
            fuzz::ExpectMessage(error.what());
        }
        return 0;
    }
    indexer::SearchRequest request;
    request.query = input;
    for (const char* status : {"gällande", "alla"}) {
        request.status = status;
        fixture.searcher->Search(request);
    }
    return 0;
}
