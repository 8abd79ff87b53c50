#include "styrdok/indexer/search.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "styrdok/core/error.hpp"
#include "styrdok/core/utf8.hpp"
#include "test_registry.hpp"

namespace styrdok::indexer {
namespace {

using testing::Day;
using testing::Ids;
using testing::Policy;
using testing::TestRegistry;
using Strings = std::vector<std::string>;

// One registry for the suite: searching never changes it.
//   arbetsmiljopolicy    policy     kf  gällande  KS 2021/0123  arbetsgivare
//   riktlinjer-hot       riktlinje  ks  gällande  KS 2019/0050  trygghet-folkhalsa
//   budget-2024          plan       kf  gällande  KS 2023/0200  ekonomi-effektivitet
//   sociala-medier       riktlinje  ks  gällande 2015, then upphävd (valid_to 2022-12-31)
//   mutor                policy     kf  utkast: a draft of a new document (refs/drafts)
//   upphandlingspolicy   policy     kf  in force 2015-04-01, revised from 2020-06-01
//   klimatplan           plan       kf  in force from 2022-01-01
class SearcherTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        registry_ = std::make_unique<TestRegistry>();
        TestRegistry& r = *registry_;

        core::Metadata arbetsmiljo = Policy("arbetsmiljopolicy", "Arbetsmiljöpolicy");
        arbetsmiljo.valid_from = Day("2021-07-01");
        arbetsmiljo.goal_areas = {"arbetsgivare"};
        arbetsmiljo.keywords = {"arbetsmiljö"};
        const std::string arbetsmiljo_text =
            "# Arbetsmiljöpolicy\n\n"
            "Kommunens **arbetsmiljö** ska vara god i alla förvaltningar och bolag.\n\n"
            "| Område | Ansvar |\n|---|---|\n| Hot och våld | Chef |\n\n"
            "Läs mer i [rutinen](https://intranat.exempelby.se/rutin).\n";

        core::Metadata hot = Policy("riktlinjer-hot", "Riktlinjer vid hot och våld");
        hot.doctype = "riktlinje";
        hot.decided_by = "ks";
        hot.decided_on = Day("2019-03-01");
        hot.dnr = "KS 2019/0050";
        hot.owner = "Säkerhetschef";
        hot.goal_areas = {"trygghet-folkhalsa"};

        core::Metadata budget = Policy("budget-2024", "Budget och verksamhetsplan 2024");
        budget.doctype = "plan";
        budget.decided_on = Day("2023-11-20");
        budget.dnr = "KS 2023/0200";
        budget.owner = "Ekonomichef";
        budget.goal_areas = {"ekonomi-effektivitet"};

        core::Metadata medier = Policy("sociala-medier", "Riktlinjer för sociala medier");
        medier.doctype = "riktlinje";
        medier.decided_by = "ks";
        medier.decided_on = Day("2014-12-01");
        medier.valid_from = Day("2015-01-01");
        medier.dnr = "KS 2014/0300";

        core::Metadata mutor = Policy("mutor", "Policy mot mutor och jäv");
        mutor.status = core::Status::kDraft;
        mutor.decided_on.reset();
        mutor.dnr = "KS 2024/0007";

        core::Metadata upphandling = Policy("upphandlingspolicy", "Upphandlingspolicy");
        upphandling.decided_on = Day("2015-03-01");
        upphandling.valid_from = Day("2015-04-01");
        upphandling.dnr = "KS 2015/0010";

        core::Metadata klimat = Policy("klimatplan", "Klimatplan 2030");
        klimat.doctype = "plan";
        klimat.decided_on = Day("2021-12-13");
        klimat.valid_from = Day("2022-01-01");
        klimat.dnr = "KS 2021/0400";

        r.Commit({{arbetsmiljo, arbetsmiljo_text},
                  {hot,
                   "Riktlinjerna beskriver hur hot och våld hanteras. De kompletterar "
                   "kommunens policyer."},
                  {budget, "Budgeten anger ramar för nämnderna."},
                  {medier, "Sociala medier i kommunens kommunikation."},
                  {klimat, "Utsläppen ska minska."}},
                 "Första dokumenten");
        r.CommitDraft(mutor, "Utkast om mutor och jäv.");
        upphandling_v1_ = r.Commit(upphandling, "Upphandling ska ske konkurrensutsatt.");

        medier.status = core::Status::kRepealed;
        medier.valid_to = Day("2022-12-31");
        r.Commit(medier, "Sociala medier i kommunens kommunikation.");

        upphandling.decided_on = Day("2020-05-01");
        upphandling.valid_from = Day("2020-06-01");
        upphandling.dnr = "KS 2020/0099";
        upphandling_v2_ =
            r.Commit(upphandling, "Upphandlingen ska ske hållbart och konkurrensutsatt.");

        r.Sync();
    }

    static void TearDownTestSuite() { registry_.reset(); }

    // These tests are about filters and ranking, so they search with every right; what a
    // reader without rights sees has tests of its own.
    static SearchResult Search(SearchRequest request) {
        request.include_restricted = true;
        return registry_->Search(request);
    }

    static SearchResult Search(const std::string& query) {
        SearchRequest request;
        request.query = query;
        return Search(request);
    }

    static inline std::unique_ptr<TestRegistry> registry_;
    static inline std::string upphandling_v1_;
    static inline std::string upphandling_v2_;
};

// A cache of answers by AnswerKey serves an answer only for the same search of the same
// index on the same day: every field of the request, the day and the revision tell keys apart.
TEST(SearcherAnswerKey, DiffersForEveryFieldTheDayAndTheRevision) {
    TestRegistry registry;
    registry.Commit(Policy("arbetsmiljopolicy", "Arbetsmiljöpolicy"), "God arbetsmiljö.");
    registry.Sync();
    Searcher searcher = Searcher::Open(registry.IndexDir(), registry.schema());
    SearchRequest base;
    base.query = "arbetsmiljö";
    base.today = Day("2026-12-07");
    EXPECT_EQ(searcher.AnswerKey(base), searcher.AnswerKey(base));
    EXPECT_EQ(searcher.AnswerKey(base),
              Searcher::Open(registry.IndexDir(), registry.schema()).AnswerKey(base));

    std::vector<std::pair<const char*, std::function<void(SearchRequest&)>>> changes = {
        {"query", [](SearchRequest& r) { r.query = "arbetsmilj"; }},
        {"doctype", [](SearchRequest& r) { r.doctype = {"policy"}; }},
        {"category", [](SearchRequest& r) { r.category = "politisk"; }},
        {"decided_by", [](SearchRequest& r) { r.decided_by = {"kf"}; }},
        {"owner", [](SearchRequest& r) { r.owner = "HR-chef"; }},
        {"goal_area", [](SearchRequest& r) { r.goal_area = {"arbetsgivare"}; }},
        {"dnr", [](SearchRequest& r) { r.dnr = "KS 2021/0123"; }},
        {"implements", [](SearchRequest& r) { r.implements = {"vision"}; }},
        {"status", [](SearchRequest& r) { r.status = "alla"; }},
        {"valid_on", [](SearchRequest& r) { r.valid_on = Day("2020-01-01"); }},
        {"today", [](SearchRequest& r) { r.today = Day("2026-12-08"); }},
        {"sort", [](SearchRequest& r) { r.sort = SortOrder::kTitle; }},
        {"page", [](SearchRequest& r) { r.page = 2; }},
        {"per_page", [](SearchRequest& r) { r.per_page = 10; }},
        {"facets", [](SearchRequest& r) { r.facets = false; }},
        {"snippets", [](SearchRequest& r) { r.snippets = false; }},
        {"include_restricted", [](SearchRequest& r) { r.include_restricted = true; }},
        {"include_drafts", [](SearchRequest& r) { r.include_drafts = false; }},
        // The same characters split between two fields.
        {"query and owner",
         [](SearchRequest& r) {
             r.query = "arbets";
             r.owner = "miljö";
         }},
    };
    std::set<std::string> keys = {searcher.AnswerKey(base)};
    for (const auto& [field, change] : changes) {
        SearchRequest changed = base;
        change(changed);
        EXPECT_TRUE(keys.insert(searcher.AnswerKey(changed)).second) << field;
    }

    // A commit changes the key once the handle sees it, and only then.
    const std::string before = searcher.AnswerKey(base);
    registry.Commit(Policy("hot-och-vald", "Hot och våld"), "Arbetsmiljö vid hot.");
    registry.Sync();
    EXPECT_EQ(searcher.AnswerKey(base), before);
    searcher.Reopen();
    EXPECT_NE(searcher.AnswerKey(base), before);
}

TEST_F(SearcherTest, DefaultSearchFindsLatestVersionsInForceOnly) {
    SearchResult result = Search("");
    EXPECT_EQ(Ids(result), (Strings{"arbetsmiljopolicy", "budget-2024", "klimatplan",
                                    "riktlinjer-hot", "upphandlingspolicy"}));
    EXPECT_EQ(result.total, 5u);
    for (const Hit& hit : result.hits) {
        if (hit.id == "upphandlingspolicy") {
            EXPECT_EQ(hit.version, upphandling_v2_);
        }
    }
}

// Searchers on several threads share no Xapian object: copying Xapian's static MatchAll from
// two threads at once corrupted its reference count (a use after free ASan caught in the
// server). Searches without words and malformed ones are the ones that reached for it.
TEST_F(SearcherTest, SearchersOnManyThreadsShareNothing) {
    std::vector<std::thread> threads;
    std::vector<int> wrong(4, 0);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            Searcher searcher = Searcher::Open(registry_->IndexDir(), registry_->schema());
            SearchRequest request;
            request.facets = false;
            request.snippets = false;
            for (int i = 0; i < 3000; ++i) {
                request.query = i % 3 == 0 ? "" : i % 3 == 1 ? "((" : "typ:";
                if (searcher.Search(request).total == 0 && i % 3 == 0) ++wrong[t];
            }
            // Full pages, each for a day of its own so that no count is kept: the facets'
            // counting builds queries of every document (the status facet's versions in force).
            SearchRequest page;
            for (int i = 0; i < 4000; ++i) {
                page.query = i % 2 == 0 ? "arbetsmiljö" : "";
                page.today = Day("2024-01-01").AddDays(t * 1000 + i);
                if (searcher.Search(page).total == 0) ++wrong[t];
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    for (int count : wrong) EXPECT_EQ(count, 0);
}

TEST_F(SearcherTest, ReadersWithoutRightsNeverSeeDrafts) {
    SearchRequest alla;
    alla.status = "alla";
    SearchResult result = registry_->Search(alla);
    EXPECT_EQ(Ids(result), (Strings{"arbetsmiljopolicy", "budget-2024", "klimatplan",
                                    "riktlinjer-hot", "sociala-medier", "upphandlingspolicy"}));
    EXPECT_EQ(result.facets["status"].count("utkast"), 0u);

    SearchRequest drafts;
    drafts.status = "utkast";
    EXPECT_EQ(registry_->Search(drafts).total, 0u);
    SearchRequest by_text;
    by_text.query = "mutor";
    by_text.status = "alla";
    EXPECT_EQ(registry_->Search(by_text).total, 0u);
    by_text.include_restricted = true;
    EXPECT_EQ(Ids(registry_->Search(by_text)), (Strings{"mutor"}));
}

TEST_F(SearcherTest, FiltersReturnExactlyTheMatchingDocuments) {
    struct Case {
        const char* name;
        SearchRequest request;
        Strings ids;
    };
    auto with = [](auto set) {
        SearchRequest request;
        set(request);
        return request;
    };
    const std::vector<Case> cases = {
        {"doctype",
         with([](SearchRequest& r) { r.doctype = {"policy"}; }),
         {"arbetsmiljopolicy", "upphandlingspolicy"}},
        {"any of two doctypes",
         with([](SearchRequest& r) {
             r.doctype = {"policy", "plan"};
         }),
         {"arbetsmiljopolicy", "budget-2024", "klimatplan", "upphandlingspolicy"}},
        {"decided_by id",
         with([](SearchRequest& r) { r.decided_by = {"ks"}; }),
         {"riktlinjer-hot"}},
        {"decided_by abbreviation",
         with([](SearchRequest& r) { r.decided_by = {"KS"}; }),
         {"riktlinjer-hot"}},
        {"decided_by name",
         with([](SearchRequest& r) { r.decided_by = {"Kommunstyrelsen"}; }),
         {"riktlinjer-hot"}},
        {"dnr in another spelling",
         with([](SearchRequest& r) { r.dnr = "ks 2021-123"; }),
         {"arbetsmiljopolicy"}},
        {"dnr with colon",
         with([](SearchRequest& r) { r.dnr = "KS/2019:50"; }),
         {"riktlinjer-hot"}},
        {"dnr of an older version", with([](SearchRequest& r) { r.dnr = "KS 2015/10"; }), {}},
        {"status upphävd",
         with([](SearchRequest& r) { r.status = "upphävd"; }),
         {"sociala-medier"}},
        {"status utkast", with([](SearchRequest& r) { r.status = "utkast"; }), {"mutor"}},
        {"status alla",
         with([](SearchRequest& r) { r.status = "alla"; }),
         {"arbetsmiljopolicy", "budget-2024", "klimatplan", "mutor", "riktlinjer-hot",
          "sociala-medier", "upphandlingspolicy"}},
        {"goal area id",
         with([](SearchRequest& r) { r.goal_area = {"arbetsgivare"}; }),
         {"arbetsmiljopolicy"}},
        {"owner in any case",
         with([](SearchRequest& r) { r.owner = "hr-CHEF"; }),
         {"arbetsmiljopolicy", "klimatplan", "upphandlingspolicy"}},
        {"query and filter",
         with([](SearchRequest& r) {
             r.query = "förvaltningar";
             r.decided_by = {"kf"};
         }),
         {"arbetsmiljopolicy"}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        SearchResult result = Search(c.request);
        EXPECT_EQ(Ids(result), c.ids);
        EXPECT_EQ(result.total, c.ids.size());
    }
}

TEST_F(SearcherTest, CategoryFilterFollowsTheSchema) {
    const core::DocType* plan = registry_->schema().FindDocType("plan");
    ASSERT_NE(plan, nullptr);
    SearchRequest request;
    request.category = std::string(core::CategoryName(plan->category));
    for (const Hit& hit : Search(request).hits) {
        const core::DocType* type = registry_->schema().FindDocType(hit.doctype);
        ASSERT_NE(type, nullptr);
        EXPECT_EQ(type->category, plan->category) << hit.id;
    }
    EXPECT_GE(Search(request).total, 2u);
}

TEST_F(SearcherTest, ValidOnFindsTheVersionInForceThen) {
    SearchRequest request;
    request.valid_on = Day("2019-06-01");
    SearchResult result = Search(request);
    // Not the draft, not the klimatplan valid only from 2022, not the budget decided later.
    EXPECT_EQ(Ids(result), (Strings{"riktlinjer-hot", "sociala-medier", "upphandlingspolicy"}));
    for (const Hit& hit : result.hits) {
        if (hit.id == "upphandlingspolicy") {
            EXPECT_EQ(hit.version, upphandling_v1_);
            EXPECT_EQ(hit.dnr, "KS 2015/0010");
        }
    }

    request.valid_on = Day("2021-01-01");
    result = Search(request);
    ASSERT_EQ(Ids(result), (Strings{"riktlinjer-hot", "sociala-medier", "upphandlingspolicy"}));
    for (const Hit& hit : result.hits) {
        if (hit.id == "upphandlingspolicy") {
            EXPECT_EQ(hit.version, upphandling_v2_);
        }
    }
}

TEST_F(SearcherTest, ValidOnLeavesOutWhatWasRepealedBefore) {
    SearchRequest request;
    request.valid_on = Day("2023-06-01");
    EXPECT_EQ(Ids(Search(request)),
              (Strings{"arbetsmiljopolicy", "klimatplan", "riktlinjer-hot", "upphandlingspolicy"}));
}

// A draft is never in force; asked for as a draft, it is one on any day.
TEST_F(SearcherTest, ValidOnNeverFindsDraftsInForce) {
    SearchRequest request;
    request.valid_on = Day("2024-06-01");
    for (const Hit& hit : Search(request).hits) EXPECT_NE(hit.id, "mutor");
    request.status = "utkast";
    EXPECT_EQ(Ids(Search(request)), Strings{"mutor"});
}

TEST_F(SearcherTest, FacetsCountOverAllMatchesAndOtherFilters) {
    SearchRequest request;
    request.doctype = {"policy"};
    request.per_page = 1;
    SearchResult result = Search(request);
    EXPECT_EQ(result.total, 2u);
    EXPECT_EQ(result.hits.size(), 1u);
    // A facet is counted without its own filter, so the other doctypes show as alternatives.
    EXPECT_EQ(result.facets["doctype"],
              (std::map<std::string, std::size_t>{{"plan", 2}, {"policy", 2}, {"riktlinje", 1}}));
    EXPECT_EQ(result.facets["decided_by"], (std::map<std::string, std::size_t>{{"kf", 2}}));
    EXPECT_EQ(result.facets["status"],
              (std::map<std::string, std::size_t>{{"gällande", 2}, {"utkast", 1}}));
    const core::DocType* policy = registry_->schema().FindDocType("policy");
    ASSERT_NE(policy, nullptr);
    EXPECT_EQ(result.facets["category"],
              (std::map<std::string, std::size_t>{
                  {std::string(core::CategoryName(policy->category)), 2}}));
}

TEST_F(SearcherTest, MalformedQueriesAreAnsweredWithoutThrowing) {
    for (const char* query :
         {"\"unclosed", "AND OR", "title:", "((", "*", "NOT", "\"\"", "dnr:", "a*", "-", "+",
          "title:(", ")", "policy AND", "OR policy", "status:okänd", "\xff\xfe"}) {
        SCOPED_TRACE(query);
        EXPECT_NO_THROW(Search(query));
    }
}

TEST_F(SearcherTest, SyntaxWithoutWordsFallsBackToTheFilters) { EXPECT_EQ(Search("((").total, 5u); }

TEST_F(SearcherTest, FieldPrefixesSearchOneField) {
    EXPECT_EQ(Ids(Search("title:arbetsmiljöpolicy")), (Strings{"arbetsmiljopolicy"}));
    EXPECT_EQ(Ids(Search("dnr:\"ks 2019-50\"")), (Strings{"riktlinjer-hot"}));
    EXPECT_EQ(Ids(Search("doctype:plan")), (Strings{"budget-2024", "klimatplan"}));
    EXPECT_EQ(Ids(Search("beslutad:KS")), (Strings{"riktlinjer-hot"}));
    // A status typed in the query replaces the default of documents in force.
    EXPECT_EQ(Ids(Search("status:upphävd")), (Strings{"sociala-medier"}));
    EXPECT_EQ(Ids(Search("sociala (status:upphävd OR status:gällande)")),
              (Strings{"sociala-medier"}));
}

TEST_F(SearcherTest, SwedishInflectionsFindEachOther) {
    struct Case {
        const char* query;
        const char* id;
    };
    for (const Case& c : std::vector<Case>{{"policy", "riktlinjer-hot"},
                                           {"riktlinje", "riktlinjer-hot"},
                                           {"riktlinjerna", "riktlinjer-hot"},
                                           {"budget", "budget-2024"},
                                           {"upphandling", "upphandlingspolicy"},
                                           {"nämnd", "budget-2024"}}) {
        SCOPED_TRACE(c.query);
        Strings ids = Ids(Search(c.query));
        EXPECT_NE(std::find(ids.begin(), ids.end(), c.id), ids.end());
    }
}

TEST_F(SearcherTest, BodyNamesAndAbbreviationsAreSearchable) {
    // The body's name and abbreviation are synonyms, and "KS" also begins most dnr here, so
    // the document decided by kommunstyrelsen must come first rather than alone.
    for (const char* query : {"kommunstyrelsen", "KS"}) {
        SCOPED_TRACE(query);
        SearchResult result = Search(query);
        ASSERT_FALSE(result.hits.empty());
        EXPECT_EQ(result.hits[0].id, "riktlinjer-hot");
    }
    EXPECT_EQ(Ids(Search("socialnämnden")), Strings{});
}

// The schema's names are found through the values' terms, not as words of the texts
// (labels.hpp): inflected, abbreviated, as compound parts, and for the owning body too.
TEST(SearcherLabels, NamesOfMetadataValuesFindTheirDocuments) {
    testing::TestRegistry registry;
    core::Metadata decided = testing::Policy("beslutad", "Regler för resor");
    decided.decided_by = "sn";
    decided.goal_areas = {"trygghet-folkhalsa"};
    core::Metadata owned = testing::Policy("ansvarig", "Regler för möten");
    owned.owner_body = "sn";
    core::Metadata told = testing::Policy("omtalad", "Folkhälsa i skolan");
    core::Metadata neither = testing::Policy("ingen", "Regler för lokaler");
    registry.Commit({{decided, "Resor bokas i god tid."},
                     {owned, "Möten hålls varje månad."},
                     {told, "Folkhälsan i skolan följs upp varje år."},
                     {neither, "Lokaler bokas i god tid."}});
    registry.Sync();
    auto search = [&](const char* query) {
        SearchRequest request;
        request.query = query;
        return registry.Search(request);
    };
    const std::vector<std::pair<const char*, Strings>> cases = {
        {"socialnämnden", {"ansvarig", "beslutad"}},
        {"socialnämndens", {"ansvarig", "beslutad"}},
        {"SN", {"ansvarig", "beslutad"}},
        {"nämnd", {"ansvarig", "beslutad"}},                         // a part of Socialnämnden
        {"trygghet", {"beslutad"}},                                  // a goal area's word
        {"policyer", {"ansvarig", "beslutad", "ingen", "omtalad"}},  // a doctype's plural
        {"socialnämnden resor", {"beslutad"}},
        {"socialnämnden NOT resor", {"ansvarig"}},
        {"kommunfullmäktige", {"ansvarig", "ingen", "omtalad"}},
    };
    for (const auto& [query, ids] : cases) {
        SCOPED_TRACE(query);
        EXPECT_EQ(testing::Ids(search(query)), ids);
    }
    // A text that says the word ranks above a document that only carries the name.
    const SearchResult folkhalsa = search("folkhälsan");
    ASSERT_EQ(testing::Ids(folkhalsa), (Strings{"beslutad", "omtalad"}));
    EXPECT_EQ(folkhalsa.hits[0].id, "omtalad");
    // What is excluded stays exact: NOT leaves out the texts that say the word, not the
    // documents that carry the name.
    EXPECT_EQ(testing::Ids(search("regler NOT folkhälsa")),
              (Strings{"ansvarig", "beslutad", "ingen"}));
}

TEST_F(SearcherTest, SuggestsACorrectionForAMisspelling) {
    SearchResult result = Search("uphandling");
    EXPECT_EQ(result.total, 0u);
    EXPECT_EQ(result.suggestion, "upphandling");
}

TEST_F(SearcherTest, NoSuggestionWhenTheQueryFinds) {
    EXPECT_EQ(Search("upphandling").suggestion, "");
}

TEST_F(SearcherTest, SnippetsMarkMatchesInPlainText) {
    SearchResult result = Search("förvaltningar");
    ASSERT_EQ(result.hits.size(), 1u);
    const std::string& snippet = result.hits[0].snippet;
    EXPECT_NE(snippet.find(std::string(kHighlightStart) + "förvaltningar" + kHighlightEnd),
              std::string::npos)
        << snippet;
    for (const char* syntax : {"#", "**", "|", "](", "&amp;", "https://"}) {
        EXPECT_EQ(snippet.find(syntax), std::string::npos) << syntax << " in " << snippet;
    }
}

TEST_F(SearcherTest, HitsCarryTheirMetadata) {
    SearchResult result = Search("arbetsmiljöpolicy");
    ASSERT_FALSE(result.hits.empty());
    const Hit& hit = result.hits[0];
    EXPECT_EQ(hit.id, "arbetsmiljopolicy");
    EXPECT_EQ(hit.title, "Arbetsmiljöpolicy");
    EXPECT_EQ(hit.doctype, "policy");
    EXPECT_EQ(hit.dnr, "KS 2021/0123");
    EXPECT_EQ(hit.decided_by, "kf");
    EXPECT_EQ(hit.decided_on, "2021-05-24");
    EXPECT_EQ(hit.valid_from, "2021-07-01");
    EXPECT_EQ(hit.valid_to, "");
    EXPECT_EQ(hit.status, "gällande");
    EXPECT_EQ(hit.owner, "HR-chef");
    EXPECT_EQ(hit.version.size(), 40u);
    EXPECT_GT(hit.weight, 0);
}

TEST_F(SearcherTest, KeywordsAreAFieldOfTheirOwn) {
    EXPECT_EQ(Ids(Search("keyword:arbetsmiljö")), (Strings{"arbetsmiljopolicy"}));
}

TEST_F(SearcherTest, SortsByDecisionDateAndTitle) {
    SearchRequest request;
    request.sort = SortOrder::kDecidedNewest;
    Strings order;
    for (const Hit& hit : Search(request).hits) order.push_back(hit.id);
    EXPECT_EQ(order, (Strings{"budget-2024", "klimatplan", "arbetsmiljopolicy",
                              "upphandlingspolicy", "riktlinjer-hot"}));

    request.sort = SortOrder::kDecidedOldest;
    order.clear();
    for (const Hit& hit : Search(request).hits) order.push_back(hit.id);
    EXPECT_EQ(order, (Strings{"riktlinjer-hot", "upphandlingspolicy", "arbetsmiljopolicy",
                              "klimatplan", "budget-2024"}));

    request.sort = SortOrder::kTitle;
    request.status = "alla";
    Strings titles;
    for (const Hit& hit : Search(request).hits) titles.push_back(hit.title);
    EXPECT_EQ(titles,
              (Strings{"Arbetsmiljöpolicy", "Budget och verksamhetsplan 2024", "Klimatplan 2030",
                       "Policy mot mutor och jäv", "Riktlinjer för sociala medier",
                       "Riktlinjer vid hot och våld", "Upphandlingspolicy"}));
}

TEST_F(SearcherTest, PagesThroughTheMatches) {
    SearchRequest request;
    request.per_page = 2;
    request.sort = SortOrder::kTitle;
    Strings seen;
    for (std::size_t page = 1; page <= 3; ++page) {
        request.page = page;
        SearchResult result = Search(request);
        EXPECT_EQ(result.total, 5u);
        EXPECT_EQ(result.page, page);
        EXPECT_EQ(result.hits.size(), page < 3 ? 2u : 1u);
        for (const Hit& hit : result.hits) seen.push_back(hit.id);
    }
    EXPECT_EQ(seen.size(), 5u);
    request.page = 1000000;
    EXPECT_TRUE(Search(request).hits.empty());
}

TEST_F(SearcherTest, RejectsBadFilterValues) {
    auto code_of = [](const SearchRequest& request) {
        try {
            Search(request);
        } catch (const Error& e) {
            return e.code();
        }
        return ErrorCode::kInternal;
    };
    SearchRequest request;
    request.per_page = 0;
    EXPECT_EQ(code_of(request), ErrorCode::kBadInput);
    request.per_page = 101;
    EXPECT_EQ(code_of(request), ErrorCode::kBadInput);
    request.per_page = 20;
    request.page = 0;
    EXPECT_EQ(code_of(request), ErrorCode::kBadInput);
    request.page = 1;
    request.status = "okänd";
    EXPECT_EQ(code_of(request), ErrorCode::kBadInput);
}

TEST_F(SearcherTest, DiarienummerInTheQueryFindsItsDocumentFirst) {
    struct Case {
        const char* query;
        const char* id;
    };
    for (const Case& c : std::vector<Case>{{"KS 2019/50", "riktlinjer-hot"},
                                           {"ks 2019-00050", "riktlinjer-hot"},
                                           {"KS/2019:50", "riktlinjer-hot"},
                                           {"dnr KS 2019/0050", "riktlinjer-hot"},
                                           {"ks.2019.50", "riktlinjer-hot"},
                                           {"hot KS 2021/123", "arbetsmiljopolicy"},
                                           {"ks 2020-99 upphandling", "upphandlingspolicy"}}) {
        SCOPED_TRACE(c.query);
        SearchResult result = Search(c.query);
        ASSERT_FALSE(result.hits.empty());
        EXPECT_EQ(result.hits[0].id, c.id);
    }
}

TEST_F(SearcherTest, DnrFieldTakesAnySpelling) {
    struct Case {
        const char* query;
        Strings ids;
    };
    for (const Case& c : std::vector<Case>{{"dnr:KS 2019/50", {"riktlinjer-hot"}},
                                           {"dnr:ks 2019-00050", {"riktlinjer-hot"}},
                                           {"diarienummer:KS/2019:50", {"riktlinjer-hot"}},
                                           {"dnr:\"KS 2023/200\"", {"budget-2024"}},
                                           {"dnr:KS 2023/200 budget", {"budget-2024"}},
                                           {"dnr:KS 2015/10", {}}}) {
        SCOPED_TRACE(c.query);
        EXPECT_EQ(Ids(Search(c.query)), c.ids);
    }
}

TEST_F(SearcherTest, QueryLanguageSelectsTheMatchingDocuments) {
    struct Case {
        const char* query;
        Strings ids;
    };
    const std::vector<Case> cases = {
        {"\"ske hållbart\"", {"upphandlingspolicy"}},
        {"\"hållbart ske\"", {}},
        {"budget OR klimatplan", {"budget-2024", "klimatplan"}},
        {"upphandling AND hållbart", {"upphandlingspolicy"}},
        {"upphandling NOT hållbart", {}},
        {"budget -nämnderna", {}},
        {"title:klimatplan", {"klimatplan"}},
        {"titel:budget", {"budget-2024"}},
        {"typ:riktlinje", {"riktlinjer-hot"}},
        {"doctype:plan klimatplan", {"klimatplan"}},
        {"beslutad:kommunstyrelsen", {"riktlinjer-hot"}},
        {"decided_by:KS", {"riktlinjer-hot"}},
        {"owner:ekonomichef", {"budget-2024"}},
        {"ägare:Säkerhetschef", {"riktlinjer-hot"}},
        {"målområde:arbetsgivare", {"arbetsmiljopolicy"}},
        {"goal_area:ekonomi-effektivitet", {"budget-2024"}},
        {"år:2019", {"riktlinjer-hot"}},
        {"year:2021", {"arbetsmiljopolicy", "klimatplan"}},
        {"status:gällande år:2023", {"budget-2024"}},
        {"upphandl*", {"upphandlingspolicy"}},
        {"klimat* OR budget*", {"budget-2024", "klimatplan"}},
        {"typ:plan OR typ:riktlinje", {"budget-2024", "klimatplan", "riktlinjer-hot"}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.query);
        EXPECT_EQ(Ids(Search(c.query)), c.ids);
    }
}

TEST_F(SearcherTest, FacetsIncludeOwnerGoalAreaAndYear) {
    using Counts = std::map<std::string, std::size_t>;
    SearchResult all = Search("");
    EXPECT_EQ(all.facets["owner"],
              (Counts{{"ekonomichef", 1}, {"hr-chef", 3}, {"säkerhetschef", 1}}));
    EXPECT_EQ(
        all.facets["goal_area"],
        (Counts{{"arbetsgivare", 1}, {"ekonomi-effektivitet", 1}, {"trygghet-folkhalsa", 1}}));
    EXPECT_EQ(all.facets["year"], (Counts{{"2019", 1}, {"2020", 1}, {"2021", 2}, {"2023", 1}}));

    // Each facet is counted without its own filter and under every other one.
    SearchRequest request;
    request.owner = "HR-chef";
    request.goal_area = {"arbetsgivare"};
    SearchResult filtered = Search(request);
    EXPECT_EQ(Ids(filtered), Strings{"arbetsmiljopolicy"});
    EXPECT_EQ(filtered.facets["owner"], (Counts{{"hr-chef", 1}}));
    EXPECT_EQ(filtered.facets["goal_area"], (Counts{{"arbetsgivare", 1}}));
    EXPECT_EQ(filtered.facets["year"], (Counts{{"2021", 1}}));
    request.goal_area.clear();
    filtered = Search(request);
    EXPECT_EQ(filtered.facets["owner"],
              (Counts{{"ekonomichef", 1}, {"hr-chef", 3}, {"säkerhetschef", 1}}));
    EXPECT_EQ(filtered.facets["goal_area"], (Counts{{"arbetsgivare", 1}}));
    EXPECT_EQ(filtered.facets["year"], (Counts{{"2020", 1}, {"2021", 2}}));
}

TEST(ParseSortOrder, AcceptsTheApiNames) {
    EXPECT_EQ(ParseSortOrder(""), SortOrder::kRelevance);
    EXPECT_EQ(ParseSortOrder("relevance"), SortOrder::kRelevance);
    EXPECT_EQ(ParseSortOrder("decided_on"), SortOrder::kDecidedOldest);
    EXPECT_EQ(ParseSortOrder("-decided_on"), SortOrder::kDecidedNewest);
    EXPECT_EQ(ParseSortOrder("decided_on_desc"), SortOrder::kDecidedNewest);
    EXPECT_EQ(ParseSortOrder("title"), SortOrder::kTitle);
    EXPECT_EQ(ParseSortOrder("färg"), std::nullopt);
}

}  // namespace
}  // namespace styrdok::indexer

namespace styrdok::indexer {
namespace {

TEST(SearcherDiarienummer, EverySpellingFindsTheDocument) {
    testing::TestRegistry registry;
    core::Metadata kort = testing::Policy("kort-dnr", "Riktlinje för representation");
    kort.dnr = "0110/18";
    core::Metadata lang = testing::Policy("lang-dnr", "Reglemente för nämnden");
    lang.dnr = "KS 2017/00064";
    registry.Commit({{kort, "Representation ska vara måttlig."},
                     {lang, "Nämnden ansvarar för sina uppgifter."}});
    registry.Sync();
    struct Case {
        const char* query;
        const char* id;
    };
    for (const Case& c : std::vector<Case>{{"0110/18", "kort-dnr"},
                                           {"2018/110", "kort-dnr"},
                                           {"dnr 110/18", "kort-dnr"},
                                           {"KS 2017/64", "lang-dnr"},
                                           {"ks 2017-00064", "lang-dnr"},
                                           {"KS2017/64", "lang-dnr"},
                                           {"dnr:ks 2017 64", "lang-dnr"}}) {
        SCOPED_TRACE(c.query);
        SearchRequest request;
        request.query = c.query;
        SearchResult result = registry.Search(request);
        ASSERT_FALSE(result.hits.empty());
        EXPECT_EQ(result.hits[0].id, c.id);
    }
}

// Ranking is checked on small registries where, without the rule under test, the other
// document would come first.
TEST(SearcherRelevance, ExactPhraseRanksAboveScatteredWords) {
    testing::TestRegistry registry;
    core::Metadata phrase = testing::Policy("fras", "Första dokumentet");
    core::Metadata scattered = testing::Policy("spridd", "Andra dokumentet");
    registry.Commit({{phrase, "Här beskrivs intern kontroll av ekonomin i förvaltningen."},
                     {scattered,
                      "Kontroll görs. Intern granskning följer. Kontroll och intern "
                      "uppföljning sker."}});
    registry.Sync();
    SearchRequest request;
    request.query = "intern kontroll";
    SearchResult result = registry.Search(request);
    ASSERT_EQ(result.hits.size(), 2u);
    EXPECT_EQ(result.hits[0].id, "fras");
}

TEST(SearcherRelevance, TitleRanksAboveBodyText) {
    testing::TestRegistry registry;
    core::Metadata title = testing::Policy("rubrik", "Skolskjuts");
    core::Metadata body = testing::Policy("brodtext", "Regler för resor");
    registry.Commit({{title, "Regler om resor till skolan."},
                     {body, "Skolskjuts ordnas. Skolskjuts beviljas. Skolskjuts bokas."}});
    registry.Sync();
    SearchRequest request;
    request.query = "skolskjuts";
    SearchResult result = registry.Search(request);
    ASSERT_EQ(result.hits.size(), 2u);
    EXPECT_EQ(result.hits[0].id, "rubrik");
}

TEST(SearcherRelevance, NewestVersionAndDocumentsInForceRankFirst) {
    testing::TestRegistry registry;
    // Same text and title length; "Alfa" sorts first, so a tie would put it first.
    core::Metadata alfa = testing::Policy("alfa", "Alfa");
    alfa.decided_on = testing::Day("2014-12-01");
    alfa.valid_from = testing::Day("2015-01-01");
    core::Metadata beta = testing::Policy("beta", "Beta");
    beta.decided_on = testing::Day("2014-12-01");
    beta.valid_from = testing::Day("2015-01-01");
    registry.Commit({{alfa, "Parkering i centrum."}, {beta, "Parkering i centrum."}});
    alfa.decided_on = testing::Day("2020-01-10");
    alfa.valid_from = testing::Day("2020-02-01");
    registry.Commit(alfa, "Parkering i centrum.");
    registry.Sync();

    SearchRequest request;
    request.query = "parkering";
    request.valid_on = testing::Day("2016-01-01");  // alfa's older version, beta's newest
    SearchResult result = registry.Search(request);
    ASSERT_EQ(result.hits.size(), 2u);
    EXPECT_EQ(result.hits[0].id, "beta");

    alfa.status = core::Status::kRepealed;
    alfa.valid_to = testing::Day("2023-12-31");
    registry.Commit(alfa, "Parkering i centrum.");
    registry.Sync();
    request.valid_on.reset();
    request.status = "alla";
    result = registry.Search(request);
    ASSERT_EQ(result.hits.size(), 2u);
    EXPECT_EQ(result.hits[0].id, "beta");
}

TEST(SearcherFacets, ADocumentCountsUnderEachOfItsGoalAreas) {
    using Counts = std::map<std::string, std::size_t>;
    testing::TestRegistry registry;
    core::Metadata both = testing::Policy("bada", "Personalpolicy");
    both.goal_areas = {"arbetsgivare", "ekonomi-effektivitet"};
    both.owner = "Ekonomichef";
    core::Metadata one = testing::Policy("en", "Lönepolicy");
    one.goal_areas = {"arbetsgivare"};
    registry.Commit({{both, "Text."}, {one, "Text."}});
    registry.Sync();

    SearchRequest request;
    SearchResult result = registry.Search(request);
    EXPECT_EQ(result.facets["goal_area"],
              (Counts{{"arbetsgivare", 2}, {"ekonomi-effektivitet", 1}}));

    request.goal_area = {"ekonomi-effektivitet"};
    result = registry.Search(request);
    EXPECT_EQ(testing::Ids(result), std::vector<std::string>{"bada"});
    EXPECT_EQ(result.facets["goal_area"],
              (Counts{{"arbetsgivare", 2}, {"ekonomi-effektivitet", 1}}));
    EXPECT_EQ(result.facets["owner"], (Counts{{"ekonomichef", 1}}));
}

TEST(SearcherSynonyms, SchemaSynonymsFindEachOther) {
    testing::TestRegistry registry;
    core::Metadata vard = testing::Policy("vardsamverkan", "Samverkan om vård");
    registry.Commit(vard, "Landstingen och kommunerna samverkar om hemsjukvården.");
    core::Metadata skola = testing::Policy("skolskjuts", "Skolskjuts");
    registry.Commit(skola, "Skolskjuts ordnas av kommunen.");
    registry.Sync();
    SearchRequest request;
    request.query = "region";
    EXPECT_EQ(testing::Ids(registry.Search(request)), std::vector<std::string>{"vardsamverkan"});
    request.query = "landsting";
    EXPECT_EQ(testing::Ids(registry.Search(request)), std::vector<std::string>{"vardsamverkan"});
}

// The phrase preference reorders the best matches only; paging must still show every match
// exactly once, and in the order of one long page.
TEST(SearcherRelevance, PhrasePreferenceKeepsPagesConsistent) {
    testing::TestRegistry registry;
    std::vector<std::pair<core::Metadata, std::string>> documents;
    for (int i = 0; i < 7; ++i) {
        const std::string n = std::to_string(i);
        documents.push_back({testing::Policy("dok-" + n, "Dokument " + n),
                             i % 2 == 0 ? "Här beskrivs intern kontroll av ekonomin " + n + "."
                                        : "Kontroll görs. Intern granskning följer " + n + "."});
    }
    registry.Commit(documents);
    registry.Sync();
    SearchRequest request;
    request.query = "intern kontroll";
    request.per_page = 7;
    SearchResult one_page = registry.Search(request);
    ASSERT_EQ(one_page.hits.size(), 7u);
    // The four documents with the phrase come first.
    for (std::size_t i = 0; i < 4; ++i) {
        const int n = one_page.hits[i].id.back() - '0';
        EXPECT_EQ(n % 2, 0) << one_page.hits[i].id;
    }
    request.per_page = 3;
    std::vector<std::string> paged;
    for (std::size_t page = 1; page <= 3; ++page) {
        request.page = page;
        for (const Hit& hit : registry.Search(request).hits) paged.push_back(hit.id);
    }
    std::vector<std::string> expected;
    for (const Hit& hit : one_page.hits) expected.push_back(hit.id);
    EXPECT_EQ(paged, expected);
}

// The phrase is looked for among the first page's matches (a default page, 20) and no
// deeper: a holder ranked below it keeps its place, one within it comes first.
TEST(SearcherRelevance, PhrasePreferenceReachesTheBestTwenty) {
    for (const int scattered : {19, 25}) {
        testing::TestRegistry registry;
        std::vector<std::pair<core::Metadata, std::string>> documents;
        for (int i = 0; i < scattered; ++i) {
            const std::string n = std::to_string(i);
            documents.push_back({testing::Policy("spridd-" + n, "Spridd " + n),
                                 "Kontroll görs. Intern granskning följer. Kontroll och intern "
                                 "uppföljning sker."});
        }
        // Documents without the words: words in every document would weigh nothing, and the
        // titles decide.
        for (int i = 0; i < 40; ++i) {
            const std::string n = std::to_string(i);
            documents.push_back(
                {testing::Policy("annat-" + n, "Annat " + n), "Parkering kostar i centrum."});
        }
        documents.push_back({testing::Policy("fras", "Fras"),
                             "Här beskrivs intern kontroll av ekonomin i förvaltningen, med "
                             "budget, redovisning och uppföljning av verksamhetens mål."});
        registry.Commit(documents);
        registry.Sync();
        SearchRequest request;
        request.query = "intern kontroll";
        request.per_page = 30;
        const SearchResult result = registry.Search(request);
        ASSERT_EQ(result.hits.size(), static_cast<std::size_t>(scattered) + 1);
        // Each scattered text has both words twice, the phrase's text once each: it weighs
        // less than any of them.
        const std::size_t holder = scattered < 20 ? 0 : result.hits.size() - 1;
        const std::size_t other = holder == 0 ? 1 : 0;
        EXPECT_EQ(result.hits[holder].id, "fras") << scattered;
        EXPECT_LT(result.hits[holder].weight, result.hits[other].weight) << scattered;
    }
}

// Equally relevant documents come by title, whatever their order in the index, on one page
// and across the edges of smaller pages alike.
TEST(SearcherRelevance, TiesComeByTitleOnEveryPage) {
    testing::TestRegistry registry;
    std::vector<std::pair<core::Metadata, std::string>> documents;
    // Ids in one order, titles in the other; three documents say the word twice.
    const std::vector<std::string> letters = {"F", "E", "D", "C", "B", "A", "H", "G", "I"};
    for (std::size_t i = 0; i < letters.size(); ++i) {
        documents.push_back({testing::Policy("dok-" + std::to_string(i), "Regel " + letters[i]),
                             i >= 6 ? "Parkering och parkering kostar." : "Parkering kostar."});
    }
    registry.Commit(documents);
    registry.Sync();
    SearchRequest request;
    request.query = "parkering";
    request.per_page = 9;
    std::vector<std::string> titles;
    for (const Hit& hit : registry.Search(request).hits) titles.push_back(hit.title);
    EXPECT_EQ(titles,
              (std::vector<std::string>{"Regel G", "Regel H", "Regel I", "Regel A", "Regel B",
                                        "Regel C", "Regel D", "Regel E", "Regel F"}));
    for (std::size_t per_page : {1u, 2u, 4u}) {
        request.per_page = per_page;
        std::vector<std::string> paged;
        for (std::size_t page = 1; paged.size() < titles.size() && page <= 9; ++page) {
            request.page = page;
            for (const Hit& hit : registry.Search(request).hits) paged.push_back(hit.title);
        }
        EXPECT_EQ(paged, titles) << "per_page " << per_page;
    }
}

// A run of ties longer than the matches fetched around a page is ordered by Xapian's own
// sort instead, with the same answer.
TEST(SearcherRelevance, ALongRunOfTiesComesByTitleToo) {
    testing::TestRegistry registry;
    std::vector<std::pair<core::Metadata, std::string>> documents;
    std::vector<std::string> titles;
    for (int i = 0; i < 70; ++i) {
        // Ids count up while titles count down.
        const std::string n = std::to_string(100 + i);
        const std::string title = "Regel " + std::to_string(199 - i);
        documents.push_back({testing::Policy("dok-" + n, title), "Parkering kostar."});
        titles.push_back(title);
    }
    std::sort(titles.begin(), titles.end());
    registry.Commit(documents);
    registry.Sync();
    SearchRequest request;
    request.query = "parkering";
    request.per_page = 20;
    std::vector<std::string> paged;
    for (std::size_t page = 1; page <= 4; ++page) {
        request.page = page;
        for (const Hit& hit : registry.Search(request).hits) paged.push_back(hit.title);
    }
    EXPECT_EQ(paged, titles);
}

// A compound part found in most texts weighs next to nothing; its texts come after those
// that have the word itself, on every page, with and without facets, and are all counted.
// Reads `request` page by page, with and without facets and at several page sizes, and
// expects the pages to follow `order`, the whole ranking, and each to give its length as the
// total (without facets Xapian's estimate, exact on so few texts).
void ExpectEveryPageFollows(testing::TestRegistry& registry, SearchRequest request,
                            const std::vector<std::string>& order) {
    for (bool facets : {true, false}) {
        request.facets = facets;
        for (std::size_t per_page : {1u, 2u, 3u, 4u}) {
            request.per_page = per_page;
            std::vector<std::string> paged;
            for (std::size_t page = 1; page <= order.size() / per_page + 2; ++page) {
                request.page = page;
                SearchResult result = registry.Search(request);
                EXPECT_EQ(result.total, order.size()) << "page " << page;
                for (const Hit& hit : result.hits) paged.push_back(hit.id);
            }
            EXPECT_EQ(paged, order) << "per_page " << per_page << ", facets " << facets;
        }
    }
}

TEST(SearcherRelevance, APartInMostTextsComesAfterTheWord) {
    testing::TestRegistry registry;
    std::vector<std::pair<core::Metadata, std::string>> documents;
    const std::vector<std::string> compounds = {
        "Upphandlingspolicyn gäller.", "Upphandlingsreglerna gäller.", "Se upphandlingspolicyn.",
        "Enligt upphandlingsreglerna.", "Upphandlingspolicyn och taxan."};
    for (std::size_t i = 0; i < compounds.size(); ++i) {
        // Titles before the word texts' in the alphabet: order by title alone would fail.
        documents.push_back(
            {testing::Policy("del-" + std::to_string(i), "A-regel " + std::to_string(i)),
             compounds[i]});
    }
    documents.push_back({testing::Policy("ord-1", "Ö-regel 1"), "Vid upphandling gäller."});
    documents.push_back({testing::Policy("ord-2", "Ö-regel 2"), "Om upphandling i kommunen."});
    registry.Commit(documents);
    registry.Sync();

    SearchRequest request;
    request.query = "upphandling";
    request.per_page = 10;
    const SearchResult all = registry.Search(request);
    EXPECT_EQ(all.total, 7u);
    ASSERT_EQ(all.hits.size(), 7u);
    std::set<std::string> words{all.hits[0].id, all.hits[1].id};
    EXPECT_EQ(words, (std::set<std::string>{"ord-1", "ord-2"}));
    std::vector<std::string> order;
    for (const Hit& hit : all.hits) order.push_back(hit.id);

    ExpectEveryPageFollows(registry, request, order);
}

// A word in most texts: where some texts have it only inside compounds, the Searcher reads
// their short list first and the word's own only when the page needs it (FetchOutweighing).
// Every page must be what the whole ranking gives, read with facets (which read every match).
TEST(SearcherRelevance, AWordInMostTextsRanksAsTheWholeQueryDoes) {
    testing::TestRegistry registry;
    std::vector<std::pair<core::Metadata, std::string>> documents;
    for (int i = 0; i < 3; ++i) {
        documents.push_back(
            {testing::Policy("del-" + std::to_string(i), "Upphandlingspolicy " + std::to_string(i)),
             "Upphandlingspolicyn gäller för inköp."});
    }
    for (int i = 0; i < 6; ++i) {
        std::string text = "Denna policy gäller.";
        for (int more = 0; more < i; ++more) text += " Läs policy och riktlinjer om lokaler.";
        documents.push_back(
            {testing::Policy("ord-" + std::to_string(i), "Regel " + std::to_string(i)), text});
    }
    // Found by its doctype's name alone (Policy), which weighs nothing where the word is in
    // most texts, or what the scope of valid_on prefers of it.
    documents.push_back({testing::Policy("namn", "Regel om lokaler"), "Lokaler bokas."});
    registry.Commit(documents);
    registry.Sync();

    for (const char* query : {"policy", "policyn"}) {
        for (std::optional<core::Date> valid_on :
             {std::optional<core::Date>(), std::optional(testing::Day("2024-01-01"))}) {
            SCOPED_TRACE(std::string(query) + (valid_on ? " valid_on" : ""));
            SearchRequest request;
            request.query = query;
            request.valid_on = valid_on;
            request.per_page = 20;
            request.facets = true;
            const SearchResult all = registry.Search(request);
            ASSERT_EQ(all.total, 10u);
            std::vector<std::string> order;
            for (const Hit& hit : all.hits) order.push_back(hit.id);
            EXPECT_EQ(order.back(), "namn");
            ExpectEveryPageFollows(registry, request, order);
        }
    }
}

TEST_F(SearcherTest, HitsAloneLeaveOutFacetsAndSnippets) {
    SearchRequest request;
    request.query = "förvaltningar";
    SearchResult full = Search(request);
    request.facets = false;
    request.snippets = false;
    SearchResult hits = Search(request);
    EXPECT_TRUE(hits.facets.empty());
    ASSERT_EQ(Ids(hits), Ids(full));
    for (const Hit& hit : hits.hits) EXPECT_EQ(hit.snippet, "");
    EXPECT_FALSE(full.facets.empty());
    EXPECT_NE(full.hits[0].snippet, "");
}

}  // namespace
}  // namespace styrdok::indexer

namespace styrdok::indexer {
namespace {

using testing::Day;
using testing::Decided;
using testing::Ids;
using Strings = std::vector<std::string>;

// A registry like the sample corpus, whose documents begin, end, are repealed and replaced
// around the new years 2026 and 2027 (DOMAIN.md, "In force on day D"); the stored status of
// every adopted version but the repeals is gällande.
class SearcherInForceTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        registry_ = std::make_unique<testing::TestRegistry>();
        testing::TestRegistry& r = *registry_;
        core::Metadata budget2025 =
            Decided("budget-2025", "Budget 2025", "2024-11-25", "2025-01-01", "2025-12-31");
        core::Metadata budget2026 =
            Decided("budget-2026", "Budget 2026", "2025-11-24", "2026-01-01", "2026-12-31");
        budget2026.replaces = {"budget-2025"};
        core::Metadata budget2027 =
            Decided("budget-2027", "Budget 2027", "2026-11-16", "2027-01-01", "2027-12-31");
        budget2027.replaces = {"budget-2026"};
        for (core::Metadata* budget : {&budget2025, &budget2026, &budget2027}) {
            budget->doctype = "budget";
        }
        core::Metadata arbetsmiljo =
            Decided("arbetsmiljopolicy", "Arbetsmiljöpolicy", "2021-05-24", "2021-07-01");
        core::Metadata bolagsordning =
            Decided("bolagsordning", "Bolagsordning för Stadsnät AB", "2011-09-26", "2011-10-01");
        bolagsordning.doctype = "bolagsordning";
        core::Metadata bisysslor =
            Decided("regler-bisysslor", "Regler för bisysslor", "2016-05-10", "2016-06-01");
        bisysslor.doctype = "regel";
        core::Metadata medier =
            Decided("riktlinjer-sociala-medier", "Riktlinjer för sociala medier", "2013-04-09",
                    "2013-05-01");
        medier.doctype = "riktlinje";
        core::Metadata kommunikation =
            Decided("kommunikationspolicy", "Kommunikationspolicy", "2019-09-23", "2019-10-01");
        kommunikation.replaces = {"riktlinjer-sociala-medier"};
        core::Metadata kontroll =
            Decided("reglemente-intern-kontroll", "Reglemente för intern kontroll", "2019-11-25",
                    "2020-01-01");
        core::Metadata styrning =
            Decided("reglemente-intern-styrning", "Reglemente för intern styrning och kontroll",
                    "2026-11-16", "2027-01-01");
        styrning.replaces = {"reglemente-intern-kontroll"};
        for (core::Metadata* reglemente : {&kontroll, &styrning})
            reglemente->doctype = "reglemente";
        core::Metadata visselblasning = testing::Policy("rutin-visselblasning", "Visselblåsning");
        visselblasning.doctype = "rutin";
        visselblasning.status = core::Status::kDraft;
        visselblasning.decided_on.reset();

        r.Commit({{budget2025, "Budget för år 2025."},
                  {budget2026, "Budget för år 2026."},
                  {budget2027, "Budget för år 2027."},
                  {arbetsmiljo, "Kommunens arbetsmiljö."},
                  {bolagsordning, "Bolagets verksamhet."},
                  {bisysslor, "Bisysslor anmäls."},
                  {medier, "Sociala medier."},
                  {kommunikation, "Kommunens kommunikation."},
                  {kontroll, "Intern kontroll."},
                  {styrning, "Intern styrning och kontroll."}},
                 "Första dokumenten");
        r.CommitDraft(visselblasning, "Utkast om visselblåsning.");
        arbetsmiljo_v1_ = r.store().Read("arbetsmiljopolicy")->version;
        // A revision decided for the new year, a repeal with a last day, one without.
        arbetsmiljo.decided_on = Day("2026-11-16");
        arbetsmiljo.valid_from = Day("2027-01-01");
        bolagsordning.status = core::Status::kRepealed;
        bolagsordning.valid_to = Day("2026-06-30");
        bisysslor.status = core::Status::kRepealed;
        arbetsmiljo_v2_ = r.Commit({{arbetsmiljo, "Kommunens arbetsmiljö, reviderad."},
                                    {bolagsordning, "Bolagets verksamhet."},
                                    {bisysslor, "Bisysslor anmäls."}},
                                   "Beslut i november");
        r.Sync(false, "index", Day("2026-12-06"));
    }

    static void TearDownTestSuite() { registry_.reset(); }

    static inline std::unique_ptr<testing::TestRegistry> registry_;
    static inline std::string arbetsmiljo_v1_;
    static inline std::string arbetsmiljo_v2_;
};

// What the default search finds on each side of every boundary of the registry, the morning
// after without any write, whichever day the index placed its versions by: a day before the
// one asked (the current versions' database answers), or after it (both databases do).
TEST_F(SearcherInForceTest, DefaultSearchFindsWhatIsInForceOnTheDayAsked) {
    const struct {
        const char* day;
        Strings ids;
    } cases[] = {
        {"2025-12-31",
         {"arbetsmiljopolicy", "bolagsordning", "budget-2025", "kommunikationspolicy",
          "reglemente-intern-kontroll"}},
        {"2026-01-01",
         {"arbetsmiljopolicy", "bolagsordning", "budget-2026", "kommunikationspolicy",
          "reglemente-intern-kontroll"}},
        {"2026-06-30",
         {"arbetsmiljopolicy", "bolagsordning", "budget-2026", "kommunikationspolicy",
          "reglemente-intern-kontroll"}},
        {"2026-07-01",
         {"arbetsmiljopolicy", "budget-2026", "kommunikationspolicy",
          "reglemente-intern-kontroll"}},
        {"2026-12-06",
         {"arbetsmiljopolicy", "budget-2026", "kommunikationspolicy",
          "reglemente-intern-kontroll"}},
        {"2026-12-31",
         {"arbetsmiljopolicy", "budget-2026", "kommunikationspolicy",
          "reglemente-intern-kontroll"}},
        {"2027-01-01",
         {"arbetsmiljopolicy", "budget-2027", "kommunikationspolicy",
          "reglemente-intern-styrning"}},
        {"2028-01-01", {"arbetsmiljopolicy", "kommunikationspolicy", "reglemente-intern-styrning"}},
    };
    int n = 0;
    for (const char* placed : {"2020-01-01", "2026-12-06", "2026-12-31", "2030-01-01"}) {
        SCOPED_TRACE(std::string("placed by ") + placed);
        const std::string index = "placed-" + std::to_string(n++);
        registry_->Sync(true, index.c_str(), Day(placed));
        for (const auto& c : cases) {
            SCOPED_TRACE(c.day);
            for (bool facets : {true, false}) {
                SearchRequest request;
                request.today = Day(c.day);
                request.facets = facets;
                request.include_restricted = true;
                const SearchResult result = registry_->Search(request, index.c_str());
                EXPECT_EQ(Ids(result), c.ids);
                EXPECT_EQ(result.total, c.ids.size());
                for (const Hit& hit : result.hits) {
                    EXPECT_EQ(hit.state, "gällande") << hit.id;
                    if (hit.id == "arbetsmiljopolicy") {
                        EXPECT_EQ(hit.version, std::string(c.day) < "2027-01-01" ? arbetsmiljo_v1_
                                                                                 : arbetsmiljo_v2_);
                    }
                }
                // The same day asked as valid_on finds the same.
                request.today.reset();
                request.valid_on = Day(c.day);
                EXPECT_EQ(Ids(registry_->Search(request, index.c_str())), c.ids);
            }
        }
    }
}

TEST_F(SearcherInForceTest, StatusIsTheStateOnTheDayAsked) {
    using Counts = std::map<std::string, std::size_t>;
    const struct {
        const char* status;
        Strings ids;
    } cases[] = {
        {"",
         {"arbetsmiljopolicy", "budget-2026", "kommunikationspolicy",
          "reglemente-intern-kontroll"}},
        {"gällande",
         {"arbetsmiljopolicy", "budget-2026", "kommunikationspolicy",
          "reglemente-intern-kontroll"}},
        {"ej i kraft än", {"budget-2027", "reglemente-intern-styrning"}},
        {"Upphört", {"budget-2025", "riktlinjer-sociala-medier"}},
        {"upphävd", {"bolagsordning", "regler-bisysslor"}},
        {"utkast", {"rutin-visselblasning"}},
        {"alla",
         {"arbetsmiljopolicy", "bolagsordning", "budget-2025", "budget-2026", "budget-2027",
          "kommunikationspolicy", "reglemente-intern-kontroll", "reglemente-intern-styrning",
          "regler-bisysslor", "riktlinjer-sociala-medier", "rutin-visselblasning"}},
    };
    const Counts states = {
        {"ej i kraft än", 2}, {"gällande", 4}, {"upphävd", 2}, {"upphört", 2}, {"utkast", 1}};
    for (const auto& c : cases) {
        SCOPED_TRACE(c.status);
        SearchRequest request;
        request.status = c.status;
        request.today = Day("2026-12-06");
        request.include_restricted = true;
        request.per_page = 100;
        SearchResult result = registry_->Search(request);
        EXPECT_EQ(Ids(result), c.ids);
        // The facet counts every document by its state, whatever the status filter.
        EXPECT_EQ(result.facets["status"], states);
        const std::string asked = core::FoldCase(c.status);
        for (const Hit& hit : result.hits) {
            if (asked.empty()) {
                EXPECT_EQ(hit.state, "gällande") << hit.id;
            } else if (asked != "alla") {
                EXPECT_EQ(hit.state, asked) << hit.id;
            }
        }
    }
    // Each hit says what was decided and what holds on the day asked.
    SearchRequest request;
    request.status = "alla";
    request.today = Day("2026-12-06");
    for (const Hit& hit : registry_->Search(request).hits) {
        if (hit.id == "budget-2025") {
            EXPECT_EQ(hit.status, "gällande");
            EXPECT_EQ(hit.state, "upphört");
        }
        if (hit.id == "bolagsordning") {
            EXPECT_EQ(hit.status, "upphävd");
            EXPECT_EQ(hit.state, "upphävd");
        }
        EXPECT_NE(hit.id, "rutin-visselblasning") << "a draft for a reader without rights";
    }
    // On another day the same documents count under other states.
    request.today = Day("2027-01-01");
    EXPECT_EQ(registry_->Search(request).facets["status"],
              (Counts{{"gällande", 4}, {"upphävd", 2}, {"upphört", 4}}));
}

// The default scope counts the status facet over every version shown, as status alla does,
// whichever day the index placed its versions by, with or without a text, a phrase, another
// facet's filter or drafts; the versions in force are the page's total.
TEST_F(SearcherInForceTest, StatusFacetOfTheDefaultScopeCountsEveryStateShown) {
    const char* const days[] = {"2025-12-31", "2026-01-01", "2026-06-30", "2026-07-01",
                                "2026-12-06", "2026-12-31", "2027-01-01", "2028-01-01"};
    const char* const queries[] = {"",
                                   "budget",
                                   "kommunens",
                                   "kontroll",
                                   "intern kontroll",
                                   "\"intern kontroll\"",
                                   "bisysslor",
                                   "\"sociala medier\"",
                                   "visselblåsning"};
    const Strings doctypes[] = {{}, {"budget"}, {"reglemente"}, {"bolagsordning", "regel"}};
    int n = 0;
    for (const char* placed : {"2020-01-01", "2026-12-06", "2026-12-31", "2030-01-01"}) {
        SCOPED_TRACE(std::string("placed by ") + placed);
        const std::string index = "status-placed-" + std::to_string(n++);
        registry_->Sync(true, index.c_str(), Day(placed));
        // One searcher for the index: opening one for each search was most of the test's time.
        const Searcher searcher =
            Searcher::Open(registry_->IndexDir(index.c_str()), registry_->schema());
        for (const char* day : days) {
            SCOPED_TRACE(day);
            for (const char* query : queries) {
                SCOPED_TRACE(query);
                for (const Strings& doctype : doctypes) {
                    SCOPED_TRACE(::testing::PrintToString(doctype));
                    for (bool restricted : {false, true}) {
                        SCOPED_TRACE(restricted ? "may see drafts" : "public only");
                        SearchRequest request;
                        request.query = query;
                        request.today = Day(day);
                        request.doctype = doctype;
                        request.include_restricted = restricted;
                        SearchResult in_force = searcher.Search(request);
                        request.status = "alla";
                        SearchResult every = searcher.Search(request);
                        EXPECT_EQ(in_force.facets["status"], every.facets["status"]);
                        const auto& states = in_force.facets["status"];
                        const auto gallande = states.find("gällande");
                        EXPECT_EQ(gallande == states.end() ? 0 : gallande->second, in_force.total);
                    }
                }
            }
        }
    }
}

TEST_F(SearcherInForceTest, ValidOnWithAStatusAsksForTheStateOnThatDay) {
    SearchRequest request;
    request.valid_on = Day("2025-06-01");
    request.status = "ej i kraft än";
    EXPECT_EQ(Ids(registry_->Search(request)),
              (Strings{"budget-2026", "budget-2027", "reglemente-intern-styrning"}));
    request.status = "upphört";
    EXPECT_EQ(Ids(registry_->Search(request)), (Strings{"riktlinjer-sociala-medier"}));
}

// One anonymous query of many wildcards must not expand to tens of thousands of terms: the
// wildcards share a bound, the most frequent words of each prefix kept (issue 15).
TEST(SearcherWildcards, ManyWildcardsShareOneBound) {
    testing::TestRegistry registry;
    std::vector<std::pair<core::Metadata, std::string>> documents;
    for (int i = 0; i < 40; ++i) {
        const std::string n = std::to_string(100 + i);
        documents.push_back({testing::Policy("policy-" + n, "Policy " + n),
                             "Texten nämner kvotord" + n + " en gång."});
    }
    registry.Commit(documents);
    registry.Sync();
    SearchRequest request;
    request.per_page = 100;
    request.query = "kvotord*";
    EXPECT_EQ(registry.Search(request).total, 40u);
    // 150 wildcards in one query: each may expand to a few words only.
    request.query = "kvotord*";
    for (int i = 0; i < 149; ++i) request.query += " OR x" + std::to_string(i) + "*";
    const SearchResult bounded = registry.Search(request);
    EXPECT_GT(bounded.total, 0u);
    EXPECT_LE(bounded.total, 10u);
}

// Drafts live on refs/drafts (store/README.md), beside the version in force: one draft of a
// revision, one of a new document. Only those who may see drafts find them, as the document's
// one draft next to the version that stands for it; everyone else finds the decided version
// alone, once, in every status.
TEST(SearcherDrafts, OnlyThoseWhoMaySeeDraftsFindThemBesideTheDecidedVersion) {
    testing::TestRegistry registry;
    core::Metadata kassa = Policy("kassapolicy", "Kassapolicy");
    const std::string decided = registry.Commit(kassa, "Kassan stäms av varje vecka.");
    kassa.status = core::Status::kDraft;
    const std::string revision =
        registry.CommitDraft(kassa, "Kassan stäms av varje dag. Kvittona sparas.");
    core::Metadata mutor = Policy("mutor", "Policy mot mutor");
    mutor.status = core::Status::kDraft;
    mutor.decided_on.reset();
    const std::string created = registry.CommitDraft(mutor, "Mutor tas aldrig emot.");
    registry.Sync();

    const std::string kassa_decided = "kassapolicy@" + decided;
    const std::string kassa_draft = "kassapolicy@" + revision;
    const std::string mutor_draft = "mutor@" + created;
    struct Case {
        const char* name;
        std::string status;
        std::string query;
        std::optional<core::Date> valid_on;
        Strings everyone;  // the public's and a reader's (include_drafts false)
        Strings drafts;    // with every right
    };
    const std::vector<Case> cases = {
        {"default", "", "", {}, {kassa_decided}, {kassa_decided}},
        {"gällande", "gällande", "", {}, {kassa_decided}, {kassa_decided}},
        {"valid_on", "", "", Day("2024-01-01"), {kassa_decided}, {kassa_decided}},
        {"alla", "alla", "", {}, {kassa_decided}, {kassa_decided, kassa_draft, mutor_draft}},
        {"utkast", "utkast", "", {}, {}, {kassa_draft, mutor_draft}},
        {"utkast on a day", "utkast", "", Day("2010-01-01"), {}, {kassa_draft, mutor_draft}},
        {"upphävd", "upphävd", "", {}, {}, {}},
        {"alla, a word of both",
         "alla",
         "kassan",
         {},
         {kassa_decided},
         {kassa_decided, kassa_draft}},
        {"alla, a word of the draft only", "alla", "kvittona", {}, {}, {kassa_draft}},
        {"default, a word of the draft only", "", "kvittona", {}, {}, {}},
        {"status: in the query", "", "status:utkast", {}, {}, {kassa_draft, mutor_draft}},
    };
    for (const Case& c : cases) {
        for (int rights = 0; rights < 3; ++rights) {
            SCOPED_TRACE(std::string(c.name) + ", rights " + std::to_string(rights));
            SearchRequest request;
            request.status = c.status;
            request.query = c.query;
            request.valid_on = c.valid_on;
            request.include_restricted = rights > 0;
            request.include_drafts = rights > 1;
            const SearchResult result = registry.Search(request);
            Strings expected = rights > 1 ? c.drafts : c.everyone;
            std::sort(expected.begin(), expected.end());
            EXPECT_EQ(testing::IdsAndVersions(result), expected);
            EXPECT_EQ(result.total, expected.size());
        }
    }

    SearchRequest alla;
    alla.status = "alla";
    using Counts = std::map<std::string, std::size_t>;
    EXPECT_EQ(registry.Search(alla).facets["status"], (Counts{{"gällande", 1}}));
    alla.include_restricted = true;
    EXPECT_EQ(registry.Search(alla).facets["status"], (Counts{{"gällande", 1}, {"utkast", 2}}));
    // The status facet counts drafts beside the documents in force it is asked for.
    SearchRequest in_force;
    in_force.include_restricted = true;
    EXPECT_EQ(registry.Search(in_force).facets["status"], (Counts{{"gällande", 1}, {"utkast", 2}}));
    // The draft stands for itself: its hit says it is one.
    for (const Hit& hit : registry.Search(alla).hits) {
        if (hit.version == decided) continue;
        EXPECT_EQ(hit.status, "utkast") << hit.id;
        EXPECT_EQ(hit.state, "utkast") << hit.id;
        EXPECT_TRUE(hit.in_force_from.empty()) << hit.id;
    }
}

// A correction is offered when it finds more than the query, also when the query finds one
// or two: the check asks the correction for one match more than the query's total.
TEST(SearcherSpelling, ACorrectionIsOfferedOnlyWhenItFindsMore) {
    testing::TestRegistry registry;
    // Each misspelt word is in one document; its correction in as many as the table says.
    registry.Commit({{Policy("lika-a", "Lika a"), "Ordet qorblux står här."},
                     {Policy("lika-b", "Lika b"), "Ordet qorbluxx står där."},
                     {Policy("fler-a", "Fler a"), "Ordet vimpelk står här."},
                     {Policy("fler-b", "Fler b"), "Ordet vimpelkk står där."},
                     {Policy("fler-c", "Fler c"), "Ordet vimpelkk står också här."}});
    registry.Sync();
    const struct {
        const char* query;
        std::size_t total;
        const char* suggestion;
    } cases[] = {
        {"qorbluxx", 1, ""},         // the correction finds one too
        {"vimpelk", 1, "vimpelkk"},  // the correction finds two
        {"vimpelkx", 0, "vimpelkk"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.query);
        SearchRequest request;
        request.query = c.query;
        const SearchResult result = registry.Search(request);
        EXPECT_EQ(result.total, c.total);
        EXPECT_EQ(result.suggestion, c.suggestion);
    }
}

// A word found only in a draft is nobody's correction: the spelling table holds main's words
// alone, at a sync and at a rebuild (issue 15).
TEST(SearcherDrafts, AWordOnlyADraftHasIsNeverSuggested) {
    testing::TestRegistry registry;
    registry.Commit(Policy("kassapolicy", "Kassapolicy"), "Kassan stäms av varje vecka.");
    registry.Sync();
    core::Metadata stad = Policy("stadrutin", "Städrutin");
    stad.status = core::Status::kDraft;
    stad.decided_on.reset();
    registry.CommitDraft(stad, "Kvastskaften står i skrubben.");
    for (bool rebuild : {false, true}) {
        registry.Sync(rebuild);
        for (int rights = 0; rights < 3; ++rights) {
            SCOPED_TRACE((rebuild ? "rebuilt, rights " : "synced, rights ") +
                         std::to_string(rights));
            SearchRequest request;
            request.query = "kvastskaftem";
            request.status = "alla";
            request.include_restricted = rights > 0;
            request.include_drafts = rights > 1;
            EXPECT_EQ(registry.Search(request).suggestion, "");
        }
    }
    // Once decided, the word is the registry's, and the same misspelling finds it.
    stad.status = core::Status::kInForce;
    stad.decided_on = Day("2024-03-01");
    registry.Adopt(stad);
    registry.Sync();
    SearchRequest request;
    request.query = "kvastskaftem";
    EXPECT_EQ(registry.Search(request).suggestion, "kvastskaften");
}

}  // namespace
}  // namespace styrdok::indexer
