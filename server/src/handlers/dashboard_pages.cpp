// The clerk's dashboard, /granskning, and the yearly report per body, /granskning/rapport
// (issue 6, points 2 and 6; DOMAIN.md "Review"): what needs a review now, what expires, what
// lacks required metadata or an HTML text, and what was reviewed, revised and repealed in a
// year. Both are pages for clerks and admins and CSV files of the same lists. The review
// states come from the registry's snapshot and core::ReviewStatusOf, as for GET /api/reviews;
// nothing here is cached, since only signed-in users see it. The dashboard also carries the
// form for one decision that reviews many of the listed documents (issue 17, point 4),
// POST /granskning/provning, recorded as POST /api/reviews records it (batch_review.hpp).
#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "../render/csv.hpp"
#include "../render/html.hpp"
#include "../render/labels.hpp"
#include "batch_review.hpp"
#include "edit_form.hpp"
#include "page.hpp"
#include "styrdok/core/document_review.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/validation.hpp"
#include "styrdok/core/year_report.hpp"
#include "styrmodell_pages.hpp"

namespace styrdok::server {

namespace {

constexpr int kExpiringWithinDays = 90;

const User& RequireReviewer(const Request& request) {
    const User& user = RequireUser(request);
    if (user.role != Role::kClerk && user.role != Role::kAdmin) {
        throw Error(ErrorCode::kForbidden,
                    "granskningen är till för registratorer och administratörer");
    }
    return user;
}

// A query parameter given at most once; Error(kBadInput) naming it otherwise.
std::string SingleParam(const Request& request, std::string_view name) {
    int count = 0;
    std::string value;
    for (const auto& [key, v] : request.query) {
        if (key != name) continue;
        if (++count > 1) {
            throw Error(ErrorCode::kBadInput, std::string(name) + " får bara anges en gång");
        }
        value = v;
    }
    return value;
}

const core::Body* BodyParam(const Request& request, const core::Schema& schema) {
    const std::string organ = SingleParam(request, "organ");
    if (organ.empty()) return nullptr;
    const core::Body* body = schema.FindBody(organ);
    if (body == nullptr) throw Error(ErrorCode::kBadInput, "okänt organ: " + organ);
    return body;
}

bool IsCsv(const Request& request, bool csv_route) {
    if (csv_route) return true;
    const std::string format = SingleParam(request, "format");
    if (format.empty() || format == "html") return false;
    if (format == "csv") return true;
    throw Error(ErrorCode::kBadInput, "format ska vara html eller csv");
}

// ---------------------------------------------------------------------------------------
// The dashboard.

struct DashboardFilter {
    const core::Body* body = nullptr;
    std::string owner;
    const core::DocType* doctype = nullptr;
};

DashboardFilter ParseDashboardFilter(const Request& request, const core::Schema& schema) {
    DashboardFilter filter;
    filter.body = BodyParam(request, schema);
    filter.owner = SingleParam(request, "agare");
    if (const std::string type = SingleParam(request, "typ"); !type.empty()) {
        filter.doctype = schema.FindDocType(type);
        if (filter.doctype == nullptr) {
            throw Error(ErrorCode::kBadInput, "okänd dokumenttyp: " + type);
        }
    }
    return filter;
}

enum class Section { kOverdue, kDue, kExpiring, kMissing, kNoText };

struct SectionInfo {
    Section section;
    const char* id;
    const char* heading;
    const char* intro;
    const char* empty;
};

constexpr SectionInfo kSections[] = {
    {Section::kOverdue, "forsenade", "Försenade",
     "Aktualitetsprövningen skulle ha gjorts och är inte registrerad.",
     "Inga dokument är försenade."},
    {Section::kDue, "ska-provas", "Ska aktualitetsprövas nu",
     "Dokumenten ska prövas nu och är ännu inte försenade.", "Inga dokument ska prövas nu."},
    {Section::kExpiring, "upphor", "Slutar gälla inom 90 dagar",
     "Dokumentens giltighetstid tar slut inom 90 dagar.",
     "Inga dokument slutar gälla inom 90 dagar."},
    {Section::kMissing, "saknar-uppgifter", "Saknar obligatoriska uppgifter",
     "Uppgifter som krävs för ett gällande dokument saknas eller är felaktiga.",
     "Alla gällande dokument har de uppgifter som krävs."},
    {Section::kNoText, "saknar-text", "Saknar text på webben",
     "Dokumentet finns bara som bifogad fil, till exempel en PDF. En PDF ensam är inte "
     "tillgänglig: lägg in texten.",
     "Alla gällande dokument har text på webben."},
};

struct Row {
    const core::Metadata* m;
    core::ReviewStatus status;
    std::string note;  ///< what the row is about: a date or the missing fields
};

struct Dashboard {
    core::Date today;
    std::map<Section, std::vector<Row>> rows;
    // Per body id: documents in force under review, due, overdue.
    struct Counts {
        int ok = 0;
        int due = 0;
        int overdue = 0;
        int Total() const { return ok + due + overdue; }
    };
    std::map<std::string, Counts> counts;
};

std::string StateName(core::ReviewState state) {
    switch (state) {
        case core::ReviewState::kNotApplicable:
            return "prövas inte";
        case core::ReviewState::kOk:
            return "i tid";
        case core::ReviewState::kDue:
            return "ska prövas";
        case core::ReviewState::kOverdue:
            return "försenad";
    }
    return {};
}

Dashboard BuildDashboard(const Site& site, const store::Snapshot& snapshot,
                         const DashboardFilter& filter, const Request& request) {
    Dashboard d;
    d.today = site.Today();
    for (const store::SnapshotEntry& entry : snapshot.documents()) {
        const core::Metadata& m = *entry.metadata;
        if (!core::MaySee(ActorOf(request), m, site.schema)) continue;
        if (!core::AnswersTo(m, filter.owner, filter.body)) continue;
        if (filter.doctype != nullptr && m.doctype != filter.doctype->id) continue;
        if (m.status != core::Status::kInForce) continue;
        const core::ReviewStatus status =
            core::ReviewStatusOf(m, site.schema, d.today, !snapshot.ReplacedBy(m.id).empty());
        if (status.state != core::ReviewState::kNotApplicable) {
            Dashboard::Counts& counts = d.counts[core::ResponsibleBody(m)];
            if (status.state == core::ReviewState::kOk) ++counts.ok;
            if (status.state == core::ReviewState::kDue) ++counts.due;
            if (status.state == core::ReviewState::kOverdue) ++counts.overdue;
        }
        if (status.state == core::ReviewState::kOverdue) {
            d.rows[Section::kOverdue].push_back(
                {&m, status, "senast " + DateText(core::LastAllowedDay(status))});
        } else if (status.state == core::ReviewState::kDue) {
            d.rows[Section::kDue].push_back(
                {&m, status, "senast " + DateText(core::LastAllowedDay(status))});
        }
        if (m.valid_to && *m.valid_to >= d.today &&
            *m.valid_to <= d.today.AddDays(kExpiringWithinDays)) {
            d.rows[Section::kExpiring].push_back(
                {&m, status, "gäller till " + DateText(m.valid_to)});
        }
        std::vector<std::string> fields;
        for (const core::Problem& problem : core::Validate(m, site.schema, d.today)) {
            const std::string label = site.schema.LabelOf(problem.field);
            if (std::find(fields.begin(), fields.end(), label) == fields.end())
                fields.push_back(label);
        }
        if (!fields.empty()) {
            std::string note;
            for (const std::string& field : fields) note += (note.empty() ? "" : ", ") + field;
            d.rows[Section::kMissing].push_back({&m, status, note});
        }
        if (!entry.has_text) {
            d.rows[Section::kNoText].push_back({&m, status, "bara bifogad fil"});
        }
    }
    return d;
}

// The options of a body filter: "Alla organ" and every body of the schema.
mstch::array BodyOptions(const core::Schema& schema, const core::Body* selected) {
    mstch::array options{mstch::map{{"option_value", Text("")},
                                    {"option_label", Text("Alla organ")},
                                    {"option_selected", selected == nullptr}}};
    for (const core::Body& body : schema.bodies()) {
        options.push_back(mstch::map{{"option_value", Text(body.id)},
                                     {"option_label", Text(body.name)},
                                     {"option_selected", selected == &body}});
    }
    return options;
}

std::string FilterQuery(const DashboardFilter& filter) {
    std::vector<std::pair<std::string, std::string>> params;
    if (filter.body != nullptr) params.emplace_back("organ", filter.body->id);
    if (!filter.owner.empty()) params.emplace_back("agare", filter.owner);
    if (filter.doctype != nullptr) params.emplace_back("typ", filter.doctype->id);
    return QueryString(params);
}

Response DashboardCsv(const Site& site, const Dashboard& d) {
    std::string csv;
    AppendCsvRecord(csv, {"Avsnitt", "Id", "Titel", "Dokumenttyp", "Organ", "Ansvarig",
                          "Ansvarigs e-post", "Beslutad", "Prövningsstatus", "Ska prövas från",
                          "Senast", "Gäller till", "Anmärkning", "Adress"});
    for (const SectionInfo& info : kSections) {
        const auto found = d.rows.find(info.section);
        if (found == d.rows.end()) continue;
        for (const Row& row : found->second) {
            const core::Metadata& m = *row.m;
            AppendCsvRecord(
                csv,
                {info.heading, m.id, m.title, DocTypeLabel(site.schema, m.doctype),
                 BodyName(site.schema, core::ResponsibleBody(m)), m.owner, m.owner_email,
                 m.decided_on ? m.decided_on->ToString() : "", StateName(row.status.state),
                 row.status.due_on ? row.status.due_on->ToString() : "",
                 core::LastAllowedDay(row.status) ? core::LastAllowedDay(row.status)->ToString()
                                                  : "",
                 m.valid_to ? m.valid_to->ToString() : "", row.note, DocumentUrl(m.id)});
        }
    }
    return CsvResponse(std::move(csv), "granskning-" + d.today.ToString() + ".csv");
}

// The chart of review status per body: one stacked bar per body, each state with its own
// pattern and its count written beside the bar, so no information is carried by colour
// alone. Coordinates are in the SVG's own units; the SVG scales to the page's width.
constexpr int kChartWidth = 640;
constexpr int kBarMaxWidth = 600;
constexpr int kRowHeight = 56;

mstch::map ChartContext(const Site& site, const Dashboard& d) {
    int max_total = 1;
    for (const auto& [body, counts] : d.counts) max_total = std::max(max_total, counts.Total());
    mstch::array rows;
    std::string description;
    int y = 0;
    for (const auto& [body, counts] : d.counts) {
        const auto width = [&](int n) { return n * kBarMaxWidth / max_total; };
        const std::string name = BodyName(site.schema, body);
        const std::string counts_text = std::to_string(counts.ok) + " i tid, " +
                                        std::to_string(counts.due) + " ska prövas, " +
                                        std::to_string(counts.overdue) + " försenade";
        description += name + ": " + counts_text + ". ";
        rows.push_back(mstch::map{
            {"row_body", Text(name)},
            {"row_body_id", Text(body)},
            {"row_ok", counts.ok},
            {"row_due", counts.due},
            {"row_overdue", counts.overdue},
            {"row_total", counts.Total()},
            {"row_counts_text", Text(counts_text)},
            {"row_label_y", y + 18},
            {"row_bar_y", y + 26},
            {"row_ok_width", width(counts.ok)},
            {"row_due_x", width(counts.ok)},
            {"row_due_width", width(counts.due)},
            {"row_overdue_x", width(counts.ok) + width(counts.due)},
            {"row_overdue_width", width(counts.overdue)},
        });
        y += kRowHeight;
    }
    return mstch::map{
        {"has_chart", !rows.empty()},
        {"chart_rows", rows},
        {"chart_width", kChartWidth},
        {"chart_height", std::max(y, 1)},
        {"chart_description",
         Text("Antal gällande dokument som aktualitetsprövas, per organ. " + description)},
    };
}

// ---------------------------------------------------------------------------------------
// The form for one decision over many of the listed documents.

// The form as the clerk filled it in, kept whole when it is sent back with errors.
struct BatchForm {
    core::ReviewDecision decision;                ///< outcome: the one for all
    std::set<std::string> chosen;                 ///< ticked document ids
    std::map<std::string, std::string> outcomes;  ///< id → its own outcome, as chosen
    std::map<std::string, std::string> versions;  ///< id → the version the list showed
};

// What the form shows beside its fields: messages by field of the decision and by document.
struct BatchFormErrors {
    std::vector<FormError> decision;
    std::map<std::string, std::string> documents;              ///< id → message
    std::vector<std::pair<std::string, std::string>> summary;  ///< anchor, message
};

struct OutcomeChoice {
    const char* value;
    const char* label;
    const char* id;
};

constexpr OutcomeChoice kBatchOutcomes[] = {
    {"fortsatt gällande", "Fortsatt gällande", "falt-outcome"},
    {"revideras", "Revideras", "falt-outcome-revideras"},
    {"upphävs", "Upphävs", "falt-outcome-upphavs"},
};

constexpr const char* kBatchSectionId = "gemensamt-beslut";

std::string DocumentBoxId(const std::string& id) { return "beslut-dokument-" + id; }

// The documents the form offers: the overdue, then the due.
std::vector<const Row*> BatchRows(const Dashboard& d) {
    std::vector<const Row*> rows;
    for (const Section section : {Section::kOverdue, Section::kDue}) {
        if (const auto found = d.rows.find(section); found != d.rows.end()) {
            for (const Row& row : found->second) rows.push_back(&row);
        }
    }
    return rows;
}

BatchForm ReadBatchForm(const Request& request) {
    BatchForm form;
    form.decision = {request.Field("decided_by"), request.Field("decided_on"),
                     request.Field("paragraph"),  request.Field("dnr"),
                     request.Field("outcome"),    {}};
    for (const std::string& id : request.Fields("dokument")) form.chosen.insert(id);
    for (const auto& [name, value] : request.form) {
        if (name.starts_with("utfall-")) form.outcomes[name.substr(7)] = value;
        if (name.starts_with("version-")) form.versions[name.substr(8)] = value;
    }
    return form;
}

mstch::map BatchFormContext(const Site& site, const store::Snapshot& snapshot, const Dashboard& d,
                            const BatchForm& form, const BatchFormErrors& errors,
                            const std::string& action) {
    mstch::array rows;
    for (const Row* row : BatchRows(d)) {
        const core::Metadata& m = *row->m;
        const store::SnapshotEntry* entry = snapshot.Find(m.id);
        const auto own = form.outcomes.find(m.id);
        const std::string outcome = own == form.outcomes.end() ? "" : own->second;
        mstch::array options{mstch::map{{"option_value", Text("")},
                                        {"option_label", Text("Som beslutet")},
                                        {"option_selected", outcome.empty()}}};
        for (const OutcomeChoice& choice : kBatchOutcomes) {
            options.push_back(mstch::map{{"option_value", Text(choice.value)},
                                         {"option_label", Text(choice.label)},
                                         {"option_selected", outcome == choice.value}});
        }
        const auto error = errors.documents.find(m.id);
        rows.push_back(mstch::map{
            {"row_id", Text(m.id)},
            {"row_box_id", Text(DocumentBoxId(m.id))},
            {"row_title", Text(m.title)},
            {"row_url", Text(DocumentUrl(m.id))},
            {"row_state",
             Text(row->status.state == core::ReviewState::kOverdue ? "Försenad" : "Ska prövas")},
            {"row_body", Text(BodyName(site.schema, m.decided_by))},
            {"row_note", Text(row->note)},
            {"row_version", Text(entry ? entry->version : "")},
            {"row_checked", form.chosen.contains(m.id)},
            {"row_outcome_options", options},
            {"row_error", Text(error == errors.documents.end() ? "" : error->second)},
        });
    }
    const auto field = [&](const char* name, const std::string& value, bool required,
                           std::string_view hint = {}) {
        return FieldContext(site.schema, name, value, errors.decision, required, hint);
    };
    mstch::array outcomes;
    for (const OutcomeChoice& choice : kBatchOutcomes) {
        outcomes.push_back(mstch::map{{"outcome_value", Text(choice.value)},
                                      {"outcome_label", Text(choice.label)},
                                      {"outcome_id", Text(choice.id)},
                                      {"outcome_checked", form.decision.outcome == choice.value}});
    }
    std::string outcome_error;
    std::string documents_error;
    for (const FormError& error : errors.decision) {
        if (error.field == "outcome")
            outcome_error += (outcome_error.empty() ? "" : " ") + error.message;
        if (error.field == "documents") documents_error = error.message;
    }
    mstch::array summary;
    for (const auto& [anchor, message] : errors.summary) {
        summary.push_back(
            mstch::map{{"error_anchor", Text(anchor)}, {"error_message", Text(message)}});
    }
    return mstch::map{
        {"has_batch_rows", !rows.empty()},
        {"batch_action", Text(action)},
        {"batch_rows", rows},
        {"batch_fields",
         mstch::array{
             field("decided_by", form.decision.decided_by, true,
                   "Organet som beslutade. Det ska ha antagit dokumenten eller stå över organen "
                   "som antog dem."),
             field("decided_on", form.decision.decided_on, true),
             field("paragraph", form.decision.paragraph, false,
                   "Till exempel § 67. Krävs när ett politiskt organ har beslutat."),
             field("dnr", form.decision.dnr, false,
                   "Ärendets diarienummer, till exempel KS 2026/0311."),
         }},
        {"batch_outcomes", outcomes},
        {"batch_outcome_error", Text(outcome_error)},
        {"batch_documents_error", Text(documents_error)},
        {"has_errors", !summary.empty()},
        {"errors", summary},
    };
}

// The decision the commit `version` recorded, from the documents it last changed: what the
// dashboard shows after the form was sent.
mstch::map RecordedContext(const Site& site, const store::Snapshot& snapshot,
                           const std::string& version) {
    mstch::array rows;
    std::optional<core::ReviewRecord> decision;
    for (const store::SnapshotEntry& entry : snapshot.documents()) {
        if (entry.version != version || entry.metadata->reviews.empty()) continue;
        const core::ReviewRecord& record = entry.metadata->reviews.back();
        if (!decision) decision = record;
        if (!core::SameDecision(*decision, record)) continue;
        rows.push_back(mstch::map{
            {"recorded_url", Text(DocumentUrl(entry.metadata->id))},
            {"recorded_title", Text(entry.metadata->title)},
            {"recorded_outcome", Text(std::string(core::ReviewOutcomeName(record.outcome)))}});
    }
    if (!decision) return mstch::map{{"has_recorded", false}};
    std::string text =
        BodyName(site.schema, decision->decided_by) + " " + decision->decided_on.ToString();
    if (!decision->paragraph.empty()) text += " " + decision->paragraph;
    if (!decision->dnr.empty()) text += ", dnr " + decision->dnr;
    text += ", " + std::to_string(rows.size()) + " dokument.";
    return mstch::map{
        {"has_recorded", true}, {"recorded_decision", Text(text)}, {"recorded_rows", rows}};
}

Response DashboardPage(const Site& site, const Request& request, const Dashboard& d,
                       const DashboardFilter& filter, const store::Snapshot& snapshot,
                       const BatchForm& form = {}, const BatchFormErrors& errors = {},
                       int status = 200) {
    mstch::map context = PageContext(site, request, "Granskning");
    context["is_granskning_page"] = true;
    context["today"] = Text(DateText(d.today));
    if (std::optional<core::PeriodDeadline> period = core::CurrentPeriod(site.schema, d.today)) {
        context["has_period"] = true;
        context["period_label"] = Text(period->period.Label());
        context["period_start"] = Text(DateText(period->period.start));
        context["period_end"] = Text(DateText(period->period.end));
        context["period_deadline"] = Text(DateText(period->deadline));
    }
    context["body_options"] = BodyOptions(site.schema, filter.body);
    mstch::array types{mstch::map{{"option_value", Text("")},
                                  {"option_label", Text("Alla dokumenttyper")},
                                  {"option_selected", filter.doctype == nullptr}}};
    for (const core::DocType& type : site.schema.doctypes()) {
        types.push_back(mstch::map{{"option_value", Text(type.id)},
                                   {"option_label", Text(DocTypeLabel(site.schema, type.id))},
                                   {"option_selected", filter.doctype == &type}});
    }
    context["doctype_options"] = types;
    context["owner_value"] = Text(filter.owner);
    const std::string query = FilterQuery(filter);
    context["csv_url"] = Text("/granskning.csv" + (query.empty() ? "" : "?" + query));
    context["is_filtered"] = !query.empty();
    mstch::array sections;
    mstch::array summary;
    for (const SectionInfo& info : kSections) {
        mstch::array rows;
        if (const auto found = d.rows.find(info.section); found != d.rows.end()) {
            for (const Row& row : found->second) {
                const core::Metadata& m = *row.m;
                rows.push_back(mstch::map{
                    {"doc_url", Text(DocumentUrl(m.id))},
                    {"doc_title", Text(m.title)},
                    {"doc_id", Text(m.id)},
                    {"doc_type", Text(DocTypeLabel(site.schema, m.doctype))},
                    {"doc_body", Text(BodyName(site.schema, core::ResponsibleBody(m)))},
                    {"doc_owner", Text(m.owner)},
                    {"doc_decided_on", Text(DateText(m.decided_on))},
                    {"doc_note", Text(row.note)},
                    {"review_url", Text(site.ReadOnly() ? "" : DocumentUrl(m.id) + "/provning")},
                });
            }
        }
        summary.push_back(mstch::map{{"summary_id", Text(info.id)},
                                     {"summary_heading", Text(info.heading)},
                                     {"summary_count", static_cast<int>(rows.size())}});
        sections.push_back(mstch::map{{"section_id", Text(info.id)},
                                      {"section_heading", Text(info.heading)},
                                      {"section_intro", Text(info.intro)},
                                      {"section_empty", Text(info.empty)},
                                      {"section_count", static_cast<int>(rows.size())},
                                      {"has_rows", !rows.empty()},
                                      {"rows", rows}});
    }
    context["summary"] = summary;
    context["sections"] = sections;
    for (auto& [key, value] : ChartContext(site, d)) context[key] = value;
    context["report_url"] = Text("/granskning/rapport");
    context["batch_section_id"] = Text(kBatchSectionId);
    context["may_record"] = !site.ReadOnly();
    for (auto& [key, value] :
         BatchFormContext(site, snapshot, d, form, errors,
                          "/granskning/provning" + (query.empty() ? "" : "?" + query))) {
        context[key] = value;
    }
    const std::string recorded = status == 200 ? SingleParam(request, "registrerat") : "";
    for (auto& [key, value] : RecordedContext(site, snapshot, recorded)) context[key] = value;
    const auto shown = [&filter](const core::Metadata& m) {
        return core::AnswersTo(m, filter.owner, filter.body) &&
               (filter.doctype == nullptr || m.doctype == filter.doctype->id);
    };
    for (auto& [key, value] : MissingLinksContext(site, snapshot, request, shown)) {
        context[key] = value;
    }
    return Page(site, "granskning", context, status);
}

Response DashboardHandler(const Site& site, const Request& request, bool csv_route) {
    RequireReviewer(request);
    const DashboardFilter filter = ParseDashboardFilter(request, site.schema);
    const bool csv = IsCsv(request, csv_route);
    const std::shared_ptr<const store::Snapshot> snapshot = site.Snapshot();
    const Dashboard d = BuildDashboard(site, *snapshot, filter, request);
    return csv ? DashboardCsv(site, d) : DashboardPage(site, request, d, filter, *snapshot);
}

// POST /granskning/provning: the form's decision, recorded as one commit; on success back to
// the dashboard, which shows what was recorded; otherwise the dashboard again with the form as
// sent and the errors beside its fields.
Response RecordBatchFromForm(const Site& site, const Request& request) {
    const User& user = RequireReviewer(request);
    Forbid(site, core::WhyNotRecordReview(user.Actor()));
    const DashboardFilter filter = ParseDashboardFilter(request, site.schema);
    const BatchForm form = ReadBatchForm(request);
    core::BatchDecision batch;
    batch.decision = form.decision;
    for (const std::string& id : form.chosen) {
        const auto own = form.outcomes.find(id);
        batch.documents.push_back({id, own == form.outcomes.end() ? "" : own->second});
    }
    BatchFormErrors errors;
    int status = 400;
    try {
        const BatchResult result = RecordBatch(site, user, batch, "", form.versions);
        if (result.problems.empty()) {
            Response response;
            response.status = 303;
            const std::string query = FilterQuery(filter);
            response.headers.emplace_back("Location",
                                          "/granskning?" + (query.empty() ? "" : query + "&") +
                                              "registrerat=" + result.version + "#registrerat");
            return response;
        }
        const std::shared_ptr<const store::Snapshot> snapshot = site.Snapshot();
        for (const core::BatchProblem& p : result.problems) {
            const std::string text = core::SwedishText(p.problem, site.schema);
            if (p.id.empty()) {
                errors.decision.push_back({p.problem.field, text});
                std::string anchor = FieldAnchor(site.schema, p.problem.field);
                if (p.problem.field == "documents") {
                    anchor = form.chosen.empty() ? "" : DocumentBoxId(*form.chosen.begin());
                }
                errors.summary.emplace_back(anchor, text);
                continue;
            }
            std::string& message = errors.documents[p.id];
            message += (message.empty() ? "" : " ") + text;
            const store::SnapshotEntry* entry = snapshot->Find(p.id);
            const std::string title = entry ? entry->metadata->title : p.id;
            errors.summary.emplace_back(DocumentBoxId(p.id), title + ": " + text);
        }
    } catch (const Error& error) {
        if (error.code() != ErrorCode::kStaleVersion && error.code() != ErrorCode::kConflict) {
            throw;
        }
        status = 409;
        errors.summary.emplace_back("", std::string(error.what()) +
                                            ". Listan nedan visar läget nu; kontrollera och "
                                            "skicka igen.");
    }
    const std::shared_ptr<const store::Snapshot> snapshot = site.Snapshot();
    const Dashboard d = BuildDashboard(site, *snapshot, filter, request);
    return DashboardPage(site, request, d, filter, *snapshot, form, errors, status);
}

// ---------------------------------------------------------------------------------------
// The yearly report: per body, what happened in a calendar year.

constexpr int kFirstReportYear = 1990;
constexpr int kLastReportYear = 2100;

struct ReportEntry {
    const core::Metadata* m;
    std::string kind;     ///< "Aktualitetsprövad", "Reviderad", "Upphävd", "Försenad"
    std::string date;     ///< of the event, ISO
    std::string outcome;  ///< of a review
    std::string decided_by;
    std::string paragraph;
};

struct Report {
    int year = 0;
    const core::Body* body = nullptr;
    core::Date end;  ///< the year's last day, or today when the year is not over
    std::vector<ReportEntry> reviewed, revised, repealed, overdue;
    std::vector<std::vector<core::Metadata>> versions;  ///< what the entries point into
};

int ReportYear(const Request& request, core::Date today) {
    const std::string year_text = SingleParam(request, "ar");
    if (year_text.empty()) return today.year();
    const bool digits =
        year_text.size() == 4 && std::all_of(year_text.begin(), year_text.end(),
                                             [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || std::stoi(year_text) < kFirstReportYear ||
        std::stoi(year_text) > kLastReportYear) {
        throw Error(ErrorCode::kBadInput, "ar ska vara ett årtal, till exempel 2026");
    }
    return std::stoi(year_text);
}

std::string ReportKind(core::YearEventKind kind) {
    switch (kind) {
        case core::YearEventKind::kReviewed:
            return "Aktualitetsprövad";
        case core::YearEventKind::kRevised:
            return "Reviderad";
        case core::YearEventKind::kRepealed:
            return "Upphävd";
        case core::YearEventKind::kOverdue:
            return "Försenad";
    }
    return "";
}

// The report is composed by core::ComposeYearReport from each visible document's versions, so
// that a past year shows what was decided and overdue then, not today's metadata.
Report BuildReport(const Site& site, const Request& request, const store::Snapshot& snapshot) {
    Report report;
    const core::Date today = site.Today();
    report.year = ReportYear(request, today);
    report.body = BodyParam(request, site.schema);
    std::vector<core::DocumentHistory> histories;
    {
        ReaderPool::Lease reader = site.readers.Acquire();
        for (const store::SnapshotEntry& entry : snapshot.documents()) {
            const core::Metadata& m = *entry.metadata;
            if (!core::MaySee(ActorOf(request), m, site.schema)) continue;
            if (!core::AnswersTo(m, "", report.body)) continue;
            report.versions.push_back(reader->store.VersionMetadata(m.id));
            core::DocumentHistory history;
            for (const core::Metadata& version : report.versions.back()) {
                history.versions.push_back(&version);
            }
            for (const std::string& successor : snapshot.ReplacedBy(m.id)) {
                const store::SnapshotEntry* other = snapshot.Find(successor);
                if (other && other->metadata->decided_on) {
                    history.successors_decided_on.push_back(*other->metadata->decided_on);
                }
            }
            histories.push_back(std::move(history));
        }
    }
    const core::YearReport composed =
        core::ComposeYearReport(report.year, today, histories, site.schema);
    report.end = composed.end;
    const auto entries = [&](const std::vector<core::YearEvent>& events) {
        std::vector<ReportEntry> out;
        for (const core::YearEvent& e : events) {
            out.push_back({e.document, ReportKind(e.kind), e.date.ToString(),
                           e.outcome ? std::string(core::ReviewOutcomeName(*e.outcome)) : "",
                           BodyName(site.schema, e.decided_by), e.paragraph});
        }
        return out;
    };
    report.reviewed = entries(composed.reviewed);
    report.revised = entries(composed.revised);
    report.repealed = entries(composed.repealed);
    report.overdue = entries(composed.overdue);
    return report;
}

Response ReportCsv(const Site& site, const Report& report) {
    std::string csv;
    AppendCsvRecord(csv, {"År", "Händelse", "Datum", "Utfall", "Beslutande organ", "Paragraf", "Id",
                          "Titel", "Dokumenttyp", "Ansvarigt organ", "Adress"});
    for (const auto* list :
         {&report.reviewed, &report.revised, &report.repealed, &report.overdue}) {
        for (const ReportEntry& e : *list) {
            AppendCsvRecord(
                csv, {std::to_string(report.year), e.kind, e.date, e.outcome, e.decided_by,
                      e.paragraph, e.m->id, e.m->title, DocTypeLabel(site.schema, e.m->doctype),
                      BodyName(site.schema, core::ResponsibleBody(*e.m)), DocumentUrl(e.m->id)});
        }
    }
    return CsvResponse(std::move(csv), "granskning-rapport-" + std::to_string(report.year) +
                                           (report.body ? "-" + report.body->id : "") + ".csv");
}

mstch::array ReportRows(const Site& site, const std::vector<ReportEntry>& entries) {
    mstch::array rows;
    for (const ReportEntry& e : entries) {
        rows.push_back(mstch::map{
            {"doc_url", Text(DocumentUrl(e.m->id))},
            {"doc_title", Text(e.m->title)},
            {"doc_type", Text(DocTypeLabel(site.schema, e.m->doctype))},
            {"doc_body", Text(BodyName(site.schema, core::ResponsibleBody(*e.m)))},
            {"entry_date", Text(e.date)},
            {"entry_outcome", Text(e.outcome)},
            {"entry_decided_by", Text(e.decided_by)},
            {"entry_paragraph", Text(e.paragraph)},
        });
    }
    return rows;
}

Response ReportPage(const Site& site, const Request& request, const Report& report) {
    const std::string scope = report.body ? report.body->name : "alla organ";
    mstch::map context =
        PageContext(site, request, "Granskningsrapport " + std::to_string(report.year));
    context["is_granskning_page"] = true;
    context["report_year"] = Text(std::to_string(report.year));
    context["report_scope"] = Text(scope);
    context["report_end"] = Text(DateText(report.end));
    context["year_is_over"] = report.end == *core::Date::FromYmd(report.year, 12, 31);
    context["body_options"] = BodyOptions(site.schema, report.body);
    std::vector<std::pair<std::string, std::string>> params{{"ar", std::to_string(report.year)}};
    if (report.body) params.emplace_back("organ", report.body->id);
    context["csv_url"] = Text("/granskning/rapport.csv?" + QueryString(params));
    const auto list = [&](const char* prefix, const std::vector<ReportEntry>& entries) {
        context[std::string(prefix) + "_rows"] = ReportRows(site, entries);
        context[std::string(prefix) + "_count"] = static_cast<int>(entries.size());
        context["has_" + std::string(prefix)] = !entries.empty();
    };
    list("reviewed", report.reviewed);
    list("revised", report.revised);
    list("repealed", report.repealed);
    list("overdue", report.overdue);
    return Page(site, "granskning-rapport", context);
}

Response ReportHandler(const Site& site, const Request& request, bool csv_route) {
    RequireReviewer(request);
    const bool csv = IsCsv(request, csv_route);
    const Report report = BuildReport(site, request, *site.Snapshot());
    return csv ? ReportCsv(site, report) : ReportPage(site, request, report);
}

}  // namespace

void AddDashboardRoutes(Router& router, const Site& site) {
    router.Add("POST", "/granskning/provning", [&site](const Request& request, const PathParams&) {
        return RecordBatchFromForm(site, request);
    });
    for (const bool csv : {false, true}) {
        router.Add("GET", csv ? "/granskning.csv" : "/granskning",
                   [&site, csv](const Request& request, const PathParams&) {
                       return DashboardHandler(site, request, csv);
                   });
        router.Add("GET", csv ? "/granskning/rapport.csv" : "/granskning/rapport",
                   [&site, csv](const Request& request, const PathParams&) {
                       return ReportHandler(site, request, csv);
                   });
    }
}

}  // namespace styrdok::server
