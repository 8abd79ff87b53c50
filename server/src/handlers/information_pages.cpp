// The register of kommunala föreskrifter, the accessibility statement, and the static assets.
#include <sodium.h>

#include "../render/html.hpp"
#include "../render/labels.hpp"
#include "page.hpp"
#include "styrdok/core/error.hpp"

namespace styrdok::server {

namespace {

// When the accessibility statement was last reviewed; change it with the statement.
constexpr const char* kStatementDate = "2026-11-23";

Response RegulationsPage(const Site& site, const Request& request) {
    indexer::SearchRequest search;
    search.today = site.Today();
    for (const core::DocType& type : site.schema.doctypes()) {
        if (type.is_regulation) search.doctype.push_back(type.id);
    }
    search.sort = indexer::SortOrder::kTitle;
    search.per_page = 100;
    search.facets = false;
    search.snippets = false;
    mstch::array items;
    if (!search.doctype.empty()) {
        ReaderPool::Lease reader = site.readers.Acquire();
        // The register lists every föreskrift in force, however many: page through them all.
        for (search.page = 1;; ++search.page) {
            indexer::SearchResult result = reader->searcher.Search(search);
            for (const indexer::Hit& hit : result.hits) {
                std::optional<store::Document> document = reader->store.Read(hit.id);
                std::string paragraph = document ? document->metadata.paragraph : std::string();
                items.push_back(mstch::map{
                    {"url", Text(DocumentUrl(hit.id))},
                    {"title", Text(hit.title)},
                    {"dnr", Text(hit.dnr)},
                    {"decided_by_name", Text(BodyName(site.schema, hit.decided_by))},
                    {"decided_on", Text(hit.decided_on)},
                    {"paragraph", Text(paragraph)},
                    {"valid_from", Text(hit.valid_from)},
                });
            }
            if (result.hits.size() < search.per_page) break;
        }
    }
    mstch::map context = PageContext(site, request, "Kommunala föreskrifter");
    context["is_foreskrifter_page"] = true;
    context["total_text"] =
        Text(items.size() == 1 ? "1 föreskrift" : std::to_string(items.size()) + " föreskrifter");
    context["empty"] = items.empty();
    context["items"] = items;
    return Page(site, "foreskrifter", context);
}

Response AccessibilityPage(const Site& site, const Request& request) {
    mstch::map context = PageContext(site, request, "Tillgänglighetsredogörelse");
    context["statement_date"] = Text(kStatementDate);
    context["is_tillganglighet_page"] = true;
    return Page(site, "tillganglighet", context);
}

std::string AssetType(std::string_view name) {
    auto ends = [&name](std::string_view suffix) { return name.ends_with(suffix); };
    if (ends(".css")) return "text/css; charset=utf-8";
    if (ends(".svg")) return "image/svg+xml";
    if (ends(".png")) return "image/png";
    if (ends(".ico")) return "image/x-icon";
    if (ends(".woff2")) return "font/woff2";
    if (ends(".txt")) return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

// Assets are looked up by name among the files read at start-up, never opened by a path
// built from the request, so no request can reach outside templates/assets.
Response Asset(const Site& site, const std::string& name) {
    auto found = site.assets.find(name);
    if (found == site.assets.end()) throw Error(ErrorCode::kNotFound, "filen finns inte");
    Response response;
    response.content_type = AssetType(name);
    response.body = found->second;
    unsigned char hash[16];
    crypto_generichash(hash, sizeof hash,
                       reinterpret_cast<const unsigned char*>(response.body.data()),
                       response.body.size(), nullptr, 0);
    char hex[sizeof hash * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    response.etag = hex;
    response.cache_control = "public, max-age=3600";
    return response;
}

}  // namespace

void AddInformationPageRoutes(Router& router, const Site& site) {
    router.Add("GET", "/foreskrifter",
               site.Cached([&site](const Request& request, const PathParams&) {
                   return RegulationsPage(site, request);
               }));
    router.Add("GET", "/tillganglighet", [&site](const Request& request, const PathParams&) {
        return AccessibilityPage(site, request);
    });
    router.Add("GET", "/assets/{name}",
               [&site](const Request&, const PathParams& p) { return Asset(site, p.at("name")); });
    router.Add("GET", "/favicon.ico", [&site](const Request&, const PathParams&) {
        return Asset(site, site.assets.count("favicon.ico") ? "favicon.ico" : "favicon.svg");
    });
    router.Add("GET", "/robots.txt", [](const Request&, const PathParams&) {
        Response response;
        response.content_type = "text/plain; charset=utf-8";
        response.body = "User-agent: *\nDisallow: /api/\n";
        response.cache_control = "public, max-age=86400";
        return response;
    });
}

}  // namespace styrdok::server
