#include "count_cache.hpp"

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

}  // namespace styrdok::indexer::detail
