#include "stored_hit.hpp"

#include <array>
#include <charconv>

namespace styrdok::indexer::detail {

namespace {

constexpr std::string_view kTag = "h3;";

// The fields in serialisation order; one list for encoding and decoding keeps them in step.
// The snippet is left out: it depends on the query.
std::array<std::string*, 13> Fields(Hit& h) {
    return {&h.id,         &h.title,         &h.doctype,    &h.dnr,    &h.decided_by,
            &h.decided_on, &h.valid_from,    &h.valid_to,   &h.status, &h.owner,
            &h.version,    &h.in_force_from, &h.in_force_to};
}

}  // namespace

std::string EncodeStoredHit(const Hit& hit) {
    Hit copy = hit;
    std::string data(kTag);
    for (const std::string* field : Fields(copy)) {
        data += std::to_string(field->size());
        data += ':';
        data += *field;
    }
    return data;
}

std::optional<Hit> DecodeStoredHit(std::string_view data) {
    if (!data.starts_with(kTag)) return std::nullopt;
    data.remove_prefix(kTag.size());
    Hit stored;
    for (std::string* field : Fields(stored)) {
        std::size_t colon = data.find(':');
        if (colon == std::string_view::npos) return std::nullopt;
        std::size_t length = 0;
        auto [end, error] = std::from_chars(data.data(), data.data() + colon, length);
        if (error != std::errc{} || end != data.data() + colon) return std::nullopt;
        data.remove_prefix(colon + 1);
        if (length > data.size()) return std::nullopt;
        field->assign(data.substr(0, length));
        data.remove_prefix(length);
    }
    if (!data.empty()) return std::nullopt;
    return stored;
}

}  // namespace styrdok::indexer::detail
