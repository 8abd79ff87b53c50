#pragma once

// The import page's batches (issue 20; handlers/import_pages.cpp): originals a clerk uploaded
// at once, read in the background (text, OCR for a scan, the proposal of core::ProposeMetadata,
// a picture of a PDF's first page) and kept until each is accepted or discarded.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "styrdok/core/date.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/propose.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::server {

/// Bounds on what the import page keeps and reads.
struct ImportLimits {
    /// Files one upload may hold (its bytes are bounded by server.max_body_bytes).
    std::size_t max_files = 200;
    /// Batches open at once, for one user and in all; each holds at most one request body.
    std::size_t max_batches_per_user = 5;
    std::size_t max_batches = 20;
    /// A batch nobody has looked at for this long is removed, with its files.
    std::chrono::minutes lifetime{72 * 60};
    /// Files read at once: at most half of the process's extraction slots (at least one), so
    /// that a large batch leaves room for the edit form's uploads and the import.
    std::size_t readers = 0;  ///< 0: half of store::ExtractionSlot::Capacity()
    /// How long a reader waits for an extraction slot before the file is given up.
    std::chrono::milliseconds slot_wait{120'000};
};

/// One file of a batch and what was read from it.
struct ImportItem {
    enum class State { kWaiting, kReading, kRead, kFailed, kAccepted };
    std::size_t number = 0;  ///< 1, 2, … in upload order: the file's address in the batch
    std::string file_name;   ///< a plain name, usable as an attachment's
    State state = State::kWaiting;
    std::string problem;  ///< why it could not be read (kFailed), a Swedish sentence
    std::string note;     ///< how it was read, when worth saying ("Läst med OCR, 2 av 3 sidor")
    core::Proposal proposal;
    core::Metadata proposed;  ///< core::ProposedMetadata of the proposal, the form's values
    std::string preview;      ///< the first part of the text, for files without a picture
    bool has_image = false;   ///< a PNG of the first page is kept (ImportBatches::ImagePath)
    bool has_text = false;    ///< some text was read
    std::string document_id;  ///< once accepted: the document it became
    bool accepted_as_draft = false;
};

/// A batch as one user sees it: a copy, taken under the lock.
struct ImportBatchView {
    std::string id;
    std::chrono::system_clock::time_point created;
    std::vector<ImportItem> items;
    std::size_t read = 0;  ///< items no longer waiting or being read
    bool done() const { return read == items.size(); }
};

/// How far a batch has come, cheap enough to poll.
struct ImportProgress {
    std::size_t total = 0;
    std::size_t read = 0;
    std::size_t failed = 0;
};

/// The open batches, kept under `dir` (the registry's `import/`, outside git): each batch a
/// folder with its originals, the texts read and the pictures; what was proposed is kept in
/// memory, so a restart of the server discards the open batches (the folder is emptied when
/// the object is made). A batch belongs to the user who uploaded it: every lookup takes the
/// user's name and finds nothing of anyone else's. Reading runs on `limits.readers` threads of
/// its own. Thread-safe.
class ImportBatches {
public:
    /// `today` gives the date proposals are checked against (the site's today).
    ImportBatches(std::filesystem::path dir, const core::Schema& schema,
                  std::function<core::Date()> today, ImportLimits limits = {});
    /// Stops the readers: a file being read is finished first, without OCR or its picture when
    /// those have not started (the text extraction's time budget bounds the wait).
    ~ImportBatches();
    ImportBatches(const ImportBatches&) = delete;
    ImportBatches& operator=(const ImportBatches&) = delete;

    const ImportLimits& limits() const { return limits_; }

    /// Keeps `files` (names already plain, kinds already checked) as a new batch of `owner`'s
    /// and queues them to be read; returns the batch's id (32 hex digits). Throws
    /// Error(kConflict) in Swedish when `owner` or the server has as many open batches as the
    /// limits allow, Error(kInternal) when the files cannot be written.
    std::string Create(const std::string& owner, std::vector<store::Attachment> files);

    /// The batch `id` of `owner`; nullopt when there is none (or it is someone else's).
    /// Counts as a look: the batch's lifetime starts again.
    std::optional<ImportBatchView> Find(const std::string& id, const std::string& owner);

    /// One item of the batch, or nullopt.
    std::optional<ImportItem> Item(const std::string& id, const std::string& owner,
                                   std::size_t number);

    /// How far batch `id` of `owner` has come; nullopt when there is none.
    std::optional<ImportProgress> Progress(const std::string& id, const std::string& owner);

    /// `owner`'s open batches, newest first.
    std::vector<ImportBatchView> OfOwner(const std::string& owner);

    /// The original's bytes and the text read from item `number` (state kRead); nullopt when
    /// there is no such item or it is not read.
    struct Content {
        std::string original;
        std::string text;
    };
    std::optional<Content> ContentOf(const std::string& id, const std::string& owner,
                                     std::size_t number);

    /// The PNG of item `number`'s first page, when it has one.
    std::optional<std::filesystem::path> ImagePath(const std::string& id, const std::string& owner,
                                                   std::size_t number);

    /// Records that item `number` became document `document_id` (as a draft or not) and drops
    /// its files. False when the item is gone or was accepted already.
    bool MarkAccepted(const std::string& id, const std::string& owner, std::size_t number,
                      const std::string& document_id, bool as_draft);

    /// Removes item `number` of the batch (not read yet: it is never read). False when absent.
    bool DiscardItem(const std::string& id, const std::string& owner, std::size_t number);

    /// Removes the whole batch and its files. False when there is none.
    bool DiscardBatch(const std::string& id, const std::string& owner);

private:
    struct Batch;
    struct Job {
        std::shared_ptr<Batch> batch;
        std::size_t number;
    };

    void ReadLoop();
    // Whether the object is being destroyed: a reader skips the slow steps (OCR, the picture)
    // of the file it is reading.
    bool Stopping();
    void ReadItem(const Job& job);
    // Removes batches past their lifetime. Holds mutex_.
    void SweepLocked();
    std::shared_ptr<Batch> FindLocked(const std::string& id, const std::string& owner);
    static ImportBatchView ViewOf(const Batch& batch);

    std::filesystem::path dir_;
    const core::Schema& schema_;
    std::function<core::Date()> today_;
    ImportLimits limits_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::map<std::string, std::shared_ptr<Batch>> batches_;
    std::deque<Job> queue_;
    std::vector<std::thread> readers_;
};

}  // namespace styrdok::server
