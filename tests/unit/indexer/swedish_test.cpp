#include "swedish/swedish.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "terms.hpp"
#include "test_registry.hpp"

namespace styrdok::indexer::detail {
namespace {

using Strings = std::vector<std::string>;

const SwedishLexicon& Lexicon() { return *SwedishLexicon::Default(); }

std::string Stem(const std::string& word) {
    static const Xapian::Stem stem = MakeSwedishStem(SwedishLexicon::Default());
    return stem(word);
}

TEST(SwedishStem, InflectionsMeetTheirBaseForm) {
    const std::vector<Strings> groups = {
        {"program", "programmet", "programmen", "programmets"},
        {"styrdokument", "styrdokumentet", "styrdokumenten"},
        {"policy", "policyn", "policyer", "policyerna"},
        {"taxa", "taxan", "taxor"},
        {"reglemente", "reglementet", "reglementen"},
        {"stad", "staden", "städer", "städerna"},
        {"bok", "boken", "böcker", "böckerna"},
        {"man", "mannen", "män", "männen"},
        {"fot", "fötter"},
        {"land", "länder"},
        {"broder", "bröder"},
        {"prognos", "prognoser", "prognosen"},
        {"nämnd", "nämnden", "nämnder"},
        {"riktlinje", "riktlinjer", "riktlinjerna"},
        {"hållbarhetsprogram", "hållbarhetsprogrammet"},
        {"internkontrollplan", "internkontrollplanen"},
    };
    for (const Strings& group : groups) {
        for (const std::string& word : group) {
            SCOPED_TRACE(word);
            EXPECT_EQ(Stem(word), Stem(group.front()));
        }
    }
}

TEST(SwedishStem, LeavesBaseFormsAndUnrelatedWordsApart) {
    for (const char* word : {"kvalitet", "frihet", "paket", "program", "avfall", "kurs"}) {
        SCOPED_TRACE(word);
        EXPECT_EQ(Lexicon().BaseForm(word), word);
    }
    const std::vector<std::pair<const char*, const char*>> apart = {
        {"kvalitet", "kval"}, {"frihet", "fri"},      {"paket", "pak"}, {"städer", "städa"},
        {"bröder", "bröd"},   {"män", "mån"},         {"stad", "städ"}, {"böcker", "bock"},
        {"policy", "polis"},  {"kommun", "kommunal"},
    };
    for (const auto& [a, b] : apart) {
        SCOPED_TRACE(std::string(a) + " / " + b);
        EXPECT_NE(Stem(a), Stem(b));
    }
}

TEST(SwedishStem, LeavesNumbersAndCodesAlone) {
    for (const char* word : {"2024", "ks", "0123", "§", "a"}) {
        SCOPED_TRACE(word);
        EXPECT_EQ(Lexicon().BaseForm(word), word);
    }
}

TEST(SwedishStem, DescribesItselfStably) {
    EXPECT_EQ(MakeSwedishStem(SwedishLexicon::Default()).get_description(),
              "Xapian::Stem(swedish+hunspell)");
}

TEST(SwedishCompounds, SplitsAtDictionaryWordsAndLinkingS) {
    const std::vector<std::pair<const char*, Strings>> cases = {
        // hunspell knows "internkontroll"; AddCompoundParts splits parts of parts in turn.
        {"internkontrollplan", {"internkontroll", "plan"}},
        {"internkontroll", {"intern", "kontroll"}},
        {"arbetsmiljö", {"arbete", "miljö"}},
        {"skolplan", {"skola", "plan"}},
        {"hållbarhetsprogrammet", {"hållbarhet", "programmet"}},
        {"arbetsmiljöpolicyn", {"arbetsmiljö", "policyn"}},
        {"aktualitetsprövning", {"aktualitet", "prövning"}},
        {"avfallstaxa", {"avfall", "taxa"}},
        {"översiktsplan", {"översikt", "plan"}},
        {"kommunstyrelsen", {"kommun", "styrelsen"}},
        {"bolagsordning", {"bolag", "ordning"}},
    };
    for (const auto& [word, parts] : cases) {
        SCOPED_TRACE(word);
        EXPECT_EQ(Lexicon().SplitCompound(word), parts);
    }
}

TEST(SwedishCompounds, LeavesWordsThatAreNotCompoundsWhole) {
    for (const char* word : {"kvalitet", "frihet", "paket", "kommunen", "handling", "utbildning",
                             "styrelse", "planera", "tillsyn", "ordförande", "förslag", "program",
                             "kontroll", "verksamhet", "jämställdhet", "2024", "ks2021",
                             // inflections of simple words whose letters spell two words
                             "nämnden", "nämnder"}) {
        SCOPED_TRACE(word);
        EXPECT_EQ(Lexicon().SplitCompound(word), Strings{});
    }
}

TEST(SwedishCompounds, AddsStemmedPartsAsPartTermsOnceWithWdfOne) {
    const Xapian::Stem stem = MakeSwedishStem(SwedishLexicon::Default());
    Xapian::Document doc;
    doc.add_term("internkontrollplanen", 3);
    doc.add_term("Sarbetsmiljöpolicy", 1);
    doc.add_term("XTYPEinternkontrollplan", 1);
    AddCompoundParts(doc, Lexicon(), stem);
    Strings terms(doc.termlist_begin(), doc.termlist_end());
    for (const char* part : {"intern", "kontroll", "plan"}) {
        std::string term = std::string(kPrefixPart) + stem(part);
        SCOPED_TRACE(term);
        auto it = doc.termlist_begin();
        it.skip_to(term);
        ASSERT_TRUE(it != doc.termlist_end() && *it == term);
        EXPECT_EQ(it.get_wdf(), 1u);
    }
    // A compound inside the compound that its split does not name, with its linking letters.
    EXPECT_NE(
        std::find(terms.begin(), terms.end(), std::string(kPrefixPart) + stem("kontrollplan")),
        terms.end());
    const std::string title_part = std::string(kPrefixPart) + std::string(kPrefixTitle);
    EXPECT_NE(std::find(terms.begin(), terms.end(), title_part + stem("policy")), terms.end());
    EXPECT_NE(std::find(terms.begin(), terms.end(), title_part + stem("miljö")), terms.end());
    // The parts stay apart from the words: "kontroll" the word is only where the text says it.
    for (const char* word : {"intern", "kontroll", "plan", "policy", "miljö"}) {
        EXPECT_EQ(std::find(terms.begin(), terms.end(), "Z" + stem(word)), terms.end()) << word;
    }
    // A boolean field is not text: no parts for it.
    for (const std::string& term : terms) {
        EXPECT_FALSE(term.starts_with(std::string(kPrefixPart) + "XTYPE")) << term;
        EXPECT_FALSE(term.starts_with("ZXTYPE")) << term;
    }
}

TEST(SwedishCompounds, APartThatIsAWordOfTheTextTooAddsToTheWord) {
    const Xapian::Stem stem = MakeSwedishStem(SwedishLexicon::Default());
    Xapian::Document doc;
    doc.add_term("internkontrollplanen", 1);
    doc.add_term("kontroll", 2);
    doc.add_term("Z" + stem("kontroll"), 2);
    AddCompoundParts(doc, Lexicon(), stem);
    Strings terms(doc.termlist_begin(), doc.termlist_end());
    EXPECT_EQ(std::find(terms.begin(), terms.end(), std::string(kPrefixPart) + stem("kontroll")),
              terms.end());
    auto word = doc.termlist_begin();
    word.skip_to("Z" + stem("kontroll"));
    ASSERT_TRUE(word != doc.termlist_end() && *word == "Z" + stem("kontroll"));
    EXPECT_EQ(word.get_wdf(), 3u);
    for (const char* part : {"intern", "plan", "kontrollplan"}) {
        EXPECT_NE(std::find(terms.begin(), terms.end(), std::string(kPrefixPart) + stem(part)),
                  terms.end())
            << part;
    }
}

}  // namespace
}  // namespace styrdok::indexer::detail

namespace styrdok::indexer {
namespace {

using testing::Ids;
using testing::Policy;
using testing::TestRegistry;
using Strings = std::vector<std::string>;

class SwedishSearchTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        registry_ = std::make_unique<TestRegistry>();
        TestRegistry& r = *registry_;
        r.Commit({
            {Policy("kontrollplan", "Rutin för uppföljning"),
             "Förvaltningen följer en internkontrollplan varje år."},
            {Policy("intern", "Riktlinjer för ekonomi"),
             "Nämnden ska ha en intern kontroll av sin ekonomi."},
            {Policy("program", "Kulturens riktlinjer"), "Kommunen antar ett program för kulturen."},
            {Policy("hallbarhet", "Miljöarbete"), "Hållbarhetsprogrammet gäller hela kommunen."},
            {Policy("stader", "Vänorter"), "Kommunen samarbetar med flera städer i Norden."},
            {Policy("internkontroll", "Styrning och uppföljning"),
             "Internkontrollen följs upp av revisorerna."},
        });
        r.Sync();
    }
    static void TearDownTestSuite() { registry_.reset(); }

    static Strings Find(const std::string& query) {
        SearchRequest request;
        request.query = query;
        return Ids(registry_->Search(request));
    }

    static inline std::unique_ptr<TestRegistry> registry_;
};

TEST_F(SwedishSearchTest, APartFindsTheCompound) {
    EXPECT_EQ(Find("kontroll"), (Strings{"intern", "internkontroll", "kontrollplan"}));
    EXPECT_EQ(Find("hållbarhet"), Strings{"hallbarhet"});
}

TEST_F(SwedishSearchTest, ACompoundFindsItsPartsWrittenApart) {
    EXPECT_EQ(Find("internkontroll"), (Strings{"intern", "internkontroll", "kontrollplan"}));
    EXPECT_EQ(Find("internkontrollplan"), Strings{"kontrollplan"});
}

TEST_F(SwedishSearchTest, InflectedFormsFindEachOther) {
    EXPECT_EQ(Find("programmet"), (Strings{"hallbarhet", "program"}));
    EXPECT_EQ(Find("programmen"), (Strings{"hallbarhet", "program"}));
    EXPECT_EQ(Find("stad"), Strings{"stader"});
    EXPECT_EQ(Find("hållbarhetsprogram"), Strings{"hallbarhet"});
}

TEST_F(SwedishSearchTest, TheWholeWordRanksAboveItsParts) {
    SearchRequest request;
    request.query = "internkontroll";
    SearchResult result = registry_->Search(request);
    ASSERT_EQ(result.hits.size(), 3u);
    EXPECT_EQ(result.hits.front().id, "internkontroll");
}

TEST_F(SwedishSearchTest, PhrasesStayExact) {
    EXPECT_EQ(Find("\"intern kontroll\""), Strings{"intern"});
    EXPECT_EQ(Find("\"internkontrollplan varje\""), Strings{"kontrollplan"});
}

}  // namespace
}  // namespace styrdok::indexer
