#include "comparison.hpp"

#include "styrdok/core/error.hpp"

namespace styrdok::server {

Comparison Compare(const Site& site, const store::Store& store, const std::string& id,
                   const Request& request) {
    FindVisibleDocument(site, store, id, SameAsker(request));
    auto version = [&](std::string_view name) {
        Request one = SameAsker(request);
        one.query.emplace_back("version", request.Param(name));
        if (request.Param(name).empty()) {
            throw Error(ErrorCode::kBadInput, "ange två versioner: from och to");
        }
        return FindVisibleDocument(site, store, id, one);
    };
    Comparison comparison{version("from"), version("to"), {}, {}};
    comparison.diff = store.Diff(id, comparison.from.version, comparison.to.version);
    comparison.text = store::DiffWords(comparison.from.text, comparison.to.text);
    return comparison;
}

const char* LineKindName(store::DiffLine::Kind kind) {
    switch (kind) {
        case store::DiffLine::Kind::kContext:
            return "context";
        case store::DiffLine::Kind::kAdded:
            return "added";
        case store::DiffLine::Kind::kRemoved:
            return "removed";
        case store::DiffLine::Kind::kChanged:
            return "changed";
        case store::DiffLine::Kind::kGap:
            break;
    }
    return "gap";
}

const char* SegmentKindName(store::DiffSegment::Kind kind) {
    switch (kind) {
        case store::DiffSegment::Kind::kAdded:
            return "added";
        case store::DiffSegment::Kind::kRemoved:
            return "removed";
        case store::DiffSegment::Kind::kSame:
            break;
    }
    return "same";
}

}  // namespace styrdok::server
