#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "styrdok/core/schema.hpp"

namespace styrdok::core {

/// How far a proposed value can be trusted.
enum class Confidence {
    kMissing,      ///< nothing found: the value is empty
    kGuessed,      ///< a best guess from weak evidence (a compound word, the first line)
    kConflicting,  ///< the document says different things; the value is the first it said
    kSure,         ///< unambiguous evidence (a labelled value, a decision line), and no other
};

/// One proposed field: its value in the form metadata.xml takes (body and doctype ids, dates
/// YYYY-MM-DD, a paragraph "§ 139", a diarienummer as written) and how sure it is.
struct ProposedField {
    std::string value;
    Confidence confidence = Confidence::kMissing;

    bool sure() const { return confidence == Confidence::kSure; }
};

/// The fields a proposal holds, in the order of proposals.csv.
inline constexpr std::array<std::string_view, 9> kProposedFields = {
    "title", "doctype", "decided_by", "decided_on", "paragraph",
    "dnr",   "owner",   "valid_from", "valid_to"};

/// Metadata read out of a document's own text. valid_to empty and sure means "tillsvidare".
struct Proposal {
    ProposedField title;
    ProposedField doctype;
    ProposedField decided_by;
    ProposedField decided_on;
    ProposedField paragraph;
    ProposedField dnr;
    ProposedField owner;
    ProposedField valid_from;
    ProposedField valid_to;

    /// The field named `name` (one of kProposedFields). Throws std::out_of_range otherwise.
    const ProposedField& Field(std::string_view name) const;
    ProposedField& Field(std::string_view name);
    /// The names of the fields that are not sure, in kProposedFields order.
    std::vector<std::string> Uncertain() const;
};

/// Proposes a document's metadata from its extracted text (Markdown as store::ExtractText
/// gives it, or plain text) and the schema's doctypes and bodies. A field is sure only when
/// the evidence is unambiguous: a labelled value ("Dnr KS/2009:50", "Dokumentansvarig: …", a
/// label | value table), a decision line ("Fastställd Kommunfullmäktige 2011-04-19 § 90",
/// "Antaget av kommunfullmäktige den 15 december 2022, § 201"), a title that begins with a
/// doctype's label or plural; and nothing else in the text says otherwise. Decisions the text
/// only mentions (what it replaces, a commission to write it, one planned) are not its own,
/// and a draft ("Utkast", "Remissversion", "Ej beslutad") gets no decision. Of several
/// decisions, a labelled one (a label, a header line, a history table's latest row) is
/// proposed before one of running prose, the latest first, and the decision is then not sure;
/// a prose decision is sure only when its sentence names the document ("Denna policy …"). A
/// title the next line may go on from, and a doctype two signs disagree on, are not sure. Reads at
/// most the first 24 KiB and the last 8 KiB of `text`, where the metadata of a governing document
/// is; invalid UTF-8 is read as far as it goes. With `read_by_ocr` no field is sure (OCR misreads
/// a digit or a letter without saying so: at most kGuessed), and a paragraph whose "§" OCR
/// read as "8", "$" or "S" right after the decision's date is still found. Pure and
/// thread-safe; never throws for any text.
Proposal ProposeMetadata(std::string_view text, const Schema& schema, bool read_by_ocr = false);

/// Proposes from a text only part of which OCR read (a PDF's scanned pages behind a typed
/// cover): `text` is the whole, `text_layer` what the text layer alone gave. A field is sure
/// when it is sure from `text_layer` alone and the whole text, its OCR taken at its word,
/// proposes it sure with the same value; every other field is as ProposeMetadata(text,
/// schema, true) proposes it, at most guessed. Pure and thread-safe; never throws.
Proposal ProposeMetadata(std::string_view text, std::string_view text_layer, const Schema& schema);

/// A document id made from a title: lower case, å/ä → a, ö → o, é → e, other letters and
/// digits kept, everything else a single '-', at most 60 characters cut at a '-'; "dokument"
/// when nothing is left. Always a valid id (IsValidDocumentId).
std::string IdFromTitle(std::string_view title);

}  // namespace styrdok::core
