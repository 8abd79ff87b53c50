#pragma once

#include <xapian.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "styrdok/core/date.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::indexer::detail {

/// One version as built for the writer, with the database it belongs in already worked out.
struct BuiltVersion {
    Xapian::Document document;
    /// For the current versions' database: its force interval had not ended on the day
    /// versions are placed by (terms.hpp).
    bool current = false;
};

/// Every version of one document, oldest first, and its links to the documents it replaces.
struct BuiltDocument {
    std::vector<BuiltVersion> versions;
    /// The documents its newest adopted version replaces (core::ReplacedDocuments).
    std::vector<std::string> replaces;
};

/// Builds the Xapian documents of every version of each of `ids` (read from `store`; each
/// worker opens the same repository again) on worker threads and hands them to `write` on the
/// calling thread, one document at a time and in the order of `ids`, oldest version first.
/// `replaced_from[i]` is the first day a successor of `ids[i]` is in force, if any (its
/// versions' intervals end the day before); `current_day` is the day versions are placed by.
/// The
/// order is what makes a rebuild give every version the same document number whatever the threads
/// did; the calling thread is the only one that touches the database, as Xapian requires.
///
/// Reading git, Markdown, stemming and compound splitting run in parallel with the writes, and
/// the workers also free the documents once written; at most a few blocks of documents are
/// alive at a time, so memory stays bounded. `write` must not keep references into `document`
/// (Xapian's handles are not thread-safe). An exception from a worker or from `write` stops
/// the workers and is rethrown here; no thread outlives the call.
void BuildInParallel(
    const store::Store& store, const core::Schema& schema, const std::vector<std::string>& ids,
    const std::vector<std::optional<core::Date>>& replaced_from, core::Date current_day,
    const std::function<void(std::size_t index, const BuiltDocument& document)>& write);

/// Adds the words of `doc` (its unprefixed terms as written, not stems) to the spelling
/// table, as TermGenerator's FLAG_SPELLING would have while indexing it.
void AddSpelling(Xapian::WritableDatabase& db, const Xapian::Document& doc);

/// Makes `db`'s spelling table its vocabulary: every word with its collection frequency, the
/// table AddSpelling on each of its documents gives a fresh database, in a fraction of the
/// writer's time. Words of documents rewritten or deleted since count once, or not at all.
/// Commits `db`, first and every so many changes, which bounds the memory of the pending
/// spelling changes.
void SpellingFromVocabulary(Xapian::WritableDatabase& db);

}  // namespace styrdok::indexer::detail
