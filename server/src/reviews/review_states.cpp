#include "review_states.hpp"

#include <Poco/UTF8String.h>

#include <algorithm>
#include <map>
#include <utility>

#include "../render/labels.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/paragraph.hpp"
#include "styrdok/core/validation.hpp"

namespace styrdok::server {

namespace {

void Consider(std::optional<core::Date>& last, core::Date date) {
    if (!last || *last < date) last = date;
}

// Metadata::LastEvent, but blind to what was decided after `on`.
std::optional<core::Date> LastEventOn(const core::Metadata& metadata, core::Date on) {
    std::optional<core::Date> last = metadata.decided_on;
    if (metadata.last_reviewed_on && *metadata.last_reviewed_on <= on) {
        Consider(last, *metadata.last_reviewed_on);
    }
    for (const core::ReviewRecord& review : metadata.reviews) {
        if (review.decided_on <= on) Consider(last, review.decided_on);
    }
    return last;
}

bool SameText(const std::string& a, const std::string& b) {
    return Poco::UTF8::icompare(a, b) == 0;
}

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

core::ReviewInput ReviewInputOf(const core::Metadata& metadata, const core::Schema& schema,
                                core::Date on) {
    core::ReviewInput input;
    if (const core::DocType* type = schema.FindDocType(metadata.doctype)) input.rule = type->review;
    input.last_event = LastEventOn(metadata, on);
    input.review_due = metadata.review_due;
    const core::Body* body = schema.FindBody(metadata.decided_by);
    input.board_period = body != nullptr && !body->follows_council_period;
    return input;
}

bool IsReviewable(const core::Metadata& metadata, core::Date on) {
    if (metadata.status != core::Status::kInForce) return false;
    return !metadata.valid_to || on <= *metadata.valid_to;
}

core::ReviewStatus ReviewStatusOf(const core::Metadata& metadata, const core::Schema& schema,
                                  core::Date on) {
    if (!IsReviewable(metadata, on)) return {};
    return core::ReviewStatusOn(ReviewInputOf(metadata, schema, on), on);
}

std::optional<core::ReviewRecord> PendingRevision(const core::Metadata& metadata) {
    const core::ReviewRecord* last = nullptr;
    for (const core::ReviewRecord& review : metadata.reviews) {
        if (last == nullptr || last->decided_on <= review.decided_on) last = &review;
    }
    if (last == nullptr || last->outcome != core::ReviewOutcome::kToBeRevised) return std::nullopt;
    // A version decided after the review is the revision.
    if (metadata.decided_on && *metadata.decided_on > last->decided_on) return std::nullopt;
    return *last;
}

std::optional<core::Date> LastAllowedDay(const core::ReviewStatus& status) {
    if (!status.overdue_on) return std::nullopt;
    return status.overdue_on->AddDays(-1);
}

ReviewQuery ParseReviewQuery(const Request& request, const core::Schema& schema, core::Date today) {
    ReviewQuery query;
    query.on = today;
    const std::string state = SingleParam(request, "state");
    if (state == "due") {
        query.filter = ReviewFilter::kDue;
    } else if (state == "overdue") {
        query.filter = ReviewFilter::kOverdue;
    } else if (state.empty() || state == "all") {
        query.filter = ReviewFilter::kAll;
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

bool MatchesReviewQuery(const core::Metadata& metadata, const ReviewQuery& query) {
    if (!query.owner.empty() && !SameText(metadata.owner, query.owner) &&
        !SameText(metadata.owner_email, query.owner)) {
        return false;
    }
    if (query.body != nullptr && metadata.owner_body != query.body->id &&
        metadata.decided_by != query.body->id) {
        return false;
    }
    return true;
}

bool IsListed(const core::ReviewStatus& status, ReviewFilter filter) {
    switch (filter) {
        case ReviewFilter::kAll:
            return true;
        case ReviewFilter::kDue:
            return status.state == core::ReviewState::kDue ||
                   status.state == core::ReviewState::kOverdue;
        case ReviewFilter::kOverdue:
            return status.state == core::ReviewState::kOverdue;
    }
    return false;
}

std::optional<PeriodDeadline> CurrentPeriod(const core::Schema& schema, core::Date on) {
    std::optional<core::MandatePeriod> period = core::PeriodContaining(on);
    if (!period) return std::nullopt;
    std::optional<int> grace;
    for (const core::DocType& type : schema.doctypes()) {
        if (type.review.kind != core::ReviewRuleKind::kEveryMandatePeriod) continue;
        const int months = std::max(0, type.review.grace_months);
        if (!grace || months < *grace) grace = months;
    }
    return PeriodDeadline{*period, period->start.AddMonths(grace.value_or(0))};
}

std::shared_ptr<const ReviewCatalog::Documents> ReviewCatalog::At(const store::Store& store) {
    std::lock_guard lock(mutex_);
    const std::optional<std::string> head = store.Head();
    if (head == head_) return documents_;
    std::map<std::string, std::shared_ptr<const core::Metadata>> by_id;
    std::vector<std::string> to_read;
    bool full = true;
    if (head_ && head) {
        try {
            const store::ChangedDocuments changed = store.ChangedBetween(head_, *head);
            for (const auto& metadata : *documents_) by_id.emplace(metadata->id, metadata);
            for (const std::string& id : changed.removed) by_id.erase(id);
            to_read = changed.changed;
            full = false;
        } catch (const Error& error) {
            // The old head is gone (a rewritten history): read everything again.
            if (error.code() != ErrorCode::kNotFound) throw;
            by_id.clear();
        }
    }
    if (full && head) to_read = store.ListDocuments(head);
    for (const std::string& id : to_read) {
        if (std::optional<store::Document> document = store.Read(id, head)) {
            by_id.insert_or_assign(
                id, std::make_shared<const core::Metadata>(std::move(document->metadata)));
        } else {
            by_id.erase(id);
        }
    }
    auto documents = std::make_shared<Documents>();
    documents->reserve(by_id.size());
    for (auto& [id, metadata] : by_id) documents->push_back(std::move(metadata));
    documents_ = std::move(documents);
    head_ = head;
    return documents_;
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
