#include "stored_hit.hpp"

#include <array>
#include <charconv>
#include <functional>
#include <utility>

#include "terms.hpp"

namespace styrdok::indexer::detail {

namespace {

constexpr std::string_view kTag = "h4;";

// The fields in serialisation order; one list for encoding and decoding keeps them in step.
// The snippet is left out: it depends on the query.
std::array<std::string*, 13> Fields(Hit& h) {
    return {&h.id,         &h.title,         &h.doctype,    &h.dnr,    &h.decided_by,
            &h.decided_on, &h.valid_from,    &h.valid_to,   &h.status, &h.owner,
            &h.version,    &h.in_force_from, &h.in_force_to};
}

void Append(std::string& data, std::string_view field) {
    data += std::to_string(field.size());
    data += ':';
    data += field;
}

// The next field of `data`, which it consumes; nullopt when malformed.
std::optional<std::string_view> Next(std::string_view& data) {
    std::size_t colon = data.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    std::size_t length = 0;
    auto [end, error] = std::from_chars(data.data(), data.data() + colon, length);
    if (error != std::errc{} || end != data.data() + colon) return std::nullopt;
    data.remove_prefix(colon + 1);
    if (length > data.size()) return std::nullopt;
    std::string_view field = data.substr(0, length);
    data.remove_prefix(length);
    return field;
}

}  // namespace

std::string EncodeStoredHit(const Hit& hit, std::string_view states) {
    Hit copy = hit;
    std::string data(kTag);
    for (const std::string* field : Fields(copy)) Append(data, *field);
    Append(data, states);
    return data;
}

std::optional<Hit> DecodeStoredHit(std::string_view data, long day) {
    if (!data.starts_with(kTag)) return std::nullopt;
    data.remove_prefix(kTag.size());
    Hit stored;
    for (std::string* field : Fields(stored)) {
        std::optional<std::string_view> value = Next(data);
        if (!value) return std::nullopt;
        field->assign(*value);
    }
    std::optional<std::string_view> states = Next(data);
    if (!states || !data.empty()) return std::nullopt;
    stored.state = StateOn(*states, day);
    return stored;
}

namespace {

std::size_t BytesOf(const std::string& key, const StoredDocument& document) {
    constexpr std::size_t kOverhead = 160;  // list and map nodes, the control block
    return 2 * key.size() + document.data.size() +
           (document.excerpt ? document.excerpt->size() : 0) + kOverhead;
}

}  // namespace

std::shared_ptr<const StoredDocument> StoredDocuments::Read(const Xapian::Database& db,
                                                            const std::string& revision,
                                                            Xapian::docid did, bool excerpt) {
    std::string key = revision;
    key += '#';
    key += std::to_string(did);
    Shard& shard = shards_[std::hash<std::string>{}(key) % kShards];
    std::shared_ptr<const StoredDocument> kept;
    {
        std::lock_guard lock(shard.mutex);
        if (auto found = shard.by_key.find(key); found != shard.by_key.end()) {
            shard.entries.splice(shard.entries.begin(), shard.entries, found->second);
            kept = found->second->second;
        }
    }
    if (kept && (kept->excerpt || !excerpt)) return kept;

    auto read = std::make_shared<StoredDocument>();
    const Xapian::Document doc = db.get_document(did, Xapian::DOC_ASSUME_VALID);
    read->data = kept ? kept->data : doc.get_data();
    if (excerpt) read->excerpt = doc.get_value(kSlotExcerpt);
    const std::size_t bytes = BytesOf(key, *read);
    if (bytes > shard_bytes_) return read;
    std::lock_guard lock(shard.mutex);
    if (auto found = shard.by_key.find(key); found != shard.by_key.end()) {
        shard.bytes -= BytesOf(key, *found->second->second);
        shard.entries.erase(found->second);
        shard.by_key.erase(found);
    }
    shard.entries.emplace_front(key, read);
    shard.by_key.emplace(std::move(key), shard.entries.begin());
    shard.bytes += bytes;
    while (shard.bytes > shard_bytes_) {
        const Entry& last = shard.entries.back();
        shard.bytes -= BytesOf(last.first, *last.second);
        shard.by_key.erase(last.first);
        shard.entries.pop_back();
    }
    return read;
}

StoredDocuments& StoredDocuments::Shared() {
    static StoredDocuments documents(std::size_t{64} << 20);
    return documents;
}

}  // namespace styrdok::indexer::detail
