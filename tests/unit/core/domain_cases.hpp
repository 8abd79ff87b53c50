#pragma once

// What the table-driven tests of the domain rules share: dates written as text, the default
// schema, and a document decided by a body on a day, with every field the schema requires.

#include <optional>
#include <string_view>

#include "styrdok/core/date.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/testing/sandbox.hpp"

namespace styrdok::core::cases {

inline Date D(std::string_view text) { return Date::Parse(text).value(); }

inline std::optional<Date> OptD(const char* text) {
    return text ? std::optional<Date>(D(text)) : std::nullopt;
}

/// schema/default.xml, read once.
inline const Schema& DefaultSchema() {
    static const Schema schema = Schema::Load(testing::SourceDir() / "schema/default.xml");
    return schema;
}

/// A document of `doctype` decided by `decided_by` on `decided_on` (nullptr: undecided).
inline Metadata Document(const char* doctype, const char* decided_by, const char* decided_on) {
    Metadata m;
    m.id = "dokument";
    m.title = "Dokument";
    m.doctype = doctype;
    m.decided_by = decided_by;
    m.decided_on = OptD(decided_on);
    m.paragraph = "§ 1";
    m.dnr = "KS 2020/1";
    m.owner = "Kommundirektör";
    m.owner_email = "kommundirektor@exempelby.se";
    m.owner_body = "ks";
    return m;
}

}  // namespace styrdok::core::cases
