#pragma once

#include <xapian.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace styrdok::indexer::detail {

/// What a snippet marks, taken from a parsed query's terms: exact words (unprefixed terms),
/// stems (`Z` terms), tight phrases of exact words, and wildcard prefixes. Field and boolean
/// terms (`S…`, `XTYPE…`) never match a word of the text and are left out.
class SnippetTerms {
public:
    /// The terms of `query`, each weighing what `weight_of` gives it (MSet::get_termweight:
    /// a rarer word weighs more) plus the greatest of those, so that a window with more
    /// distinct terms always outweighs one with fewer, and rarity decides between equals.
    template <typename WeightOf>
    SnippetTerms(const Xapian::Query& query, WeightOf weight_of) {
        Add(query);
        double greatest = 0;
        for (Term& term : terms_) {
            term.weight = weight_of(term.term);
            greatest = std::max(greatest, term.weight);
        }
        if (greatest <= 0) greatest = 1;
        for (Term& term : terms_) term.weight = std::max(0.0, term.weight) + greatest;
    }

    /// The term the lower-cased `word` matches, its index; -1 for none. `stem` gives the
    /// word's stem, asked only when the word is not an exact match.
    template <typename StemOf>
    int Match(const std::string& word, StemOf stem) const {
        for (std::size_t i = 0; i < terms_.size(); ++i) {
            const Term& t = terms_[i];
            if (t.kind == Kind::kWord && t.term == word) return static_cast<int>(i);
            if (t.kind == Kind::kPrefix && word.starts_with(t.term)) return static_cast<int>(i);
        }
        if (!has_stems_) return -1;
        const std::string& s = stem(word);
        for (std::size_t i = 0; i < terms_.size(); ++i) {
            const Term& t = terms_[i];
            if (t.kind == Kind::kStem && std::string_view(t.term).substr(1) == s) {
                return static_cast<int>(i);
            }
        }
        return -1;
    }

    /// How many terms Match can name.
    std::size_t Size() const { return terms_.size(); }
    /// What the term Match named weighs.
    double Weight(int term) const { return terms_[static_cast<std::size_t>(term)].weight; }

    /// The tight phrases of exact words.
    const std::vector<std::vector<std::string>>& Phrases() const { return phrases_; }

private:
    enum class Kind { kWord, kStem, kPrefix };
    struct Term {
        std::string term;  ///< as in the query (a stem with its `Z`)
        Kind kind;
        double weight = 0;
    };

    void Add(const Xapian::Query& query);

    std::vector<Term> terms_;
    bool has_stems_ = false;
    std::vector<std::vector<std::string>> phrases_;
};

/// About `bytes` bytes of `text` (whitespace runs as one space) around the part where the
/// query's words are densest (the greatest weight of distinct terms, a phrase weighing its
/// words' sum, then the most matches, the earliest first), each match between `mark_start` and
/// `mark_end` (an exact phrase as one mark), and `omit` where the text goes on mid-sentence. A text
/// with no match gives its opening. Words are lower-cased and stemmed (`stem`, called for words
/// that are not an exact match) the way the indexer made its terms, so a word is marked when its
/// stem is a query term. Thread-safe as far as `stem` is.
std::string CutSnippet(std::string_view text, const SnippetTerms& terms, const Xapian::Stem& stem,
                       std::size_t bytes, std::string_view mark_start, std::string_view mark_end,
                       std::string_view omit);

}  // namespace styrdok::indexer::detail
