#pragma once

// The reference Styrdok's search is measured against (issue 3): plain Xapian with the Swedish
// Snowball stemmer, nothing else. It indexes the id, title and text of one version per
// document, with positions and the title weighted, and searches with Xapian's QueryParser. No
// normalisation, compound splitting, synonyms, metadata, spelling or git: what a registry
// gets from Xapian alone. Used by the relevance test and by scripts/bench, so keep it small.
// For the benchmark of filtered searches (issue 19) a document may also carry its doctype (a
// boolean term) and its validity dates (two values), the least Xapian needs to filter alike.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace styrdok::bench {

/// What a raw document may carry besides its text, for filtered searches. Dates are ISO
/// "YYYY-MM-DD"; an empty valid_to means still valid.
struct RawFields {
    std::string doctype;
    std::string valid_from;
    std::string valid_to;
};

/// A filter on a raw search: documents of this doctype, and valid on this ISO day (valid_from
/// <= day <= valid_to). Empty strings filter nothing.
struct RawFilter {
    std::string doctype;
    std::string valid_on;
};

/// Writes a raw Xapian database. One writer per directory (Xapian's rule).
class RawXapianIndexer {
public:
    /// Creates the database in `dir`, replacing any database there.
    static RawXapianIndexer Create(const std::filesystem::path& dir);

    RawXapianIndexer(RawXapianIndexer&&) noexcept;
    RawXapianIndexer& operator=(RawXapianIndexer&&) noexcept;
    ~RawXapianIndexer();

    /// Adds (or replaces) the document `id`; `text` is indexed as it is (Markdown included).
    void Add(std::string_view id, std::string_view title, std::string_view text);

    /// The same, with the fields a RawFilter filters on.
    void Add(std::string_view id, std::string_view title, std::string_view text,
             const RawFields& fields);

    /// Makes everything added so far durable and visible to new searchers.
    void Commit();

private:
    struct Impl;
    explicit RawXapianIndexer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

/// Searches a raw Xapian database. One per thread.
class RawXapianSearcher {
public:
    /// Opens the database in `dir`; throws Xapian's DatabaseOpeningError when there is none.
    static RawXapianSearcher Open(const std::filesystem::path& dir);

    RawXapianSearcher(RawXapianSearcher&&) noexcept;
    RawXapianSearcher& operator=(RawXapianSearcher&&) noexcept;
    ~RawXapianSearcher();

    /// The ids of the best `count` documents for `query` (QueryParser syntax, default AND),
    /// best first. A query the parser rejects yields no ids.
    std::vector<std::string> Search(const std::string& query, std::size_t count) const;

    /// The same, restricted to the documents `filter` lets through (a Xapian OP_FILTER: the
    /// ranking is the query's alone).
    std::vector<std::string> Search(const std::string& query, std::size_t count,
                                    const RawFilter& filter) const;

private:
    struct Impl;
    explicit RawXapianSearcher(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace styrdok::bench
