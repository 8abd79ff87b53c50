// Recording an aktualitetsprövning in the browser: the form on /documents/{id}/provning for
// clerks and admins. Each recorded review is one commit through site.writer, like the API's
// POST /api/documents/{id}/reviews (handlers/reviews_api.cpp); both check the decision with
// ApplyReview. The form carries the version it was opened on, so a review is never recorded
// on top of a change the clerk has not seen.
#include "review_pages.hpp"

#include <algorithm>

#include "../render/html.hpp"
#include "../render/labels.hpp"
#include "batch_review.hpp"
#include "edit_form.hpp"
#include "page.hpp"
#include "styrdok/core/document_review.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/review_decision.hpp"

namespace styrdok::server {

namespace {

constexpr int kConflictStatus = 409;

// The form as typed.
struct ReviewForm {
    core::ReviewDecision decision;
    std::string summary;
    std::string version;
};

struct OutcomeChoice {
    const char* value;
    const char* label;
    const char* id;
    const char* hint;
};

constexpr OutcomeChoice kOutcomes[] = {
    {"fortsatt gällande", "Fortsatt gällande", "falt-outcome",
     "Dokumentet gäller oförändrat. Texten ändras inte."},
    {"revideras", "Revideras", "falt-outcome-revideras",
     "Dokumentet ska skrivas om. Den här versionen gäller tills en ny version antas."},
    {"upphävs", "Upphävs", "falt-outcome-upphavs",
     "Dokumentet slutar gälla. Det finns kvar i historiken, märkt som upphävt."},
};

const User& RequireRecorder(const Site& site, const Request& request) {
    const User& user = RequireUser(request);
    if (auto why = core::WhyNotRecordReview(user.Actor())) {
        throw Error(ErrorCode::kForbidden, core::SwedishText(*why, site.schema));
    }
    return user;
}

store::Document Current(const Site& site, const Request& request, const std::string& id) {
    ReaderPool::Lease reader = site.readers.Acquire();
    return FindVisibleDocument(site, reader->store, id, SameAsker(request));
}

Response ReviewPage(const Site& site, const Request& request, const store::Document& current,
                    const ReviewForm& form, const std::vector<FormError>& errors, int status,
                    const std::string& stale_from = {}) {
    const core::Metadata& m = current.metadata;
    mstch::map context = PageContext(site, request, "Aktualitetspröva " + m.title);
    const std::string url = DocumentUrl(m.id);
    context["title"] = Text(m.title);
    context["document_url"] = Text(url);
    context["form_action"] = Text(url + "/provning");
    context["version"] = Text(form.version);
    context["is_closed"] = m.status != core::Status::kInForce;
    context["closed_text"] = Text(m.status == core::Status::kRepealed
                                      ? "Dokumentet är upphävt och kan inte aktualitetsprövas."
                                      : "Ett utkast kan inte aktualitetsprövas: det är inte "
                                        "beslutat ännu.");
    const auto field = [&](const char* name, const std::string& value, bool required,
                           std::string_view hint = {}) {
        return FieldContext(site.schema, name, value, errors, required, hint);
    };
    context["fields"] = mstch::array{
        field("decided_by", form.decision.decided_by, true,
              "Organet som antog dokumentet eller ett organ över det."),
        field("decided_on", form.decision.decided_on, true),
        field("paragraph", form.decision.paragraph, false,
              "Till exempel § 67. Krävs när ett politiskt organ har beslutat."),
        field("dnr", form.decision.dnr, false, "Ärendets diarienummer, till exempel KS 2026/0311."),
    };
    mstch::array outcomes;
    for (const OutcomeChoice& choice : kOutcomes) {
        outcomes.push_back(mstch::map{{"outcome_value", Text(choice.value)},
                                      {"outcome_label", Text(choice.label)},
                                      {"outcome_id", Text(choice.id)},
                                      {"outcome_hint", Text(choice.hint)},
                                      {"outcome_checked", form.decision.outcome == choice.value}});
    }
    context["outcomes"] = outcomes;
    std::string outcome_error;
    for (const FormError& error : errors) {
        if (error.field == "outcome") outcome_error = error.message;
    }
    context["outcome_error"] = Text(outcome_error);
    context["valid_to_field"] =
        field("valid_to", form.decision.valid_to, false,
              "Bara när dokumentet upphävs: sista dagen det gäller. Format: ÅÅÅÅ-MM-DD. Tomt: "
              "beslutsdatumet.");
    context["summary_value"] = Text(form.summary);
    context["is_stale"] = !stale_from.empty();
    context["stale_current_url"] = Text(url);
    context["stale_diff_url"] =
        Text(stale_from.empty() ? "" : url + "/diff?from=" + stale_from + "&to=" + form.version);
    AddErrorKeys(context, site.schema, errors);
    return Page(site, "provning", context, status);
}

Response ShowReviewForm(const Site& site, const Request& request, const std::string& id) {
    RequireRecorder(site, request);
    store::Document current = Current(site, request, id);
    ReviewForm form;
    form.version = current.version;
    form.decision.decided_by = current.metadata.decided_by;
    return ReviewPage(site, request, current, form, {}, 200);
}

Response RecordFromForm(const Site& site, const Request& request, const std::string& id) {
    const User& user = RequireRecorder(site, request);
    store::Document current = Current(site, request, id);
    ReviewForm form{
        {request.Field("decided_by"), request.Field("decided_on"), request.Field("paragraph"),
         request.Field("dnr"), request.Field("outcome"), request.Field("valid_to")},
        request.Field("summary"),
        request.Field("version")};
    if (current.metadata.status != core::Status::kInForce) {
        return ReviewPage(site, request, current, form, {}, kConflictStatus);
    }
    core::ReviewChange change =
        core::ApplyReview(current.metadata, form.decision, site.schema, site.Today());
    if (!change.problems.empty()) {
        return ReviewPage(site, request, current, form,
                          ProblemsAtFields(change.problems, site.schema), 400);
    }
    const std::string based_on = form.version;
    if (based_on != current.version) {
        form.version = current.version;
        return ReviewPage(site, request, current, form, {}, kConflictStatus, based_on);
    }
    store::DocumentWrite write;
    write.metadata = std::move(change.after);
    write.text = current.text;
    write.expected_version = current.version;
    const std::string summary =
        form.summary.empty() ? core::ReviewSummary(change.record, site.schema) : form.summary;
    try {
        site.writer.Save(std::move(write), AuthorOf(user), summary);
    } catch (const Error& error) {
        if (error.code() != ErrorCode::kStaleVersion) throw;
        store::Document now = Current(site, request, id);
        form.version = now.version;
        return ReviewPage(site, request, now, form, {}, kConflictStatus, based_on);
    }
    Response response;
    response.status = 303;
    response.headers.emplace_back("Location", DocumentUrl(id) + "#aktualitetsprovning");
    return response;
}

// The review state of the current version as one Swedish sentence; empty when the document
// is not reviewed.
std::string StateText(const core::ReviewStatus& status) {
    const std::string last = DateText(core::LastAllowedDay(status));
    switch (status.state) {
        case core::ReviewState::kNotApplicable:
            return {};
        case core::ReviewState::kOk:
            return "Nästa aktualitetsprövning ska göras från " + DateText(status.due_on) +
                   " och senast " + last + ".";
        case core::ReviewState::kDue:
            return "Dokumentet ska aktualitetsprövas nu, senast " + last + ".";
        case core::ReviewState::kOverdue:
            return "Aktualitetsprövningen är försenad: den skulle ha gjorts senast " + last + ".";
    }
    return {};
}

}  // namespace

void AddReviewKeys(mstch::map& context, const Site& site, const Request& request,
                   const store::Document& shown, const std::optional<store::Document>& current) {
    std::vector<core::ReviewRecord> records = shown.metadata.reviews;
    std::stable_sort(records.begin(), records.end(),
                     [](const auto& a, const auto& b) { return a.decided_on > b.decided_on; });
    mstch::array reviews;
    std::shared_ptr<const store::Snapshot> snapshot;
    if (!records.empty()) snapshot = site.Snapshot();
    for (const core::ReviewRecord& r : records) {
        mstch::array others;
        const std::vector<const core::Metadata*> together =
            DecidedTogether(site, *snapshot, request, r, shown.metadata.id);
        for (const core::Metadata* other : together) {
            others.push_back(mstch::map{{"other_url", Text(DocumentUrl(other->id))},
                                        {"other_title", Text(other->title)}});
        }
        reviews.push_back(mstch::map{
            {"review_shared", !together.empty()},
            {"review_shared_text",
             Text("Ett beslut för " + std::to_string(together.size() + 1) + " dokument. Även:")},
            {"review_others", others},
            {"review_date", Text(r.decided_on.ToString())},
            {"review_body", Text(BodyName(site.schema, r.decided_by))},
            {"review_paragraph", Text(r.paragraph)},
            {"review_dnr", Text(r.dnr)},
            {"review_outcome", Text(std::string(core::ReviewOutcomeName(r.outcome)))},
        });
    }
    context["has_reviews"] = !reviews.empty();
    context["reviews"] = reviews;
    const bool is_current = current && current->version == shown.version;
    core::ReviewStatus status;
    std::optional<core::ReviewRecord> revision;
    if (is_current) {
        const bool replaced = !site.Snapshot()->ReplacedBy(shown.metadata.id).empty();
        status = core::ReviewStatusOf(shown.metadata, site.schema, site.Today(), replaced);
        revision = core::PendingRevision(shown.metadata);
    }
    context["review_state_text"] = Text(StateText(status));
    context["review_state"] = Text(std::string(core::ReviewStateName(status.state)));
    context["is_review_late"] = status.state == core::ReviewState::kOverdue;
    context["revision_text"] =
        Text(revision ? "Dokumentet ska revideras enligt aktualitetsprövningen " +
                            revision->decided_on.ToString() +
                            ". Den här versionen gäller tills en ny version antas."
                      : "");
    const bool may_record = !site.ReadOnly() && is_current && request.identity.user &&
                            !core::WhyNotRecordReview(request.identity.user->Actor()) &&
                            shown.metadata.status == core::Status::kInForce;
    context["review_url"] = Text(may_record ? DocumentUrl(shown.metadata.id) + "/provning" : "");
    context["has_review_section"] =
        !reviews.empty() || !StateText(status).empty() || revision.has_value() || may_record;
}

void AddReviewPageRoutes(Router& router, const Site& site) {
    router.AddWriteForm("/documents/{id}/provning",
                        [&site](const Request& request, const PathParams& p) {
                            return ShowReviewForm(site, request, p.at("id"));
                        });
    router.Add("POST", "/documents/{id}/provning",
               [&site](const Request& request, const PathParams& p) {
                   return RecordFromForm(site, request, p.at("id"));
               });
}

}  // namespace styrdok::server
