// Where the instructions of a hits-only search go: runs the queries of a file once for
// warm-up and once measured, in one of several variants that each add one part of Styrdok's
// search to plain Xapian's. Meant for callgrind, which counts instructions whatever else the
// machine does:
//
//   valgrind --tool=callgrind --instr-atstart=no
//       build/bench/styrdok-search-cost VARIANT REGISTRY RAW_DB bench/queries.txt
//
// With PER_QUERY=1 callgrind writes one profile per query, named by the query; with
// DESCRIBE=1 the program first prints each query as Xapian reads it; with TIMES=1 it prints
// each query's wall time in milliseconds.
#include <valgrind/callgrind.h>
#include <xapian.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "query.hpp"
#include "styrdok/core/schema.hpp"
#include "terms.hpp"

namespace {

constexpr const char* kUsage =
    "usage: styrdok-search-cost VARIANT REGISTRY RAW_DB QUERIES\n"
    "VARIANT: raw (Snowball parser, raw database), raw-parser (Snowball parser, Styrdok's\n"
    "index), parser (Styrdok's parser), sort (+ tie-break), scope (+ default scope: its own "
    "database)\n";

}  // namespace

int main(int argc, char** argv) {
    using namespace styrdok;
    if (argc != 5) {
        std::cerr << kUsage;
        return 2;
    }
    const std::string variant = argv[1];
    const std::string registry = argv[2];
    if (variant != "raw" && variant != "raw-parser" && variant != "parser" && variant != "sort" &&
        variant != "scope") {
        std::cerr << kUsage;
        return 2;
    }
    core::Schema schema = core::Schema::Load(registry + "/schema.xml");
    // Every version, and the default scope's own database (indexer/src/terms.hpp).
    Xapian::Database styrdok_db(registry + "/index");
    Xapian::Database current_db(registry + "/index/current");
    styrdok_db.add_database(current_db);
    Xapian::Database raw_db(argv[3]);
    std::vector<std::string> queries;
    std::ifstream in(argv[4]);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line[0] != '#') queries.push_back(line);
    }

    const bool raw_parser = variant == "raw" || variant == "raw-parser";
    Xapian::Database& db = variant == "raw" ? raw_db : variant == "scope" ? current_db : styrdok_db;
    Xapian::QueryParser snowball;
    snowball.set_stemmer(Xapian::Stem("swedish"));
    snowball.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    snowball.set_default_op(Xapian::Query::OP_AND);
    snowball.set_database(db);
    Xapian::QueryParser parser = indexer::detail::MakeQueryParser(styrdok_db, schema);
    const indexer::detail::LabelMatches labels(schema);
    // The default scope today, as the current versions' database answers it.
    indexer::detail::Filters filters =
        indexer::detail::MakeFilters({}, schema, indexer::detail::LocalToday());
    filters.UseCurrentDatabase(indexer::detail::CurrentDays::Read(current_db));

    // Parsing is outside the measurement: the variants compare the match.
    std::vector<Xapian::Query> parsed;
    for (const std::string& query : queries) {
        parsed.push_back(
            raw_parser ? snowball.parse_query(query)
                       : indexer::detail::ParseSearchText(parser, query, labels, db, false).query);
    }
    if (std::getenv("DESCRIBE") != nullptr) {
        for (std::size_t i = 0; i < parsed.size(); ++i) {
            const Xapian::Query shown = variant == "scope" ? filters.Apply(parsed[i]) : parsed[i];
            std::cout << queries[i] << "\t" << shown.get_description() << "\n";
        }
    }
    const bool per_query = std::getenv("PER_QUERY") != nullptr;
    const bool times = std::getenv("TIMES") != nullptr;
    std::size_t hits = 0;
    auto started = std::chrono::steady_clock::now();
    for (int round = 0; round < 2; ++round) {
        if (round == 1) {
            started = std::chrono::steady_clock::now();
            CALLGRIND_START_INSTRUMENTATION;
        }
        for (std::size_t i = 0; i < parsed.size(); ++i) {
            Xapian::Enquire enquire(db);
            enquire.set_query(variant == "scope" ? filters.Apply(parsed[i]) : parsed[i]);
            if (variant == "sort" || variant == "scope") {
                enquire.set_sort_by_relevance_then_value(indexer::detail::kSlotTieBreak, false);
            }
            const auto query_started = std::chrono::steady_clock::now();
            hits += enquire.get_mset(0, 20).size();
            if (round == 1 && times) {
                const std::chrono::duration<double, std::milli> took =
                    std::chrono::steady_clock::now() - query_started;
                std::cout << took.count() << "\t" << queries[i] << "\n";
            }
            if (round == 1 && per_query) CALLGRIND_DUMP_STATS_AT(queries[i].c_str());
        }
        if (round == 1) CALLGRIND_STOP_INSTRUMENTATION;
    }
    const std::chrono::duration<double, std::milli> spent =
        std::chrono::steady_clock::now() - started;
    // Wall time is a rough guide only: outside callgrind the machine's noise is in it.
    std::cout << variant << ": " << queries.size() << " queries, " << hits << " hits, "
              << spent.count() / static_cast<double>(queries.size()) << " ms per query\n";
    return 0;
}
