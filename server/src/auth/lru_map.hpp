#pragma once

#include <cstddef>
#include <iterator>
#include <list>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace styrdok::server {

/// A map from strings to values that never holds more than `capacity` entries: making room
/// for a new key evicts the entry used longest ago. What the auth tables keep per name,
/// address or token is bounded this way, whatever a client sends. Not thread-safe (its
/// owners hold their own mutex).
template <typename Value>
class LruMap {
public:
    /// `capacity` is at least 1.
    explicit LruMap(std::size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}
    LruMap(const LruMap&) = delete;
    LruMap& operator=(const LruMap&) = delete;

    /// The value of `key`, or nullptr. Looking does not count as a use.
    Value* Find(std::string_view key) {
        auto found = index_.find(key);
        return found == index_.end() ? nullptr : &found->second->second;
    }

    /// The value of `key`, a default one inserted when there is none (evicting the entry
    /// used longest ago when the map is full); either way it becomes the most recent.
    Value& Use(std::string_view key) {
        if (auto found = index_.find(key); found != index_.end()) {
            entries_.splice(entries_.begin(), entries_, found->second);
            return found->second->second;
        }
        if (index_.size() >= capacity_) EraseEntry(std::prev(entries_.end()));
        entries_.emplace_front(std::string(key), Value{});
        // The key's characters live in the list node, which never moves.
        index_.emplace(std::string_view(entries_.front().first), entries_.begin());
        return entries_.front().second;
    }

    void Erase(std::string_view key) {
        if (auto found = index_.find(key); found != index_.end()) EraseEntry(found->second);
    }

    /// Removes every entry for which `predicate(key, value)` is true.
    template <typename Predicate>
    void EraseIf(Predicate predicate) {
        for (auto it = entries_.begin(); it != entries_.end();) {
            auto next = std::next(it);
            if (predicate(std::as_const(it->first), std::as_const(it->second))) EraseEntry(it);
            it = next;
        }
    }

    /// Removes the entry used longest ago among those for which `predicate(key, value)` is
    /// true; false when there is none.
    template <typename Predicate>
    bool EraseOldestIf(Predicate predicate) {
        for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
            if (predicate(std::as_const(it->first), std::as_const(it->second))) {
                EraseEntry(std::prev(it.base()));
                return true;
            }
        }
        return false;
    }

    /// How many entries satisfy `predicate(key, value)`.
    template <typename Predicate>
    std::size_t CountIf(Predicate predicate) const {
        std::size_t count = 0;
        for (const auto& [key, value] : entries_) count += predicate(key, value) ? 1 : 0;
        return count;
    }

    std::size_t size() const { return index_.size(); }
    std::size_t capacity() const { return capacity_; }

private:
    using Entries = std::list<std::pair<std::string, Value>>;  // most recently used first

    void EraseEntry(typename Entries::iterator entry) {
        index_.erase(std::string_view(entry->first));
        entries_.erase(entry);
    }

    const std::size_t capacity_;
    Entries entries_;
    std::map<std::string_view, typename Entries::iterator, std::less<>> index_;
};

}  // namespace styrdok::server
