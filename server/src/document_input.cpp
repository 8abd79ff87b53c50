#include "document_input.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "styrdok/core/error.hpp"
#include "styrdok/core/metadata_fields.hpp"

namespace styrdok::server {

namespace {

using Poco::Dynamic::Var;

[[noreturn]] void Wrong(const std::string& field, std::string_view expected) {
    throw Error(ErrorCode::kBadInput, "fältet \"" + field + "\" ska vara " + std::string(expected));
}

std::string Text(const std::string& field, const Var& value) {
    if (value.isEmpty()) return {};  // null: cleared
    if (!value.isString()) Wrong(field, "en sträng");
    return value.extract<std::string>();
}

std::optional<core::Date> DateOf(const std::string& field, const Var& value) {
    if (value.isEmpty()) return std::nullopt;
    if (!value.isString()) Wrong(field, "ett datum ÅÅÅÅ-MM-DD eller null");
    const std::string text = value.extract<std::string>();
    if (text.empty()) return std::nullopt;
    std::optional<core::Date> date = core::Date::Parse(text);
    if (!date) Wrong(field, "ett datum ÅÅÅÅ-MM-DD eller null");
    return date;
}

std::vector<std::string> Strings(const std::string& field, const Var& value) {
    if (value.isEmpty()) return {};
    if (value.type() != typeid(Poco::JSON::Array::Ptr)) Wrong(field, "en lista av strängar");
    std::vector<std::string> strings;
    for (const Var& item : *value.extract<Poco::JSON::Array::Ptr>()) {
        if (!item.isString()) Wrong(field, "en lista av strängar");
        strings.push_back(item.extract<std::string>());
    }
    return strings;
}

std::vector<core::ReviewRecord> Reviews(const Var& value) {
    const std::string field = "reviews";
    if (value.isEmpty()) return {};
    if (value.type() != typeid(Poco::JSON::Array::Ptr)) Wrong(field, "en lista av prövningar");
    std::vector<core::ReviewRecord> reviews;
    for (const Var& item : *value.extract<Poco::JSON::Array::Ptr>()) {
        if (item.type() != typeid(Poco::JSON::Object::Ptr)) Wrong(field, "en lista av prövningar");
        const auto& object = *item.extract<Poco::JSON::Object::Ptr>();
        core::ReviewRecord review;
        review.decided_by = Text("reviews.decided_by", object.get("decided_by"));
        std::optional<core::Date> on = DateOf("reviews.decided_on", object.get("decided_on"));
        if (!on) Wrong("reviews.decided_on", "ett datum ÅÅÅÅ-MM-DD");
        review.decided_on = *on;
        review.paragraph = Text("reviews.paragraph", object.get("paragraph"));
        review.dnr = Text("reviews.dnr", object.get("dnr"));
        const std::string outcome = Text("reviews.outcome", object.get("outcome"));
        std::optional<core::ReviewOutcome> parsed = core::ParseReviewOutcome(outcome);
        if (!parsed) {
            Wrong("reviews.outcome", "\"fortsatt gällande\", \"revideras\" eller \"upphävs\"");
        }
        review.outcome = *parsed;
        reviews.push_back(std::move(review));
    }
    return reviews;
}

// One member of the JSON object into the field it names, read as the field's kind says.
void SetField(core::Metadata& m, const core::MetadataField& field, const Var& value) {
    const std::string name(field.name);
    switch (field.kind) {
        case core::FieldKind::kText:
            *core::TextMember(m, field) = Text(name, value);
            break;
        case core::FieldKind::kDate:
            *core::DateMember(m, field) = DateOf(name, value);
            break;
        case core::FieldKind::kStatus: {
            std::optional<core::Status> status = core::ParseStatus(Text(name, value));
            if (!status) Wrong(name, "\"gällande\", \"upphävd\" eller \"utkast\"");
            m.status = *status;
            break;
        }
        case core::FieldKind::kBoolean:
            if (value.isEmpty()) {
                m.is_public.reset();
            } else if (value.type() == typeid(bool)) {
                m.is_public = value.extract<bool>();
            } else {
                Wrong(name, "true, false eller null");
            }
            break;
        case core::FieldKind::kList:
            // `replaces` was one id before it was a list; clients that send it so still work.
            if (field.single_as_text && value.isString()) {
                std::string id = value.extract<std::string>();
                *core::ListMember(m, field) =
                    id.empty() ? std::vector<std::string>{} : std::vector<std::string>{id};
            } else {
                *core::ListMember(m, field) = Strings(name, value);
            }
            break;
        case core::FieldKind::kReviews:
            m.reviews = Reviews(value);
            break;
    }
}

}  // namespace

DocumentInput ParseDocumentJson(std::string_view body, const core::Metadata& base) {
    Var parsed;
    try {
        Poco::JSON::Parser parser;
        parsed = parser.parse(std::string(body));
    } catch (const Poco::Exception& error) {
        throw Error(ErrorCode::kBadInput, "kroppen är inte giltig JSON: " + error.message());
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
        throw Error(ErrorCode::kBadInput, "kroppen ska vara ett JSON-objekt");
    }
    const auto& object = *parsed.extract<Poco::JSON::Object::Ptr>();
    DocumentInput input;
    input.metadata = base;
    for (const auto& [name, value] : object) {
        if (const core::MetadataField* field = core::FindMetadataField(name)) {
            SetField(input.metadata, *field, value);
        } else if (name == "text") {
            input.text = Text(name, value);
        } else if (name == "summary") {
            input.summary = Text(name, value);
        }
    }
    return input;
}

}  // namespace styrdok::server
