#pragma once

#include <xapian.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "styrdok/core/schema.hpp"
#include "term_stats.hpp"

namespace styrdok::indexer::detail {

/// The schema's names of metadata values as search words: a doctype's label and plural, a
/// body's name and abbreviation, a goal area's name. A word of such a name finds the
/// documents with that value (decided or owned by the body, of the type, in the goal area)
/// through the value's boolean term, at a fixed weight: what the word weighs once in a text
/// (its idf), half that for a part.
///
/// The names are not indexed as text: each is shared by thousands of documents, so a word
/// of one (folkhälsa, nämnden, policy) had a list of thousands that every search for it
/// walked to the end. A fixed weight is the most such a match can add, so once the page is
/// filled with better matches the matcher skips the rest (OP_OR turns into OP_AND_MAYBE).
/// Names are read through the same stemmer and compound splitting as texts, so inflections
/// and compound parts find them as they find a text ("nämnd" finds Socialnämnden, at the
/// weight of a part).
class LabelMatches {
public:
    /// Names read with the lexicon and stemmer of the index (SwedishLexicon::Default()).
    explicit LabelMatches(const core::Schema& schema);

    /// `query` (as the query parser wrote it, before compound expansion) with every word and
    /// synonym group that is in a name also finding the documents with that name's value.
    /// Phrases, NEAR and what is excluded keep their exact meaning.
    /// Weights are those of the database searched, whose frequencies `stats` reads. The
    /// words for which `leave_out` is true find no names.
    Xapian::Query Add(const Xapian::Query& query, const TermStats& stats,
                      const std::function<bool(const std::string&)>& leave_out = {}) const;

private:
    /// The documents the terms of `leaves` name, at the weight of a whole word or a part;
    /// empty when they name none.
    Xapian::Query For(const std::vector<std::string>& leaves, const TermStats& stats) const;

    /// A name's term (as TermGenerator writes it) to the boolean terms of the values it names.
    std::map<std::string, std::vector<std::string>> values_;
};

}  // namespace styrdok::indexer::detail
