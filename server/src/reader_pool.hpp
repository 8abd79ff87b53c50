#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "styrdok/core/schema.hpp"
#include "styrdok/indexer/search.hpp"
#include "styrdok/server/server.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::server {

/// What one request thread reads with: its own git handle and index handle (neither may be
/// shared between threads).
struct Reader {
    store::Store store;
    indexer::Searcher searcher;
    std::uint64_t generation = 0;
};

/// Readers handed out one per request and taken back afterwards, created on demand, so there
/// are never more than the threads that ever ran at once. A reader whose index is older than
/// the last IndexChanged() reopens it before it is handed out. Thread-safe.
class ReaderPool {
public:
    ReaderPool(RegistryPaths paths, const core::Schema& schema);

    class Lease {
    public:
        Lease(ReaderPool& pool, std::unique_ptr<Reader> reader)
            : pool_(&pool), reader_(std::move(reader)) {}
        Lease(Lease&&) noexcept = default;
        Lease& operator=(Lease&&) noexcept = default;
        ~Lease();
        Reader* operator->() const { return reader_.get(); }
        Reader& operator*() const { return *reader_; }

    private:
        ReaderPool* pool_;
        std::unique_ptr<Reader> reader_;
    };

    /// Throws Error(kNotFound) when the repository or the index cannot be opened.
    Lease Acquire();

    /// Says that the index has moved on (a sync committed): readers reopen before next use.
    void IndexChanged() { generation_.fetch_add(1); }

private:
    void Release(std::unique_ptr<Reader> reader);

    RegistryPaths paths_;
    const core::Schema& schema_;
    std::atomic<std::uint64_t> generation_{0};
    std::mutex mutex_;
    std::vector<std::unique_ptr<Reader>> idle_;
};

}  // namespace styrdok::server
