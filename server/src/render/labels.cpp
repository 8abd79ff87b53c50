#include "labels.hpp"

namespace styrdok::server {

std::string DocTypeLabel(const core::Schema& schema, std::string_view id) {
    const core::DocType* type = schema.FindDocType(id);
    return type ? type->label : std::string(id);
}

// Facet values and metadata hold ids, and the schema keeps every id, name and abbreviation
// apart once case-folded, so an id found as written is the one FindBody and FindGoalArea
// would find, without their case folding of every name (a tenth of a result page's CPU).
std::string BodyName(const core::Schema& schema, std::string_view id) {
    for (const core::Body& body : schema.bodies()) {
        if (body.id == id) return body.name;
    }
    const core::Body* body = schema.FindBody(id);
    return body ? body->name : std::string(id);
}

std::string GoalAreaName(const core::Schema& schema, std::string_view id) {
    for (const core::GoalArea& area : schema.goal_areas()) {
        if (area.id == id) return area.name;
    }
    const core::GoalArea* area = schema.FindGoalArea(id);
    return area ? area->name : std::string(id);
}

std::string StatusLabel(std::string_view status) {
    if (status == "gällande") return "Gällande";
    if (status == "upphävd") return "Upphävd";
    if (status == "utkast") return "Utkast";
    if (status == "ej i kraft än") return "Ej i kraft än";
    if (status == "upphört") return "Upphört";
    return std::string(status);
}

std::string StateClass(std::string_view state) {
    if (state == "gällande") return "galler";
    if (state == "upphävd") return "upphavd";
    if (state == "ej i kraft än") return "ej-ikraft";
    if (state == "upphört") return "upphort";
    return "utkast";
}

std::string CategoryLabel(std::string_view category) {
    if (category == "politisk") return "Politisk";
    if (category == "administrativ") return "Administrativ";
    return std::string(category);
}

std::string ValidityText(const std::string& from, const std::string& to) {
    if (from.empty() && to.empty()) return {};
    if (to.empty()) return "Gäller från " + from + " tills vidare";
    if (from.empty()) return "Gäller till och med " + to;
    return "Gäller " + from + " – " + to;
}

std::string ForceText(const std::optional<core::ForceInterval>& interval, core::Date today) {
    if (!interval) return "Har aldrig gällt";
    const std::string from = interval->from.ToString();
    if (today < interval->from) {
        return "Börjar gälla " + from +
               (interval->to ? ", gäller till och med " + interval->to->ToString() : "");
    }
    if (!interval->to) return "Gäller från " + from + " tills vidare";
    if (*interval->to < today) return "Gällde " + from + " – " + interval->to->ToString();
    return "Gäller " + from + " – " + interval->to->ToString();
}

std::string HitCountText(std::size_t total) {
    if (total == 0) return "Inga träffar";
    if (total == 1) return "1 träff";
    return NumberText(total) + " träffar";
}

std::string NumberText(std::size_t number) {
    std::string digits = std::to_string(number);
    std::string grouped;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) grouped += "\u00a0";
        grouped += digits[i];
    }
    return grouped;
}

std::string DateText(const std::optional<core::Date>& date) {
    return date ? date->ToString() : std::string();
}

}  // namespace styrdok::server
