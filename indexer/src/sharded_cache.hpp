#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace styrdok::indexer::detail {

/// A string → value map that the threads of a process share, for answers that are the same
/// for a key every time (a word's stem, base form, compound parts): 64 shards, each read under
/// a shared lock of its own, so that a server's 32+ readers and an import's builders rarely
/// wait for one another. Bounded whatever the words: a shard that reaches its share of
/// `max_entries` starts again.
///
/// Thread-safe; its methods are const, as remembering changes no answer.
template <typename Value>
class ShardedCache {
public:
    explicit ShardedCache(std::size_t max_entries)
        : per_shard_(std::max<std::size_t>(1, max_entries / kShards)) {}

    /// The value kept for `key`, if any.
    std::optional<Value> Find(std::string_view key) const {
        const Shard& shard = ShardOf(key);
        std::shared_lock lock(shard.mutex);
        auto found = shard.map.find(key);
        if (found == shard.map.end()) return std::nullopt;
        return found->second;
    }

    /// Keeps `value` for `key`.
    void Put(std::string_view key, const Value& value) const {
        Shard& shard = ShardOf(key);
        std::unique_lock lock(shard.mutex);
        if (shard.map.size() >= per_shard_) shard.map.clear();
        shard.map.insert_or_assign(std::string(key), value);
    }

    /// The value kept for `key`, or else `compute()`, then kept. `compute` is called without a
    /// lock held, and must give a key the same value every time.
    template <typename Compute>
    Value Get(std::string_view key, Compute&& compute) const {
        if (std::optional<Value> found = Find(key)) return *std::move(found);
        Value value = compute();
        Put(key, value);
        return value;
    }

    /// How many keys it keeps now.
    std::size_t Size() const {
        std::size_t size = 0;
        for (const Shard& shard : shards_) {
            std::shared_lock lock(shard.mutex);
            size += shard.map.size();
        }
        return size;
    }

private:
    static constexpr std::size_t kShards = 64;
    // A cache line each, so that threads reading different shards do not share their locks'.
    // Looked up by std::string_view without making a std::string of it, which allocated for
    // every key longer than 15 bytes (most compounds).
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view key) const {
            return std::hash<std::string_view>{}(key);
        }
    };
    struct alignas(64) Shard {
        mutable std::shared_mutex mutex;
        std::unordered_map<std::string, Value, Hash, std::equal_to<>> map;
    };
    Shard& ShardOf(std::string_view key) const {
        return shards_[std::hash<std::string_view>{}(key) % kShards];
    }

    std::size_t per_shard_;
    mutable std::array<Shard, kShards> shards_;
};

}  // namespace styrdok::indexer::detail
