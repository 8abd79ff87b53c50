// Compound parts at index time (extra terms) and at query time (an alternative to the word).

#include <algorithm>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../query_rewrite.hpp"
#include "../terms.hpp"
#include "swedish.hpp"

namespace styrdok::indexer::detail {

namespace {

// The parts of a compound count half as much as the word itself in a query: a document that
// says "internkontroll" ranks above one that says "intern" and "kontroll" apart.
constexpr double kPartWeight = 0.5;

// The prefix of a free-text term as TermGenerator and QueryParser write it (the leading
// capitals), or nullopt for a term of a boolean field (XTYPE…, Q…, Y…), which has no words.
std::optional<std::string_view> FreeTextPrefix(std::string_view term) {
    std::size_t n = 0;
    while (n < term.size() && term[n] >= 'A' && term[n] <= 'Z') ++n;
    std::string_view prefix = term.substr(0, n);
    if (prefix.empty() || prefix == kPrefixTitle || prefix == kPrefixKeyword) return prefix;
    return std::nullopt;
}

// Every part of `word`, and the parts of parts (arbetsmiljöpolicy → arbetsmiljö, policy,
// arbets, miljö), each once.
void CollectParts(const SwedishLexicon& lexicon, std::string_view word,
                  std::set<std::string>& parts) {
    for (std::string& part : lexicon.SplitCompound(word)) {
        if (parts.insert(part).second) CollectParts(lexicon, part, parts);
    }
}

// The parts that split no further, in order (internkontrollplan → intern, kontroll, plan).
void CollectLeaves(const SwedishLexicon& lexicon, std::string_view word,
                   std::vector<std::string>& leaves) {
    std::vector<std::string> parts = lexicon.SplitCompound(word);
    if (parts.empty()) {
        leaves.emplace_back(word);
        return;
    }
    for (const std::string& part : parts) CollectLeaves(lexicon, part, leaves);
}

// The runs of two or more neighbouring leaves short of the whole word, as written in it, with
// their linking letters: the compounds inside a compound that its split does not name
// (internkontrollplan → internkontroll + plan names "internkontroll" but not "kontrollplan").
void CollectRuns(const SwedishLexicon& lexicon, std::string_view word,
                 std::set<std::string>& parts) {
    std::vector<std::string> leaves;
    CollectLeaves(lexicon, word, leaves);
    if (leaves.size() < 3) return;
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    std::size_t cursor = 0;
    for (const std::string& leaf : leaves) {
        const std::size_t at = word.find(leaf, cursor);
        // A part not written as such in the word (a base form): no runs to cut out.
        if (at == std::string_view::npos) return;
        spans.emplace_back(at, at + leaf.size());
        cursor = at + leaf.size();
    }
    for (std::size_t first = 0; first < spans.size(); ++first) {
        for (std::size_t last = first + 1; last < spans.size(); ++last) {
            if (first == 0 && last == spans.size() - 1) continue;
            parts.emplace(word.substr(spans[first].first, spans[last].second - spans[first].first));
        }
    }
}

Xapian::Query Scaled(const Xapian::Query& query) {
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, query, kPartWeight);
}

// (part AND part …) at half weight: the parts written apart as words ("intern kontroll"),
// each, if it is a compound in turn, also as its own parts apart (arbetsmiljöpolicy →
// arbetsmiljö policy, arbets miljö policy). Where the word is part of a longer compound
// ("kontrollplan" in "internkontrollplanen"), its part term finds it.
std::optional<Xapian::Query> PartsQuery(std::string_view word, std::string_view prefix,
                                        const SwedishLexicon& lexicon, const Xapian::Stem& stem) {
    std::vector<std::string> parts = lexicon.SplitCompound(word);
    if (parts.empty()) return std::nullopt;
    std::vector<Xapian::Query> subqueries;
    for (const std::string& part : parts) {
        Xapian::Query term(std::string("Z").append(prefix).append(stem(part)));
        if (std::optional<Xapian::Query> deeper = PartsQuery(part, prefix, lexicon, stem)) {
            term = Xapian::Query(Xapian::Query::OP_OR, term, *deeper);
        }
        subqueries.push_back(std::move(term));
    }
    return Scaled(Xapian::Query(Xapian::Query::OP_AND, subqueries.begin(), subqueries.end()));
}

using PartFilter = std::function<bool(const std::string&)>;

Xapian::Query ExpandTerm(const Xapian::Query& query, const Xapian::QueryParser& parser,
                         const SwedishLexicon& lexicon, const Xapian::Stem& stem,
                         const PartFilter& leave_out) {
    const std::string term = *query.get_terms_begin();
    std::vector<std::string> words;
    std::optional<std::string_view> prefix;
    std::string stemmed;
    if (!term.empty() && term[0] == 'Z') {
        prefix = FreeTextPrefix(std::string_view(term).substr(1));
        if (!prefix) return query;
        stemmed = term.substr(1 + prefix->size());
        // The words the parser stemmed to this term, as it wrote them (with the prefix).
        for (auto it = parser.unstem_begin(term); it != parser.unstem_end(term); ++it) {
            words.push_back(*it);
        }
    } else {
        prefix = FreeTextPrefix(term);
        if (!prefix) return query;
        words.push_back(term);
        stemmed = stem(term.substr(prefix->size()));
    }
    // The matcher walks the long list of compounds only until the word's own matches have
    // filled the page with better weights (OP_OR turns into OP_AND_MAYBE).
    std::vector<Xapian::Query> alternatives{query};
    const std::string part_term = std::string(kPrefixPart) + std::string(*prefix) + stemmed;
    if (!leave_out || !leave_out(part_term)) {
        alternatives.push_back(Scaled(Xapian::Query(part_term)));
    }
    for (std::string& word : words) {
        if (word.starts_with(*prefix)) word.erase(0, prefix->size());
        if (std::optional<Xapian::Query> parts = PartsQuery(word, *prefix, lexicon, stem)) {
            alternatives.push_back(std::move(*parts));
            break;
        }
    }
    if (alternatives.size() > 1 && leave_out && leave_out(term)) {
        alternatives.erase(alternatives.begin());
    }
    return Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
}

}  // namespace

void AddCompoundParts(Xapian::Document& document, const SwedishLexicon& lexicon,
                      const Xapian::Stem& stem) {
    // In term list order, which is sorted.
    const std::vector<std::string> terms(document.termlist_begin(), document.termlist_end());
    std::vector<std::string> extra;
    for (const std::string& term : terms) {
        std::optional<std::string_view> prefix = FreeTextPrefix(term);
        if (!prefix) continue;
        std::set<std::string> parts;
        const std::string_view word = std::string_view(term).substr(prefix->size());
        CollectParts(lexicon, word, parts);
        CollectRuns(lexicon, word, parts);
        for (const std::string& part : parts) {
            const std::string stemmed = std::string(*prefix) + stem(part);
            // In a text that has the part as a word of its own, the compound counts as one
            // more use of the word. The part's list then holds only the texts that have the
            // part inside compounds alone: short even for a word that is in almost every
            // text, which a search for it would otherwise walk twice.
            const std::string whole = "Z" + stemmed;
            const bool is_word = std::binary_search(terms.begin(), terms.end(), whole);
            extra.push_back(is_word ? whole : std::string(kPrefixPart) + stemmed);
        }
    }
    for (const std::string& term : extra) document.add_term(term, 1);
}

Xapian::Query ExpandCompounds(const Xapian::Query& query, const Xapian::QueryParser& parser,
                              const SwedishLexicon& lexicon, const Xapian::Stem& stem,
                              const std::function<bool(const std::string&)>& leave_out) {
    // A synonym group is already a set of alternatives.
    return RewriteAlternatives(query,
                               [&](const Xapian::Query& sub) -> std::optional<Xapian::Query> {
                                   if (sub.get_type() != Xapian::Query::LEAF_TERM)
                                       return std::nullopt;
                                   return ExpandTerm(sub, parser, lexicon, stem, leave_out);
                               });
}

}  // namespace styrdok::indexer::detail
