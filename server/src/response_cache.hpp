#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http.hpp"
#include "router.hpp"
#include "styrdok/core/date.hpp"

namespace styrdok::server {

/// Finished answers to GET requests whose answer depends only on the repository's HEAD and
/// the date (a document page, its JSON): a registry changes a few times a day and is read all
/// day, so most reads need neither git nor Markdown nor a template. Least recently used
/// answers go first once the bytes held pass the limit. Cleared when HEAD moves (Clear) and
/// when the date changes. Thread-safe.
///
/// Only answers that are the same for every reader may be kept: with accounts, an answer
/// that depends on who asks must bypass the cache.
class ResponseCache {
public:
    /// `max_bytes` 0 keeps nothing.
    explicit ResponseCache(std::size_t max_bytes);

    /// A 200 answer kept for `key` on `today`, if any.
    std::optional<Response> Find(const std::string& key, const core::Date& today);
    /// Which Clear() the cache is at. Read it before computing an answer and hand it to Keep,
    /// so that an answer computed from the old HEAD is never kept after the Clear.
    std::uint64_t generation() const;
    /// Whether Keep compresses a kept answer at once (kNow: pages, which browsers ask for
    /// gzipped) or leaves it to each request that asks for it (kOnRequest: answers that are
    /// kept by the thousand and asked again by few, as searches are, where compressing every
    /// one would cost a fortieth of a search).
    enum class Gzip { kNow, kOnRequest };
    /// Keeps `response` for `key` if it is a 200, fits, and no Clear() came after
    /// `generation`.
    void Keep(const std::string& key, const core::Date& today, std::uint64_t generation,
              const Response& response, Gzip gzip = Gzip::kNow);
    /// Forgets everything: HEAD has moved.
    void Clear();

    std::size_t bytes() const;
    std::size_t entries() const;

private:
    struct Entry {
        std::string key;
        Response response;
        std::size_t bytes;
    };
    void ClearLocked();

    const std::size_t max_bytes_;
    mutable std::mutex mutex_;
    std::uint64_t generation_ = 0;
    std::optional<core::Date> day_;
    std::list<Entry> order_;  // most recently used first
    std::unordered_map<std::string_view, std::list<Entry>::iterator> by_key_;
    std::size_t bytes_ = 0;
};

/// `handler`, answering from `cache` when it can and filling it when not. The key is the
/// request target as sent, so "?at=" and "?version=" are kept apart.
Handler Cached(ResponseCache& cache, std::function<core::Date()> today, Handler handler);

}  // namespace styrdok::server
