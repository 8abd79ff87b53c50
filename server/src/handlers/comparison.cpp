#include "comparison.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <semaphore>
#include <thread>
#include <utility>

#include "styrdok/core/error.hpp"

namespace styrdok::server {

namespace {

// Comparing two texts can take a second and some 60 MB (the line comparison's cap, for texts
// written to defeat it), and anyone may ask for any pair of public versions: without a bound,
// every request thread could hold one (issue 15). A diff waits this long for one of the
// places, one per core, then is refused with 503 rather than queue without end.
constexpr std::chrono::seconds kDiffWait{2};

std::counting_semaphore<>& DiffPlaces() {
    static std::counting_semaphore<> places(
        static_cast<std::ptrdiff_t>(std::clamp(std::thread::hardware_concurrency(), 1U, 4U)));
    return places;
}

// One of DiffPlaces, given back when destroyed.
class DiffPlace {
public:
    DiffPlace() {
        if (!DiffPlaces().try_acquire_for(kDiffWait)) {
            throw Error(ErrorCode::kUnavailable,
                        "Servern jämför redan många versioner. Försök igen om en stund.",
                        kDiffWait);
        }
    }
    ~DiffPlace() { DiffPlaces().release(); }
    DiffPlace(const DiffPlace&) = delete;
    DiffPlace& operator=(const DiffPlace&) = delete;
};

}  // namespace

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
    Comparison comparison{version("from"), version("to"), {}, {}, 0};
    const DiffPlace place;
    comparison.diff = store.Diff(id, comparison.from.version, comparison.to.version);
    store::WordDiff text =
        store::DiffWordsWithin(comparison.from.text, comparison.to.text, kShownDiff);
    comparison.text = std::move(text.lines);
    comparison.text_lines_left_out = text.lines_left_out;
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
