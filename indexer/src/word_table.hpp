#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace styrdok::indexer::detail {

/// Words and a value for each, in an open-addressing table by a hash the caller has made of
/// the word already (SnippetTerms::HashWord): a snippet asks about thousands of words a page,
/// and std::unordered_map's hashing again, nodes and allocations were a large part of it.
/// Bounded whatever the words: a table that reaches `max_words` words or `max_bytes` bytes of
/// them starts again. Not thread-safe.
template <typename Value>
class WordTable {
public:
    WordTable(std::size_t max_words, std::size_t max_bytes)
        : max_words_(max_words), max_bytes_(max_bytes) {}

    /// The value kept for `word`, whose hash is `hash`; valid until the next Keep.
    const Value* Find(std::string_view word, std::uint64_t hash) const {
        if (slots_.empty()) return nullptr;
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
            const Slot& slot = slots_[at];
            if (slot.size == 0) return nullptr;
            if (slot.hash == hash && slot.size == word.size() &&
                std::string_view(words_).substr(slot.offset, slot.size) == word) {
                return &slot.value;
            }
        }
    }

    /// Keeps `value` for `word` (not empty, not kept already), whose hash is `hash`; the
    /// value as kept, valid until the next Keep.
    const Value& Keep(std::string_view word, std::uint64_t hash, Value value) {
        if (count_ >= max_words_ || words_.size() + word.size() > max_bytes_) {
            slots_.assign(slots_.size(), Slot{});
            count_ = 0;
            words_.clear();
        }
        if (2 * (count_ + 1) > slots_.size()) Grow();
        const std::size_t mask = slots_.size() - 1;
        std::size_t at = hash & mask;
        while (slots_[at].size != 0) at = (at + 1) & mask;
        slots_[at] = {hash, static_cast<std::uint32_t>(words_.size()),
                      static_cast<std::uint32_t>(word.size()), std::move(value)};
        words_.append(word);
        ++count_;
        return slots_[at].value;
    }

private:
    struct Slot {
        std::uint64_t hash = 0;
        std::uint32_t offset = 0;  ///< of the word in words_
        std::uint32_t size = 0;    ///< 0 for an empty slot (words are never empty)
        Value value{};
    };

    // Twice as many slots (1 024 at first), so that the table stays at most half full.
    void Grow() {
        std::vector<Slot> grown(slots_.empty() ? 1024 : 2 * slots_.size());
        const std::size_t mask = grown.size() - 1;
        for (Slot& slot : slots_) {
            if (slot.size == 0) continue;
            std::size_t at = slot.hash & mask;
            while (grown[at].size != 0) at = (at + 1) & mask;
            grown[at] = std::move(slot);
        }
        slots_ = std::move(grown);
    }

    std::size_t max_words_;
    std::size_t max_bytes_;
    std::vector<Slot> slots_;  ///< a power of two long, at most half full
    std::size_t count_ = 0;
    std::string words_;
};

}  // namespace styrdok::indexer::detail
