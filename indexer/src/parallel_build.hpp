#pragma once

#include <xapian.h>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "styrdok/core/schema.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::indexer::detail {

/// Builds the Xapian documents of every version of each of `ids` (read from `store`; each
/// worker opens the same repository again) on worker threads and hands them to `write` on the
/// calling thread, one document at a time and in the order of `ids`, oldest version first. The
/// order is what makes a rebuild give every version the same document number whatever the threads
/// did; the calling thread is the only one that touches the database, as Xapian requires.
///
/// Reading git, Markdown, stemming and compound splitting run in parallel with the writes;
/// at most a few blocks of documents are built ahead of `write`, so memory stays bounded. An
/// exception from a worker or from `write` stops the workers and is rethrown here.
void BuildInParallel(
    const store::Store& store, const core::Schema& schema, const std::vector<std::string>& ids,
    const std::function<void(std::size_t index, std::vector<Xapian::Document>& versions)>& write);

/// Adds the words of `doc` (its unprefixed terms as written, not stems) to the spelling
/// table, as TermGenerator's FLAG_SPELLING would have while indexing it.
void AddSpelling(Xapian::WritableDatabase& db, const Xapian::Document& doc);

}  // namespace styrdok::indexer::detail
