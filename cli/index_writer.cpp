#include "index_writer.hpp"

#include <algorithm>
#include <iostream>
#include <thread>

#include "styrdok/core/error.hpp"

namespace styrdok::cli {

indexer::Index OpenIndexForWriting(const Registry& registry, const std::string& committed,
                                   std::chrono::milliseconds patience) {
    using Clock = std::chrono::steady_clock;
    const Clock::time_point give_up = Clock::now() + patience;
    // Short at first, since a server's sync is over in milliseconds; then gentler.
    std::chrono::milliseconds pause{10};
    bool said = false;
    for (;;) {
        try {
            return indexer::Index::Open(registry.index_dir(), registry.schema());
        } catch (const Error& error) {
            // Index::Open's only kConflict: another process holds the write lock.
            if (error.code() != ErrorCode::kConflict) throw;
            if (Clock::now() >= give_up) {
                const auto waited = std::chrono::duration_cast<std::chrono::seconds>(patience);
                std::string message = std::string(error.what()) + " (waited " +
                                      std::to_string(waited.count()) + " s)";
                message +=
                    committed.empty()
                        ? ": a running `styrdok serve` indexes the repository by itself"
                        : "; " + committed +
                              " is committed: a running `styrdok serve` indexes it by itself";
                throw Error(ErrorCode::kConflict,
                            message +
                                ", otherwise run `styrdok index` once the other process "
                                "is done");
            }
            if (!said) {
                std::cerr << "Waiting for the search index: another process is writing it\n";
                said = true;
            }
        }
        std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(
            pause, std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::max(give_up - Clock::now(), Clock::duration::zero()))));
        pause = std::min(pause * 2, std::chrono::milliseconds(500));
    }
}

}  // namespace styrdok::cli
