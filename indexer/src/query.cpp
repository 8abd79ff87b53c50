#include "query.hpp"

#include <functional>
#include <utility>
#include <vector>

#include "styrdok/core/error.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/utf8.hpp"
#include "terms.hpp"

namespace styrdok::indexer::detail {

namespace {

// Query syntax on top of plain words: "phrases", AND/OR/NOT, +must -mustnot, wildcards*;
// the schema's synonyms (multi-word ones included) are added to each word.
constexpr unsigned kParseFlags = Xapian::QueryParser::FLAG_DEFAULT |
                                 Xapian::QueryParser::FLAG_WILDCARD |
                                 Xapian::QueryParser::FLAG_SPELLING_CORRECTION |
                                 Xapian::QueryParser::FLAG_AUTO_MULTIWORD_SYNONYMS;
// "a*" on a large registry must not expand to tens of thousands of terms.
constexpr Xapian::termcount kMaxWildcardExpansion = 500;

using KeyFunction = std::function<std::string(const std::string&)>;

// A field typed in the query ("dnr:KS/2009:50") becomes the term the indexer made for it, so
// the query accepts every spelling the filters accept.
class KeyFieldProcessor : public Xapian::FieldProcessor {
  public:
    KeyFieldProcessor(std::string_view prefix, KeyFunction key)
        : prefix_(prefix), key_(std::move(key)) {}

    Xapian::Query operator()(const std::string& text) override {
        std::string key = key_(text);
        if (key.empty()) return Xapian::Query::MatchNothing;
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
    }
    return "";
}

Xapian::valueno FacetSlot(Facet facet) {
    switch (facet) {
        case Facet::kDocType:
            return kSlotDocType;
        case Facet::kCategory:
            return kSlotCategory;
        case Facet::kDecidedBy:
            return kSlotDecidedBy;
        case Facet::kStatus:
            return kSlotStatus;
    }
    return Xapian::BAD_VALUENO;
}

Xapian::QueryParser MakeQueryParser(const Xapian::Database& db, const core::Schema& schema) {
    Xapian::QueryParser parser;
    parser.set_database(db);
    parser.set_stemmer(Xapian::Stem(kStemmerLanguage));
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser.set_default_op(Xapian::Query::OP_AND);
    parser.set_max_expansion(kMaxWildcardExpansion, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);

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
    boolean({"owner", "ansvarig"}, kPrefixOwner, [](const std::string& t) { return Fold(t); });
    boolean({"goal_area", "målområde"}, kPrefixGoalArea,
            [s](const std::string& t) { return GoalAreaKey(*s, t); });
    boolean({"status"}, kPrefixStatus, StatusKey);
    boolean({"year", "år"}, kPrefixYear,
            [](const std::string& t) { return std::string(core::Trim(t)); });
    boolean({"id"}, kPrefixDocumentId, [](const std::string& t) { return Fold(t); });
    return parser;
}

Xapian::Query ParseText(Xapian::QueryParser& parser, const std::string& text) {
    if (core::Trim(text).empty()) return Xapian::Query::MatchAll;
    Xapian::Query query;
    try {
        query = parser.parse_query(text, kParseFlags);
    } catch (const Xapian::QueryParserError&) {
        // Unbalanced quotes or brackets, a dangling operator: read the words as words.
        try {
            query = parser.parse_query(text, Xapian::QueryParser::FLAG_SPELLING_CORRECTION |
                                                 Xapian::QueryParser::FLAG_AUTO_SYNONYMS);
        } catch (const Xapian::QueryParserError&) {
            return Xapian::Query::MatchNothing;
        }
    }
    // Nothing searchable in the text ("((", "*"): the filters alone decide.
    if (query.empty()) return Xapian::Query::MatchAll;
    return query;
}

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
    }
    return status;
}

Xapian::Query Filters::Apply(const Xapian::Query& text, std::optional<Facet> except) const {
    Xapian::Query filter = rest;
    for (Facet facet : kFacets) {
        if (facet != except && Of(facet)) filter = And(filter, *Of(facet));
    }
    return Xapian::Query(Xapian::Query::OP_FILTER, text, filter);
}

Filters MakeFilters(const SearchRequest& request, const core::Schema& schema) {
    Filters filters;
    filters.doctype =
        AnyOf(kPrefixDocType, request.doctype, [](const std::string& t) { return DocTypeKey(t); });
    filters.category =
        AnyOf(kPrefixCategory, {request.category}, [](const std::string& t) { return Fold(t); });
    filters.decided_by = AnyOf(kPrefixDecidedBy, request.decided_by,
                               [&schema](const std::string& t) { return BodyKey(schema, t); });

    std::string status = Fold(request.status);
    if (status == "alla") {
        // Any status.
    } else if (status.empty()) {
        // In force today by default; on a given date, whatever was in force then.
        if (!request.valid_on) {
            filters.status =
                Xapian::Query(Term(kPrefixStatus, core::StatusName(core::Status::kInForce)));
        }
    } else if (std::optional<core::Status> parsed = core::ParseStatus(status)) {
        filters.status = Xapian::Query(Term(kPrefixStatus, core::StatusName(*parsed)));
    } else {
        throw Error(ErrorCode::kBadInput,
                    "okänd status \"" + request.status + "\" (gällande, upphävd, utkast, alla)");
    }

    Xapian::Query scope;
    if (request.valid_on) {
        std::string day = DateValue(*request.valid_on);
        scope = And(Xapian::Query(Xapian::Query::OP_VALUE_LE, kSlotForceFrom, day),
                    Xapian::Query(Xapian::Query::OP_VALUE_GE, kSlotForceTo, day));
        // Drafts have no force interval; excluding them by term as well says so explicitly.
        scope = Xapian::Query(
            Xapian::Query::OP_AND_NOT, scope,
            Xapian::Query(Term(kPrefixStatus, core::StatusName(core::Status::kDraft))));
    } else {
        scope = Xapian::Query(std::string(kTermLatest));
    }
    filters.rest = scope;
    auto add = [&filters](const std::optional<Xapian::Query>& filter) {
        if (filter) filters.rest = And(filters.rest, *filter);
    };
    add(AnyOf(kPrefixOwner, {request.owner}, [](const std::string& t) { return Fold(t); }));
    add(AnyOf(kPrefixGoalArea, request.goal_area,
              [&schema](const std::string& t) { return GoalAreaKey(schema, t); }));
    add(AnyOf(kPrefixDnr, {request.dnr}, [](const std::string& t) {
        return core::Trim(t).empty() ? std::string() : DnrKey(t);
    }));
    return filters;
}

}  // namespace styrdok::indexer::detail
