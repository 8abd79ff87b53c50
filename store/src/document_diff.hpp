#pragma once

// The parts of Store::Diff that need no repository: metadata field by field, text by lines.

#include <string_view>
#include <vector>

#include "styrdok/core/metadata.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::store {

/// The fields that differ between two versions' metadata, in metadata.xml's element order,
/// named by their XML element names. List fields hold one item per line.
std::vector<FieldChange> MetadataChanges(const core::Metadata& before, const core::Metadata& after);

/// A line diff of two texts with three lines of context; empty when they are equal.
std::vector<TextDiffLine> TextChanges(std::string_view before, std::string_view after);

}  // namespace styrdok::store
