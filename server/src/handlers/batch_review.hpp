#pragma once

// One council decision that reviews many documents (issue 17, point 4; DESIGN.md,
// POST /api/reviews): what the API and the dashboard's form share. The rule is
// core::ApplyBatchReview; here it meets the store, the writer and the snapshot.

#include <Poco/JSON/Object.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "../site.hpp"
#include "styrdok/core/review_decision.hpp"
#include "styrdok/server/users.hpp"

namespace styrdok::server {

/// What recording a decision for many documents came to.
struct BatchResult {
    std::vector<core::BatchProblem> problems;  ///< nothing was recorded when not empty
    std::vector<core::ReviewChange> changes;   ///< per document, in the batch's order
    std::string version;                       ///< the one commit that recorded it all
};

/// Checks `batch` against the current version of every document it names and, when nothing
/// is wrong, records it as one commit by `user` through site.writer (message: `summary`, else
/// core::BatchSummary). `seen` maps ids to the version the user saw (the form's); a document
/// that has changed since is refused as stale (Error(kStaleVersion)), as is one that changes
/// while the commit is written (Error(kConflict)). The caller has checked the user's role.
BatchResult RecordBatch(const Site& site, const User& user, const core::BatchDecision& batch,
                        const std::string& summary,
                        const std::map<std::string, std::string>& seen = {});

/// The documents, other than `self`, whose current version records the same decision as
/// `record` (core::SameDecision) and which `request`'s user may see, sorted by title. A pass
/// over the snapshot: only for a document that has recorded reviews.
std::vector<const core::Metadata*> DecidedTogether(const Site& site,
                                                   const store::Snapshot& snapshot,
                                                   const Request& request,
                                                   const core::ReviewRecord& record,
                                                   const std::string& self);

/// Adds to each review of `document_json` (made by AddMetadata from `m`) "decided_with": the
/// ids of the other documents DecidedTogether finds for it, so that a client sees that one
/// decision reviewed them all.
void AddDecidedWith(const Site& site, const store::Snapshot& snapshot, const Request& request,
                    const core::Metadata& m, Poco::JSON::Object& document_json);

}  // namespace styrdok::server
