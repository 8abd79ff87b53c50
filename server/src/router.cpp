#include "router.hpp"

#include <algorithm>

namespace styrdok::server {

namespace {

std::vector<std::string> SplitPattern(std::string_view pattern) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= pattern.size()) {
        std::size_t slash = pattern.find('/', start);
        if (slash == std::string_view::npos) slash = pattern.size();
        if (slash > start) parts.emplace_back(pattern.substr(start, slash - start));
        start = slash + 1;
    }
    return parts;
}

bool IsParameter(const std::string& part) {
    return part.size() > 2 && part.front() == '{' && part.back() == '}';
}

bool Matches(const std::vector<std::string>& pattern, const std::vector<std::string>& segments,
             PathParams* params) {
    if (pattern.size() != segments.size()) return false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (IsParameter(pattern[i])) {
            if (segments[i].empty()) return false;
            if (params) (*params)[pattern[i].substr(1, pattern[i].size() - 2)] = segments[i];
        } else if (pattern[i] != segments[i]) {
            return false;
        }
    }
    return true;
}

}  // namespace

void Router::Add(std::string method, std::string_view pattern, Handler handler) {
    AddRoute(std::move(method), pattern, std::move(handler), false);
}

void Router::AddWriteForm(std::string_view pattern, Handler handler) {
    AddRoute("GET", pattern, std::move(handler), true);
}

void Router::AddRoute(std::string method, std::string_view pattern, Handler handler,
                      bool write_form) {
    auto known = std::find(patterns_.begin(), patterns_.end(), pattern);
    const auto number = static_cast<std::size_t>(known - patterns_.begin());
    if (known == patterns_.end()) patterns_.emplace_back(pattern);
    routes_.push_back(
        {std::move(method), SplitPattern(pattern), std::move(handler), number, write_form});
}

Router::Match Router::Find(std::string_view method,
                           const std::vector<std::string>& segments) const {
    Match match;
    match.writes = method != "GET" && method != "HEAD" && method != "OPTIONS";
    std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
    for (const Route& route : routes_) {
        if (!Matches(route.pattern, segments, nullptr)) continue;
        if (route.method != wanted) {
            match.path_known = true;
            if (match.pattern == kNoPattern) match.pattern = route.pattern_number;
            continue;
        }
        Matches(route.pattern, segments, &match.params);
        match.handler = &route.handler;
        match.pattern = route.pattern_number;
        match.writes = match.writes || route.write_form;
        return match;
    }
    return match;
}

}  // namespace styrdok::server
