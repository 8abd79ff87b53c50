#include "styrdok/indexer/search.hpp"

#include <unistd.h>

#include <iostream>

#include "commands.hpp"
#include "registry.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::cli {

namespace {

struct SearchArguments {
    std::vector<std::string> words;
    indexer::SearchRequest request;
    std::string valid_on;
    std::string sort;
};

/// Replaces the index's highlight markers with something a terminal or a pipe can show.
std::string RenderSnippet(std::string snippet, bool terminal) {
    const std::string start = terminal ? "\033[1m" : "[";
    const std::string end = terminal ? "\033[0m" : "]";
    for (auto [marker, replacement] : {std::pair{std::string(indexer::kHighlightStart), start},
                                       std::pair{std::string(indexer::kHighlightEnd), end}}) {
        for (auto at = snippet.find(marker); at != std::string::npos;
             at = snippet.find(marker, at + replacement.size())) {
            snippet.replace(at, marker.size(), replacement);
        }
    }
    for (char& c : snippet) {
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    }
    return snippet;
}

void PrintHit(std::size_t rank, const indexer::Hit& hit, const core::Schema& schema,
              bool terminal) {
    const core::Body* body = schema.FindBody(hit.decided_by);
    std::cout << rank << ". " << hit.title << "\n   " << hit.doctype;
    if (!hit.decided_by.empty()) {
        std::cout << " · " << (body != nullptr ? body->abbreviation : hit.decided_by);
    }
    if (!hit.decided_on.empty()) std::cout << " " << hit.decided_on;
    if (!hit.dnr.empty()) std::cout << " · dnr " << hit.dnr;
    // The state on the day searched (in force, not yet, ended) rather than the stored status.
    std::cout << " · " << (hit.state.empty() ? hit.status : hit.state);
    if (!hit.valid_from.empty() || !hit.valid_to.empty()) {
        std::cout << " · giltig " << hit.valid_from << "–"
                  << (hit.valid_to.empty() ? "tillsvidare" : hit.valid_to);
    }
    std::cout << "\n   id " << hit.id << " · version " << hit.version.substr(0, 12) << "\n";
    if (!hit.snippet.empty()) std::cout << "   " << RenderSnippet(hit.snippet, terminal) << "\n";
}

void RunSearch(Context& context, SearchArguments& arguments) {
    Registry registry = Registry::Open(context.data);
    indexer::SearchRequest& request = arguments.request;
    for (const auto& word : arguments.words) {
        request.query += (request.query.empty() ? "" : " ") + word;
    }
    if (!arguments.valid_on.empty()) {
        request.valid_on = core::Date::Parse(arguments.valid_on);
        if (!request.valid_on) {
            throw Error(ErrorCode::kBadInput,
                        "--valid-on: expected YYYY-MM-DD, got '" + arguments.valid_on + "'");
        }
    }
    auto sort = indexer::ParseSortOrder(arguments.sort);
    if (!sort) throw Error(ErrorCode::kBadInput, "--sort: unknown order '" + arguments.sort + "'");
    request.sort = *sort;

    auto searcher = indexer::Searcher::Open(registry.index_dir(), registry.schema());
    auto store = store::Store::Open(registry.repository());
    if (searcher.LastIndexedCommit() != store.Head()) {
        std::cerr << "note: the index is behind the repository; run `styrdok index`\n";
    }
    indexer::SearchResult result = searcher.Search(request);

    const bool terminal = isatty(STDOUT_FILENO) == 1;
    std::size_t rank = (result.page - 1) * result.per_page;
    for (const auto& hit : result.hits) {
        PrintHit(++rank, hit, registry.schema(), terminal);
    }
    if (!result.suggestion.empty()) std::cout << "Menade du: " << result.suggestion << "\n";
    std::size_t pages =
        result.total == 0 ? 1 : (result.total + result.per_page - 1) / result.per_page;
    std::cout << result.total << (result.total == 1 ? " hit" : " hits") << " (page " << result.page
              << " of " << pages << ")\n";
}

}  // namespace

void AddSearchCommand(CLI::App& app, Context& context) {
    auto* command = app.add_subcommand(
        "search", "Search the registry; filters as in the JSON API (docs/operations.md)");
    auto arguments = std::make_shared<SearchArguments>();
    indexer::SearchRequest& request = arguments->request;
    // Whoever can read the registry folder can read every document in it, drafts included.
    request.include_restricted = true;
    command->add_option("query", arguments->words, "Words, phrases in quotes, AND/OR/NOT");
    command->add_option("--doctype", request.doctype, "Document type id (repeatable)")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->allow_extra_args(false);
    command->add_option("--category", request.category, "politisk or administrativ");
    command
        ->add_option("--decided-by", request.decided_by,
                     "Deciding body: id, abbreviation or name (repeatable)")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->allow_extra_args(false);
    command->add_option("--owner", request.owner, "Document owner");
    command->add_option("--goal-area", request.goal_area, "Målområde id (repeatable)")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->allow_extra_args(false);
    command->add_option("--dnr", request.dnr, "Diarienummer in any spelling");
    command->add_option(
        "--status", request.status,
        "gällande (default: in force on the day), ej i kraft än, upphört, upphävd, utkast or alla");
    command->add_option("--valid-on", arguments->valid_on,
                        "Search the versions in force on this date (YYYY-MM-DD)");
    command->add_option("--sort", arguments->sort,
                        "relevance (default), decided_on, -decided_on or title");
    command->add_option("--page", request.page, "Page number, from 1")->check(CLI::PositiveNumber);
    command->add_option("--per-page", request.per_page, "Hits per page, 1-100")
        ->check(CLI::Range(1, 100));
    command->callback([&context, arguments] { RunSearch(context, *arguments); });
}

}  // namespace styrdok::cli
