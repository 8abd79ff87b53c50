#include "count_cache.hpp"

#include <functional>
#include <utility>

namespace styrdok::indexer::detail {

namespace {

// What an entry holds, roughly: the strings and a map node's overhead for each count.
std::size_t BytesOf(const std::string& key, const FacetCounts& counts) {
    constexpr std::size_t kNode = 64;
    std::size_t bytes = 2 * key.size() + sizeof(FacetCounts) + 2 * kNode;
    for (const auto& [facet, values] : counts.facets) {
        bytes += facet.size() + kNode;
        for (const auto& [value, count] : values) bytes += value.size() + kNode;
    }
    return bytes;
}

}  // namespace

std::shared_ptr<const FacetCounts> CountCache::Find(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto found = by_key_.find(key);
    if (found == by_key_.end()) return nullptr;
    entries_.splice(entries_.begin(), entries_, found->second);
    return found->second->counts;
}

void CountCache::Keep(const std::string& key, std::shared_ptr<const FacetCounts> counts) {
    const std::size_t bytes = BytesOf(key, *counts);
    if (bytes > max_bytes_) return;
    std::lock_guard lock(mutex_);
    if (auto found = by_key_.find(key); found != by_key_.end()) {
        bytes_ -= found->second->bytes;
        entries_.erase(found->second);
        by_key_.erase(found);
    }
    entries_.push_front(Entry{key, std::move(counts), bytes});
    by_key_.emplace(key, entries_.begin());
    bytes_ += bytes;
    while (bytes_ > max_bytes_) {
        bytes_ -= entries_.back().bytes;
        by_key_.erase(entries_.back().key);
        entries_.pop_back();
    }
}

std::size_t CountCache::bytes() const {
    std::lock_guard lock(mutex_);
    return bytes_;
}

CountCache& CountCache::Shared() {
    static CountCache cache(std::size_t{32} << 20);
    return cache;
}

namespace {

std::size_t SnippetBytes(const std::string& key, const std::string& snippet) {
    constexpr std::size_t kNodes = 128;  // the list's and the map's nodes
    return 2 * key.size() + snippet.size() + kNodes;
}

}  // namespace

SnippetCache::Shard& SnippetCache::ShardOf(const std::string& key) {
    return shards_[std::hash<std::string>{}(key) % kShards];
}

std::optional<std::string> SnippetCache::Find(const std::string& key) {
    Shard& shard = ShardOf(key);
    std::lock_guard lock(shard.mutex);
    auto found = shard.by_key.find(key);
    if (found == shard.by_key.end()) return std::nullopt;
    shard.entries.splice(shard.entries.begin(), shard.entries, found->second);
    return found->second->second;
}

void SnippetCache::Keep(const std::string& key, const std::string& snippet) {
    const std::size_t bytes = SnippetBytes(key, snippet);
    if (bytes > shard_bytes_) return;
    Shard& shard = ShardOf(key);
    std::lock_guard lock(shard.mutex);
    if (shard.by_key.contains(key)) return;  // cut by another search meanwhile
    shard.entries.emplace_front(key, snippet);
    shard.by_key.emplace(key, shard.entries.begin());
    shard.bytes += bytes;
    while (shard.bytes > shard_bytes_) {
        const Entry& last = shard.entries.back();
        shard.bytes -= SnippetBytes(last.first, last.second);
        shard.by_key.erase(last.first);
        shard.entries.pop_back();
    }
}

SnippetCache& SnippetCache::Shared() {
    static SnippetCache cache(std::size_t{16} << 20);
    return cache;
}

}  // namespace styrdok::indexer::detail
