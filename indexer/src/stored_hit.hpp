#pragma once

#include <xapian.h>

#include <array>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "styrdok/indexer/search.hpp"

namespace styrdok::indexer::detail {

/// What a Xapian document's data holds: the fields of a Hit (without snippet and weight), so
/// a search never reads git. It is kept small, since every hit reads it; the excerpt that
/// snippets are cut from is a value slot of its own (terms.hpp), read only for snippets.
/// A compact serialisation: a version tag, then each field as <decimal length>:<bytes>; last
/// the version's states (EncodeStates, terms.hpp), from which Hit::state is read for a day.
std::string EncodeStoredHit(const Hit& hit, std::string_view states);

/// The hit, with `state` as on `day` (DaysSinceEpoch); nullopt when `data` is not in the
/// current serialisation (an index of another format).
std::optional<Hit> DecodeStoredHit(std::string_view data, long day);

/// What a search reads of a hit's Xapian document: its data (EncodeStoredHit) and, once
/// snippets have needed it, its excerpt (kSlotExcerpt).
struct StoredDocument {
    std::string data;
    std::optional<std::string> excerpt;
};

/// The stored documents that this process's searches have read, by database revision and
/// docid, so that a hit shown again is not read again: each read of a document's data and of
/// its excerpt costs a block read (pread) or two, a tenth of a hits-only search. The least
/// recently used go first once the bytes held pass the limit. Thread-safe.
class StoredDocuments {
public:
    /// `max_bytes` 0 keeps nothing.
    explicit StoredDocuments(std::size_t max_bytes) : shard_bytes_(max_bytes / kShards) {}

    /// Document `did` of `db`, a single database (not a combination) whose uuid and revision
    /// `revision` names; with its excerpt when `excerpt`. Throws Xapian errors as reading `db`
    /// does.
    std::shared_ptr<const StoredDocument> Read(const Xapian::Database& db,
                                               const std::string& revision, Xapian::docid did,
                                               bool excerpt);

    /// The documents of the process, shared by its searchers (64 MiB).
    static StoredDocuments& Shared();

private:
    static constexpr std::size_t kShards = 16;
    using Entry = std::pair<std::string, std::shared_ptr<const StoredDocument>>;
    struct Shard {
        std::mutex mutex;
        std::list<Entry> entries;  ///< most recently used first
        std::unordered_map<std::string, std::list<Entry>::iterator> by_key;
        std::size_t bytes = 0;
    };

    std::size_t shard_bytes_;
    std::array<Shard, kShards> shards_;
};

}  // namespace styrdok::indexer::detail
