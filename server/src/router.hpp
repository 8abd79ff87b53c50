#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http.hpp"

namespace styrdok::server {

/// Answers one request; throws styrdok::Error for what the client got wrong.
using Handler = std::function<Response(const Request&, const PathParams&)>;

/// Routes by method and path pattern: "/api/documents/{id}/history" matches segment by
/// segment, a "{name}" segment matching any one non-empty segment. Built before the server
/// starts, read-only afterwards, so safe to share between request threads.
class Router {
public:
    void Add(std::string method, std::string_view pattern, Handler handler);
    /// A GET route whose page is a form that changes the registry (edit, sign in): a
    /// read-only registry refuses it as it refuses the writes themselves.
    void AddWriteForm(std::string_view pattern, Handler handler);

    /// Pattern numbers (Match::pattern, Pattern) run from 0 to PatternCount() - 1; this is
    /// none of them: no route has the path.
    static constexpr std::size_t kNoPattern = static_cast<std::size_t>(-1);

    struct Match {
        const Handler* handler = nullptr;  ///< nullptr: no route
        PathParams params;
        bool path_known = false;  ///< some route has this path, for another method (405)
        /// The number of the pattern that matched the path (for this or, with path_known,
        /// another method), or kNoPattern: what the metrics count by, never the raw path.
        std::size_t pattern = kNoPattern;
        /// The request would change the registry: any method but GET, HEAD and OPTIONS, or
        /// a route added with AddWriteForm.
        bool writes = false;
    };
    /// HEAD matches GET routes.
    Match Find(std::string_view method, const std::vector<std::string>& segments) const;

    /// The distinct patterns as they were added ("/api/documents/{id}"), by number.
    std::size_t PatternCount() const { return patterns_.size(); }
    const std::string& Pattern(std::size_t number) const { return patterns_.at(number); }

private:
    void AddRoute(std::string method, std::string_view pattern, Handler handler, bool write_form);

    struct Route {
        std::string method;
        std::vector<std::string> pattern;
        Handler handler;
        std::size_t pattern_number = kNoPattern;
        bool write_form = false;
    };
    std::vector<Route> routes_;
    std::vector<std::string> patterns_;
};

}  // namespace styrdok::server
