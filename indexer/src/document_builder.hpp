#pragma once

#include <xapian.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "styrdok/core/schema.hpp"
#include "styrdok/core/validity.hpp"
#include "styrdok/store/store.hpp"
#include "swedish/swedish.hpp"

namespace styrdok::indexer::detail {

/// What the rest of a document says about one of its versions, worked out from all its
/// versions (and its successors) before any of them is built.
struct VersionFacts {
    std::optional<core::ForceInterval> interval;  ///< when it was in force; nullopt: never
    bool latest = false;                          ///< the document's newest version
    /// The days on which this version stands for its document (core::DocumentTimeline), and a
    /// newest version that is a draft for every day.
    std::vector<core::StateSpan> spans;
    /// Latest only: the documents its newest adopted version replaces, the document's
    /// core::FirstDayReplacing, and the replaced_from its intervals were worked out with.
    std::vector<std::string> replaces;
    std::optional<core::Date> first_in_force;
    std::optional<core::Date> replaced_from;
    /// Set for a version that goes to the current versions' database: the day it is placed
    /// by (terms.hpp, kMetaCurrentDay).
    std::optional<core::Date> current_day;
    /// A draft from refs/drafts: restricted whatever its metadata says.
    bool draft = false;
};

/// Turns one version of a document into the Xapian document that represents it: boolean terms
/// and value slots from terms.hpp, Swedish-stemmed free text with positions and compound parts
/// (swedish/swedish.hpp), and the stored hit. Spelling data is the writer's to add
/// (AddSpelling), since a builder may run on another thread than the database. Holds a
/// reference: `schema` must outlive the builder.
class DocumentBuilder {
public:
    explicit DocumentBuilder(const core::Schema& schema);

    Xapian::Document Build(const store::Document& version, const VersionFacts& facts);

    /// The Xapian document of a draft (refs/drafts/<id>, `draft.version` its commit): the
    /// newest version of its document, never in force, in state utkast on every day, and
    /// restricted whatever its metadata says.
    Xapian::Document BuildDraft(const store::Document& draft);

private:
    /// `text` is the plain text of version.text.
    void IndexText(const store::Document& version, const std::string& text);

    const core::Schema& schema_;
    std::shared_ptr<const SwedishLexicon> lexicon_;
    Xapian::Stem stem_;
    Xapian::TermGenerator generator_;
};

}  // namespace styrdok::indexer::detail
