#pragma once

#include <xapian.h>

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>

namespace styrdok::indexer::detail {

/// The term frequencies and the document count of one database as opened, each read once.
/// Reading a search's text asks for the frequencies of its words, their compound parts and
/// the schema's names (ParseSearchText, LabelMatches), the same ones search after search, and
/// each is a lookup in the posting table (a block read or two). They are fixed for a revision:
/// Forget() when the database is reopened. Not thread-safe; the database must outlive it.
class TermStats {
public:
    explicit TermStats(const Xapian::Database& db) : db_(&db) {}

    /// The number of documents with `term`, as Database::get_termfreq.
    Xapian::doccount Freq(const std::string& term) const {
        if (auto found = freqs_.find(term); found != freqs_.end()) return found->second;
        // Bounded whatever the queries: a full memo starts again.
        if (freqs_.size() >= kMaxTerms) freqs_.clear();
        return freqs_.emplace(term, db_->get_termfreq(term)).first->second;
    }

    /// Database::get_doccount.
    Xapian::doccount DocCount() const {
        if (!doccount_) doccount_ = db_->get_doccount();
        return *doccount_;
    }

    void Forget() {
        freqs_.clear();
        doccount_.reset();
    }

private:
    // About 2 MB: far more than the words and names of the queries a revision sees.
    static constexpr std::size_t kMaxTerms = 1 << 15;
    const Xapian::Database* db_;
    mutable std::unordered_map<std::string, Xapian::doccount> freqs_;
    mutable std::optional<Xapian::doccount> doccount_;
};

}  // namespace styrdok::indexer::detail
