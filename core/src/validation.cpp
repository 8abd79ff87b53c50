#include "styrdok/core/validation.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
// derived from the doctype, so it is there when the doctype is.
bool HasField(const Metadata& m, std::string_view field, const DocType* doctype) {
    if (field == "id") return !m.id.empty();
    if (field == "title") return !m.title.empty();
    if (field == "doctype") return !m.doctype.empty();
    if (field == "category") return !m.category.empty() || doctype != nullptr;
    if (field == "dnr") return !m.dnr.empty();
    if (field == "decided_by") return !m.decided_by.empty();
    if (field == "decided_on") return m.decided_on.has_value();
    if (field == "paragraph") return !m.paragraph.empty();
    if (field == "owner") return !m.owner.empty();
    if (field == "owner_email") return !m.owner_email.empty();
    if (field == "owner_body") return !m.owner_body.empty();
    if (field == "applies_to") return !m.applies_to.empty();
    if (field == "valid_from") return m.valid_from.has_value();
    if (field == "valid_to") return m.valid_to.has_value();
    if (field == "last_reviewed_on") return m.last_reviewed_on.has_value();
    if (field == "review_due") return m.review_due.has_value();
    if (field == "replaces") return !m.replaces.empty();
    if (field == "related") return !m.related.empty();
    if (field == "goal_areas") return !m.goal_areas.empty();
    if (field == "keywords") return !m.keywords.empty();
    if (field == "public") return m.is_public.has_value();
    if (field == "changes") return !m.changes.empty();
    if (field == "reviews") return !m.reviews.empty();
    // `status` always has a value; the schema reader refuses any other name.
    return true;
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
            Add("public",
                "a föreskrift in force must be public (kommunallagen 8 kap. 13 §), but public is "
                "false");
        }
        if (!m_.owner_email.empty() && !IsEmailAddress(m_.owner_email)) {
            Add("owner_email", "owner_email '" + m_.owner_email + "' is not an e-mail address");
        }
        CheckReviews(decided_by);
        return std::move(problems_);
    }

private:
    void Add(std::string field, std::string message) {
        problems_.push_back(Problem{std::move(field), std::move(message)});
    }

    void CheckIdentity() {
        if (m_.id.empty()) {
            Add("id", "id is missing");
        } else if (!IsValidDocumentId(m_.id)) {
            Add("id", "id '" + m_.id + "' is not 1–100 characters of a-z, 0-9 and '-'");
        }
        if (m_.title.empty()) Add("title", "title is missing");
    }

    const DocType* CheckDocType() {
        if (m_.doctype.empty()) {
            Add("doctype", "doctype is missing");
            return nullptr;
        }
        const DocType* doctype = schema_.FindDocType(m_.doctype);
        if (doctype == nullptr) Add("doctype", "unknown doctype '" + m_.doctype + "'");
        return doctype;
    }

    const Body* CheckBody(const char* field, const std::string& value) {
        if (value.empty()) return nullptr;
        const Body* body = schema_.FindBody(value);
        if (body == nullptr) Add(field, std::string(field) + ": unknown body '" + value + "'");
        return body;
    }

    void CheckGoalAreas() {
        for (const std::string& goal : m_.goal_areas) {
            if (schema_.FindGoalArea(goal) == nullptr) {
                Add("goal_areas", "unknown goal area '" + goal + "'");
            }
        }
    }

    void CheckRequired(const DocType* doctype) {
        for (const std::string& field : schema_.RequiredFieldsOf(m_.doctype)) {
            // Id, title and doctype are always required and already reported above.
            if (field == "id" || field == "title" || field == "doctype") continue;
            if (!HasField(m_, field, doctype)) {
                Add(field, field + " is required for a document in force");
            }
        }
    }

    void CheckDates() {
        if (m_.decided_on && *m_.decided_on > today_) {
            Add("decided_on", "decided_on " + m_.decided_on->ToString() + " is in the future");
        }
        if (m_.valid_from && m_.valid_to && *m_.valid_to < *m_.valid_from) {
            Add("valid_to", "valid_to " + m_.valid_to->ToString() + " is before valid_from " +
                                m_.valid_from->ToString());
        }
    }

    void CheckParagraph(const Body* decided_by) {
        if (!m_.paragraph.empty()) {
            if (!ParseParagraph(m_.paragraph)) {
                Add("paragraph",
                    "paragraph '" + m_.paragraph + "' is not a paragraph number such as '§ 67'");
            }
        } else if (m_.status == Status::kInForce && decided_by != nullptr &&
                   decided_by->political) {
            Add("paragraph", "paragraph is required when " + decided_by->name + " decided");
        }
    }

    void CheckReviews(const Body* adopted_by) {
        for (const ReviewRecord& review : m_.reviews) {
            const std::string which = "review of " + review.decided_on.ToString();
            if (review.decided_on > today_) Add("reviews", which + " is in the future");
            const Body* body = nullptr;
            if (review.decided_by.empty()) {
                Add("reviews", which + " names no body");
            } else if (body = schema_.FindBody(review.decided_by); body == nullptr) {
                Add("reviews", which + ": unknown body '" + review.decided_by + "'");
            }
            if (!review.paragraph.empty() && !ParseParagraph(review.paragraph)) {
                Add("reviews", which + ": paragraph '" + review.paragraph +
                                   "' is not a paragraph number such as '§ 67'");
            }
            if (body == nullptr) continue;
            if (review.paragraph.empty() && body->political) {
                Add("reviews", which + ": a decision of " + body->name + " needs a paragraph");
            }
            // DOMAIN.md: the adopting body or one above it in its own line records the review;
            // rank alone would let one nämnd decide on another's documents.
            if (adopted_by != nullptr && !schema_.DecidesFor(body->id, adopted_by->id)) {
                if (schema_.DecidesFor(adopted_by->id, body->id)) {
                    Add("reviews", which + ": " + body->name + " ranks below " + adopted_by->name +
                                       ", which adopted the document");
                } else {
                    Add("reviews", which + ": " + body->name + " is outside the line of " +
                                       adopted_by->name +
                                       ", which adopted the document: only it or a body above "
                                       "it decides");
                }
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

}  // namespace styrdok::core
