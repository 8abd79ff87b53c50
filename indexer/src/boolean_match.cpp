#include "boolean_match.hpp"

#include <algorithm>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace styrdok::indexer::detail {

namespace {

using Bits = std::vector<std::uint64_t>;

// Bitmaps kept by database revision: of term-less parts (a value range, a posting source),
// found by Xapian's matcher, by serialised query, as such a part is a filter the same for many
// searches (the versions in force on a day, a weight-only posting source) and matching it
// walks every document; and of the terms in many documents, whose posting lists cost more to
// read than a bitmap to copy, and which the searches of a registry share (a municipality's
// texts have a few thousand common words). The least recently used go first once the bytes
// held pass the limit. Thread-safe.
class KeptBitmaps {
public:
    std::shared_ptr<const Bits> Find(const std::string& key) {
        std::lock_guard lock(mutex_);
        auto found = by_key_.find(key);
        if (found == by_key_.end()) return nullptr;
        entries_.splice(entries_.begin(), entries_, found->second);
        return found->second->second;
    }

    void Keep(const std::string& key, std::shared_ptr<const Bits> bits) {
        const std::size_t bytes = BytesOf(key, *bits);
        std::lock_guard lock(mutex_);
        if (by_key_.contains(key)) return;  // kept by another search meanwhile
        entries_.emplace_front(key, std::move(bits));
        by_key_.emplace(key, entries_.begin());
        bytes_ += bytes;
        while (bytes_ > kMaxBytes) {
            bytes_ -= BytesOf(entries_.back().first, *entries_.back().second);
            by_key_.erase(entries_.back().first);
            entries_.pop_back();
        }
    }

    static KeptBitmaps& Shared() {
        static KeptBitmaps kept;
        return kept;
    }

private:
    // ~2 000 bitmaps of 14 KB at 115 000 versions.
    static constexpr std::size_t kMaxBytes = std::size_t{32} << 20;
    using Entry = std::pair<std::string, std::shared_ptr<const Bits>>;

    static std::size_t BytesOf(const std::string& key, const Bits& bits) {
        return 2 * key.size() + bits.size() * sizeof(std::uint64_t) + 128;
    }

    std::mutex mutex_;
    std::list<Entry> entries_;  ///< most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> by_key_;
    std::size_t bytes_ = 0;
};

// How Query::get_description begins for a Xapian::FixedWeightPostingSource.
constexpr std::string_view kFixedWeightSource =
    "Query(PostingSource(Xapian::FixedWeightPostingSource(";

// Terms in fewer documents than this are read from their posting lists every time.
constexpr Xapian::doccount kKeptFromDocuments = 2048;

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
            case Xapian::Query::OP_PHRASE:
            case Xapian::Query::OP_NEAR:
            case Xapian::Query::OP_WILDCARD:
                return Matched(query, out);
            case Xapian::Query::LEAF_POSTING_SOURCE:
                // A fixed weight's source (FixedWeight, query.cpp) matches every document, and
                // a weight of its own names it anew for every query: matched by Xapian's
                // matcher it walked every document each time.
                if (query.get_description().starts_with(kFixedWeightSource)) {
                    return Postings(std::string(), out);
                }
                return Termless(query, out);
            default:
                if (query.get_terms_begin() != query.get_terms_end()) return false;
                return Termless(query, out);
        }
    }

    // `query` as a whole, kept like a part without terms; `key` gets the name it is kept by,
    // or stays empty when it cannot be named.
    bool Shared(const Xapian::Query& query, Bits& out, std::string& key) const {
        try {
            key = Revision() + "s\n" + query.serialise();
        } catch (const Xapian::UnimplementedError&) {
            key.clear();
            return Eval(query, out);
        }
        if (Kept(key, out)) return true;
        if (!Eval(query, out)) return false;
        KeptBitmaps::Shared().Keep(key, std::make_shared<const Bits>(out));
        return true;
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
            key = Revision() + "q\n" + query.serialise();
        } catch (const Xapian::UnimplementedError&) {
            return false;  // a posting source that cannot be named
        }
        if (Kept(key, out)) return true;
        Matched(query, out);
        KeptBitmaps::Shared().Keep(key, std::make_shared<const Bits>(out));
        return true;
    }

    // `query` alone by Xapian's matcher, weightless.
    bool Matched(const Xapian::Query& query, Bits& out) const {
        out.assign(words_, 0);
        Xapian::Enquire enquire(db_);
        enquire.set_query(query);
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        BitSpy spy(out);
        enquire.add_matchspy(&spy);
        enquire.get_mset(0, 0, db_.get_doccount());
        return true;
    }

    // The database's uuid and revision, the start of the keys of its kept bitmaps.
    const std::string& Revision() const {
        if (revision_.empty()) {
            revision_ = db_.get_uuid() + '@' + std::to_string(db_.get_revision()) + '\n';
        }
        return revision_;
    }

    bool Kept(const std::string& key, Bits& out) const {
        const std::shared_ptr<const Bits> found = KeptBitmaps::Shared().Find(key);
        if (!found || found->size() != words_) return false;
        out = *found;
        return true;
    }

    bool Postings(const std::string& term, Bits& out) const {
        // Looked for among the kept first: the term's frequency is a read of the database.
        const std::string key = Revision() + "t\n" + term;
        if (Kept(key, out)) return true;
        if (db_.get_termfreq(term) < kKeptFromDocuments) return Read(term, out);
        Read(term, out);
        KeptBitmaps::Shared().Keep(key, std::make_shared<const Bits>(out));
        return true;
    }

    bool Read(const std::string& term, Bits& out) const {
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
    mutable std::string revision_;
};

}  // namespace

std::optional<BooleanMatch> BooleanMatch::Of(const Xapian::Database& db,
                                             const Xapian::Query& query) {
    BooleanMatch match(std::size_t{db.get_lastdocid()} / 64 + 1);
    if (!Evaluator(db, match.words_.size()).Eval(query, match.words_)) return std::nullopt;
    return match;
}

std::optional<BooleanMatch> BooleanMatch::Shared(const Xapian::Database& db,
                                                 const Xapian::Query& query) {
    BooleanMatch match(std::size_t{db.get_lastdocid()} / 64 + 1);
    if (!Evaluator(db, match.words_.size()).Shared(query, match.words_, match.shared_key_)) {
        return std::nullopt;
    }
    return match;
}

void BooleanMatch::Intersect(const BooleanMatch& other) {
    const std::size_t both = std::min(words_.size(), other.words_.size());
    for (std::size_t w = 0; w < both; ++w) words_[w] &= other.words_[w];
    std::fill(words_.begin() + static_cast<std::ptrdiff_t>(both), words_.end(), 0);
    shared_key_.clear();
}

Xapian::docid BooleanMatch::NextFrom(Xapian::docid did) const {
    std::size_t w = did / 64;
    if (w >= words_.size()) return 0;
    // The bits below `did` in its word are left out.
    std::uint64_t word = words_[w] & (~std::uint64_t{0} << (did % 64));
    while (word == 0) {
        if (++w == words_.size()) return 0;
        word = words_[w];
    }
    return static_cast<Xapian::docid>(w * 64 + std::countr_zero(word));
}

namespace {

// MatchesOf's source: in a database that `by_uuid` names, the docids of its match; in any
// other, every document (its all-documents posting list).
class MatchesSource : public Xapian::PostingSource {
public:
    using ByUuid = std::vector<std::pair<std::string, std::shared_ptr<const BooleanMatch>>>;

    explicit MatchesSource(std::shared_ptr<const ByUuid> by_uuid) : by_uuid_(std::move(by_uuid)) {}

    void init(const Xapian::Database& db) override {
        matches_.reset();
        all_.reset();
        did_ = 0;
        started_ = false;
        const std::string uuid = db.get_uuid();
        for (const auto& [name, match] : *by_uuid_) {
            if (name == uuid) matches_ = match;
        }
        if (matches_) {
            count_ = static_cast<Xapian::doccount>(matches_->Count());
        } else {
            all_.emplace(db.postlist_begin(""));
            end_ = db.postlist_end("");
            count_ = db.get_doccount();
        }
    }

    Xapian::doccount get_termfreq_min() const override { return count_; }
    Xapian::doccount get_termfreq_est() const override { return count_; }
    Xapian::doccount get_termfreq_max() const override { return count_; }

    void next(double) override {
        if (!started_) {
            started_ = true;
            MoveTo(1);
        } else if (did_ != 0) {
            MoveTo(did_ + 1);
        }
    }

    void skip_to(Xapian::docid did, double) override {
        if (started_ && (did_ == 0 || did <= did_)) return;
        started_ = true;
        MoveTo(did);
    }

    bool at_end() const override { return started_ && did_ == 0; }
    Xapian::docid get_docid() const override { return did_; }

    MatchesSource* clone() const override { return new MatchesSource(by_uuid_); }
    std::string get_description() const override { return "MatchesSource()"; }

private:
    // To the first document from `did` on; 0 at the end.
    void MoveTo(Xapian::docid did) {
        if (matches_) {
            did_ = matches_->NextFrom(did);
            return;
        }
        if (*all_ != end_) all_->skip_to(did);
        did_ = *all_ == end_ ? 0 : **all_;
    }

    std::shared_ptr<const ByUuid> by_uuid_;
    std::shared_ptr<const BooleanMatch> matches_;
    std::optional<Xapian::PostingIterator> all_;
    Xapian::PostingIterator end_;
    Xapian::doccount count_ = 0;
    Xapian::docid did_ = 0;
    bool started_ = false;
};

}  // namespace

Xapian::Query MatchesOf(
    std::vector<std::pair<std::string, std::shared_ptr<const BooleanMatch>>> by_uuid) {
    auto shared = std::make_shared<const MatchesSource::ByUuid>(std::move(by_uuid));
    return Xapian::Query((new MatchesSource(std::move(shared)))->release());
}

bool HasPositional(const Xapian::Query& query) {
    const Xapian::Query::op op = query.get_type();
    if (op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR) return true;
    for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
        if (HasPositional(query.get_subquery(i))) return true;
    }
    return false;
}

// x86-64's baseline has no popcount instruction, so the count is also built for processors
// that have one (counting a bitmap of 100 000 documents bit-trick by bit-trick cost a tenth
// of a millisecond); other architectures' baselines need nothing, and "popcnt" is no target
// of theirs.
#if defined(__x86_64__) || defined(__i386__)
#define STYRDOK_POPCOUNT_CLONES __attribute__((target_clones("popcnt", "default")))
#else
#define STYRDOK_POPCOUNT_CLONES
#endif

namespace {

// The bits set in `a[w] & ~b[w]` over w < n (b read as 0 from `b_n` on).
STYRDOK_POPCOUNT_CLONES std::size_t CountBits(const std::uint64_t* a, std::size_t n,
                                              const std::uint64_t* b, std::size_t b_n) {
    std::size_t count = 0;
    for (std::size_t w = 0; w < n; ++w) {
        count += static_cast<std::size_t>(std::popcount(a[w] & ~(w < b_n ? b[w] : 0)));
    }
    return count;
}

}  // namespace

std::size_t BooleanMatch::Count() const {
    return CountBits(words_.data(), words_.size(), nullptr, 0);
}

std::size_t BooleanMatch::CountWithout(const BooleanMatch& other) const {
    return CountBits(words_.data(), words_.size(), other.words_.data(), other.words_.size());
}

}  // namespace styrdok::indexer::detail
