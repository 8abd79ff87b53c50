#include "raw_xapian.hpp"

#include <xapian.h>

#include <utility>

namespace styrdok::bench {

namespace {

constexpr const char* kLanguage = "swedish";
constexpr const char* kIdPrefix = "Q";
constexpr const char* kDocTypePrefix = "XT";
constexpr Xapian::valueno kSlotValidFrom = 0;
constexpr Xapian::valueno kSlotValidTo = 1;
// An open end sorts after every date, so that one VALUE_GE tests it.
constexpr const char* kOpenEnd = "9999-12-31";
// As Styrdok weights its title: the title's words count as five occurrences in the text.
constexpr Xapian::termcount kTitleWdf = 5;
// The QueryParser's usual flags: phrases, boolean operators, +/-, wildcards.
constexpr unsigned kParseFlags =
    Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD;

}  // namespace

struct RawXapianIndexer::Impl {
    Xapian::WritableDatabase db;
    Xapian::TermGenerator generator;
};

RawXapianIndexer::RawXapianIndexer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RawXapianIndexer::RawXapianIndexer(RawXapianIndexer&&) noexcept = default;
RawXapianIndexer& RawXapianIndexer::operator=(RawXapianIndexer&&) noexcept = default;
RawXapianIndexer::~RawXapianIndexer() = default;

RawXapianIndexer RawXapianIndexer::Create(const std::filesystem::path& dir) {
    auto impl = std::make_unique<Impl>();
    impl->db = Xapian::WritableDatabase(dir.string(), Xapian::DB_CREATE_OR_OVERWRITE);
    impl->generator.set_stemmer(Xapian::Stem(kLanguage));
    impl->generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    return RawXapianIndexer(std::move(impl));
}

void RawXapianIndexer::Add(std::string_view id, std::string_view title, std::string_view text) {
    Add(id, title, text, RawFields{});
}

void RawXapianIndexer::Add(std::string_view id, std::string_view title, std::string_view text,
                           const RawFields& fields) {
    Xapian::Document doc;
    if (!fields.doctype.empty()) {
        std::string term = kDocTypePrefix;
        term += fields.doctype;
        doc.add_boolean_term(term);
    }
    if (!fields.valid_from.empty()) {
        doc.add_value(kSlotValidFrom, fields.valid_from);
        doc.add_value(kSlotValidTo, fields.valid_to.empty() ? kOpenEnd : fields.valid_to);
    }
    // Appended, not `kIdPrefix + std::string(id)`: GCC 12 at -O3 reports a false -Wrestrict.
    std::string unique = kIdPrefix;
    unique += id;
    doc.add_boolean_term(unique);
    doc.set_data(std::string(id));
    impl_->generator.set_document(doc);
    impl_->generator.index_text(std::string(title), kTitleWdf);
    // A gap, so that a phrase never runs from the title into the text.
    impl_->generator.increase_termpos();
    impl_->generator.index_text(std::string(text));
    impl_->db.replace_document(unique, doc);
}

void RawXapianIndexer::Commit() { impl_->db.commit(); }

struct RawXapianSearcher::Impl {
    Xapian::Database db;
    Xapian::QueryParser parser;
};

RawXapianSearcher::RawXapianSearcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RawXapianSearcher::RawXapianSearcher(RawXapianSearcher&&) noexcept = default;
RawXapianSearcher& RawXapianSearcher::operator=(RawXapianSearcher&&) noexcept = default;
RawXapianSearcher::~RawXapianSearcher() = default;

RawXapianSearcher RawXapianSearcher::Open(const std::filesystem::path& dir) {
    auto impl = std::make_unique<Impl>();
    impl->db = Xapian::Database(dir.string());
    impl->parser.set_database(impl->db);
    impl->parser.set_stemmer(Xapian::Stem(kLanguage));
    impl->parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    impl->parser.set_default_op(Xapian::Query::OP_AND);
    return RawXapianSearcher(std::move(impl));
}

std::vector<std::string> RawXapianSearcher::Search(const std::string& query,
                                                   std::size_t count) const {
    return Search(query, count, RawFilter{});
}

std::vector<std::string> RawXapianSearcher::Search(const std::string& query, std::size_t count,
                                                   const RawFilter& filter) const {
    Xapian::Query parsed;
    try {
        parsed = impl_->parser.parse_query(query, kParseFlags);
    } catch (const Xapian::QueryParserError&) {
        return {};
    }
    if (!filter.doctype.empty()) {
        std::string term = kDocTypePrefix;
        term += filter.doctype;
        parsed = Xapian::Query(Xapian::Query::OP_FILTER, parsed, Xapian::Query(term));
    }
    if (!filter.valid_on.empty()) {
        const Xapian::Query valid(
            Xapian::Query::OP_AND,
            Xapian::Query(Xapian::Query::OP_VALUE_LE, kSlotValidFrom, filter.valid_on),
            Xapian::Query(Xapian::Query::OP_VALUE_GE, kSlotValidTo, filter.valid_on));
        parsed = Xapian::Query(Xapian::Query::OP_FILTER, parsed, valid);
    }
    Xapian::Enquire enquire(impl_->db);
    enquire.set_query(parsed);
    Xapian::MSet matches = enquire.get_mset(0, static_cast<Xapian::doccount>(count));
    std::vector<std::string> ids;
    ids.reserve(matches.size());
    for (auto it = matches.begin(); it != matches.end(); ++it) {
        ids.push_back(it.get_document().get_data());
    }
    return ids;
}

}  // namespace styrdok::bench
