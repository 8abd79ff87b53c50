#include "search_params.hpp"

#include <algorithm>
#include <charconv>

#include "styrdok/core/error.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/utf8.hpp"

namespace styrdok::server {

namespace {

std::size_t PositiveNumber(const Request& request, std::string_view name, std::size_t fallback,
                           std::size_t max) {
    std::string text = request.Param(name);
    if (text.empty()) return fallback;
    std::size_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 1 || value > max) {
        throw Error(ErrorCode::kBadInput,
                    std::string(name) + " ska vara ett heltal 1–" + std::to_string(max));
    }
    return value;
}

bool Switch(const Request& request, std::string_view name) {
    std::string text = request.Param(name);
    if (text.empty() || text == "true" || text == "1") return true;
    if (text == "false" || text == "0") return false;
    throw Error(ErrorCode::kBadInput, std::string(name) + " ska vara true eller false");
}

}  // namespace

indexer::SearchRequest ParseSearchRequest(const Request& request) {
    indexer::SearchRequest search;
    search.query = request.Param("q");
    if (search.query.size() > kMaxQueryBytes) {
        throw Error(ErrorCode::kBadInput,
                    "sökfrågan är för lång (högst " + std::to_string(kMaxQueryBytes) + " byte)");
    }
    search.doctype = request.Params("doctype");
    search.category = request.Param("category");
    search.decided_by = request.Params("decided_by");
    search.owner = request.Param("owner");
    search.goal_area = request.Params("goal_area");
    search.dnr = request.Param("dnr");
    for (std::string id : request.Params("implements")) {
        id = std::string(core::Trim(id));
        if (id.empty()) continue;
        if (!core::IsValidDocumentId(id)) {
            throw Error(ErrorCode::kBadInput, "implements ska vara ett dokument-id");
        }
        search.implements.push_back(std::move(id));
    }
    search.status = request.Param("status");
    if (std::string valid_on = request.Param("valid_on"); !valid_on.empty()) {
        search.valid_on = core::Date::Parse(valid_on);
        if (!search.valid_on) {
            throw Error(ErrorCode::kBadInput, "valid_on ska vara ett datum (ÅÅÅÅ-MM-DD)");
        }
    }
    std::optional<indexer::SortOrder> sort = indexer::ParseSortOrder(request.Param("sort"));
    if (!sort) {
        throw Error(ErrorCode::kBadInput,
                    "okänd sortering (relevance, decided_on, -decided_on, title)");
    }
    search.sort = *sort;
    search.page = PositiveNumber(request, "page", 1, kMaxPage);
    search.per_page = PositiveNumber(request, "per_page", 20, 100);
    search.facets = Switch(request, "facets");
    search.snippets = Switch(request, "snippets");
    return search;
}

void ExpandImplements(indexer::SearchRequest& search, const store::Snapshot& snapshot) {
    const std::vector<std::string> asked = search.implements;
    for (const std::string& id : asked) {
        if (search.implements.size() >= kMaxImplementing) break;
        for (std::string& below : snapshot.ImplementingBelow(id, kMaxImplementing)) {
            search.implements.push_back(std::move(below));
        }
    }
    std::sort(search.implements.begin(), search.implements.end());
    search.implements.erase(std::unique(search.implements.begin(), search.implements.end()),
                            search.implements.end());
}

}  // namespace styrdok::server
