#pragma once

#include <xapian.h>

#include <memory>
#include <optional>

#include "styrdok/core/schema.hpp"
#include "styrdok/core/validity.hpp"
#include "styrdok/store/store.hpp"
#include "swedish/swedish.hpp"

namespace styrdok::indexer::detail {

/// Turns one version of a document into the Xapian document that represents it: boolean terms
/// and value slots from terms.hpp, Swedish-stemmed free text with positions and compound parts
/// (swedish/swedish.hpp), and the stored hit. Spelling data is the writer's to add
/// (AddSpelling), since a builder may run on another thread than the database. Holds a
/// reference: `schema` must outlive the builder.
class DocumentBuilder {
public:
    explicit DocumentBuilder(const core::Schema& schema);

    /// `interval` is when this version was in force (nullopt: never, as for drafts);
    /// `latest` marks the document's newest version.
    Xapian::Document Build(const store::Document& version,
                           const std::optional<core::ForceInterval>& interval, bool latest);

private:
    /// `text` is the plain text of version.text.
    void IndexText(const store::Document& version, const std::string& text);

    const core::Schema& schema_;
    std::shared_ptr<const SwedishLexicon> lexicon_;
    Xapian::Stem stem_;
    Xapian::TermGenerator generator_;
};

}  // namespace styrdok::indexer::detail
