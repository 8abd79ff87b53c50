#include "document_builder.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "markdown_text.hpp"
#include "stored_hit.hpp"
#include "terms.hpp"

namespace styrdok::indexer::detail {

namespace {

// A title word counts as much as several body words: a search for "arbetsmiljö" should rank
// the Arbetsmiljöpolicy above a document that mentions arbetsmiljö in passing.
constexpr Xapian::termcount kTitleWdf = 5;
// Snippets are cut from this much of the plain text; more would bloat every stored version.
constexpr std::size_t kExcerptBytes = 3000;

std::string DateText(const std::optional<core::Date>& date) {
    return date ? date->ToString() : std::string();
}

// The values and terms by which a search finds a version's state on the day asked
// (terms.hpp): the days it stands for its document and, within them, where the document is
// not yet in force and where it has ended; the successor links of the newest version; and
// in the current versions' database, the days its interval starts late or ends.
void AddStateValues(Xapian::Document& doc, const VersionFacts& facts) {
    const std::vector<core::StateSpan>& spans = facts.spans;
    if (!spans.empty()) {
        const core::StateSpan& first = spans.front();
        const core::StateSpan& last = spans.back();
        doc.add_value(kSlotShownFrom, first.from ? DateValue(*first.from) : OpenStartValue());
        doc.add_value(kSlotShownTo, last.to ? DateValue(*last.to) : OpenEndValue());
        if (first.state == core::ForceState::kNotYetInForce) {
            doc.add_value(kSlotNotYetTo, first.to ? DateValue(*first.to) : OpenEndValue());
        }
        // The span after the interval, when the version has one, is its last (core's
        // DocumentTimeline keeps a version's spans together), and it has a first day.
        if (last.from && (last.state == core::ForceState::kExpired ||
                          last.state == core::ForceState::kRepealed)) {
            doc.add_value(
                last.state == core::ForceState::kExpired ? kSlotExpiredFrom : kSlotRepealedFrom,
                DateValue(*last.from));
        }
    }
    for (const std::string& replaced : facts.replaces) {
        doc.add_boolean_term(Term(kPrefixReplaces, replaced));
    }
    if (facts.first_in_force && !facts.replaces.empty()) {
        doc.add_value(kSlotFirstInForce, DateValue(*facts.first_in_force));
    }
    if (facts.replaced_from) doc.add_value(kSlotReplacedFrom, DateValue(*facts.replaced_from));
    if (facts.current_day && facts.interval) {
        if (facts.interval->from > *facts.current_day) {
            doc.add_boolean_term(std::string(kPrefixStartsOn) + DayKey(facts.interval->from));
        }
        if (facts.interval->to) {
            doc.add_boolean_term(std::string(kPrefixEndsOn) + DayKey(*facts.interval->to));
        }
    }
}

}  // namespace

DocumentBuilder::DocumentBuilder(const core::Schema& schema)
    : schema_(schema), lexicon_(SwedishLexicon::Default()), stem_(MakeSwedishStem(lexicon_)) {
    generator_.set_stemmer(stem_);
    generator_.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
}

Xapian::Document DocumentBuilder::Build(const store::Document& version, const VersionFacts& facts) {
    const core::Metadata& m = version.metadata;
    const std::optional<core::ForceInterval>& interval = facts.interval;
    const bool latest = facts.latest;
    Xapian::Document doc;

    doc.add_boolean_term(UniqueTerm(m.id, version.version));
    doc.add_boolean_term(Term(kPrefixDocumentId, m.id));
    if (latest) doc.add_boolean_term(std::string(kTermLatest));

    FacetValues facets;
    facets.doctype = DocTypeKey(m.doctype);
    if (!facets.doctype.empty()) doc.add_boolean_term(Term(kPrefixDocType, facets.doctype));
    // The category follows from the doctype in the schema; the stored field is a fallback
    // for a doctype the schema no longer knows.
    const core::DocType* type = schema_.FindDocType(m.doctype);
    facets.category = type ? std::string(core::CategoryName(type->category)) : Fold(m.category);
    if (!facets.category.empty()) doc.add_boolean_term(Term(kPrefixCategory, facets.category));
    const core::Body* body = schema_.FindBody(m.decided_by);
    facets.decided_by = BodyKey(schema_, m.decided_by);
    if (!facets.decided_by.empty()) {
        doc.add_boolean_term(Term(kPrefixDecidedBy, facets.decided_by));
    }
    facets.owner = Fold(m.owner);
    if (!facets.owner.empty()) doc.add_boolean_term(Term(kPrefixOwner, facets.owner));
    // For the body's name in a search only (LabelMatches); not a filter of its own.
    if (std::string owner_body = BodyKey(schema_, m.owner_body); !owner_body.empty()) {
        doc.add_boolean_term(Term(kPrefixOwnerBody, owner_body));
    }
    for (const std::string& implemented : m.implements) {
        if (!implemented.empty()) doc.add_boolean_term(Term(kPrefixImplements, implemented));
    }
    std::vector<std::string>& goal_areas = facets.goal_areas;
    for (const std::string& goal_area : m.goal_areas) {
        std::string key = GoalAreaKey(schema_, goal_area);
        if (key.empty()) continue;
        doc.add_boolean_term(Term(kPrefixGoalArea, key));
        goal_areas.push_back(std::move(key));
    }
    std::sort(goal_areas.begin(), goal_areas.end());
    goal_areas.erase(std::unique(goal_areas.begin(), goal_areas.end()), goal_areas.end());
    const bool is_public = m.is_public.value_or(type ? type->public_by_default : true);
    const bool restricted = !is_public || m.status == core::Status::kDraft || facts.draft;
    if (restricted) doc.add_boolean_term(std::string(kTermRestricted));
    const std::string status(core::StatusName(m.status));
    doc.add_boolean_term(Term(kPrefixStatus, status));
    facets.states = EncodeStates(facts.spans);
    AddStateValues(doc, facts);
    if (!m.dnr.empty()) {
        std::string key = DnrKey(m.dnr);
        if (!key.empty()) doc.add_boolean_term(Term(kPrefixDnr, key));
    }
    if (m.decided_on) {
        facets.year = std::to_string(m.decided_on->year());
        doc.add_boolean_term(Term(kPrefixYear, facets.year));
        doc.add_value(kSlotDecidedOn, DateValue(*m.decided_on));
    }
    doc.add_value(kSlotFacets, EncodeFacets(facets));
    if (interval) {
        doc.add_value(kSlotForceFrom, DateValue(interval->from));
        doc.add_value(kSlotForceTo, interval->to ? DateValue(*interval->to) : OpenEndValue());
    }
    doc.add_value(kSlotTieBreak,
                  TieBreakKey(m.title, interval ? std::optional(interval->from) : std::nullopt));

    std::string text = MarkdownToText(version.text);
    generator_.set_document(doc);
    IndexText(version, text);
    AddCompoundParts(doc, *lexicon_, stem_);

    Hit hit;
    hit.id = m.id;
    hit.title = m.title;
    hit.doctype = m.doctype;
    hit.dnr = m.dnr;
    hit.decided_by = body ? body->id : m.decided_by;
    hit.decided_on = DateText(m.decided_on);
    hit.valid_from = DateText(m.valid_from);
    hit.valid_to = DateText(m.valid_to);
    hit.status = status;
    hit.owner = m.owner;
    hit.version = version.version;
    // Also in value slots, for filtering; here so that a hit reads one record, not three.
    if (interval) {
        hit.in_force_from = interval->from.ToString();
        if (interval->to) hit.in_force_to = interval->to->ToString();
    }
    doc.set_data(EncodeStoredHit(hit, facets.states));
    doc.add_value(kSlotExcerpt, Excerpt(text, kExcerptBytes));
    return doc;
}

Xapian::Document DocumentBuilder::BuildDraft(const store::Document& draft) {
    VersionFacts facts;
    facts.latest = true;
    facts.draft = true;
    facts.spans = {{std::nullopt, std::nullopt, 0, core::ForceState::kDraft}};
    return Build(draft, facts);
}

void DocumentBuilder::IndexText(const store::Document& version, const std::string& text) {
    const core::Metadata& m = version.metadata;
    // Fields are separated by a gap in term positions so a phrase never spans two of them.
    auto field = [this](const std::string& text, Xapian::termcount wdf = 1,
                        const std::string& prefix = std::string()) {
        if (text.empty()) return;
        generator_.index_text(text, wdf, prefix);
        generator_.increase_termpos();
    };
    field(m.title, kTitleWdf);
    field(m.title, 1, std::string(kPrefixTitle));
    field(text);
    field(m.dnr);
    for (const std::string& keyword : m.keywords) {
        field(keyword);
        field(keyword, 1, std::string(kPrefixKeyword));
    }
    field(m.owner);
    field(m.applies_to);
    field(m.changes);
    // The schema's names of the doctype, the bodies and the goal areas are found through
    // their boolean terms (LabelMatches), not as words of every text.
}

}  // namespace styrdok::indexer::detail
