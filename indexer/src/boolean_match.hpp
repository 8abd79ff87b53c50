#pragma once

#include <xapian.h>

#include <bit>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace styrdok::indexer::detail {

/// The documents of one database that a query matches, found without Xapian's matcher: each
/// term's posting list is read straight into a bitmap by docid, and the operators combine the
/// bitmaps. An exact total and facet counts need every match but no weight, and the matcher
/// spends several times the cost of reading the posting lists on its per-match machinery (a
/// weightless match of a word in 80 000 of 100 000 documents took ~20 ms).
///
/// For queries of terms, match all and nothing, AND, OR, AND_NOT, XOR, AND_MAYBE, FILTER,
/// SYNONYM, MAX and SCALE_WEIGHT, where any other part holds no term (a value range, a posting
/// source): such a part is matched by Xapian's matcher. The bitmaps of those parts and of the
/// terms in 2 048 documents or more are kept process-wide for the database revision (32 MiB,
/// least recently used out first), as filters and common words recur from search to search.
/// A phrase, NEAR or a wildcard is matched alone by Xapian's matcher, weightless, into a
/// bitmap: what it matches depends on the document alone, whatever surrounds it.
class BooleanMatch {
public:
    /// The matches of `query` in `db` (a single database, not a combination), or nullopt
    /// when the query holds anything else (phrases, wildcards, elite sets, a posting source
    /// that cannot be serialised), which Xapian's matcher must then answer. Thread-safe for
    /// distinct `db` handles. Throws Xapian errors as reading `db` does.
    static std::optional<BooleanMatch> Of(const Xapian::Database& db, const Xapian::Query& query);

    /// As Of, for a query that many searches share (a request's filters, the day's scope): its
    /// bitmap is kept process-wide for the database revision with the others.
    static std::optional<BooleanMatch> Shared(const Xapian::Database& db,
                                              const Xapian::Query& query);

    /// Keeps the matches that `other`, of the same database at the same revision, has too.
    void Intersect(const BooleanMatch& other);

    /// How many documents match.
    std::size_t Count() const;

    /// How many documents match here but not in `other` (of the same database at the same
    /// revision).
    std::size_t CountWithout(const BooleanMatch& other) const;

    /// For matches made by Shared: what names them, the same for every search of the database
    /// revision that shares the query (so that what is counted of them can be kept too); empty
    /// for any other, and once Intersect has changed them.
    const std::string& SharedKey() const { return shared_key_; }

    /// The first match from `did` on, or 0 when there is none.
    Xapian::docid NextFrom(Xapian::docid did) const;

    /// Calls `f(docid)` for every match, in docid order.
    template <typename F>
    void ForEach(F&& f) const {
        for (std::size_t w = 0; w < words_.size(); ++w) {
            for (std::uint64_t word = words_[w]; word != 0; word &= word - 1) {
                f(static_cast<Xapian::docid>(w * 64 + std::countr_zero(word)));
            }
        }
    }

    /// Keeps the matches for which `keep(docid)` is true, asked in docid order.
    template <typename F>
    void KeepIf(F&& keep) {
        for (std::size_t w = 0; w < words_.size(); ++w) {
            for (std::uint64_t word = words_[w]; word != 0; word &= word - 1) {
                const int bit = std::countr_zero(word);
                if (!keep(static_cast<Xapian::docid>(w * 64 + bit))) {
                    words_[w] &= ~(std::uint64_t{1} << bit);
                }
            }
        }
        shared_key_.clear();
    }

    /// Calls `f(docid)` for every match here that is not in `other` (of the same database at
    /// the same revision), in docid order.
    template <typename F>
    void ForEachWithout(const BooleanMatch& other, F&& f) const {
        for (std::size_t w = 0; w < words_.size(); ++w) {
            const std::uint64_t without = w < other.words_.size() ? other.words_[w] : 0;
            for (std::uint64_t word = words_[w] & ~without; word != 0; word &= word - 1) {
                f(static_cast<Xapian::docid>(w * 64 + std::countr_zero(word)));
            }
        }
    }

private:
    explicit BooleanMatch(std::size_t words) : words_(words, 0) {}

    std::vector<std::uint64_t> words_;  ///< bit d is docid d
    std::string shared_key_;
};

/// A query that matches, in each database whose uuid names one of `by_uuid`, that match's
/// documents, and in any other database every document; it adds no weight. A ranked query
/// filtered by its own matches, found already, ranks as without the filter, while Xapian's
/// matcher looks at those documents alone: a phrase's positions are then read for its
/// matches only, rather than for every document with its words.
Xapian::Query MatchesOf(
    std::vector<std::pair<std::string, std::shared_ptr<const BooleanMatch>>> by_uuid);

/// Whether `query` holds a phrase or NEAR, whose matches Xapian's matcher finds by reading
/// the positions of every document with their words.
bool HasPositional(const Xapian::Query& query);

}  // namespace styrdok::indexer::detail
