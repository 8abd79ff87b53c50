#include "styrdok/core/review_decision.hpp"

#include <algorithm>
#include <unordered_set>

#include "styrdok/core/paragraph.hpp"
#include "styrdok/core/validation.hpp"

namespace styrdok::core {

namespace {

std::string NameOf(const Schema& schema, const std::string& id) {
    const Body* body = schema.FindBody(id);
    return body ? body->name : id;
}

// A date field as typed: nullopt and no problem when empty.
std::optional<Date> DateField(const char* field, const std::string& text,
                              std::vector<Problem>& problems) {
    if (text.empty()) return std::nullopt;
    std::optional<Date> date = Date::Parse(text);
    if (!date) problems.push_back(MakeProblem(ProblemCode::kBadDate, field, {text}));
    return date;
}

// The decision's own fields; `change.record` gets what parses.
void CheckDecision(const Metadata& current, const ReviewDecision& decision, const Schema& schema,
                   Date today, ReviewChange& change) {
    std::vector<Problem>& problems = change.problems;
    ReviewRecord& record = change.record;
    const Body* body = nullptr;
    if (decision.decided_by.empty()) {
        problems.push_back(MakeProblem(ProblemCode::kRequired, "decided_by"));
    } else if (body = schema.FindBody(decision.decided_by); body == nullptr) {
        problems.push_back(
            MakeProblem(ProblemCode::kUnknownBody, "decided_by", {decision.decided_by}));
    } else {
        record.decided_by = body->id;
        const Body* adopted_by = schema.FindBody(current.decided_by);
        if (adopted_by != nullptr && !schema.DecidesFor(body->id, adopted_by->id)) {
            problems.push_back(MakeProblem(ProblemCode::kBodyMayNotDecide, "decided_by",
                                           {body->name, adopted_by->name}));
        }
    }
    const std::optional<Date> decided_on = DateField("decided_on", decision.decided_on, problems);
    if (decision.decided_on.empty()) {
        problems.push_back(MakeProblem(ProblemCode::kRequired, "decided_on"));
    } else if (decided_on && *decided_on > today) {
        problems.push_back(
            MakeProblem(ProblemCode::kInFuture, "decided_on", {decided_on->ToString()}));
    } else if (decided_on && current.decided_on && *decided_on < *current.decided_on) {
        problems.push_back(MakeProblem(ProblemCode::kReviewBeforeDecision, "decided_on",
                                       {current.decided_on->ToString()}));
    }
    if (decided_on) record.decided_on = *decided_on;
    record.paragraph = decision.paragraph;
    record.dnr = decision.dnr;
    if (!decision.paragraph.empty() && !ParseParagraph(decision.paragraph)) {
        problems.push_back(
            MakeProblem(ProblemCode::kBadParagraph, "paragraph", {decision.paragraph}));
    } else if (decision.paragraph.empty() && body != nullptr && body->political) {
        problems.push_back(MakeProblem(ProblemCode::kParagraphRequired, "paragraph", {body->name}));
    }
    const std::optional<ReviewOutcome> outcome = ParseReviewOutcome(decision.outcome);
    if (!outcome) {
        problems.push_back(
            MakeProblem(ProblemCode::kUnknownOutcome, "outcome", {decision.outcome}));
    } else {
        record.outcome = *outcome;
    }
    const std::optional<Date> valid_to = DateField("valid_to", decision.valid_to, problems);
    if (!decision.valid_to.empty() && outcome && *outcome != ReviewOutcome::kRepealed) {
        problems.push_back(MakeProblem(ProblemCode::kValidToOnlyForRepeal, "valid_to"));
    }
    if (valid_to) change.after.valid_to = valid_to;
}

}  // namespace

ReviewChange ApplyReview(const Metadata& current, const ReviewDecision& decision,
                         const Schema& schema, Date today) {
    ReviewChange change;
    change.after = current;
    change.after.category.clear();  // derived from the doctype, never stored
    if (current.status == Status::kDraft) {
        change.problems.push_back(MakeProblem(ProblemCode::kDraftNotReviewable, ""));
        return change;
    }
    if (current.status == Status::kRepealed) {
        change.problems.push_back(MakeProblem(ProblemCode::kAlreadyRepealed, ""));
        return change;
    }
    CheckDecision(current, decision, schema, today, change);
    if (!change.problems.empty()) return change;

    Metadata& after = change.after;
    const ReviewRecord& record = change.record;
    after.reviews.push_back(record);
    if (!after.last_reviewed_on || *after.last_reviewed_on < record.decided_on) {
        after.last_reviewed_on = record.decided_on;
    }
    if (record.outcome == ReviewOutcome::kRepealed) {
        after.status = Status::kRepealed;
        if (decision.valid_to.empty()) after.valid_to = record.decided_on;
    }
    // Only what the review brings in: a document with an old gap in its metadata can still
    // be reviewed (the review is often what makes someone fill the gap later).
    const std::vector<Problem> before = Validate(current, schema, today);
    for (Problem& problem : Validate(after, schema, today)) {
        if (std::find(before.begin(), before.end(), problem) == before.end()) {
            change.problems.push_back(std::move(problem));
        }
    }
    return change;
}

BatchChange ApplyBatchReview(const BatchDecision& batch, const FindDocument& find,
                             const Actor& actor, const Schema& schema, Date today) {
    BatchChange result;
    if (batch.documents.empty()) {
        result.problems.push_back({"", MakeProblem(ProblemCode::kBatchEmpty, "documents")});
        return result;
    }
    if (batch.documents.size() > kMaxBatchDocuments) {
        result.problems.push_back({"", MakeProblem(ProblemCode::kBatchTooLarge, "documents",
                                                   {std::to_string(kMaxBatchDocuments)})});
        return result;
    }
    ReviewDecision decision = batch.decision;
    decision.valid_to.clear();
    // The decision's own fields, checked against no document, give the problems that do not
    // depend on the document; the entries then report only their own.
    ReviewChange probe;
    ReviewDecision probe_decision = decision;
    if (probe_decision.outcome.empty()) probe_decision.outcome = "fortsatt gällande";
    CheckDecision(Metadata{}, probe_decision, schema, today, probe);
    for (const Problem& problem : probe.problems) result.problems.push_back({"", problem});

    std::unordered_set<std::string> seen;
    for (const BatchEntry& entry : batch.documents) {
        const Metadata* current = IsValidDocumentId(entry.id) ? find(entry.id) : nullptr;
        if (current == nullptr || !MaySee(actor, *current, schema)) {
            result.problems.push_back(
                {entry.id, MakeProblem(ProblemCode::kBatchUnknownDocument, "", {entry.id})});
            continue;
        }
        if (!seen.insert(entry.id).second) {
            result.problems.push_back(
                {entry.id, MakeProblem(ProblemCode::kBatchDuplicate, "", {entry.id})});
            continue;
        }
        ReviewDecision own = decision;
        if (!entry.outcome.empty()) own.outcome = entry.outcome;
        ReviewChange change = ApplyReview(*current, own, schema, today);
        for (Problem& problem : change.problems) {
            if (std::find(probe.problems.begin(), probe.problems.end(), problem) ==
                probe.problems.end()) {
                result.problems.push_back({entry.id, std::move(problem)});
            }
        }
        change.problems.clear();
        result.changes.push_back(std::move(change));
    }
    if (!result.problems.empty()) result.changes.clear();
    return result;
}

bool SameDecision(const ReviewRecord& a, const ReviewRecord& b) {
    if (a.decided_by != b.decided_by || a.decided_on != b.decided_on) return false;
    if (a.paragraph.empty() && b.paragraph.empty()) return !a.dnr.empty() && a.dnr == b.dnr;
    const std::optional<Paragraph> pa = ParseParagraph(a.paragraph);
    const std::optional<Paragraph> pb = ParseParagraph(b.paragraph);
    if (!pa || !pb) return a.paragraph == b.paragraph;
    return pa->number == pb->number && pa->rest == pb->rest;
}

std::string BatchSummary(const std::vector<ReviewChange>& changes, const Schema& schema) {
    if (changes.empty()) return {};
    const ReviewRecord& first = changes.front().record;
    std::string summary = "Aktualitetsprövning av " + NameOf(schema, first.decided_by) + " " +
                          first.decided_on.ToString();
    if (!first.paragraph.empty()) summary += " " + first.paragraph;
    if (!first.dnr.empty()) summary += " (dnr " + first.dnr + ")";
    summary += ": " + std::to_string(changes.size()) + " dokument\n";
    for (const ReviewChange& change : changes) {
        summary +=
            "\n- " + change.after.id + ": " + std::string(ReviewOutcomeName(change.record.outcome));
    }
    return summary;
}

std::string ReviewSummary(const ReviewRecord& record, const Schema& schema) {
    std::string summary = "Aktualitetsprövad av " + NameOf(schema, record.decided_by) + " " +
                          record.decided_on.ToString();
    if (!record.paragraph.empty()) summary += " " + record.paragraph;
    return summary + ": " + std::string(ReviewOutcomeName(record.outcome));
}

Metadata WithReviewRecordOf(Metadata adopted, const Metadata& decided) {
    adopted.reviews = decided.reviews;
    adopted.last_reviewed_on = decided.last_reviewed_on;
    adopted.review_due = decided.review_due;
    return adopted;
}

}  // namespace styrdok::core
