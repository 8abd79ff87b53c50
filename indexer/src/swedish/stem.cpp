// The stemmer Styrdok gives Xapian: Snowball's Swedish stemmer over the lexicon's base form,
// so that definite forms and irregular plurals ("programmet", "städer") reach the stem of
// their base form ("program", "stad") and base forms are never cut by a second rule.

#include <memory>
#include <string>
#include <utility>

#include "../terms.hpp"
#include "swedish.hpp"

namespace styrdok::indexer::detail {

namespace {

class SwedishStemImplementation final : public Xapian::StemImplementation {
public:
    explicit SwedishStemImplementation(std::shared_ptr<const SwedishLexicon> lexicon)
        : lexicon_(std::move(lexicon)), snowball_(kStemmerLanguage) {}

    std::string operator()(const std::string& word) override {
        return snowball_(lexicon_->BaseForm(word));
    }

    // Recorded nowhere today, but stable so that it could be: it names the analysis.
    std::string get_description() const override { return "swedish+hunspell"; }

private:
    std::shared_ptr<const SwedishLexicon> lexicon_;
    Xapian::Stem snowball_;
};

}  // namespace

Xapian::Stem MakeSwedishStem(std::shared_ptr<const SwedishLexicon> lexicon) {
    // Xapian takes ownership through its reference count.
    return Xapian::Stem(new SwedishStemImplementation(std::move(lexicon)));
}

}  // namespace styrdok::indexer::detail
