#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "styrdok/core/metadata.hpp"

namespace styrdok::server {

/// What a client sends to create or revise a document, before any rule is checked.
struct DocumentInput {
    core::Metadata metadata;
    std::optional<std::string> text;  ///< nullopt: the text stays as it is
    std::string summary;              ///< what changed and why: the commit message
};

/// Reads the JSON object of POST /api/documents and PUT /api/documents/{id}: the object GET
/// answers with (metadata fields under their DESIGN.md names, and `text`), plus an optional
/// `summary`. The fields present replace those of `base` (the current version for a
/// revision, empty metadata for a new document); absent fields keep base's. Derived and
/// read-only fields (category, version, html, files) are ignored. Throws Error(kBadInput)
/// naming the field for a wrong type or a malformed date or status, and for a body that is
/// not a JSON object.
DocumentInput ParseDocumentJson(std::string_view body, const core::Metadata& base);

}  // namespace styrdok::server
