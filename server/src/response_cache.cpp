#include "response_cache.hpp"

#include <utility>

namespace styrdok::server {

namespace {

// The answer as kept: its body (and gzip, with kNow) moved into shared strings that every
// answer from the cache sends without copying.
Response Shared(Response response, ResponseCache::Gzip gzip) {
    if (!response.shared_body) {
        response.shared_body = std::make_shared<const std::string>(std::move(response.body));
        response.body.clear();
    }
    if (gzip == ResponseCache::Gzip::kNow && !response.shared_gzip &&
        response.shared_body->size() >= kGzipFromBytes && IsCompressible(response.content_type)) {
        response.shared_gzip = std::make_shared<const std::string>(Gzip(*response.shared_body));
    }
    return response;
}

// What an entry holds besides its strings' characters and the Response itself: the list
// node and the index's node and bucket, the shared body's control block, and the allocator's
// headers of every one of them (some 200 bytes, measured with glibc). Anyone can make a new
// key by adding a query string that no handler reads; a flood of tiny answers must not hold
// twice the limit because this went uncounted.
constexpr std::size_t kEntryBookkeeping = 256;

std::size_t SizeOf(const std::string& key, const Response& response) {
    std::size_t bytes = kEntryBookkeeping + key.size() + response.Payload().size() +
                        (response.shared_gzip ? response.shared_gzip->size() : 0) +
                        response.content_type.size() + response.etag.size() +
                        response.cache_control.size() + sizeof(Response);
    for (const auto& [name, value] : response.headers) bytes += name.size() + value.size();
    return bytes;
}

}  // namespace

ResponseCache::ResponseCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

std::optional<Response> ResponseCache::Find(const std::string& key, const core::Date& today) {
    std::lock_guard lock(mutex_);
    if (day_ != today) {
        // Banners ("not yet in force") and the version in force change with the date.
        ClearLocked();
        day_ = today;
        return std::nullopt;
    }
    auto found = by_key_.find(key);
    if (found == by_key_.end()) return std::nullopt;
    order_.splice(order_.begin(), order_, found->second);
    return found->second->response;
}

std::uint64_t ResponseCache::generation() const {
    std::lock_guard lock(mutex_);
    return generation_;
}

void ResponseCache::Keep(const std::string& key, const core::Date& today, std::uint64_t generation,
                         const Response& response, Gzip gzip) {
    if (response.status != 200) return;
    // One huge answer must not push out everything else.
    if (SizeOf(key, response) > max_bytes_ / 8) return;
    // Copied and compressed outside the lock.
    Response kept = Shared(response, gzip);
    const std::size_t bytes = SizeOf(key, kept);
    std::lock_guard lock(mutex_);
    if (generation != generation_) return;
    if (day_ != today) {
        ClearLocked();
        day_ = today;
    }
    if (by_key_.contains(key)) return;  // another thread answered the same request first
    order_.push_front(Entry{key, std::move(kept), bytes});
    by_key_.emplace(order_.front().key, order_.begin());
    bytes_ += bytes;
    while (bytes_ > max_bytes_ && !order_.empty()) {
        bytes_ -= order_.back().bytes;
        by_key_.erase(order_.back().key);
        order_.pop_back();
    }
}

void ResponseCache::Clear() {
    std::lock_guard lock(mutex_);
    ClearLocked();
    ++generation_;
}

void ResponseCache::ClearLocked() {
    by_key_.clear();
    order_.clear();
    bytes_ = 0;
}

std::size_t ResponseCache::bytes() const {
    std::lock_guard lock(mutex_);
    return bytes_;
}

std::size_t ResponseCache::entries() const {
    std::lock_guard lock(mutex_);
    return order_.size();
}

Handler Cached(ResponseCache& cache, std::function<core::Date()> today, Handler handler) {
    return [&cache, today = std::move(today), handler = std::move(handler)](
               const Request& request, const PathParams& params) {
        const core::Date day = today();
        if (std::optional<Response> kept = cache.Find(request.target, day)) return *kept;
        const std::uint64_t generation = cache.generation();
        Response response = handler(request, params);
        cache.Keep(request.target, day, generation, response);
        return response;
    };
}

}  // namespace styrdok::server
