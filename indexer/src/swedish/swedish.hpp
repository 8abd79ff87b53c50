#pragma once

// Swedish text analysis on top of Xapian's Snowball stemmer (DOMAIN.md, "Swedish search"):
// one normalisation applied identically at index and query time, and compound splitting.
// Internal to the indexer.

#include <xapian.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace styrdok::indexer::detail {

/// What Styrdok knows of Swedish words: Debian's hunspell-sv dictionary (through
/// libhunspell) plus a small lexicon of its own (irregular plurals, domain words).
///
/// Thread-safety: const member functions may be called from several threads at once.
class SwedishLexicon {
public:
    /// The lexicon built from the system's hunspell-sv dictionary (loaded once per process).
    /// Throws Error(kInternal) when the dictionary is not installed.
    static std::shared_ptr<const SwedishLexicon> Default();

    virtual ~SwedishLexicon() = default;

    /// The base form of a case-folded word ("programmet" → "program", "böcker" → "bok",
    /// "policyn" → "policy"), or the word itself when it is one or is unknown. Never
    /// truncates a base form ("kvalitet", "frihet", "paket" stay as they are).
    virtual std::string BaseForm(std::string_view word) const = 0;

    /// The parts of a case-folded compound, each as written in the compound minus a linking
    /// -s- ("hållbarhetsprogrammet" → {"hållbarhet", "programmet"}); empty when the word is
    /// not a compound Styrdok can split.
    virtual std::vector<std::string> SplitCompound(std::string_view word) const = 0;
};

/// A Xapian stemmer that maps a word to Snowball(BaseForm(word)): the one used by both
/// TermGenerator and QueryParser, so that index and query agree.
Xapian::Stem MakeSwedishStem(std::shared_ptr<const SwedishLexicon> lexicon);

/// Adds the compound parts of the words of `document` (its free-text terms) as part terms
/// (kPrefixPart + free-text prefix + stem) with a wdf of 1 for each compound they are part of,
/// so that a part finds the compound but ranks it below a document that uses the part as a
/// word of its own. Where the part is also a word of the document, each compound adds to the
/// word's own term (its Z term's wdf) instead.
void AddCompoundParts(Xapian::Document& document, const SwedishLexicon& lexicon,
                      const Xapian::Stem& stem);

/// Rewrites a query that `parser` has just parsed so that each word also finds the compounds
/// it is part of, and each compound also finds its parts written apart:
/// t → t OR part-term(t) [OR (part1 AND part2 …)], the alternatives weighted below the word.
/// The words behind a stemmed term come from parser.unstem_begin(); phrases stay as they are.
/// A part term for which `leave_out` is true is not added, nor is a word's own term, where
/// it has an alternative left.
Xapian::Query ExpandCompounds(const Xapian::Query& query, const Xapian::QueryParser& parser,
                              const SwedishLexicon& lexicon, const Xapian::Stem& stem,
                              const std::function<bool(const std::string&)>& leave_out = {});

}  // namespace styrdok::indexer::detail
