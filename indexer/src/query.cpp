#include "query.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include "styrdok/core/diarienummer.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/utf8.hpp"
#include "styrdok/core/validity.hpp"
#include "swedish/swedish.hpp"
#include "terms.hpp"

namespace styrdok::indexer::detail {

Xapian::Query MatchAll() { return Xapian::Query(std::string()); }
Xapian::Query MatchNothing() { return Xapian::Query(); }

namespace {

// Query syntax on top of plain words: "phrases", AND/OR/NOT, +must -mustnot, wildcards*;
// the schema's synonyms (multi-word ones included) are added to each word.
// Spelling correction is not among them: it looks up every word in the spelling table, and
// is asked for (CorrectedText) only when a search finds next to nothing.
constexpr unsigned kParseFlags = Xapian::QueryParser::FLAG_DEFAULT |
                                 Xapian::QueryParser::FLAG_WILDCARD |
                                 Xapian::QueryParser::FLAG_AUTO_MULTIWORD_SYNONYMS;
// "a*" on a large registry must not expand to tens of thousands of terms, nor a query of many
// wildcards ("a* OR b* OR …", anonymous and in one request): their expansions together stay
// within this many terms, the most frequent of each prefix kept. What a search costs grows with
// the expanded terms' lists: 1000 in all still took up to 2 s for a full result page over
// 10 000 documents, 200 takes a fifth of that.
constexpr Xapian::termcount kMaxWildcardTerms = 200;

// Shares kMaxWildcardTerms among the wildcards of `text` (at most one per '*'), for the
// parser's next parse.
void BoundWildcards(Xapian::QueryParser& parser, std::string_view text) {
    const auto wildcards =
        static_cast<Xapian::termcount>(std::count(text.begin(), text.end(), '*'));
    const Xapian::termcount each = std::max<Xapian::termcount>(
        1, kMaxWildcardTerms / std::max<Xapian::termcount>(1, wildcards));
    parser.set_max_expansion(each, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
}

using KeyFunction = std::function<std::string(const std::string&)>;

// A field typed in the query ("dnr:KS/2009:50") becomes the term the indexer made for it, so
// the query accepts every spelling the filters accept.
class KeyFieldProcessor : public Xapian::FieldProcessor {
public:
    KeyFieldProcessor(std::string_view prefix, KeyFunction key)
        : prefix_(prefix), key_(std::move(key)) {}

    Xapian::Query operator()(const std::string& text) override {
        std::string key = key_(text);
        if (key.empty()) return MatchNothing();
        return Xapian::Query(Term(prefix_, key));
    }

private:
    std::string prefix_;
    KeyFunction key_;
};

std::string StatusKey(const std::string& text) {
    std::string folded = Fold(text);
    if (std::optional<core::Status> status = core::ParseStatus(folded)) {
        return std::string(core::StatusName(*status));
    }
    return folded;
}

std::optional<Xapian::Query> AnyOf(std::string_view prefix, const std::vector<std::string>& values,
                                   const KeyFunction& key) {
    std::vector<Xapian::Query> terms;
    for (const std::string& value : values) {
        std::string k = key(value);
        if (!k.empty()) terms.emplace_back(Term(prefix, k));
    }
    if (terms.empty()) return std::nullopt;
    return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

Xapian::Query And(const Xapian::Query& a, const Xapian::Query& b) {
    return Xapian::Query(Xapian::Query::OP_AND, a, b);
}

}  // namespace

const char* FacetName(Facet facet) {
    switch (facet) {
        case Facet::kDocType:
            return "doctype";
        case Facet::kCategory:
            return "category";
        case Facet::kDecidedBy:
            return "decided_by";
        case Facet::kStatus:
            return "status";
        case Facet::kOwner:
            return "owner";
        case Facet::kGoalArea:
            return "goal_area";
        case Facet::kYear:
            return "year";
    }
    return "";
}

std::size_t FacetField(Facet facet) {
    // In the order of FacetValues.
    switch (facet) {
        case Facet::kDocType:
            return 0;
        case Facet::kCategory:
            return 1;
        case Facet::kDecidedBy:
            return 2;
        case Facet::kStatus:
            return 3;
        case Facet::kOwner:
            return 4;
        case Facet::kGoalArea:
            return 5;
        case Facet::kYear:
            return 6;
    }
    return 0;
}

Xapian::QueryParser MakeQueryParser(const Xapian::Database& db, const core::Schema& schema) {
    Xapian::QueryParser parser;
    parser.set_database(db);
    parser.set_stemmer(MakeSwedishStem(SwedishLexicon::Default()));
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser.set_default_op(Xapian::Query::OP_AND);
    parser.set_max_expansion(kMaxWildcardTerms, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);

    for (const char* field : {"title", "titel"})
        parser.add_prefix(field, std::string(kPrefixTitle));
    for (const char* field : {"keyword", "nyckelord"}) {
        parser.add_prefix(field, std::string(kPrefixKeyword));
    }

    // Aliases of one field share a grouping, so "typ:policy doctype:plan" means either type.
    auto boolean = [&parser](std::initializer_list<const char*> fields, std::string_view prefix,
                             const KeyFunction& key) {
        const std::string grouping(prefix);
        for (const char* field : fields) {
            parser.add_boolean_prefix(field, (new KeyFieldProcessor(prefix, key))->release(),
                                      &grouping);
        }
    };
    const core::Schema* s = &schema;
    boolean({"dnr", "diarienummer"}, kPrefixDnr, [](const std::string& t) { return DnrKey(t); });
    boolean({"doctype", "typ", "dokumenttyp"}, kPrefixDocType,
            [](const std::string& t) { return DocTypeKey(t); });
    boolean({"category", "kategori"}, kPrefixCategory,
            [](const std::string& t) { return Fold(t); });
    boolean({"decided_by", "beslutad", "beslutsinstans"}, kPrefixDecidedBy,
            [s](const std::string& t) { return BodyKey(*s, t); });
    boolean({"owner", "ansvarig", "ägare"}, kPrefixOwner,
            [](const std::string& t) { return Fold(t); });
    boolean({"goal_area", "målområde"}, kPrefixGoalArea,
            [s](const std::string& t) { return GoalAreaKey(*s, t); });
    boolean({"status"}, kPrefixStatus, StatusKey);
    boolean({"year", "år"}, kPrefixYear,
            [](const std::string& t) { return std::string(core::Trim(t)); });
    boolean({"id"}, kPrefixDocumentId, [](const std::string& t) { return Fold(t); });
    return parser;
}

namespace {

// The text as the parser reads it; `words` is false when it has no words to expand (the
// filters alone decide, or nothing can match).
struct ParsedWords {
    Xapian::Query query;
    bool words = false;
};

ParsedWords ParseWords(Xapian::QueryParser& parser, const std::string& text) {
    if (core::Trim(text).empty()) return {MatchAll()};
    Xapian::Query query;
    BoundWildcards(parser, text);
    try {
        query = parser.parse_query(text, kParseFlags);
    } catch (const Xapian::QueryParserError&) {
        // Unbalanced quotes or brackets, a dangling operator: read the words as words.
        try {
            query = parser.parse_query(text, Xapian::QueryParser::FLAG_SPELLING_CORRECTION |
                                                 Xapian::QueryParser::FLAG_AUTO_SYNONYMS);
        } catch (const Xapian::QueryParserError&) {
            return {MatchNothing()};
        }
    }
    // Nothing searchable in the text ("((", "*"): the filters alone decide.
    if (query.empty()) return {MatchAll()};
    return {query, true};
}

// A compound also finds its parts written apart ("internkontroll", "intern kontroll").
Xapian::Query ExpandWords(const Xapian::Query& query, const Xapian::QueryParser& parser,
                          const std::function<bool(const std::string&)>& leave_out = {}) {
    const std::shared_ptr<const SwedishLexicon> lexicon = SwedishLexicon::Default();
    return ExpandCompounds(query, parser, *lexicon, MakeSwedishStem(lexicon), leave_out);
}

// SearchText::rarer of a one-word text (`words` as parsed, `named` with the names that the
// core finds, `every_name` with all the names it finds).
std::optional<RarerAlternatives> FindRarer(
    const Xapian::Query& words, const Xapian::Query& named, const Xapian::Query& every_name,
    const Xapian::QueryParser& parser, const TermStats& stats,
    const std::function<bool(const std::string&)>& common_part) {
    if (words.get_type() != Xapian::Query::LEAF_TERM) return std::nullopt;
    const std::string word = *words.get_terms_begin();
    if (!word.starts_with('Z') || stats.Freq(word) <= stats.DocCount() / 2) {
        return std::nullopt;
    }
    Xapian::Query rarer = ExpandWords(
        named, parser, [&](const std::string& term) { return term == word || common_part(term); });
    // Only the word's compounds, whose list a text is never on with the word's own
    // (AddCompoundParts), and that some text has.
    bool any = false;
    for (auto it = rarer.get_terms_begin(); it != rarer.get_terms_end(); ++it) {
        if (!(*it).starts_with(kPrefixPart)) return std::nullopt;
        any = any || stats.Freq(*it) > 0;
    }
    if (!any) return std::nullopt;
    return RarerAlternatives{std::move(rarer), every_name};
}

// A posting list of no weight read from sorted docids in memory; the derived source says
// which (Start, from its constructor or init) and what Xapian's estimates are.
class SortedDocidsSource : public Xapian::PostingSource {
public:
    void next(double) override {
        if (started_) ++at_;
        started_ = true;
    }
    void skip_to(Xapian::docid did, double) override {
        started_ = true;
        if (!docids_) return;
        at_ = static_cast<std::size_t>(
            std::lower_bound(docids_->begin() + static_cast<std::ptrdiff_t>(at_), docids_->end(),
                             did) -
            docids_->begin());
    }
    bool at_end() const override { return started_ && at_ >= Count(); }
    Xapian::docid get_docid() const override { return (*docids_)[at_]; }

protected:
    /// Reads `docids` (none when null) from the start; they must outlive the reading.
    void Start(const std::vector<Xapian::docid>* docids) {
        docids_ = docids;
        at_ = 0;
        started_ = false;
    }
    Xapian::doccount Count() const {
        return docids_ ? static_cast<Xapian::doccount>(docids_->size()) : 0;
    }

private:
    const std::vector<Xapian::docid>* docids_ = nullptr;
    std::size_t at_ = 0;
    bool started_ = false;
};

// Docids held in memory as a posting list of no weight: what the current versions' database
// leaves out on a day, a few versions, as one list instead of a term's posting list per day.
// Xapian asks a ranked match's every candidate past the list's position whether the list has
// it, so stepping through term lists (a B-tree cursor each) cost every ranking 5-10 % more
// than reading a vector. It reports the estimates the terms' OP_OR would (ListedLeftOut).
class DocidListSource final : public SortedDocidsSource {
public:
    /// `identity` names the list in serialise() (see there).
    DocidListSource(std::shared_ptr<const std::vector<Xapian::docid>> docids, Xapian::doccount min,
                    Xapian::doccount est, std::string identity)
        : list_(std::move(docids)), min_(min), est_(est), identity_(std::move(identity)) {
        Start(list_.get());
    }

    Xapian::doccount get_termfreq_min() const override { return min_; }
    Xapian::doccount get_termfreq_est() const override { return est_; }
    Xapian::doccount get_termfreq_max() const override { return est_; }

    void init(const Xapian::Database&) override { Start(list_.get()); }

    PostingSource* clone() const override {
        return new DocidListSource(list_, min_, est_, identity_);
    }
    // A query with a posting source serialises only when the source has a name: the keys of
    // the snippets' cache are serialised queries, and never read back. The list serialises as
    // its identity, the day it leaves out for: its docids follow from that and the database's
    // revision, which those keys name, and hundreds of docids made each key a kilobyte longer.
    std::string name() const override { return "styrdok.DocidList"; }
    std::string serialise() const override {
        return identity_ + ' ' + std::to_string(min_) + ' ' + std::to_string(est_);
    }
    std::string get_description() const override {
        return "DocidListSource(" + std::to_string(list_->size()) + ")";
    }

private:
    std::shared_ptr<const std::vector<Xapian::docid>> list_;
    Xapian::doccount min_;
    Xapian::doccount est_;
    std::string identity_;
};

// `left_out.terms` OR'ed with `hidden`, as a DocidListSource OR'ed with `hidden`, when that
// changes none of Xapian's estimates; else nullopt. Xapian 1.4 estimates an OR of two lists as
// l + r - l * r / N (rounded) and bounds it by max(l_min, r_min) and l_max + r_max; AND_NOT
// reads the right side's estimate and maximum. Where every product l * r / N stays under 0.5,
// which (S + R)^2 < 2N ensures for lists summing to S and a hidden term of R versions, each
// estimate of the OR is the plain sum whatever order Xapian combines the lists in, so the
// source reports the sum of the terms' counts and their greatest.
std::optional<Xapian::Query> ListedLeftOut(const CurrentDays& days,
                                           const CurrentDays::LeftOut& left_out,
                                           const std::optional<Xapian::Query>& hidden) {
    if (left_out.terms.empty() || !left_out.docids) return std::nullopt;
    std::uint64_t hidden_count = 0;
    if (hidden) {
        for (auto it = hidden->get_terms_begin(); it != hidden->get_terms_end(); ++it) {
            auto found = days.hidden_counts.find(*it);
            if (found == days.hidden_counts.end()) return std::nullopt;
            hidden_count += found->second;
        }
    }
    const std::uint64_t all = left_out.sum + hidden_count;
    if (all * all >= 2 * static_cast<std::uint64_t>(days.doccount)) return std::nullopt;
    return Xapian::Query((new DocidListSource(left_out.docids, left_out.greatest,
                                              static_cast<Xapian::doccount>(left_out.sum),
                                              "left out " + left_out.day))
                             ->release());
}

// What the current versions' database leaves out on the day `key` (DayKey): the versions
// that end before it, the expired since they were placed, and those that start after it,
// decisions for the future. Term names sort by day, so both lists are short.
CurrentDays::LeftOut LeftOutOn(const CurrentDays& days, const std::string& key) {
    CurrentDays::LeftOut left_out;
    left_out.day = key;
    const std::size_t starts = kPrefixStartsOn.size();
    const std::size_t ends = kPrefixEndsOn.size();
    std::vector<const std::string*> names;
    for (const std::string& term : days.ends) {
        if (term.compare(ends, std::string::npos, key) >= 0) break;
        names.push_back(&term);
    }
    for (auto it = days.starts.rbegin(); it != days.starts.rend(); ++it) {
        if (it->compare(starts, std::string::npos, key) <= 0) break;
        names.push_back(&*it);
    }
    auto docids = std::make_shared<std::vector<Xapian::docid>>();
    bool listed = true;
    for (const std::string* name : names) {
        left_out.terms.emplace_back(*name);
        auto found = days.versions.find(*name);
        if (found == days.versions.end()) {
            listed = false;
            continue;
        }
        docids->insert(docids->end(), found->second.begin(), found->second.end());
        left_out.sum += found->second.size();
        left_out.greatest =
            std::max(left_out.greatest, static_cast<Xapian::doccount>(found->second.size()));
    }
    if (listed) {
        std::sort(docids->begin(), docids->end());
        docids->erase(std::unique(docids->begin(), docids->end()), docids->end());
        left_out.docids = std::move(docids);
    }
    return left_out;
}

}  // namespace

const std::optional<Xapian::Query>& Filters::Of(Facet facet) const {
    switch (facet) {
        case Facet::kDocType:
            return doctype;
        case Facet::kCategory:
            return category;
        case Facet::kDecidedBy:
            return decided_by;
        case Facet::kStatus:
            return status;
        case Facet::kOwner:
            return owner;
        case Facet::kGoalArea:
            return goal_area;
        case Facet::kYear:
            break;
    }
    // The year is filtered only in the query text (år:2021), which every facet counts under.
    static const std::optional<Xapian::Query> kNone;
    return kNone;
}

Xapian::Query Filters::Apply(const Xapian::Query& text, std::optional<Facet> except) const {
    return Filtered(text, except, current_left_out);
}

Xapian::Query Filters::Rank(const Xapian::Query& text) const {
    return Filtered(text, std::nullopt,
                    current_left_out_listed ? current_left_out_listed : current_left_out);
}

Xapian::Query Filters::Filtered(const Xapian::Query& text, std::optional<Facet> except,
                                const std::optional<Xapian::Query>& current_out) const {
    const bool in_current = InCurrentDatabase(except);
    // In the current versions' database every version is in force on some day from the one
    // asked on, and the few that are not on that day are left out below.
    std::optional<Xapian::Query> filter;
    if (!in_current) filter = except != Facet::kStatus && status ? *status : shown;
    if (dnr) filter = filter ? And(*filter, *dnr) : *dnr;
    if (implements) filter = filter ? And(*filter, *implements) : *implements;
    for (Facet facet : kFacets) {
        if (facet == Facet::kStatus || facet == except || !Of(facet)) continue;
        filter = filter ? And(*filter, *Of(facet)) : *Of(facet);
    }
    Xapian::Query query = filter ? Xapian::Query(Xapian::Query::OP_FILTER, text, *filter) : text;
    std::optional<Xapian::Query> left_out;
    if (in_current && !current_out->empty()) left_out = *current_out;
    // Few versions are not public, so this walks a short list.
    if (hidden) {
        left_out = left_out ? Xapian::Query(Xapian::Query::OP_OR, *left_out, *hidden) : *hidden;
    }
    if (!left_out) return query;
    return Xapian::Query(Xapian::Query::OP_AND_NOT, query, *left_out);
}

CurrentDays CurrentDays::Read(const Xapian::Database& current) {
    CurrentDays days;
    days.placed = core::Date::Parse(current.get_metadata(kMetaCurrentDay));
    for (auto [prefix, terms] :
         {std::pair{kPrefixStartsOn, &days.starts}, std::pair{kPrefixEndsOn, &days.ends}}) {
        const std::string p(prefix);
        terms->assign(current.allterms_begin(p), current.allterms_end(p));
        // Short lists: versions for the future, and those that ended since they were placed.
        for (const std::string& term : *terms) {
            days.versions[term].assign(current.postlist_begin(term), current.postlist_end(term));
        }
    }
    for (const std::string& term : {std::string(kTermRestricted),
                                    Term(kPrefixStatus, core::StatusName(core::Status::kDraft))}) {
        days.hidden_counts[term] = current.get_termfreq(term);
    }
    days.doccount = current.get_doccount();
    return days;
}

void Filters::UseCurrentDatabase(const CurrentDays& days) {
    if (!current_scope || !days.placed || day < *days.placed) return;
    // The database holds every version whose interval had not ended on the day versions were
    // last placed by; of those, the ones not in force on `day` started later or ended before
    // it, and carry a term that says when (LeftOutOn).
    const std::string key = DayKey(day);
    if (!days.last || days.last->day != key) days.last = LeftOutOn(days, key);
    const std::vector<Xapian::Query>& terms = days.last->terms;
    current_left_out = terms.empty()
                           ? MatchNothing()
                           : Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
    current_left_out_listed = ListedLeftOut(days, *days.last, hidden);
}

namespace {

// True when the query text filters on status itself ("status:upphävd klimat"), which then
// replaces the default of documents in force.
bool NamesStatusField(const std::string& query) {
    // ASCII lower case only: "status:" is ASCII, and the query may not be valid UTF-8.
    std::string folded = query;
    for (char& c : folded) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (std::size_t at = folded.find("status:"); at != std::string::npos;
         at = folded.find("status:", at + 1)) {
        if (at == 0 || folded[at - 1] == ' ' || folded[at - 1] == '(' || folded[at - 1] == '+' ||
            folded[at - 1] == '-') {
            return true;
        }
    }
    return false;
}

}  // namespace

namespace {

// Versions whose value in `slot` is on or before `day`, or on or after it.
Xapian::Query OnOrBefore(Xapian::valueno slot, core::Date day) {
    return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, DateValue(day));
}
Xapian::Query OnOrAfter(Xapian::valueno slot, core::Date day) {
    return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, DateValue(day));
}

// The versions in force on `day`, whatever status they stored.
Xapian::Query InForceOn(core::Date day) {
    return And(OnOrBefore(kSlotForceFrom, day), OnOrAfter(kSlotForceTo, day));
}

// The versions that stand for a document in `state` on `day` (terms.hpp): one per document,
// and the drafts that are newest versions for kDraft.
Xapian::Query StandingIn(core::ForceState state, core::Date day) {
    switch (state) {
        case core::ForceState::kInForce:
            return InForceOn(day);
        case core::ForceState::kNotYetInForce:
            return OnOrAfter(kSlotNotYetTo, day);
        case core::ForceState::kExpired:
            return And(OnOrBefore(kSlotExpiredFrom, day), OnOrAfter(kSlotShownTo, day));
        case core::ForceState::kRepealed:
            return And(OnOrBefore(kSlotRepealedFrom, day), OnOrAfter(kSlotShownTo, day));
        case core::ForceState::kDraft:
            break;
    }
    return And(Xapian::Query(std::string(kTermLatest)),
               Xapian::Query(Term(kPrefixStatus, core::StatusName(core::Status::kDraft))));
}

}  // namespace

Filters MakeFilters(const SearchRequest& request, const core::Schema& schema, core::Date day) {
    Filters filters;
    filters.day = day;
    filters.doctype =
        AnyOf(kPrefixDocType, request.doctype, [](const std::string& t) { return DocTypeKey(t); });
    filters.category =
        AnyOf(kPrefixCategory, {request.category}, [](const std::string& t) { return Fold(t); });
    filters.decided_by = AnyOf(kPrefixDecidedBy, request.decided_by,
                               [&schema](const std::string& t) { return BodyKey(schema, t); });

    filters.shown = And(OnOrBefore(kSlotShownFrom, day), OnOrAfter(kSlotShownTo, day));
    // Older versions may be in force on a date asked for; the newest of each document wins
    // ties.
    if (request.valid_on) filters.preferred = Xapian::Query(std::string(kTermLatest));
    const std::string status = Fold(request.status);
    if (status == "alla") {
        // Every document, those in force first among equals.
        filters.preferred = InForceOn(day);
    } else if (status.empty()) {
        // In force on the day asked by default, unless the searcher asked for a status with
        // status: in the query itself: then every document, by the status it stored.
        if (!NamesStatusField(request.query)) {
            filters.status = InForceOn(day);
            filters.current_scope = !request.valid_on;
        }
    } else if (std::optional<core::ForceState> state = core::ParseForceState(status)) {
        filters.status = StandingIn(*state, day);
        filters.current_scope = *state == core::ForceState::kInForce && !request.valid_on;
    } else {
        throw Error(ErrorCode::kBadInput,
                    "okänd status \"" + request.status +
                        "\" (gällande, ej i kraft än, upphört, upphävd, utkast, alla)");
    }

    filters.owner =
        AnyOf(kPrefixOwner, {request.owner}, [](const std::string& t) { return Fold(t); });
    filters.goal_area = AnyOf(kPrefixGoalArea, request.goal_area,
                              [&schema](const std::string& t) { return GoalAreaKey(schema, t); });
    filters.dnr = AnyOf(kPrefixDnr, {request.dnr}, [](const std::string& t) {
        return core::Trim(t).empty() ? std::string() : DnrKey(t);
    });
    filters.implements = AnyOf(kPrefixImplements, request.implements,
                               [](const std::string& t) { return std::string(core::Trim(t)); });
    if (!request.include_restricted) {
        filters.hidden = Xapian::Query(std::string(kTermRestricted));
    } else if (!request.include_drafts) {
        filters.hidden = Xapian::Query(Term(kPrefixStatus, core::StatusName(core::Status::kDraft)));
    } else {
        filters.drafts = true;
    }
    return filters;
}

namespace {

// A diarienummer is at most "dnr KS AU 2016-254/322": a few words.
constexpr std::size_t kMaxDnrTokens = 5;
// Longer texts are prose pasted in, not a query with a number to find.
constexpr std::size_t kMaxDnrScanTokens = 64;
// Above any sum of word weights a short query reaches, so the numbered document comes first.
constexpr double kDnrWeight = 100.0;

struct Token {
    std::size_t begin;
    std::size_t end;
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Whitespace-separated tokens, without the query syntax around them (quotes, brackets, a
// leading + or -, a trailing comma).
std::vector<Token> Tokens(std::string_view text) {
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && IsSpace(text[i])) ++i;
        std::size_t begin = i;
        while (i < text.size() && !IsSpace(text[i])) ++i;
        std::size_t end = i;
        while (begin < end &&
               std::string_view("\"()+-").find(text[begin]) != std::string_view::npos) {
            ++begin;
        }
        while (end > begin &&
               std::string_view("\"(),;").find(text[end - 1]) != std::string_view::npos) {
            --end;
        }
        if (begin < end) tokens.push_back({begin, end});
    }
    return tokens;
}

bool StartsWithFold(std::string_view text, std::string_view ascii_prefix) {
    if (text.size() < ascii_prefix.size()) return false;
    for (std::size_t i = 0; i < ascii_prefix.size(); ++i) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != ascii_prefix[i]) return false;
    }
    return true;
}

// The length of a "dnr:" or "diarienummer:" field name at the start of `text`, or 0.
std::size_t DnrFieldLength(std::string_view text) {
    for (std::string_view field : {"dnr:", "diarienummer:"}) {
        if (StartsWithFold(text, field)) return field.size();
    }
    return 0;
}

// The longest run of tokens from `first` that reads as a diarienummer: its end token and the
// number.
std::optional<std::pair<std::size_t, core::Diarienummer>> DnrAt(std::string_view text,
                                                                const std::vector<Token>& tokens,
                                                                std::size_t first,
                                                                std::size_t skip) {
    const std::size_t last = std::min(tokens.size(), first + kMaxDnrTokens);
    for (std::size_t end = last; end > first; --end) {
        std::size_t begin = tokens[first].begin + skip;
        std::string_view span = text.substr(begin, tokens[end - 1].end - begin);
        if (std::optional<core::Diarienummer> dnr = core::ParseDiarienummer(span)) {
            return std::make_pair(end, std::move(*dnr));
        }
    }
    return std::nullopt;
}

// An unquoted "dnr:KS 2017/64" gives the field only "KS"; quote the whole number for it.
std::string QuoteDnrFields(const std::string& text) {
    std::vector<Token> tokens = Tokens(text);
    std::string quoted;
    std::size_t copied = 0;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        std::size_t field = DnrFieldLength(std::string_view(text).substr(tokens[i].begin));
        if (field == 0 || tokens[i].begin + field >= tokens[i].end) continue;
        if (text[tokens[i].begin + field] == '"') continue;
        auto dnr = DnrAt(text, tokens, i, field);
        if (!dnr || dnr->first == i + 1) continue;
        std::size_t begin = tokens[i].begin + field;
        std::size_t end = tokens[dnr->first - 1].end;
        quoted.append(text, copied, begin - copied);
        quoted += '"';
        quoted.append(text, begin, end - begin);
        quoted += '"';
        copied = end;
        i = dnr->first - 1;
    }
    if (copied == 0) return text;
    quoted.append(text, copied);
    return quoted;
}

// Plain words only: no quotes, brackets, fields, wildcards, +/- or operators, which say the
// user wants their own query and nothing added to it.
std::size_t PlainWordCount(std::string_view text) {
    if (text.find_first_of("\"():*+") != std::string_view::npos) return 0;
    std::size_t words = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && IsSpace(text[i])) ++i;
        std::size_t begin = i;
        while (i < text.size() && !IsSpace(text[i])) ++i;
        if (begin == i) break;
        std::string_view word = text.substr(begin, i - begin);
        if (word.front() == '-') return 0;
        for (std::string_view op : {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"}) {
            if (word == op) return 0;
        }
        ++words;
    }
    return words;
}

}  // namespace

std::vector<std::string> DnrKeysIn(std::string_view text) {
    std::vector<Token> tokens = Tokens(text);
    if (tokens.size() > kMaxDnrScanTokens) tokens.resize(kMaxDnrScanTokens);
    // A word before a number can read as its unit ("hot KS 2021/123" as HOTKS), so every
    // start is tried. Of the readings that end at the same token, those with a unit are kept
    // (a wrong unit finds nothing), the bare number only when none has a unit.
    std::map<std::size_t, std::vector<core::Diarienummer>> by_end;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        std::size_t skip = DnrFieldLength(text.substr(tokens[i].begin));
        if (tokens[i].begin + skip < tokens[i].end && text[tokens[i].begin + skip] == '"') ++skip;
        if (auto dnr = DnrAt(text, tokens, i, skip)) {
            by_end[dnr->first].push_back(std::move(dnr->second));
        }
    }
    std::vector<std::string> keys;
    for (const auto& [end, readings] : by_end) {
        const bool any_unit =
            std::any_of(readings.begin(), readings.end(),
                        [](const core::Diarienummer& d) { return !d.unit.empty(); });
        for (const core::Diarienummer& dnr : readings) {
            if (any_unit && dnr.unit.empty()) continue;
            std::string key = dnr.Key();
            if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
        }
    }
    return keys;
}

Xapian::Query FixedWeight(const Xapian::Query& filter, double weight) {
    Xapian::Query source((new Xapian::FixedWeightPostingSource(weight))->release());
    return Xapian::Query(Xapian::Query::OP_FILTER, source, filter);
}

SearchText ParseSearchText(Xapian::QueryParser& parser, const std::string& text,
                           const LabelMatches& labels, const Xapian::Database& db, bool find_core) {
    return ParseSearchText(parser, text, labels, TermStats(db), find_core);
}

SearchText ParseSearchText(Xapian::QueryParser& parser, const std::string& text,
                           const LabelMatches& labels, const TermStats& stats, bool find_core) {
    SearchText parsed;
    ParsedWords words = ParseWords(parser, QuoteDnrFields(text));
    if (!words.words) {
        parsed.query = words.query;
    } else if (!find_core) {
        parsed.query = ExpandWords(labels.Add(words.query, stats), parser);
    } else {
        // Part terms in more than half the texts, and the names of words in more than half
        // of them, are told apart as they are met, and the query is expanded again with them
        // only when there were any.
        const Xapian::doccount half = stats.DocCount() / 2;
        bool left_out = false;
        auto common = [&](const std::string& term) {
            if (stats.Freq(term) <= half) return false;
            left_out = true;
            return true;
        };
        auto common_part = [&](const std::string& term) {
            return term.starts_with(kPrefixPart) && common(term);
        };
        const Xapian::Query named = labels.Add(words.query, stats, common);
        Xapian::Query core = ExpandWords(named, parser, common_part);
        if (left_out) {
            // A word in most texts is always left out here (its names are), so this is
            // also where a one-word text may have rarer alternatives.
            const Xapian::Query every_name = labels.Add(words.query, stats);
            parsed.query = ExpandWords(every_name, parser);
            parsed.core = std::move(core);
            parsed.rarer = FindRarer(words.query, named, every_name, parser, stats, common_part);
        } else {
            parsed.query = std::move(core);
        }
    }
    Xapian::Query& query = parsed.query;
    if (query.empty() || core::Trim(text).empty()) return parsed;

    if (PlainWordCount(text) >= 2) {
        // The words as written, unstemmed: the terms that carry positions.
        Xapian::QueryParser plain;
        try {
            Xapian::Query phrase =
                plain.parse_query('"' + text + '"', Xapian::QueryParser::FLAG_PHRASE);
            if (phrase.get_type() == Xapian::Query::OP_PHRASE) {
                parsed.phrase.assign(phrase.get_terms_begin(), phrase.get_terms_end());
            }
        } catch (const Xapian::QueryParserError&) {
            // No phrase to prefer; the words still match.
        }
    }

    std::vector<Xapian::Query> dnrs;
    for (const std::string& key : DnrKeysIn(text)) dnrs.emplace_back(Term(kPrefixDnr, key));
    if (!dnrs.empty()) {
        parsed.rarer.reset();
        Xapian::Query any(Xapian::Query::OP_OR, dnrs.begin(), dnrs.end());
        query = Xapian::Query(Xapian::Query::OP_OR, query, FixedWeight(any, kDnrWeight));
        if (parsed.core) {
            parsed.core =
                Xapian::Query(Xapian::Query::OP_OR, *parsed.core, FixedWeight(any, kDnrWeight));
        }
    }
    return parsed;
}

namespace {

// Docids of no weight, by the database they are in (its uuid): what a combined database's
// match reads in each of its parts, which Xapian gives a source of its own.
class DocidsByDatabase final : public SortedDocidsSource {
public:
    using ByUuid =
        std::unordered_map<std::string, std::shared_ptr<const std::vector<Xapian::docid>>>;

    explicit DocidsByDatabase(std::shared_ptr<const ByUuid> by_uuid)
        : by_uuid_(std::move(by_uuid)) {}

    Xapian::doccount get_termfreq_min() const override { return Count(); }
    Xapian::doccount get_termfreq_est() const override { return Count(); }
    Xapian::doccount get_termfreq_max() const override { return Count(); }

    void init(const Xapian::Database& db) override {
        auto found = by_uuid_->find(db.get_uuid());
        Start(found == by_uuid_->end() ? nullptr : found->second.get());
    }
    PostingSource* clone() const override { return new DocidsByDatabase(by_uuid_); }

private:
    std::shared_ptr<const ByUuid> by_uuid_;
};

}  // namespace

std::vector<bool> HoldPhrase(const Xapian::Database& db,
                             const std::vector<const Xapian::Database*>& parts,
                             const std::vector<Xapian::docid>& dids,
                             const std::vector<std::string>& terms) {
    std::vector<bool> holds(dids.size(), false);
    if (terms.empty() || dids.empty() || parts.empty()) return holds;
    // Xapian's phrase matcher reads each word's positions through one cursor of its posting
    // list, document after document in docid order, so that neighbouring documents share the
    // blocks read: a third to a tenth of the block reads of Database::positionlist_begin,
    // which started from the table's root for each document and word (and for a word the
    // document lacks read its term list before throwing). A combined database numbers the
    // documents of its k-th part (from 0) as (did - 1) * n + k + 1.
    const std::size_t n = parts.size();
    std::vector<std::vector<Xapian::docid>> local(n);
    for (Xapian::docid did : dids) {
        local[(did - 1) % n].push_back(static_cast<Xapian::docid>((did - 1) / n + 1));
    }
    auto by_uuid = std::make_shared<DocidsByDatabase::ByUuid>();
    for (std::size_t k = 0; k < n; ++k) {
        std::sort(local[k].begin(), local[k].end());
        (*by_uuid)[parts[k]->get_uuid()] =
            std::make_shared<const std::vector<Xapian::docid>>(std::move(local[k]));
    }
    Xapian::Enquire enquire(db);
    enquire.set_query(
        Xapian::Query(Xapian::Query::OP_FILTER,
                      Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end()),
                      Xapian::Query((new DocidsByDatabase(std::move(by_uuid)))->release())));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    const Xapian::MSet found = enquire.get_mset(0, static_cast<Xapian::doccount>(dids.size()));
    std::vector<Xapian::docid> holding;
    for (auto it = found.begin(); it != found.end(); ++it) holding.push_back(*it);
    std::sort(holding.begin(), holding.end());
    for (std::size_t i = 0; i < dids.size(); ++i) {
        holds[i] = std::binary_search(holding.begin(), holding.end(), dids[i]);
    }
    return holds;
}

std::string CorrectedText(Xapian::QueryParser& parser, const std::string& text) {
    BoundWildcards(parser, text);
    try {
        parser.parse_query(QuoteDnrFields(text),
                           kParseFlags | Xapian::QueryParser::FLAG_SPELLING_CORRECTION);
    } catch (const Xapian::QueryParserError&) {
        try {
            parser.parse_query(text, Xapian::QueryParser::FLAG_SPELLING_CORRECTION);
        } catch (const Xapian::QueryParserError&) {
            return {};
        }
    }
    return parser.get_corrected_query_string();
}

}  // namespace styrdok::indexer::detail
