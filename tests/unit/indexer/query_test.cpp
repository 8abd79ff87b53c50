// The request's filters as the ranking applies them (indexer/src/query.hpp, Filters::Rank)
// against Filters::Apply: the same matches, weights and estimates of their number.

#include "query.hpp"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "styrdok/core/date.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/testing/sandbox.hpp"
#include "terms.hpp"

namespace styrdok::indexer::detail {
namespace {

core::Date Day(const char* text) { return core::Date::Parse(text).value(); }

// A current versions' database of `versions` documents placed on 2026-10-01: every one has
// Zkommun (its wdf varying, so that weights do), every third Zskola; the versions of
// `starting` start in force on 2027-01-01 and those of `ended` ended on 2026-11-01, so that
// the default search on 2026-12-07 leaves them out; those of `restricted` are not public.
struct CurrentDatabase {
    styrdok::testing::Sandbox sandbox;
    Xapian::Database db;

    CurrentDatabase(Xapian::docid versions, const std::vector<Xapian::docid>& starting,
                    const std::vector<Xapian::docid>& ended,
                    const std::vector<Xapian::docid>& restricted) {
        Xapian::WritableDatabase writer((sandbox / "current").string(),
                                        Xapian::DB_CREATE_OR_OVERWRITE);
        auto in = [](const std::vector<Xapian::docid>& list, Xapian::docid did) {
            return std::find(list.begin(), list.end(), did) != list.end();
        };
        for (Xapian::docid did = 1; did <= versions; ++did) {
            Xapian::Document doc;
            doc.add_term("Zkommun", 1 + did % 7);
            if (did % 3 == 0) doc.add_term("Zskola", 1 + did % 5);
            doc.add_term("Zord", 3 + did % 11);
            if (in(starting, did)) doc.add_boolean_term(Term(kPrefixStartsOn, "20270101"));
            if (in(ended, did)) doc.add_boolean_term(Term(kPrefixEndsOn, "20261101"));
            if (in(restricted, did)) doc.add_boolean_term(std::string(kTermRestricted));
            writer.add_document(doc);
        }
        writer.set_metadata(kMetaCurrentDay, "2026-10-01");
        writer.commit();
        db = Xapian::Database((sandbox / "current").string());
    }

    Filters DefaultScope(const core::Schema& schema) const {
        Filters filters = MakeFilters(SearchRequest{}, schema, Day("2026-12-07"));
        filters.UseCurrentDatabase(CurrentDays::Read(db));
        return filters;
    }
};

core::Schema DefaultSchema() {
    return core::Schema::Load(styrdok::testing::SourceDir() / "schema/default.xml");
}

std::vector<std::pair<Xapian::docid, double>> Ranked(const Xapian::MSet& mset) {
    std::vector<std::pair<Xapian::docid, double>> ranked;
    for (auto it = mset.begin(); it != mset.end(); ++it) ranked.emplace_back(*it, it.get_weight());
    return ranked;
}

TEST(QueryFilters, RankLeavesOutWhatApplyDoesWithTheSameEstimates) {
    const std::vector<Xapian::docid> starting = {7, 150, 399}, ended = {20, 200, 201},
                                     restricted = {30};
    const CurrentDatabase current(400, starting, ended, restricted);
    const Filters filters = current.DefaultScope(DefaultSchema());
    ASSERT_TRUE(filters.current_left_out_listed.has_value());

    const Xapian::Query kommun("Zkommun"), skola("Zskola"), ord("Zord");
    const struct {
        const char* name;
        Xapian::Query text;
    } texts[] = {
        {"one word", kommun},
        {"a rarer word", skola},
        {"or", Xapian::Query(Xapian::Query::OP_OR, skola, ord)},
        {"and", Xapian::Query(Xapian::Query::OP_AND, kommun, skola)},
        {"and not", Xapian::Query(Xapian::Query::OP_AND_NOT, kommun, skola)},
    };
    const struct {
        Xapian::doccount first, count, check_at_least;
    } stretches[] = {{0, 10, 0}, {0, 21, 0},  {0, 60, 0}, {40, 20, 0},
                     {0, 0, 0},  {0, 0, 400}, {0, 500, 0}};
    for (const auto& text : texts) {
        SCOPED_TRACE(text.name);
        for (const auto& s : stretches) {
            SCOPED_TRACE(std::to_string(s.first) + "+" + std::to_string(s.count) + " check " +
                         std::to_string(s.check_at_least));
            Xapian::Enquire applied(current.db), ranked(current.db);
            applied.set_query(filters.Apply(text.text));
            ranked.set_query(filters.Rank(text.text));
            const Xapian::MSet a = applied.get_mset(s.first, s.count, s.check_at_least);
            const Xapian::MSet r = ranked.get_mset(s.first, s.count, s.check_at_least);
            EXPECT_EQ(Ranked(r), Ranked(a));
            EXPECT_EQ(r.get_matches_estimated(), a.get_matches_estimated());
            EXPECT_EQ(r.get_matches_lower_bound(), a.get_matches_lower_bound());
            EXPECT_EQ(r.get_matches_upper_bound(), a.get_matches_upper_bound());
            for (const auto& [did, weight] : Ranked(r)) {
                for (const auto* out : {&starting, &ended, &restricted}) {
                    EXPECT_EQ(std::find(out->begin(), out->end(), did), out->end()) << did;
                }
            }
        }
    }
    // The whole match is the rest.
    Xapian::Enquire all(current.db);
    all.set_query(filters.Rank(ord));
    EXPECT_EQ(all.get_mset(0, 1000).size(), 400u - 7u);
}

TEST(QueryFilters, OneCurrentDaysAnswersEachDayAskedInTurn) {
    // Versions 7 and 150 start on 2027-01-01, 20 and 200 ended on 2026-11-01.
    const CurrentDatabase current(400, {7, 150}, {20, 200}, {});
    const core::Schema schema = DefaultSchema();
    const CurrentDays days = CurrentDays::Read(current.db);
    const struct {
        const char* day;
        std::vector<Xapian::docid> left_out;
    } cases[] = {
        {"2026-12-07", {7, 20, 150, 200}},
        {"2027-02-01", {20, 200}},
        {"2026-10-15", {7, 150}},
        {"2026-12-07", {7, 20, 150, 200}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.day);
        Filters filters = MakeFilters(SearchRequest{}, schema, Day(c.day));
        filters.UseCurrentDatabase(days);
        ASSERT_TRUE(filters.current_left_out_listed.has_value());
        for (const Xapian::Query& query :
             {filters.Rank(Xapian::Query("Zkommun")), filters.Apply(Xapian::Query("Zkommun"))}) {
            Xapian::Enquire enquire(current.db);
            enquire.set_query(query);
            const Xapian::MSet matches = enquire.get_mset(0, 400);
            std::vector<bool> found(401, false);
            for (auto it = matches.begin(); it != matches.end(); ++it) found[*it] = true;
            std::vector<Xapian::docid> missing;
            for (Xapian::docid did = 1; did <= 400; ++did) {
                if (!found[did]) missing.push_back(did);
            }
            EXPECT_EQ(missing, c.left_out);
        }
    }
}

TEST(QueryFilters, RankKeepsTheTermsWhereAListWouldChangeTheEstimates) {
    // 8 versions left out of 30: Xapian's estimate of their union is no longer their sum.
    const CurrentDatabase current(30, {1, 2, 3, 4}, {5, 6, 7, 8}, {});
    const Filters filters = current.DefaultScope(DefaultSchema());
    EXPECT_FALSE(filters.current_left_out_listed.has_value());
    const Xapian::Query kommun("Zkommun");
    EXPECT_EQ(filters.Rank(kommun).serialise(), filters.Apply(kommun).serialise());
}

TEST(QueryFilters, RankIsApplyOutsideTheDefaultScope) {
    const CurrentDatabase current(400, {7}, {20}, {});
    SearchRequest request;
    request.valid_on = Day("2026-12-07");
    Filters filters = MakeFilters(request, DefaultSchema(), Day("2026-12-07"));
    filters.UseCurrentDatabase(CurrentDays::Read(current.db));
    EXPECT_FALSE(filters.current_left_out.has_value());
    const Xapian::Query kommun("Zkommun");
    EXPECT_EQ(filters.Rank(kommun).serialise(), filters.Apply(kommun).serialise());
}

// Writes a document of `words` for each list, a word at each position from 1 on, and commits.
void WriteWordsAtPositions(Xapian::WritableDatabase& writer,
                           const std::vector<std::vector<std::string>>& texts) {
    for (const auto& words : texts) {
        Xapian::Document doc;
        for (std::size_t i = 0; i < words.size(); ++i) {
            doc.add_posting(words[i], static_cast<Xapian::termpos>(i + 1));
        }
        writer.add_document(doc);
    }
    writer.commit();
}

TEST(QueryPhrase, HoldPhraseAnswersEachDocumentInTheOrderAsked) {
    styrdok::testing::Sandbox sandbox;
    Xapian::WritableDatabase writer((sandbox / "db").string(), Xapian::DB_CREATE_OR_OVERWRITE);
    // Each document's words in order, one position each.
    const std::vector<std::vector<std::string>> texts = {
        {"intern", "kontroll", "plan"},              // 1: the phrase
        {"kontroll", "intern"},                      // 2: both words, the other way round
        {"intern", "och", "kontroll"},               // 3: both words apart
        {"intern", "plan"},                          // 4: one word
        {"plan", "intern", "kontroll", "kontroll"},  // 5: the phrase, and "kontroll kontroll"
        {"kontroll", "plan"},                        // 6: the other word
    };
    WriteWordsAtPositions(writer, texts);
    const Xapian::Database db((sandbox / "db").string());
    const struct {
        const char* name;
        std::vector<std::string> phrase;
        std::vector<Xapian::docid> dids;
        std::vector<bool> holds;
    } cases[] = {
        {"two words, in rank order",
         {"intern", "kontroll"},
         {5, 2, 1, 6, 3, 4},
         {true, false, true, false, false, false}},
        {"a repeated word", {"kontroll", "kontroll"}, {1, 5, 2}, {false, true, false}},
        {"three words", {"intern", "kontroll", "plan"}, {5, 1}, {false, true}},
        {"a word no document has", {"intern", "revision"}, {1, 2}, {false, false}},
        {"no documents", {"intern", "kontroll"}, {}, {}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        EXPECT_EQ(HoldPhrase(db, {&db}, c.dids, c.phrase), c.holds);
    }
}

TEST(QueryPhrase, HoldPhraseNumbersTheDocumentsOfACombinedDatabaseAsItDoes) {
    styrdok::testing::Sandbox sandbox;
    // Part 0: "intern kontroll", "kontroll intern"; part 1: "intern plan", "intern kontroll".
    const std::vector<std::vector<std::vector<std::string>>> parts_texts = {
        {{"intern", "kontroll"}, {"kontroll", "intern"}},
        {{"intern", "plan"}, {"intern", "kontroll"}},
    };
    std::vector<Xapian::Database> parts;
    for (std::size_t k = 0; k < parts_texts.size(); ++k) {
        const std::string path = (sandbox / ("part" + std::to_string(k))).string();
        Xapian::WritableDatabase writer(path, Xapian::DB_CREATE_OR_OVERWRITE);
        WriteWordsAtPositions(writer, parts_texts[k]);
        parts.emplace_back(path);
    }
    Xapian::Database combined;
    for (const Xapian::Database& part : parts) combined.add_database(part);
    // Combined docids: part 0's 1 and 2 are 1 and 3, part 1's 1 and 2 are 2 and 4.
    EXPECT_EQ(HoldPhrase(combined, {&parts[0], &parts[1]}, {4, 3, 2, 1}, {"intern", "kontroll"}),
              (std::vector<bool>{true, false, false, true}));
}

TEST(QueryTermStats, AnswersAsTheDatabaseOpenedUntilForgotten) {
    styrdok::testing::Sandbox sandbox;
    const std::string path = (sandbox / "db").string();
    Xapian::WritableDatabase writer(path, Xapian::DB_CREATE_OR_OVERWRITE);
    for (int i = 0; i < 3; ++i) {
        Xapian::Document doc;
        doc.add_term("Zkommun");
        if (i == 0) doc.add_term("Zskola");
        writer.add_document(doc);
    }
    writer.commit();
    Xapian::Database db(path);
    TermStats stats(db);
    EXPECT_EQ(stats.Freq("Zkommun"), 3u);
    EXPECT_EQ(stats.Freq("Zskola"), 1u);
    EXPECT_EQ(stats.Freq("Zvision"), 0u);
    EXPECT_EQ(stats.DocCount(), 3u);

    Xapian::Document more;
    more.add_term("Zskola");
    more.add_term("Zvision");
    writer.add_document(more);
    writer.commit();
    db.reopen();
    // What was read stands for the revision it was read at, until forgotten.
    EXPECT_EQ(stats.Freq("Zskola"), 1u);
    EXPECT_EQ(stats.DocCount(), 3u);
    stats.Forget();
    EXPECT_EQ(stats.Freq("Zskola"), 2u);
    EXPECT_EQ(stats.Freq("Zvision"), 1u);
    EXPECT_EQ(stats.DocCount(), 4u);
}

}  // namespace
}  // namespace styrdok::indexer::detail
