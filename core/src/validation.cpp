#include "styrdok/core/validation.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "styrdok/core/metadata_fields.hpp"
#include "styrdok/core/paragraph.hpp"

namespace styrdok::core {
namespace {

// A deliberately loose check: one '@' with something before it, a dotted domain after it,
// and no white space. Anything stricter refuses real addresses; this catches the usual
// slips (a name instead of an address, a missing domain, two addresses in one field).
bool IsEmailAddress(std::string_view text) {
    const auto at = text.find('@');
    if (at == std::string_view::npos || at == 0) return false;
    if (text.find('@', at + 1) != std::string_view::npos) return false;
    if (text.find_first_of(" \t\r\n,;<>()[]\\\"") != std::string_view::npos) return false;
    const std::string_view domain = text.substr(at + 1);
    const auto dot = domain.find('.');
    return dot != std::string_view::npos && dot > 0 && domain.back() != '.' &&
           domain.find("..") == std::string_view::npos;
}

// Whether a field counts as filled in, for the schema's required fields. `category` is
// derived from the doctype, so it is there when the doctype is; the schema reader refuses
// names that are not fields.
bool HasField(const Metadata& m, std::string_view field, const DocType* doctype) {
    if (field == "category") return !m.category.empty() || doctype != nullptr;
    const MetadataField* known = FindMetadataField(field);
    return known == nullptr || HasValue(m, *known);
}

class Checker {
public:
    Checker(const Metadata& m, const Schema& schema, Date today)
        : m_(m), schema_(schema), today_(today) {}

    std::vector<Problem> Run() {
        CheckIdentity();
        const DocType* doctype = CheckDocType();
        const Body* decided_by = CheckBody("decided_by", m_.decided_by);
        CheckBody("owner_body", m_.owner_body);
        CheckGoalAreas();
        if (m_.status == Status::kInForce) CheckRequired(doctype);
        CheckDates();
        CheckParagraph(decided_by);
        if (doctype != nullptr && doctype->is_regulation && m_.status == Status::kInForce &&
            m_.is_public == false) {
            Add(ProblemCode::kRegulationMustBePublic, "public");
        }
        if (!m_.owner_email.empty() && !IsEmailAddress(m_.owner_email)) {
            Add(ProblemCode::kBadEmail, "owner_email", {m_.owner_email});
        }
        CheckReviews(decided_by);
        return std::move(problems_);
    }

private:
    void Add(ProblemCode code, std::string field, std::vector<std::string> params = {}) {
        problems_.push_back(MakeProblem(code, std::move(field), std::move(params)));
    }

    void CheckIdentity() {
        if (m_.id.empty()) {
            Add(ProblemCode::kRequired, "id");
        } else if (!IsValidDocumentId(m_.id)) {
            Add(ProblemCode::kBadId, "id", {m_.id});
        }
        if (m_.title.empty()) Add(ProblemCode::kRequired, "title");
    }

    const DocType* CheckDocType() {
        if (m_.doctype.empty()) {
            Add(ProblemCode::kRequired, "doctype");
            return nullptr;
        }
        const DocType* doctype = schema_.FindDocType(m_.doctype);
        if (doctype == nullptr) Add(ProblemCode::kUnknownDocType, "doctype", {m_.doctype});
        return doctype;
    }

    const Body* CheckBody(const char* field, const std::string& value) {
        if (value.empty()) return nullptr;
        const Body* body = schema_.FindBody(value);
        if (body == nullptr) Add(ProblemCode::kUnknownBody, field, {value});
        return body;
    }

    void CheckGoalAreas() {
        for (const std::string& goal : m_.goal_areas) {
            if (schema_.FindGoalArea(goal) == nullptr) {
                Add(ProblemCode::kUnknownGoalArea, "goal_areas", {goal});
            }
        }
    }

    void CheckRequired(const DocType* doctype) {
        for (const std::string& field : schema_.RequiredFieldsOf(m_.doctype)) {
            // Id, title and doctype are always required and already reported above.
            if (field == "id" || field == "title" || field == "doctype") continue;
            if (!HasField(m_, field, doctype)) {
                Add(ProblemCode::kRequiredInForce, field);
            }
        }
    }

    void CheckDates() {
        if (m_.decided_on && *m_.decided_on > today_) {
            Add(ProblemCode::kInFuture, "decided_on", {m_.decided_on->ToString()});
        }
        if (m_.valid_from && m_.valid_to && *m_.valid_to < *m_.valid_from) {
            Add(ProblemCode::kValidToBeforeValidFrom, "valid_to",
                {m_.valid_to->ToString(), m_.valid_from->ToString()});
        }
    }

    void CheckParagraph(const Body* decided_by) {
        if (!m_.paragraph.empty()) {
            if (!ParseParagraph(m_.paragraph)) {
                Add(ProblemCode::kBadParagraph, "paragraph", {m_.paragraph});
            }
        } else if (m_.status == Status::kInForce && decided_by != nullptr &&
                   decided_by->political) {
            Add(ProblemCode::kParagraphRequired, "paragraph", {decided_by->name});
        }
    }

    void CheckReviews(const Body* adopted_by) {
        for (const ReviewRecord& review : m_.reviews) {
            const std::string which = review.decided_on.ToString();
            if (review.decided_on > today_) Add(ProblemCode::kReviewInFuture, "reviews", {which});
            const Body* body = nullptr;
            if (review.decided_by.empty()) {
                Add(ProblemCode::kReviewWithoutBody, "reviews", {which});
            } else if (body = schema_.FindBody(review.decided_by); body == nullptr) {
                Add(ProblemCode::kReviewUnknownBody, "reviews", {which, review.decided_by});
            }
            if (!review.paragraph.empty() && !ParseParagraph(review.paragraph)) {
                Add(ProblemCode::kReviewBadParagraph, "reviews", {which, review.paragraph});
            }
            if (body == nullptr) continue;
            if (review.paragraph.empty() && body->political) {
                Add(ProblemCode::kReviewParagraphRequired, "reviews", {which, body->name});
            }
            // DOMAIN.md: the adopting body or one above it in its own line records the review;
            // rank alone would let one nämnd decide on another's documents.
            if (adopted_by != nullptr && !schema_.DecidesFor(body->id, adopted_by->id)) {
                Add(ProblemCode::kReviewBodyNotAbove, "reviews",
                    {which, body->name, adopted_by->name});
            }
        }
    }

    const Metadata& m_;
    const Schema& schema_;
    Date today_;
    std::vector<Problem> problems_;
};

}  // namespace

std::vector<Problem> Validate(const Metadata& metadata, const Schema& schema, Date today) {
    return Checker(metadata, schema, today).Run();
}

std::vector<Problem> ValidateRelations(const Metadata& m,
                                       const std::function<bool(std::string_view)>& exists) {
    std::vector<Problem> problems;
    const auto check = [&](std::string_view field, const std::vector<std::string>& ids,
                           bool self_allowed) {
        std::vector<std::string_view> seen;
        for (const std::string& id : ids) {
            if (id.empty() || std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
            seen.push_back(id);
            if (id == m.id) {
                if (!self_allowed) {
                    problems.push_back(
                        MakeProblem(ProblemCode::kSelfReference, std::string(field), {id}));
                }
            } else if (!exists(id)) {
                problems.push_back(
                    MakeProblem(ProblemCode::kUnknownDocument, std::string(field), {id}));
            }
        }
    };
    check("implements", m.implements, false);
    check("replaces", m.replaces, false);
    check("related", m.related, true);
    return problems;
}

}  // namespace styrdok::core
