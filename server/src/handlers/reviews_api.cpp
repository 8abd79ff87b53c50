// Aktualitetsprövning over the JSON API (DESIGN.md, "Contract: JSON API"; issue 6): the review
// state of every document as of a date, GET /api/reviews, and recording a review decision,
// POST /api/documents/{id}/reviews, and one decision for many documents, POST /api/reviews.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <ctime>
#include <memory>

#include "../render/calendar.hpp"
#include "../render/json.hpp"
#include "../site.hpp"
#include "batch_review.hpp"
#include "page.hpp"
#include "review_pages.hpp"
#include "review_query.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/review_decision.hpp"
#include "styrdok/core/utf8.hpp"

namespace styrdok::server {

namespace {

Poco::JSON::Object::Ptr ReviewRow(const core::Metadata& m, const core::ReviewStatus& status,
                                  const core::ReviewInput& input) {
    Poco::JSON::Object::Ptr row = NewObject();
    row->set("id", m.id);
    row->set("title", m.title);
    row->set("doctype", m.doctype);
    row->set("owner", m.owner);
    row->set("owner_email", m.owner_email);
    row->set("owner_body", m.owner_body);
    row->set("decided_by", m.decided_by);
    row->set("decided_on", DateOrNull(m.decided_on));
    row->set("state", std::string(core::ReviewStateName(status.state)));
    row->set("due_on", DateOrNull(status.due_on));
    row->set("overdue_on", DateOrNull(status.overdue_on));
    row->set("last_event", DateOrNull(input.last_event));
    row->set("under_revision", core::PendingRevision(m).has_value());
    return row;
}

// Each document the asker may see and the query selects, with its review state on query.on.
template <typename Visit>
void ForEachListed(const Site& site, const Request& request, const ReviewQuery& query,
                   Visit visit) {
    const std::shared_ptr<const store::Snapshot> snapshot = site.Snapshot();
    for (const store::SnapshotEntry& entry : snapshot->documents()) {
        const core::Metadata& m = *entry.metadata;
        if (!core::MaySee(ActorOf(request), m, site.schema)) continue;
        if (!core::AnswersTo(m, query.owner, query.body)) continue;
        const core::ReviewStatus status =
            core::ReviewStatusOf(m, site.schema, query.on, !snapshot->ReplacedBy(m.id).empty());
        if (core::IsListed(status, query.filter)) visit(m, status);
    }
}

Response ReviewsApi(const Site& site, const Request& request) {
    const ReviewQuery query = ParseReviewQuery(request, site.schema, site.Today());
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    ForEachListed(
        site, request, query, [&](const core::Metadata& m, const core::ReviewStatus& status) {
            list->add(ReviewRow(m, status, core::ReviewInputOf(m, site.schema, query.on)));
        });
    Poco::JSON::Object::Ptr body = NewObject();
    body->set("on", query.on.ToString());
    Poco::Dynamic::Var period;
    if (std::optional<core::PeriodDeadline> current = core::CurrentPeriod(site.schema, query.on)) {
        Poco::JSON::Object::Ptr p = NewObject();
        p->set("label", current->period.Label());
        p->set("start", current->period.start.ToString());
        p->set("end", current->period.end.ToString());
        p->set("review_deadline", current->deadline.ToString());
        period = p;
    }
    body->set("mandate_period", period);
    body->set("total", list->size());
    body->set("documents", list);
    return JsonResponse(Stringify(*body));
}

// A string member of the body: empty when absent, Error(kBadInput) naming it when not a
// string.
std::string StringMember(const Poco::JSON::Object& object, const std::string& name) {
    if (!object.has(name) || object.isNull(name)) return {};
    const Poco::Dynamic::Var value = object.get(name);
    if (!value.isString()) {
        throw Error(ErrorCode::kBadInput, name + " ska vara en sträng");
    }
    return value.extract<std::string>();
}

// The version an If-Match header names (quotes and a weak W/ dropped); empty without one.
std::string IfMatchOf(const Request& request) {
    std::string tag = request.Header("if-match");
    const auto first = tag.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    tag = tag.substr(first, tag.find_last_not_of(" \t") + 1 - first);
    if (tag.starts_with("W/")) tag = tag.substr(2);
    if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"')
        tag = tag.substr(1, tag.size() - 2);
    return tag;
}

// The JSON body of a request as an object: Error(kBadInput) for anything else.
Poco::JSON::Object::Ptr JsonObjectBody(const Request& request) {
    if (!request.Header("content-type").starts_with("application/json")) {
        // As for the write API: a cross-site form cannot send JSON.
        throw Error(ErrorCode::kBadInput,
                    "skicka beslutet som JSON (Content-Type: application/json)");
    }
    if (!core::IsValidUtf8(request.body)) {
        throw Error(ErrorCode::kBadInput, "kroppen är inte giltig UTF-8");
    }
    Poco::Dynamic::Var parsed;
    try {
        parsed = Poco::JSON::Parser().parse(request.body);
    } catch (const Poco::Exception&) {
        throw Error(ErrorCode::kBadInput, "kroppen är inte giltig JSON");
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
        throw Error(ErrorCode::kBadInput, "kroppen ska vara ett JSON-objekt");
    }
    return parsed.extract<Poco::JSON::Object::Ptr>();
}

void RefuseUnknownMembers(const Poco::JSON::Object& object, const std::vector<std::string>& known,
                          const std::string& where) {
    for (const std::string& name : object.getNames()) {
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            throw Error(ErrorCode::kBadInput, "okänt fält: " + where + name);
        }
    }
}

struct ReviewRequest {
    core::ReviewDecision decision;
    std::string summary;
};

ReviewRequest ParseReviewJson(const Request& request) {
    const Poco::JSON::Object::Ptr body = JsonObjectBody(request);
    const Poco::JSON::Object& object = *body;
    RefuseUnknownMembers(
        object, {"decided_by", "decided_on", "paragraph", "dnr", "outcome", "valid_to", "summary"},
        "");
    ReviewRequest result;
    result.decision = {StringMember(object, "decided_by"), StringMember(object, "decided_on"),
                       StringMember(object, "paragraph"),  StringMember(object, "dnr"),
                       StringMember(object, "outcome"),    StringMember(object, "valid_to")};
    result.summary = StringMember(object, "summary");
    return result;
}

Response RecordReviewApi(const Site& site, const Request& request, const std::string& id) {
    const User& user = RequireUser(request);
    CheckDocumentId(id);
    const ReviewRequest input = ParseReviewJson(request);
    std::optional<store::Document> current;
    {
        ReaderPool::Lease reader = site.readers.Acquire();
        current = reader->store.Read(id);
    }
    if (!current || !core::MaySee(user.Actor(), current->metadata, site.schema)) {
        throw Error(ErrorCode::kNotFound, "dokumentet finns inte");
    }
    Forbid(site, core::WhyNotRecordReview(user.Actor()));
    const std::string expected = IfMatchOf(request);
    if (!expected.empty() && expected != current->version) {
        throw Error(ErrorCode::kStaleVersion, "dokumentet har ändrats sedan version " + expected +
                                                  "; den gällande versionen är " +
                                                  current->version);
    }
    core::ReviewChange change =
        core::ApplyReview(current->metadata, input.decision, site.schema, site.Today());
    if (!change.problems.empty()) {
        if (current->metadata.status == core::Status::kRepealed) {
            throw Error(ErrorCode::kConflict,
                        core::SwedishText(change.problems.front(), site.schema));
        }
        return JsonResponse(ProblemsJson(change.problems, site.schema), 400);
    }
    store::DocumentWrite write;
    write.metadata = change.after;
    write.text = current->text;
    write.expected_version = current->version;
    const std::string summary =
        input.summary.empty() ? core::ReviewSummary(change.record, site.schema) : input.summary;
    std::string version;
    try {
        version = site.writer.Save(std::move(write), AuthorOf(user), summary);
    } catch (const Error& error) {
        if (error.code() != ErrorCode::kStaleVersion) throw;
        throw Error(expected.empty() ? ErrorCode::kConflict : ErrorCode::kStaleVersion,
                    "dokumentet ändrades samtidigt av någon annan; försök igen");
    }
    Poco::JSON::Object::Ptr body = NewObject();
    body->set("id", id);
    body->set("version", version);
    Poco::JSON::Object::Ptr review = NewObject();
    review->set("decided_by", change.record.decided_by);
    review->set("decided_on", change.record.decided_on.ToString());
    review->set("paragraph", change.record.paragraph);
    review->set("dnr", change.record.dnr);
    review->set("outcome", std::string(core::ReviewOutcomeName(change.record.outcome)));
    body->set("review", review);
    body->set("status", std::string(core::StatusName(change.after.status)));
    Response response = JsonResponse(Stringify(*body), 201);
    response.etag = version;
    response.headers.emplace_back("Location", "/api/documents/" + id);
    return response;
}

struct BatchRequest {
    core::BatchDecision batch;
    std::string summary;
};

// {"documents": [ids…] or [{"id", "outcome"}…], "decided_by", …}.
BatchRequest ParseBatchJson(const Request& request) {
    const Poco::JSON::Object::Ptr object = JsonObjectBody(request);
    RefuseUnknownMembers(
        *object,
        {"documents", "decided_by", "decided_on", "paragraph", "dnr", "outcome", "summary"}, "");
    BatchRequest result;
    result.batch.decision = {
        StringMember(*object, "decided_by"), StringMember(*object, "decided_on"),
        StringMember(*object, "paragraph"),  StringMember(*object, "dnr"),
        StringMember(*object, "outcome"),    {}};
    result.summary = StringMember(*object, "summary");
    if (!object->has("documents") || object->isNull("documents")) return result;
    const Poco::JSON::Array::Ptr documents = object->getArray("documents");
    if (documents.isNull()) {
        throw Error(ErrorCode::kBadInput, "documents ska vara en lista av dokument-id");
    }
    // Beyond the limit ApplyBatchReview refuses the list without reading it.
    if (documents->size() > core::kMaxBatchDocuments) {
        result.batch.documents.resize(documents->size());
        return result;
    }
    for (std::size_t i = 0; i < documents->size(); ++i) {
        const Poco::Dynamic::Var item = documents->get(static_cast<unsigned>(i));
        const std::string where = "documents[" + std::to_string(i) + "]";
        if (item.isString()) {
            result.batch.documents.push_back({item.extract<std::string>(), ""});
        } else if (item.type() == typeid(Poco::JSON::Object::Ptr)) {
            const Poco::JSON::Object& entry = *item.extract<Poco::JSON::Object::Ptr>();
            RefuseUnknownMembers(entry, {"id", "outcome"}, where + ".");
            result.batch.documents.push_back(
                {StringMember(entry, "id"), StringMember(entry, "outcome")});
        } else {
            throw Error(ErrorCode::kBadInput,
                        where + " ska vara ett dokument-id eller ett objekt med id och outcome");
        }
    }
    return result;
}

Response RecordBatchApi(const Site& site, const Request& request) {
    const User& user = RequireUser(request);
    Forbid(site, core::WhyNotRecordReview(user.Actor()));
    const BatchRequest input = ParseBatchJson(request);
    const BatchResult result = RecordBatch(site, user, input.batch, input.summary);
    if (!result.problems.empty()) {
        return JsonResponse(BatchProblemsJson(result.problems, site.schema), 400);
    }
    const core::ReviewRecord& record = result.changes.front().record;
    Poco::JSON::Object::Ptr body = NewObject();
    body->set("version", result.version);
    Poco::JSON::Object::Ptr decision = NewObject();
    decision->set("decided_by", record.decided_by);
    decision->set("decided_on", record.decided_on.ToString());
    decision->set("paragraph", record.paragraph);
    decision->set("dnr", record.dnr);
    body->set("decision", decision);
    Poco::JSON::Array::Ptr documents = new Poco::JSON::Array;
    for (const core::ReviewChange& change : result.changes) {
        Poco::JSON::Object::Ptr entry = NewObject();
        entry->set("id", change.after.id);
        entry->set("outcome", std::string(core::ReviewOutcomeName(change.record.outcome)));
        entry->set("status", std::string(core::StatusName(change.after.status)));
        documents->add(entry);
    }
    body->set("documents", documents);
    Response response = JsonResponse(Stringify(*body), 201);
    response.etag = result.version;
    return response;
}

// The review deadlines of the documents `request` may see, owner= and body= as for
// GET /api/reviews, as iCalendar: what a clerk subscribes to in a calendar program.
Response CalendarFeed(const Site& site, const Request& request) {
    const ReviewQuery query = ParseReviewQuery(request, site.schema, site.Today());
    const std::string base = SiteUrl(site, request);
    std::vector<CalendarEntry> entries;
    ForEachListed(
        site, request, query, [&](const core::Metadata& m, const core::ReviewStatus& status) {
            std::optional<core::Date> day = core::LastAllowedDay(status);
            if (!day) day = status.due_on;
            if (!day) return;  // no rule, or not in force: nothing for a calendar
            const char* state = status.state == core::ReviewState::kOverdue ? "försenad"
                                : status.state == core::ReviewState::kDue   ? "ska prövas nu"
                                                                            : "prövas senare";
            entries.push_back({m.id, m.title, *day, state, m.owner, base + DocumentUrl(m.id)});
        });
    std::string host = base.substr(base.find("://") + 3);
    host = host.substr(0, host.find_first_of(":/"));
    Response response;
    response.content_type = "text/calendar; charset=utf-8";
    response.body = ReviewCalendar(entries, site.config.site_name + " – aktualitetsprövning", host,
                                   std::time(nullptr));
    return response;
}

}  // namespace

void AddReviewRoutes(Router& router, const Site& site) {
    router.Add("GET", "/api/reviews",
               site.Cached([&site](const Request& request, const PathParams&) {
                   return ReviewsApi(site, request);
               }));
    // Not cached: each answer carries its own DTSTAMP.
    router.Add("GET", "/reviews.ics", [&site](const Request& request, const PathParams&) {
        return CalendarFeed(site, request);
    });
    router.Add("POST", "/api/reviews", [&site](const Request& request, const PathParams&) {
        return RecordBatchApi(site, request);
    });
    router.Add("POST", "/api/documents/{id}/reviews",
               [&site](const Request& request, const PathParams& p) {
                   return RecordReviewApi(site, request, p.at("id"));
               });
    AddReviewPageRoutes(router, site);
}

}  // namespace styrdok::server
