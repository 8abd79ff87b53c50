// The write side of the JSON API (DESIGN.md, "Contract: JSON API"): POST /api/documents and
// PUT /api/documents/{id} with If-Match.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <set>
#include <sstream>

#include "../document_input.hpp"
#include "../render/json.hpp"
#include "../site.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/metadata_fields.hpp"
#include "styrdok/core/review_decision.hpp"
#include "styrdok/core/utf8.hpp"
#include "styrdok/core/validation.hpp"

namespace styrdok::server {

namespace {

// Precondition Required (RFC 6585): a revision must say which version it starts from.
constexpr int kPreconditionRequired = 428;

void RequireJson(const Request& request) {
    const std::string type = request.Header("content-type");
    // A cross-site form can only send form encodings or text/plain: asking for JSON is what
    // keeps a browser holding HTTP Basic credentials from being used by another site.
    if (!type.starts_with("application/json")) {
        throw Error(ErrorCode::kBadInput,
                    "skicka dokumentet som JSON (Content-Type: application/json)");
    }
    if (!core::IsValidUtf8(request.body)) {
        throw Error(ErrorCode::kBadInput, "kroppen är inte giltig UTF-8");
    }
}

// "abc", W/"abc" or abc: the version an If-Match names; empty when there is none.
std::string IfMatchVersion(const Request& request) {
    std::string value = request.Header("if-match");
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    while (!value.empty() && value.back() == ' ') value.pop_back();
    if (value.starts_with("W/")) value.erase(0, 2);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
    }
    return value;
}

Response Saved(const std::string& id, const std::string& version, int status) {
    Poco::JSON::Object::Ptr body = NewObject();
    body->set("id", id);
    body->set("version", version);
    Response response = JsonResponse(Stringify(*body), status);
    response.etag = version;
    return response;
}

void CheckAllowed(const User& user, const std::optional<store::Document>& current,
                  const DocumentInput& input, const core::Schema& schema) {
    const bool text_changed = !current || (input.text && *input.text != current->text);
    if (auto why = core::WhyNotAllowed(user.Actor(),
                                       current ? std::optional(current->metadata) : std::nullopt,
                                       input.metadata, text_changed)) {
        throw Error(ErrorCode::kForbidden, core::SwedishText(*why, schema));
    }
}

// Where a save goes: main (a decided version) or the document's draft.
enum class Target { kMain, kDraft };

Response SaveChecked(const Site& site, const User& user,
                     const std::optional<store::Document>& current, DocumentInput input,
                     std::string expected_version, int status, Target target) {
    core::Metadata& metadata = input.metadata;
    metadata.category.clear();  // derived from the doctype, never stored
    CheckAllowed(user, current, input, site.schema);
    std::vector<core::Problem> problems = core::Validate(metadata, site.schema, site.Today());
    {
        ReaderPool::Lease reader = site.readers.Acquire();
        for (core::Problem& problem : RelationProblems(site, reader->store, metadata)) {
            problems.push_back(std::move(problem));
        }
    }
    if (!problems.empty()) return JsonResponse(ProblemsJson(problems, site.schema), 400);
    store::DocumentWrite write;
    write.metadata = metadata;
    write.text = input.text ? *input.text : (current ? current->text : std::string());
    write.expected_version = std::move(expected_version);
    std::string summary = input.summary;
    if (summary.empty()) {
        summary = target == Target::kDraft ? "Utkast via API"
                  : current                ? "Reviderad via API"
                                           : "Nytt dokument via API";
    }
    const std::string version =
        target == Target::kDraft ? site.writer.SaveDraft(std::move(write), AuthorOf(user), summary)
                                 : site.writer.Save(std::move(write), AuthorOf(user), summary);
    return Saved(metadata.id, version, status);
}

// ?draft=1, or a body whose status is utkast: a draft never lands on main, where it would hide
// the version in force from everyone until it is adopted.
Target TargetOf(const Request& request, const core::Metadata& metadata) {
    const std::string draft = request.Param("draft");
    if (!draft.empty() && draft != "0" && draft != "1") {
        throw Error(ErrorCode::kBadInput, "draft ska vara 1");
    }
    if (draft == "1" || metadata.status == core::Status::kDraft) return Target::kDraft;
    return Target::kMain;
}

Response CreateApi(const Site& site, const Request& request) {
    const User& user = RequireUser(request);
    RequireJson(request);
    DocumentInput input = ParseDocumentJson(request.body, core::Metadata{});
    CheckDocumentId(input.metadata.id);
    const Target target = TargetOf(request, input.metadata);
    if (target == Target::kDraft) input.metadata.status = core::Status::kDraft;
    // Rights before existence: whoever may not create documents learns nothing of the ids
    // that are taken (a hidden one included).
    CheckAllowed(user, std::nullopt, input, site.schema);
    bool taken = false;
    {
        ReaderPool::Lease reader = site.readers.Acquire();
        taken = reader->store.Read(input.metadata.id) || reader->store.ReadDraft(input.metadata.id);
    }
    if (taken) {
        throw Error(ErrorCode::kConflict,
                    "det finns redan ett dokument med id " + input.metadata.id);
    }
    try {
        const std::string id = input.metadata.id;
        Response response =
            SaveChecked(site, user, std::nullopt, std::move(input), "", 201, target);
        if (response.status == 201) {
            response.headers.emplace_back(
                "Location", "/api/documents/" + id + (target == Target::kDraft ? "?draft=1" : ""));
        }
        return response;
    } catch (const Error& error) {
        // Someone else created it between the look and the commit.
        if (error.code() == ErrorCode::kStaleVersion || error.code() == ErrorCode::kConflict) {
            throw Error(ErrorCode::kConflict, "dokumentet skapades nyss av någon annan");
        }
        throw;
    }
}

// The If-Match a write must carry: 428 when it has none.
std::optional<Response> RequireIfMatch(const std::string& expected) {
    if (!expected.empty()) return std::nullopt;
    return JsonError(kPreconditionRequired, "precondition_required",
                     "ange versionen ändringen utgår från i If-Match (dokumentets ETag)");
}

Response ReviseApi(const Site& site, const Request& request, const std::string& id) {
    const User& user = RequireUser(request);
    CheckDocumentId(id);
    RequireJson(request);
    const std::string expected = IfMatchVersion(request);
    if (auto missing = RequireIfMatch(expected)) return *missing;
    std::optional<store::Document> current;
    std::optional<store::Document> draft;
    {
        ReaderPool::Lease reader = site.readers.Acquire();
        current = reader->store.Read(id);
        draft = FindVisibleDraft(reader->store, site.schema, id, request);
    }
    if (current && !core::MaySee(user.Actor(), current->metadata, site.schema)) current.reset();
    // A draft goes on from the draft there is, or starts from the version on main.
    const bool draft_asked = request.Param("draft") == "1";
    std::optional<store::Document>& base = draft_asked && draft ? draft : current;
    if (!base) {
        throw Error(ErrorCode::kNotFound,
                    draft_asked ? "dokumentet finns inte" : "dokumentet finns inte");
    }
    DocumentInput input = ParseDocumentJson(request.body, base->metadata);
    if (input.metadata.id != id) {
        throw Error(ErrorCode::kBadInput, "ett dokuments id kan inte ändras");
    }
    Target target = TargetOf(request, input.metadata);
    std::optional<store::Document>& from = target == Target::kDraft && draft ? draft : base;
    if (!from) throw Error(ErrorCode::kNotFound, "dokumentet finns inte");
    if (target == Target::kDraft) input.metadata.status = core::Status::kDraft;
    // Who may not change the document hears so whatever version they started from.
    CheckAllowed(user, from, input, site.schema);
    if (expected != from->version) {
        throw Error(ErrorCode::kStaleVersion, "dokumentet har ändrats sedan version " + expected +
                                                  "; den senaste versionen är " + from->version);
    }
    try {
        return SaveChecked(site, user, from, std::move(input), expected, 200, target);
    } catch (const Error& error) {
        if (error.code() == ErrorCode::kStaleVersion) {
            throw Error(ErrorCode::kStaleVersion,
                        "dokumentet ändrades samtidigt av någon annan; hämta den nya versionen");
        }
        throw;
    }
}

// The decision that adopts a draft: POST /api/documents/{id}/adopt.
struct Decision {
    std::optional<std::string> decided_by, decided_on, paragraph, dnr, valid_from, valid_to;
    std::string summary;
};

Decision ParseDecision(const std::string& body) {
    DocumentInput input = ParseDocumentJson(body, core::Metadata{});
    Decision decision;
    decision.summary = input.summary;
    // Only the fields of a decision: the rest of the metadata is the draft's.
    Poco::JSON::Object::Ptr object =
        Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    for (const std::string& name : object->getNames()) {
        static const std::set<std::string> kDecision = {
            "decided_by", "decided_on", "paragraph", "dnr", "valid_from", "valid_to", "summary"};
        if (!kDecision.contains(name)) {
            throw Error(ErrorCode::kBadInput,
                        "okänt fält i beslutet: " + name +
                            " (decided_by, decided_on, paragraph, dnr, valid_from, valid_to)");
        }
    }
    const core::Metadata& m = input.metadata;
    if (object->has("decided_by")) decision.decided_by = m.decided_by;
    if (object->has("decided_on"))
        decision.decided_on = m.decided_on ? m.decided_on->ToString() : "";
    if (object->has("paragraph")) decision.paragraph = m.paragraph;
    if (object->has("dnr")) decision.dnr = m.dnr;
    if (object->has("valid_from"))
        decision.valid_from = m.valid_from ? m.valid_from->ToString() : "";
    if (object->has("valid_to")) decision.valid_to = m.valid_to ? m.valid_to->ToString() : "";
    return decision;
}

// The draft's metadata with the decision: status gällande, and the decision's fields over
// what the draft said.
core::Metadata AdoptedMetadata(const core::Metadata& draft, const Decision& decision) {
    core::Metadata m = draft;
    m.category.clear();
    m.status = core::Status::kInForce;
    const auto set = [&m](const char* name, const std::optional<std::string>& value) {
        if (value) core::SetFieldText(m, *core::FindMetadataField(name), *value);
    };
    set("decided_by", decision.decided_by);
    set("decided_on", decision.decided_on);
    set("paragraph", decision.paragraph);
    set("dnr", decision.dnr);
    set("valid_from", decision.valid_from);
    set("valid_to", decision.valid_to);
    return m;
}

Response AdoptApi(const Site& site, const Request& request, const std::string& id) {
    const User& user = RequireUser(request);
    CheckDocumentId(id);
    RequireJson(request);
    const std::string expected = IfMatchVersion(request);
    if (auto missing = RequireIfMatch(expected)) return *missing;
    std::optional<store::Document> draft;
    std::optional<store::Document> current;
    {
        ReaderPool::Lease reader = site.readers.Acquire();
        draft = FindVisibleDraft(reader->store, site.schema, id, request);
        current = reader->store.Read(id);
    }
    if (!draft) throw Error(ErrorCode::kNotFound, "dokumentet har inget utkast");
    const Decision decision = ParseDecision(request.body);
    const core::Metadata adopted =
        current ? core::WithReviewRecordOf(AdoptedMetadata(draft->metadata, decision),
                                           current->metadata)
                : AdoptedMetadata(draft->metadata, decision);
    // Adopting publishes the draft's text, which its writer had the right to write: what the
    // adopter changes is the decision, so their right to change the metadata is what counts.
    if (auto why = core::WhyNotAllowed(user.Actor(), current ? current->metadata : draft->metadata,
                                       adopted, false)) {
        throw Error(ErrorCode::kForbidden, core::SwedishText(*why, site.schema));
    }
    if (expected != draft->version) {
        throw Error(ErrorCode::kStaleVersion, "utkastet har ändrats sedan version " + expected +
                                                  "; den senaste är " + draft->version);
    }
    std::vector<core::Problem> problems = core::Validate(adopted, site.schema, site.Today());
    {
        ReaderPool::Lease reader = site.readers.Acquire();
        for (core::Problem& problem : RelationProblems(site, reader->store, adopted)) {
            problems.push_back(std::move(problem));
        }
    }
    if (!problems.empty()) return JsonResponse(ProblemsJson(problems, site.schema), 400);
    std::string summary = decision.summary;
    if (summary.empty()) {
        summary = "Antagen";
        if (const core::Body* body = site.schema.FindBody(adopted.decided_by)) {
            summary += " av " + body->name;
        }
        if (adopted.decided_on) summary += " " + adopted.decided_on->ToString();
        if (!adopted.paragraph.empty()) summary += " " + adopted.paragraph;
    }
    std::string version;
    try {
        version = site.writer.Adopt(adopted, draft->version, AuthorOf(user), summary);
    } catch (const Error& error) {
        if (error.code() == ErrorCode::kStaleVersion || error.code() == ErrorCode::kConflict) {
            throw Error(ErrorCode::kStaleVersion,
                        "utkastet eller dokumentet ändrades samtidigt; hämta den nya versionen");
        }
        throw;
    }
    Response response = Saved(id, version, 200);
    response.headers.emplace_back("Location", "/api/documents/" + id);
    return response;
}

// DELETE /api/documents/{id}?draft=1: the draft is discarded (its history kept aside).
Response DiscardApi(const Site& site, const Request& request, const std::string& id) {
    const User& user = RequireUser(request);
    CheckDocumentId(id);
    if (request.Param("draft") != "1") {
        throw Error(ErrorCode::kBadInput,
                    "bara ett utkast kan tas bort (draft=1); ett beslutat dokument upphävs");
    }
    const std::string expected = IfMatchVersion(request);
    if (auto missing = RequireIfMatch(expected)) return *missing;
    std::optional<store::Document> draft;
    {
        ReaderPool::Lease reader = site.readers.Acquire();
        draft = FindVisibleDraft(reader->store, site.schema, id, request);
    }
    if (!draft) throw Error(ErrorCode::kNotFound, "dokumentet har inget utkast");
    if (auto why = core::WhyNotAllowed(user.Actor(), draft->metadata, draft->metadata, true)) {
        throw Error(ErrorCode::kForbidden, core::SwedishText(*why, site.schema));
    }
    if (expected != draft->version) {
        throw Error(ErrorCode::kStaleVersion, "utkastet har ändrats sedan version " + expected);
    }
    site.writer.Discard(id, expected);
    Response response;
    response.status = 204;
    return response;
}

}  // namespace

void AddWriteApiRoutes(Router& router, const Site& site) {
    router.Add("POST", "/api/documents", [&site](const Request& request, const PathParams&) {
        return CreateApi(site, request);
    });
    router.Add("PUT", "/api/documents/{id}", [&site](const Request& request, const PathParams& p) {
        return ReviseApi(site, request, p.at("id"));
    });
    router.Add("DELETE", "/api/documents/{id}",
               [&site](const Request& request, const PathParams& p) {
                   return DiscardApi(site, request, p.at("id"));
               });
    router.Add("POST", "/api/documents/{id}/adopt",
               [&site](const Request& request, const PathParams& p) {
                   return AdoptApi(site, request, p.at("id"));
               });
}

}  // namespace styrdok::server
