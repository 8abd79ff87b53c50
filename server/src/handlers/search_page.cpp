// "/": the search page. One box, facets as filters with counts, snippets, paging, sort and
// "gällande per datum"; with no search text it lists every document in force.
#include <algorithm>

#include "../render/html.hpp"
#include "../render/labels.hpp"
#include "page.hpp"
#include "search_params.hpp"
#include "styrdok/core/error.hpp"

namespace styrdok::server {

namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

struct FacetSpec {
    const char* name;   ///< query parameter and SearchResult facet
    const char* label;  ///< heading
    bool multiple;      ///< several values may be chosen at once
    std::size_t max_values;
};

constexpr FacetSpec kFacets[] = {
    {"doctype", "Dokumenttyp", true, 50},     {"category", "Kategori", false, 10},
    {"decided_by", "Beslutad av", true, 50},  {"goal_area", "Målområde", true, 50},
    {"owner", "Dokumentansvarig", false, 15}, {"status", "Status", false, 10},
};

// Every parameter that narrows a search; they survive a new search text.
constexpr const char* kFilterParams[] = {"doctype", "category", "decided_by", "goal_area",
                                         "owner",   "status",   "dnr",        "implements"};

std::string ValueLabel(const Site& site, std::string_view facet, const std::string& value) {
    if (facet == "doctype") return DocTypeLabel(site.schema, value);
    if (facet == "decided_by") return BodyName(site.schema, value);
    if (facet == "goal_area") return GoalAreaName(site.schema, value);
    if (facet == "status") return StatusLabel(value);
    if (facet == "category") return CategoryLabel(value);
    return value;
}

// The request's parameters without paging: the base of every link on the page.
Params BaseParams(const Request& request) {
    Params params;
    for (const auto& entry : request.query) {
        if (entry.first != "page" && !entry.second.empty()) params.push_back(entry);
    }
    return params;
}

bool Has(const Params& params, std::string_view name, std::string_view value) {
    return std::any_of(params.begin(), params.end(),
                       [&](const auto& p) { return p.first == name && p.second == value; });
}

std::string Url(const Params& params) { return "/" + QueryString(params); }

// The link that turns one filter value on or off.
std::string ToggleUrl(Params params, const FacetSpec& facet, const std::string& value,
                      bool selected) {
    if (selected || !facet.multiple) {
        std::erase_if(params, [&](const auto& p) {
            return p.first == facet.name && (!facet.multiple || p.second == value);
        });
    }
    if (!selected) params.emplace_back(facet.name, value);
    return Url(params);
}

std::string WithoutParam(Params params, std::string_view name, std::string_view value) {
    std::erase_if(params, [&](const auto& p) { return p.first == name && p.second == value; });
    return Url(params);
}

mstch::array FacetsContext(const Site& site, const indexer::SearchResult& result,
                           const Params& base, const indexer::SearchRequest& search) {
    mstch::array facets;
    // Reserved, as every array here: a growing array copies what it holds, lists and all.
    facets.reserve(std::size(kFacets));
    for (const FacetSpec& facet : kFacets) {
        auto found = result.facets.find(facet.name);
        if (found == result.facets.end() || found->second.empty()) continue;
        std::vector<const std::pair<const std::string, std::size_t>*> values;
        values.reserve(found->second.size());
        for (const auto& entry : found->second) values.push_back(&entry);
        std::stable_sort(values.begin(), values.end(),
                         [](const auto* a, const auto* b) { return a->second > b->second; });
        mstch::array items;
        items.reserve(std::min(values.size(), facet.max_values + 1));
        for (const auto* entry : values) {
            const std::string& value = entry->first;
            bool selected = Has(base, facet.name, value);
            // Without a status filter the search shows documents in force: say so.
            if (std::string_view(facet.name) == "status" && search.status.empty() &&
                !search.valid_on && value == "gällande") {
                selected = true;
            }
            if (items.size() >= facet.max_values && !selected) continue;
            items.push_back(MapOf("value", Text(value), "label",
                                  Text(ValueLabel(site, facet.name, value)), "count",
                                  static_cast<int>(entry->second), "selected", selected, "url",
                                  Text(ToggleUrl(base, facet, value, selected))));
        }
        facets.push_back(MapOf("name", Text(facet.name), "label", Text(facet.label), "values",
                               std::move(items)));
    }
    return facets;
}

// The title of the document "genomför X" names, or its id when it has none to show.
std::string ImplementedTitle(const Site& site, const store::Snapshot* snapshot,
                             const std::string& id) {
    const store::SnapshotEntry* entry = snapshot ? snapshot->Find(id) : nullptr;
    return entry && core::IsVisibleToAnyone(*entry->metadata, site.schema) ? entry->metadata->title
                                                                           : id;
}

mstch::array ActiveFilters(const Site& site, const Params& base, const store::Snapshot* snapshot) {
    mstch::array filters;
    filters.reserve(base.size());
    for (const auto& [name, value] : base) {
        std::string label;
        for (const FacetSpec& facet : kFacets) {
            if (name == facet.name) label = facet.label;
        }
        if (name == "dnr") label = "Diarienummer";
        if (name == "implements") label = "Genomför";
        if (label.empty()) continue;
        const std::string value_label = name == "implements"
                                            ? ImplementedTitle(site, snapshot, value)
                                            : ValueLabel(site, name, value);
        filters.push_back(mstch::map{{"label", Text(label)},
                                     {"value_label", Text(value_label)},
                                     {"remove_url", Text(WithoutParam(base, name, value))}});
    }
    return filters;
}

// When the hit's version was in force, from the index (which knows when a later version took
// over), else from its own metadata.
std::string HitValidityText(const indexer::Hit& hit, core::Date today) {
    std::optional<core::Date> from = core::Date::Parse(hit.in_force_from);
    if (!from) return ValidityText(hit.valid_from, hit.valid_to);
    return ForceText(core::ForceInterval{*from, core::Date::Parse(hit.in_force_to)}, today);
}

mstch::array HitsContext(const Site& site, const indexer::SearchResult& result,
                         const indexer::SearchRequest& search) {
    const core::Date today = site.Today();
    mstch::array hits;
    hits.reserve(result.hits.size());
    for (const indexer::Hit& hit : result.hits) {
        std::string url = DocumentUrl(hit.id);
        if (search.valid_on) url += "?at=" + search.valid_on->ToString();
        // What the version is on the day searched, not only what was decided.
        const std::string& state = hit.state.empty() ? hit.status : hit.state;
        hits.push_back(MapOf("url", Text(std::move(url)), "title", Text(hit.title), "doctype_label",
                             Text(DocTypeLabel(site.schema, hit.doctype)), "dnr", Text(hit.dnr),
                             "decided_by_name", Text(BodyName(site.schema, hit.decided_by)),
                             "decided_on", Text(hit.decided_on), "status_label",
                             Text(StatusLabel(state)), "status_class", Text(StateClass(state)),
                             "snippet_html", Text(SnippetHtml(hit.snippet)), "valid_text",
                             Text(HitValidityText(hit, today))));
    }
    return hits;
}

void AddPaging(mstch::map& context, const Params& base, std::size_t page, std::size_t per_page,
               std::size_t total) {
    std::size_t last = std::min(kMaxPage, total == 0 ? 1 : (total + per_page - 1) / per_page);
    auto page_url = [&base](std::size_t number) {
        Params params = base;
        if (number > 1) params.emplace_back("page", std::to_string(number));
        return Url(params);
    };
    mstch::array pages;
    pages.reserve(9);
    if (last > 1) {
        std::size_t from = page > 4 ? page - 4 : 1;
        std::size_t to = std::min(last, from + 8);
        for (std::size_t number = from; number <= to; ++number) {
            pages.push_back(mstch::map{{"number", static_cast<int>(number)},
                                       {"url", Text(page_url(number))},
                                       {"current", number == page}});
        }
    }
    context["has_pages"] = !pages.empty();
    context["pages"] = std::move(pages);
    context["prev_url"] = Text(page > 1 && page <= last ? page_url(page - 1) : "");
    context["next_url"] = Text(page < last ? page_url(page + 1) : "");
}

Response SearchPage(const Site& site, const Request& request) {
    mstch::map context = PageContext(site, request, "");
    context["is_search_page"] = true;
    Params base = BaseParams(request);
    std::string query = request.Param("q");
    context["has_query"] = !query.empty();
    if (!query.empty())
        context["page_title"] = Text("Sök: " + query + " – " + site.config.site_name);

    mstch::array hidden;
    hidden.reserve(base.size());
    for (const auto& [name, value] : base) {
        for (const char* filter : kFilterParams) {
            if (name == filter)
                hidden.push_back(mstch::map{{"name", Text(name)}, {"value", Text(value)}});
        }
    }
    context["hidden_filters"] = std::move(hidden);
    std::string sort = request.Param("sort");
    mstch::array sort_options;
    sort_options.reserve(4);
    for (auto [value, label] :
         {std::pair{"", "Relevans"}, std::pair{"-decided_on", "Senast beslutad"},
          std::pair{"decided_on", "Först beslutad"}, std::pair{"title", "Titel A–Ö"}}) {
        sort_options.push_back(mstch::map{
            {"value", Text(value)}, {"label", Text(label)}, {"selected", sort == value}});
    }
    context["sort_options"] = std::move(sort_options);
    context["valid_on"] = Text(request.Param("valid_on"));
    // Only "genomför X" needs the registry's relations; other searches do without them.
    std::shared_ptr<const store::Snapshot> snapshot;
    if (std::any_of(base.begin(), base.end(),
                    [](const auto& p) { return p.first == "implements"; })) {
        ReaderPool::Lease reader = site.readers.Acquire();
        snapshot = site.snapshots.At(reader->store);
    }
    mstch::array active = ActiveFilters(site, base, snapshot.get());
    context["has_active_filters"] = !active.empty();
    context["active_filters"] = std::move(active);

    indexer::SearchRequest search;
    try {
        search = ParseSearchRequest(request);
        search.today = site.Today();
        SetSearchRights(request, search);
    } catch (const Error& error) {
        if (error.code() != ErrorCode::kBadInput) throw;
        context["error"] = Text(error.what());
        context["total_text"] = Text("");
        return Page(site, "search", context, 400);
    }
    if (search.valid_on) {
        context["valid_on_text"] =
            Text("Visar dokument som gällde " + search.valid_on->ToString() + ".");
        Params today = base;
        std::erase_if(today, [](const auto& p) { return p.first == "valid_on"; });
        context["valid_on_clear_url"] = Text(Url(today));
    }
    indexer::SearchResult result;
    {
        ReaderPool::Lease reader = site.readers.Acquire();
        if (snapshot) ExpandImplements(search, *snapshot);
        result = reader->searcher.Search(search);
    }
    context["total"] = static_cast<int>(result.total);
    // Without words or filters the page lists the registry: say what it lists.
    const bool browsing = query.empty() && base.empty();
    context["total_text"] = Text(browsing ? std::to_string(result.total) + " gällande dokument"
                                          : HitCountText(result.total));
    context["no_hits"] = result.total == 0;
    context["hits"] = HitsContext(site, result, search);
    mstch::array facets = FacetsContext(site, result, base, search);
    context["has_facets"] = !facets.empty();
    context["facets"] = std::move(facets);
    if (!result.suggestion.empty()) {
        Params params = base;
        std::erase_if(params, [](const auto& p) { return p.first == "q"; });
        params.insert(params.begin(), {"q", result.suggestion});
        context["suggestion"] = Text(result.suggestion);
        context["suggestion_url"] = Text(Url(params));
    }
    AddPaging(context, base, search.page, search.per_page, result.total);
    return Page(site, "search", context);
}

}  // namespace

void AddSearchPageRoutes(Router& router, const Site& site) {
    router.Add("GET", "/", [&site](const Request& request, const PathParams&) {
        return SearchPage(site, request);
    });
}

}  // namespace styrdok::server
