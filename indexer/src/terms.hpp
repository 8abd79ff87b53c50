#pragma once

// The one table of what the index stores: term prefixes, value slots and metadata keys, and
// the functions that turn a field value into its term. Both the document builder and the
// searcher use these, so a value is normalised the same way when indexed and when asked for.
// Changing anything here changes the index format: bump kIndexFormatVersion.

#include <xapian.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "styrdok/core/date.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/core/validity.hpp"

namespace styrdok::indexer::detail {

// Term prefixes, Omega's conventions: Q the unique id, single capitals for Omega's own
// meanings (S title, K keywords, Y year), X… for Styrdok's boolean fields.
inline constexpr std::string_view kPrefixUnique = "Q";        // Q<id>@<commit>
inline constexpr std::string_view kPrefixDocumentId = "XID";  // every version of one document
inline constexpr std::string_view kPrefixDocType = "XTYPE";   // doctype id
inline constexpr std::string_view kPrefixCategory = "XCAT";   // politisk | administrativ
inline constexpr std::string_view kPrefixDecidedBy = "XBY";   // body id
inline constexpr std::string_view kPrefixOwner = "XOWNER";    // owner, case-folded
inline constexpr std::string_view kPrefixOwnerBody = "XOB";   // body id of owner_body
inline constexpr std::string_view kPrefixGoalArea = "XGOAL";  // målområde id
inline constexpr std::string_view kPrefixStatus = "XSTATUS";  // gällande | upphävd | utkast
inline constexpr std::string_view kPrefixDnr = "XDNR";        // core::DiarienummerKey
inline constexpr std::string_view kPrefixYear = "Y";          // decision year, "Y2021"
inline constexpr std::string_view kPrefixTitle = "S";         // title words (free text)
inline constexpr std::string_view kPrefixKeyword = "K";       // keywords (free text)
/// A part of a compound: "XP" + free-text prefix + stem ("XPkontroll" for "internkontrollen"
/// in the text). A term family of its own, apart from the words' "Z" terms, so that a part's
/// frequency never dilutes the word's: in a registry where "kontroll" is part of a compound in
/// most documents, the word "kontroll" still has the weight of a rare word, and a search ranks
/// by it and can skip the long list of compounds once it has its best hits.
inline constexpr std::string_view kPrefixPart = "XP";
/// A term without value on the newest version of each document.
inline constexpr std::string_view kTermLatest = "XLATEST";
/// A term on every version a reader without rights must not see: drafts, and documents that
/// are not public (by their own flag or their doctype's default).
inline constexpr std::string_view kTermRestricted = "XRESTRICTED";
/// On the newest version of each document: the ids of the documents that its newest adopted
/// version replaces (core::ReplacedDocuments), so that indexing a document finds its
/// successors, and a sync finds what a changed document replaced at its last indexing.
inline constexpr std::string_view kPrefixReplaces = "XREPLACES";
/// On every version: the ids of the documents it implements (its `implements`), so that the
/// search filter "genomför X" finds the documents under X, the server expanding X down the
/// chain (store::Snapshot::ImplementingBelow).
inline constexpr std::string_view kPrefixImplements = "XIMPL";
/// Only in the current versions' database (kCurrentDatabase), on a version that comes into
/// force after the day it was placed there: "XSTART" + DayKey(first day in force).
inline constexpr std::string_view kPrefixStartsOn = "XSTART";
/// Only in the current versions' database, on a version whose force interval has an end:
/// "XEND" + DayKey(last day in force). With kPrefixStartsOn, what the default search leaves
/// out on the day asked is a few short posting lists, found by their terms' names.
inline constexpr std::string_view kPrefixEndsOn = "XEND";

// Value slots. Dates are Xapian::sortable_serialise(days since 1970-01-01) (DateValue).
inline constexpr Xapian::valueno kSlotForceFrom = 0;  // first day in force
inline constexpr Xapian::valueno kSlotForceTo = 1;    // last day in force; open end = far future
inline constexpr Xapian::valueno kSlotDecidedOn = 2;
// TieBreakKey: what decides between equally relevant hits (title, then the latest in force),
// in one value so a search reads one slot per candidate; also the order of sort=title.
inline constexpr Xapian::valueno kSlotTieBreak = 3;
// Every facet's values of the version (EncodeFacets), in one value so that counting the
// facets reads one slot per match rather than one per facet.
inline constexpr Xapian::valueno kSlotFacets = 4;
// The plain text's opening (a few KiB) that snippets are cut from; apart from the document
// data so that hits without snippets never read it.
inline constexpr Xapian::valueno kSlotExcerpt = 5;
// The days on which this version stands for its document (core::DocumentTimeline): the first
// (OpenStartValue when from the beginning) and the last (OpenEndValue when for good). A draft
// that is the newest version stands for itself on every day. Absent on versions never shown.
inline constexpr Xapian::valueno kSlotShownFrom = 6;
inline constexpr Xapian::valueno kSlotShownTo = 7;
// Within the days shown: the last day the document is not yet in force (its first span),
// OpenEndValue when it has no date at all.
inline constexpr Xapian::valueno kSlotNotYetTo = 8;
// Within the days shown: the first day of the span after the version's interval (always the
// version's last span, up to kSlotShownTo), by how it ended: upphört or upphävd.
inline constexpr Xapian::valueno kSlotExpiredFrom = 9;
inline constexpr Xapian::valueno kSlotRepealedFrom = 10;
// On the newest version of a document that replaces others: core::FirstDayReplacing of its
// versions, the day from which the documents it replaces end.
inline constexpr Xapian::valueno kSlotFirstInForce = 11;
// On the newest version of a document with a successor: the replaced_from its versions were
// indexed with, so that a sync reindexes it only when that day changes.
inline constexpr Xapian::valueno kSlotReplacedFrom = 12;

// The index is three databases. The subfolder `current` holds every version of main whose
// force interval had not ended on the day it was placed (kMetaCurrentDay): the default search
// reads it alone, leaving out by term (kPrefixStartsOn, kPrefixEndsOn) the few not in force on
// the day asked. The folder itself holds every other version of main (versions never in force
// or ended) and the metadata below.
inline constexpr const char* kCurrentDatabase = "current";
// The subfolder `drafts` holds the drafts (refs/drafts/<id>): one Xapian document per draft,
// its head commit, restricted, in state utkast on every day, found by its unique term. Only a
// search by someone who may see drafts reads it, and it has no spelling table, so no reader
// is ever offered a word that only a draft has.
inline constexpr const char* kDraftsDatabase = "drafts";

// Keys of the database's metadata (Xapian::Database::get_metadata).
inline constexpr const char* kMetaFormat = "styrdok.format";
inline constexpr const char* kMetaSchemaName = "styrdok.schema_name";
inline constexpr const char* kMetaSchemaVersion = "styrdok.schema_version";
inline constexpr const char* kMetaLanguage = "styrdok.language";
inline constexpr const char* kMetaLastCommit = "styrdok.last_commit";
/// In the current versions' database: the latest day on which versions were placed in it
/// ("YYYY-MM-DD"). It holds every version in force on that day or later, so it answers the
/// default search for any day from then on; an earlier day is asked of both databases.
inline constexpr const char* kMetaCurrentDay = "styrdok.current_day";
/// The docids that commits replaced in place (Xapian::WritableDatabase::replace_document with
/// the docid of an older document), by the revision that shows each: what a facet column built
/// from an older revision reads again (facet_column.hpp, AppendReplaced). A database without it
/// has never had a document replaced in place.
inline constexpr const char* kMetaReplaced = "styrdok.replaced";
inline constexpr const char* kLanguage = "sv";
/// The Snowball stemmer used at index and query time.
inline constexpr const char* kStemmerLanguage = "swedish";

/// `prefix` + `value`, with Omega's ':' separator when the value starts with a capital (so
/// that "XID" + "Foo" cannot be read as prefix "XIDF"), cut to Xapian's term length limit on a
/// UTF-8 boundary.
std::string Term(std::string_view prefix, std::string_view value);

/// Q<id>@<commit>.
std::string UniqueTerm(std::string_view id, std::string_view version);

/// Sortable serialisation of a date for a value slot.
std::string DateValue(core::Date date);
/// The ForceTo value of a version still in force (tillsvidare): sorts after every date.
std::string OpenEndValue();
/// Sorts before every date: kSlotShownFrom of a version shown from the beginning.
std::string OpenStartValue();
/// The date of a DateValue; nullopt for an empty value (or OpenStartValue/OpenEndValue).
std::optional<core::Date> ValueDate(const std::string& value);
/// "YYYYMMDD": a day in a term, in date order.
std::string DayKey(core::Date date);
/// The machine's local date: the day the index places versions by and a search asks for when
/// it is given none.
core::Date LocalToday();

/// Trimmed and case-folded; the form of free-form filter values such as owner.
std::string Fold(std::string_view text);

/// Field values as terms and facet values hold them. Each accepts what a user may type: a
/// body by id, abbreviation or name; a goal area by id or name; any spelling of a dnr.
std::string DocTypeKey(std::string_view doctype);
std::string BodyKey(const core::Schema& schema, std::string_view body);
std::string GoalAreaKey(const core::Schema& schema, std::string_view goal_area);
std::string DnrKey(std::string_view dnr);

/// Several values in one value slot, and back. Values must not contain '\n' (keys never do:
/// Fold trims, and ids are single words).
std::string EncodeList(const std::vector<std::string>& values);
std::vector<std::string_view> DecodeList(std::string_view encoded);

/// What a version is counted under in the facets, each value as the matching boolean term
/// holds it; empty where it has none.
struct FacetValues {
    std::string doctype;
    std::string category;
    std::string decided_by;
    /// The document's state on the days this version stands for it (EncodeStates); read for
    /// the day asked (StateOn).
    std::string states;
    std::string owner;                    ///< Fold(owner)
    std::vector<std::string> goal_areas;  ///< sorted and unique: a version counts once under each
    std::string year;                     ///< of the decision, "2021"
};
inline constexpr std::size_t kFacetValueCount = 7;
/// FacetValues as one value, and back: the fields in their order (that of query.hpp's
/// kFacets), the goal areas as an EncodeList.
std::string EncodeFacets(const FacetValues& values);
std::array<std::string_view, kFacetValueCount> DecodeFacets(std::string_view encoded);

/// A version's spans of core::DocumentTimeline (consecutive, in order) as the state names
/// and the days they change: "name" or "name\nday\nname…", days as DaysSinceEpoch. Empty
/// when the version never stands for its document.
std::string EncodeStates(const std::vector<core::StateSpan>& spans);
/// The state name in `encoded` on `day` (a DaysSinceEpoch); empty for an empty encoding.
std::string_view StateOn(std::string_view encoded, long day);

/// A byte-comparable key that sorts titles in Swedish order (… z, å, ä, ö) ignoring case.
std::string TitleSortKey(std::string_view title);

/// The order among equally relevant hits: by title (TitleSortKey), then the version that came
/// into force last first; versions never in force (drafts) after those that were.
std::string TieBreakKey(std::string_view title, const std::optional<core::Date>& in_force_from);

}  // namespace styrdok::indexer::detail
