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
/// A term on the newest version of each document in force: the default scope of a search.
/// The versions that carry it or kTermCurrentRestricted are kept in a database of their own
/// (kCurrentDatabase), which the default search reads alone, with no filter to apply.
inline constexpr std::string_view kTermCurrent = "XCURRENT";
/// A term on every version a reader without rights must not see: drafts, and documents that
/// are not public (by their own flag or their doctype's default).
inline constexpr std::string_view kTermRestricted = "XRESTRICTED";
/// kTermCurrent is only on versions anyone may see, so the default search of a reader
/// without rights is one term; the current versions only those with rights see carry this.
inline constexpr std::string_view kTermCurrentRestricted = "XCURRENTR";

// Value slots. Dates are Xapian::sortable_serialise(days since 1970-01-01).
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

// The index is two databases: the folder itself holds every version outside the default
// scope and the metadata below; this subfolder holds the current versions (InCurrentScope).
inline constexpr const char* kCurrentDatabase = "current";

// Keys of the database's metadata (Xapian::Database::get_metadata).
inline constexpr const char* kMetaFormat = "styrdok.format";
inline constexpr const char* kMetaSchemaName = "styrdok.schema_name";
inline constexpr const char* kMetaSchemaVersion = "styrdok.schema_version";
inline constexpr const char* kMetaLanguage = "styrdok.language";
inline constexpr const char* kMetaLastCommit = "styrdok.last_commit";
inline constexpr const char* kLanguage = "sv";
/// The Snowball stemmer used at index and query time.
inline constexpr const char* kStemmerLanguage = "swedish";

/// `prefix` + `value`, with Omega's ':' separator when the value starts with a capital (so
/// that "XID" + "Foo" cannot be read as prefix "XIDF"), cut to Xapian's term length limit on a
/// UTF-8 boundary.
std::string Term(std::string_view prefix, std::string_view value);

/// Whether a built version belongs in the current versions' database: it carries
/// kTermCurrent or kTermCurrentRestricted.
bool InCurrentScope(const Xapian::Document& doc);

/// Q<id>@<commit>.
std::string UniqueTerm(std::string_view id, std::string_view version);

/// Sortable serialisation of a date for a value slot.
std::string DateValue(core::Date date);
/// The ForceTo value of a version still in force (tillsvidare): sorts after every date.
std::string OpenEndValue();

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
    std::string status;
    std::string owner;                    ///< Fold(owner)
    std::vector<std::string> goal_areas;  ///< sorted and unique: a version counts once under each
    std::string year;                     ///< of the decision, "2021"
};
inline constexpr std::size_t kFacetValueCount = 7;
/// FacetValues as one value, and back: the fields in their order (that of query.hpp's
/// kFacets), the goal areas as an EncodeList.
std::string EncodeFacets(const FacetValues& values);
std::array<std::string_view, kFacetValueCount> DecodeFacets(std::string_view encoded);

/// A byte-comparable key that sorts titles in Swedish order (… z, å, ä, ö) ignoring case.
std::string TitleSortKey(std::string_view title);

/// The order among equally relevant hits: by title (TitleSortKey), then the version that came
/// into force last first; versions never in force (drafts) after those that were.
std::string TieBreakKey(std::string_view title, const std::optional<core::Date>& in_force_from);

}  // namespace styrdok::indexer::detail
