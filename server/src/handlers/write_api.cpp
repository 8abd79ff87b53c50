// The write side of the JSON API (DESIGN.md, "Contract: JSON API"): POST /api/documents and
// PUT /api/documents/{id} with If-Match.
#include <Poco/JSON/Object.h>

#include <sstream>

#include "../document_input.hpp"
#include "../render/json.hpp"
#include "../site.hpp"
#include "styrdok/core/error.hpp"
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

Response SaveChecked(const Site& site, const User& user,
                     const std::optional<store::Document>& current, DocumentInput input,
                     std::string expected_version, int status) {
    core::Metadata& metadata = input.metadata;
    metadata.category.clear();  // derived from the doctype, never stored
    CheckAllowed(user, current, input, site.schema);
    std::vector<core::Problem> problems = core::Validate(metadata, site.schema, site.Today());
    if (!problems.empty()) return JsonResponse(ProblemsJson(problems, site.schema), 400);
    store::DocumentWrite write;
    write.metadata = metadata;
    write.text = input.text ? *input.text : (current ? current->text : std::string());
    write.expected_version = std::move(expected_version);
    std::string summary = input.summary;
    if (summary.empty()) summary = current ? "Reviderad via API" : "Nytt dokument via API";
    const std::string version = site.writer.Save(std::move(write), AuthorOf(user), summary);
    return Saved(metadata.id, version, status);
}

Response CreateApi(const Site& site, const Request& request) {
    const User& user = RequireUser(request);
    RequireJson(request);
    DocumentInput input = ParseDocumentJson(request.body, core::Metadata{});
    CheckDocumentId(input.metadata.id);
    std::optional<store::Document> current;
    {
        ReaderPool::Lease reader = site.readers.Acquire();
        current = reader->store.Read(input.metadata.id);
    }
    if (current) {
        throw Error(ErrorCode::kConflict,
                    "det finns redan ett dokument med id " + input.metadata.id);
    }
    try {
        const std::string id = input.metadata.id;
        Response response = SaveChecked(site, user, std::nullopt, std::move(input), "", 201);
        if (response.status == 201)
            response.headers.emplace_back("Location", "/api/documents/" + id);
        return response;
    } catch (const Error& error) {
        // Someone else created it between the look and the commit.
        if (error.code() == ErrorCode::kStaleVersion) {
            throw Error(ErrorCode::kConflict, "dokumentet skapades nyss av någon annan");
        }
        throw;
    }
}

Response ReviseApi(const Site& site, const Request& request, const std::string& id) {
    const User& user = RequireUser(request);
    CheckDocumentId(id);
    RequireJson(request);
    const std::string expected = IfMatchVersion(request);
    if (expected.empty()) {
        return JsonError(kPreconditionRequired, "precondition_required",
                         "ange versionen ändringen utgår från i If-Match (dokumentets ETag)");
    }
    std::optional<store::Document> current;
    {
        ReaderPool::Lease reader = site.readers.Acquire();
        current = reader->store.Read(id);
    }
    if (!current || !core::MaySee(user.Actor(), current->metadata, site.schema)) {
        throw Error(ErrorCode::kNotFound, "dokumentet finns inte");
    }
    DocumentInput input = ParseDocumentJson(request.body, current->metadata);
    if (input.metadata.id != id) {
        throw Error(ErrorCode::kBadInput, "ett dokuments id kan inte ändras");
    }
    // Who may not change the document hears so whatever version they started from.
    CheckAllowed(user, current, input, site.schema);
    if (expected != current->version) {
        throw Error(ErrorCode::kStaleVersion, "dokumentet har ändrats sedan version " + expected +
                                                  "; den gällande versionen är " +
                                                  current->version);
    }
    try {
        return SaveChecked(site, user, current, std::move(input), expected, 200);
    } catch (const Error& error) {
        if (error.code() == ErrorCode::kStaleVersion) {
            throw Error(ErrorCode::kStaleVersion,
                        "dokumentet ändrades samtidigt av någon annan; hämta den nya versionen");
        }
        throw;
    }
}

}  // namespace

void AddWriteApiRoutes(Router& router, const Site& site) {
    router.Add("POST", "/api/documents", [&site](const Request& request, const PathParams&) {
        return CreateApi(site, request);
    });
    router.Add("PUT", "/api/documents/{id}", [&site](const Request& request, const PathParams& p) {
        return ReviseApi(site, request, p.at("id"));
    });
}

}  // namespace styrdok::server
