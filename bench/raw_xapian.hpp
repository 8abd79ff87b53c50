#pragma once

// The reference Styrdok's search is measured against (issue 3): plain Xapian with the Swedish
// Snowball stemmer, nothing else. It indexes the id, title and text of one version per
// document, with positions and the title weighted, and searches with Xapian's QueryParser. No
// normalisation, compound splitting, synonyms, metadata, spelling or git: what a registry
// gets from Xapian alone. Used by the relevance test and by scripts/bench, so keep it small.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace styrdok::bench {

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

private:
    struct Impl;
    explicit RawXapianSearcher(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace styrdok::bench
