#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

#include "styrdok/core/date.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/problem.hpp"
#include "styrdok/core/review_decision.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/indexer/search.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::server {

/// A JSON object that keeps its keys in the order they were set.
Poco::JSON::Object::Ptr NewObject();

/// A date as "YYYY-MM-DD", or null.
Poco::Dynamic::Var DateOrNull(const std::optional<core::Date>& date);

Poco::JSON::Array::Ptr StringArray(const std::vector<std::string>& values);

/// Every metadata field under its DESIGN.md name, at the object's top level: strings as
/// written ("" when absent), dates or null, lists, `public` resolved with the doctype's
/// default, `category` from the schema, `reviews` as objects.
void AddMetadata(Poco::JSON::Object& object, const core::Metadata& metadata,
                 const core::Schema& schema);

/// A search result as the search API returns it: total, page, per_page, hits, facets and
/// suggestion. Written straight into the text (RapidJSON's Writer) rather than built as Poco
/// objects first: a search answer has hundreds of values, and building them was an eighth of
/// the server's work per search.
std::string SearchResultJson(const indexer::SearchResult& result);

/// A version entry of a history.
Poco::JSON::Object::Ptr VersionJson(const store::VersionInfo& version);

std::string Stringify(const Poco::JSON::Object& object);

/// The error body for problems with what a client sent: {"error": {"code": "bad_input",
/// "message": every problem in Swedish, "problems": [{"field", "code", "message"}, …]}}.
std::string ProblemsJson(const std::vector<core::Problem>& problems, const core::Schema& schema);
/// The same for a decision about many documents: each problem also names its "document" (its
/// id, or null for the decision itself), and its message begins with that id.
std::string BatchProblemsJson(const std::vector<core::BatchProblem>& problems,
                              const core::Schema& schema);

}  // namespace styrdok::server
