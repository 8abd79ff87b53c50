#include "review_states.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "../render/labels.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/paragraph.hpp"
#include "styrdok/core/validation.hpp"

namespace styrdok::server {

namespace {

// The one value of a parameter that may be given once.
std::string SingleParam(const Request& request, std::string_view name) {
    const std::vector<std::string> values = request.Params(name);
    if (values.size() > 1) {
        throw Error(ErrorCode::kBadInput, "ange " + std::string(name) + " högst en gång");
    }
    return values.empty() ? std::string() : values.front();
}

std::string RankRule(const core::Body& adopted_by) {
    return "Aktualitetsprövningen ska beslutas av organet som antog dokumentet (" +
           adopted_by.name +
           ") eller ett organ över det (fullmäktige, kommunstyrelsen, nämnd, förvaltning).";
}

// The decision's own fields; `record` gets what parses.
void CheckDecision(const core::Metadata& current, const ReviewDecision& decision,
                   const core::Schema& schema, core::Date today, ReviewChange& change) {
    std::vector<FormError>& errors = change.errors;
    core::ReviewRecord& record = change.record;
    const core::Body* body = nullptr;
    if (decision.decided_by.empty()) {
        errors.push_back({"decided_by", "Välj organet som beslutade om aktualitetsprövningen."});
    } else if (body = schema.FindBody(decision.decided_by); body == nullptr) {
        errors.push_back({"decided_by", "Organet " + decision.decided_by +
                                            " finns inte i registret. Välj ett organ ur listan."});
    } else {
        record.decided_by = body->id;
        const core::Body* adopted_by = schema.FindBody(current.decided_by);
        if (adopted_by != nullptr && body->level > adopted_by->level) {
            errors.push_back({"decided_by", RankRule(*adopted_by) + " " + body->name +
                                                " står under " + adopted_by->name + "."});
        }
    }
    std::optional<core::Date> decided_on =
        ParseDateField("decided_on", decision.decided_on, errors);
    if (decision.decided_on.empty()) {
        errors.push_back({"decided_on", "Fyll i beslutsdatum."});
    } else if (decided_on && *decided_on > today) {
        errors.push_back({"decided_on", "Beslutsdatum kan inte ligga i framtiden."});
    } else if (decided_on && current.decided_on && *decided_on < *current.decided_on) {
        errors.push_back({"decided_on", "Prövningen kan inte vara beslutad före dokumentet (" +
                                            current.decided_on->ToString() + ")."});
    }
    if (decided_on) record.decided_on = *decided_on;
    record.paragraph = decision.paragraph;
    record.dnr = decision.dnr;
    if (!decision.paragraph.empty() && !core::ParseParagraph(decision.paragraph)) {
        errors.push_back({"paragraph", "Skriv paragrafen som ett nummer, till exempel § 67."});
    } else if (decision.paragraph.empty() && body != nullptr && body->political) {
        errors.push_back({"paragraph", "Fyll i paragraf: ett beslut av " + body->name +
                                           " har en paragraf (§)."});
    }
    std::optional<core::ReviewOutcome> outcome = core::ParseReviewOutcome(decision.outcome);
    if (!outcome) {
        errors.push_back({"outcome", "Välj utfall: fortsatt gällande, revideras eller upphävs."});
    } else {
        record.outcome = *outcome;
    }
    std::optional<core::Date> valid_to = ParseDateField("valid_to", decision.valid_to, errors);
    if (!decision.valid_to.empty() && outcome && *outcome != core::ReviewOutcome::kRepealed) {
        errors.push_back({"valid_to", "Ange sista giltighetsdag bara när dokumentet upphävs."});
    }
    if (valid_to) change.after.valid_to = valid_to;
}

}  // namespace

ReviewQuery ParseReviewQuery(const Request& request, const core::Schema& schema, core::Date today) {
    ReviewQuery query;
    query.on = today;
    const std::string state = SingleParam(request, "state");
    if (state == "due") {
        query.filter = core::ReviewFilter::kDue;
    } else if (state == "overdue") {
        query.filter = core::ReviewFilter::kOverdue;
    } else if (state.empty() || state == "all") {
        query.filter = core::ReviewFilter::kAll;
    } else {
        throw Error(ErrorCode::kBadInput, "state ska vara due, overdue eller all");
    }
    query.owner = SingleParam(request, "owner");
    if (const std::string body = SingleParam(request, "body"); !body.empty()) {
        query.body = schema.FindBody(body);
        if (query.body == nullptr) {
            throw Error(ErrorCode::kBadInput,
                        "okänt organ i body: ange organets id, "
                        "förkortning eller namn (till exempel ks)");
        }
    }
    if (const std::string on = SingleParam(request, "on"); !on.empty()) {
        std::optional<core::Date> date = core::Date::Parse(on);
        if (!date) throw Error(ErrorCode::kBadInput, "on ska vara ett datum (ÅÅÅÅ-MM-DD)");
        query.on = *date;
    }
    return query;
}

std::optional<std::string> WhyNotRecordReview(const User& user) {
    if (user.role == Role::kClerk || user.role == Role::kAdmin) return std::nullopt;
    return "bara registratorer och administratörer kan registrera aktualitetsprövningar";
}

ReviewChange ApplyReview(const core::Metadata& current, const ReviewDecision& decision,
                         const core::Schema& schema, core::Date today) {
    ReviewChange change;
    change.after = current;
    change.after.category.clear();  // derived from the doctype, never stored
    if (current.status == core::Status::kDraft) {
        change.errors.push_back(
            {"", "Ett utkast kan inte aktualitetsprövas: det är inte beslutat ännu."});
        return change;
    }
    if (current.status == core::Status::kRepealed) {
        change.errors.push_back({"", "Dokumentet är redan upphävt."});
        return change;
    }
    CheckDecision(current, decision, schema, today, change);
    if (!change.errors.empty()) return change;

    core::Metadata& after = change.after;
    const core::ReviewRecord& record = change.record;
    after.reviews.push_back(record);
    if (!after.last_reviewed_on || *after.last_reviewed_on < record.decided_on) {
        after.last_reviewed_on = record.decided_on;
    }
    if (record.outcome == core::ReviewOutcome::kRepealed) {
        after.status = core::Status::kRepealed;
        if (decision.valid_to.empty()) after.valid_to = record.decided_on;
    }
    // Only what the review brings in: a document with an old gap in its metadata can still
    // be reviewed (the review is often what makes someone fill the gap later).
    const std::vector<core::Problem> before = core::Validate(current, schema, today);
    std::vector<core::Problem> added;
    for (const core::Problem& problem : core::Validate(after, schema, today)) {
        if (std::find(before.begin(), before.end(), problem) == before.end()) {
            added.push_back(problem);
        }
    }
    change.errors = SwedishProblems(added, schema);
    return change;
}

std::string ReviewSummary(const core::ReviewRecord& record, const core::Schema& schema) {
    std::string summary = "Aktualitetsprövad av " + BodyName(schema, record.decided_by) + " " +
                          record.decided_on.ToString();
    if (!record.paragraph.empty()) summary += " " + record.paragraph;
    return summary + ": " + std::string(core::ReviewOutcomeName(record.outcome));
}

}  // namespace styrdok::server
