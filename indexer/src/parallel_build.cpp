#include "parallel_build.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "document_builder.hpp"
#include "styrdok/core/validity.hpp"
#include "styrdok/store/store.hpp"
#include "terms.hpp"

namespace styrdok::indexer::detail {

namespace {

// Documents per unit of work: large enough that handing over costs nothing, small enough
// that the writer never waits long for the first one.
constexpr std::size_t kBlockSize = 16;
// Blocks built ahead of the writer, per worker; bounds memory on any registry size.
constexpr std::size_t kBlocksAheadPerWorker = 4;

// Every version of one document, oldest first, with the interval each was in force and the
// days each stands for the document.
BuiltDocument BuildVersions(const store::Store& store, DocumentBuilder& builder,
                            const std::string& id, std::optional<core::Date> replaced_from,
                            core::Date current_day) {
    std::vector<store::Document> versions = store.Versions(id);
    std::vector<core::Metadata> metadata;
    metadata.reserve(versions.size());
    for (const store::Document& version : versions) metadata.push_back(version.metadata);
    const std::vector<std::optional<core::ForceInterval>> intervals =
        core::ForceIntervals(metadata, replaced_from);
    const std::vector<core::StateSpan> spans = core::DocumentTimeline(metadata, intervals);

    BuiltDocument built;
    for (std::size_t j = metadata.size(); j > 0; --j) {
        if (metadata[j - 1].status != core::Status::kDraft) {
            built.replaces = core::ReplacedDocuments(metadata[j - 1]);
            break;
        }
    }
    built.versions.reserve(versions.size());
    for (std::size_t j = 0; j < versions.size(); ++j) {
        VersionFacts facts;
        facts.interval = intervals[j];
        facts.latest = j + 1 == versions.size();
        for (const core::StateSpan& span : spans) {
            if (span.version == j) facts.spans.push_back(span);
        }
        // A draft newest version stands for itself: drafts are found whatever the day.
        if (facts.latest && metadata[j].status == core::Status::kDraft) {
            facts.spans = {{std::nullopt, std::nullopt, j, core::ForceState::kDraft}};
        }
        if (facts.latest) {
            facts.replaces = built.replaces;
            facts.first_in_force = core::FirstDayReplacing(metadata);
            facts.replaced_from = replaced_from;
        }
        BuiltVersion& version = built.versions.emplace_back();
        version.current =
            facts.interval && (!facts.interval->to || *facts.interval->to >= current_day);
        if (version.current) facts.current_day = current_day;
        version.document = builder.Build(versions[j], facts);
    }
    return built;
}

struct Block {
    std::vector<BuiltDocument> documents;
    std::exception_ptr error;
};

// The blocks between the workers and the writer. Workers claim block numbers in order; the
// writer takes them in order and gives them back once written, because freeing thousands of
// documents is work the writer, the bottleneck, need not do; a worker frees the given-back
// blocks before it claims again, and waits while it is too far ahead.
class Pipeline {
public:
    Pipeline(std::size_t blocks, std::size_t ahead) : slots_(blocks), ahead_(ahead) {}

    struct Job {
        std::vector<Block> spent;          // to free
        std::optional<std::size_t> build;  // the block number to build, if any is left
        bool last = false;                 // the writer has stopped: no more jobs
    };

    // Waits for something to do. Once all blocks are claimed, workers stay for the blocks still
    // to be given back, until the writer stops.
    Job Next() {
        std::unique_lock lock(mutex_);
        space_.wait(lock, [&] { return stopped_ || !spent_.empty() || CanClaim(); });
        Job job;
        job.spent.swap(spent_);
        if (stopped_) {
            job.last = true;
        } else if (CanClaim()) {
            job.build = next_claim_++;
        }
        return job;
    }

    void Deliver(std::size_t number, Block block) {
        std::lock_guard lock(mutex_);
        slots_[number] = std::move(block);
        ready_.notify_all();
    }

    Block Take(std::size_t number) {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return slots_[number].has_value(); });
        Block block = std::move(*slots_[number]);
        slots_[number].reset();
        taken_ = number + 1;
        space_.notify_all();
        return block;
    }

    // Given-back blocks wait only while every worker is building, so they are never more
    // than the writer can take meanwhile: the blocks built ahead.
    void GiveBack(Block block) {
        std::lock_guard lock(mutex_);
        spent_.push_back(std::move(block));
        space_.notify_one();
    }

    void Stop() {
        std::lock_guard lock(mutex_);
        stopped_ = true;
        space_.notify_all();
    }

private:
    bool CanClaim() const { return next_claim_ < slots_.size() && next_claim_ < taken_ + ahead_; }

    std::mutex mutex_;
    std::condition_variable ready_;
    std::condition_variable space_;
    std::vector<std::optional<Block>> slots_;
    std::vector<Block> spent_;
    std::size_t ahead_;
    std::size_t next_claim_ = 0;
    std::size_t taken_ = 0;
    bool stopped_ = false;
};

// Joins the workers however the writer leaves, so that none outlives the pipeline.
class Workers {
public:
    explicit Workers(Pipeline& pipeline) : pipeline_(pipeline) {}
    ~Workers() {
        pipeline_.Stop();
        for (std::thread& thread : threads_) thread.join();
    }
    template <typename F>
    void Start(std::size_t count, F body) {
        for (std::size_t i = 0; i < count; ++i) threads_.emplace_back(body);
    }

private:
    Pipeline& pipeline_;
    std::vector<std::thread> threads_;
};

// Words as written, which go to the spelling table: prefixed terms (boolean fields, stems
// "Z…", title "S…") start with a capital; a word starts with a small letter, a digit or a
// non-ASCII letter.
bool IsWord(const std::string& term) {
    const auto first = static_cast<unsigned char>(term.front());
    return !(first >= 'A' && first <= 'Z');
}

// Changes to the spelling table between commits. Xapian holds the pending changes in memory,
// about 1 KiB a word, and adds more slowly as they grow.
constexpr std::size_t kSpellingWordsPerCommit = 50'000;

}  // namespace

void BuildInParallel(
    const store::Store& store, const core::Schema& schema, const std::vector<std::string>& ids,
    const std::vector<std::optional<core::Date>>& replaced_from, core::Date current_day,
    const std::function<void(std::size_t index, const BuiltDocument& document)>& write) {
    const std::size_t blocks = (ids.size() + kBlockSize - 1) / kBlockSize;
    if (blocks <= 1) {
        // A few documents (a single save): threads would only add their start-up.
        DocumentBuilder builder(schema);
        for (std::size_t i = 0; i < ids.size(); ++i) {
            write(i, BuildVersions(store, builder, ids[i], replaced_from[i], current_day));
        }
        return;
    }
    const std::size_t worker_count =
        std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
    Pipeline pipeline(blocks, worker_count * kBlocksAheadPerWorker);
    Workers workers(pipeline);
    workers.Start(worker_count, [&] {
        // Each worker reads git through its own repository handle: libgit2 objects are not
        // shared between threads.
        std::optional<store::Store> own_store;
        std::optional<DocumentBuilder> builder;
        for (;;) {
            Pipeline::Job job = pipeline.Next();
            job.spent.clear();
            if (job.last) break;
            if (!job.build) continue;
            Block block;
            try {
                if (!own_store) own_store.emplace(store::Store::Open(store.path()));
                if (!builder) builder.emplace(schema);
                const std::size_t end = std::min(ids.size(), (*job.build + 1) * kBlockSize);
                for (std::size_t i = *job.build * kBlockSize; i < end; ++i) {
                    block.documents.push_back(
                        BuildVersions(*own_store, *builder, ids[i], replaced_from[i], current_day));
                }
            } catch (...) {
                block.documents.clear();
                block.error = std::current_exception();
            }
            pipeline.Deliver(*job.build, std::move(block));
        }
    });
    for (std::size_t number = 0; number < blocks; ++number) {
        Block block = pipeline.Take(number);
        if (block.error) std::rethrow_exception(block.error);
        for (std::size_t k = 0; k < block.documents.size(); ++k) {
            write(number * kBlockSize + k, block.documents[k]);
        }
        pipeline.GiveBack(std::move(block));
    }
}

void AddSpelling(Xapian::WritableDatabase& db, const Xapian::Document& doc) {
    for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
        const std::string& term = *it;
        if (IsWord(term)) db.add_spelling(term, it.get_wdf());
    }
}

void SpellingFromVocabulary(Xapian::WritableDatabase& db) {
    // The table as it stands; committed first, so that its word list is what is on disk.
    db.commit();
    std::map<std::string, Xapian::termcount> held;
    for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) {
        held.emplace(*it, it.get_termfreq());
    }
    std::string next;  // the first term not yet looked at
    for (;;) {
        {
            Xapian::TermIterator it = db.allterms_begin();
            it.skip_to(next);
            std::size_t changes = 0;
            for (; it != db.allterms_end() && changes < kSpellingWordsPerCommit; ++it) {
                const std::string& term = *it;
                if (!IsWord(term)) continue;
                const Xapian::termcount wanted = db.get_collection_freq(term);
                Xapian::termcount now = 0;
                if (auto found = held.find(term); found != held.end()) {
                    now = found->second;
                    held.erase(found);
                }
                if (wanted > now) {
                    db.add_spelling(term, wanted - now);
                } else if (wanted < now) {
                    db.remove_spelling(term, now - wanted);
                } else {
                    continue;
                }
                ++changes;
            }
            if (it == db.allterms_end()) break;
            next = *it;
        }
        // With the iterator gone: its cursor is not meant to span a commit.
        db.commit();
    }
    // Words no document has any more.
    for (const auto& [word, frequency] : held) db.remove_spelling(word, frequency);
}

}  // namespace styrdok::indexer::detail
