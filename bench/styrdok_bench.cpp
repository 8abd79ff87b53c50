// styrdok-bench: the reference side of scripts/bench and the search-latency measurement.
//
//   styrdok-bench raw-index CORPUS DB     index the latest title and text of every document
//                                         of a scripts/gen-corpus folder with plain Xapian
//   styrdok-bench search --registry DIR --raw DB --queries FILE [--rounds N]
//                                         run every query against Styrdok's Searcher and the
//                                         raw searcher, interleaved, and print p50/p99 of each
//
// Timing of whole processes (raw-index, styrdok import) is left to /usr/bin/time in
// scripts/bench, so both sides are measured the same way.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <pugixml.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "raw_xapian.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/indexer/search.hpp"

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
        const std::string title = metadata.document_element().child_value("title");
        indexer.Add(folder.filename().string(), title, ReadFile(folder / "text.md"));
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
           int rounds, bool facets, bool snippets, bool verbose) {
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
            styrdok::indexer::SearchResult result;
            std::vector<std::string> ids;
            const double raw_time = Millis([&] { ids = raw.Search(query, kPageSize); });
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
    return 0;
}

}  // namespace

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
    search->add_flag("--verbose", verbose, "Print each query's times (ms), totals and hits");
    search->add_flag("--no-facets", no_facets, "Ask Styrdok for hits without facet counts");
    search->add_flag("--no-snippets", no_snippets, "Ask Styrdok for hits without snippets");
    CLI11_PARSE(app, argc, argv);
    try {
        if (*raw_index) return RawIndex(corpus, db_dir);
        return Search(registry, raw_dir, queries, rounds, !no_facets, !no_snippets, verbose);
    } catch (const std::exception& e) {
        std::cerr << "styrdok-bench: " << e.what() << "\n";
        return 2;
    }
}
