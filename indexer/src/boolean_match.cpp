#include "boolean_match.hpp"

#include <list>
#include <memory>
#include <mutex>
#include <numeric>
#include <string>
#include <utility>

namespace styrdok::indexer::detail {

namespace {

using Bits = std::vector<std::uint64_t>;

// The matches of term-less parts (a value range, a posting source), found by Xapian's
// matcher, by database revision and serialised query: such a part is a filter the same for
// many searches (the versions in force on a day, a weight-only posting source), and matching
// it costs a walk over every document.
class TermlessMatches {
public:
    std::shared_ptr<const Bits> Find(const std::string& key) {
        std::lock_guard lock(mutex_);
        for (auto it = kept_.begin(); it != kept_.end(); ++it) {
            if (it->first != key) continue;
            kept_.splice(kept_.begin(), kept_, it);
            return kept_.front().second;
        }
        return nullptr;
    }

    void Keep(std::string key, std::shared_ptr<const Bits> bits) {
        std::lock_guard lock(mutex_);
        kept_.emplace_front(std::move(key), std::move(bits));
        if (kept_.size() > kKept) kept_.pop_back();
    }

    static TermlessMatches& Shared() {
        static TermlessMatches matches;
        return matches;
    }

private:
    // A few days' filters for each of a few databases and revisions; ~15 KB each at 100 000
    // documents.
    static constexpr std::size_t kKept = 32;
    std::mutex mutex_;
    std::list<std::pair<std::string, std::shared_ptr<const Bits>>> kept_;
};

// Sets the bit of every match it is handed.
class BitSpy : public Xapian::MatchSpy {
public:
    explicit BitSpy(Bits& bits) : bits_(bits) {}
    void operator()(const Xapian::Document& doc, double) override {
        const Xapian::docid did = doc.get_docid();
        if (did / 64 < bits_.size()) bits_[did / 64] |= std::uint64_t{1} << (did % 64);
    }

private:
    Bits& bits_;
};

// Evaluates `query` over the docids below `words` * 64 of `db`; false when it holds an
// operator whose match is not a function of the terms alone.
class Evaluator {
public:
    Evaluator(const Xapian::Database& db, std::size_t words) : db_(db), words_(words) {}

    bool Eval(const Xapian::Query& query, Bits& out) const {
        switch (query.get_type()) {
            case Xapian::Query::LEAF_MATCH_NOTHING:
                out.assign(words_, 0);
                return true;
            case Xapian::Query::LEAF_MATCH_ALL:
                return Postings(std::string(), out);
            case Xapian::Query::LEAF_TERM:
                return Postings(*query.get_terms_begin(), out);
            case Xapian::Query::OP_SCALE_WEIGHT:
                return Eval(query.get_subquery(0), out);
            case Xapian::Query::OP_AND_MAYBE:
                // The optional part only adds weight.
                return Eval(query.get_subquery(0), out);
            case Xapian::Query::OP_OR:
            case Xapian::Query::OP_SYNONYM:
            case Xapian::Query::OP_MAX:
                return Combine(query, out, [](std::uint64_t& a, std::uint64_t b) { a |= b; });
            case Xapian::Query::OP_AND:
            case Xapian::Query::OP_FILTER:
                return Combine(query, out, [](std::uint64_t& a, std::uint64_t b) { a &= b; });
            case Xapian::Query::OP_XOR:
                return Combine(query, out, [](std::uint64_t& a, std::uint64_t b) { a ^= b; });
            case Xapian::Query::OP_AND_NOT: {
                // The first part without any of the others.
                if (!Eval(query.get_subquery(0), out)) return false;
                Bits other;
                for (std::size_t i = 1; i < query.get_num_subqueries(); ++i) {
                    if (!Eval(query.get_subquery(i), other)) return false;
                    for (std::size_t w = 0; w < words_; ++w) out[w] &= ~other[w];
                }
                return true;
            }
            default:
                if (query.get_terms_begin() != query.get_terms_end()) return false;
                return Termless(query, out);
        }
    }

private:
    template <typename Op>
    bool Combine(const Xapian::Query& query, Bits& out, Op op) const {
        const std::size_t n = query.get_num_subqueries();
        if (n == 0) {
            out.assign(words_, 0);
            return true;
        }
        if (!Eval(query.get_subquery(0), out)) return false;
        Bits other;
        for (std::size_t i = 1; i < n; ++i) {
            if (!Eval(query.get_subquery(i), other)) return false;
            for (std::size_t w = 0; w < words_; ++w) op(out[w], other[w]);
        }
        return true;
    }

    // A part without terms, by Xapian's matcher once for each revision of the database.
    bool Termless(const Xapian::Query& query, Bits& out) const {
        std::string key;
        try {
            key = db_.get_uuid() + '@' + std::to_string(db_.get_revision()) + '\n' +
                  query.serialise();
        } catch (const Xapian::UnimplementedError&) {
            return false;  // a posting source that cannot be named
        }
        TermlessMatches& kept = TermlessMatches::Shared();
        if (std::shared_ptr<const Bits> found = kept.Find(key); found && found->size() == words_) {
            out = *found;
            return true;
        }
        out.assign(words_, 0);
        Xapian::Enquire enquire(db_);
        enquire.set_query(query);
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        BitSpy spy(out);
        enquire.add_matchspy(&spy);
        enquire.get_mset(0, 0, db_.get_doccount());
        kept.Keep(std::move(key), std::make_shared<const Bits>(out));
        return true;
    }

    bool Postings(const std::string& term, Bits& out) const {
        out.assign(words_, 0);
        const Xapian::PostingIterator end = db_.postlist_end(term);
        for (Xapian::PostingIterator it = db_.postlist_begin(term); it != end; ++it) {
            const Xapian::docid did = *it;
            if (did / 64 >= words_) break;  // added after the bitmap was sized
            out[did / 64] |= std::uint64_t{1} << (did % 64);
        }
        return true;
    }

    const Xapian::Database& db_;
    std::size_t words_;
};

}  // namespace

std::optional<BooleanMatch> BooleanMatch::Of(const Xapian::Database& db,
                                             const Xapian::Query& query) {
    BooleanMatch match(std::size_t{db.get_lastdocid()} / 64 + 1);
    if (!Evaluator(db, match.words_.size()).Eval(query, match.words_)) return std::nullopt;
    return match;
}

std::size_t BooleanMatch::Count() const {
    return std::accumulate(words_.begin(), words_.end(), std::size_t{0},
                           [](std::size_t n, std::uint64_t word) {
                               return n + static_cast<std::size_t>(std::popcount(word));
                           });
}

}  // namespace styrdok::indexer::detail
