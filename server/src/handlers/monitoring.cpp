// /healthz and /metrics (issue 18): what a load balancer and Prometheus ask. Both are cheap
// (a reader's HEAD and the index's commit; the counts by state once per index revision and
// day) and never kept in the response cache.
#include <mutex>

#include "../metrics.hpp"
#include "../render/json.hpp"
#include "../site.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/validity.hpp"

namespace styrdok::server {

namespace {

// The repository's HEAD and the commit of the index the requests search, as one reader sees
// them: a reader reopens its index when the index keeper has synced, so a commit another
// program made is "behind" until the server's poll has brought the index to it.
struct IndexAtHead {
    std::optional<std::string> head;
    std::optional<std::string> indexed;
};

IndexAtHead ReadIndexAtHead(const Reader& reader) {
    return {reader.store.Head(), reader.searcher.LastIndexedCommit()};
}

Poco::Dynamic::Var OrNull(const std::optional<std::string>& text) {
    if (!text) return Poco::Dynamic::Var();
    return *text;
}

Response Health(const Site& site) {
    Poco::JSON::Object::Ptr body = NewObject();
    int status = 200;
    try {
        ReaderPool::Lease reader = site.readers.Acquire();
        const IndexAtHead state = ReadIndexAtHead(*reader);
        if (state.head == state.indexed) {
            body->set("status", "ok");
        } else {
            status = 503;
            body->set("status", "index_behind");
            body->set("message", "indexet har ännu inte läst in de senaste ändringarna");
        }
        body->set("head", OrNull(state.head));
        body->set("index", OrNull(state.indexed));
    } catch (const std::exception&) {
        // What went wrong is the index keeper's to log (it retries); this answer stays short.
        status = 503;
        body->set("status", "unreadable");
        body->set("message", "registret eller indexet kan inte läsas");
    }
    Response response = JsonResponse(Stringify(*body), status);
    response.cache_control = "no-store";
    return response;
}

// The documents of main by their state today, from the search's status facet: the same
// computed state (core::DocumentTimeline at indexing) that the search page, its filters and
// /foreskrifter show. Counted once per index revision and day.
class DocumentStates {
public:
    std::vector<std::pair<std::string, std::uint64_t>> Count(
        const Reader& reader, core::Date today, const std::optional<std::string>& indexed) {
        std::lock_guard lock(mutex_);
        if (counted_ && indexed_ == indexed && today_ == today) return counts_;
        indexer::SearchRequest search;
        search.status = "alla";
        search.today = today;
        search.per_page = 1;
        search.snippets = false;
        search.include_restricted = true;
        search.include_drafts = false;
        indexer::SearchResult result = reader.searcher.Search(search);
        const std::map<std::string, std::size_t>& by_state = result.facets["status"];
        counts_.clear();
        for (core::ForceState state :
             {core::ForceState::kInForce, core::ForceState::kNotYetInForce,
              core::ForceState::kExpired, core::ForceState::kRepealed, core::ForceState::kDraft}) {
            const std::string name(core::ForceStateName(state));
            const auto found = by_state.find(name);
            counts_.emplace_back(name, found == by_state.end() ? 0 : found->second);
        }
        counted_ = true;
        indexed_ = indexed;
        today_ = today;
        return counts_;
    }

private:
    std::mutex mutex_;
    bool counted_ = false;
    std::optional<std::string> indexed_;
    core::Date today_;
    std::vector<std::pair<std::string, std::uint64_t>> counts_;
};

Response MetricsText(const Site& site, const MonitoringSources& sources, DocumentStates& states,
                     const Request& request) {
    const bool forwarded =
        request.headers.count("x-forwarded-for") > 0 || request.headers.count("forwarded") > 0;
    if (!MayReadMetrics(request.client_address, forwarded, site.config.metrics_from)) {
        // As for any address that does not exist: nothing tells a stranger it is here.
        throw Error(ErrorCode::kNotFound, "sidan finns inte");
    }
    RegistryFacts facts;
    try {
        ReaderPool::Lease reader = site.readers.Acquire();
        const IndexAtHead state = ReadIndexAtHead(*reader);
        facts.index_behind = state.head != state.indexed;
        facts.documents_by_state = states.Count(*reader, site.Today(), state.indexed);
    } catch (const std::exception&) {
        // Reported as styrdok_registry_readable 0; the other metrics still count.
        facts.index_behind.reset();
        facts.documents_by_state.clear();
    }
    if (sources.last_sync) {
        if (const auto last = sources.last_sync()) {
            facts.last_sync_seconds =
                std::chrono::duration<double>(last->time_since_epoch()).count();
        }
    }
    Response response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = sources.metrics.Exposition(facts);
    response.cache_control = "no-store";
    return response;
}

}  // namespace

void AddMonitoringRoutes(Router& router, const Site& site, MonitoringSources sources) {
    router.Add("GET", "/healthz",
               [&site](const Request&, const PathParams&) { return Health(site); });
    auto states = std::make_shared<DocumentStates>();
    router.Add(
        "GET", "/metrics",
        [&site, sources = std::move(sources), states](const Request& request, const PathParams&) {
            return MetricsText(site, sources, *states, request);
        });
}

}  // namespace styrdok::server
