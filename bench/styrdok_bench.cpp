// styrdok-bench: the reference side of scripts/bench and the search-latency measurement.
//
//   styrdok-bench raw-index CORPUS DB     index the latest title and text of every document
//                                         of a scripts/gen-corpus folder with plain Xapian
//   styrdok-bench search --registry DIR --raw DB --queries FILE [--rounds N]
//                        [--doctype T] [--valid-on YYYY-MM-DD] [--no-facets] [--no-snippets]
//                                         run every query against Styrdok's Searcher and the
//                                         raw searcher, interleaved, and print p50/p99 of each;
//                                         the filters go to both (the raw one filters the
//                                         latest version of each document on its doctype term
//                                         and validity values)
//   styrdok-bench raw-search-qps --raw DB --queries FILE [--threads N] [--seconds S]
//                                         N threads, each with its own raw searcher, cycle
//                                         through the queries for S seconds after a warm-up;
//                                         print the queries per second of all threads together
//                                         (the reference of the HTTP search benchmark)
//   styrdok-bench styrdok-search-qps --registry DIR --queries FILE [--threads N] [--seconds S]
//                                         the same with Styrdok's Searcher, hits only
//   styrdok-bench http-queries --port P --queries FILE [--from K] [--count M] [--extra Q]
//                              [--path /api/search] [--connections N] [--times FILE]
//                                         ask a running server the queries K..K+M-1 of FILE,
//                                         each once, over N keep-alive connections, and print
//                                         req/s and p50/p99/max of the answers' times: the
//                                         cold measurement of bench/http-bench (wrk cycles
//                                         through a list, so it cannot ask each query once)
//   styrdok-bench cold-search --registry DIR --queries FILE [--warm FILE] [--from K] [--count M]
//                             [--doctype T] [--valid-on D] [--today D] [--dump FILE] [--verbose]
//                                         the full result page of each query K..K+M-1 once, in
//                                         a new Searcher (after --warm's pages): the CPU time
//                                         of each, and every answer to --dump; under callgrind
//                                         (--instr-atstart=no) only these searches count
//   styrdok-bench hits-cost --registry DIR --raw DB --queries FILE [--side styrdok|raw]
//                           [--rounds N] [--today D] [--valid-on D] [--doctype T]
//                           [--dump FILE] [--verbose] [--per-query]
//                                         the hits-only search of every query (page of 20, no
//                                         facets, no snippets) by one side: a first round (the
//                                         one --dump writes: total and hits of each answer),
//                                         then N measured rounds, the only searches counted
//                                         under callgrind (--instr-atstart=no); prints the
//                                         CPU time a search of the measured rounds; with
//                                         --per-query callgrind writes a profile of each
//                                         search of the last round, named by its query
//   styrdok-bench sync-cost --registry DIR [--rounds N]
//                                         what keeping the index at the store costs: the
//                                         server's look for a change (HEAD and the drafts'
//                                         refs), a sync that finds nothing to do, and a draft
//                                         save (Store::CommitDraft of one word more) until a
//                                         search with the right finds it. WRITES a draft
//                                         commit per round to the registry's drafts
//
// Timing of whole processes (raw-index, styrdok import) is left to /usr/bin/time in
// scripts/bench, so both sides are measured the same way.

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/NullStream.h>
#include <Poco/StreamCopier.h>
#include <valgrind/callgrind.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <barrier>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <pugixml.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "raw_xapian.hpp"
#include "styrdok/core/date.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/indexer/index.hpp"
#include "styrdok/indexer/search.hpp"
#include "styrdok/store/store.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// What a search page asks for, on both sides.
constexpr std::size_t kPageSize = 20;

std::string ReadFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

int RawIndex(const fs::path& corpus, const fs::path& db_dir) {
    std::vector<fs::path> folders;
    for (const auto& entry : fs::directory_iterator(corpus)) {
        if (entry.is_directory()) folders.push_back(entry.path());
    }
    std::sort(folders.begin(), folders.end());
    auto indexer = styrdok::bench::RawXapianIndexer::Create(db_dir);
    for (const fs::path& folder : folders) {
        pugi::xml_document metadata;
        if (!metadata.load_file((folder / "metadata.xml").c_str())) continue;
        const pugi::xml_node root = metadata.document_element();
        styrdok::bench::RawFields fields;
        fields.doctype = root.child_value("doctype");
        fields.valid_from = root.child_value("valid_from");
        fields.valid_to = root.child_value("valid_to");
        indexer.Add(folder.filename().string(), root.child_value("title"),
                    ReadFile(folder / "text.md"), fields);
    }
    indexer.Commit();
    std::cout << folders.size() << " documents indexed\n";
    return 0;
}

std::vector<std::string> ReadQueries(const fs::path& file) {
    std::vector<std::string> queries;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line.front() == '#') continue;
        queries.push_back(line);
    }
    return queries;
}

double Percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

template <typename F>
double Millis(F&& run) {
    const auto start = Clock::now();
    run();
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

int Search(const fs::path& registry, const fs::path& raw_dir, const fs::path& queries_file,
           int rounds, bool facets, bool snippets, const styrdok::bench::RawFilter& filter,
           bool verbose) {
    std::optional<styrdok::core::Date> valid_on;
    if (!filter.valid_on.empty()) {
        valid_on = styrdok::core::Date::Parse(filter.valid_on);
        if (!valid_on) {
            std::cerr << "not a date: " << filter.valid_on << "\n";
            return 2;
        }
    }
    const auto schema = styrdok::core::Schema::Load(registry / "schema.xml");
    const auto styrdok = styrdok::indexer::Searcher::Open(registry / "index", schema);
    const auto raw = styrdok::bench::RawXapianSearcher::Open(raw_dir);
    const std::vector<std::string> queries = ReadQueries(queries_file);
    if (queries.empty()) {
        std::cerr << "no queries in " << queries_file << "\n";
        return 2;
    }
    std::vector<double> styrdok_ms, raw_ms;
    std::size_t styrdok_hits = 0, raw_hits = 0;
    // One warm-up round each, so both sides start with the same pages in the OS cache.
    for (int round = 0; round <= rounds; ++round) {
        for (const std::string& query : queries) {
            styrdok::indexer::SearchRequest request;
            request.query = query;
            request.per_page = kPageSize;
            request.facets = facets;
            request.snippets = snippets;
            if (!filter.doctype.empty()) request.doctype = {filter.doctype};
            request.valid_on = valid_on;
            styrdok::indexer::SearchResult result;
            std::vector<std::string> ids;
            const double raw_time = Millis([&] { ids = raw.Search(query, kPageSize, filter); });
            const double styrdok_time = Millis([&] { result = styrdok.Search(request); });
            if (round == 0) {
                styrdok_hits += result.hits.size();
                raw_hits += ids.size();
                continue;
            }
            raw_ms.push_back(raw_time);
            styrdok_ms.push_back(styrdok_time);
            if (verbose) {
                std::printf("%8.3f %8.3f %6zu %6zu  %s\n", styrdok_time, raw_time, result.total,
                            ids.size(), query.c_str());
            }
        }
    }
    const double sp50 = Percentile(styrdok_ms, 0.50), sp99 = Percentile(styrdok_ms, 0.99);
    const double rp50 = Percentile(raw_ms, 0.50), rp99 = Percentile(raw_ms, 0.99);
    std::printf(
        "search: %zu queries x %d rounds, %zu per page; hits on the first page: styrdok %zu, raw "
        "%zu\n",
        queries.size(), rounds, kPageSize, styrdok_hits, raw_hits);
    std::printf("search p50 ms: styrdok %.3f raw %.3f ratio %.2f\n", sp50, rp50, sp50 / rp50);
    std::printf("search p99 ms: styrdok %.3f raw %.3f ratio %.2f\n", sp99, rp99, sp99 / rp99);
    // One line for scripts/bench to parse.
    std::printf("search-result styrdok_p50=%.3f styrdok_p99=%.3f raw_p50=%.3f raw_p99=%.3f\n", sp50,
                sp99, rp50, rp99);
    return 0;
}

// Queries per second of `threads` threads that each search with their own searcher (neither a
// Xapian::Database nor a Styrdok Searcher may be shared between threads), made by
// `open(i)`: a callable that takes a query and returns the number of hits. Each thread goes
// through the queries in order from its own starting point, so that the threads do not all
// ask the same query at once. One warm-up pass over the whole list per thread, then every
// thread starts the measured period together. Prints one line, `label: ... qps X`.
template <typename Open>
int SearchQps(const char* label, const fs::path& queries_file, int threads, double seconds,
              Open&& open) {
    const std::vector<std::string> queries = ReadQueries(queries_file);
    if (queries.empty()) {
        std::cerr << "no queries in " << queries_file << "\n";
        return 2;
    }
    const auto n = static_cast<std::size_t>(threads);
    using Search = decltype(open(std::size_t{0}));
    std::vector<Search> searches;
    for (std::size_t i = 0; i < n; ++i) searches.push_back(open(i));
    std::atomic<bool> stop{false};
    std::vector<std::uint64_t> counts(n, 0);
    std::vector<std::size_t> hits(n, 0);
    std::barrier ready(threads + 1);
    std::vector<std::thread> workers;
    for (std::size_t i = 0; i < n; ++i) {
        workers.emplace_back([&, i] {
            auto& search = searches[i];
            std::size_t next = i * queries.size() / n;
            for (std::size_t k = 0; k < queries.size(); ++k) {
                hits[i] += search(queries[(next + k) % queries.size()]);
            }
            ready.arrive_and_wait();
            std::uint64_t done = 0;
            while (!stop.load(std::memory_order_relaxed)) {
                search(queries[next]);
                next = (next + 1) % queries.size();
                ++done;
            }
            counts[i] = done;
        });
    }
    ready.arrive_and_wait();
    const auto start = Clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop.store(true);
    for (std::thread& worker : workers) worker.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    std::uint64_t total = 0;
    for (std::uint64_t count : counts) total += count;
    std::printf(
        "%s: threads %d queries %zu seconds %.2f searches %llu hits_per_pass %zu qps %.1f\n", label,
        threads, queries.size(), elapsed, static_cast<unsigned long long>(total), hits[0],
        static_cast<double>(total) / elapsed);
    return 0;
}

// What cold-search does: the request of each page, the list's slice and where to write.
struct ColdSearch {
    fs::path registry;
    fs::path queries;
    fs::path warm;  ///< asked first as full pages, plain and with each filter; empty: none
    std::size_t from = 0;
    std::size_t count = 0;  ///< 0: every query from `from` on
    std::string doctype;
    std::string valid_on;
    std::string today;     ///< the day of the default scope; empty: the local date
    fs::path dump;         ///< every answer in full, to compare two builds; empty: none
    bool verbose = false;  ///< each search's CPU ms, total and query
};

double ThreadCpuMillis() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

// The full result page of each query of a slice once, in process, as a server new to them
// answers it (a new Searcher; after `warm`'s queries, as bench/http-bench's warm-up): the CPU
// time of each search, and with --dump every answer (total, facets, hits, snippets), so that
// two builds can be shown to answer alike. Under callgrind only the cold searches count
// (--instr-atstart=no).
int ColdSearchRun(const ColdSearch& options) {
    namespace indexer = styrdok::indexer;
    const auto schema = styrdok::core::Schema::Load(options.registry / "schema.xml");
    const auto searcher = indexer::Searcher::Open(options.registry / "index", schema);
    auto date = [](const std::string& text) -> std::optional<styrdok::core::Date> {
        if (text.empty()) return std::nullopt;
        std::optional<styrdok::core::Date> day = styrdok::core::Date::Parse(text);
        if (!day) throw std::runtime_error("not a date: " + text);
        return day;
    };
    const std::optional<styrdok::core::Date> today = date(options.today);
    auto request_for = [&](const std::string& query) {
        indexer::SearchRequest request;
        request.query = query;
        request.per_page = kPageSize;
        request.today = today;
        return request;
    };
    if (!options.warm.empty()) {
        for (const std::string& query : ReadQueries(options.warm)) {
            indexer::SearchRequest request = request_for(query);
            searcher.Search(request);
            request.doctype = {"policy"};
            searcher.Search(request);
            request.doctype.clear();
            request.valid_on = date("2015-06-01");
            searcher.Search(request);
        }
    }
    const std::vector<std::string> all = ReadQueries(options.queries);
    const std::size_t begin = std::min(options.from, all.size());
    const std::size_t end =
        options.count == 0 ? all.size() : std::min(all.size(), begin + options.count);
    std::vector<indexer::SearchResult> results;
    std::vector<double> cpu_ms;
    CALLGRIND_START_INSTRUMENTATION;
    for (std::size_t i = begin; i < end; ++i) {
        indexer::SearchRequest request = request_for(all[i]);
        if (!options.doctype.empty()) request.doctype = {options.doctype};
        request.valid_on = date(options.valid_on);
        const double start = ThreadCpuMillis();
        results.push_back(searcher.Search(request));
        cpu_ms.push_back(ThreadCpuMillis() - start);
    }
    CALLGRIND_STOP_INSTRUMENTATION;
    if (cpu_ms.empty()) {
        std::cerr << "no queries in that slice of " << options.queries << "\n";
        return 2;
    }
    if (options.verbose) {
        for (std::size_t i = 0; i < results.size(); ++i) {
            std::printf("%8.3f %7zu  %s\n", cpu_ms[i], results[i].total, all[begin + i].c_str());
        }
    }
    if (!options.dump.empty()) {
        std::ofstream out(options.dump);
        for (std::size_t i = 0; i < results.size(); ++i) {
            const indexer::SearchResult& result = results[i];
            out << "query " << all[begin + i] << "\ntotal " << result.total << "\nsuggestion "
                << result.suggestion << '\n';
            for (const auto& [facet, counts] : result.facets) {
                out << "facet " << facet;
                for (const auto& [value, n] : counts) out << ' ' << value << '=' << n;
                out << '\n';
            }
            for (const indexer::Hit& hit : result.hits) {
                out << "hit " << hit.id << ' ' << hit.version << ' ' << hit.state << ' '
                    << hit.weight << '\n'
                    << "  " << hit.snippet << '\n';
            }
        }
    }
    double sum = 0;
    for (double ms : cpu_ms) sum += ms;
    std::printf("cold-search: %zu queries, CPU ms a search: mean %.3f p50 %.3f p99 %.3f\n",
                cpu_ms.size(), sum / static_cast<double>(cpu_ms.size()), Percentile(cpu_ms, 0.50),
                Percentile(cpu_ms, 0.99));
    return 0;
}

// What hits-cost does: which side searches, over which list, and where to write.
struct HitsCost {
    fs::path registry;
    fs::path raw;
    fs::path queries;
    std::string side = "styrdok";
    int rounds = 1;
    std::string today;       ///< the day of the default scope; empty: the local date
    std::string valid_on;    ///< both sides; empty: the default scope
    std::string doctype;     ///< both sides; empty: any
    fs::path dump;           ///< the first round's answers; empty: none
    bool verbose = false;    ///< each search's CPU ms in the last round, total and query
    bool per_query = false;  ///< under callgrind, a profile of each search of the last round
};

// The hits-only search of each query of a list by Styrdok's Searcher or by the raw searcher,
// one side a process, so that callgrind counts one side's instructions over the same list:
// a first round (warming both the OS cache and the process's own), then `rounds` measured.
// With --dump, the first round's answers (total, then each hit's id, version and weight;
// the raw side's ids), to show that two builds answer alike.
int HitsCostRun(const HitsCost& options) {
    namespace indexer = styrdok::indexer;
    auto date = [](const std::string& text) -> std::optional<styrdok::core::Date> {
        if (text.empty()) return std::nullopt;
        std::optional<styrdok::core::Date> day = styrdok::core::Date::Parse(text);
        if (!day) throw std::runtime_error("not a date: " + text);
        return day;
    };
    const std::vector<std::string> queries = ReadQueries(options.queries);
    if (queries.empty()) {
        std::cerr << "no queries in " << options.queries << "\n";
        return 2;
    }
    // The answer as text when `describe`, for the dump; nothing else is spent on it.
    std::function<std::string(const std::string&, bool)> search;
    std::optional<indexer::Searcher> searcher;
    std::optional<styrdok::bench::RawXapianSearcher> raw;
    styrdok::bench::RawFilter filter{options.doctype, options.valid_on};
    if (options.side == "raw") {
        raw.emplace(styrdok::bench::RawXapianSearcher::Open(options.raw));
        search = [&](const std::string& query, bool describe) {
            const std::vector<std::string> ids = raw->Search(query, kPageSize, filter);
            std::string answer;
            if (describe) {
                for (const std::string& id : ids) answer += "hit " + id + '\n';
            }
            return answer;
        };
    } else {
        const auto schema = styrdok::core::Schema::Load(options.registry / "schema.xml");
        searcher.emplace(indexer::Searcher::Open(options.registry / "index", schema));
        const std::optional<styrdok::core::Date> today = date(options.today);
        const std::optional<styrdok::core::Date> valid_on = date(options.valid_on);
        search = [&, today, valid_on](const std::string& query, bool describe) {
            indexer::SearchRequest request;
            request.query = query;
            request.per_page = kPageSize;
            request.facets = false;
            request.snippets = false;
            request.today = today;
            request.valid_on = valid_on;
            if (!options.doctype.empty()) request.doctype = {options.doctype};
            const indexer::SearchResult result = searcher->Search(request);
            if (!describe) return std::string();
            std::ostringstream answer;
            answer.precision(17);
            answer << "total " << result.total << "\nsuggestion " << result.suggestion << '\n';
            for (const indexer::Hit& hit : result.hits) {
                answer << "hit " << hit.id << ' ' << hit.version << ' ' << hit.weight << '\n';
            }
            return answer.str();
        };
    }
    std::ofstream dump;
    if (!options.dump.empty()) dump.open(options.dump);
    for (const std::string& query : queries) {
        const std::string answer = search(query, dump.is_open());
        if (dump) dump << "query " << query << '\n' << answer;
    }
    std::vector<double> cpu_ms;
    CALLGRIND_START_INSTRUMENTATION;
    for (int round = 0; round < options.rounds; ++round) {
        for (const std::string& query : queries) {
            const double start = ThreadCpuMillis();
            search(query, false);
            cpu_ms.push_back(ThreadCpuMillis() - start);
            if (options.per_query && round + 1 == options.rounds) {
                CALLGRIND_DUMP_STATS_AT(query.c_str());
            }
        }
    }
    CALLGRIND_STOP_INSTRUMENTATION;
    if (cpu_ms.empty()) return 0;
    if (options.verbose) {
        const std::size_t last = cpu_ms.size() - queries.size();
        for (std::size_t i = 0; i < queries.size(); ++i) {
            std::printf("%8.3f  %s\n", cpu_ms[last + i], queries[i].c_str());
        }
    }
    double sum = 0;
    for (double ms : cpu_ms) sum += ms;
    std::printf(
        "hits-cost %s: %zu queries x %d rounds, CPU ms a search: mean %.3f p50 %.3f p99 %.3f\n",
        options.side.c_str(), queries.size(), options.rounds,
        sum / static_cast<double>(cpu_ms.size()), Percentile(cpu_ms, 0.50),
        Percentile(cpu_ms, 0.99));
    return 0;
}

// The throughput the HTTP search is held against: plain Xapian, no server in between, the
// same hits-only search of kPageSize ids as the latency timing.
int RawSearchQps(const fs::path& raw_dir, const fs::path& queries_file, int threads,
                 double seconds) {
    return SearchQps("raw-search-qps", queries_file, threads, seconds, [&](std::size_t) {
        return [searcher = styrdok::bench::RawXapianSearcher::Open(raw_dir)](
                   const std::string& query) { return searcher.Search(query, kPageSize).size(); };
    });
}

// The same with Styrdok's own Searcher (hits only: no facets, no snippets), in process: what
// the HTTP search would reach if HTTP cost nothing. It splits the gap between the raw
// reference and the HTTP search into the searcher's share and the server's.
int StyrdokSearchQps(const fs::path& registry, const fs::path& queries_file, int threads,
                     double seconds) {
    const auto schema = styrdok::core::Schema::Load(registry / "schema.xml");
    return SearchQps("styrdok-search-qps", queries_file, threads, seconds, [&](std::size_t) {
        return [searcher = styrdok::indexer::Searcher::Open(registry / "index", schema)](
                   const std::string& query) {
            styrdok::indexer::SearchRequest request;
            request.query = query;
            request.per_page = kPageSize;
            request.facets = false;
            request.snippets = false;
            return searcher.Search(request).hits.size();
        };
    });
}

// Percent-encodes every byte outside RFC 3986's unreserved set, as bench/wrk/common.lua does.
std::string UrlEncode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 15];
        }
    }
    return out;
}

struct HttpQueries {
    std::string host = "127.0.0.1";
    int port = 0;
    fs::path queries;
    std::size_t from = 0;
    std::size_t count = 0;  ///< 0: every query from `from` on
    std::string extra;      ///< appended to the query string as it is
    std::string path = "/api/search";
    int connections = 1;
    fs::path times;  ///< appended: "ms<TAB>query" per answer; empty: none
};

// Asks each query of a slice of the list once, spread over `connections` keep-alive
// connections (a thread each, taking the next query not yet asked, once every connection has
// had an answer to GET /healthz), and times each answer from sending the request until its
// body is read. Every answer must be 200.
int AskHttpQueries(const HttpQueries& options) {
    const std::vector<std::string> all = ReadQueries(options.queries);
    if (options.from >= all.size()) {
        std::cerr << "only " << all.size() << " queries in " << options.queries << "\n";
        return 2;
    }
    const std::size_t end =
        options.count == 0 ? all.size() : std::min(all.size(), options.from + options.count);
    if (options.count != 0 && end - options.from < options.count) {
        std::cerr << "only " << all.size() << " queries in " << options.queries << ", not "
                  << options.from + options.count << "\n";
        return 2;
    }
    const std::vector<std::string> queries(all.begin() + static_cast<std::ptrdiff_t>(options.from),
                                           all.begin() + static_cast<std::ptrdiff_t>(end));
    const std::string suffix = options.extra.empty() ? "" : "&" + options.extra;
    std::vector<double> ms(queries.size(), 0);
    std::atomic<std::size_t> next{0}, errors{0}, retries{0};
    std::mutex error_mutex;
    std::string first_error;
    std::barrier ready(options.connections + 1);
    std::vector<std::thread> workers;
    for (int c = 0; c < options.connections; ++c) {
        workers.emplace_back([&] {
            Poco::Net::HTTPClientSession session(options.host,
                                                 static_cast<Poco::UInt16>(options.port));
            session.setKeepAlive(true);
            session.setTimeout(Poco::Timespan(60, 0));
            // The connection opened and answered once before the timing: a server may give
            // a connection its first request later than a request on one it already serves.
            try {
                Poco::Net::HTTPRequest hello(Poco::Net::HTTPRequest::HTTP_GET, "/healthz",
                                             Poco::Net::HTTPMessage::HTTP_1_1);
                Poco::Net::HTTPResponse response;
                session.sendRequest(hello);
                Poco::NullOutputStream sink;
                Poco::StreamCopier::copyStream(session.receiveResponse(response), sink);
            } catch (const std::exception&) {
                session.reset();
            }
            ready.arrive_and_wait();
            for (std::size_t i = next++; i < queries.size(); i = next++) {
                Poco::Net::HTTPRequest request(
                    Poco::Net::HTTPRequest::HTTP_GET,
                    options.path + "?q=" + UrlEncode(queries[i]) + suffix,
                    Poco::Net::HTTPMessage::HTTP_1_1);
                std::string problem;
                const auto start = Clock::now();
                // A GET on a kept-alive connection the server closed meanwhile is sent again
                // on a new one, as browsers do (RFC 9112, 9.3.1), and counted.
                for (int attempt = 0; attempt < 2; ++attempt) {
                    Poco::Net::HTTPResponse response;
                    try {
                        session.sendRequest(request);
                        std::istream& body = session.receiveResponse(response);
                        Poco::NullOutputStream sink;
                        Poco::StreamCopier::copyStream(body, sink);
                        problem.clear();
                        if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) {
                            problem = "HTTP " + std::to_string(response.getStatus());
                        }
                        break;
                    } catch (const Poco::Net::NoMessageException& e) {
                        problem = e.displayText();
                        session.reset();
                        if (attempt == 0) ++retries;
                    } catch (const Poco::Net::ConnectionResetException& e) {
                        problem = e.displayText();
                        session.reset();
                        if (attempt == 0) ++retries;
                    } catch (const std::exception& e) {
                        problem = e.what();
                        session.reset();
                        break;
                    }
                }
                ms[i] = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
                if (!problem.empty()) {
                    ++errors;
                    std::lock_guard lock(error_mutex);
                    if (first_error.empty()) first_error = problem + " for " + queries[i];
                }
            }
        });
    }
    ready.arrive_and_wait();
    const auto start = Clock::now();
    for (std::thread& worker : workers) worker.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!options.times.empty()) {
        std::ofstream out(options.times, std::ios::app);
        for (std::size_t i = 0; i < queries.size(); ++i) {
            out << ms[i] << '\t' << queries[i] << '\n';
        }
    }
    if (!first_error.empty()) std::cerr << "http-queries: " << first_error << "\n";
    // One line for bench/http-bench to parse, as wrk's in bench/wrk/common.lua.
    std::printf(
        "http-result requests=%zu seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f "
        "errors=%zu retries=%zu\n",
        queries.size(), seconds, static_cast<double>(queries.size()) / seconds,
        Percentile(ms, 0.50), Percentile(ms, 0.99), *std::max_element(ms.begin(), ms.end()),
        errors.load(), retries.load());
    return 0;
}

}  // namespace

// Letters the Swedish stemmer leaves alone at the end of a word: consonants only, no s.
std::string Letters(unsigned long long n) {
    static constexpr std::string_view kLetters = "bcdfghjklmnpqrtvwz";
    std::string word;
    do {
        word += kLetters[n % kLetters.size()];
        n /= kLetters.size();
    } while (n > 0);
    return word;
}

int SyncCost(const fs::path& registry, int rounds) {
    namespace indexer = styrdok::indexer;
    namespace store = styrdok::store;
    const auto schema = styrdok::core::Schema::Load(registry / "schema.xml");
    const fs::path index_dir = registry / "index";
    store::Store repository = store::Store::Open(registry / "repository");
    // Catches up first, so that the rounds start from an index at the store.
    indexer::Index::Open(index_dir, schema).Sync(repository);
    indexer::Searcher searcher = indexer::Searcher::Open(index_dir, schema);
    const std::vector<store::DraftRef> drafts = repository.ListDrafts();
    if (drafts.empty()) {
        std::cerr << "the registry has no drafts\n";
        return 2;
    }
    const std::string run = Letters(static_cast<unsigned long long>(std::time(nullptr)));
    std::vector<double> look_ms, sync_ms, save_ms, draft_sync_ms, found_ms;
    std::size_t lost = 0;
    for (int round = 0; round < rounds; ++round) {
        look_ms.push_back(Millis([&] {
            repository.Head();
            repository.ListDrafts();
        }));
        sync_ms.push_back(
            Millis([&] { indexer::Index::Open(index_dir, schema).Sync(repository); }));

        const store::DraftRef& draft = drafts[static_cast<std::size_t>(round) * drafts.size() /
                                              static_cast<std::size_t>(rounds)];
        std::optional<store::Document> document = repository.ReadDraft(draft.id);
        const std::string word = "redz" + run + "q" + Letters(static_cast<unsigned>(round)) + "x";
        store::DocumentWrite write;
        write.metadata = document->metadata;
        write.text = document->text + "\n\nÄndrad: " + word + "\n";
        write.expected_version = document->version;
        const auto start = Clock::now();
        save_ms.push_back(Millis([&] {
            repository.CommitDraft(write, {"styrdok-bench", "bench@styrdok.invalid"},
                                   "styrdok-bench sync-cost");
        }));
        draft_sync_ms.push_back(
            Millis([&] { indexer::Index::Open(index_dir, schema).Sync(repository); }));
        indexer::SearchRequest request;
        request.query = word;
        request.status = "utkast";
        request.include_restricted = true;
        request.facets = false;
        request.snippets = false;
        searcher.Reopen();
        if (searcher.Search(request).total == 0) ++lost;
        found_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::printf("%zu documents, %zu drafts, %d rounds\n", searcher.DocumentCount(), drafts.size(),
                rounds);
    std::printf("%-52s %8s %8s\n", "", "p50 ms", "p99 ms");
    const std::pair<const char*, const std::vector<double>*> rows[] = {
        {"look for a change (Head + ListDrafts)", &look_ms},
        {"Index::Open + Sync, nothing to do", &sync_ms},
        {"CommitDraft (one word more)", &save_ms},
        {"Index::Open + Sync of that draft", &draft_sync_ms},
        {"CommitDraft to found by a search (reopened)", &found_ms},
    };
    for (const auto& [name, values] : rows) {
        std::printf("%-52s %8.1f %8.1f\n", name, Percentile(*values, 0.5),
                    Percentile(*values, 0.99));
    }
    if (lost > 0) std::printf("%zu saved drafts not found\n", lost);
    return lost == 0 ? 0 : 1;
}

int main(int argc, char** argv) {
    CLI::App app("Reference indexer and search timing for scripts/bench");
    app.require_subcommand(1);
    fs::path corpus, db_dir, registry, raw_dir, queries;
    int rounds = 5;
    auto* raw_index = app.add_subcommand("raw-index", "Index a generated corpus with plain Xapian");
    raw_index->add_option("corpus", corpus)->required()->check(CLI::ExistingDirectory);
    raw_index->add_option("db", db_dir)->required();
    auto* search = app.add_subcommand("search", "Time Styrdok's search against the raw searcher");
    search->add_option("--registry", registry)->required()->check(CLI::ExistingDirectory);
    search->add_option("--raw", raw_dir)->required()->check(CLI::ExistingDirectory);
    search->add_option("--queries", queries)->required()->check(CLI::ExistingFile);
    search->add_option("--rounds", rounds, "Measured rounds over the query list")
        ->check(CLI::Range(1, 1000));
    bool no_facets = false, no_snippets = false, verbose = false;
    styrdok::bench::RawFilter filter;
    search->add_option("--doctype", filter.doctype, "Only documents of this doctype, both sides");
    search->add_option("--valid-on", filter.valid_on,
                       "Only versions valid on this day (YYYY-MM-DD), both sides");
    search->add_flag("--verbose", verbose, "Print each query's times (ms), totals and hits");
    search->add_flag("--no-facets", no_facets, "Ask Styrdok for hits without facet counts");
    search->add_flag("--no-snippets", no_snippets, "Ask Styrdok for hits without snippets");
    int threads = 2;
    double seconds = 10;
    auto* qps = app.add_subcommand("raw-search-qps",
                                   "Queries per second of the raw searcher on several threads");
    qps->add_option("--raw", raw_dir)->required()->check(CLI::ExistingDirectory);
    qps->add_option("--queries", queries)->required()->check(CLI::ExistingFile);
    qps->add_option("--threads", threads, "Searching threads, one database handle each")
        ->check(CLI::Range(1, 256));
    qps->add_option("--seconds", seconds, "Measured period after the warm-up pass")
        ->check(CLI::Range(0.1, 3600.0));
    auto* styrdok_qps = app.add_subcommand(
        "styrdok-search-qps",
        "Queries per second of Styrdok's Searcher (hits only) on several threads");
    styrdok_qps->add_option("--registry", registry)->required()->check(CLI::ExistingDirectory);
    styrdok_qps->add_option("--queries", queries)->required()->check(CLI::ExistingFile);
    styrdok_qps->add_option("--threads", threads, "Searching threads, one Searcher each")
        ->check(CLI::Range(1, 256));
    styrdok_qps->add_option("--seconds", seconds, "Measured period after the warm-up pass")
        ->check(CLI::Range(0.1, 3600.0));
    HttpQueries http;
    auto* http_queries = app.add_subcommand(
        "http-queries", "Ask a running server each query of a list once and time the answers");
    http_queries->add_option("--host", http.host, "The server's address");
    http_queries->add_option("--port", http.port)->required()->check(CLI::Range(1, 65535));
    http_queries->add_option("--queries", http.queries)->required()->check(CLI::ExistingFile);
    http_queries->add_option("--from", http.from, "The first query asked, 0-based");
    http_queries->add_option("--count", http.count, "Queries asked (0: the rest of the list)");
    http_queries->add_option("--extra", http.extra,
                             "Appended to each query string, e.g. doctype=policy");
    http_queries->add_option("--path", http.path, "/api/search or / (the web UI's page)");
    http_queries->add_option("--connections", http.connections, "Connections, a thread each")
        ->check(CLI::Range(1, 256));
    http_queries->add_option("--times", http.times, "Append each answer's ms and query here");
    ColdSearch cold;
    auto* cold_search = app.add_subcommand(
        "cold-search", "CPU time of full result pages of queries new to a Searcher, in process");
    cold_search->add_option("--registry", cold.registry)->required()->check(CLI::ExistingDirectory);
    cold_search->add_option("--queries", cold.queries)->required()->check(CLI::ExistingFile);
    cold_search->add_option("--warm", cold.warm, "Asked first: plain, doctype=policy, valid_on")
        ->check(CLI::ExistingFile);
    cold_search->add_option("--from", cold.from, "The first query asked, 0-based");
    cold_search->add_option("--count", cold.count, "Queries asked (0: the rest of the list)");
    cold_search->add_option("--doctype", cold.doctype, "Only documents of this doctype");
    cold_search->add_option("--valid-on", cold.valid_on, "As on this day (YYYY-MM-DD)");
    cold_search->add_option("--today", cold.today, "Today for the default scope (YYYY-MM-DD)");
    cold_search->add_option("--dump", cold.dump, "Write every answer here");
    cold_search->add_flag("--verbose", cold.verbose, "Print each search's CPU ms, total and query");
    HitsCost hits;
    auto* hits_cost = app.add_subcommand(
        "hits-cost", "Hits-only searches of one side (Styrdok or raw), for callgrind and --dump");
    hits_cost->add_option("--registry", hits.registry)->check(CLI::ExistingDirectory);
    hits_cost->add_option("--raw", hits.raw)->check(CLI::ExistingDirectory);
    hits_cost->add_option("--queries", hits.queries)->required()->check(CLI::ExistingFile);
    hits_cost->add_option("--side", hits.side, "styrdok (needs --registry) or raw (needs --raw)")
        ->check(CLI::IsMember({"styrdok", "raw"}));
    hits_cost->add_option("--rounds", hits.rounds, "Measured rounds after the first")
        ->check(CLI::Range(0, 1000));
    hits_cost->add_option("--today", hits.today, "Today for the default scope (YYYY-MM-DD)");
    hits_cost->add_option("--valid-on", hits.valid_on, "As on this day (YYYY-MM-DD), both sides");
    hits_cost->add_option("--doctype", hits.doctype, "Only documents of this doctype, both sides");
    hits_cost->add_option("--dump", hits.dump, "Write the first round's answers here");
    hits_cost->add_flag("--verbose", hits.verbose, "Print each search's CPU ms in the last round");
    hits_cost->add_flag("--per-query", hits.per_query,
                        "Under callgrind, dump a profile after each search of the last round");
    auto* sync_cost = app.add_subcommand(
        "sync-cost", "What keeping the index at the store costs (writes drafts to the registry)");
    sync_cost->add_option("--registry", registry)->required()->check(CLI::ExistingDirectory);
    int sync_rounds = 20;
    sync_cost->add_option("--rounds", sync_rounds, "Measured rounds")->check(CLI::Range(1, 1000));
    CLI11_PARSE(app, argc, argv);
    try {
        if (*sync_cost) return SyncCost(registry, sync_rounds);
        if (*http_queries) return AskHttpQueries(http);
        if (*cold_search) return ColdSearchRun(cold);
        if (*hits_cost) return HitsCostRun(hits);
        if (*raw_index) return RawIndex(corpus, db_dir);
        if (*qps) return RawSearchQps(raw_dir, queries, threads, seconds);
        if (*styrdok_qps) return StyrdokSearchQps(registry, queries, threads, seconds);
        return Search(registry, raw_dir, queries, rounds, !no_facets, !no_snippets, filter,
                      verbose);
    } catch (const std::exception& e) {
        std::cerr << "styrdok-bench: " << e.what() << "\n";
        return 2;
    }
}
