#pragma once

// The one table of a document's metadata fields (DESIGN.md, "Domain rules"): their names (the
// element names of metadata.xml and the keys of the JSON API), their kinds, and how each is read
// and written as text. The XML reader and writer, the JSON API, the CSV register, the edit form,
// validation and the diff of two versions all walk this table, so a field is added once.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "styrdok/core/date.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/problem.hpp"

namespace styrdok::core {

enum class FieldKind {
    kText,     ///< a string, empty when absent
    kDate,     ///< an optional Date ("YYYY-MM-DD")
    kStatus,   ///< Status ("gällande", "upphävd", "utkast"); always present
    kBoolean,  ///< an optional bool ("true", "false"): only `public`
    kList,     ///< strings
    kReviews,  ///< the recorded review decisions: only `reviews`
};

struct MetadataField {
    std::string_view name;  ///< "decided_by"
    FieldKind kind;
    std::string_view item;  ///< for a list, the element of each item in metadata.xml ("ref")
    /// For a list that once was a single text (`replaces`): metadata.xml may hold one item as
    /// the element's text (`<replaces>id</replaces>`), and a list of one is written so.
    bool single_as_text = false;
};

/// Every stored field, in the order of docs/metadata-format.md (the XML writer's order).
/// `category` is not among them: it follows from the doctype.
std::span<const MetadataField> MetadataFields();

/// The field named `name`; nullptr for anything else (category included).
const MetadataField* FindMetadataField(std::string_view name);

/// The member behind a field of the kind; nullptr for a field of another kind.
std::string* TextMember(Metadata& metadata, const MetadataField& field);
const std::string* TextMember(const Metadata& metadata, const MetadataField& field);
std::optional<Date>* DateMember(Metadata& metadata, const MetadataField& field);
const std::optional<Date>* DateMember(const Metadata& metadata, const MetadataField& field);
std::vector<std::string>* ListMember(Metadata& metadata, const MetadataField& field);
const std::vector<std::string>* ListMember(const Metadata& metadata, const MetadataField& field);

/// True when the field has a value (status always has one).
bool HasValue(const Metadata& metadata, const MetadataField& field);

/// The field's value as one text, empty when absent: text as written, a date as YYYY-MM-DD,
/// the status's name, public as "true"/"false", list items joined by `separator`, and each
/// review as one line ("2026-11-20 kf § 12 (KS 2026/0311): fortsatt gällande") joined by
/// `separator`.
std::string FieldText(const Metadata& metadata, const MetadataField& field,
                      std::string_view separator = "\n");

/// Sets a field from text as a person typed it (surrounding space trimmed; a list split at
/// any of `separators`, empty items dropped). Empty text clears the field (status stays).
/// Returns the problem when the text does not read as the field's kind (kBadDate,
/// kBadStatus, kBadBoolean) and leaves the field as it was; reviews are not set from text
/// (kNotText).
std::optional<Problem> SetFieldText(Metadata& metadata, const MetadataField& field,
                                    std::string_view text, std::string_view separators = ",");

}  // namespace styrdok::core
