#pragma once

#include <xapian.h>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "boolean_match.hpp"
#include "query.hpp"
#include "terms.hpp"

namespace styrdok::indexer::detail {

/// The facet values (kSlotFacets) of every document of one database at one revision, held in
/// memory as small integer codes indexed by docid: counting a match then adds to an array
/// instead of reading, decoding and hashing its value.
///
/// Immutable once built, so any number of threads may read it. A newer revision's column is
/// built from an older one of the same database by reading only the documents added since and
/// those the index replaced in place since (kMetaReplaced, ReplacedSince); a deleted docid
/// matches nothing and is never looked up.
class FacetColumn {
public:
    /// The field codes of one document, one for each of DecodeFacets' fields; 0 where the
    /// field is empty (or the document has no value).
    using Codes = std::array<std::uint32_t, kFacetValueCount>;

    /// The column of `db` (a single database, not a combination) at its open revision, built
    /// from `previous` (nullptr, or an older column) where that is of the same database, else
    /// from every document. Throws Xapian errors as reading `db` does.
    static std::shared_ptr<const FacetColumn> Build(const Xapian::Database& db,
                                                    const FacetColumn* previous);

    /// The codes of `did`; nullptr past the last docid read.
    const Codes* Of(Xapian::docid did) const {
        if (did == 0 || did > last_docid_) return nullptr;
        const Chunk& chunk = *chunks_[(did - 1) / kChunkDocs];
        return &chunk[(did - 1) % kChunkDocs];
    }

    /// The value that `code` (not 0) stands for in `field`.
    std::string_view Value(std::size_t field, std::uint32_t code) const {
        return (*fields_[field]).values[code];
    }
    /// One more than the highest code of `field`.
    std::size_t CodeCount(std::size_t field) const { return (*fields_[field]).values.size(); }

    /// The states on one day of the codes of a field of EncodeStates values (the status
    /// field): `of_code[code]` indexes `names` (StateOn of the code's value); code 0 has none.
    struct DayStates {
        std::vector<std::string_view> names;
        std::vector<std::uint32_t> of_code;
    };
    /// The states on `day` (DaysSinceEpoch) of the codes of `field`, kept for the last few
    /// (field, day) asked: a day's searches each decode thousands of distinct histories
    /// otherwise. Thread-safe.
    std::shared_ptr<const DayStates> StatesOn(std::size_t field, long day) const;

    /// Counters of every field's codes (field f's from `CountersOf(f)`, indexed by code) over
    /// matches made by BooleanMatch::Shared (a non-empty SharedKey) in this column's database
    /// at its revision, kept for the last few asked: many searches share such matches (a
    /// day's scope, a filter), and a broad search's counts are theirs less those of the few
    /// documents outside it. Thread-safe.
    std::shared_ptr<const std::vector<std::uint32_t>> CountsOf(const BooleanMatch& shared) const;
    /// Where the counters of `field` begin in CountsOf's.
    std::size_t CountersOf(std::size_t field) const;

    const std::string& uuid() const { return uuid_; }
    Xapian::rev revision() const { return revision_; }

private:
    static constexpr std::size_t kChunkDocs = 4096;
    using Chunk = std::vector<Codes>;

    // The values of one field seen so far, by code: shared by the columns built one from
    // another, and copied only when a document brings a new value.
    struct Dictionary {
        std::vector<std::string> values{std::string()};  // code 0: no value
        std::unordered_map<std::string, std::uint32_t> codes;
    };

    std::string uuid_;
    Xapian::rev revision_ = 0;
    Xapian::docid last_docid_ = 0;
    // Chunks of kChunkDocs documents, shared with the column this one was built from except
    // for the ones that changed.
    std::vector<std::shared_ptr<const Chunk>> chunks_;
    std::array<std::shared_ptr<const Dictionary>, kFacetValueCount> fields_;

    struct KeptStates {
        std::size_t field;
        long day;
        std::shared_ptr<const DayStates> states;
    };
    mutable std::mutex states_mutex_;
    mutable std::vector<KeptStates> states_;  ///< oldest first

    struct KeptCounts {
        std::string key;  ///< BooleanMatch::SharedKey
        std::shared_ptr<const std::vector<std::uint32_t>> counts;
    };
    mutable std::mutex counts_mutex_;
    mutable std::vector<KeptCounts> counts_;  ///< oldest first
};

/// The entries kept in kMetaReplaced: a column older than the oldest is built again whole.
inline constexpr std::size_t kReplacedKept = 4096;

/// `log` (a kMetaReplaced value, or empty) with `docids` added as replaced in place by the
/// commit that makes `revision`. Keeps the newest kReplacedKept entries or a few more (whole
/// revisions). Not thread-safe for one log: the index's writer alone writes it.
std::string AppendReplaced(std::string_view log, Xapian::rev revision,
                           const std::vector<Xapian::docid>& docids);

/// The docids that `log` (a kMetaReplaced value, or empty: none replaced) says were replaced
/// in place after revision `after` (a docid may come more than once); nullopt when the log no
/// longer reaches back to `after`.
std::optional<std::vector<Xapian::docid>> ReplacedSince(std::string_view log, Xapian::rev after);

/// The columns of every database opened in this process, by folder: the searchers of a
/// process share one column for each revision, built by whichever needs it first from the
/// newest older one. Thread-safe; a search never waits for a build by another thread (two
/// may build the same column, and either is kept).
std::shared_ptr<const FacetColumn> SharedFacetColumn(const std::string& folder,
                                                     const Xapian::Database& db);

/// The versions shown on a day that are not in force then, by database, for the status facet
/// of the default scope (Filters::UseCurrentDatabase), which is counted over every version.
struct ShownOutOfForce {
    /// Whether the versions shown whose state is in force (core::ForceStateName(kInForce)) are,
    /// in every database, exactly those the default scope counts in the current versions'
    /// database: then the status facet's count of versions in force is the page's total, as
    /// the text and the other filters apply to both alike.
    bool exact = false;
    /// When `exact`, for each database, the versions shown in any other state (or none).
    std::vector<std::shared_ptr<const BooleanMatch>> in;
};

/// ShownOutOfForce for `parts` (the databases a combination holds, in its order; `columns`
/// theirs), `shown` the versions that stand for their documents on `day` (DaysSinceEpoch),
/// and `in_force` what the default scope counts in parts[current] on that day. Not exact
/// when a part's matches cannot be found without Xapian's matcher. Kept process-wide for the
/// last few (revisions, queries) asked. Thread-safe. Throws Xapian errors as reading does.
std::shared_ptr<const ShownOutOfForce> ShownOutOfForceOn(
    const std::vector<const Xapian::Database*>& parts,
    const std::vector<std::shared_ptr<const FacetColumn>>& columns, std::size_t current,
    const Xapian::Query& shown, const Xapian::Query& in_force, long day);

/// Counts the facets of the matches of searches over each of `columns`' databases, for the
/// day `day` (DaysSinceEpoch). Xapian 1.4 hands a spy a match's docid within its own
/// database, never which database of a combination it is in, so each database is searched
/// alone, after CountIn has named its column.
class ColumnFacetSpy : public Xapian::MatchSpy {
public:
    ColumnFacetSpy(std::vector<Facet> facets,
                   std::vector<std::shared_ptr<const FacetColumn>> columns, long day);

    /// The matches that follow are of the database of columns[c] (CountIn(c) before a match
    /// with the spy, or before Count).
    void CountIn(std::size_t c) { in_ = c; }

    void operator()(const Xapian::Document& doc, double) override { Count(doc.get_docid()); }

    /// Counts the match `did` of the database of columns[in], as a match handed to the spy.
    void Count(Xapian::docid did);

    /// Counts every match of `matches`, of the database of columns[in]. `within`, when given,
    /// names matches of the same database that hold all of `matches` (the filter they were
    /// found under): when `matches` are more than half of them and they were made by
    /// BooleanMatch::Shared, the counts are `within`'s (FacetColumn::CountsOf) less those of
    /// the documents in `within` alone.
    void CountAll(const BooleanMatch& matches, const BooleanMatch* within = nullptr);

    const std::vector<Facet>& facets() const { return facets_; }

    /// The counts of facets()[i], by value, as SearchResult::facets holds them.
    std::map<std::string, std::size_t> Counts(std::size_t i) const;

private:
    std::vector<Facet> facets_;
    std::vector<std::size_t> fields_;  ///< FacetField of each of facets_
    std::vector<std::shared_ptr<const FacetColumn>> columns_;
    // For each column, the counters of every facet one after another, from offsets_.
    std::vector<std::vector<std::uint32_t>> counters_;
    std::vector<std::vector<std::size_t>> offsets_;
    std::size_t in_ = 0;
    long day_;
};

}  // namespace styrdok::indexer::detail
