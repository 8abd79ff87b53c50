#include "document_input.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <functional>
#include <map>

#include "styrdok/core/error.hpp"

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

using Setter = std::function<void(core::Metadata&, const std::string&, const Var&)>;

Setter TextField(std::string core::Metadata::*member) {
    return [member](core::Metadata& m, const std::string& field, const Var& value) {
        m.*member = Text(field, value);
    };
}

Setter DateField(std::optional<core::Date> core::Metadata::*member) {
    return [member](core::Metadata& m, const std::string& field, const Var& value) {
        m.*member = DateOf(field, value);
    };
}

Setter ListField(std::vector<std::string> core::Metadata::*member) {
    return [member](core::Metadata& m, const std::string& field, const Var& value) {
        m.*member = Strings(field, value);
    };
}

const std::map<std::string, Setter, std::less<>>& Setters() {
    static const std::map<std::string, Setter, std::less<>> setters{
        {"id", TextField(&core::Metadata::id)},
        {"title", TextField(&core::Metadata::title)},
        {"doctype", TextField(&core::Metadata::doctype)},
        {"dnr", TextField(&core::Metadata::dnr)},
        {"decided_by", TextField(&core::Metadata::decided_by)},
        {"decided_on", DateField(&core::Metadata::decided_on)},
        {"paragraph", TextField(&core::Metadata::paragraph)},
        {"owner", TextField(&core::Metadata::owner)},
        {"owner_email", TextField(&core::Metadata::owner_email)},
        {"owner_body", TextField(&core::Metadata::owner_body)},
        {"applies_to", TextField(&core::Metadata::applies_to)},
        {"valid_from", DateField(&core::Metadata::valid_from)},
        {"valid_to", DateField(&core::Metadata::valid_to)},
        {"last_reviewed_on", DateField(&core::Metadata::last_reviewed_on)},
        {"review_due", DateField(&core::Metadata::review_due)},
        {"replaces", TextField(&core::Metadata::replaces)},
        {"related", ListField(&core::Metadata::related)},
        {"goal_areas", ListField(&core::Metadata::goal_areas)},
        {"keywords", ListField(&core::Metadata::keywords)},
        {"changes", TextField(&core::Metadata::changes)},
        {"status",
         [](core::Metadata& m, const std::string& field, const Var& value) {
             std::optional<core::Status> status = core::ParseStatus(Text(field, value));
             if (!status) Wrong(field, "\"gällande\", \"upphävd\" eller \"utkast\"");
             m.status = *status;
         }},
        {"public",
         [](core::Metadata& m, const std::string& field, const Var& value) {
             if (value.isEmpty()) {
                 m.is_public.reset();
             } else if (value.type() == typeid(bool)) {
                 m.is_public = value.extract<bool>();
             } else {
                 Wrong(field, "true, false eller null");
             }
         }},
        {"reviews", [](core::Metadata& m, const std::string&,
                       const Var& value) { m.reviews = Reviews(value); }},
    };
    return setters;
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
        if (auto setter = Setters().find(name); setter != Setters().end()) {
            setter->second(input.metadata, name, value);
        } else if (name == "text") {
            input.text = Text(name, value);
        } else if (name == "summary") {
            input.summary = Text(name, value);
        }
    }
    return input;
}

}  // namespace styrdok::server
