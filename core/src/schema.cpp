#include "styrdok/core/schema.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <initializer_list>
#include <pugixml.hpp>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "line_map.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/utf8.hpp"

namespace styrdok::core {
namespace {

// The metadata fields a schema may require or label: the element names of metadata.xml,
// plus `category`, which documents show although it is derived from the doctype.
constexpr std::string_view kMetadataFields[] = {
    "id",         "title",     "doctype",    "category",         "dnr",        "decided_by",
    "decided_on", "paragraph", "owner",      "owner_email",      "owner_body", "applies_to",
    "valid_from", "valid_to",  "status",     "last_reviewed_on", "review_due", "implements",
    "replaces",   "related",   "goal_areas", "keywords",         "public",     "changes",
    "reviews",
};

bool IsMetadataField(std::string_view field) {
    return std::find(std::begin(kMetadataFields), std::end(kMetadataFields), field) !=
           std::end(kMetadataFields);
}

// A deadline counted from election day beyond the next election would belong to the
// period after it.
constexpr int kMaxMonthsAfterElection = 48;

// Reads one schema text and throws on its first problem. The problem is located by the line
// of the element it concerns, since pugixml keeps offsets for nodes but not for attributes.
class Reader {
public:
    Reader(std::string_view xml, std::string_view name) : xml_(xml), name_(name), lines_(xml) {}

    [[noreturn]] void Fail(int line, const std::string& reason) const {
        throw Error(ErrorCode::kBadInput, name_ + ":" + std::to_string(line) + ": " + reason);
    }
    [[noreturn]] void Fail(pugi::xml_node node, const std::string& reason) const {
        Fail(node.type() == pugi::node_pcdata ? lines_.LineOfText(node.offset_debug(), node.value())
                                              : lines_.LineOf(node.offset_debug()),
             reason);
    }

    pugi::xml_node Load(pugi::xml_document& doc) const {
        if (std::vector<int> bad = detail::LineMap::InvalidUtf8Lines(xml_); !bad.empty()) {
            Fail(bad.front(), "invalid UTF-8");
        }
        // Forcing UTF-8 keeps the buffer unconverted, so pugixml's offsets are ours.
        pugi::xml_parse_result parsed =
            doc.load_buffer(xml_.data(), xml_.size(), pugi::parse_default, pugi::encoding_utf8);
        if (!parsed) {
            if (parsed.status == pugi::status_no_document_element) {
                Fail(1, "missing <schema> root element");
            }
            Fail(lines_.LineOf(parsed.offset),
                 std::string("malformed XML: ") + parsed.description());
        }
        pugi::xml_node root = doc.document_element();
        if (std::string_view(root.name()) != "schema") {
            Fail(root, "the root element is <" + std::string(root.name()) + ">, not <schema>");
        }
        for (pugi::xml_node extra = root.next_sibling(); extra; extra = extra.next_sibling()) {
            if (extra.type() == pugi::node_element) {
                Fail(extra, "element <" + std::string(extra.name()) + "> after the <schema> root");
            }
        }
        return root;
    }

    // Refuses attributes outside `allowed`: a misspelt attribute would otherwise silently
    // fall back to its default, which is worse than refusing the file.
    void CheckAttributes(pugi::xml_node element,
                         std::initializer_list<std::string_view> allowed) const {
        for (pugi::xml_attribute attribute : element.attributes()) {
            if (std::find(allowed.begin(), allowed.end(), std::string_view(attribute.name())) ==
                allowed.end()) {
                Fail(element, "unknown attribute '" + std::string(attribute.name()) + "' on <" +
                                  element.name() + ">");
            }
        }
    }

    std::string Required(pugi::xml_node element, const char* attribute) const {
        pugi::xml_attribute a = element.attribute(attribute);
        std::string value(Trim(a.value()));
        if (!a || value.empty()) {
            Fail(element,
                 "<" + std::string(element.name()) + "> lacks attribute '" + attribute + "'");
        }
        return value;
    }

    std::string Optional(pugi::xml_node element, const char* attribute) const {
        return std::string(Trim(element.attribute(attribute).value()));
    }

    std::string Id(pugi::xml_node element, const char* attribute = "id") const {
        std::string id = Required(element, attribute);
        if (!IsValidDocumentId(id)) {
            Fail(element, std::string(attribute) + " '" + id +
                              "' is not lower-case letters, digits and '-'");
        }
        return id;
    }

    bool Boolean(pugi::xml_node element, const char* attribute, bool fallback) const {
        if (!element.attribute(attribute)) return fallback;
        std::string value = Optional(element, attribute);
        if (value == "true") return true;
        if (value == "false") return false;
        Fail(element, std::string(attribute) + " must be true or false, not '" + value + "'");
    }

    int Integer(pugi::xml_node element, const char* attribute) const {
        std::string text = Required(element, attribute);
        int value = 0;
        auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size()) {
            Fail(element, std::string(attribute) + " '" + text + "' is not a whole number");
        }
        return value;
    }

    // The element children of a container; text or unexpected elements between them are
    // refused so that a typo never drops part of the model.
    std::vector<pugi::xml_node> Children(pugi::xml_node container, std::string_view item) const {
        std::vector<pugi::xml_node> out;
        for (pugi::xml_node child : container.children()) {
            if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
                if (!Trim(child.value()).empty()) {
                    Fail(child, "unexpected text in <" + std::string(container.name()) + ">");
                }
                continue;
            }
            if (child.type() != pugi::node_element) continue;
            if (std::string_view(child.name()) != item) {
                Fail(child, "unknown element <" + std::string(child.name()) + "> in <" +
                                container.name() + ">");
            }
            out.push_back(child);
        }
        return out;
    }

    // The text of a leaf element; child elements are refused.
    std::string Text(pugi::xml_node element) const {
        std::string text;
        for (pugi::xml_node child : element.children()) {
            if (child.type() == pugi::node_element) {
                Fail(child, "unexpected element <" + std::string(child.name()) + "> in <" +
                                element.name() + ">");
            }
            if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
                text += child.value();
            }
        }
        text = std::string(Trim(text));
        if (text.empty()) Fail(element, "<" + std::string(element.name()) + "> is empty");
        return text;
    }

private:
    std::string_view xml_;
    std::string name_;
    detail::LineMap lines_;
};

Category ParseCategory(const Reader& r, pugi::xml_node element) {
    std::string value = r.Required(element, "category");
    if (value == "politisk") return Category::kPolitical;
    if (value == "administrativ") return Category::kAdministrative;
    r.Fail(element, "unknown category '" + value + "' (politisk or administrativ)");
}

ReviewRule ParseReviewRule(const Reader& r, pugi::xml_node element) {
    std::string kind = r.Required(element, "review");
    ReviewRule rule;
    // Each rule takes exactly the numbers it uses; a stray number means the author meant
    // another rule, and guessing which would be wrong.
    auto refuse = [&](const char* attribute) {
        if (element.attribute(attribute)) {
            r.Fail(element, std::string(attribute) + " does not apply to review '" + kind + "'");
        }
    };
    if (kind == "none") {
        rule.kind = ReviewRuleKind::kNone;
        refuse("months");
        refuse("grace_months");
    } else if (kind == "mandate-period") {
        rule.kind = ReviewRuleKind::kEveryMandatePeriod;
        refuse("months");
        if (element.attribute("grace_months")) {
            rule.grace_months = r.Integer(element, "grace_months");
            if (rule.grace_months < 0) r.Fail(element, "grace_months must not be negative");
        }
    } else if (kind == "within-period") {
        rule.kind = ReviewRuleKind::kWithinPeriod;
        refuse("months");
        refuse("grace_months");
    } else if (kind == "months") {
        rule.kind = ReviewRuleKind::kEveryMonths;
        refuse("grace_months");
        rule.months = r.Integer(element, "months");
        if (rule.months <= 0) r.Fail(element, "months must be greater than 0");
    } else if (kind == "yearly") {
        rule.kind = ReviewRuleKind::kYearly;
        rule.months = 12;
        refuse("months");
        refuse("grace_months");
    } else if (kind == "months-after-election") {
        // A legal deadline (PBL 3 kap. 30 §): no grace stretches it.
        rule.kind = ReviewRuleKind::kMonthsAfterElection;
        refuse("grace_months");
        rule.months = r.Integer(element, "months");
        if (rule.months <= 0) r.Fail(element, "months must be greater than 0");
        if (rule.months > kMaxMonthsAfterElection) {
            r.Fail(element, "months after election must be at most " +
                                std::to_string(kMaxMonthsAfterElection) +
                                ", the length of a mandate period");
        }
    } else {
        r.Fail(element, "unknown review rule '" + kind +
                            "' (none, mandate-period, within-period, months, yearly or "
                            "months-after-election)");
    }
    return rule;
}

BodyLevel ParseLevel(const Reader& r, pugi::xml_node element) {
    std::string value = r.Required(element, "level");
    if (value == "fullmaktige") return BodyLevel::kCouncil;
    if (value == "styrelse") return BodyLevel::kExecutiveBoard;
    if (value == "namnd") return BodyLevel::kBoard;
    // The registry's ranking is fullmäktige > styrelse > nämnd > förvaltning/bolag: a
    // company's board adopts its own documents, but any political body ranks above it.
    if (value == "forvaltning" || value == "bolag") return BodyLevel::kAdministration;
    r.Fail(element,
           "unknown level '" + value + "' (fullmaktige, styrelse, namnd, forvaltning or bolag)");
}

bool LooksLikeEmail(std::string_view text) {
    const auto at = text.find('@');
    return at != std::string_view::npos && at > 0 && at + 1 < text.size() &&
           text.find('@', at + 1) == std::string_view::npos &&
           text.find_first_of(" \t<>") == std::string_view::npos;
}

// Keeps one kind of id unique and tells where it was first defined.
class IdSet {
public:
    IdSet(const Reader& r, std::string_view what) : reader_(r), what_(what) {}

    void Add(pugi::xml_node element, const std::string& key, std::string_view shown) {
        if (!seen_.insert(key).second) {
            reader_.Fail(element,
                         "duplicate " + std::string(what_) + " '" + std::string(shown) + "'");
        }
    }

private:
    const Reader& reader_;
    std::string_view what_;
    std::set<std::string, std::less<>> seen_;
};

// A space-separated list of metadata fields, each known and named once.
std::vector<std::string> ParseFieldList(const Reader& r, pugi::xml_node element,
                                        const char* attribute) {
    std::vector<std::string> fields;
    std::istringstream words(r.Optional(element, attribute));
    for (std::string field; words >> field;) {
        if (!IsMetadataField(field)) {
            r.Fail(element, std::string(attribute) + ": unknown metadata field '" + field + "'");
        }
        if (std::find(fields.begin(), fields.end(), field) != fields.end()) {
            r.Fail(element, std::string(attribute) + ": field '" + field + "' named twice");
        }
        fields.push_back(std::move(field));
    }
    return fields;
}

DnrStyle ParseDnrStyle(const Reader& r, pugi::xml_node element) {
    const std::string value = r.Optional(element, "dnr_style");
    if (value == "year-serial") return DnrStyle::kYearSerial;
    if (value == "serial-year") return DnrStyle::kSerialYear;
    r.Fail(element, "unknown dnr_style '" + value + "' (year-serial or serial-year)");
}

struct BodyElement {
    pugi::xml_node element;
    std::string level;  // as written: `bolag` and `forvaltning` share a BodyLevel
    bool names_parent = false;
};

// The first body written at `level`, or "".
std::string FirstAt(const std::vector<BodyElement>& elements, const std::vector<Body>& bodies,
                    std::string_view level) {
    for (std::size_t i = 0; i < elements.size(); ++i) {
        if (elements[i].level == level) return bodies[i].id;
    }
    return {};
}

// Gives every body without a `parent` one derived from its level, so that schemas written
// before parents existed keep working: fullmäktige is the root; kommunstyrelsen, the
// nämnder and the companies sit under the first fullmäktige; a förvaltning under the first
// styrelse (kommundirektören is kommunstyrelsen's official), or fullmäktige without one.
// Then refuses parents that are undefined, given to fullmäktige, or form a cycle.
void ResolveParents(const Reader& r, const std::vector<BodyElement>& elements,
                    std::vector<Body>& bodies) {
    const std::string council = FirstAt(elements, bodies, "fullmaktige");
    const std::string board = FirstAt(elements, bodies, "styrelse");
    for (std::size_t i = 0; i < bodies.size(); ++i) {
        const BodyElement& e = elements[i];
        Body& body = bodies[i];
        if (e.names_parent) {
            if (e.level == "fullmaktige") {
                r.Fail(e.element,
                       "body '" + body.id + "' is at level fullmaktige, which has no parent");
            }
            continue;
        }
        if (e.level == "fullmaktige") continue;
        body.parent = e.level == "forvaltning" && !board.empty() ? board : council;
    }
    auto parent_of = [&](const std::string& id) -> const Body* {
        auto found =
            std::find_if(bodies.begin(), bodies.end(), [&](const Body& b) { return b.id == id; });
        return found == bodies.end() ? nullptr : &*found;
    };
    // A derived parent is a root or a styrelse, so every cycle passes a body naming its parent.
    for (std::size_t i = 0; i < bodies.size(); ++i) {
        if (!elements[i].names_parent) continue;
        if (parent_of(bodies[i].parent) == nullptr) {
            r.Fail(elements[i].element,
                   "body '" + bodies[i].id + "' has undefined parent '" + bodies[i].parent + "'");
        }
        // A line is at most as long as there are bodies; walking further means a cycle.
        const Body* above = &bodies[i];
        for (std::size_t steps = 0; above != nullptr && !above->parent.empty(); ++steps) {
            above = parent_of(above->parent);
            if (above == &bodies[i] || steps > bodies.size()) {
                r.Fail(elements[i].element,
                       "the parents of body '" + bodies[i].id + "' form a cycle");
            }
        }
    }
}

// The id of the level that collects the doctypes a <styrmodell> does not place.
constexpr std::string_view kOtherLevel = "ovriga";

// Political over administrative, from the doctypes' categories: the model of a schema
// written before styrmodeller existed. No level is expected to implement another, since
// such a schema never asked its documents to say what they implement.
std::vector<StyrmodellLevel> LevelsFromCategories(const std::vector<DocType>& doctypes) {
    StyrmodellLevel political{
        "politisk", "Politiska styrdokument", "Dokument som antas av politiska organ.", {}, false,
        false};
    StyrmodellLevel administrative{"administrativ",
                                   "Administrativa styrdokument",
                                   "Dokument som beskriver hur verksamheten ska arbeta.",
                                   {},
                                   false,
                                   false};
    for (const DocType& t : doctypes) {
        (t.category == Category::kPolitical ? political : administrative).doctypes.push_back(t.id);
    }
    std::vector<StyrmodellLevel> levels;
    for (StyrmodellLevel* level : {&political, &administrative}) {
        if (!level->doctypes.empty()) levels.push_back(std::move(*level));
    }
    return levels;
}

// Reads <styrmodell> once the doctypes are known (it may come before them in the file):
// each level names doctypes of this schema, each doctype sits at one level, and only a
// level of the chain below its first can be expected to implement something above it.
std::vector<StyrmodellLevel> ParseStyrmodell(const Reader& r, pugi::xml_node section,
                                             const std::vector<DocType>& doctypes) {
    std::vector<StyrmodellLevel> levels;
    IdSet ids(r, "styrmodell level id");
    std::set<std::string, std::less<>> placed;
    bool chain_started = false;
    for (pugi::xml_node e : r.Children(section, "level")) {
        r.CheckAttributes(e,
                          {"id", "name", "doctypes", "implements_above", "beside", "description"});
        StyrmodellLevel level;
        level.id = r.Id(e);
        if (level.id == kOtherLevel) {
            r.Fail(e, "level id '" + level.id + "' is reserved for the doctypes placed nowhere");
        }
        ids.Add(e, level.id, level.id);
        level.name = r.Required(e, "name");
        level.description = r.Optional(e, "description");
        level.beside = r.Boolean(e, "beside", false);
        level.implements_above = r.Boolean(e, "implements_above", false);
        std::istringstream words(r.Required(e, "doctypes"));
        for (std::string doctype; words >> doctype;) {
            auto known = std::find_if(doctypes.begin(), doctypes.end(),
                                      [&](const DocType& t) { return t.id == doctype; });
            if (known == doctypes.end()) {
                r.Fail(e, "level '" + level.id + "' names unknown doctype '" + doctype + "'");
            }
            if (!placed.insert(doctype).second) {
                r.Fail(e, "doctype '" + doctype + "' sits at more than one level");
            }
            level.doctypes.push_back(std::move(doctype));
        }
        if (level.implements_above && level.beside) {
            r.Fail(e, "level '" + level.id +
                          "' is beside the chain and cannot be expected to implement above it");
        }
        if (level.implements_above && !chain_started) {
            r.Fail(e, "level '" + level.id +
                          "' is the first of the chain and has nothing above it to implement");
        }
        if (!level.beside) chain_started = true;
        levels.push_back(std::move(level));
    }
    if (levels.empty()) r.Fail(section, "<styrmodell> has no levels");
    StyrmodellLevel other{std::string(kOtherLevel), "Övriga dokument", "", {}, false, true};
    for (const DocType& t : doctypes) {
        if (!placed.contains(t.id)) other.doctypes.push_back(t.id);
    }
    if (!other.doctypes.empty()) levels.push_back(std::move(other));
    return levels;
}

StyrmodellGrouping ParseGrouping(const Reader& r, pugi::xml_node section) {
    const std::string value = r.Optional(section, "group_by");
    if (value.empty() || value == "none") return StyrmodellGrouping::kNone;
    if (value == "goal_area") return StyrmodellGrouping::kGoalArea;
    r.Fail(section, "unknown group_by '" + value + "' (none or goal_area)");
}

}  // namespace

std::string_view CategoryName(Category category) {
    switch (category) {
        case Category::kPolitical:
            return "politisk";
        case Category::kAdministrative:
            return "administrativ";
    }
    return "administrativ";
}

Schema Schema::Load(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw Error(ErrorCode::kBadInput, file.string() + ": cannot be read");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return Parse(text.str(), file.string());
}

Schema Schema::Parse(std::string_view xml, std::string_view name) {
    Reader r(xml, name);
    pugi::xml_document doc;
    pugi::xml_node root = r.Load(doc);
    r.CheckAttributes(root, {"name", "version", "dnr_style"});

    Schema schema;
    schema.name_ = r.Required(root, "name");
    schema.version_ = r.Integer(root, "version");
    if (schema.version_ <= 0) r.Fail(root, "version must be greater than 0");
    if (root.attribute("dnr_style")) schema.dnr_style_ = ParseDnrStyle(r, root);

    std::set<std::string, std::less<>> sections;
    // Synonym groups refer to bodies, which may be defined further down the file.
    std::vector<pugi::xml_node> synonym_groups;
    // The styrmodell refers to doctypes, which may be defined further down the file.
    pugi::xml_node styrmodell;
    for (pugi::xml_node section : root.children()) {
        if (section.type() == pugi::node_pcdata || section.type() == pugi::node_cdata) {
            if (!Trim(section.value()).empty()) r.Fail(section, "unexpected text in <schema>");
            continue;
        }
        if (section.type() != pugi::node_element) continue;
        const std::string section_name = section.name();
        if (!sections.insert(section_name).second) {
            r.Fail(section, "duplicate <" + section_name + ">");
        }
        if (section_name == "styrmodell") {
            r.CheckAttributes(section, {"group_by"});
        } else {
            r.CheckAttributes(section, {});
        }

        if (section_name == "doctypes") {
            IdSet ids(r, "doctype id");
            for (pugi::xml_node e : r.Children(section, "doctype")) {
                r.CheckAttributes(e, {"id", "label", "plural", "category", "review", "months",
                                      "grace_months", "public", "regulation", "required"});
                DocType t;
                t.id = r.Id(e);
                ids.Add(e, t.id, t.id);
                t.label = r.Required(e, "label");
                t.plural = r.Optional(e, "plural");
                if (t.plural.empty()) t.plural = t.label;
                t.category = ParseCategory(r, e);
                t.review = ParseReviewRule(r, e);
                t.public_by_default = r.Boolean(e, "public", true);
                t.is_regulation = r.Boolean(e, "regulation", false);
                // Kommunallagen 8 kap. 13 § puts föreskrifter in force on the public register.
                if (t.is_regulation && !t.public_by_default) {
                    r.Fail(e, "doctype '" + t.id + "' is a föreskrift and cannot be non-public");
                }
                if (e.attribute("required")) t.required_fields = ParseFieldList(r, e, "required");
                schema.doctypes_.push_back(std::move(t));
            }
        } else if (section_name == "bodies") {
            // Ids, abbreviations and names share one key space because FindBody looks a body
            // up by any of them.
            IdSet keys(r, "body id, name or abbreviation");
            std::vector<BodyElement> elements;
            for (pugi::xml_node e : r.Children(section, "body")) {
                r.CheckAttributes(e, {"id", "name", "abbreviation", "level", "parent", "political",
                                      "council_period", "clerk_email"});
                Body b;
                b.id = r.Id(e);
                b.name = r.Required(e, "name");
                b.abbreviation = r.Optional(e, "abbreviation");
                b.level = ParseLevel(r, e);
                const std::string level = r.Required(e, "level");
                elements.push_back({e, level, !e.attribute("parent").empty()});
                if (elements.back().names_parent) b.parent = r.Id(e, "parent");
                b.political = r.Boolean(e, "political", level != "forvaltning" && level != "bolag");
                b.follows_council_period =
                    r.Boolean(e, "council_period", b.level == BodyLevel::kCouncil);
                b.clerk_email = r.Optional(e, "clerk_email");
                if (!b.clerk_email.empty() && !LooksLikeEmail(b.clerk_email)) {
                    r.Fail(e, "clerk_email '" + b.clerk_email + "' is not an e-mail address");
                }
                std::set<std::string> own;
                for (const std::string& key : {b.id, b.name, b.abbreviation}) {
                    if (key.empty()) continue;
                    const std::string folded = FoldCase(key);
                    if (own.insert(folded).second) {
                        keys.Add(e, folded, key);
                        schema.body_by_key_.emplace(folded, schema.bodies_.size());
                    }
                }
                schema.bodies_.push_back(std::move(b));
            }
            ResolveParents(r, elements, schema.bodies_);
        } else if (section_name == "goal_areas") {
            IdSet keys(r, "goal area id or name");
            for (pugi::xml_node e : r.Children(section, "goal_area")) {
                r.CheckAttributes(e, {"id", "name"});
                GoalArea g;
                g.id = r.Id(e);
                g.name = r.Required(e, "name");
                keys.Add(e, FoldCase(g.id), g.id);
                if (FoldCase(g.name) != FoldCase(g.id)) keys.Add(e, FoldCase(g.name), g.name);
                schema.goal_areas_.push_back(std::move(g));
            }
        } else if (section_name == "required_fields") {
            IdSet fields(r, "required field");
            for (pugi::xml_node e : r.Children(section, "field")) {
                r.CheckAttributes(e, {});
                std::string field = r.Text(e);
                if (!IsMetadataField(field)) r.Fail(e, "unknown metadata field '" + field + "'");
                fields.Add(e, field, field);
                schema.required_fields_.push_back(std::move(field));
            }
        } else if (section_name == "field_labels") {
            IdSet fields(r, "label for field");
            for (pugi::xml_node e : r.Children(section, "label")) {
                r.CheckAttributes(e, {"field"});
                FieldLabel l;
                l.field = r.Required(e, "field");
                if (!IsMetadataField(l.field)) {
                    r.Fail(e, "unknown metadata field '" + l.field + "'");
                }
                fields.Add(e, l.field, l.field);
                l.label = r.Text(e);
                schema.field_labels_.push_back(std::move(l));
            }
        } else if (section_name == "synonyms") {
            for (pugi::xml_node e : r.Children(section, "group")) synonym_groups.push_back(e);
        } else if (section_name == "styrmodell") {
            styrmodell = section;
        } else {
            r.Fail(section, "unknown element <" + section_name + "> in <schema>");
        }
    }

    for (pugi::xml_node e : synonym_groups) {
        r.CheckAttributes(e, {"body"});
        SynonymGroup group;
        if (e.attribute("body")) {
            const std::string id = r.Required(e, "body");
            auto body = std::find_if(schema.bodies_.begin(), schema.bodies_.end(),
                                     [&](const Body& b) { return b.id == id; });
            if (body == schema.bodies_.end()) {
                r.Fail(e, "synonym group refers to undefined body '" + id + "'");
            }
            group.terms.push_back(body->abbreviation);
            group.terms.push_back(body->name);
        }
        for (pugi::xml_node term : r.Children(e, "term")) {
            r.CheckAttributes(term, {});
            group.terms.push_back(r.Text(term));
        }
        std::erase(group.terms, std::string());
        std::set<std::string> distinct;
        for (const std::string& term : group.terms) distinct.insert(FoldCase(term));
        if (distinct.size() < 2) r.Fail(e, "a synonym group needs at least two different terms");
        schema.synonyms_.push_back(std::move(group));
    }
    if (styrmodell) {
        schema.styrmodell_ = ParseStyrmodell(r, styrmodell, schema.doctypes_);
        schema.styrmodell_grouping_ = ParseGrouping(r, styrmodell);
    } else {
        schema.styrmodell_ = LevelsFromCategories(schema.doctypes_);
    }
    return schema;
}

const StyrmodellLevel* Schema::LevelOf(std::string_view doctype) const {
    for (const StyrmodellLevel& level : styrmodell_) {
        if (std::find(level.doctypes.begin(), level.doctypes.end(), doctype) !=
            level.doctypes.end()) {
            return &level;
        }
    }
    return nullptr;
}

const DocType* Schema::FindDocType(std::string_view id) const {
    for (const DocType& t : doctypes_) {
        if (t.id == id) return &t;
    }
    return nullptr;
}

const Body* Schema::FindBody(std::string_view id_or_name) const {
    const std::string key = FoldCase(Trim(id_or_name));
    if (key.empty()) return nullptr;
    const auto found = body_by_key_.find(key);
    return found != body_by_key_.end() ? &bodies_[found->second] : nullptr;
}

const GoalArea* Schema::FindGoalArea(std::string_view id_or_name) const {
    const std::string key = FoldCase(Trim(id_or_name));
    if (key.empty()) return nullptr;
    for (const GoalArea& g : goal_areas_) {
        if (FoldCase(g.id) == key || FoldCase(g.name) == key) return &g;
    }
    return nullptr;
}

const std::vector<std::string>& Schema::RequiredFieldsOf(std::string_view doctype) const {
    const DocType* type = FindDocType(doctype);
    return type != nullptr && type->required_fields ? *type->required_fields : required_fields_;
}

bool Schema::DecidesFor(std::string_view decider, std::string_view adopter) const {
    const Body* above = FindBody(decider);
    const Body* body = FindBody(adopter);
    if (above == nullptr) return false;
    // Load refused cycles, so the walk ends at the root; the bound is only a guard.
    for (std::size_t steps = 0; body != nullptr && steps <= bodies_.size(); ++steps) {
        if (body == above) return true;
        if (body->parent.empty()) return false;
        auto parent = std::find_if(bodies_.begin(), bodies_.end(),
                                   [&](const Body& b) { return b.id == body->parent; });
        body = parent == bodies_.end() ? nullptr : &*parent;
    }
    return false;
}

std::string Schema::LabelOf(std::string_view field) const {
    for (const FieldLabel& l : field_labels_) {
        if (l.field == field) return l.label;
    }
    return std::string(field);
}

}  // namespace styrdok::core
