#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "styrdok/core/date.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/problem.hpp"
#include "styrdok/core/schema.hpp"

namespace styrdok::core {

/// Every problem of `metadata` against `schema` as of `today`, not only the first: unknown
/// doctype, body or goal area, missing required fields (for documents in force: the
/// doctype's own list, else the schema's), a decision in the future, valid_to before
/// valid_from, a paragraph that does not parse or is missing when a political body decided,
/// a non-public föreskrift in force, a bad id or e-mail, a review recorded by a body that
/// does not decide for the adopting one (Schema::DecidesFor). Empty when the metadata is
/// acceptable.
std::vector<Problem> Validate(const Metadata& metadata, const Schema& schema, Date today);

/// The problems of `metadata`'s relations to other documents: each id in `implements`,
/// `replaces` and `related` for which `exists` is false (kUnknownDocument, once per field and
/// id), and the document naming its own id in `implements` or `replaces` (kSelfReference).
/// Empty ids are ignored. Cycles of `implements` through other documents are allowed: walkers
/// of the chain keep a visited set.
std::vector<Problem> ValidateRelations(const Metadata& metadata,
                                       const std::function<bool(std::string_view)>& exists);

}  // namespace styrdok::core
