// The read side of the JSON API (DESIGN.md, "Contract: JSON API").
#include <cstdint>
#include <optional>
#include <string>

#include "../render/html.hpp"
#include "../render/json.hpp"
#include "../site.hpp"
#include "batch_review.hpp"
#include "comparison.hpp"
#include "search_params.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/store/document_force.hpp"

namespace styrdok::server {

namespace {

Response SearchApi(const Site& site, const Request& request) {
    indexer::SearchRequest search = ParseSearchRequest(request);
    search.today = site.Today();
    SetSearchRights(request, search);
    // The same search on the same index and day answers alike, whoever asks (the rights are
    // in the request): kept beside the pages, so that a popular search, a page reloaded or
    // paged back to costs no search. The key names the index revision the reader sees, so
    // an answer is never served after the index moved.
    const std::uint64_t generation = site.responses.generation();
    std::string key;
    indexer::SearchResult result;
    bool keep = false;
    {
        ReaderPool::Lease reader = site.readers.Acquire();
        if (!search.implements.empty()) {
            ExpandImplements(search, *site.snapshots.At(reader->store));
        }
        const std::string answer = reader->searcher.AnswerKey(search);
        key = "search\n" + answer;
        if (std::optional<Response> kept = site.responses.Find(key, *search.today)) return *kept;
        result = reader->searcher.Search(search);
        // Unless the search met a commit and read a newer revision than the key names.
        keep = reader->searcher.AnswerKey(search) == answer;
    }
    Response response = JsonResponse(SearchResultJson(result));
    if (keep) {
        site.responses.Keep(key, *search.today, generation, response,
                            ResponseCache::Gzip::kOnRequest);
    }
    return response;
}

// The day a document's state is given for: ?at=, else today.
core::Date DayAsked(const Site& site, const Request& request) {
    const std::optional<core::Date> at = core::Date::Parse(request.Param("at"));
    return at ? *at : site.Today();
}

Response DocumentApi(const Site& site, const Request& request, const std::string& id) {
    ReaderPool::Lease reader = site.readers.Acquire();
    store::Document document = FindVisibleDocument(site, reader->store, id, request);
    Poco::JSON::Object::Ptr body = NewObject();
    AddMetadata(*body, document.metadata, site.schema);
    // What applies is computed from the versions and the documents that replace this one,
    // for the day asked (DESIGN.md, "In force is computed").
    // The snapshot is held while its lists are used: a save may replace the cached one.
    const std::shared_ptr<const store::Snapshot> snapshot = site.snapshots.At(reader->store);
    const std::vector<std::string>& replaced_by = snapshot->ReplacedBy(id);
    AddDecidedWith(site, *snapshot, request, document.metadata, *body);
    const core::Date day = DayAsked(site, request);
    core::ForceState state = core::ForceState::kDraft;
    if (document.metadata.status != core::Status::kDraft) {
        const store::DocumentForce force =
            store::DocumentForce::Read(reader->store, id, replaced_by);
        const std::optional<std::size_t> index = force.IndexOf(document.version);
        state = index ? force.StateOf(*index, day) : core::ForceState::kExpired;
    }
    body->set("state", std::string(core::ForceStateName(state)));
    body->set("in_force", state == core::ForceState::kInForce);
    body->set("implemented_by", StringArray(snapshot->ImplementedBy(id)));
    body->set("replaced_by", StringArray(replaced_by));
    if (document.metadata.status != core::Status::kDraft && request.identity.user) {
        if (std::optional<store::Document> draft =
                FindVisibleDraft(reader->store, site.schema, id, SameAsker(request))) {
            Poco::JSON::Object::Ptr next = NewObject();
            next->set("version", draft->version);
            next->set("url", "/api/documents/" + id + "?draft=1");
            body->set("draft", next);
        }
    }
    body->set("text", document.text);
    body->set("html", site.markdown.Render(id + "@" + document.version, document.text,
                                           document.metadata.title));
    body->set("files", StringArray(document.files));
    body->set("version", document.version);
    Response response = JsonResponse(Stringify(*body));
    response.etag = document.version;
    return response;
}

Response HistoryApi(const Site& site, const Request& request, const std::string& id) {
    ReaderPool::Lease reader = site.readers.Acquire();
    // The current version decides whether the document may be seen at all.
    FindVisibleDocument(site, reader->store, id, SameAsker(request));
    Poco::JSON::Object::Ptr body = NewObject();
    body->set("id", id);
    Poco::JSON::Array::Ptr versions = new Poco::JSON::Array;
    for (const store::VersionInfo& version : reader->store.History(id)) {
        versions->add(VersionJson(version));
    }
    body->set("versions", versions);
    return JsonResponse(Stringify(*body));
}

Response DiffApi(const Site& site, const Request& request, const std::string& id) {
    ReaderPool::Lease reader = site.readers.Acquire();
    Comparison c = Compare(site, reader->store, id, request);
    Poco::JSON::Object::Ptr body = NewObject();
    body->set("id", id);
    body->set("from", c.from.version);
    body->set("to", c.to.version);
    Poco::JSON::Array::Ptr metadata = new Poco::JSON::Array;
    for (const store::FieldChange& change : c.diff.metadata) {
        Poco::JSON::Object::Ptr field = NewObject();
        field->set("field", change.field);
        field->set("label", site.schema.LabelOf(change.field));
        field->set("before", change.before);
        field->set("after", change.after);
        metadata->add(field);
    }
    body->set("metadata", metadata);
    Poco::JSON::Array::Ptr text = new Poco::JSON::Array;
    for (const store::DiffLine& line : c.text) {
        Poco::JSON::Object::Ptr entry = NewObject();
        entry->set("kind", std::string(LineKindName(line.kind)));
        Poco::JSON::Array::Ptr segments = new Poco::JSON::Array;
        for (const store::DiffSegment& segment : line.segments) {
            Poco::JSON::Object::Ptr s = NewObject();
            s->set("kind", std::string(SegmentKindName(segment.kind)));
            s->set("text", segment.text);
            segments->add(s);
        }
        entry->set("segments", segments);
        text->add(entry);
    }
    body->set("text", text);
    body->set("text_lines_left_out", c.text_lines_left_out);
    body->set("files_added", StringArray(c.diff.files_added));
    body->set("files_removed", StringArray(c.diff.files_removed));
    Response response = JsonResponse(Stringify(*body));
    // Two commits never change, so neither does their diff.
    response.etag = c.from.version + "-" + c.to.version;
    return response;
}

}  // namespace

void AddApiRoutes(Router& router, const Site& site) {
    router.Add("GET", "/api/search", [&site](const Request& request, const PathParams&) {
        return SearchApi(site, request);
    });
    router.Add("GET", "/api/documents/{id}",
               site.Cached([&site](const Request& request, const PathParams& p) {
                   return DocumentApi(site, request, p.at("id"));
               }));
    router.Add("GET", "/api/documents/{id}/history",
               site.Cached([&site](const Request& request, const PathParams& p) {
                   return HistoryApi(site, request, p.at("id"));
               }));
    router.Add("GET", "/api/documents/{id}/diff",
               site.Cached([&site](const Request& request, const PathParams& p) {
                   return DiffApi(site, request, p.at("id"));
               }));
}

}  // namespace styrdok::server
