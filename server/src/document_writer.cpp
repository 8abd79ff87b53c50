#include "document_writer.hpp"

#include <chrono>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "styrdok/core/error.hpp"
#include "styrdok/core/review_decision.hpp"
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

DocumentWriter::DocumentWriter(RegistryPaths paths, IndexKeeper& keeper,
                               store::SnapshotCache& snapshots, bool follower)
    : paths_(std::move(paths)),
      keeper_(keeper),
      snapshots_(snapshots),
      store_(store::Store::Open(paths_.repository)) {
    // A save (or a follower's fetch) killed halfway (kill -9) may have left a git lock file;
    // clear it before the first request rather than at the first save, so that `styrdok
    // check` is clean at once.
    store_.RepairInterruptedWrites();
    if (!follower) {
        // Fanned out first, so that the drafts' migration writes main in the new layout.
        store_.MigrateLayout({"Styrdok", "styrdok@styrdok.invalid"});
        store_.MigrateDraftsOffMain({"Styrdok", "styrdok@styrdok.invalid"});
    }
}

void DocumentWriter::CheckText(const std::string& text,
                               const std::optional<store::Document>& stored) {
    const std::vector<core::TextProblem> problems = core::TextProblems(text);
    if (problems.empty() || (stored && stored->text == text)) return;
    const bool too_long = problems.front().limit == core::TextLimit::kBytes;
    throw TextRefused(too_long ? ErrorCode::kTooLarge : ErrorCode::kBadInput,
                      SwedishProblems(problems));
}

void DocumentWriter::SyncIndex(const std::string& saved) {
    for (int attempt = 1;; ++attempt) {
        try {
            keeper_.Sync();
            return;
        } catch (const Error& error) {
            if (error.code() != ErrorCode::kConflict || attempt == kSyncAttempts) {
                throw Error(ErrorCode::kInternal, saved +
                                                      " is saved but the index could not be "
                                                      "brought up to it: " +
                                                      error.what());
            }
        }
        std::this_thread::sleep_for(kSyncPause);
    }
}

void DocumentWriter::AdvanceSnapshot(const std::string& version, const std::string& id) {
    try {
        snapshots_.Advance(store_, version, {id});
    } catch (const Error&) {
        // The version is saved whatever happens here; the next reader brings the snapshot to
        // it by comparing trees (SnapshotCache::At) and meets the error itself, if it stays.
    }
}

std::string DocumentWriter::Save(store::DocumentWrite write, const store::Author& author,
                                 const std::string& message) {
    std::lock_guard lock(mutex_);
    const IndexKeeper::Writing writing(keeper_);
    CheckText(write.text, store_.Read(write.metadata.id));
    store::CommitRequest request;
    request.writes.push_back(std::move(write));
    request.author = author;
    request.message = message;
    const std::string id = request.writes.front().metadata.id;
    const std::string version = store_.Commit(request);
    AdvanceSnapshot(version, id);
    SyncIndex("version " + version);
    return version;
}

std::string DocumentWriter::SaveAll(std::vector<store::DocumentWrite> writes,
                                    const store::Author& author, const std::string& message) {
    std::lock_guard lock(mutex_);
    const IndexKeeper::Writing writing(keeper_);
    for (const store::DocumentWrite& write : writes) {
        CheckText(write.text, store_.Read(write.metadata.id));
    }
    store::CommitRequest request;
    request.writes = std::move(writes);
    request.author = author;
    request.message = message;
    const std::string version = store_.Commit(request);
    SyncIndex("version " + version);
    return version;
}

std::string DocumentWriter::SaveDraft(store::DocumentWrite write, const store::Author& author,
                                      const std::string& message) {
    std::lock_guard lock(mutex_);
    const IndexKeeper::Writing writing(keeper_);
    std::optional<store::Document> stored = store_.ReadDraft(write.metadata.id);
    if (!stored) stored = store_.Read(write.metadata.id);
    CheckText(write.text, stored);
    const std::string version = store_.CommitDraft(write, author, message);
    SyncIndex("draft version " + version);
    return version;
}

std::string DocumentWriter::Adopt(const core::Metadata& metadata,
                                  const std::string& expected_version, const store::Author& author,
                                  const std::string& message) {
    std::lock_guard lock(mutex_);
    const IndexKeeper::Writing writing(keeper_);
    const std::optional<store::Document> decided = store_.Read(metadata.id);
    const std::string version = store_.AdoptDraft(
        metadata.id, decided ? core::WithReviewRecordOf(metadata, decided->metadata) : metadata,
        expected_version, author, message);
    AdvanceSnapshot(version, metadata.id);
    SyncIndex("version " + version);
    return version;
}

void DocumentWriter::WarmUp() {
    std::lock_guard lock(mutex_);
    store_.IndexHistory();
}

void DocumentWriter::Discard(const std::string& id, const std::string& expected_version) {
    std::lock_guard lock(mutex_);
    const IndexKeeper::Writing writing(keeper_);
    store_.DiscardDraft(id, expected_version);
    SyncIndex("the discarding of the draft of " + id);
}

}  // namespace styrdok::server
