#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "styrdok/core/diarienummer.hpp"

namespace styrdok::core {

/// How often documents of a type must be re-examined (DOMAIN.md, "Review").
enum class ReviewRuleKind {
    kNone,
    kEveryMandatePeriod,  ///< due at the start of each period, overdue after the grace
    /// Once in each mandate period (program för privata utförare, riktlinjer för
    /// bostadsförsörjning): due from the period's start, overdue only after its end.
    kWithinPeriod,
    kEveryMonths,  ///< due `months` after the last event
    kYearly,       ///< every 12 months
    /// Within `months` of each election day (planeringsstrategi, PBL 3 kap. 30 §: 24): due
    /// from the council period's start, overdue after election day + `months`.
    kMonthsAfterElection,
};

struct ReviewRule {
    ReviewRuleKind kind = ReviewRuleKind::kNone;
    int months = 0;        ///< for kEveryMonths and kMonthsAfterElection (kYearly behaves as 12)
    int grace_months = 0;  ///< overdue this long after the last allowed day (every kind)
};

enum class Category { kPolitical, kAdministrative };

/// "politisk", "administrativ".
std::string_view CategoryName(Category category);

struct DocType {
    std::string id;      ///< "policy"
    std::string label;   ///< Swedish label, "Policy"
    std::string plural;  ///< "Policyer"
    Category category = Category::kAdministrative;
    ReviewRule review;
    bool public_by_default = true;
    bool is_regulation = false;  ///< kommunal föreskrift: must stay public while in force
    /// The fields a document of this type must have in force, replacing the schema-wide
    /// list (a rutin decided by an official needs no dnr); nullopt: the schema-wide list.
    std::optional<std::vector<std::string>> required_fields;
};

/// Kind of body. It gives the defaults of `political`, `follows_council_period` and, in a
/// schema that names no parents, `parent`; who decides for whom is the parents' to say.
enum class BodyLevel { kCouncil = 0, kExecutiveBoard = 1, kBoard = 2, kAdministration = 3 };

struct Body {
    std::string id;            ///< "kf"
    std::string name;          ///< "Kommunfullmäktige"
    std::string abbreviation;  ///< "KF"
    /// The id of the body above it in its line (fullmäktige for kommunstyrelsen, a nämnd
    /// and a municipal company; the nämnd for its officials); empty at the root.
    std::string parent;
    BodyLevel level = BodyLevel::kBoard;
    bool political = true;                ///< its decisions carry a paragraph (§)
    bool follows_council_period = false;  ///< sits from 15 October instead of 1 January
    std::string clerk_email;              ///< the body's registrator, copied on overdue reminders
};

struct GoalArea {
    std::string id;
    std::string name;
};

/// A set of words that mean the same to a searcher ("KF", "kommunfullmäktige").
struct SynonymGroup {
    std::vector<std::string> terms;
};

/// The Swedish label of a metadata field, for forms and the document page.
struct FieldLabel {
    std::string field;  ///< "decided_by"
    std::string label;  ///< "Beslutad av"
};

/// One level of the municipality's styrmodell: the doctypes that sit there. Levels are read top
/// down; a document at a level is expected to implement (genomföra) documents above it.
struct StyrmodellLevel {
    std::string id;                     ///< "verksamhetsplaner"
    std::string name;                   ///< Swedish, "Nämndernas verksamhetsplaner"
    std::string description;            ///< Swedish, one sentence; may be empty
    std::vector<std::string> doctypes;  ///< doctype ids, each at exactly one level
    /// A document in force at this level should implement a document in force (one of the
    /// clerk's checks, "Saknar koppling"). Never on the first level of the chain.
    bool implements_above = false;
    /// Outside the chain (reglementen, föreskrifter): shown beside it, never expected to
    /// implement anything.
    bool beside = false;
};

/// How the styrmodell page groups the documents at each level that implement nothing.
enum class StyrmodellGrouping { kNone, kGoalArea };

/// A municipality's registry model: read from schema XML, immutable afterwards, and safe to
/// share between threads.
class Schema {
public:
    /// Reads and checks a schema file. Throws styrdok::Error(kBadInput) naming the file, the
    /// line and the reason for the first problem (unknown element, duplicate id, bad rule,
    /// reference to an undefined body, …).
    static Schema Load(const std::filesystem::path& file);
    /// Same, from text; `name` stands for the file in messages.
    static Schema Parse(std::string_view xml, std::string_view name);

    const std::string& name() const { return name_; }
    /// Bumped when the schema's meaning for the index changes; stored in the index.
    int version() const { return version_; }

    const std::vector<DocType>& doctypes() const { return doctypes_; }
    const std::vector<Body>& bodies() const { return bodies_; }
    const std::vector<GoalArea>& goal_areas() const { return goal_areas_; }
    const std::vector<SynonymGroup>& synonyms() const { return synonyms_; }
    const std::vector<FieldLabel>& field_labels() const { return field_labels_; }
    /// Fields required of a document in force, beyond id/title/doctype ("dnr", "owner", …).
    const std::vector<std::string>& required_fields() const { return required_fields_; }
    /// The fields required of a document of `doctype` in force: the doctype's own list when
    /// it has one, otherwise required_fields() (also for an unknown doctype).
    const std::vector<std::string>& RequiredFieldsOf(std::string_view doctype) const;
    /// How the municipality writes its diarienummer (`NNNN/YY`: year or serial first).
    DnrStyle dnr_style() const { return dnr_style_; }

    /// The styrmodell's levels, top down, the levels beside the chain where the schema put
    /// them. Every doctype is at exactly one level: a schema without `<styrmodell>` gets
    /// "Politiska styrdokument" over "Administrativa styrdokument" (from the categories,
    /// an empty one left out); doctypes a `<styrmodell>` does not place are in a last
    /// level `ovriga`, "Övriga dokument", beside the chain.
    const std::vector<StyrmodellLevel>& styrmodell() const { return styrmodell_; }
    /// Whether the styrmodell page groups documents by målområde.
    StyrmodellGrouping styrmodell_grouping() const { return styrmodell_grouping_; }
    /// The level `doctype` sits at; nullptr for an unknown doctype.
    const StyrmodellLevel* LevelOf(std::string_view doctype) const;

    /// nullptr when unknown. Pointers stay valid for the Schema's lifetime.
    const DocType* FindDocType(std::string_view id) const;
    /// By id, abbreviation or name, case-insensitively; nullptr when unknown.
    const Body* FindBody(std::string_view id_or_name) const;
    const GoalArea* FindGoalArea(std::string_view id_or_name) const;
    /// The field's Swedish label, or the field name itself when the schema has none.
    std::string LabelOf(std::string_view field) const;
    /// Whether `decider` may decide on a document `adopter` adopted (record its review,
    /// repeal it): it is `adopter` or a body above it in its own line, following parents.
    /// A nämnd never decides for another nämnd, nor kommunstyrelsen for a nämnd. Bodies are
    /// found as by FindBody; false when either is unknown.
    bool DecidesFor(std::string_view decider, std::string_view adopter) const;

private:
    std::string name_;
    int version_ = 1;
    DnrStyle dnr_style_ = DnrStyle::kYearSerial;
    std::vector<DocType> doctypes_;
    std::vector<Body> bodies_;
    // Each body's id, name and abbreviation, case-folded, to its place in bodies_: FindBody
    // is asked for every label a search page renders, and folding every name each time was a
    // twentieth of the page's CPU.
    std::map<std::string, std::size_t, std::less<>> body_by_key_;
    std::vector<GoalArea> goal_areas_;
    std::vector<SynonymGroup> synonyms_;
    std::vector<FieldLabel> field_labels_;
    std::vector<std::string> required_fields_;
    std::vector<StyrmodellLevel> styrmodell_;
    StyrmodellGrouping styrmodell_grouping_ = StyrmodellGrouping::kNone;
};

}  // namespace styrdok::core
