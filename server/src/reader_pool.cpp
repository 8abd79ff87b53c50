#include "reader_pool.hpp"

namespace styrdok::server {

ReaderPool::ReaderPool(RegistryPaths paths, const core::Schema& schema)
    : paths_(std::move(paths)), schema_(schema) {}

ReaderPool::Lease::~Lease() {
    if (pool_ && reader_) pool_->Release(std::move(reader_));
}

ReaderPool::Lease ReaderPool::Acquire() {
    std::unique_ptr<Reader> reader;
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            reader = std::move(idle_.back());
            idle_.pop_back();
        }
    }
    std::uint64_t generation = generation_.load();
    if (!reader) {
        reader = std::make_unique<Reader>(Reader{store::Store::Open(paths_.repository),
                                                 indexer::Searcher::Open(paths_.index_dir, schema_),
                                                 generation});
    } else if (reader->generation != generation) {
        reader->searcher.Reopen();
        reader->generation = generation;
    }
    return Lease(*this, std::move(reader));
}

void ReaderPool::Release(std::unique_ptr<Reader> reader) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(reader));
}

}  // namespace styrdok::server
