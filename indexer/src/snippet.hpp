#pragma once

#include <xapian.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "word_table.hpp"

namespace styrdok::indexer::detail {

/// What a snippet marks, taken from a parsed query's terms: exact words (unprefixed terms),
/// stems (`Z` terms), tight phrases of exact words, and wildcard prefixes. Field and boolean
/// terms (`S…`, `XTYPE…`) never match a word of the text and are left out.
///
/// It remembers what each word it was asked about matched (Match), as the words of a page's
/// excerpts repeat from hit to hit, and stemming and comparing them was most of cutting a
/// snippet: one SnippetTerms is meant for the snippets of one page. Not thread-safe, as it
/// remembers.
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
        for (const auto& phrase : phrases_) {
            for (const std::string& w : phrase) {
                if (std::find(phrase_words_.begin(), phrase_words_.end(), w) ==
                    phrase_words_.end()) {
                    phrase_words_.push_back(w);
                }
            }
        }
        for (const auto& phrase : phrases_) {
            std::vector<int>& indices = phrase_indices_.emplace_back();
            for (const std::string& w : phrase) {
                indices.push_back(
                    static_cast<int>(std::find(phrase_words_.begin(), phrase_words_.end(), w) -
                                     phrase_words_.begin()));
            }
        }
    }

    /// What a word of the text matches.
    struct WordMatch {
        int term = -1;    ///< the term's index (Weight), -1 for none
        int phrase = -1;  ///< its index in PhraseWords, -1 for none
    };

    /// What the lower-cased `word` matches. `stem(word, hash)` gives the word's stem (as a
    /// std::string or a std::string_view, used at once), asked only when the word is not an
    /// exact match and only the first time the word is asked about; the answer for a word
    /// never changes, as a stemmer's does not.
    template <typename StemOf>
    WordMatch Match(std::string_view word, StemOf stem) const {
        return Match(word, HashWord(word), stem);
    }

    /// Match, for a caller that has hashed `word` on its way (HashWord, HashStep): `hash`
    /// must be HashWord(word).
    template <typename StemOf>
    WordMatch Match(std::string_view word, std::uint64_t hash, StemOf stem) const {
        if (const WordMatch* known = known_.Find(word, hash)) return *known;
        WordMatch match;
        match.term = TermOf(word, hash, stem);
        if (auto found = std::find(phrase_words_.begin(), phrase_words_.end(), word);
            found != phrase_words_.end()) {
            match.phrase = static_cast<int>(found - phrase_words_.begin());
        }
        known_.Keep(word, hash, match);
        return match;
    }

    /// A word's hash for Match, byte by byte: HashEnd of HashStep over its bytes from
    /// kHashStart, what HashWord gives.
    static constexpr std::uint64_t kHashStart = 0xcbf29ce484222325ull;
    static std::uint64_t HashStep(std::uint64_t hash, unsigned char byte) {
        return (hash ^ byte) * 0x100000001b3ull;
    }
    static std::uint64_t HashEnd(std::uint64_t hash) {
        // FNV-1a's low bits, which pick the slot, mixed with its high ones.
        return (hash ^ (hash >> 32)) * 0x9E3779B97F4A7C15ull;
    }
    static std::uint64_t HashWord(std::string_view word) {
        std::uint64_t hash = kHashStart;
        for (char c : word) hash = HashStep(hash, static_cast<unsigned char>(c));
        return HashEnd(hash);
    }

    /// How many terms Match can name.
    std::size_t Size() const { return terms_.size(); }
    /// What the term Match named weighs.
    double Weight(int term) const { return terms_[static_cast<std::size_t>(term)].weight; }

    /// The tight phrases of exact words.
    const std::vector<std::vector<std::string>>& Phrases() const { return phrases_; }
    /// The distinct words of the phrases, in the order first met.
    const std::vector<std::string>& PhraseWords() const { return phrase_words_; }
    /// Each phrase of Phrases as the indices of its words in PhraseWords.
    const std::vector<std::vector<int>>& PhraseIndices() const { return phrase_indices_; }

private:
    enum class Kind { kWord, kStem, kPrefix };
    struct Term {
        std::string term;  ///< as in the query (a stem with its `Z`)
        Kind kind;
        double weight = 0;
    };
    // More than the distinct words of a page's 20 excerpts.
    static constexpr std::size_t kMaxKnown = 1 << 16;
    static constexpr std::size_t kMaxKnownBytes = 1 << 24;

    void Add(const Xapian::Query& query);

    // The term `word` matches, its index; -1 for none.
    template <typename StemOf>
    int TermOf(std::string_view word, std::uint64_t hash, StemOf stem) const {
        for (std::size_t i = 0; i < terms_.size(); ++i) {
            const Term& t = terms_[i];
            if (t.kind == Kind::kWord && t.term == word) return static_cast<int>(i);
            if (t.kind == Kind::kPrefix && word.starts_with(t.term)) return static_cast<int>(i);
        }
        if (!has_stems_) return -1;
        const auto& s = stem(word, hash);
        for (std::size_t i = 0; i < terms_.size(); ++i) {
            const Term& t = terms_[i];
            if (t.kind == Kind::kStem && std::string_view(t.term).substr(1) == s) {
                return static_cast<int>(i);
            }
        }
        return -1;
    }

    std::vector<Term> terms_;
    bool has_stems_ = false;
    std::vector<std::vector<std::string>> phrases_;
    std::vector<std::string> phrase_words_;
    std::vector<std::vector<int>> phrase_indices_;
    mutable WordTable<WordMatch> known_{kMaxKnown, kMaxKnownBytes};
};

/// The stems of the words that a Searcher's snippets meet, in front of `stem`: a page asks
/// about some 700 distinct words not an exact term, most of them met on the pages before, and
/// asking the stemmer through its std::unordered_map memo was a tenth of a cold page's CPU at
/// 10 000 documents. Kept by the hash CutSnippet makes of each word as it lower-cases it.
/// Bounded whatever the words (WordTable). Not thread-safe.
class StemMemo {
public:
    explicit StemMemo(Xapian::Stem stem) : stem_(std::move(stem)) {}

    /// The stem of the lower-cased `word`, whose SnippetTerms::HashWord is `hash`; valid until
    /// the next call.
    const std::string& Of(std::string_view word, std::uint64_t hash) {
        if (const std::string* kept = stems_.Find(word, hash)) return *kept;
        return stems_.Keep(word, hash, stem_(std::string(word)));
    }

private:
    // More than the texts' distinct words at 100 000 documents; a few megabytes at most.
    static constexpr std::size_t kMaxWords = 1 << 16;
    static constexpr std::size_t kMaxBytes = 1 << 22;

    Xapian::Stem stem_;
    WordTable<std::string> stems_{kMaxWords, kMaxBytes};
};

/// About `bytes` bytes of `text` (whitespace runs as one space) around the part where the
/// query's words are densest (the greatest weight of distinct terms, a phrase weighing its
/// words' sum, then the most matches, the earliest first), each match between `mark_start` and
/// `mark_end` (an exact phrase as one mark), and `omit` where the text goes on mid-sentence. A text
/// with no match gives its opening. Words are lower-cased and stemmed (`stem`, called for words
/// that are not an exact match) the way the indexer made its terms, so a word is marked when its
/// stem is a query term. Not thread-safe for one `terms` (SnippetTerms remembers).
std::string CutSnippet(std::string_view text, const SnippetTerms& terms, StemMemo& stem,
                       std::size_t bytes, std::string_view mark_start, std::string_view mark_end,
                       std::string_view omit);

}  // namespace styrdok::indexer::detail
