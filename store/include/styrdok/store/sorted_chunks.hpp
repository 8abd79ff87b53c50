#pragma once

// A sorted sequence kept in immutable chunks that copies share: the form of a snapshot's
// documents and relations, so that the snapshot of the next commit costs what changed
// rather than a copy of every entry.

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace styrdok::store {

/// Values of type T sorted by a unique string key (`KeyOf{}(value)`, a std::string_view into
/// the value), held in chunks of a few hundred that are never changed once made. A copy, and
/// With(), share every chunk they do not change, so a changed copy of n values with k changes
/// costs O(n / kChunk + k · kChunk) instead of O(n). Immutable after construction; safe to
/// read from many threads.
template <class T, class KeyOf>
class SortedChunks {
public:
    /// A chunk grows to twice this before it is split.
    static constexpr std::size_t kChunk = 256;

    using Chunk = std::vector<T>;

    class const_iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        using pointer = const T*;
        using reference = const T&;

        const_iterator() = default;
        reference operator*() const { return (*(*chunks_)[chunk_])[index_]; }
        pointer operator->() const { return &**this; }
        const_iterator& operator++() {
            if (++index_ == (*chunks_)[chunk_]->size()) {
                ++chunk_;
                index_ = 0;
            }
            return *this;
        }
        const_iterator operator++(int) {
            const_iterator before = *this;
            ++*this;
            return before;
        }
        bool operator==(const const_iterator& other) const {
            return chunk_ == other.chunk_ && index_ == other.index_;
        }

    private:
        friend class SortedChunks;
        const_iterator(const std::vector<std::shared_ptr<const Chunk>>* chunks, std::size_t chunk)
            : chunks_(chunks), chunk_(chunk) {}
        const std::vector<std::shared_ptr<const Chunk>>* chunks_ = nullptr;
        std::size_t chunk_ = 0;
        std::size_t index_ = 0;
    };

    SortedChunks() = default;

    /// From values sorted by key, without duplicate keys.
    static SortedChunks FromSorted(std::vector<T> sorted) {
        SortedChunks result;
        result.size_ = sorted.size();
        for (std::size_t start = 0; start < sorted.size(); start += kChunk) {
            const std::size_t end = std::min(sorted.size(), start + kChunk);
            result.chunks_.push_back(std::make_shared<const Chunk>(
                std::make_move_iterator(sorted.begin() + static_cast<std::ptrdiff_t>(start)),
                std::make_move_iterator(sorted.begin() + static_cast<std::ptrdiff_t>(end))));
        }
        return result;
    }

    /// One change: the value to hold under `key`, or nullopt to hold none.
    struct Change {
        std::string key;
        std::optional<T> value;  ///< when set, KeyOf{}(*value) == key
    };

    /// A copy with `changes` (sorted by key, keys unique) applied; every chunk that no change
    /// falls into is shared with this one.
    SortedChunks With(std::vector<Change> changes) const {
        SortedChunks result;
        result.chunks_.reserve(chunks_.size() + 1);
        auto change = changes.begin();
        for (std::size_t i = 0; i < chunks_.size(); ++i) {
            const Chunk& chunk = *chunks_[i];
            // A change belongs to the first chunk whose last key is not below its own; the
            // last chunk takes what sorts after everything.
            auto end = change;
            if (i + 1 == chunks_.size()) {
                end = changes.end();
            } else {
                const std::string_view last = KeyOf{}(chunk.back());
                while (end != changes.end() && end->key <= last) ++end;
            }
            if (end == change) {
                result.chunks_.push_back(chunks_[i]);
                result.size_ += chunk.size();
                continue;
            }
            result.AddMerged(chunk, change, end);
            change = end;
        }
        if (chunks_.empty()) result.AddMerged(Chunk(), change, changes.end());
        return result;
    }

    /// The value held under `key`; nullptr when there is none. O(log n).
    const T* Find(std::string_view key) const {
        const auto chunk =
            std::lower_bound(chunks_.begin(), chunks_.end(), key,
                             [](const std::shared_ptr<const Chunk>& c, std::string_view k) {
                                 return KeyOf{}(c->back()) < k;
                             });
        if (chunk == chunks_.end()) return nullptr;
        const auto found =
            std::lower_bound((*chunk)->begin(), (*chunk)->end(), key,
                             [](const T& value, std::string_view k) { return KeyOf{}(value) < k; });
        if (found == (*chunk)->end() || KeyOf{}(*found) != key) return nullptr;
        return &*found;
    }

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    const_iterator begin() const { return const_iterator(&chunks_, 0); }
    const_iterator end() const { return const_iterator(&chunks_, chunks_.size()); }

private:
    using ChangeIterator = typename std::vector<Change>::iterator;

    // `chunk` merged with the changes [first, last), appended as one chunk or, grown past
    // twice kChunk, several; nothing when no value is left.
    void AddMerged(const Chunk& chunk, ChangeIterator first, ChangeIterator last) {
        Chunk merged;
        merged.reserve(chunk.size() + static_cast<std::size_t>(last - first));
        auto old = chunk.begin();
        for (ChangeIterator change = first; change != last; ++change) {
            while (old != chunk.end() && KeyOf{}(*old) < change->key) merged.push_back(*old++);
            if (old != chunk.end() && KeyOf{}(*old) == change->key) ++old;
            if (change->value) merged.push_back(std::move(*change->value));
        }
        merged.insert(merged.end(), old, chunk.end());
        if (merged.empty()) return;
        size_ += merged.size();
        if (merged.size() <= 2 * kChunk) {
            chunks_.push_back(std::make_shared<const Chunk>(std::move(merged)));
            return;
        }
        for (std::size_t start = 0; start < merged.size(); start += kChunk) {
            // The last piece takes the rest, so that no piece is left tiny.
            const std::size_t end =
                merged.size() - start < 2 * kChunk ? merged.size() : start + kChunk;
            chunks_.push_back(std::make_shared<const Chunk>(
                std::make_move_iterator(merged.begin() + static_cast<std::ptrdiff_t>(start)),
                std::make_move_iterator(merged.begin() + static_cast<std::ptrdiff_t>(end))));
            if (end == merged.size()) break;
        }
    }

    std::vector<std::shared_ptr<const Chunk>> chunks_;  // never an empty chunk
    std::size_t size_ = 0;
};

}  // namespace styrdok::store
