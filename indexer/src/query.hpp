#pragma once

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "labels.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/indexer/search.hpp"
#include "term_stats.hpp"

namespace styrdok::indexer::detail {

/// The facets, in the order SearchResult::facets names them, with their value slots.
enum class Facet { kDocType, kCategory, kDecidedBy, kStatus, kOwner, kGoalArea, kYear };
inline constexpr Facet kFacets[] = {Facet::kDocType, Facet::kCategory, Facet::kDecidedBy,
                                    Facet::kStatus,  Facet::kOwner,    Facet::kGoalArea,
                                    Facet::kYear};
const char* FacetName(Facet facet);
/// The field of DecodeFacets (terms.hpp) that a facet is counted from. kGoalArea's is an
/// EncodeList of keys.
std::size_t FacetField(Facet facet);

/// A query that matches every document, and one that matches none, made anew for each call.
/// Xapian's own MatchAll and MatchNothing are static Query objects whose reference count is
/// not atomic: copying them from several threads at once corrupts it, and a server under
/// concurrent searches crashed on a use after free (AddressSanitizer caught it once; a
/// 32-connection benchmark again). Never use those two; the test
/// Sources.NoSharedXapianStatics looks for them.
Xapian::Query MatchAll();
Xapian::Query MatchNothing();

/// A query parser set up for Swedish: stemmer, STEM_SOME, AND as default, and the field
/// prefixes users may type (title:/titel:, dnr:/diarienummer:, doctype:/typ:, category:,
/// decided_by:, owner:/ansvarig:/ägare:, goal_area:/målområde:, status:, year:/år:, keyword:, id:),
/// each normalised as terms.hpp indexes it. `schema` must outlive the parser.
Xapian::QueryParser MakeQueryParser(const Xapian::Database& db, const core::Schema& schema);

/// The text with each word the index does not know replaced by the nearest one it does, or
/// empty when there is nothing to correct.
std::string CorrectedText(Xapian::QueryParser& parser, const std::string& text);

/// What the current versions' database holds (terms.hpp): the day its versions were placed
/// by (kMetaCurrentDay) and the days on which versions in it start after that day or end
/// (kPrefixStartsOn, kPrefixEndsOn terms, in day order). Fixed for a database revision.
struct CurrentDays {
    std::optional<core::Date> placed;
    std::vector<std::string> starts;
    std::vector<std::string> ends;
    /// The versions (docids) that carry each term of `starts` and `ends`, in docid order.
    std::unordered_map<std::string, std::vector<Xapian::docid>> versions;
    /// How many versions carry each term a Filters::hidden may leave out (kTermRestricted,
    /// the draft status), and how many the database holds.
    std::unordered_map<std::string, Xapian::doccount> hidden_counts;
    Xapian::doccount doccount = 0;

    /// What Filters::UseCurrentDatabase found to leave out on the day it was last asked for,
    /// kept for the searches after it. Not thread-safe: a CurrentDays belongs to one Searcher,
    /// which serves one thread at a time.
    struct LeftOut {
        std::string day;                   ///< DayKey
        std::vector<Xapian::Query> terms;  ///< kPrefixStartsOn, kPrefixEndsOn
        std::shared_ptr<const std::vector<Xapian::docid>> docids;  ///< theirs, sorted, unique
        std::uint64_t sum = 0;                                     ///< their counts added up
        Xapian::doccount greatest = 0;                             ///< the greatest count
    };
    mutable std::optional<LeftOut> last;

    static CurrentDays Read(const Xapian::Database& current);
};

/// A request's filters, kept apart by facet so that each facet can be counted over the
/// matches of every filter but its own.
struct Filters {
    std::optional<Xapian::Query> doctype;
    std::optional<Xapian::Query> category;
    std::optional<Xapian::Query> decided_by;
    /// The versions that stand for documents in the state asked for on `day`, in force by
    /// default; none for status alla or a status: in the query text.
    std::optional<Xapian::Query> status;
    std::optional<Xapian::Query> owner;
    std::optional<Xapian::Query> goal_area;
    /// What the searcher may not see (documents that are not public, drafts): left out
    /// everywhere; none when the searcher sees everything.
    std::optional<Xapian::Query> hidden;
    /// The searcher may see drafts: the drafts' database (terms.hpp) is searched with the
    /// versions of main.
    bool drafts = false;
    /// The versions that stand for their documents on `day` (one per document, and the drafts
    /// that are newest versions): the scope wherever `status` is not applied.
    Xapian::Query shown;
    /// Matches that rank a little higher when the scope admits older versions (valid_on) or
    /// every state (alla): the newest versions, the documents in force. Not a filter.
    std::optional<Xapian::Query> preferred;
    /// The default scope (in force on the day asked, no valid_on): the current versions'
    /// database may answer it (terms.hpp).
    bool current_scope = false;
    /// Set (by UseCurrentDatabase) when the current versions' database answers: what to leave
    /// out of it on `day`, an empty query when nothing.
    std::optional<Xapian::Query> current_left_out;
    /// current_left_out as one list of docids in memory, for Rank, where it leaves Xapian's
    /// estimates of the ranked queries as they are (see UseCurrentDatabase); else unset.
    std::optional<Xapian::Query> current_left_out_listed;
    std::optional<Xapian::Query> dnr;         ///< always applied
    std::optional<Xapian::Query> implements;  ///< always applied
    core::Date day;                           ///< the day asked: valid_on, else today

    const std::optional<Xapian::Query>& Of(Facet facet) const;
    /// Whether `text` filtered by every filter except the one of `except` is to be searched in
    /// the current versions' database rather than in all versions: in the default scope when
    /// that database answers for the day, except when the status facet is counted, which
    /// needs every state.
    bool InCurrentDatabase(std::optional<Facet> except = {}) const {
        return current_left_out.has_value() && except != Facet::kStatus;
    }
    /// `text` filtered by every filter except the one of `except`, for the database that
    /// InCurrentDatabase(except) names.
    Xapian::Query Apply(const Xapian::Query& text, std::optional<Facet> except = {}) const;
    /// Apply(text) for ranking: the same matches and the same estimates of their number, but
    /// what the current versions' database leaves out on `day` is read from memory rather than
    /// from a posting list per day, which every candidate of the ranking stepped through.
    /// Its query has a posting source that BooleanMatch does not read: counts use Apply.
    Xapian::Query Rank(const Xapian::Query& text) const;
    /// Lets the current versions' database, which holds `days`, answer the default scope when
    /// it holds every version in force on `day`: when `day` is not before the day it was placed
    /// by.
    void UseCurrentDatabase(const CurrentDays& days);

private:
    /// Apply with `current_out` left out of the current versions' database.
    Xapian::Query Filtered(const Xapian::Query& text, std::optional<Facet> except,
                           const std::optional<Xapian::Query>& current_out) const;
};

/// Throws Error(kBadInput) for an unknown status. `day` is the day asked (valid_on, else
/// today).
Filters MakeFilters(const SearchRequest& request, const core::Schema& schema, core::Date day);

/// The search box text as a query, never throwing for malformed syntax: a QueryParserError is
/// retried as plain words, and empty text (or text with no words, such as "((") matches
/// everything. Each word also finds its compounds and a compound its parts written apart
/// (ExpandCompounds), and a word of a doctype's, body's or goal area's name finds the
/// documents with that value (`labels`). A
/// diarienummer in any spelling ("KS 2017/64", "ks 2017-00064", "0110/18", also after an
/// unquoted dnr:) finds its document first. Two or more plain words also give `phrase`, the
/// terms as indexed with positions, in order: the Searcher ranks the best matches that hold
/// them as the exact phrase above those where they are scattered.
///
/// With `find_core`, `core` is the query without the compound-part terms that are in more
/// than half of the texts of `db`, and without the names found by words in more than half of
/// them, when the text has any: such a part or name finds nearly every text and weighs next
/// to nothing (a word's weight falls with the texts it is in), yet walking its list was most
/// of the search. The Searcher ranks the matches of `core` first
/// and the rest of `query`'s after them, reading the long lists only for a page past the
/// matches of `core`.
///
/// With `find_core`, `rarer` is set for a text of one word that more than half of the texts
/// of `db` have, when others have it inside compounds only: a text is on the list of either
/// the word or its compounds, never both (AddCompoundParts). Where the best matches of the
/// compounds outweigh the most any other match can weigh, they are the best matches of
/// `query`, found without reading the word's long list (the Searcher checks the weights).
struct RarerAlternatives {
    Xapian::Query query;   ///< the compounds' part terms, as weighted in `SearchText::query`
    Xapian::Query others;  ///< the word's own term and the names it finds: the other matches
};
struct SearchText {
    Xapian::Query query;
    std::vector<std::string> phrase;
    std::optional<Xapian::Query> core;
    std::optional<RarerAlternatives> rarer;
};
SearchText ParseSearchText(Xapian::QueryParser& parser, const std::string& text,
                           const LabelMatches& labels, const Xapian::Database& db,
                           bool find_core = true);
/// The same, with the frequencies of the database searched read through `stats` (whose
/// database it is), which keeps them for the next searches.
SearchText ParseSearchText(Xapian::QueryParser& parser, const std::string& text,
                           const LabelMatches& labels, const TermStats& stats,
                           bool find_core = true);

/// Whether each document of `dids` (distinct, in any order) holds `terms` at consecutive
/// positions, in the order of `dids`. `parts` are the databases `db` combines, in its order
/// (`db` alone when it is one). Xapian's phrase matcher reads them, among `dids` alone.
std::vector<bool> HoldPhrase(const Xapian::Database& db,
                             const std::vector<const Xapian::Database*>& parts,
                             const std::vector<Xapian::docid>& dids,
                             const std::vector<std::string>& terms);

/// The diarienummer keys (core::Diarienummer::Key) of the dnr-like spans in `text`, in order.
std::vector<std::string> DnrKeysIn(std::string_view text);

/// Matches of `filter` with the fixed weight `weight` each, to add to a ranked query.
Xapian::Query FixedWeight(const Xapian::Query& filter, double weight);

}  // namespace styrdok::indexer::detail
