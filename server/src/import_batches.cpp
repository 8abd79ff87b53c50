#include "import_batches.hpp"

#include <sodium.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "styrdok/core/error.hpp"
#include "styrdok/core/proposal_metadata.hpp"
#include "styrdok/core/utf8.hpp"
#include "styrdok/store/extract.hpp"
#include "styrdok/store/first_page.hpp"
#include "styrdok/store/ocr.hpp"

namespace styrdok::server {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// Bytes of text shown beside a proposal of a file that has no picture.
constexpr std::size_t kPreviewBytes = 1500;

std::string RandomId() {
    unsigned char random[16];
    randombytes_buf(random, sizeof random);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id;
    for (unsigned char byte : random) {
        id += kHex[byte >> 4];
        id += kHex[byte & 15];
    }
    return id;
}

// What the clerk is told of how a PDF was read: nothing for a typed one.
std::string OcrNote(const store::PdfText& pdf) {
    if (pdf.pages_scanned == 0) return "";
    if (!pdf.ocr_problem.empty()) {
        return "Skannade sidor kunde inte läsas med textigenkänning (OCR); förslaget bygger på "
               "filens övriga text.";
    }
    if (pdf.pages_by_ocr == 0) {
        return "Skannade sidor utan text som textigenkänningen (OCR) inte kunde läsa.";
    }
    return "Skannad fil, läst med textigenkänning (OCR): " + std::to_string(pdf.pages_by_ocr) +
           " av " + std::to_string(pdf.pages_total) + " sidor" +
           (pdf.timed_out ? ", avbruten när tiden tog slut." : ".");
}

// The start of `text`, cut before a character that would not fit.
std::string Preview(const std::string& text) {
    std::string_view trimmed = core::Trim(text);
    if (trimmed.size() <= kPreviewBytes) return std::string(trimmed);
    std::size_t end = kPreviewBytes;
    while (end > 0 && (static_cast<unsigned char>(trimmed[end]) & 0xC0) == 0x80) --end;
    return std::string(trimmed.substr(0, end)) + " …";
}

void WriteFile(const fs::path& file, std::string_view content) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) throw Error(ErrorCode::kInternal, "cannot write " + file.string());
}

std::optional<std::string> ReadFile(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream content;
    content << in.rdbuf();
    return std::move(content).str();
}

std::string Stem(const std::string& name) {
    const std::size_t dot = name.find_last_of('.');
    return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

}  // namespace

struct ImportBatches::Batch {
    std::string id;
    std::string owner;
    std::chrono::system_clock::time_point created;
    Clock::time_point touched;
    fs::path folder;
    std::vector<ImportItem> items;
    std::set<std::string> ids;  ///< the document ids proposed so far, kept apart
    bool discarded = false;

    ImportItem* Find(std::size_t number) {
        for (ImportItem& item : items) {
            if (item.number == number) return &item;
        }
        return nullptr;
    }
    fs::path File(std::size_t number, std::string_view extension) const {
        return folder / (std::to_string(number) + std::string(extension));
    }
};

ImportBatches::ImportBatches(fs::path dir, const core::Schema& schema,
                             std::function<core::Date()> today, ImportLimits limits)
    : dir_(std::move(dir)), schema_(schema), today_(std::move(today)), limits_(limits) {
    // What a previous run left: its proposals were in its memory.
    std::error_code error;
    fs::remove_all(dir_, error);
    std::size_t readers = limits_.readers;
    if (readers == 0) readers = std::max<std::size_t>(1, store::ExtractionSlot::Capacity() / 2);
    for (std::size_t i = 0; i < readers; ++i) readers_.emplace_back([this] { ReadLoop(); });
}

ImportBatches::~ImportBatches() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        queue_.clear();
    }
    wake_.notify_all();
    for (std::thread& reader : readers_) reader.join();
}

std::string ImportBatches::Create(const std::string& owner, std::vector<store::Attachment> files) {
    std::lock_guard lock(mutex_);
    SweepLocked();
    const auto own = static_cast<std::size_t>(
        std::count_if(batches_.begin(), batches_.end(),
                      [&owner](const auto& b) { return b.second->owner == owner; }));
    if (own >= limits_.max_batches_per_user) {
        throw Error(ErrorCode::kConflict,
                    "Du har redan " + std::to_string(own) +
                        " inläsningar som inte är klara. Godkänn eller kasta förslagen i någon "
                        "av dem först.");
    }
    if (batches_.size() >= limits_.max_batches) {
        throw Error(ErrorCode::kConflict,
                    "Servern har redan många inläsningar på gång. Försök igen när någon av dem "
                    "är klar.");
    }
    auto batch = std::make_shared<Batch>();
    batch->id = RandomId();
    batch->owner = owner;
    batch->created = std::chrono::system_clock::now();
    batch->touched = Clock::now();
    batch->folder = dir_ / batch->id;
    std::error_code error;
    fs::create_directories(batch->folder, error);
    if (error) throw Error(ErrorCode::kInternal, "cannot create " + batch->folder.string());
    try {
        for (std::size_t i = 0; i < files.size(); ++i) {
            ImportItem item;
            item.number = i + 1;
            item.file_name = std::move(files[i].name);
            WriteFile(batch->File(item.number, ".orig"), files[i].content);
            files[i].content.clear();
            files[i].content.shrink_to_fit();
            batch->items.push_back(std::move(item));
        }
    } catch (...) {
        fs::remove_all(batch->folder, error);
        throw;
    }
    for (const ImportItem& item : batch->items) queue_.push_back({batch, item.number});
    batches_[batch->id] = batch;
    wake_.notify_all();
    return batch->id;
}

std::shared_ptr<ImportBatches::Batch> ImportBatches::FindLocked(const std::string& id,
                                                                const std::string& owner) {
    SweepLocked();
    auto found = batches_.find(id);
    if (found == batches_.end() || found->second->owner != owner) return nullptr;
    found->second->touched = Clock::now();
    return found->second;
}

ImportBatchView ImportBatches::ViewOf(const Batch& batch) {
    ImportBatchView view;
    view.id = batch.id;
    view.created = batch.created;
    view.items = batch.items;
    for (const ImportItem& item : batch.items) {
        if (item.state != ImportItem::State::kWaiting &&
            item.state != ImportItem::State::kReading) {
            ++view.read;
        }
    }
    return view;
}

std::optional<ImportBatchView> ImportBatches::Find(const std::string& id,
                                                   const std::string& owner) {
    std::lock_guard lock(mutex_);
    std::shared_ptr<Batch> batch = FindLocked(id, owner);
    if (!batch) return std::nullopt;
    return ViewOf(*batch);
}

std::optional<ImportItem> ImportBatches::Item(const std::string& id, const std::string& owner,
                                              std::size_t number) {
    std::lock_guard lock(mutex_);
    std::shared_ptr<Batch> batch = FindLocked(id, owner);
    ImportItem* item = batch ? batch->Find(number) : nullptr;
    if (!item) return std::nullopt;
    return *item;
}

std::optional<ImportProgress> ImportBatches::Progress(const std::string& id,
                                                      const std::string& owner) {
    std::lock_guard lock(mutex_);
    std::shared_ptr<Batch> batch = FindLocked(id, owner);
    if (!batch) return std::nullopt;
    ImportProgress progress;
    progress.total = batch->items.size();
    for (const ImportItem& item : batch->items) {
        if (item.state == ImportItem::State::kFailed) ++progress.failed;
        if (item.state != ImportItem::State::kWaiting &&
            item.state != ImportItem::State::kReading) {
            ++progress.read;
        }
    }
    return progress;
}

std::vector<ImportBatchView> ImportBatches::OfOwner(const std::string& owner) {
    std::lock_guard lock(mutex_);
    SweepLocked();
    std::vector<ImportBatchView> views;
    for (const auto& [id, batch] : batches_) {
        if (batch->owner == owner) views.push_back(ViewOf(*batch));
    }
    std::sort(views.begin(), views.end(),
              [](const auto& a, const auto& b) { return a.created > b.created; });
    return views;
}

std::optional<ImportBatches::Content> ImportBatches::ContentOf(const std::string& id,
                                                               const std::string& owner,
                                                               std::size_t number) {
    fs::path folder;
    {
        std::lock_guard lock(mutex_);
        std::shared_ptr<Batch> batch = FindLocked(id, owner);
        ImportItem* item = batch ? batch->Find(number) : nullptr;
        if (!item || item->state != ImportItem::State::kRead) return std::nullopt;
        folder = batch->folder;
    }
    Content content;
    std::optional<std::string> original = ReadFile(folder / (std::to_string(number) + ".orig"));
    std::optional<std::string> text = ReadFile(folder / (std::to_string(number) + ".txt"));
    if (!original || !text) return std::nullopt;
    content.original = std::move(*original);
    content.text = std::move(*text);
    return content;
}

std::optional<fs::path> ImportBatches::ImagePath(const std::string& id, const std::string& owner,
                                                 std::size_t number) {
    std::lock_guard lock(mutex_);
    std::shared_ptr<Batch> batch = FindLocked(id, owner);
    ImportItem* item = batch ? batch->Find(number) : nullptr;
    if (!item || !item->has_image) return std::nullopt;
    return batch->File(number, ".png");
}

bool ImportBatches::MarkAccepted(const std::string& id, const std::string& owner,
                                 std::size_t number, const std::string& document_id,
                                 bool as_draft) {
    std::lock_guard lock(mutex_);
    std::shared_ptr<Batch> batch = FindLocked(id, owner);
    ImportItem* item = batch ? batch->Find(number) : nullptr;
    if (!item || item->state != ImportItem::State::kRead) return false;
    item->state = ImportItem::State::kAccepted;
    item->document_id = document_id;
    item->accepted_as_draft = as_draft;
    item->has_image = false;
    item->preview.clear();
    std::error_code error;
    for (const char* extension : {".orig", ".txt", ".png"}) {
        fs::remove(batch->File(number, extension), error);
    }
    return true;
}

bool ImportBatches::DiscardItem(const std::string& id, const std::string& owner,
                                std::size_t number) {
    std::lock_guard lock(mutex_);
    std::shared_ptr<Batch> batch = FindLocked(id, owner);
    ImportItem* item = batch ? batch->Find(number) : nullptr;
    if (!item) return false;
    // A file being read is dropped when its reader finds it gone.
    std::erase_if(batch->items, [number](const ImportItem& i) { return i.number == number; });
    std::error_code error;
    for (const char* extension : {".orig", ".txt", ".png"}) {
        fs::remove(batch->File(number, extension), error);
    }
    return true;
}

bool ImportBatches::DiscardBatch(const std::string& id, const std::string& owner) {
    std::lock_guard lock(mutex_);
    std::shared_ptr<Batch> batch = FindLocked(id, owner);
    if (!batch) return false;
    batch->discarded = true;
    batches_.erase(id);
    std::error_code error;
    fs::remove_all(batch->folder, error);
    return true;
}

void ImportBatches::SweepLocked() {
    const Clock::time_point now = Clock::now();
    for (auto it = batches_.begin(); it != batches_.end();) {
        if (now - it->second->touched > limits_.lifetime) {
            it->second->discarded = true;
            std::error_code error;
            fs::remove_all(it->second->folder, error);
            it = batches_.erase(it);
        } else {
            ++it;
        }
    }
}

bool ImportBatches::Stopping() {
    std::lock_guard lock(mutex_);
    return stopping_;
}

void ImportBatches::ReadLoop() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            job = std::move(queue_.front());
            queue_.pop_front();
            ImportItem* item = job.batch->discarded ? nullptr : job.batch->Find(job.number);
            if (!item) continue;
            item->state = ImportItem::State::kReading;
        }
        ReadItem(job);
    }
}

void ImportBatches::ReadItem(const Job& job) {
    const Batch& batch = *job.batch;
    std::string file_name;
    {
        std::lock_guard lock(mutex_);
        const ImportItem* item = job.batch->Find(job.number);
        if (!item) return;
        file_name = item->file_name;
    }
    ImportItem read;
    std::string text;
    try {
        std::optional<std::string> bytes = ReadFile(batch.File(job.number, ".orig"));
        if (!bytes) return;  // discarded meanwhile
        const store::FileKind kind = store::FileKindOf(file_name);
        store::ExtractLimits extract;
        extract.slot_wait = limits_.slot_wait;
        if (kind == store::FileKind::kPdf) {
            // As `styrdok propose` reads it: OCR only for the first pages without a text
            // layer (a whole scan, or a scanned decision behind a typed cover), none once
            // the server is stopping.
            store::OcrLimits ocr;
            ocr.slot_wait = limits_.slot_wait;
            try {
                const store::PdfText pdf = store::ReadPdf(*bytes, ocr, !Stopping(), extract);
                text = pdf.text;
                read.note = OcrNote(pdf);
                read.proposal = pdf.read_by_ocr()
                                    ? core::ProposeMetadata(pdf.text, pdf.text_layer, schema_)
                                    : core::ProposeMetadata(pdf.text, schema_);
            } catch (const Error& error) {
                // A whole scan on a server without tesseract: the clerk types the fields.
                if (error.code() != ErrorCode::kUnavailable) throw;
                read.note =
                    "Filen har ingen text och textigenkänning (OCR) finns inte på "
                    "servern. Fyll i uppgifterna själv.";
                read.proposal = core::ProposeMetadata("", schema_);
            }
        } else {
            text = store::ExtractText(kind, *bytes, extract);
            read.proposal = core::ProposeMetadata(text, schema_);
        }
        if (kind == store::FileKind::kPdf && !Stopping()) {
            try {
                read.has_image = store::RenderFirstPage(*bytes, batch.File(job.number, ".png"), {},
                                                        limits_.slot_wait);
            } catch (const Error&) {
                read.has_image = false;  // the proposal stands without its picture
            }
        }
        WriteFile(batch.File(job.number, ".txt"), text);
        read.state = ImportItem::State::kRead;
    } catch (const Error& error) {
        read.state = ImportItem::State::kFailed;
        read.problem = error.code() == ErrorCode::kInternal ? "Filen kunde inte läsas."
                                                            : std::string(error.what());
    } catch (const std::exception&) {
        read.state = ImportItem::State::kFailed;
        read.problem = "Filen kunde inte läsas.";
    }

    std::lock_guard lock(mutex_);
    ImportItem* item = job.batch->Find(job.number);
    if (!item) return;
    item->state = read.state;
    item->problem = std::move(read.problem);
    item->note = std::move(read.note);
    if (read.state != ImportItem::State::kRead) return;
    if (read.proposal.title.value.empty()) {
        std::string stem = Stem(item->file_name);
        read.proposal.title = {core::IsValidUtf8(stem) ? stem : "Dokument",
                               core::Confidence::kGuessed};
    }
    const std::string base = core::IdFromTitle(read.proposal.title.value);
    std::string id = base;
    for (int n = 2; !job.batch->ids.insert(id).second; ++n) {
        id = base.substr(0, 90) + "-" + std::to_string(n);
    }
    item->proposal = std::move(read.proposal);
    item->proposed = core::ProposedMetadata(item->proposal, id, schema_, today_());
    item->has_image = read.has_image;
    item->has_text = !core::Trim(text).empty();
    item->preview = item->has_image ? std::string() : Preview(text);
}

}  // namespace styrdok::server
