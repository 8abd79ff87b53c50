#include "comparison.hpp"

#include "styrdok/core/error.hpp"

namespace styrdok::server {

Comparison Compare(const Site& site, const store::Store& store, const std::string& id,
                   const Request& request) {
    FindVisibleDocument(store, site.schema, id, Request{});
    auto version = [&](std::string_view name) {
        Request one;
        one.query.emplace_back("version", request.Param(name));
        if (request.Param(name).empty()) {
            throw Error(ErrorCode::kBadInput, "ange två versioner: from och to");
        }
        return FindVisibleDocument(store, site.schema, id, one);
    };
    Comparison comparison{version("from"), version("to"), {}, {}};
    comparison.diff = store.Diff(id, comparison.from.version, comparison.to.version);
    comparison.text = store::DiffWords(comparison.from.text, comparison.to.text);
    return comparison;
}

}  // namespace styrdok::server
