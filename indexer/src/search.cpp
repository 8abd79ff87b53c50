#include "styrdok/indexer/search.hpp"

#include <xapian.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <string_view>
#include <utility>

#include "boolean_match.hpp"
#include "count_cache.hpp"
#include "facet_column.hpp"
#include "query.hpp"
#include "sharded_cache.hpp"
#include "snippet.hpp"
#include "stored_hit.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/validity.hpp"
#include "swedish/swedish.hpp"
#include "terms.hpp"

namespace styrdok::indexer {

namespace {

constexpr std::size_t kMaxPerPage = 100;
// About two lines of text around the best match.
constexpr std::size_t kSnippetBytes = 200;
// A corrected query is offered when the query finds fewer hits than this.
constexpr std::size_t kSuggestBelow = 3;
// What a preferred match (the newest version, a document in force) adds to its weight: less
// than one matching word, so it decides between near-equals and never over relevance.
constexpr double kPreferredWeight = 0.5;
// How many of the best matches are looked through for the exact phrase of the query words:
// a default page's. Ranking deeper costs more than the rest of a search of common words (at
// 100 rather than 20, a three-word query of 7 000 matches took 1.1 ms where plain Xapian's
// whole search took 0.6); a phrase holder ranked further down keeps its place.
constexpr std::size_t kPhraseDepth = 20;
// Matches fetched on either side of a page to see its runs of equally relevant matches whole
// (see Run); the generated corpus has runs of 20-40 documents alike but for their titles.
constexpr std::size_t kTieWindow = 40;
// Matches that may be counted one by one rather than estimated (see FetchCoreFirst).
constexpr Xapian::doccount kCountExactlyBelow = 1000;

// The stemmer of snippets: Styrdok's own (a lexicon lookup and Snowball) behind memos of the
// words stemmed. CutSnippet stems every distinct word of a page's excerpts, 20 excerpts of up
// to 3 000 bytes, and the words of the texts repeat from page to page: stemming was a fifth
// of a full result page's CPU, most of it in the lexicon's locked shared cache. A Searcher
// serves one thread at a time, so its own memo (detail::StemMemo) is read without a lock; a
// word it has not met is looked up here, in the process's (ShardedCache, under a shared lock)
// before it is stemmed, as a server has a Searcher for each of its 32+ readers, each memo
// starting cold. A stemmer gives the same stem for a word every time, so the memos change no
// snippet.
class SharedMemoStem final : public Xapian::StemImplementation {
public:
    explicit SharedMemoStem(Xapian::Stem stem) : stem_(std::move(stem)) {}

    std::string operator()(const std::string& word) override {
        return Shared().Get(word, [&] { return stem_(word); });
    }

    std::string get_description() const override { return stem_.get_description(); }

private:
    // Every instance stems alike (MakeSwedishStem over the default lexicon), so they share
    // one memo: about 6 MB at most.
    static detail::ShardedCache<std::string>& Shared() {
        static detail::ShardedCache<std::string> memo(1 << 16);
        return memo;
    }

    Xapian::Stem stem_;
};

// Ties are broken by title and then by the newest interval (TieBreakKey), never by document
// id: ids change when the index is rebuilt, and the same search must answer the same way
// after. A search without words has no relevance to rank by, so it lists by title. A search
// by relevance leaves Xapian to rank by weight alone: Searcher::Impl::Run orders the ties.
void ApplySort(Xapian::Enquire& enquire, SortOrder sort, bool has_terms) {
    switch (sort) {
        case SortOrder::kRelevance:
            if (!has_terms) enquire.set_sort_by_value(detail::kSlotTieBreak, false);
            break;
        case SortOrder::kDecidedNewest:
            enquire.set_sort_by_value_then_relevance(detail::kSlotDecidedOn, true);
            break;
        case SortOrder::kDecidedOldest:
            enquire.set_sort_by_value_then_relevance(detail::kSlotDecidedOn, false);
            break;
        case SortOrder::kTitle:
            enquire.set_sort_by_value_then_relevance(detail::kSlotTieBreak, false);
            break;
    }
}

// Whether the runs of equal weight through `matches[first]` and `matches[last]` are whole in
// `matches`: neither reaches the first match fetched (unless it is the first of all,
// `from_start`) nor the last (unless no other follows, `to_end`).
bool TiesSeenWhole(const std::vector<Xapian::MSetIterator>& matches, std::size_t first,
                   std::size_t last, bool from_start, bool to_end) {
    if (!from_start && matches.front().get_weight() == matches[first].get_weight()) return false;
    return to_end || matches.back().get_weight() != matches[last].get_weight();
}

// Orders by the tie-break value each run of equal weights that has a match in [begin, end),
// keeping Xapian's order within equal values, as set_sort_by_relevance_then_value would.
void OrderTies(std::vector<Xapian::MSetIterator>& matches, std::size_t begin, std::size_t end) {
    while (begin > 0 && matches[begin - 1].get_weight() == matches[begin].get_weight()) --begin;
    while (end < matches.size() && matches[end].get_weight() == matches[end - 1].get_weight()) {
        ++end;
    }
    for (std::size_t run = begin; run < end;) {
        std::size_t run_end = run + 1;
        while (run_end < end && matches[run_end].get_weight() == matches[run].get_weight()) {
            ++run_end;
        }
        if (run_end - run > 1) {
            std::vector<std::pair<std::string, Xapian::MSetIterator>> tied;
            for (std::size_t i = run; i < run_end; ++i) {
                tied.emplace_back(matches[i].get_document().get_value(detail::kSlotTieBreak),
                                  matches[i]);
            }
            std::stable_sort(tied.begin(), tied.end(),
                             [](const auto& a, const auto& b) { return a.first < b.first; });
            for (std::size_t i = run; i < run_end; ++i) matches[i] = tied[i - run].second;
        }
        run = run_end;
    }
}

// One stretch of a ranking, as fetched from Xapian.
struct Fetched {
    std::vector<Xapian::MSetIterator> matches;
    Xapian::MSet mset;     ///< what they were fetched in: its counts, its snippets
    Xapian::Query query;   ///< mset's query, which its snippets depend on
    bool ran_out = false;  ///< the ranking ended before the stretch did; mset's counts are exact
    Xapian::doccount rest_total = 0;  ///< matches after mset's, when fetched in two parts
};

// The matches of `enquire` by weight alone from `first` - `window` (or 0) to `first` + `count`
// + `window`, and `whole`: whether the runs of ties through [first, first + count) are seen
// whole among them, when `matches` holds that stretch with its ties ordered by the tie-break
// value (else `matches` is empty).
Fetched FetchWithWindow(Xapian::Enquire& enquire, std::size_t first, std::size_t count,
                        std::size_t window, bool& whole) {
    const std::size_t lead = std::min(first, window);
    const std::size_t wanted = lead + count + window;
    Fetched fetched;
    fetched.query = enquire.get_query();
    fetched.mset = enquire.get_mset(static_cast<Xapian::doccount>(first - lead),
                                    static_cast<Xapian::doccount>(wanted));
    std::vector<Xapian::MSetIterator> all;
    for (auto it = fetched.mset.begin(); it != fetched.mset.end(); ++it) all.push_back(it);
    fetched.ran_out = all.size() < lead + count;
    whole = true;
    if (all.size() <= lead) return fetched;  // the stretch starts past the last match
    const std::size_t end = std::min(lead + count, all.size());
    whole = TiesSeenWhole(all, lead, end - 1, first == lead, all.size() < wanted);
    if (!whole) return fetched;
    OrderTies(all, lead, end);
    fetched.matches.assign(all.begin() + static_cast<std::ptrdiff_t>(lead),
                           all.begin() + static_cast<std::ptrdiff_t>(end));
    return fetched;
}

// Matches [first, first + count) of `enquire` by relevance, with ties ordered by the
// tie-break value. Xapian's own sort would read the value of every candidate, a tenth of a
// search; instead the stretch is fetched by weight alone, with kTieWindow more matches either
// side, and the ties through it are ordered here. Only when a run of ties reaches beyond
// those, so that which of its matches belong in the stretch is unknown, is the search run
// again with Xapian's sort. Where the mset's estimates are not shown (`exact_total`: a page
// whose total and facets were counted), one match either side is tried first: the larger
// fetch keeps Xapian's matcher from pruning, and a run of ties across the stretch's ends is
// rare (13 of 630 cold searches at 100 000 documents); the matches are the same either way.
Fetched FetchByRelevance(Xapian::Enquire& enquire, std::size_t first, std::size_t count,
                         bool exact_total) {
    bool whole = false;
    if (exact_total) {
        Fetched fetched = FetchWithWindow(enquire, first, count, 1, whole);
        if (whole) return fetched;
    }
    Fetched fetched = FetchWithWindow(enquire, first, count, kTieWindow, whole);
    if (whole) return fetched;
    enquire.set_sort_by_relevance_then_value(detail::kSlotTieBreak, false);
    const Xapian::MSet sorted = enquire.get_mset(static_cast<Xapian::doccount>(first),
                                                 static_cast<Xapian::doccount>(count));
    for (auto it = sorted.begin(); it != sorted.end(); ++it) fetched.matches.push_back(it);
    return fetched;
}

// How many matches `enquire` has: an estimate from the term statistics, which reads no
// posting list; counted when it may be small, so that a small total stays exact.
Xapian::doccount CountMatches(Xapian::Enquire& enquire) {
    Xapian::MSet counted = enquire.get_mset(0, 0);
    if (counted.get_matches_upper_bound() <= kCountExactlyBelow) {
        counted = enquire.get_mset(0, 0, counted.get_matches_upper_bound());
    }
    return counted.get_matches_estimated();
}

// Matches [first, first + count) of `ranked` (the whole query, filtered by `filters`) when
// the matches of `core` (ParseSearchText), ranked by `core_ranked`, come before all the rest:
// the rest is read only for a stretch that reaches past them. The mset is core's; the rest's
// count is in rest_total, estimated only when `count_rest` (a page with facets has its exact
// total already) or the stretch reaches into the rest.
Fetched FetchCoreFirst(const Xapian::Database& db, const detail::Filters& filters,
                       const Xapian::Query& ranked, const Xapian::Query& core_ranked,
                       const Xapian::Query& core, std::size_t first, std::size_t count,
                       bool count_rest) {
    Xapian::Enquire first_tier(db);
    first_tier.set_query(filters.Rank(core_ranked));
    Fetched fetched = FetchByRelevance(first_tier, first, count, !count_rest);
    Xapian::Enquire rest(db);
    rest.set_query(filters.Rank(Xapian::Query(Xapian::Query::OP_AND_NOT, ranked, core)));
    if (fetched.ran_out) {
        const std::size_t ahead = fetched.mset.get_matches_lower_bound();
        Fetched after = FetchByRelevance(rest, first > ahead ? first - ahead : 0,
                                         count - fetched.matches.size(), !count_rest);
        fetched.matches.insert(fetched.matches.end(), after.matches.begin(), after.matches.end());
        fetched.rest_total = after.mset.get_matches_estimated();
        return fetched;
    }
    if (count_rest) fetched.rest_total = CountMatches(rest);
    return fetched;
}

// Matches [first, first + count) of `ranked` (the whole query, filtered by `filters`) read
// from the matches of `rarer` alone (SearchText::rarer), ranked by `rarer_ranked`: when the
// last of them outweighs the most any other match, ranked by `others_ranked`, can weigh, no
// other match can come before it. nullopt when it does not, or the matches run out first.
// The mset is rarer's; rest_total counts the other matches when `count_rest`.
std::optional<Fetched> FetchOutweighing(const Xapian::Database& db, const detail::Filters& filters,
                                        const Xapian::Query& ranked,
                                        const Xapian::Query& rarer_ranked,
                                        const Xapian::Query& others_ranked,
                                        const detail::RarerAlternatives& rarer, std::size_t first,
                                        std::size_t count, bool count_rest) {
    Xapian::Enquire enquire(db);
    enquire.set_query(filters.Rank(rarer_ranked));
    Fetched fetched = FetchByRelevance(enquire, first, count, !count_rest);
    if (fetched.ran_out) return std::nullopt;
    // Xapian's bound for the other matches: the sum of each term's highest weight.
    Xapian::Enquire others(db);
    others.set_query(
        filters.Rank(Xapian::Query(Xapian::Query::OP_AND_NOT, others_ranked, rarer.query)));
    if (!(fetched.matches.back().get_weight() > others.get_mset(0, 0).get_max_possible())) {
        return std::nullopt;
    }
    if (!count_rest) return fetched;
    Xapian::Enquire rest(db);
    rest.set_query(filters.Rank(Xapian::Query(Xapian::Query::OP_AND_NOT, ranked, rarer.query)));
    fetched.rest_total = CountMatches(rest);
    return fetched;
}

// Matches [offset, offset + count) of `ranked` when those among the first kPhraseDepth that
// hold the exact phrase `phrase` come first, in their order. Looking for the phrase costs a
// read of the positions of each word, so it stops as soon as the stretch is known to be all
// phrase matches: it looks at the first offset + count matches, and only when some of those
// lack the phrase at the rest of the depth (HoldPhrase: `parts` are the databases `db`
// combines).
std::vector<Xapian::MSetIterator> PhraseFirst(const Xapian::Database& db,
                                              const std::vector<const Xapian::Database*>& parts,
                                              const std::vector<std::string>& phrase,
                                              const std::vector<Xapian::MSetIterator>& ranked,
                                              std::size_t offset, std::size_t count) {
    const std::size_t depth = std::min(ranked.size(), kPhraseDepth);
    std::vector<bool> holds;
    auto holds_at = [&](std::size_t i) {
        if (i >= holds.size()) {
            const std::size_t end = holds.empty() ? std::min(offset + count, depth) : depth;
            std::vector<Xapian::docid> dids;
            for (std::size_t j = holds.size(); j < end; ++j) dids.push_back(*ranked[j]);
            const std::vector<bool> found = detail::HoldPhrase(db, parts, dids, phrase);
            holds.insert(holds.end(), found.begin(), found.end());
        }
        return holds[i];
    };
    std::vector<Xapian::MSetIterator> reordered, scattered;
    std::size_t looked = 0;
    for (; looked < depth && reordered.size() < offset + count; ++looked) {
        (holds_at(looked) ? reordered : scattered).push_back(ranked[looked]);
    }
    if (looked < depth) {  // the stretch holds the phrase throughout
        return {reordered.begin() + static_cast<std::ptrdiff_t>(offset), reordered.end()};
    }
    reordered.insert(reordered.end(), scattered.begin(), scattered.end());
    reordered.insert(reordered.end(), ranked.begin() + static_cast<std::ptrdiff_t>(depth),
                     ranked.end());
    const std::size_t begin = std::min(offset, reordered.size());
    const std::size_t end = std::min(offset + count, reordered.size());
    return {reordered.begin() + static_cast<std::ptrdiff_t>(begin),
            reordered.begin() + static_cast<std::ptrdiff_t>(end)};
}

// The opening of a text, cut at a word, for hits of a search without words to highlight.
std::string Lead(const std::string& text, std::size_t bytes) {
    std::string lead;
    for (char c : text) {
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
        if (c == ' ' && (lead.empty() || lead.back() == ' ')) continue;
        lead += c;
    }
    if (lead.size() <= bytes) return lead;
    std::size_t cut = lead.rfind(' ', bytes);
    if (cut == std::string::npos || cut == 0) {
        cut = bytes;
        // Never split a UTF-8 sequence: back up over continuation bytes.
        while (cut > 0 && (static_cast<unsigned char>(lead[cut]) & 0xC0) == 0x80) --cut;
    }
    return lead.substr(0, cut) + "\xe2\x80\xa6";
}

}  // namespace

std::optional<SortOrder> ParseSortOrder(std::string_view text) {
    if (text.empty() || text == "relevance") return SortOrder::kRelevance;
    if (text == "decided_on") return SortOrder::kDecidedOldest;
    if (text == "-decided_on" || text == "decided_on_desc") return SortOrder::kDecidedNewest;
    if (text == "title") return SortOrder::kTitle;
    return std::nullopt;
}

struct Searcher::Impl {
    Impl(core::Schema schema_in, std::filesystem::path dir_in, Xapian::Database main_in,
         Xapian::Database current_in, Xapian::Database drafts_in)
        : schema(std::move(schema_in)),
          dir(std::move(dir_in)),
          main(std::move(main_in)),
          current(std::move(current_in)),
          drafts(std::move(drafts_in)),
          all(Combined({&main, &current})),
          with_drafts(Combined({&main, &current, &drafts})),
          current_parser(detail::MakeQueryParser(current, schema)),
          all_parser(detail::MakeQueryParser(all, schema)),
          drafts_parser(detail::MakeQueryParser(with_drafts, schema)),
          labels(schema),
          current_stats(current),
          all_stats(all),
          drafts_stats(with_drafts),
          snippet_stems(Xapian::Stem(
              new SharedMemoStem(detail::MakeSwedishStem(detail::SwedishLexicon::Default())))) {}

    // The combination shares the handles' internals, so reopening it reopens them too.
    static Xapian::Database Combined(std::initializer_list<const Xapian::Database*> parts) {
        Xapian::Database combined;
        for (const Xapian::Database* part : parts) combined.add_database(*part);
        return combined;
    }

    core::Schema schema;
    std::filesystem::path dir;
    Xapian::Database main;         ///< versions outside the default scope, and the metadata
    Xapian::Database current;      ///< the default scope's versions (see terms.hpp)
    Xapian::Database drafts;       ///< the drafts (terms.hpp, kDraftsDatabase)
    Xapian::Database all;          ///< main and current: every version of main
    Xapian::Database with_drafts;  ///< all three, for those who may see drafts
    // Built once: setting up the prefixes and the stemmer costs as much as a small search.
    // A Searcher serves one thread, so the parsers' state between calls is their own. Each
    // reads synonyms and wildcard expansions from the database it parses for; spelling
    // corrections come from `all_parser` alone, whatever the database searched, so that no
    // word found only in a draft is ever suggested (the drafts' database has no spelling
    // table either).
    mutable Xapian::QueryParser current_parser;
    mutable Xapian::QueryParser all_parser;
    mutable Xapian::QueryParser drafts_parser;
    detail::LabelMatches labels;
    /// The term frequencies of `current`, `all` and `with_drafts` as opened (StatsFor).
    mutable detail::TermStats current_stats;
    mutable detail::TermStats all_stats;
    mutable detail::TermStats drafts_stats;
    /// The stems of snippets' words: this Searcher's own memo, over the process's
    /// (SharedMemoStem).
    mutable detail::StemMemo snippet_stems;
    /// What the current versions' database holds at the revision opened, read by the first
    /// search after each (re)opening: it changes only with the revision, and reading it with
    /// every search would read blocks a writer rewrites with every sync.
    mutable std::optional<detail::CurrentDays> current_days;
    /// The facet columns of main, current and drafts at the revisions opened, shared with
    /// the process's other searchers; each read by the first count that needs it.
    mutable std::array<std::shared_ptr<const detail::FacetColumn>, 3> columns;
    /// The folder and the uuid and revision of each database opened (Revisions()).
    mutable std::string revisions;

    /// The uuid and revision of main, current and drafts as opened, for StoredDocuments' keys.
    mutable std::array<std::string, 3> part_revisions;

    // `with_drafts` holds every handle's internals.
    void Reopen() {
        with_drafts.reopen();
        for (detail::TermStats* stats : {&current_stats, &all_stats, &drafts_stats}) {
            stats->Forget();
        }
        current_days.reset();
        columns = {};
        revisions.clear();
        part_revisions = {};
    }

    // Match `did` of `db` (main, current or drafts, or a combination of them) as stored, from
    // the process's StoredDocuments. A combination of n databases numbers the documents of
    // its k-th (from 0) as (did - 1) * n + k + 1.
    std::shared_ptr<const detail::StoredDocument> Stored(const Xapian::Database& db,
                                                         Xapian::docid did, bool excerpt) const {
        const std::array<const Xapian::Database*, 3> parts = {&main, &current, &drafts};
        const std::vector<std::size_t> in = PartsOf(db);
        const std::size_t part = in[(did - 1) % in.size()];
        const auto part_did = static_cast<Xapian::docid>((did - 1) / in.size() + 1);
        std::string& revision = part_revisions[part];
        if (revision.empty()) {
            revision = parts[part]->get_uuid() + '@' + std::to_string(parts[part]->get_revision());
        }
        return detail::StoredDocuments::Shared().Read(*parts[part], revision, part_did, excerpt);
    }

    // The folder and the uuid and revision of each database opened, the start of the keys of
    // CountCache and SnippetCache.
    const std::string& Revisions() const {
        if (revisions.empty()) {
            revisions = dir.string();
            for (const Xapian::Database* part : {&main, &current, &drafts}) {
                revisions += '\n' + part->get_uuid() + '@' + std::to_string(part->get_revision());
            }
        }
        return revisions;
    }

    // The databases `db` (main, current or drafts, or a combination of them) combines, in
    // its order, by their index in `columns`.
    std::vector<std::size_t> PartsOf(const Xapian::Database& db) const {
        if (&db == &with_drafts) return {0, 1, 2};
        if (&db == &all) return {0, 1};
        return {&db == &main ? 0u : &db == &current ? 1u : 2u};
    }

    // The columns of the databases `db` combines (PartsOf).
    std::vector<std::shared_ptr<const detail::FacetColumn>> ColumnsFor(
        const Xapian::Database& db) const {
        const std::array<std::pair<const Xapian::Database*, std::filesystem::path>, 3> parts = {
            {{&main, dir},
             {&current, dir / detail::kCurrentDatabase},
             {&drafts, dir / detail::kDraftsDatabase}}};
        std::vector<std::shared_ptr<const detail::FacetColumn>> found;
        for (std::size_t i : PartsOf(db)) {
            if (!columns[i]) {
                columns[i] = detail::SharedFacetColumn(parts[i].second.string(), *parts[i].first);
            }
            found.push_back(columns[i]);
        }
        return found;
    }

    // The matches of a search's text in main, current and drafts, each found once in a search
    // (TextIn): the counts of facets with filters of their own match the text again in the
    // same databases under other filters.
    struct TextMatches {
        std::array<bool, 3> tried{};
        std::array<std::optional<detail::BooleanMatch>, 3> in;
    };
    using MatchesByUuid =
        std::vector<std::pair<std::string, std::shared_ptr<const detail::BooleanMatch>>>;

    // How many matches `text` under `filters` but for the filter of `except` (Filters::Apply)
    // has in `db`, weightless, with `spy` (over ColumnsFor(db)) counting their facets. Each
    // database of a combination is matched alone (see ColumnFacetSpy); their sum is the
    // combination's count, as a boolean match of a document depends on that document alone.
    // Where the text is a query of terms and boolean operators (BooleanMatch), its matches
    // are those of the text, found once a search in `texts`, that the filters' matches have
    // too, which many searches share (BooleanMatch::Shared); anything else is matched whole
    // by Xapian's matcher. `found`, when given, gets the matches of each database by its
    // uuid when all of them were found so (else none).
    Xapian::doccount CountMatches(const Xapian::Database& db, const Xapian::Query& text,
                                  const detail::Filters& filters,
                                  std::optional<detail::Facet> except, TextMatches& texts,
                                  detail::ColumnFacetSpy& spy,
                                  MatchesByUuid* found = nullptr) const {
        const std::array<const Xapian::Database*, 3> parts = {&main, &current, &drafts};
        const std::vector<std::size_t> in = PartsOf(db);
        const Xapian::Query filter = filters.Apply(detail::MatchAll(), except);
        Xapian::doccount total = 0;
        for (std::size_t c = 0; c < in.size(); ++c) {
            const Xapian::Database& part = *parts[in[c]];
            if (!texts.tried[in[c]]) {
                texts.tried[in[c]] = true;
                texts.in[in[c]] = detail::BooleanMatch::Of(part, text);
            }
            std::optional<detail::BooleanMatch> filtered;  // the filter's matches
            if (texts.in[in[c]]) filtered = detail::BooleanMatch::Shared(part, filter);
            if (filtered) {
                detail::BooleanMatch matches = *filtered;
                matches.Intersect(*texts.in[in[c]]);
                total += static_cast<Xapian::doccount>(matches.Count());
                if (!spy.facets().empty()) {
                    spy.CountIn(c);
                    spy.CountAll(matches, &*filtered);
                }
                if (found) {
                    found->emplace_back(
                        part.get_uuid(),
                        std::make_shared<const detail::BooleanMatch>(std::move(matches)));
                }
                continue;
            }
            if (found) {
                found->clear();
                found = nullptr;
            }
            Xapian::Enquire counting(part);
            counting.set_query(filters.Apply(text, except));
            counting.set_weighting_scheme(Xapian::BoolWeight());
            if (!spy.facets().empty()) {
                spy.CountIn(c);
                counting.add_matchspy(&spy);
            }
            total += counting.get_mset(0, 0, part.get_doccount()).get_matches_estimated();
        }
        return total;
    }

    // The status facet of the default scope when the current versions' database answers it,
    // into `spy` (of the status facet alone, over ColumnsFor(DatabaseFor(filters, kStatus))),
    // when ShownOutOfForceOn says the versions in force it counts are the page's `total`: then
    // only the versions shown but not in force, a few of each database, are matched and
    // counted, rather than every version of every database again. False, having counted
    // nothing, when that does not hold (the caller counts as CountMatches does).
    bool CountStatusOutOfForce(const Xapian::Query& text, const detail::Filters& filters, long day,
                               std::size_t total, TextMatches& texts, detail::ColumnFacetSpy& spy,
                               std::map<std::string, std::size_t>& counts) const {
        if (!filters.InCurrentDatabase()) return false;
        const std::array<const Xapian::Database*, 3> all_parts = {&main, &current, &drafts};
        const Xapian::Database& db = DatabaseFor(filters, detail::Facet::kStatus);
        const std::vector<std::size_t> in = PartsOf(db);
        std::vector<const Xapian::Database*> parts;
        std::size_t current_at = in.size();
        for (std::size_t c = 0; c < in.size(); ++c) {
            parts.push_back(all_parts[in[c]]);
            if (in[c] == 1) current_at = c;
        }
        if (current_at == in.size()) return false;
        const Xapian::Query in_force(Xapian::Query::OP_AND_NOT, detail::MatchAll(),
                                     *filters.current_left_out);
        const std::shared_ptr<const detail::ShownOutOfForce> out = detail::ShownOutOfForceOn(
            parts, ColumnsFor(db), current_at, filters.shown, in_force, day);
        if (!out->exact) return false;
        // The versions out of force that pass the other filters, each database's.
        const Xapian::Query filter = filters.Apply(detail::MatchAll(), detail::Facet::kStatus);
        std::vector<detail::BooleanMatch> candidates;
        for (std::size_t c = 0; c < in.size(); ++c) {
            std::optional<detail::BooleanMatch> filtered =
                detail::BooleanMatch::Shared(*parts[c], filter);
            if (!filtered) return false;
            filtered->Intersect(*out->in[c]);
            candidates.push_back(std::move(*filtered));
        }
        const bool positional = detail::HasPositional(text);
        for (std::size_t c = 0; c < in.size(); ++c) {
            const Xapian::Database& part = *parts[c];
            spy.CountIn(c);
            // A text of terms is matched in memory (already, in the database of the total); a
            // phrase by Xapian's matcher among the candidates alone, whose positions alone it
            // then reads.
            if (!texts.tried[in[c]] && !positional) {
                texts.tried[in[c]] = true;
                texts.in[in[c]] = detail::BooleanMatch::Of(part, text);
            }
            if (texts.in[in[c]]) {
                candidates[c].Intersect(*texts.in[in[c]]);
                spy.CountAll(candidates[c]);
                continue;
            }
            Xapian::Enquire counting(part);
            counting.set_query(Xapian::Query(
                Xapian::Query::OP_FILTER, text,
                detail::MatchesOf({{part.get_uuid(), std::make_shared<const detail::BooleanMatch>(
                                                         std::move(candidates[c]))}})));
            counting.set_weighting_scheme(Xapian::BoolWeight());
            counting.add_matchspy(&spy);
            counting.get_mset(0, 0, part.get_doccount());
        }
        counts = spy.Counts(0);
        if (total != 0) {
            counts[std::string(core::ForceStateName(core::ForceState::kInForce))] += total;
        }
        return true;
    }

    // Drafts are never in force, so the current versions' database, when it answers, needs
    // none.
    const Xapian::Database& DatabaseFor(const detail::Filters& filters,
                                        std::optional<detail::Facet> except = {}) const {
        if (filters.InCurrentDatabase(except)) return current;
        return filters.drafts ? with_drafts : all;
    }

    // The term frequencies of `db`, one of those ParserFor parses for.
    const detail::TermStats& StatsFor(const Xapian::Database& db) const {
        if (&db == &current) return current_stats;
        return &db == &with_drafts ? drafts_stats : all_stats;
    }

    Xapian::QueryParser& ParserFor(const detail::Filters& filters) const {
        if (filters.InCurrentDatabase()) return current_parser;
        return filters.drafts ? drafts_parser : all_parser;
    }

    // The exact total of `text` under `filters` in `db`, and every facet, the day `day`
    // (DaysSinceEpoch): kept in the process's CountCache for the revisions opened. When they
    // are counted now, `matches` gets the matches of `text` under `filters` in each database
    // of `db` (CountMatches' `found`).
    std::shared_ptr<const detail::FacetCounts> CountFacets(const detail::Filters& filters,
                                                           const Xapian::Query& text,
                                                           const Xapian::Database& db, long day,
                                                           MatchesByUuid& matches) const {
        // The key names the revisions of every database and each query counted, as
        // serialised (filters and day included), with the databases it is counted in.
        std::string key = Revisions() + '\n' + std::to_string(day);
        auto add_to_key = [&](const Xapian::Database& in, const Xapian::Query& query) {
            key += '\n';
            for (std::size_t part : PartsOf(in)) key += static_cast<char>('0' + part);
            key += '\n' + query.serialise();
        };
        add_to_key(db, filters.Apply(text));
        // A facet whose own filter is set is counted without it (so the other values stay
        // visible as alternatives); the rest are counted on the main match.
        std::vector<detail::Facet> counted_on_match;
        for (detail::Facet facet : detail::kFacets) {
            if (!filters.Of(facet)) {
                counted_on_match.push_back(facet);
                continue;
            }
            key += '\n';
            key += detail::FacetName(facet);
            add_to_key(DatabaseFor(filters, facet), filters.Apply(text, facet));
        }
        detail::CountCache& cache = detail::CountCache::Shared();
        if (std::shared_ptr<const detail::FacetCounts> kept = cache.Find(key)) return kept;

        auto counts = std::make_shared<detail::FacetCounts>();
        // The counts and the exact total need every match but no weight, and a weightless
        // match over ~80 000 documents costs a fifth of a ranked one (3-5 against 18 ms,
        // docs/notes/issue-19-measurements.md): they get matches of their own, and the page
        // is ranked as without facets. `ranked` only adds weight to `text`, so both match the
        // same.
        TextMatches texts;
        detail::ColumnFacetSpy spy(std::move(counted_on_match), ColumnsFor(db), day);
        counts->total = CountMatches(db, text, filters, std::nullopt, texts, spy, &matches);
        for (std::size_t i = 0; i < spy.facets().size(); ++i) {
            counts->facets[detail::FacetName(spy.facets()[i])] = spy.Counts(i);
        }
        for (detail::Facet facet : detail::kFacets) {
            if (!filters.Of(facet)) continue;
            const Xapian::Database& facet_db = DatabaseFor(filters, facet);
            detail::ColumnFacetSpy own(std::vector{facet}, ColumnsFor(facet_db), day);
            std::map<std::string, std::size_t>& counted = counts->facets[detail::FacetName(facet)];
            if (facet == detail::Facet::kStatus &&
                CountStatusOutOfForce(text, filters, day, counts->total, texts, own, counted)) {
                continue;
            }
            CountMatches(facet_db, text, filters, facet, texts, own);
            counted = own.Counts(0);
        }
        cache.Keep(key, counts);
        return counts;
    }

    SearchResult Run(const SearchRequest& request, detail::Filters filters) const;
};

SearchResult Searcher::Impl::Run(const SearchRequest& request, detail::Filters filters) const {
    if (filters.current_scope && !current_days) current_days = detail::CurrentDays::Read(current);
    if (current_days) filters.UseCurrentDatabase(*current_days);
    const long day = filters.day.DaysSinceEpoch();
    Xapian::QueryParser& parser = ParserFor(filters);
    const Xapian::Database& db = DatabaseFor(filters);
    const detail::SearchText parsed =
        detail::ParseSearchText(parser, request.query, labels, StatsFor(db));
    const Xapian::Query& text = parsed.query;
    const Xapian::doccount versions = db.get_doccount();

    SearchResult result;
    result.page = request.page;
    result.per_page = request.per_page;

    const bool has_terms = text.get_terms_begin() != text.get_terms_end();
    auto preferring = [&](const Xapian::Query& query) {
        if (!has_terms || !filters.preferred) return query;
        return Xapian::Query(Xapian::Query::OP_AND_MAYBE, query,
                             detail::FixedWeight(*filters.preferred, kPreferredWeight));
    };
    const Xapian::Query ranked = preferring(text);
    const Xapian::Query page_query = filters.Rank(ranked);
    std::shared_ptr<const detail::FacetCounts> counts;
    Impl::MatchesByUuid matches;
    if (request.facets) counts = CountFacets(filters, text, db, day, matches);
    Xapian::Enquire enquire(db);
    // A phrase's matches are found by reading the positions of every document that has its
    // words, a third of a cold page of a phrase of common words when done again to rank:
    // where the count has just found the page query's matches, the ranking looks at them
    // alone. The filter adds no weight, so the ranking is the same.
    if (!matches.empty() && detail::HasPositional(text)) {
        enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, page_query,
                                        detail::MatchesOf(std::move(matches))));
    } else {
        enquire.set_query(page_query);
    }
    ApplySort(enquire, request.sort, has_terms);
    // Too large a page is an empty page, not an overflow.
    const std::size_t skip_pages = request.page - 1;
    const std::size_t offset =
        skip_pages > versions / request.per_page ? versions : skip_pages * request.per_page;
    // The exact phrase is looked for among the best matches only: checking positions in
    // every match would cost more than the whole search. Pages within that depth are cut
    // from the reordered list, deeper pages from Xapian's order, which the reordering leaves
    // as it is beyond the depth.
    const bool rerank =
        !parsed.phrase.empty() && request.sort == SortOrder::kRelevance && offset < kPhraseDepth;
    const std::size_t first = rerank ? 0 : offset;
    const std::size_t count =
        rerank ? std::max(kPhraseDepth, offset + request.per_page) : request.per_page;

    std::vector<Xapian::MSetIterator> page;
    Xapian::MSet snippets_from;
    Xapian::Query snippets_query;  // snippets_from's query, whose words the snippets mark
    std::optional<Fetched> outweighing;
    // With facets, the exact total of `counts` replaces the estimates below: the matches
    // outside the page's tier are then not counted.
    if (parsed.rarer && request.sort == SortOrder::kRelevance && !rerank) {
        outweighing = FetchOutweighing(db, filters, ranked, preferring(parsed.rarer->query),
                                       preferring(parsed.rarer->others), *parsed.rarer, first,
                                       count, !counts);
    }
    if (outweighing) {
        result.total = outweighing->mset.get_matches_estimated() + outweighing->rest_total;
        page = std::move(outweighing->matches);
        snippets_from = outweighing->mset;
        snippets_query = outweighing->query;
    } else if (request.sort != SortOrder::kRelevance || !has_terms) {
        snippets_from = enquire.get_mset(static_cast<Xapian::doccount>(first),
                                         static_cast<Xapian::doccount>(count));
        snippets_query = page_query;
        result.total = snippets_from.get_matches_estimated();
        for (auto it = snippets_from.begin(); it != snippets_from.end(); ++it) page.push_back(it);
    } else if (!parsed.core) {
        Fetched fetched = FetchByRelevance(enquire, first, count, counts != nullptr);
        result.total = fetched.mset.get_matches_estimated();
        page = std::move(fetched.matches);
        snippets_from = fetched.mset;
        snippets_query = page_query;
    } else {
        Fetched fetched = FetchCoreFirst(db, filters, ranked, preferring(*parsed.core),
                                         *parsed.core, first, count, !counts);
        result.total = fetched.mset.get_matches_estimated() + fetched.rest_total;
        page = std::move(fetched.matches);
        snippets_from = fetched.mset;
        snippets_query = fetched.query;
    }
    if (counts) {
        result.total = counts->total;
        result.facets = counts->facets;
    }

    if (rerank) {
        const std::array<const Xapian::Database*, 3> all_parts = {&main, &current, &drafts};
        std::vector<const Xapian::Database*> parts;
        for (std::size_t part : PartsOf(db)) parts.push_back(all_parts[part]);
        page = PhraseFirst(db, parts, parsed.phrase, page, offset, request.per_page);
    }

    // The key of the page's snippets in SnippetCache, but for the docid: the databases, their
    // revisions and the query they are cut with (built of Xapian's own operators and posting
    // sources, so it serialises).
    std::string snippet_key;
    std::optional<detail::SnippetTerms> snippet_terms;  // once a snippet is cut
    if (request.snippets && has_terms && !page.empty()) {
        snippet_key = Revisions() + '\n';
        for (std::size_t part : PartsOf(db)) snippet_key += static_cast<char>('0' + part);
        snippet_key += '\n' + snippets_query.serialise() + '#';
    }
    result.hits.reserve(page.size());
    for (const Xapian::MSetIterator& it : page) {
        const std::shared_ptr<const detail::StoredDocument> doc = Stored(db, *it, request.snippets);
        std::optional<Hit> stored = detail::DecodeStoredHit(doc->data, day);
        if (!stored) {
            throw Error(ErrorCode::kInternal,
                        "the search index holds a document in an unknown "
                        "format; run styrdok index --rebuild");
        }
        Hit& hit = result.hits.emplace_back(std::move(*stored));
        hit.weight = it.get_weight();
        if (request.snippets) {
            const std::string& excerpt = *doc->excerpt;
            // Cut by CutSnippet, not MSet::snippet: Xapian tokenises every excerpt whole
            // with its Unicode machinery and weighs each word, 12.8 M instructions a page of
            // 20 whatever the registry's size, two thirds of a cold page at 10 000 documents.
            if (!has_terms) {
                hit.snippet = Lead(excerpt, kSnippetBytes);
            } else {
                const std::string key = snippet_key + std::to_string(*it);
                detail::SnippetCache& cut = detail::SnippetCache::Shared();
                if (std::optional<std::string> kept = cut.Find(key)) {
                    hit.snippet = std::move(*kept);
                } else {
                    if (!snippet_terms) {
                        snippet_terms.emplace(snippets_query, [&](const std::string& term) {
                            // A term the match did not weigh has none to give.
                            try {
                                return snippets_from.get_termweight(term);
                            } catch (const Xapian::InvalidArgumentError&) {
                                return 0.0;
                            }
                        });
                    }
                    hit.snippet =
                        detail::CutSnippet(excerpt, *snippet_terms, snippet_stems, kSnippetBytes,
                                           kHighlightStart, kHighlightEnd, "\xe2\x80\xa6");
                    cut.Keep(key, hit.snippet);
                }
            }
        }
    }

    if (result.total < kSuggestBelow) {
        // Xapian proposes the nearest other word even for a word it knows ("upphandling" →
        // "upphandlingen"), so a correction is offered only when it finds more.
        // Words come from every version of main, a wider vocabulary than the current ones
        // alone, and never from a draft; whether the correction finds more is asked of the
        // database searched.
        std::string corrected = detail::CorrectedText(all_parser, request.query);
        if (!corrected.empty() && corrected != request.query) {
            Xapian::QueryParser corrected_parser = detail::MakeQueryParser(db, schema);
            Xapian::Enquire check(db);
            check.set_query(filters.Rank(
                detail::ParseSearchText(corrected_parser, corrected, labels, StatsFor(db), false)
                    .query));
            // Whether it finds more needs only `total + 1` of its matches: the matcher stops
            // there, where a fixed bound of 4 walked a broad correction's postings further.
            const auto more = static_cast<Xapian::doccount>(result.total + 1);
            if (check.get_mset(0, 0, more).get_matches_lower_bound() >= more) {
                result.suggestion = corrected;
            }
        }
    }
    return result;
}

Searcher::Searcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;
Searcher::~Searcher() = default;

Searcher Searcher::Open(const std::filesystem::path& dir, const core::Schema& schema) {
    try {
        Xapian::Database main(dir.string());
        Xapian::Database current((dir / detail::kCurrentDatabase).string());
        Xapian::Database drafts((dir / detail::kDraftsDatabase).string());
        return Searcher(std::make_unique<Impl>(schema, dir, std::move(main), std::move(current),
                                               std::move(drafts)));
    } catch (const Xapian::DatabaseOpeningError&) {
        throw Error(ErrorCode::kNotFound,
                    "no search index in " + dir.string() + "; run styrdok index");
    } catch (const Xapian::Error& e) {
        throw Error(ErrorCode::kInternal, "cannot open the search index: " + e.get_description());
    }
}

SearchResult Searcher::Search(const SearchRequest& request) const {
    if (request.per_page < 1 || request.per_page > kMaxPerPage) {
        throw Error(ErrorCode::kBadInput, "per_page must be between 1 and 100");
    }
    if (request.page < 1) throw Error(ErrorCode::kBadInput, "page must be 1 or more");
    const core::Date day =
        request.valid_on ? *request.valid_on : request.today.value_or(detail::LocalToday());
    detail::Filters filters = detail::MakeFilters(request, impl_->schema, day);
    try {
        try {
            return impl_->Run(request, filters);
        } catch (const Xapian::DatabaseModifiedError&) {
            // The writer committed enough to recycle blocks this handle was reading.
            impl_->Reopen();
            return impl_->Run(request, filters);
        }
    } catch (const Xapian::Error& e) {
        throw Error(ErrorCode::kInternal, "search failed: " + e.get_description());
    }
}

namespace {

// Reading counts and metadata can meet a writer's commit as a search can; the same rule
// applies: reopen and retry once, anything else is internal.
template <typename Reopen, typename Read>
auto ReadRetrying(Reopen reopen, Read read) {
    try {
        try {
            return read();
        } catch (const Xapian::DatabaseModifiedError&) {
            reopen();
            return read();
        }
    } catch (const Xapian::Error& e) {
        throw Error(ErrorCode::kInternal, "cannot read the search index: " + e.get_description());
    }
}

// Each field with its length first, so that no two requests write the same key.
void AppendField(std::string& key, std::string_view field) {
    key += std::to_string(field.size());
    key += ':';
    key += field;
}

void AppendField(std::string& key, const std::vector<std::string>& fields) {
    key += std::to_string(fields.size());
    key += '[';
    for (const std::string& field : fields) AppendField(key, field);
}

}  // namespace

std::string Searcher::AnswerKey(const SearchRequest& request) const {
    // Every field of SearchRequest, in its order: a field added there must be added here.
    std::string key =
        ReadRetrying([this] { impl_->Reopen(); }, [this] { return impl_->Revisions(); });
    key += '\n';
    AppendField(key, request.query);
    AppendField(key, request.doctype);
    AppendField(key, request.category);
    AppendField(key, request.decided_by);
    AppendField(key, request.owner);
    AppendField(key, request.goal_area);
    AppendField(key, request.dnr);
    AppendField(key, request.implements);
    AppendField(key, request.status);
    AppendField(key, request.valid_on ? request.valid_on->ToString() : std::string());
    // The day the default search is for, as Search works it out.
    AppendField(key, request.today.value_or(detail::LocalToday()).ToString());
    AppendField(key, std::to_string(static_cast<int>(request.sort)));
    AppendField(key, std::to_string(request.page));
    AppendField(key, std::to_string(request.per_page));
    key += request.facets ? 'F' : 'f';
    key += request.snippets ? 'S' : 's';
    key += request.include_restricted ? 'R' : 'r';
    key += request.include_drafts ? 'D' : 'd';
    return key;
}

std::optional<std::string> Searcher::LastIndexedCommit() const {
    std::string commit =
        ReadRetrying([this] { impl_->Reopen(); },
                     [this] { return impl_->main.get_metadata(detail::kMetaLastCommit); });
    if (commit.empty()) return std::nullopt;
    return commit;
}

std::size_t Searcher::DocumentCount() const {
    // Each document has exactly one newest version.
    return ReadRetrying(
        [this] { impl_->Reopen(); },
        [this] { return std::size_t{impl_->all.get_termfreq(std::string(detail::kTermLatest))}; });
}

std::size_t Searcher::VersionCount() const {
    return ReadRetrying([this] { impl_->Reopen(); },
                        [this] { return std::size_t{impl_->all.get_doccount()}; });
}

void Searcher::Reopen() {
    try {
        impl_->Reopen();
    } catch (const Xapian::Error& e) {
        throw Error(ErrorCode::kInternal, "cannot reopen the search index: " + e.get_description());
    }
}

}  // namespace styrdok::indexer
