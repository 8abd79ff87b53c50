#include "styrdok/core/metadata_fields.hpp"

#include <algorithm>
#include <array>

#include "styrdok/core/utf8.hpp"

namespace styrdok::core {

namespace {

constexpr std::array<MetadataField, 24> kFields{{
    {"id", FieldKind::kText, {}},
    {"title", FieldKind::kText, {}},
    {"doctype", FieldKind::kText, {}},
    {"dnr", FieldKind::kText, {}},
    {"decided_by", FieldKind::kText, {}},
    {"decided_on", FieldKind::kDate, {}},
    {"paragraph", FieldKind::kText, {}},
    {"owner", FieldKind::kText, {}},
    {"owner_email", FieldKind::kText, {}},
    {"owner_body", FieldKind::kText, {}},
    {"applies_to", FieldKind::kText, {}},
    {"valid_from", FieldKind::kDate, {}},
    {"valid_to", FieldKind::kDate, {}},
    {"status", FieldKind::kStatus, {}},
    {"last_reviewed_on", FieldKind::kDate, {}},
    {"review_due", FieldKind::kDate, {}},
    {"implements", FieldKind::kList, "ref"},
    {"replaces", FieldKind::kList, "ref", true},
    {"related", FieldKind::kList, "ref"},
    {"goal_areas", FieldKind::kList, "goal_area"},
    {"keywords", FieldKind::kList, "keyword"},
    {"public", FieldKind::kBoolean, {}},
    {"changes", FieldKind::kText, {}},
    {"reviews", FieldKind::kReviews, {}},
}};

// The members behind the names; one switch on the name each, used by both constnesses.
template <typename M>
auto* Text(M& m, std::string_view name) {
    using Result = decltype(&m.id);
    if (name == "id") return &m.id;
    if (name == "title") return &m.title;
    if (name == "doctype") return &m.doctype;
    if (name == "dnr") return &m.dnr;
    if (name == "decided_by") return &m.decided_by;
    if (name == "paragraph") return &m.paragraph;
    if (name == "owner") return &m.owner;
    if (name == "owner_email") return &m.owner_email;
    if (name == "owner_body") return &m.owner_body;
    if (name == "applies_to") return &m.applies_to;
    if (name == "changes") return &m.changes;
    return Result{nullptr};
}

template <typename M>
auto* Dates(M& m, std::string_view name) {
    using Result = decltype(&m.decided_on);
    if (name == "decided_on") return &m.decided_on;
    if (name == "valid_from") return &m.valid_from;
    if (name == "valid_to") return &m.valid_to;
    if (name == "last_reviewed_on") return &m.last_reviewed_on;
    if (name == "review_due") return &m.review_due;
    return Result{nullptr};
}

template <typename M>
auto* List(M& m, std::string_view name) {
    using Result = decltype(&m.related);
    if (name == "implements") return &m.implements;
    if (name == "replaces") return &m.replaces;
    if (name == "related") return &m.related;
    if (name == "goal_areas") return &m.goal_areas;
    if (name == "keywords") return &m.keywords;
    return Result{nullptr};
}

std::string ReviewLine(const ReviewRecord& review) {
    std::string text = review.decided_on.ToString() + " " + review.decided_by;
    if (!review.paragraph.empty()) text += " " + review.paragraph;
    if (!review.dnr.empty()) text += " (" + review.dnr + ")";
    return text + ": " + std::string(ReviewOutcomeName(review.outcome));
}

template <typename Items, typename Show>
std::string Joined(const Items& items, std::string_view separator, Show show) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += show(item);
    }
    return out;
}

}  // namespace

std::span<const MetadataField> MetadataFields() { return kFields; }

const MetadataField* FindMetadataField(std::string_view name) {
    const auto found = std::find_if(kFields.begin(), kFields.end(),
                                    [name](const MetadataField& f) { return f.name == name; });
    return found == kFields.end() ? nullptr : &*found;
}

std::string* TextMember(Metadata& m, const MetadataField& f) { return Text(m, f.name); }
const std::string* TextMember(const Metadata& m, const MetadataField& f) { return Text(m, f.name); }
std::optional<Date>* DateMember(Metadata& m, const MetadataField& f) { return Dates(m, f.name); }
const std::optional<Date>* DateMember(const Metadata& m, const MetadataField& f) {
    return Dates(m, f.name);
}
std::vector<std::string>* ListMember(Metadata& m, const MetadataField& f) {
    return List(m, f.name);
}
const std::vector<std::string>* ListMember(const Metadata& m, const MetadataField& f) {
    return List(m, f.name);
}

bool HasValue(const Metadata& m, const MetadataField& field) {
    switch (field.kind) {
        case FieldKind::kText:
            return !TextMember(m, field)->empty();
        case FieldKind::kDate:
            return DateMember(m, field)->has_value();
        case FieldKind::kStatus:
            return true;
        case FieldKind::kBoolean:
            return m.is_public.has_value();
        case FieldKind::kList:
            return !ListMember(m, field)->empty();
        case FieldKind::kReviews:
            return !m.reviews.empty();
    }
    return false;
}

std::string FieldText(const Metadata& m, const MetadataField& field, std::string_view separator) {
    switch (field.kind) {
        case FieldKind::kText:
            return *TextMember(m, field);
        case FieldKind::kDate: {
            const std::optional<Date>& date = *DateMember(m, field);
            return date ? date->ToString() : std::string();
        }
        case FieldKind::kStatus:
            return std::string(StatusName(m.status));
        case FieldKind::kBoolean:
            return m.is_public ? (*m.is_public ? "true" : "false") : "";
        case FieldKind::kList:
            return Joined(*ListMember(m, field), separator,
                          [](const std::string& item) { return item; });
        case FieldKind::kReviews:
            return Joined(m.reviews, separator, ReviewLine);
    }
    return {};
}

std::optional<Problem> SetFieldText(Metadata& m, const MetadataField& field, std::string_view text,
                                    std::string_view separators) {
    const std::string value(Trim(text));
    const std::string name(field.name);
    switch (field.kind) {
        case FieldKind::kText:
            *TextMember(m, field) = value;
            return std::nullopt;
        case FieldKind::kDate: {
            if (value.empty()) {
                DateMember(m, field)->reset();
                return std::nullopt;
            }
            const std::optional<Date> date = Date::Parse(value);
            if (!date) return MakeProblem(ProblemCode::kBadDate, name, {value});
            *DateMember(m, field) = date;
            return std::nullopt;
        }
        case FieldKind::kStatus: {
            if (value.empty()) return std::nullopt;
            const std::optional<Status> status = ParseStatus(value);
            if (!status) return MakeProblem(ProblemCode::kBadStatus, name, {value});
            m.status = *status;
            return std::nullopt;
        }
        case FieldKind::kBoolean:
            if (value.empty()) {
                m.is_public.reset();
            } else if (value == "true" || value == "false") {
                m.is_public = value == "true";
            } else {
                return MakeProblem(ProblemCode::kBadBoolean, name, {value});
            }
            return std::nullopt;
        case FieldKind::kList: {
            std::vector<std::string>& items = *ListMember(m, field);
            items.clear();
            std::size_t start = 0;
            while (start <= value.size()) {
                std::size_t end = value.find_first_of(separators, start);
                if (end == std::string::npos) end = value.size();
                std::string item(Trim(std::string_view(value).substr(start, end - start)));
                if (!item.empty()) items.push_back(std::move(item));
                start = end + 1;
            }
            return std::nullopt;
        }
        case FieldKind::kReviews:
            return MakeProblem(ProblemCode::kNotText, name);
    }
    return std::nullopt;
}

}  // namespace styrdok::core
