#include "styrdok/indexer/index.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <exception>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "document_builder.hpp"
#include "facet_column.hpp"
#include "parallel_build.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/validity.hpp"
#include "swedish/swedish.hpp"
#include "terms.hpp"

namespace styrdok::indexer {

namespace {

// Versions written between commits of a long Sync; bounds its memory (see Sync).
constexpr std::size_t kVersionsPerCommit = 2000;

std::optional<std::string> Metadata(const Xapian::Database& db, const char* key) {
    std::string value = db.get_metadata(key);
    if (value.empty()) return std::nullopt;
    return value;
}

// The metadata that says which rules built the index; any difference means a rebuild.
std::vector<std::pair<const char*, std::string>> Descriptor(const core::Schema& schema) {
    return {
        {detail::kMetaFormat, std::to_string(kIndexFormatVersion)},
        {detail::kMetaSchemaName, schema.name()},
        {detail::kMetaSchemaVersion, std::to_string(schema.version())},
        {detail::kMetaLanguage, detail::kLanguage},
    };
}

bool DescriptorMatches(const Xapian::Database& db, const core::Schema& schema) {
    for (const auto& [key, value] : Descriptor(schema)) {
        if (db.get_metadata(key) != value) return false;
    }
    return true;
}

// A last commit that the store does not know (a different repository, history rewritten)
// cannot be caught up from; it only means "start over".
bool CanCatchUp(const store::Store& store, const std::string& last, const std::string& head) {
    try {
        return store.IsAncestor(last, head);
    } catch (const Error&) {
        return false;
    }
}

// Ids of every document that has versions in `db`, from the XID terms: one pass over the
// term list, not over the documents.
void AddIndexedIds(const Xapian::Database& db, std::vector<std::string>& ids) {
    const std::string prefix(detail::kPrefixDocumentId);
    for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
        std::string id = (*it).substr(prefix.size());
        if (!id.empty() && id.front() == ':') id.erase(0, 1);
        ids.push_back(std::move(id));
    }
}

// One word as TermGenerator would index it; a phrase or a symbol ("§") cannot be a synonym
// target, because Xapian uses the target as a term as it stands.
bool IsSingleWord(std::string_view text) {
    if (text.empty()) return false;
    for (char c : text) {
        bool word = (c & 0x80) != 0 || std::isalnum(static_cast<unsigned char>(c)) != 0;
        if (!word) return false;
    }
    return true;
}

// The schema's synonym groups ("region", "landsting"; a body's id, name and abbreviation) as
// Xapian synonyms: every member leads to every other single-word member, unstemmed (as
// capitalised words are indexed under STEM_SOME) and stemmed (to catch inflections).
// Multi-word members work as keys through FLAG_AUTO_MULTIWORD_SYNONYMS. Writes only when the
// table differs; returns whether it wrote.
bool WriteSynonyms(Xapian::WritableDatabase& db, const core::Schema& schema) {
    std::map<std::string, std::set<std::string>> wanted;
    const Xapian::Stem stem = detail::MakeSwedishStem(detail::SwedishLexicon::Default());
    for (const core::SynonymGroup& group : schema.synonyms()) {
        std::vector<std::string> terms;
        for (const std::string& term : group.terms) {
            std::string folded = detail::Fold(term);
            if (!folded.empty()) terms.push_back(std::move(folded));
        }
        for (const std::string& key : terms) {
            for (const std::string& target : terms) {
                if (target == key || !IsSingleWord(target)) continue;
                wanted[key].insert(target);
                wanted[key].insert(std::string("Z").append(stem(target)));
            }
        }
    }
    std::map<std::string, std::set<std::string>> held;
    for (auto key = db.synonym_keys_begin(); key != db.synonym_keys_end(); ++key) {
        held[*key] = {db.synonyms_begin(*key), db.synonyms_end(*key)};
    }
    if (held == wanted) return false;
    for (const auto& [key, targets] : held) db.clear_synonyms(key);
    for (const auto& [key, targets] : wanted) {
        for (const std::string& target : targets) db.add_synonym(key, target);
    }
    return true;
}

// Sets `key` to `value` unless it holds it already; returns whether it wrote. A sync that
// finds nothing to do writes nothing, so it makes no new revision: a reader one revision
// behind keeps reading safely (Xapian recycles the blocks of the revision before the last).
bool SetMetadata(Xapian::WritableDatabase& db, const char* key, const std::string& value) {
    if (db.get_metadata(key) == value) return false;
    db.set_metadata(key, value);
    return true;
}

// The id of the document a version of the index belongs to, from its XID term.
std::string IdOf(const Xapian::Document& doc) {
    const std::string prefix(detail::kPrefixDocumentId);
    auto it = doc.termlist_begin();
    it.skip_to(prefix);
    if (it == doc.termlist_end() || !(*it).starts_with(prefix)) return {};
    std::string id = (*it).substr(prefix.size());
    if (!id.empty() && id.front() == ':') id.erase(0, 1);
    return id;
}

// Whether a version as indexed is the version as built now. The terms include the version's
// unique term (id@commit), and a commit's text and metadata never change, so equal data,
// values and terms (with their wdf) leave only the positions, which the same builder makes
// from that same text alike (any change to the builder bumps kIndexFormatVersion).
// The term lists are walked to their ends rather than counted first: Xapian 1.4 counts a
// stored document's terms by loading each term's positions too, a position-table lookup
// per term, which made a rebuild over an index read that table whole.
bool SameDocument(const Xapian::Document& stored, const Xapian::Document& built) {
    if (stored.get_data() != built.get_data() || stored.values_count() != built.values_count()) {
        return false;
    }
    for (auto a = stored.values_begin(), b = built.values_begin(); a != stored.values_end();
         ++a, ++b) {
        if (a.get_valueno() != b.get_valueno() || *a != *b) return false;
    }
    auto a = stored.termlist_begin();
    auto b = built.termlist_begin();
    for (; a != stored.termlist_end() && b != built.termlist_end(); ++a, ++b) {
        if (*a != *b || a.get_wdf() != b.get_wdf()) return false;
    }
    return a == stored.termlist_end() && b == built.termlist_end();
}

// The index's two databases, read alike: what they hold together, pending changes included.
class Both {
public:
    Both(const Xapian::WritableDatabase& main, const Xapian::WritableDatabase& current)
        : dbs_{&main, &current} {}

    bool Has(const std::string& id) const {
        const std::string term = detail::Term(detail::kPrefixDocumentId, id);
        for (const Xapian::Database* db : dbs_) {
            if (db->term_exists(term)) return true;
        }
        return false;
    }

    // Calls `visit` with every version of the index that carries `term`.
    template <typename Visit>
    void ForEach(const std::string& term, Visit visit) const {
        for (const Xapian::Database* db : dbs_) {
            for (auto it = db->postlist_begin(term); it != db->postlist_end(term); ++it) {
                visit(db->get_document(*it));
            }
        }
    }

    // The first day a successor of `id` is in force, as the successors were last indexed:
    // the earliest kSlotFirstInForce among the newest versions that replace it.
    std::optional<core::Date> ReplacedFrom(const std::string& id) const {
        std::optional<core::Date> first;
        ForEach(detail::Term(detail::kPrefixReplaces, id), [&](const Xapian::Document& doc) {
            std::optional<core::Date> day =
                detail::ValueDate(doc.get_value(detail::kSlotFirstInForce));
            if (day && (!first || *day < *first)) first = day;
        });
        return first;
    }

    // The documents that `id` replaced, as its newest version was last indexed.
    std::vector<std::string> Replaced(const std::string& id) const {
        std::vector<std::string> replaced;
        const std::string prefix(detail::kPrefixReplaces);
        ForEach(detail::Term(detail::kPrefixDocumentId, id), [&](const Xapian::Document& doc) {
            auto it = doc.termlist_begin();
            for (it.skip_to(prefix); it != doc.termlist_end() && (*it).starts_with(prefix); ++it) {
                std::string other = (*it).substr(prefix.size());
                if (!other.empty() && other.front() == ':') other.erase(0, 1);
                replaced.push_back(std::move(other));
            }
        });
        return replaced;
    }

    // The replaced_from the versions of `id` were last indexed with.
    std::optional<core::Date> IndexedReplacedFrom(const std::string& id) const {
        std::optional<core::Date> day;
        ForEach(detail::Term(detail::kPrefixDocumentId, id), [&](const Xapian::Document& doc) {
            if (std::optional<core::Date> own =
                    detail::ValueDate(doc.get_value(detail::kSlotReplacedFrom))) {
                day = own;
            }
        });
        return day;
    }

private:
    std::array<const Xapian::Database*, 2> dbs_;
};

// Ids of the documents with versions in the current versions' database that have crossed a
// boundary by `day`: an interval that ended before it (the version belongs in the other
// database now) or that started by it (its kPrefixStartsOn term is no longer needed).
std::vector<std::string> CrossedBoundaries(const Xapian::Database& current, core::Date day) {
    const std::string key = detail::DayKey(day);
    std::vector<std::string> ids;
    auto collect = [&](std::string_view prefix, auto crossed) {
        const std::string p(prefix);
        for (auto it = current.allterms_begin(p); it != current.allterms_end(p); ++it) {
            if (!crossed((*it).substr(p.size()))) continue;
            for (auto post = current.postlist_begin(*it); post != current.postlist_end(*it);
                 ++post) {
                std::string id = IdOf(current.get_document(*post));
                if (!id.empty()) ids.push_back(std::move(id));
            }
        }
    };
    collect(detail::kPrefixEndsOn, [&](const std::string& last) { return last < key; });
    collect(detail::kPrefixStartsOn, [&](const std::string& first) { return first <= key; });
    return ids;
}

void SortUnique(std::vector<std::string>& ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

// Brings the drafts' database (terms.hpp, kDraftsDatabase) to refs/drafts: a draft is indexed
// again when its head is not the commit its unique term names, or every draft when `redo`
// (or the database was built by other rules), and a draft whose ref is gone (adopted,
// discarded) is removed. Finding nothing to do reads each draft's ref and looks up one term
// per draft, and writes nothing. No spelling data: drafts' words are not to be suggested.
// Returns the drafts indexed or removed.
std::size_t SyncDrafts(const store::Store& store, const core::Schema& schema,
                       Xapian::WritableDatabase& db, bool redo) {
    const std::vector<store::DraftRef> drafts = store.ListDrafts();
    redo = redo || !DescriptorMatches(db, schema);
    std::vector<std::string> ids;  // sorted, as ListDrafts sorts by id
    ids.reserve(drafts.size());
    for (const store::DraftRef& draft : drafts) ids.push_back(draft.id);
    std::size_t count = 0;
    std::vector<std::string> indexed;
    AddIndexedIds(db, indexed);
    for (const std::string& id : indexed) {
        if (std::binary_search(ids.begin(), ids.end(), id)) continue;
        db.delete_document(detail::Term(detail::kPrefixDocumentId, id));
        ++count;
    }
    // Set up only when a draft changed.
    std::optional<detail::DocumentBuilder> builder;
    for (const store::DraftRef& draft : drafts) {
        if (!redo && db.term_exists(detail::UniqueTerm(draft.id, draft.version))) continue;
        const std::string term = detail::Term(detail::kPrefixDocumentId, draft.id);
        // At its head now, which may have moved on since the listing: the unique term names
        // the commit read, so the next sync compares with that.
        std::optional<store::Document> document = store.ReadDraft(draft.id);
        if (document) {
            if (!builder) builder.emplace(schema);
            // Deleted and added rather than replaced: a docid never changes what it holds,
            // which lets the searchers' facet columns (facet_column.hpp) read only new docids.
            db.delete_document(term);
            db.add_document(builder->BuildDraft(*document));
        } else if (db.term_exists(term)) {
            db.delete_document(term);
        } else {
            continue;
        }
        ++count;
    }
    bool wrote = count > 0;
    for (const auto& [key, value] : Descriptor(schema)) wrote |= SetMetadata(db, key, value);
    if (wrote) db.commit();
    return count;
}

[[noreturn]] void FailSync(const std::filesystem::path& path, int error) {
    throw Error(ErrorCode::kInternal,
                "cannot sync the search index (" + path.string() + "): " + std::strerror(error));
}

// fdatasync for a file, fsync for a folder (a rename in it). A file gone meanwhile (Xapian's
// version file is written under another name and renamed) has nothing left to sync.
void SyncPath(const std::filesystem::path& path, bool folder) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (folder ? O_DIRECTORY : 0));
    if (fd < 0) {
        if (errno == ENOENT) return;
        FailSync(path, errno);
    }
    const int rc = folder ? ::fsync(fd) : ::fdatasync(fd);
    const int error = errno;
    ::close(fd);
    if (rc != 0) FailSync(path, error);
}

// The three databases' folders: the main one holds the other two.
std::array<std::filesystem::path, 3> DatabaseFolders(const std::filesystem::path& dir) {
    return {dir / detail::kCurrentDatabase, dir / detail::kDraftsDatabase, dir};
}

// sync_file_range of each piece of the file at `path`, calling `between` after each. Where
// that fails (a file system without it, a disk error), the rest of the file is left to
// FlushIndex's fdatasync, which reports what is wrong.
void WriteBackFile(const std::filesystem::path& path, const std::function<void()>& between) {
#ifdef __linux__
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat status {};
    int rc = ::fstat(fd, &status);
    for (off_t offset = 0; rc == 0 && offset < status.st_size;) {
        const auto piece = static_cast<off_t>(kWriteBackPiece);
        rc = ::sync_file_range(
            fd, offset, piece,
            SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
        offset += piece;
        if (rc == 0 && between) between();
    }
    ::close(fd);
#else
    (void)path;
    (void)between;
#endif
}

// `file` for each file of the index in `dir`'s databases, then `folder` for its folder.
void ForEachDatabaseFile(const std::filesystem::path& dir,
                         const std::function<void(const std::filesystem::path&)>& file,
                         const std::function<void(const std::filesystem::path&)>& folder) {
    for (const std::filesystem::path& database : DatabaseFolders(dir)) {
        std::error_code error;
        for (std::filesystem::directory_iterator it(database, error), end; !error && it != end;
             it.increment(error)) {
            std::error_code ignored;
            if (it->is_regular_file(ignored)) file(it->path());
        }
        if (error && error != std::errc::no_such_file_or_directory) {
            FailSync(database, error.value());
        }
        folder(database);
    }
}

std::optional<std::string> ReadCrashMarker(const std::filesystem::path& dir) {
    std::ifstream in(dir / kCrashMarker);
    if (!in) return std::nullopt;
    std::string boot;
    std::getline(in, boot);
    return boot;
}

// Written under another name, synced and renamed, so that a marker is never seen half
// written; the folder is synced too, or the rename itself could be lost.
void WriteCrashMarker(const std::filesystem::path& dir, const std::string& boot) {
    const std::filesystem::path temporary = dir / (std::string(kCrashMarker) + ".tmp");
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) FailSync(temporary, errno);
    const std::string line = boot + "\n";
    const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    const int error = errno;
    const bool synced = written && ::fsync(fd) == 0;
    ::close(fd);
    if (!written || !synced) FailSync(temporary, written ? errno : error);
    if (::rename(temporary.c_str(), (dir / kCrashMarker).c_str()) != 0) FailSync(dir, errno);
    SyncPath(dir, true);
}

}  // namespace

std::string CurrentBootId() {
    std::ifstream in("/proc/sys/kernel/random/boot_id");
    std::string boot;
    if (in) std::getline(in, boot);
    return boot;
}

void FlushIndex(const std::filesystem::path& dir) {
    ForEachDatabaseFile(
        dir, [](const std::filesystem::path& file) { SyncPath(file, false); },
        [](const std::filesystem::path& folder) { SyncPath(folder, true); });
}

void WriteBackIndex(const std::filesystem::path& dir, const std::function<void()>& between) {
    ForEachDatabaseFile(
        dir, [&between](const std::filesystem::path& file) { WriteBackFile(file, between); },
        [](const std::filesystem::path&) {});
}

std::vector<std::string> CommonestWords(const std::filesystem::path& dir, std::size_t count) {
    const std::filesystem::path path = dir / detail::kCurrentDatabase;
    std::vector<std::pair<Xapian::doccount, std::string>> vocabulary;
    try {
        std::error_code ignored;
        if (!std::filesystem::exists(path / "iamglass", ignored)) return {};
        const Xapian::Database db(path.string());
        for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) {
            vocabulary.emplace_back(it.get_termfreq(), *it);
        }
    } catch (const Xapian::Error& e) {
        throw Error(ErrorCode::kInternal, "cannot read the search index: " + e.get_description());
    }
    count = std::min(count, vocabulary.size());
    const auto end = vocabulary.begin() + static_cast<std::ptrdiff_t>(count);
    std::partial_sort(vocabulary.begin(), end, vocabulary.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    std::vector<std::string> words;
    words.reserve(count);
    for (auto it = vocabulary.begin(); it != end; ++it) words.push_back(std::move(it->second));
    return words;
}

void PrepareWordAnalysis(const std::vector<std::string>& words) {
    const std::shared_ptr<const detail::SwedishLexicon> lexicon = detail::SwedishLexicon::Default();
    const Xapian::Stem stem = detail::MakeSwedishStem(lexicon);
    // What DocumentBuilder asks of the lexicon for a text: each word's stem (TermGenerator)
    // and its compound parts (AddCompoundParts), here for a document of words at a time.
    constexpr std::size_t kWordsPerDocument = 1000;
    for (std::size_t first = 0; first < words.size(); first += kWordsPerDocument) {
        Xapian::Document document;
        const std::size_t last = std::min(words.size(), first + kWordsPerDocument);
        for (std::size_t i = first; i < last; ++i) {
            if (words[i].empty()) continue;
            stem(words[i]);
            document.add_term(words[i]);
        }
        detail::AddCompoundParts(document, *lexicon, stem);
    }
}

void RemoveCrashMarker(const std::filesystem::path& dir) {
    if (::unlink((dir / kCrashMarker).c_str()) != 0) {
        if (errno == ENOENT) return;
        FailSync(dir / kCrashMarker, errno);
    }
    SyncPath(dir, true);
}

struct Index::Impl {
    core::Schema schema;
    Xapian::WritableDatabase main;     ///< every other version, and the metadata
    Xapian::WritableDatabase current;  ///< the current versions (terms.hpp, kCurrentDatabase)
    Xapian::WritableDatabase drafts;   ///< the drafts (terms.hpp, kDraftsDatabase)
    bool distrusted = false;           ///< started over at Open (a marker from another boot)

    // Both at once, on two threads: each writes a few thousand blocks of its own, and a save
    // waits for the slower rather than for both. Both carry the last indexed commit, so a
    // crash that lets one commit and not the other is seen at the next Sync (Index::Sync),
    // which catches up from the older of the two.
    // The docids replaced in place since the last commit, by main and current: the commit
    // logs them (kMetaReplaced) for the facet columns built from an older revision.
    std::vector<Xapian::docid> replaced_main;
    std::vector<Xapian::docid> replaced_current;

    void Commit() {
        for (auto [db, replaced] :
             {std::pair{&main, &replaced_main}, std::pair{&current, &replaced_current}}) {
            if (replaced->empty()) continue;
            db->set_metadata(detail::kMetaReplaced,
                             detail::AppendReplaced(db->get_metadata(detail::kMetaReplaced),
                                                    db->get_revision() + 1, *replaced));
        }
        CommitBoth();
        replaced_main.clear();
        replaced_current.clear();
    }

    void CommitBoth() {
        std::exception_ptr failed;
        std::thread other([this, &failed] {
            try {
                current.commit();
            } catch (...) {
                failed = std::current_exception();
            }
        });
        try {
            main.commit();
        } catch (...) {
            other.join();
            throw;
        }
        other.join();
        if (failed) std::rethrow_exception(failed);
    }
};

Index::Index(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Index::Index(Index&&) noexcept = default;
Index& Index::operator=(Index&&) noexcept = default;
Index::~Index() = default;

Index Index::Open(const std::filesystem::path& dir, const core::Schema& schema,
                  Durability durability, std::optional<std::string> boot_id) {
    const std::string boot = boot_id ? std::move(*boot_id) : CurrentBootId();
    // Without a boot id, a marker could never be told from one of an earlier boot.
    if (boot.empty()) durability = Durability::kSynced;
    try {
        std::filesystem::create_directories(dir);
        const std::optional<std::string> marker = ReadCrashMarker(dir);
        const bool distrusted = marker && (boot.empty() || *marker != boot);
        // Before anything is written unsynced, opening included (it may create the databases).
        if (durability == Durability::kDeferred && !distrusted && marker != boot) {
            WriteCrashMarker(dir, boot);
        }
        // Overwriting reads nothing of the old tables, which may hold pages that never reached
        // the disk; with no descriptor and no last commit, the next Sync rebuilds.
        int flags = distrusted ? Xapian::DB_CREATE_OR_OVERWRITE : Xapian::DB_CREATE_OR_OPEN;
        if (durability == Durability::kDeferred) flags |= Xapian::DB_NO_SYNC;
        Xapian::WritableDatabase main(dir.string(), flags);
        Xapian::WritableDatabase current((dir / detail::kCurrentDatabase).string(), flags);
        Xapian::WritableDatabase drafts((dir / detail::kDraftsDatabase).string(), flags);
        // Only now that the databases are started over: a crash before this point leaves the
        // old boot's marker, and the next Open starts over again.
        if (distrusted) {
            if (durability == Durability::kDeferred) {
                WriteCrashMarker(dir, boot);
            } else {
                RemoveCrashMarker(dir);
            }
        }
        return Index(std::make_unique<Impl>(Impl{
            schema, std::move(main), std::move(current), std::move(drafts), distrusted, {}, {}}));
    } catch (const Xapian::DatabaseLockError&) {
        throw Error(ErrorCode::kConflict, "the search index is being written by another process");
    } catch (const Xapian::Error& e) {
        throw Error(ErrorCode::kInternal,
                    "cannot open the search index in " + dir.string() + ": " + e.get_description());
    } catch (const std::filesystem::filesystem_error& e) {
        throw Error(ErrorCode::kInternal,
                    "cannot create the search index folder: " + std::string(e.what()));
    }
}

bool Index::Distrusted() const { return impl_->distrusted; }

std::optional<std::string> Index::LastIndexedCommit() const {
    try {
        return Metadata(impl_->main, detail::kMetaLastCommit);
    } catch (const Xapian::Error& e) {
        throw Error(ErrorCode::kInternal, "cannot read the search index: " + e.get_description());
    }
}

SyncReport Index::Sync(const store::Store& store, bool rebuild,
                       const std::function<void(std::size_t, std::size_t)>& progress,
                       std::optional<core::Date> today) {
    Xapian::WritableDatabase& main = impl_->main;
    Xapian::WritableDatabase& current = impl_->current;
    const Both both(main, current);
    SyncReport report;
    try {
        report.from = Metadata(main, detail::kMetaLastCommit);
        // The two databases commit at once (Impl::Commit): after a crash between the two
        // ends, one is a commit ahead, and the catch-up starts from the older. An index
        // written before the current versions' database kept its own has none there.
        const std::optional<std::string> current_from = Metadata(current, detail::kMetaLastCommit);
        if (report.from && current_from && *current_from != *report.from &&
            CanCatchUp(store, *current_from, *report.from)) {
            report.from = current_from;
        }
        std::optional<std::string> head = store.Head();
        report.to = head;

        // The current versions' database carries the descriptor too, so that one lost or
        // left from an older format is rebuilt rather than trusted.
        bool full = rebuild || !DescriptorMatches(main, impl_->schema) ||
                    !DescriptorMatches(current, impl_->schema) || !report.from || !head ||
                    !CanCatchUp(store, *report.from, *head);
        std::vector<std::string> changed;
        std::vector<std::string> removed;
        if (full) {
            // Cleared first: Xapian flushes on its own every few thousand documents, and an
            // interrupted rebuild must not look like an index that can be caught up from.
            main.set_metadata(detail::kMetaLastCommit, "");
            current.set_metadata(detail::kMetaLastCommit, "");
            if (head) changed = store.ListDocuments(*head);
            // Documents are rewritten one by one rather than after emptying the database, so
            // readers keep finding every document while a rebuild runs.
            std::vector<std::string> indexed;
            AddIndexedIds(main, indexed);
            AddIndexedIds(current, indexed);
            SortUnique(indexed);
            for (std::string& id : indexed) {
                if (!std::binary_search(changed.begin(), changed.end(), id)) {
                    removed.push_back(std::move(id));
                }
            }
        } else if (*report.from != *head) {
            store::ChangedDocuments changes = store.ChangedBetween(report.from, *head);
            changed = std::move(changes.changed);
            removed = std::move(changes.removed);
        }
        report.rebuilt = full;

        // The day versions are placed by. The current versions' database answers the default
        // search for every day from its recorded day on, so that day only moves forward
        // while versions placed by an earlier one remain; a rebuild places them all again.
        // It is written before any version, so a reader never sees a version placed by a
        // later day than the one recorded.
        core::Date current_day = today.value_or(detail::LocalToday());
        if (!full) {
            const std::optional<core::Date> recorded =
                core::Date::Parse(current.get_metadata(detail::kMetaCurrentDay));
            if (recorded && current_day < *recorded) current_day = *recorded;
            // Versions whose interval ended or began since they were placed move to the
            // database (and terms) that day gives them, which keeps what the default search
            // leaves out short.
            for (std::string& id : CrossedBoundaries(current, current_day)) {
                if (!std::binary_search(removed.begin(), removed.end(), id)) {
                    changed.push_back(std::move(id));
                }
            }
            SortUnique(changed);
        }
        bool wrote = full || !changed.empty() || !removed.empty();
        wrote |= SetMetadata(current, detail::kMetaCurrentDay, current_day.ToString());

        // What the documents about to change or go replaced at their last indexing: those
        // lose or change a successor. A rebuild reads nothing from an index it does not trust.
        std::vector<std::string> relink;
        std::vector<std::optional<core::Date>> replaced_from(changed.size());
        if (!full) {
            for (const std::vector<std::string>* ids : {&changed, &removed}) {
                for (const std::string& id : *ids) {
                    for (std::string& other : both.Replaced(id)) relink.push_back(std::move(other));
                }
            }
            for (std::size_t i = 0; i < changed.size(); ++i) {
                replaced_from[i] = both.ReplacedFrom(changed[i]);
            }
        }

        for (const std::string& id : removed) {
            const std::string term = detail::Term(detail::kPrefixDocumentId, id);
            main.delete_document(term);
            current.delete_document(term);
        }
        // In a fresh database there is nothing to replace; skipping the deletes saves a
        // posting-list lookup per document on a first build.
        bool main_empty = main.get_doccount() == 0;
        bool current_empty = current.get_doccount() == 0;
        // A document's versions as built now replace those indexed before, except the ones
        // that come out the same, which stay as they are: a new version changes the one it
        // follows and adds itself, and rewriting every older version too would make a save's
        // commit grow with the document's history (each version touches a block per term).
        const auto write = [&](const std::string& id, const detail::BuiltDocument& document) {
            std::vector<bool> kept(document.versions.size(), false);
            std::vector<std::pair<Xapian::WritableDatabase*, Xapian::docid>> stale;
            if (!main_empty || !current_empty) {
                const std::string term = detail::Term(detail::kPrefixDocumentId, id);
                for (Xapian::WritableDatabase* db : {&main, &current}) {
                    if (db == &main ? main_empty : current_empty) continue;
                    for (auto it = db->postlist_begin(term); it != db->postlist_end(term); ++it) {
                        const Xapian::Document stored = db->get_document(*it);
                        bool same = false;
                        for (std::size_t i = 0; i < kept.size() && !same; ++i) {
                            const detail::BuiltVersion& version = document.versions[i];
                            same = !kept[i] && version.current == (db == &current) &&
                                   SameDocument(stored, version.document);
                            if (same) kept[i] = true;
                        }
                        if (!same) stale.emplace_back(db, *it);
                    }
                }
            }
            // The stale versions beyond those the new ones take the place of go first.
            for (Xapian::WritableDatabase* db : {&main, &current}) {
                std::size_t needed = 0;
                for (std::size_t i = 0; i < kept.size(); ++i) {
                    needed += !kept[i] && document.versions[i].current == (db == &current);
                }
                for (auto it = stale.begin(); it != stale.end();) {
                    if (it->first != db || needed > 0) {
                        needed -= it->first == db;
                        ++it;
                        continue;
                    }
                    db->delete_document(it->second);
                    it = stale.erase(it);
                }
            }
            for (std::size_t i = 0; i < kept.size(); ++i) {
                if (kept[i]) continue;
                const detail::BuiltVersion& version = document.versions[i];
                Xapian::WritableDatabase& db = version.current ? current : main;
                // A version takes the docid of a stale one of its database where there is
                // one: Xapian then rewrites the posting lists of the terms that differ, a
                // few blocks for an edit of a few words, where a new docid rewrites a block
                // of every term's list twice (the old docid out, the new in).
                const auto reused = std::find_if(stale.begin(), stale.end(),
                                                 [&](const auto& s) { return s.first == &db; });
                if (reused != stale.end()) {
                    db.replace_document(reused->second, version.document);
                    (&db == &current ? impl_->replaced_current : impl_->replaced_main)
                        .push_back(reused->second);
                    stale.erase(reused);
                } else {
                    db.add_document(version.document);
                }
                // A rebuild takes the spelling table from the vocabulary at the end.
                if (!full) detail::AddSpelling(db, version.document);
                ++report.versions;
                // Xapian buffers every change in memory until it flushes, by default every
                // 10 000 documents: over 500 MiB for the generated corpus, and no faster than
                // smaller batches, whose maps stay small enough for the caches. Committing is
                // what Xapian's own flush does, so a reader sees no other states than before;
                // an interrupted Sync leaves the old last commit (or none, on a rebuild), and
                // the next one rewrites these documents again.
                if (report.versions % kVersionsPerCommit == 0) impl_->Commit();
            }
        };
        detail::BuildInParallel(store, impl_->schema, changed, replaced_from, current_day,
                                [&](std::size_t i, const detail::BuiltDocument& document) {
                                    write(changed[i], document);
                                    for (const std::string& other : document.replaces) {
                                        relink.push_back(other);
                                    }
                                    ++report.documents;
                                    if (progress) progress(i + 1, changed.size());
                                });

        // A document whose successors appeared, changed or went is indexed again with the day
        // its successors now take over from, read from the index as it stands with this
        // sync's documents in it. Only when that day differs from the one it was indexed with.
        SortUnique(relink);
        std::vector<std::string> again;
        std::vector<std::optional<core::Date>> again_from;
        for (const std::string& id : relink) {
            if (!both.Has(id)) continue;
            const std::optional<core::Date> from = both.ReplacedFrom(id);
            const auto found = std::lower_bound(changed.begin(), changed.end(), id);
            const std::optional<core::Date> indexed_with =
                found != changed.end() && *found == id
                    ? replaced_from[static_cast<std::size_t>(found - changed.begin())]
                    : both.IndexedReplacedFrom(id);
            if (from == indexed_with) continue;
            again.push_back(id);
            again_from.push_back(from);
        }
        if (!again.empty()) {
            main_empty = false;
            current_empty = false;
            detail::BuildInParallel(
                store, impl_->schema, again, again_from, current_day,
                [&](std::size_t i, const detail::BuiltDocument& document) {
                    write(again[i], document);
                    // Counted once, however many passes wrote it.
                    if (!std::binary_search(changed.begin(), changed.end(), again[i])) {
                        ++report.documents;
                    }
                });
        }
        // Once per word rather than once per word of each document: the writer is what a
        // rebuild waits for. A rebuild over an older index also drops the counts of the
        // documents it rewrote, which would otherwise count twice.
        if (full) {
            detail::SpellingFromVocabulary(current);
            detail::SpellingFromVocabulary(main);
        }

        // Both databases hold the synonyms: the default search parses against the current
        // versions alone.
        wrote |= WriteSynonyms(main, impl_->schema);
        wrote |= WriteSynonyms(current, impl_->schema);
        for (const auto& [key, value] : Descriptor(impl_->schema)) {
            wrote |= SetMetadata(main, key, value);
            wrote |= SetMetadata(current, key, value);
        }
        wrote |= SetMetadata(main, detail::kMetaLastCommit, head.value_or(""));
        wrote |= SetMetadata(current, detail::kMetaLastCommit, head.value_or(""));
        if (wrote) impl_->Commit();

        // After main: an adopted draft leaves the drafts' database once its version on main
        // is in the other two.
        report.drafts = SyncDrafts(store, impl_->schema, impl_->drafts, rebuild);
    } catch (const Xapian::Error& e) {
        throw Error(ErrorCode::kInternal, "cannot update the search index: " + e.get_description());
    }
    return report;
}

}  // namespace styrdok::indexer
