#include "labels.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string_view>
#include <utility>

#include "query.hpp"
#include "query_rewrite.hpp"
#include "styrdok/core/utf8.hpp"
#include "swedish/swedish.hpp"
#include "terms.hpp"

namespace styrdok::indexer::detail {

namespace {

// A part of a name weighs half, as a compound part of a text does (swedish/compounds.cpp).
constexpr double kPartWeight = 0.5;

void Insert(std::vector<std::string>& into, const std::string& value) {
    if (std::find(into.begin(), into.end(), value) == into.end()) into.push_back(value);
}

// What `term` weighs in a text that has it once, at about the average length: BM25's idf.
// A name's word weighs that much, as it did when names were indexed as words of every text;
// a word that most texts have weighs next to nothing, and so does a name with it.
double Weight(const TermStats& stats, const std::string& term) {
    const double n = stats.Freq(term);
    const double documents = stats.DocCount();
    return std::max(0.0, std::log((documents - n + 0.5) / (n + 0.5)));
}

Xapian::Query AnyOf(const std::vector<std::string>& terms) {
    return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

}  // namespace

LabelMatches::LabelMatches(const core::Schema& schema) {
    const std::shared_ptr<const SwedishLexicon> lexicon = SwedishLexicon::Default();
    const Xapian::Stem stem = MakeSwedishStem(lexicon);
    Xapian::TermGenerator generator;
    generator.set_stemmer(stem);
    generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    auto name = [&](const std::string& text, const std::string& value) {
        if (core::Trim(text).empty()) return;
        Xapian::Document words;
        generator.set_document(words);
        generator.index_text(text);
        AddCompoundParts(words, *lexicon, stem);
        for (auto it = words.termlist_begin(); it != words.termlist_end(); ++it) {
            Insert(values_[*it], value);
        }
    };
    for (const core::DocType& type : schema.doctypes()) {
        const std::string value = Term(kPrefixDocType, DocTypeKey(type.id));
        name(type.label, value);
        name(type.plural, value);
    }
    for (const core::Body& body : schema.bodies()) {
        for (std::string_view prefix : {kPrefixDecidedBy, kPrefixOwnerBody}) {
            const std::string value = Term(prefix, body.id);
            name(body.name, value);
            name(body.abbreviation, value);
        }
    }
    for (const core::GoalArea& area : schema.goal_areas()) {
        name(area.name, Term(kPrefixGoalArea, area.id));
    }
}

Xapian::Query LabelMatches::For(const std::vector<std::string>& leaves,
                                const TermStats& stats) const {
    std::vector<std::string> whole, parts;
    double weight = 0;  // of the most common leaf: a synonym group weighs as its union
    bool weighed = false;
    for (const std::string& leaf : leaves) {
        const std::size_t before = whole.size() + parts.size();
        if (auto found = values_.find(leaf); found != values_.end()) {
            for (const std::string& value : found->second) Insert(whole, value);
        }
        // A stemmed word of the text ("Zfoo") is a part of a name as "XPfoo".
        if (leaf.size() >= 2 && leaf[0] == 'Z' && !(leaf[1] >= 'A' && leaf[1] <= 'Z')) {
            if (auto found = values_.find(std::string(kPrefixPart) + leaf.substr(1));
                found != values_.end()) {
                for (const std::string& value : found->second) Insert(parts, value);
            }
        }
        if (whole.size() + parts.size() == before) continue;
        const double leaf_weight = Weight(stats, leaf);
        weight = weighed ? std::min(weight, leaf_weight) : leaf_weight;
        weighed = true;
    }
    std::erase_if(parts, [&](const std::string& value) {
        return std::find(whole.begin(), whole.end(), value) != whole.end();
    });
    // One weighted source per kind of match: each costs a cursor in every search.
    std::vector<Xapian::Query> matches;
    if (!whole.empty()) matches.push_back(FixedWeight(AnyOf(whole), weight));
    if (!parts.empty()) matches.push_back(FixedWeight(AnyOf(parts), kPartWeight * weight));
    return Xapian::Query(Xapian::Query::OP_OR, matches.begin(), matches.end());
}

Xapian::Query LabelMatches::Add(const Xapian::Query& query, const TermStats& stats,
                                const std::function<bool(const std::string&)>& leave_out) const {
    return RewriteAlternatives(
        query, [&](const Xapian::Query& sub) -> std::optional<Xapian::Query> {
            std::vector<std::string> leaves;
            if (sub.get_type() == Xapian::Query::LEAF_TERM) {
                leaves.push_back(*sub.get_terms_begin());
            } else if (sub.get_type() == Xapian::Query::OP_SYNONYM) {
                for (std::size_t i = 0; i < sub.get_num_subqueries(); ++i) {
                    const Xapian::Query word = sub.get_subquery(i);
                    if (word.get_type() == Xapian::Query::LEAF_TERM) {
                        leaves.push_back(*word.get_terms_begin());
                    }
                }
            } else {
                return std::nullopt;
            }
            if (leave_out) std::erase_if(leaves, leave_out);
            Xapian::Query named = For(leaves, stats);
            return named.empty() ? sub : Xapian::Query(Xapian::Query::OP_OR, sub, named);
        });
}

}  // namespace styrdok::indexer::detail
