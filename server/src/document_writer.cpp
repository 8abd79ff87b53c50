#include "document_writer.hpp"

#include <chrono>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "styrdok/core/error.hpp"
#include "styrdok/core/text_limits.hpp"

namespace styrdok::server {

namespace {

// Another program (styrdok import) may hold the index for a moment.
constexpr int kSyncAttempts = 50;
constexpr auto kSyncPause = std::chrono::milliseconds(200);

// Every problem of the text in one line, the size first.
std::string SwedishProblems(const std::vector<core::TextProblem>& problems) {
    std::string message;
    for (const core::TextProblem& problem : problems) {
        if (!message.empty()) message += ' ';
        message += core::SwedishMessage(problem);
    }
    return message;
}

}  // namespace

DocumentWriter::DocumentWriter(RegistryPaths paths, IndexKeeper& keeper)
    : paths_(std::move(paths)), keeper_(keeper), store_(store::Store::Open(paths_.repository)) {
    // A save killed halfway (kill -9) may have left a git lock file; clear it before the
    // first request rather than at the first save, so that `styrdok check` is clean at once.
    store_.RepairInterruptedWrites();
}

std::string DocumentWriter::Save(store::DocumentWrite write, const store::Author& author,
                                 const std::string& message) {
    const std::vector<core::TextProblem> problems = core::TextProblems(write.text);
    std::lock_guard lock(mutex_);
    if (!problems.empty()) {
        const std::optional<store::Document> stored = store_.Read(write.metadata.id);
        if (!stored || stored->text != write.text) {
            const bool too_long = problems.front().limit == core::TextLimit::kBytes;
            throw TextRefused(too_long ? ErrorCode::kTooLarge : ErrorCode::kBadInput,
                              SwedishProblems(problems));
        }
    }
    store::CommitRequest request;
    request.writes.push_back(std::move(write));
    request.author = author;
    request.message = message;
    const std::string version = store_.Commit(request);
    for (int attempt = 1;; ++attempt) {
        try {
            keeper_.Sync();
            return version;
        } catch (const Error& error) {
            if (error.code() != ErrorCode::kConflict || attempt == kSyncAttempts) {
                throw Error(ErrorCode::kInternal, "version " + version +
                                                      " is saved but the index could not be "
                                                      "brought up to it: " +
                                                      error.what());
            }
        }
        std::this_thread::sleep_for(kSyncPause);
    }
}

}  // namespace styrdok::server
