#pragma once

#include <array>
#include <cstddef>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace styrdok::indexer::detail {

/// The exact total and the facet counts of one search, as SearchResult holds them.
struct FacetCounts {
    std::size_t total = 0;
    std::map<std::string, std::map<std::string, std::size_t>> facets;
};

/// Counts of searches already made, by a key that names everything they depend on (the
/// index's revisions among it, so that a save makes every older entry unreachable): paging
/// and repeated searches then skip the match over every document. The least recently used
/// go first once the bytes held pass the limit. Thread-safe.
class CountCache {
public:
    /// `max_bytes` 0 keeps nothing.
    explicit CountCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

    /// The counts kept for `key`, or nullptr.
    std::shared_ptr<const FacetCounts> Find(const std::string& key);
    /// Keeps `counts` for `key` (replacing what was kept for it).
    void Keep(const std::string& key, std::shared_ptr<const FacetCounts> counts);

    std::size_t bytes() const;

    /// The cache of the process, shared by its searchers (32 MiB).
    static CountCache& Shared();

private:
    struct Entry {
        std::string key;
        std::shared_ptr<const FacetCounts> counts;
        std::size_t bytes;
    };

    std::size_t max_bytes_;
    mutable std::mutex mutex_;
    std::list<Entry> entries_;  ///< most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> by_key_;
    std::size_t bytes_ = 0;
};

/// Snippets already cut, by a key that names everything they depend on: the databases and
/// their revisions, the query of the MSet they were cut with (its words and their weights
/// choose the fragment and what is highlighted) and the document. A result page shown again,
/// or a hit seen again on the next page, is then not cut again: cutting 20 snippets was a
/// third of a full page's CPU. The least recently used go first once the bytes held pass the
/// limit. Thread-safe.
class SnippetCache {
public:
    /// `max_bytes` 0 keeps nothing.
    explicit SnippetCache(std::size_t max_bytes) : shard_bytes_(max_bytes / kShards) {}

    std::optional<std::string> Find(const std::string& key);
    void Keep(const std::string& key, const std::string& snippet);

    /// The cache of the process, shared by its searchers (16 MiB).
    static SnippetCache& Shared();

private:
    static constexpr std::size_t kShards = 8;
    using Entry = std::pair<std::string, std::string>;
    struct Shard {
        std::mutex mutex;
        std::list<Entry> entries;  ///< most recently used first
        std::unordered_map<std::string, std::list<Entry>::iterator> by_key;
        std::size_t bytes = 0;
    };
    Shard& ShardOf(const std::string& key);

    std::size_t shard_bytes_;
    std::array<Shard, kShards> shards_;
};

}  // namespace styrdok::indexer::detail
