#include "facet_column.hpp"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "boolean_match.hpp"
#include "count_cache.hpp"
#include "query.hpp"
#include "stored_hit.hpp"
#include "terms.hpp"
#include "test_registry.hpp"

namespace styrdok::indexer {
namespace {

using Counts = std::map<std::string, std::size_t>;
using testing::Day;

// The straightforward count the column replaces: every match's value read and decoded.
class StraightSpy : public Xapian::MatchSpy {
public:
    explicit StraightSpy(long day) : day_(day) {}

    void operator()(const Xapian::Document& doc, double) override {
        const std::string value = doc.get_value(detail::kSlotFacets);
        if (value.empty()) return;
        const auto fields = detail::DecodeFacets(value);
        for (std::size_t i = 0; i < std::size(detail::kFacets); ++i) {
            const detail::Facet facet = detail::kFacets[i];
            const std::string_view field = fields[detail::FacetField(facet)];
            if (field.empty()) continue;
            if (facet == detail::Facet::kGoalArea) {
                for (std::string_view key : detail::DecodeList(field))
                    ++counts[i][std::string(key)];
            } else if (facet == detail::Facet::kStatus) {
                ++counts[i][std::string(detail::StateOn(field, day_))];
            } else {
                ++counts[i][std::string(field)];
            }
        }
    }

    std::array<Counts, std::size(detail::kFacets)> counts;

private:
    long day_;
};

// The index's three databases, opened as Searcher opens them.
struct Opened {
    explicit Opened(const std::filesystem::path& dir)
        : folders{dir.string(), (dir / detail::kCurrentDatabase).string(),
                  (dir / detail::kDraftsDatabase).string()} {
        for (const std::string& folder : folders) parts.emplace_back(folder);
    }

    std::vector<std::string> folders;
    std::vector<Xapian::Database> parts;  ///< main, current, drafts
};

// Compares the column's counts with the straightforward ones in each of the index's
// databases, for a table of queries and days.
void ExpectCountsAlike(const std::filesystem::path& dir) {
    const std::string folders[] = {dir.string(), (dir / detail::kCurrentDatabase).string(),
                                   (dir / detail::kDraftsDatabase).string()};
    const std::vector<Xapian::Query> queries = {
        detail::MatchAll(),
        Xapian::Query(detail::Term(detail::kPrefixDocType, "policy")),
        Xapian::Query(detail::Term(detail::kPrefixGoalArea, "arbetsgivare")),
        Xapian::Query(std::string(detail::kTermLatest)),
        Xapian::Query(Xapian::Query::OP_AND_NOT, detail::MatchAll(),
                      Xapian::Query(detail::Term(detail::kPrefixDecidedBy, "kf"))),
    };
    const char* const days[] = {"2010-01-01", "2016-06-01", "2021-08-01", "2030-01-01"};
    for (const std::string& folder : folders) {
        const Xapian::Database db(folder);
        const std::shared_ptr<const detail::FacetColumn> column =
            detail::SharedFacetColumn(folder, db);
        for (std::size_t q = 0; q < queries.size(); ++q) {
            for (const char* day : days) {
                SCOPED_TRACE(folder + ", query " + std::to_string(q) + ", " + day);
                const long days_since = Day(day).DaysSinceEpoch();
                StraightSpy straight(days_since);
                detail::ColumnFacetSpy counted(
                    std::vector(std::begin(detail::kFacets), std::end(detail::kFacets)), {column},
                    days_since);
                Xapian::Enquire enquire(db);
                enquire.set_query(queries[q]);
                enquire.add_matchspy(&straight);
                enquire.add_matchspy(&counted);
                enquire.get_mset(0, 0, db.get_doccount());
                // The same matches from their bitmap, as a search counts them.
                detail::ColumnFacetSpy from_bitmap(
                    std::vector(std::begin(detail::kFacets), std::end(detail::kFacets)), {column},
                    days_since);
                const std::optional<detail::BooleanMatch> matches =
                    detail::BooleanMatch::Of(db, queries[q]);
                ASSERT_TRUE(matches.has_value());
                from_bitmap.CountAll(*matches);
                // And as part of matches that many searches share: most of all documents
                // are counted as all of them less the rest (FacetColumn::CountsOf).
                const std::optional<detail::BooleanMatch> all =
                    detail::BooleanMatch::Shared(db, detail::MatchAll());
                ASSERT_TRUE(all.has_value());
                detail::ColumnFacetSpy within(
                    std::vector(std::begin(detail::kFacets), std::end(detail::kFacets)), {column},
                    days_since);
                within.CountAll(*matches, &*all);
                for (std::size_t i = 0; i < std::size(detail::kFacets); ++i) {
                    EXPECT_EQ(counted.Counts(i), straight.counts[i])
                        << detail::FacetName(detail::kFacets[i]);
                    EXPECT_EQ(from_bitmap.Counts(i), straight.counts[i])
                        << detail::FacetName(detail::kFacets[i]);
                    EXPECT_EQ(within.Counts(i), straight.counts[i])
                        << detail::FacetName(detail::kFacets[i]);
                }
            }
        }
    }
}

core::Metadata Varied(int i) {
    const std::string n = std::to_string(i);
    core::Metadata m = testing::Policy("dok-" + n, "Dokument " + n);
    static const char* const kDocTypes[] = {"policy", "riktlinje", "plan"};
    static const char* const kGoalAreas[] = {"arbetsgivare", "trygghet-folkhalsa",
                                             "ekonomi-effektivitet"};
    m.doctype = kDocTypes[i % 3];
    m.decided_by = i % 2 ? "ks" : "kf";
    m.decided_on = Day(i % 4 ? "2014-03-01" : "2020-11-20");
    m.valid_from = Day(i % 5 ? "2015-01-01" : "2022-01-01");
    if (i % 7 == 3) m.valid_to = Day("2019-12-31");
    m.owner = i % 3 ? "HR-chef" : "Ekonomichef";
    m.goal_areas = {kGoalAreas[i % 3]};
    if (i % 4 == 1) m.goal_areas.push_back(kGoalAreas[(i + 1) % 3]);
    return m;
}

TEST(FacetColumn, CountsAsAStraightCountDoesAfterEverySave) {
    testing::TestRegistry registry;
    std::vector<std::pair<core::Metadata, std::string>> documents;
    for (int i = 0; i < 12; ++i) documents.push_back({Varied(i), "Text " + std::to_string(i)});
    registry.Commit(documents);
    core::Metadata draft = Varied(20);
    draft.status = core::Status::kDraft;
    registry.CommitDraft(draft, "Ett utkast.");
    registry.Sync();
    {
        SCOPED_TRACE("first index");
        ExpectCountsAlike(registry.IndexDir());
    }

    // New versions, a new document, a changed and a new draft: each column is then built
    // from the one before, reading the new docids alone.
    core::Metadata revised = Varied(2);
    revised.doctype = "plan";
    revised.owner = "Kommundirektör";
    registry.Commit({{revised, "Ny text."}, {Varied(30), "Ny."}});
    draft.owner = "Näringslivschef";
    draft.goal_areas = {"trygghet-folkhalsa"};
    registry.CommitDraft(draft, "Ett ändrat utkast.");
    core::Metadata other_draft = Varied(5);
    other_draft.status = core::Status::kDraft;
    other_draft.doctype = "riktlinje";
    registry.CommitDraft(other_draft, "Utkast till ändring.");
    registry.Sync();
    SCOPED_TRACE("after a save");
    ExpectCountsAlike(registry.IndexDir());
}

// A searcher reopened after a save counts what the save changed, through the column.
TEST(FacetColumn, ReopenedSearcherCountsTheSave) {
    testing::TestRegistry registry;
    registry.Commit({{Varied(0), "Text."}, {Varied(1), "Text."}});
    registry.Sync();
    Searcher searcher = Searcher::Open(registry.IndexDir(), registry.schema());
    SearchRequest request;
    EXPECT_EQ(searcher.Search(request).facets["doctype"],
              (Counts{{"policy", 1}, {"riktlinje", 1}}));

    core::Metadata revised = Varied(1);
    revised.doctype = "plan";
    registry.Commit({{revised, "Ny text."}, {Varied(4), "Text."}});
    registry.Sync();
    searcher.Reopen();
    const SearchResult result = searcher.Search(request);
    EXPECT_EQ(result.total, 3u);
    EXPECT_EQ(result.facets.at("doctype"), (Counts{{"plan", 1}, {"policy", 1}, {"riktlinje", 1}}));
}

// The docid of the current version of document `id` in the index at `dir`.
Xapian::docid CurrentDocid(const std::filesystem::path& dir, const std::string& id) {
    const Xapian::Database current((dir / detail::kCurrentDatabase).string());
    const std::string term = detail::Term(detail::kPrefixDocumentId, id);
    auto it = current.postlist_begin(term);
    return it == current.postlist_end(term) ? 0 : *it;
}

// An edit replaces the current version in place (same docid, new values): a column built from
// the one before the edit reads that docid again, as the log of replaced docids says.
TEST(FacetColumn, AVersionReplacedInPlaceCountsItsNewValues) {
    testing::TestRegistry registry;
    std::vector<std::pair<core::Metadata, std::string>> documents;
    for (int i = 0; i < 6; ++i) documents.push_back({Varied(i), "Text " + std::to_string(i)});
    registry.Commit(documents);
    registry.Sync();
    Searcher searcher = Searcher::Open(registry.IndexDir(), registry.schema());
    SearchRequest request;
    request.query = "text";
    // dok-3 ended in 2019.
    const SearchResult before = searcher.Search(request);
    EXPECT_EQ(before.total, 5u);
    EXPECT_EQ(before.facets.at("doctype"), (Counts{{"plan", 2}, {"policy", 1}, {"riktlinje", 2}}));
    const Xapian::docid docid = CurrentDocid(registry.IndexDir(), "dok-1");
    ASSERT_NE(docid, 0u);

    struct Edit {
        const char* doctype;
        const char* word;
        Counts counts;
    };
    const Edit edits[] = {
        {"plan", "kvarnsten", {{"plan", 3}, {"policy", 1}, {"riktlinje", 1}}},
        {"policy", "ladugård", {{"plan", 2}, {"policy", 2}, {"riktlinje", 1}}},
    };
    for (const Edit& edit : edits) {
        SCOPED_TRACE(edit.doctype);
        core::Metadata revised = Varied(1);
        revised.doctype = edit.doctype;
        registry.Commit({{revised, std::string("Text om ") + edit.word + "."}});
        registry.Sync();
        EXPECT_EQ(CurrentDocid(registry.IndexDir(), "dok-1"), docid);
        searcher.Reopen();
        request.query = "text";
        const SearchResult after = searcher.Search(request);
        EXPECT_EQ(after.total, 5u);
        EXPECT_EQ(after.facets.at("doctype"), edit.counts);
        request.query = edit.word;
        const SearchResult found = searcher.Search(request);
        ASSERT_EQ(found.total, 1u);
        EXPECT_EQ(found.facets.at("doctype"), (Counts{{edit.doctype, 1}}));
        EXPECT_NE(found.hits[0].snippet.find(edit.word), std::string::npos);
        ExpectCountsAlike(registry.IndexDir());
    }
}

TEST(FacetColumn, ReplacedLogSaysWhatWasReplacedSinceARevision) {
    std::string log = detail::AppendReplaced("", 5, {7, 9});
    log = detail::AppendReplaced(log, 6, {});
    log = detail::AppendReplaced(log, 8, {3});
    struct Case {
        Xapian::rev after;
        std::vector<Xapian::docid> replaced;
    };
    const Case cases[] = {{0, {7, 9, 3}}, {4, {7, 9, 3}}, {5, {3}}, {7, {3}}, {8, {}}, {20, {}}};
    for (const Case& c : cases) {
        SCOPED_TRACE(c.after);
        EXPECT_EQ(detail::ReplacedSince(log, c.after), c.replaced);
    }
    EXPECT_EQ(detail::ReplacedSince("", 3), std::vector<Xapian::docid>{});

    // Past kReplacedKept entries the oldest revisions go, and a column older than them is
    // built again whole.
    std::string full;
    for (Xapian::rev rev = 1; rev <= detail::kReplacedKept + 1; ++rev) {
        full = detail::AppendReplaced(full, rev, {static_cast<Xapian::docid>(rev)});
    }
    EXPECT_EQ(detail::ReplacedSince(full, 0), std::nullopt);
    const auto since_first = detail::ReplacedSince(full, 1);
    ASSERT_TRUE(since_first.has_value());
    EXPECT_EQ(since_first->size(), detail::kReplacedKept);
    EXPECT_EQ(since_first->front(), 2u);
    EXPECT_EQ(detail::ReplacedSince(full, detail::kReplacedKept),
              std::vector<Xapian::docid>{detail::kReplacedKept + 1});
}

// The docids Xapian's matcher finds for `query` in `db`, in order.
std::vector<Xapian::docid> MatchedByXapian(const Xapian::Database& db, const Xapian::Query& query) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount() + 1);
    std::vector<Xapian::docid> found;
    for (auto it = mset.begin(); it != mset.end(); ++it) found.push_back(*it);
    std::sort(found.begin(), found.end());
    return found;
}

TEST(BooleanMatch, MatchesWhatXapiansMatcherMatches) {
    testing::TestRegistry registry;
    std::vector<std::pair<core::Metadata, std::string>> documents;
    for (int i = 0; i < 12; ++i) {
        documents.push_back({Varied(i), i % 2 ? "Budget och kontroll." : "Intern kontroll."});
    }
    registry.Commit(documents);
    core::Metadata revised = Varied(2);
    revised.doctype = "plan";
    registry.Commit({{revised, "Ny budget."}});
    registry.Sync();

    using Q = Xapian::Query;
    const Q policy(detail::Term(detail::kPrefixDocType, "policy"));
    const Q kf(detail::Term(detail::kPrefixDecidedBy, "kf"));
    const Q latest{std::string(detail::kTermLatest)};
    const Q budget("Zbudget");
    const Q control("Zkontroll");
    const std::string day = Xapian::sortable_serialise(Day("2016-06-01").DaysSinceEpoch());
    const Q in_force(Q::OP_AND, Q(Q::OP_VALUE_LE, detail::kSlotShownFrom, day),
                     Q(Q::OP_VALUE_GE, detail::kSlotShownTo, day));
    const Q pair[] = {budget, control};
    const Q elite(Q::OP_ELITE_SET, std::begin(pair), std::end(pair), 1);
    const Q words[] = {Q("kontroll"), Q("budget")};
    const Q near(Q::OP_NEAR, std::begin(words), std::end(words), 3);
    const struct {
        const char* name;
        Q query;
        bool answered;  ///< without Xapian's matcher answering for the whole query
    } kCases[] = {
        {"match all", Q::MatchAll, true},
        {"match nothing", Q::MatchNothing, true},
        {"an unknown term", Q("Znowhere"), true},
        {"a term", budget, true},
        {"or", Q(Q::OP_OR, budget, policy), true},
        {"and", Q(Q::OP_AND, control, kf), true},
        {"and not", Q(Q::OP_AND_NOT, control, Q(Q::OP_OR, budget, Q("Znowhere"))), true},
        {"xor", Q(Q::OP_XOR, budget, policy), true},
        {"and maybe", Q(Q::OP_AND_MAYBE, control, budget), true},
        {"filter", Q(Q::OP_FILTER, control, latest), true},
        {"synonym", Q(Q::OP_SYNONYM, budget, Q("Zintern")), true},
        {"max", Q(Q::OP_MAX, budget, kf), true},
        {"scaled", Q(Q::OP_SCALE_WEIGHT, budget, 0.5), true},
        {"weight only", Q(Q::OP_OR, budget, detail::FixedWeight(policy, 0.5)), true},
        {"in force on a day", Q(Q::OP_FILTER, control, in_force), true},
        {"a phrase", Q(Q::OP_PHRASE, Q("budget"), Q("och")), true},
        {"a phrase and a filter",
         Q(Q::OP_FILTER, Q(Q::OP_PHRASE, Q("intern"), Q("kontroll")), policy), true},
        {"near", near, true},
        {"a wildcard", Q(Q::OP_WILDCARD, "Zkon"), true},
        {"a fixed weight alone", Q((new Xapian::FixedWeightPostingSource(2.5))->release()), true},
        {"a value's weight",
         Q(Q::OP_AND, control,
           Q((new Xapian::ValueWeightPostingSource(detail::kSlotDecidedOn))->release())),
         true},
        {"an elite set", elite, false},
    };
    for (const std::string& folder : {registry.IndexDir().string(),
                                      (registry.IndexDir() / detail::kCurrentDatabase).string()}) {
        const Xapian::Database db(folder);
        for (const auto& c : kCases) {
            SCOPED_TRACE(folder + ": " + c.name);
            const std::optional<detail::BooleanMatch> matched =
                detail::BooleanMatch::Of(db, c.query);
            ASSERT_EQ(matched.has_value(), c.answered);
            if (!matched) continue;
            std::vector<Xapian::docid> found;
            matched->ForEach([&](Xapian::docid did) { found.push_back(did); });
            EXPECT_EQ(found, MatchedByXapian(db, c.query));
            // In the current versions, where most documents are, every other case finds
            // some, so that each compares something.
            const std::string_view name = c.name;
            if (folder.ends_with(detail::kCurrentDatabase) && name != "match nothing" &&
                name != "an unknown term") {
                EXPECT_FALSE(found.empty());
            }
            EXPECT_EQ(matched->Count(), found.size());
            // Kept for the revision: the second is the first's bitmap.
            for (int round = 0; round < 2; ++round) {
                const std::optional<detail::BooleanMatch> shared =
                    detail::BooleanMatch::Shared(db, c.query);
                ASSERT_TRUE(shared.has_value());
                std::vector<Xapian::docid> shared_found;
                shared->ForEach([&](Xapian::docid did) { shared_found.push_back(did); });
                EXPECT_EQ(shared_found, found);
            }
        }
    }
}

// Twelve varied documents, the odd ones about "budget och kontroll", the even ones about
// "intern kontroll", committed and indexed.
void CommitBudgetAndControl(testing::TestRegistry& registry) {
    std::vector<std::pair<core::Metadata, std::string>> documents;
    for (int i = 0; i < 12; ++i) {
        documents.push_back({Varied(i), i % 2 ? "Budget och kontroll." : "Intern kontroll."});
    }
    registry.Commit(documents);
    registry.Sync();
}

TEST(BooleanMatch, IntersectKeepsTheMatchesOfBoth) {
    testing::TestRegistry registry;
    CommitBudgetAndControl(registry);

    using Q = Xapian::Query;
    const Q policy(detail::Term(detail::kPrefixDocType, "policy"));
    const Q kf(detail::Term(detail::kPrefixDecidedBy, "kf"));
    const Q budget("Zbudget");
    const Q phrase(Q::OP_PHRASE, Q("intern"), Q("kontroll"));
    const struct {
        const char* name;
        Q first;
        Q second;
    } kCases[] = {
        {"a word and a doctype", budget, policy},
        {"a phrase and a body", phrase, kf},
        {"nothing in common", budget, phrase},
        {"a doctype and everything", policy, Q::MatchAll},
    };
    const Xapian::Database db((registry.IndexDir() / detail::kCurrentDatabase).string());
    for (const auto& c : kCases) {
        SCOPED_TRACE(c.name);
        std::optional<detail::BooleanMatch> both = detail::BooleanMatch::Of(db, c.first);
        const std::optional<detail::BooleanMatch> second = detail::BooleanMatch::Of(db, c.second);
        ASSERT_TRUE(both.has_value());
        ASSERT_TRUE(second.has_value());
        both->Intersect(*second);
        std::vector<Xapian::docid> found;
        both->ForEach([&](Xapian::docid did) { found.push_back(did); });
        EXPECT_EQ(found, MatchedByXapian(db, Q(Q::OP_AND, c.first, c.second)));
        EXPECT_EQ(both->Count(), found.size());
    }
}

TEST(BooleanMatch, SharedMatchesAreNamedUntilIntersected) {
    testing::TestRegistry registry;
    CommitBudgetAndControl(registry);

    using Q = Xapian::Query;
    const Q policy(detail::Term(detail::kPrefixDocType, "policy"));
    const Q budget("Zbudget");
    const Xapian::Database db((registry.IndexDir() / detail::kCurrentDatabase).string());
    std::optional<detail::BooleanMatch> shared = detail::BooleanMatch::Shared(db, policy);
    const std::optional<detail::BooleanMatch> again = detail::BooleanMatch::Shared(db, policy);
    const std::optional<detail::BooleanMatch> other = detail::BooleanMatch::Shared(db, budget);
    const std::optional<detail::BooleanMatch> own = detail::BooleanMatch::Of(db, budget);
    ASSERT_TRUE(shared && again && other && own);
    EXPECT_FALSE(shared->SharedKey().empty());
    EXPECT_EQ(again->SharedKey(), shared->SharedKey());
    EXPECT_NE(other->SharedKey(), shared->SharedKey());
    EXPECT_TRUE(own->SharedKey().empty());

    // What one has and the other lacks, counted.
    const std::vector<Xapian::docid> policies = MatchedByXapian(db, policy);
    const std::vector<Xapian::docid> both = MatchedByXapian(db, Q(Q::OP_AND, policy, budget));
    ASSERT_FALSE(both.empty());
    ASSERT_LT(both.size(), policies.size());
    EXPECT_EQ(shared->CountWithout(*own), policies.size() - both.size());
    std::vector<Xapian::docid> without;
    shared->ForEachWithout(*own, [&](Xapian::docid did) { without.push_back(did); });
    EXPECT_EQ(without, MatchedByXapian(db, Q(Q::OP_AND_NOT, policy, budget)));

    shared->Intersect(*own);
    EXPECT_TRUE(shared->SharedKey().empty());
    EXPECT_EQ(shared->Count(), both.size());
}

TEST(BooleanMatch, KeepIfKeepsTheMatchesAsked) {
    testing::TestRegistry registry;
    CommitBudgetAndControl(registry);

    const Xapian::Database db((registry.IndexDir() / detail::kCurrentDatabase).string());
    const std::vector<Xapian::docid> all = MatchedByXapian(db, detail::MatchAll());
    ASSERT_GE(all.size(), 3u);
    const struct {
        const char* name;
        std::function<bool(Xapian::docid)> keep;
    } kCases[] = {
        {"none", [](Xapian::docid) { return false; }},
        {"every", [](Xapian::docid) { return true; }},
        {"the odd", [](Xapian::docid did) { return did % 2 == 1; }},
        {"the last", [&](Xapian::docid did) { return did == all.back(); }},
    };
    for (const auto& c : kCases) {
        SCOPED_TRACE(c.name);
        std::optional<detail::BooleanMatch> match =
            detail::BooleanMatch::Shared(db, detail::MatchAll());
        ASSERT_TRUE(match.has_value());
        std::vector<Xapian::docid> asked;
        match->KeepIf([&](Xapian::docid did) {
            asked.push_back(did);
            return c.keep(did);
        });
        EXPECT_EQ(asked, all);
        std::vector<Xapian::docid> expected;
        std::copy_if(all.begin(), all.end(), std::back_inserter(expected), c.keep);
        std::vector<Xapian::docid> kept;
        match->ForEach([&](Xapian::docid did) { kept.push_back(did); });
        EXPECT_EQ(kept, expected);
        EXPECT_EQ(match->Count(), expected.size());
        EXPECT_TRUE(match->SharedKey().empty());
    }
}

// The docids and weights of the best 100 matches of `query` in `db`, in order.
std::vector<std::pair<Xapian::docid, double>> Ranked(const Xapian::Database& db,
                                                     const Xapian::Query& query) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    const Xapian::MSet mset = enquire.get_mset(0, 100);
    std::vector<std::pair<Xapian::docid, double>> ranked;
    for (auto it = mset.begin(); it != mset.end(); ++it) ranked.emplace_back(*it, it.get_weight());
    return ranked;
}

TEST(BooleanMatch, RankingFilteredByItsMatchesRanksAsWithout) {
    testing::TestRegistry registry;
    std::vector<std::pair<core::Metadata, std::string>> documents;
    for (int i = 0; i < 12; ++i) {
        documents.push_back(
            {Varied(i), i % 3 ? "Budget och kontroll, budget och plan." : "Intern kontroll."});
    }
    registry.Commit(documents);
    registry.Commit({{Varied(1), "Ny budget och kontroll."}});
    registry.Sync();

    using Q = Xapian::Query;
    const Q phrase(Q::OP_PHRASE, Q("budget"), Q("och"));
    const Q query(Q::OP_OR, phrase, Q("Zkontroll"));
    const Opened opened(registry.IndexDir());
    Xapian::Database both(opened.folders[0]);
    both.add_database(Xapian::Database(opened.folders[1]));
    std::vector<std::pair<std::string, std::shared_ptr<const detail::BooleanMatch>>> by_uuid;
    for (const Xapian::Database& part : {opened.parts[0], opened.parts[1]}) {
        std::optional<detail::BooleanMatch> matches = detail::BooleanMatch::Of(part, query);
        ASSERT_TRUE(matches.has_value());
        by_uuid.emplace_back(part.get_uuid(),
                             std::make_shared<const detail::BooleanMatch>(std::move(*matches)));
    }
    EXPECT_TRUE(detail::HasPositional(query));
    EXPECT_FALSE(detail::HasPositional(Q(Q::OP_AND, Q("Zbudget"), Q("Zkontroll"))));
    const struct {
        const char* name;
        Xapian::Database db;
    } kCases[] = {{"main", opened.parts[0]}, {"current", opened.parts[1]}, {"both", both}};
    for (const auto& c : kCases) {
        SCOPED_TRACE(c.name);
        const auto unfiltered = Ranked(c.db, query);
        EXPECT_FALSE(unfiltered.empty());
        EXPECT_EQ(Ranked(c.db, Q(Q::OP_FILTER, query, detail::MatchesOf(by_uuid))), unfiltered);
        // A database it has no matches for: every document.
        EXPECT_EQ(Ranked(c.db, Q(Q::OP_FILTER, query, detail::MatchesOf({}))), unfiltered);
    }
    // The filter is what it says: the matches of a word alone leave the phrase's others out.
    const std::optional<detail::BooleanMatch> intern =
        detail::BooleanMatch::Of(opened.parts[1], Q("intern"));
    ASSERT_TRUE(intern.has_value());
    const auto filtered =
        Ranked(opened.parts[1],
               Q(Q::OP_FILTER, query,
                 detail::MatchesOf({{opened.parts[1].get_uuid(),
                                     std::make_shared<const detail::BooleanMatch>(*intern)}})));
    EXPECT_EQ(filtered.size(), intern->Count());
}

TEST(StoredDocuments, ReadsWhatTheDocumentHoldsWithTheExcerptWhenAsked) {
    testing::TestRegistry registry;
    registry.Commit({{Varied(0), "Första texten."}, {Varied(1), "Andra texten."}});
    registry.Sync();
    const Xapian::Database db((registry.IndexDir() / detail::kCurrentDatabase).string());
    const std::string revision = db.get_uuid() + "@" + std::to_string(db.get_revision());
    for (const std::size_t max_bytes : {std::size_t{0}, std::size_t{1} << 20}) {
        SCOPED_TRACE(max_bytes);
        detail::StoredDocuments documents(max_bytes);
        for (Xapian::docid did = 1; did <= db.get_lastdocid(); ++did) {
            const Xapian::Document doc = db.get_document(did);
            const auto plain = documents.Read(db, revision, did, false);
            EXPECT_EQ(plain->data, doc.get_data());
            const auto with_excerpt = documents.Read(db, revision, did, true);
            EXPECT_EQ(with_excerpt->data, doc.get_data());
            ASSERT_TRUE(with_excerpt->excerpt.has_value());
            EXPECT_EQ(*with_excerpt->excerpt, doc.get_value(detail::kSlotExcerpt));
            EXPECT_NE(with_excerpt->excerpt->find("texten"), std::string::npos);
            // Kept with its excerpt: asked without, it still has it.
            if (max_bytes > 0) {
                EXPECT_TRUE(documents.Read(db, revision, did, false)->excerpt);
            }
        }
    }
}

// Snippets and stored hits are kept by index revision: after a save the same search shows
// the new text, never what was kept for the old one.
TEST(SnippetCache, ASavedTextIsShownByTheSameSearchAfterReopening) {
    testing::TestRegistry registry;
    registry.Commit({{Varied(0), "Budgeten gäller alfa."}});
    registry.Sync();
    Searcher searcher = Searcher::Open(registry.IndexDir(), registry.schema());
    SearchRequest request;
    request.query = "budget";
    for (int asked = 0; asked < 2; ++asked) {  // cut, then kept
        const SearchResult before = searcher.Search(request);
        ASSERT_EQ(before.hits.size(), 1u);
        EXPECT_NE(before.hits[0].snippet.find("alfa"), std::string::npos);
    }

    core::Metadata revised = Varied(0);
    revised.title = "Ändrad titel";
    registry.Commit({{revised, "Budgeten gäller beta."}});
    registry.Sync();
    searcher.Reopen();
    const SearchResult after = searcher.Search(request);
    ASSERT_EQ(after.hits.size(), 1u);
    EXPECT_EQ(after.hits[0].title, "Ändrad titel");
    EXPECT_NE(after.hits[0].snippet.find("beta"), std::string::npos);
    EXPECT_EQ(after.hits[0].snippet.find("alfa"), std::string::npos);
}

TEST(CountCache, ForgetsTheLeastRecentlyUsedFirst) {
    auto counts = [](std::size_t total) {
        auto kept = std::make_shared<detail::FacetCounts>();
        kept->total = total;
        kept->facets["doctype"] = {{"policy", total}};
        return kept;
    };
    detail::CountCache probe(std::size_t{1} << 20);
    probe.Keep("a", counts(1));
    const std::size_t one = probe.bytes();
    detail::CountCache cache(3 * one);
    cache.Keep("a", counts(1));
    cache.Keep("b", counts(2));
    cache.Keep("c", counts(3));
    ASSERT_NE(cache.Find("a"), nullptr);  // now used more recently than b
    cache.Keep("d", counts(4));
    EXPECT_EQ(cache.Find("b"), nullptr);
    for (const auto& [key, total] :
         std::vector<std::pair<std::string, std::size_t>>{{"a", 1}, {"c", 3}, {"d", 4}}) {
        SCOPED_TRACE(key);
        const auto found = cache.Find(key);
        ASSERT_NE(found, nullptr);
        EXPECT_EQ(found->total, total);
    }
    EXPECT_LE(cache.bytes(), 3 * one);
}

}  // namespace
}  // namespace styrdok::indexer
