#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "styrdok/core/date.hpp"

namespace styrdok::core {

/// A document's status as the registry records it ("gällande", "upphävd", "utkast").
enum class Status { kInForce, kRepealed, kDraft };

std::string_view StatusName(Status status);
std::optional<Status> ParseStatus(std::string_view name);

/// The outcome of an aktualitetsprövning.
enum class ReviewOutcome { kKept, kToBeRevised, kRepealed };

/// "fortsatt gällande", "revideras", "upphävs".
std::string_view ReviewOutcomeName(ReviewOutcome outcome);
std::optional<ReviewOutcome> ParseReviewOutcome(std::string_view name);

/// One recorded review decision.
struct ReviewRecord {
    std::string decided_by;  ///< body id from the schema
    Date decided_on;
    std::string paragraph;  ///< as written
    std::string dnr;        ///< as written
    ReviewOutcome outcome = ReviewOutcome::kKept;

    friend bool operator==(const ReviewRecord&, const ReviewRecord&) = default;
};

/// The metadata of one version of a governing document. Field names follow DESIGN.md; they
/// are the element names in metadata.xml and the keys in JSON. Strings hold exactly what was
/// written (trimmed); empty means absent. Body ids and doctype ids refer to the schema.
struct Metadata {
    std::string id;  ///< stable, URL-safe: [a-z0-9][a-z0-9-]{0,99}
    std::string title;
    std::string doctype;     ///< doctype id from the schema
    std::string category;    ///< "politisk" | "administrativ"; derived from the doctype
    std::string dnr;         ///< diarienummer as written
    std::string decided_by;  ///< body id
    std::optional<Date> decided_on;
    std::string paragraph;  ///< § as written
    std::string owner;      ///< role or person
    std::string owner_email;
    std::string owner_body;  ///< body id of the responsible nämnd
    std::string applies_to;
    std::optional<Date> valid_from;
    std::optional<Date> valid_to;  ///< empty = tillsvidare
    Status status = Status::kInForce;
    std::optional<Date> last_reviewed_on;
    std::optional<Date> review_due;       ///< decided date that overrides the computed one
    std::vector<std::string> implements;  ///< ids of the documents this one puts into effect
    std::vector<std::string> replaces;    ///< ids of the documents this one replaces
    std::vector<std::string> related;     ///< ids
    std::vector<std::string> goal_areas;  ///< målområde ids
    std::vector<std::string> keywords;
    std::optional<bool> is_public;  ///< "public"; empty = the doctype's default
    std::string changes;            ///< tidigare ändringar, free text
    std::vector<ReviewRecord> reviews;

    /// The first day this version applies: valid_from, else decided_on.
    std::optional<Date> EffectiveFrom() const;
    /// The later of decided_on, last_reviewed_on and the recorded reviews' dates.
    std::optional<Date> LastEvent() const;

    friend bool operator==(const Metadata&, const Metadata&) = default;
};

/// True when `id` is a valid document id: 1–100 characters of [a-z0-9-], starting with a
/// letter or digit. Such an id is safe as a path component and in a URL.
bool IsValidDocumentId(std::string_view id);

}  // namespace styrdok::core
