#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "styrdok/core/date.hpp"
#include "styrdok/core/schema.hpp"

namespace styrdok::indexer {

enum class SortOrder {
    kRelevance,
    kDecidedNewest,  ///< "-decided_on" / "decided_on_desc"
    kDecidedOldest,  ///< "decided_on"
    kTitle,          ///< "title"
};

/// A search as the JSON API and the CLI take it. Empty strings mean "no filter".
struct SearchRequest {
    std::string query;
    std::vector<std::string> doctype;  ///< any of
    std::string category;
    std::vector<std::string> decided_by;  ///< any of; body ids or abbreviations
    std::string owner;
    std::vector<std::string> goal_area;
    std::string dnr;  ///< any spelling; matched on the normalised key
    /// Versions that implement any of these document ids (their `implements`). The caller
    /// expands a document to those under it for "genomför X" (store::Snapshot::
    /// ImplementingBelow); empty: no filter.
    std::vector<std::string> implements;
    /// The documents in this state on the day asked (core::ForceStateName: "gällande", the
    /// default, "ej i kraft än", "upphört", "upphävd", "utkast"), each as the version that
    /// stands for it that day (core::DocumentTimeline); "alla": every document so.
    std::string status;
    /// The day asked: versions in force on this date, whatever status they stored, or with
    /// `status` the documents in that state on it. Empty: `today`.
    std::optional<core::Date> valid_on;
    /// The day the default search is for; nullopt is the machine's local date. A server with
    /// a configured day passes it.
    std::optional<core::Date> today;
    SortOrder sort = SortOrder::kRelevance;
    std::size_t page = 1;       ///< 1-based
    std::size_t per_page = 20;  ///< 1..100
    /// Facet counts need every match to be visited, and so does an exact total: without
    /// them a search is a plain top-k match (total estimated) as fast as Xapian alone.
    bool facets = true;
    /// Snippets are cut from each hit's stored text; without them Hit::snippet is empty.
    bool snippets = true;
    /// Drafts and documents that are not public are left out, from hits, totals and facets
    /// alike, unless the searcher has the right to see them.
    bool include_restricted = false;
    /// With include_restricted: false leaves drafts out still (a signed-in reader sees the
    /// documents that are not public, but not others' drafts).
    bool include_drafts = true;
};

struct Hit {
    std::string id;
    std::string title;
    std::string doctype;
    std::string dnr;
    std::string decided_by;
    std::string decided_on;  ///< "YYYY-MM-DD" or empty
    std::string valid_from;
    std::string valid_to;
    std::string status;  ///< what was decided (core::StatusName)
    /// The document's state on the day asked (core::ForceStateName): "gällande" for every hit
    /// of the default search.
    std::string state;
    std::string owner;
    std::string snippet;  ///< plain text with hits marked by U+E000 … U+E001 (see below)
    std::string version;  ///< commit id of this version
    /// The days this version was in force, worked out from all the document's versions
    /// ("YYYY-MM-DD"); `in_force_to` empty while it still is, both empty when it never was.
    std::string in_force_from;
    std::string in_force_to;
    double weight = 0;
};

/// Markers around a highlighted term in Hit::snippet; renderers replace them with <mark>.
inline constexpr const char* kHighlightStart = "\xee\x80\x80";  // U+E000
inline constexpr const char* kHighlightEnd = "\xee\x80\x81";    // U+E001

struct SearchResult {
    std::size_t total = 0;  ///< estimated matches (exact for small result sets)
    std::size_t page = 1;
    std::size_t per_page = 20;
    std::vector<Hit> hits;
    /// facet name → value → count, over all matches of the query and every filter but the
    /// facet's own: "doctype", "category", "decided_by" (body id), "status" (the state on the
    /// day asked, over every document the other filters let through), "owner" (case-folded),
    /// "goal_area" (id; a document counts under each of its goal areas) and "year" (of
    /// decided_on, "2021").
    std::map<std::string, std::map<std::string, std::size_t>> facets;
    std::string suggestion;  ///< a corrected query, or empty
};

/// Parses a sort parameter ("", "relevance", "decided_on", "-decided_on", "title");
/// nullopt when unknown.
std::optional<SortOrder> ParseSortOrder(std::string_view text);

/// The read side of the index. Each Searcher holds its own database handle: use one per
/// thread. Searching never waits for the writer; call Reopen() to see newer commits.
class Searcher {
public:
    /// Throws Error(kNotFound) when there is no index in `dir`.
    static Searcher Open(const std::filesystem::path& dir, const core::Schema& schema);

    Searcher(Searcher&&) noexcept;
    Searcher& operator=(Searcher&&) noexcept;
    ~Searcher();

    /// Runs a search. A malformed query is answered as well as it can be (never an error);
    /// bad filter values (unknown status, per_page out of range) throw Error(kBadInput).
    SearchResult Search(const SearchRequest& request) const;

    /// What Search(request) answers depends on: the index as this handle reads it now (each
    /// database's uuid and revision), the day asked and every field of the request. Two keys
    /// are equal only when the two searches answer alike, so a cache of answers by this key
    /// never serves one from another revision or day. A search that meets a writer's commit
    /// reopens the handle, so compare the key after the search before keeping its answer.
    std::string AnswerKey(const SearchRequest& request) const;

    /// The commit the opened index reflects.
    std::optional<std::string> LastIndexedCommit() const;

    /// Number of documents (ids) and versions of main in the index; drafts are not counted.
    std::size_t DocumentCount() const;
    std::size_t VersionCount() const;

    void Reopen();

private:
    struct Impl;
    explicit Searcher(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace styrdok::indexer
