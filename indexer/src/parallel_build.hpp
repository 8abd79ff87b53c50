#pragma once

#include <xapian.h>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "styrdok/core/schema.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::indexer::detail {

/// One version as built for the writer, with the database it belongs in already worked out.
struct BuiltVersion {
    Xapian::Document document;
    bool current = false;  ///< InCurrentScope(document): for the current versions' database
};

/// Builds the Xapian documents of every version of each of `ids` (read from `store`; each
/// worker opens the same repository again) on worker threads and hands them to `write` on the
/// calling thread, one document at a time and in the order of `ids`, oldest version first. The
/// order is what makes a rebuild give every version the same document number whatever the threads
/// did; the calling thread is the only one that touches the database, as Xapian requires.
///
/// Reading git, Markdown, stemming and compound splitting run in parallel with the writes, and
/// the workers also free the documents once written; at most a few blocks of documents are
/// alive at a time, so memory stays bounded. `write` must not keep references into `versions`
/// (Xapian's handles are not thread-safe). An exception from a worker or from `write` stops
/// the workers and is rethrown here; no thread outlives the call.
void BuildInParallel(
    const store::Store& store, const core::Schema& schema, const std::vector<std::string>& ids,
    const std::function<void(std::size_t index, const std::vector<BuiltVersion>& versions)>& write);

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
