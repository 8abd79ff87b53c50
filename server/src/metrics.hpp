#pragma once

// What /metrics reports (issue 18; docs/operations.md, "Monitoring"), in the Prometheus text
// exposition format 0.0.4. Written here rather than with Debian's prometheus-cpp: its
// development package pulls in civetweb and libcurl for the pull and push parts we do not
// use, and finding a counter by its labels there builds a label map, hashes it and takes the
// family's mutex on every request; the counters below are found by a number without a lock.

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "router.hpp"

namespace styrdok::server {

/// `value` as a label value between double quotes: backslash, double quote and line feed
/// escaped as the format asks, broken UTF-8 replaced by U+FFFD.
std::string PrometheusLabelValue(std::string_view value);

/// The method as a label value: a method HTTP defines, else "other" (the client chooses the
/// method, and every distinct label value is a series the monitoring must keep).
std::string_view MethodLabel(std::string_view method);

/// True when a request from `client_address` may read /metrics: one from a loopback address
/// that no proxy forwarded (`forwarded`: it carries X-Forwarded-For or Forwarded; a reverse
/// proxy on the machine connects from loopback for everyone), or one from an address in
/// `allowed` (server.metrics_from), compared as written.
bool MayReadMetrics(std::string_view client_address, bool forwarded,
                    const std::vector<std::string>& allowed);

/// What /metrics reports of the registry, read when it is asked for.
struct RegistryFacts {
    /// The index the requests search is not at the repository's HEAD; nullopt when the
    /// repository or the index could not be read.
    std::optional<bool> index_behind;
    /// When the index keeper last finished a look at HEAD (seconds since the epoch); nullopt
    /// before the first.
    std::optional<double> last_sync_seconds;
    /// Documents on main by their state today (core::ForceStateName), every state listed.
    std::vector<std::pair<std::string, std::uint64_t>> documents_by_state;
};

/// The server's counters: requests by route pattern, method and status, their durations by
/// route, and the review reminders sent and failed. Counting takes no lock and allocates
/// nothing (relaxed atomics; a request's counter is found in a table of fixed size by
/// compare-and-swap); Exposition reads them as they are. Thread-safe.
class Metrics {
public:
    /// Upper bounds of the duration histogram's buckets, in seconds (then +Inf).
    static constexpr std::array<double, 13> kBucketSeconds = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /// Patterns of higher numbers are counted with the paths no route has ("unmatched").
    static constexpr std::size_t kMaxPatterns = 512;

    /// Names routes by `router`'s patterns when the counters are written out; `router` must
    /// outlive this object, and may still get routes until the first request.
    explicit Metrics(const Router& router);
    ~Metrics();
    Metrics(const Metrics&) = delete;
    Metrics& operator=(const Metrics&) = delete;

    /// Counts one answered request: `pattern` from Router::Match (kNoPattern: "unmatched").
    void CountRequest(std::size_t pattern, std::string_view method, int status,
                      std::chrono::steady_clock::duration duration) noexcept;

    /// Counts one run of the review reminders.
    void CountReminders(int sent, int failed) noexcept;

    /// Every metric in the text exposition format, with `facts` and the process's own
    /// (start time, CPU time, resident memory, open descriptors).
    std::string Exposition(const RegistryFacts& facts) const;

private:
    struct Counters;
    const Router& router_;
    std::unique_ptr<Counters> counters_;
    double start_seconds_;
};

struct Site;

/// What /metrics reads besides the site.
struct MonitoringSources {
    Metrics& metrics;
    /// IndexKeeper::LastSync.
    std::function<std::optional<std::chrono::system_clock::time_point>()> last_sync;
};

/// Adds GET /healthz and GET /metrics (handlers/monitoring.cpp); `site` and `sources.metrics`
/// must outlive the router.
void AddMonitoringRoutes(Router& router, const Site& site, MonitoringSources sources);

}  // namespace styrdok::server
