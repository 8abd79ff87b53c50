#include "metrics.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include "styrdok/core/utf8.hpp"

namespace styrdok::server {

namespace {

// The methods HTTP defines (RFC 9110, and PATCH); the last entry stands for every other one.
constexpr std::array<std::string_view, 10> kMethods = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "other"};

// Slots for (route, method, status) counters: a route sees a handful of statuses, and there
// are some 40 routes, so a few hundred are used; a power of two, for the probe's mask.
constexpr std::size_t kTableSize = 4096;
constexpr std::size_t kUnmatchedSlot = Metrics::kMaxPatterns;

constexpr std::array<std::uint64_t, Metrics::kBucketSeconds.size()> BucketMicros() {
    std::array<std::uint64_t, Metrics::kBucketSeconds.size()> micros{};
    for (std::size_t i = 0; i < micros.size(); ++i) {
        micros[i] = static_cast<std::uint64_t>(Metrics::kBucketSeconds[i] * 1e6 + 0.5);
    }
    return micros;
}
constexpr auto kBucketMicros = BucketMicros();

std::size_t MethodNumber(std::string_view method) {
    for (std::size_t i = 0; i + 1 < kMethods.size(); ++i) {
        if (kMethods[i] == method) return i;
    }
    return kMethods.size() - 1;
}

// A nonzero key (zero marks a free slot): the route's slot, the method and the status.
std::uint32_t RequestKey(std::size_t slot, std::size_t method, int status) {
    const auto code = static_cast<std::uint32_t>(status >= 0 && status < 1000 ? status : 0);
    return (1u << 31) | static_cast<std::uint32_t>(slot << 14) |
           static_cast<std::uint32_t>(method << 10) | code;
}

std::string Number(double value) {
    char text[32];
    auto [end, error] = std::to_chars(text, text + sizeof text, value);
    if (error != std::errc()) return "NaN";
    return std::string(text, end);
}

void Family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void Sample(std::string& out, std::string_view name, std::string_view labels,
            std::string_view value) {
    out.append(name);
    if (!labels.empty()) out.append("{").append(labels).append("}");
    out.append(" ").append(value).append("\n");
}

// When the process started, in seconds since the epoch: its start in clock ticks after boot
// (/proc/self/stat) plus the boot time (/proc/stat); nullopt where /proc says neither.
std::optional<double> ProcessStartSeconds() {
    std::ifstream stat_file("/proc/self/stat");
    std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
    // The command name (field 2) may hold spaces and parentheses: count fields after its end.
    const std::size_t name_end = stat.rfind(')');
    if (name_end == std::string::npos) return std::nullopt;
    std::istringstream fields(stat.substr(name_end + 1));
    std::string field;
    // Fields 3 to 21, then the start time (field 22).
    for (int i = 3; i <= 21; ++i) fields >> field;
    unsigned long long start_ticks = 0;
    if (!(fields >> start_ticks)) return std::nullopt;
    std::ifstream system_stat("/proc/stat");
    for (std::string line; std::getline(system_stat, line);) {
        if (line.rfind("btime ", 0) == 0) {
            const long ticks = sysconf(_SC_CLK_TCK);
            if (ticks <= 0) return std::nullopt;
            return std::stod(line.substr(6)) +
                   static_cast<double>(start_ticks) / static_cast<double>(ticks);
        }
    }
    return std::nullopt;
}

double SecondsSinceEpoch(std::chrono::system_clock::time_point time) {
    return std::chrono::duration<double>(time.time_since_epoch()).count();
}

}  // namespace

std::string PrometheusLabelValue(std::string_view value) {
    std::string repaired;
    if (!core::IsValidUtf8(value)) {
        repaired = core::RepairUtf8(value);
        value = repaired;
    }
    std::string out;
    out.reserve(value.size() + 2);
    out += '"';
    for (char c : value) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '"':
                out += "\\\"";
                break;
            case '\n':
                out += "\\n";
                break;
            default:
                out += c;
        }
    }
    out += '"';
    return out;
}

std::string_view MethodLabel(std::string_view method) { return kMethods[MethodNumber(method)]; }

bool MayReadMetrics(std::string_view client_address, bool forwarded,
                    const std::vector<std::string>& allowed) {
    if (std::find(allowed.begin(), allowed.end(), client_address) != allowed.end()) return true;
    const bool loopback = client_address.starts_with("127.") || client_address == "::1" ||
                          client_address.starts_with("::ffff:127.");
    return loopback && !forwarded;
}

struct Metrics::Counters {
    struct Slot {
        std::atomic<std::uint32_t> key{0};
        std::atomic<std::uint64_t> count{0};
    };
    struct Histogram {
        std::array<std::atomic<std::uint64_t>, kBucketSeconds.size() + 1> buckets{};
        std::atomic<std::uint64_t> sum_micros{0};
    };
    std::array<Slot, kTableSize> requests;
    // Requests that found no free slot: none while the labels stay as bounded as they are.
    std::atomic<std::uint64_t> uncounted{0};
    std::array<Histogram, kMaxPatterns + 1> durations;
    std::atomic<std::uint64_t> reminders_sent{0};
    std::atomic<std::uint64_t> reminders_failed{0};
};

Metrics::Metrics(const Router& router)
    : router_(router),
      counters_(std::make_unique<Counters>()),
      start_seconds_(
          ProcessStartSeconds().value_or(SecondsSinceEpoch(std::chrono::system_clock::now()))) {}

Metrics::~Metrics() = default;

void Metrics::CountRequest(std::size_t pattern, std::string_view method, int status,
                           std::chrono::steady_clock::duration duration) noexcept {
    const std::size_t slot = pattern < kMaxPatterns ? pattern : kUnmatchedSlot;
    const std::uint32_t key = RequestKey(slot, MethodNumber(method), status);
    // Open addressing with linear probing; a slot, once given a key, keeps it.
    std::size_t index = (key * 2654435761u) & (kTableSize - 1);
    bool counted = false;
    for (std::size_t probe = 0; probe < kTableSize && !counted; ++probe) {
        Counters::Slot& entry = counters_->requests[index];
        std::uint32_t found = entry.key.load(std::memory_order_acquire);
        // A failed exchange leaves in `found` the key another thread put there meanwhile.
        if (found == 0 &&
            entry.key.compare_exchange_strong(found, key, std::memory_order_acq_rel)) {
            found = key;
        }
        if (found == key) {
            entry.count.fetch_add(1, std::memory_order_relaxed);
            counted = true;
        }
        index = (index + 1) & (kTableSize - 1);
    }
    if (!counted) counters_->uncounted.fetch_add(1, std::memory_order_relaxed);

    const auto micros = static_cast<std::uint64_t>(std::max<std::int64_t>(
        0, std::chrono::duration_cast<std::chrono::microseconds>(duration).count()));
    std::size_t bucket = 0;
    while (bucket < kBucketMicros.size() && micros > kBucketMicros[bucket]) ++bucket;
    Counters::Histogram& histogram = counters_->durations[slot];
    histogram.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
    histogram.sum_micros.fetch_add(micros, std::memory_order_relaxed);
}

void Metrics::CountReminders(int sent, int failed) noexcept {
    counters_->reminders_sent.fetch_add(static_cast<std::uint64_t>(std::max(0, sent)),
                                        std::memory_order_relaxed);
    counters_->reminders_failed.fetch_add(static_cast<std::uint64_t>(std::max(0, failed)),
                                          std::memory_order_relaxed);
}

std::string Metrics::Exposition(const RegistryFacts& facts) const {
    const auto route_name = [this](std::size_t slot) -> std::string {
        return slot < router_.PatternCount() ? router_.Pattern(slot) : std::string("unmatched");
    };
    std::string out;

    // Sorted by their labels, so that a scrape reads the same from one time to the next; slots
    // that come to the same labels (numbers no pattern has, and "unmatched") are added up.
    std::map<std::tuple<std::string, std::string_view, int>, std::uint64_t> requests;
    for (const Counters::Slot& entry : counters_->requests) {
        const std::uint32_t key = entry.key.load(std::memory_order_acquire);
        if (key == 0) continue;
        requests[{route_name((key >> 14) & 0x3FF), kMethods[(key >> 10) & 0xF],
                  static_cast<int>(key & 0x3FF)}] += entry.count.load(std::memory_order_relaxed);
    }
    Family(out, "styrdok_http_requests_total", "counter",
           "Requests answered, by route pattern (unmatched: no route has the path), method and "
           "status.");
    for (const auto& [labels, count] : requests) {
        const auto& [route, method, status] = labels;
        Sample(out, "styrdok_http_requests_total",
               "route=" + PrometheusLabelValue(route) + ",method=" + PrometheusLabelValue(method) +
                   ",status=\"" + std::to_string(status) + "\"",
               std::to_string(count));
    }
    Family(out, "styrdok_http_requests_uncounted_total", "counter",
           "Requests that found no place among the request counters (should stay 0).");
    Sample(out, "styrdok_http_requests_uncounted_total", "",
           std::to_string(counters_->uncounted.load(std::memory_order_relaxed)));

    struct Observed {
        std::array<std::uint64_t, kBucketSeconds.size() + 1> buckets{};
        std::uint64_t sum_micros = 0;
    };
    std::map<std::string, Observed> routes;
    for (std::size_t slot = 0; slot < counters_->durations.size(); ++slot) {
        const Counters::Histogram& histogram = counters_->durations[slot];
        Observed read;
        bool any = false;
        for (std::size_t i = 0; i < read.buckets.size(); ++i) {
            read.buckets[i] = histogram.buckets[i].load(std::memory_order_relaxed);
            any |= read.buckets[i] > 0;
        }
        if (!any) continue;
        read.sum_micros = histogram.sum_micros.load(std::memory_order_relaxed);
        Observed& observed = routes[route_name(slot)];
        for (std::size_t i = 0; i < read.buckets.size(); ++i)
            observed.buckets[i] += read.buckets[i];
        observed.sum_micros += read.sum_micros;
    }
    Family(out, "styrdok_http_request_duration_seconds", "histogram",
           "Time from a request's arrival at a request thread to the end of its answer, by "
           "route pattern.");
    for (const auto& [route, observed] : routes) {
        const std::string label = "route=" + PrometheusLabelValue(route);
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < observed.buckets.size(); ++i) {
            cumulative += observed.buckets[i];
            const std::string le = i < kBucketSeconds.size() ? Number(kBucketSeconds[i]) : "+Inf";
            Sample(out, "styrdok_http_request_duration_seconds_bucket",
                   label + ",le=\"" + le + "\"", std::to_string(cumulative));
        }
        Sample(out, "styrdok_http_request_duration_seconds_sum", label,
               Number(static_cast<double>(observed.sum_micros) / 1e6));
        Sample(out, "styrdok_http_request_duration_seconds_count", label,
               std::to_string(cumulative));
    }

    Family(out, "styrdok_registry_readable", "gauge",
           "1 when the repository and the index could be read for this scrape, 0 otherwise.");
    Sample(out, "styrdok_registry_readable", "", facts.index_behind ? "1" : "0");
    if (facts.index_behind) {
        Family(out, "styrdok_index_behind", "gauge",
               "1 while the index the server searches is not at the repository's HEAD (a commit "
               "not yet indexed), 0 when it is.");
        Sample(out, "styrdok_index_behind", "", *facts.index_behind ? "1" : "0");
    }
    if (facts.last_sync_seconds) {
        Family(out, "styrdok_index_last_sync_timestamp_seconds", "gauge",
               "When the server last found its index at HEAD or brought it there (seconds since "
               "the epoch).");
        Sample(out, "styrdok_index_last_sync_timestamp_seconds", "",
               Number(*facts.last_sync_seconds));
    }
    if (!facts.documents_by_state.empty()) {
        Family(out, "styrdok_documents", "gauge",
               "Documents on the main branch by their state today (gällande, ej i kraft än, "
               "upphört, upphävd, utkast).");
        for (const auto& [state, count] : facts.documents_by_state) {
            Sample(out, "styrdok_documents", "state=" + PrometheusLabelValue(state),
                   std::to_string(count));
        }
    }

    Family(out, "styrdok_reminders_sent_total", "counter",
           "Review reminders sent (or written to the outbox) since the server started.");
    Sample(out, "styrdok_reminders_sent_total", "",
           std::to_string(counters_->reminders_sent.load(std::memory_order_relaxed)));
    Family(out, "styrdok_reminders_failed_total", "counter",
           "Review reminders that could not be sent since the server started (tried again "
           "later).");
    Sample(out, "styrdok_reminders_failed_total", "",
           std::to_string(counters_->reminders_failed.load(std::memory_order_relaxed)));

    Family(out, "process_start_time_seconds", "gauge",
           "Start time of the process since the epoch in seconds.");
    Sample(out, "process_start_time_seconds", "", Number(start_seconds_));
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) == 0) {
        const double cpu =
            static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
            static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
        Family(out, "process_cpu_seconds_total", "counter",
               "Total user and system CPU time spent in seconds.");
        Sample(out, "process_cpu_seconds_total", "", Number(cpu));
    }
    std::ifstream statm("/proc/self/statm");
    unsigned long long pages = 0, resident = 0;
    if (statm >> pages >> resident) {
        Family(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
        Sample(out, "process_resident_memory_bytes", "",
               std::to_string(resident * static_cast<unsigned long long>(sysconf(_SC_PAGESIZE))));
    }
    std::error_code error;
    std::size_t descriptors = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", error), end; !error && it != end;
         it.increment(error)) {
        ++descriptors;
    }
    if (!error) {
        Family(out, "process_open_fds", "gauge", "Number of open file descriptors.");
        Sample(out, "process_open_fds", "", std::to_string(descriptors));
    }
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
        Family(out, "process_max_fds", "gauge", "Maximum number of open file descriptors.");
        Sample(out, "process_max_fds", "", std::to_string(limit.rlim_cur));
    }
    return out;
}

}  // namespace styrdok::server
