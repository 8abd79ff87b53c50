#include "json.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <sstream>

#include "html.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/metadata_fields.hpp"

namespace styrdok::server {

Poco::JSON::Object::Ptr NewObject() {
    return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

Poco::Dynamic::Var DateOrNull(const std::optional<core::Date>& date) {
    if (!date) return Poco::Dynamic::Var();
    return date->ToString();
}

Poco::JSON::Array::Ptr StringArray(const std::vector<std::string>& values) {
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const std::string& value : values) array->add(value);
    return array;
}

void AddMetadata(Poco::JSON::Object& o, const core::Metadata& m, const core::Schema& schema) {
    const core::DocType* type = schema.FindDocType(m.doctype);
    for (const core::MetadataField& field : core::MetadataFields()) {
        const std::string name(field.name);
        switch (field.kind) {
            case core::FieldKind::kText:
            case core::FieldKind::kStatus:
                o.set(name, core::FieldText(m, field));
                break;
            case core::FieldKind::kDate:
                o.set(name, DateOrNull(*core::DateMember(m, field)));
                break;
            case core::FieldKind::kBoolean:
                o.set(name, m.is_public.value_or(type ? type->public_by_default : true));
                break;
            case core::FieldKind::kList:
                o.set(name, StringArray(*core::ListMember(m, field)));
                break;
            case core::FieldKind::kReviews: {
                Poco::JSON::Array::Ptr reviews = new Poco::JSON::Array;
                for (const core::ReviewRecord& review : m.reviews) {
                    Poco::JSON::Object::Ptr r = NewObject();
                    r->set("decided_by", review.decided_by);
                    r->set("decided_on", review.decided_on.ToString());
                    r->set("paragraph", review.paragraph);
                    r->set("dnr", review.dnr);
                    r->set("outcome", std::string(core::ReviewOutcomeName(review.outcome)));
                    reviews->add(r);
                }
                o.set(name, reviews);
                break;
            }
        }
        // The category follows the doctype in DESIGN.md's list of fields.
        if (field.name == "doctype") {
            o.set("category", type ? std::string(core::CategoryName(type->category)) : m.category);
        }
    }
}

namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void Field(JsonWriter& out, const char* key, const std::string& value) {
    out.Key(key);
    out.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void HitJson(JsonWriter& out, const indexer::Hit& hit) {
    out.StartObject();
    Field(out, "id", hit.id);
    Field(out, "title", hit.title);
    Field(out, "doctype", hit.doctype);
    Field(out, "dnr", hit.dnr);
    Field(out, "decided_by", hit.decided_by);
    Field(out, "decided_on", hit.decided_on);
    Field(out, "valid_from", hit.valid_from);
    Field(out, "valid_to", hit.valid_to);
    Field(out, "status", hit.status);
    Field(out, "state", hit.state);
    Field(out, "owner", hit.owner);
    // HTML: the text escaped, the hits in <mark>, ready to show (docs/api.md).
    Field(out, "snippet", SnippetHtml(hit.snippet));
    Field(out, "version", hit.version);
    Field(out, "in_force_from", hit.in_force_from);
    Field(out, "in_force_to", hit.in_force_to);
    out.EndObject();
}

}  // namespace

std::string SearchResultJson(const indexer::SearchResult& result) {
    rapidjson::StringBuffer text;
    JsonWriter out(text);
    out.StartObject();
    out.Key("total");
    out.Uint64(result.total);
    out.Key("page");
    out.Uint64(result.page);
    out.Key("per_page");
    out.Uint64(result.per_page);
    out.Key("hits");
    out.StartArray();
    for (const indexer::Hit& hit : result.hits) HitJson(out, hit);
    out.EndArray();
    out.Key("facets");
    out.StartObject();
    for (const auto& [facet, counts] : result.facets) {
        out.Key(facet.data(), static_cast<rapidjson::SizeType>(facet.size()));
        out.StartObject();
        for (const auto& [value, count] : counts) {
            out.Key(value.data(), static_cast<rapidjson::SizeType>(value.size()));
            out.Uint64(count);
        }
        out.EndObject();
    }
    out.EndObject();
    Field(out, "suggestion", result.suggestion);
    out.EndObject();
    return std::string(text.GetString(), text.GetSize());
}

Poco::JSON::Object::Ptr VersionJson(const store::VersionInfo& version) {
    Poco::JSON::Object::Ptr o = NewObject();
    o->set("version", version.version);
    o->set("date", version.date);
    o->set("author", version.author);
    o->set("message", version.message);
    return o;
}

std::string Stringify(const Poco::JSON::Object& object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

namespace {

// A problem in a list, and the document it is about when the list spans several (null when
// it is about none, such as the decision of a batch).
struct ListedProblem {
    const core::Problem& problem;
    std::optional<std::string> document;
};

std::string ListedProblemsJson(const std::vector<ListedProblem>& problems, bool with_documents,
                               const core::Schema& schema) {
    Poco::JSON::Object::Ptr error = NewObject();
    error->set("code", std::string(ErrorCodeName(ErrorCode::kBadInput)));
    std::string message;
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (const ListedProblem& listed : problems) {
        const std::string text = core::SwedishText(listed.problem, schema);
        const std::string line =
            listed.document && !listed.document->empty() ? *listed.document + ": " + text : text;
        message += (message.empty() ? "" : " ") + line;
        Poco::JSON::Object::Ptr entry = NewObject();
        if (with_documents) {
            entry->set("document", listed.document && !listed.document->empty()
                                       ? Poco::Dynamic::Var(*listed.document)
                                       : Poco::Dynamic::Var());
        }
        entry->set("field", listed.problem.field);
        entry->set("code", std::string(core::ProblemCodeName(listed.problem.code)));
        entry->set("message", line);
        list->add(entry);
    }
    error->set("message", message);
    error->set("problems", list);
    Poco::JSON::Object::Ptr body = NewObject();
    body->set("error", error);
    return Stringify(*body);
}

}  // namespace

std::string ProblemsJson(const std::vector<core::Problem>& problems, const core::Schema& schema) {
    std::vector<ListedProblem> listed;
    listed.reserve(problems.size());
    for (const core::Problem& problem : problems) listed.push_back({problem, std::nullopt});
    return ListedProblemsJson(listed, false, schema);
}

std::string BatchProblemsJson(const std::vector<core::BatchProblem>& problems,
                              const core::Schema& schema) {
    std::vector<ListedProblem> listed;
    listed.reserve(problems.size());
    for (const core::BatchProblem& p : problems) listed.push_back({p.problem, p.id});
    return ListedProblemsJson(listed, true, schema);
}

}  // namespace styrdok::server
