#include "snippet.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace styrdok::indexer::detail {
namespace {

// Marks shown as brackets, so that expectations read as text.
constexpr std::string_view kStart = "[";
constexpr std::string_view kEnd = "]";
constexpr std::string_view kOmit = "…";

std::string Cut(const std::string& text, const Xapian::Query& query, std::size_t bytes = 200) {
    const SnippetTerms terms(query, [](const std::string&) { return 1.0; });
    StemMemo stems(Xapian::Stem("swedish"));
    return CutSnippet(text, terms, stems, bytes, kStart, kEnd, kOmit);
}

Xapian::Query Stem(const std::string& word) {
    return Xapian::Query("Z" + Xapian::Stem("swedish")(word));
}

Xapian::Query Phrase(const std::vector<std::string>& words) {
    std::vector<Xapian::Query> parts(words.begin(), words.end());
    return Xapian::Query(Xapian::Query::OP_PHRASE, parts.begin(), parts.end());
}

TEST(CutSnippet, MarksEveryFormOfAQueryWord) {
    const struct {
        Xapian::Query query;
        std::string text;
        std::string snippet;
    } cases[] = {
        {Stem("förvaltning"), "Alla förvaltningar ska ha en plan.",
         "Alla [förvaltningar] ska ha en plan."},
        {Xapian::Query("Policy"), "Denna policy gäller.", "Denna policy gäller."},
        {Xapian::Query("policy"), "Denna Policy gäller.", "Denna [Policy] gäller."},
        {Xapian::Query(Xapian::Query::OP_WILDCARD, "upphand"), "Om upphandling och upphandlare.",
         "Om [upphandling] och [upphandlare]."},
        {Phrase({"hot", "och", "våld"}), "Hot och  våld, och hot.", "[Hot och våld], och hot."},
        {Xapian::Query("XTYPEpolicy"), "Ingen träff här.\nAndra raden.",
         "Ingen träff här. Andra raden."},
        {Stem("åtgärd"), "ÅTGÄRDER och Åtgärder.", "[ÅTGÄRDER] och [Åtgärder]."},
        {Xapian::Query("över"), "Över och ÖVER.", "[Över] och [ÖVER]."},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        EXPECT_EQ(Cut(c.text, c.query), c.snippet);
    }
}

TEST(CutSnippet, ChoosesThePartWithTheMostQueryWords) {
    std::string text = "Om budget. ";
    for (int i = 0; i < 30; ++i) text += "fyllnad ord här. ";
    text += "Här möts budget och skola i samma mening. ";
    for (int i = 0; i < 30; ++i) text += "mer fyllnad utan slut ";
    const std::string snippet =
        Cut(text, Xapian::Query(Xapian::Query::OP_AND, Stem("budget"), Stem("skola")), 80);
    EXPECT_NE(snippet.find("[budget] och [skola]"), std::string::npos) << snippet;
    // Cut at a sentence's start before the match, mid-sentence after it.
    EXPECT_EQ(snippet.rfind("Här möts", 0), 0u) << snippet;
    EXPECT_EQ(snippet.substr(snippet.size() - kOmit.size()), kOmit) << snippet;
}

TEST(CutSnippet, StaysWithinItsLengthAndNeverSplitsAWord) {
    std::string text;
    for (int i = 0; i < 200; ++i) text += "ärende " + std::to_string(i) + " åtgärd ";
    for (std::size_t bytes : {20u, 60u, 200u}) {
        SCOPED_TRACE(bytes);
        std::string snippet = Cut(text, Stem("åtgärd"), bytes);
        // Without marks and cuts, the snippet is the text's own, and no longer than asked.
        std::string plain;
        for (char c : snippet) {
            if (c != '[' && c != ']') plain += c;
        }
        if (plain.starts_with(kOmit)) plain.erase(0, kOmit.size());
        if (plain.ends_with(kOmit)) plain.erase(plain.size() - kOmit.size());
        EXPECT_LE(plain.size(), bytes);
        EXPECT_NE(text.find(plain), std::string::npos) << plain;
        EXPECT_NE(snippet.find("[åtgärd]"), std::string::npos) << snippet;
    }
}

TEST(CutSnippet, NearTheEndTheRoomGoesBefore) {
    std::string text;
    for (int i = 0; i < 40; ++i) text += "ord ";
    text += "slutet";
    const std::string snippet = Cut(text, Xapian::Query("slutet"), 40);
    EXPECT_EQ(snippet.substr(snippet.size() - 8), "[slutet]") << snippet;
    EXPECT_GE(snippet.size(), 36u) << snippet;
}

// Swedish Snowball, counting the words it is asked to stem.
class CountingStem final : public Xapian::StemImplementation {
public:
    explicit CountingStem(std::size_t& asked) : asked_(asked) {}
    std::string operator()(const std::string& word) override {
        ++asked_;
        return swedish_(word);
    }
    std::string get_description() const override { return "counting"; }

private:
    std::size_t& asked_;
    Xapian::Stem swedish_{"swedish"};
};

TEST(StemMemo, StemsAsItsStemmerAskingItOnceAWord) {
    std::size_t asked = 0;
    StemMemo memo(Xapian::Stem(new CountingStem(asked)));
    const Xapian::Stem swedish("swedish");
    for (int round = 0; round < 3; ++round) {
        for (const std::string word : {"budgetar", "skolor", "och", "åtgärderna"}) {
            SCOPED_TRACE(word);
            EXPECT_EQ(memo.Of(word, SnippetTerms::HashWord(word)), swedish(word));
        }
    }
    EXPECT_EQ(asked, 4u);
}

TEST(CutSnippet, StemsEachWordOnceForAPagesSnippets) {
    const Xapian::Query query(Xapian::Query::OP_AND, Stem("budget"), Xapian::Query("skola"));
    const std::string texts[] = {
        "Budgeten för skola och budget för vård.",
        "Skola, vård och budgetar; vård och skola.",
    };
    std::size_t asked = 0;
    // A new StemMemo for each cut, so that only the page's terms can remember a word.
    const auto counting = [&] { return StemMemo(Xapian::Stem(new CountingStem(asked))); };
    const SnippetTerms page(query, [](const std::string&) { return 1.0; });
    for (const std::string& text : texts) {
        SCOPED_TRACE(text);
        // Alike whether its terms have met the words before or not.
        const SnippetTerms fresh(query, [](const std::string&) { return 1.0; });
        StemMemo swedish(Xapian::Stem("swedish"));
        const std::string alone = CutSnippet(text, fresh, swedish, 200, kStart, kEnd, kOmit);
        StemMemo stems = counting();
        EXPECT_EQ(CutSnippet(text, page, stems, 200, kStart, kEnd, kOmit), alone);
    }
    StemMemo stems = counting();
    EXPECT_EQ(CutSnippet(texts[0], page, stems, 200, kStart, kEnd, kOmit),
              "[Budgeten] för [skola] och [budget] för vård.");
    // The distinct words that are not an exact term: budgeten, för, och, budget, vård,
    // budgetar; "skola" is one, and a word's other case is the same word.
    EXPECT_EQ(asked, 6u);
}

TEST(CutSnippet, LooksUpWordsOfAtMost64Bytes) {
    const std::string a62(62, 'a');
    const struct {
        std::string word;  ///< lower-cased, the query's term
        std::string text;
        bool marked;
    } cases[] = {
        {std::string(64, 'a'), std::string(64, 'A'), true},
        {std::string(65, 'a'), std::string(65, 'a'), false},
        // Lower-cased in place ("å" stays two bytes) and otherwise ("Å" → "å").
        {"å" + a62, "å" + a62, true},
        {"å" + a62, "Å" + a62, true},
        {"å" + a62 + "a", "Å" + a62 + "a", false},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        const std::string text = "Före " + c.text + " efter.";
        EXPECT_EQ(Cut(text, Xapian::Query(c.word)) == "Före [" + c.text + "] efter.", c.marked);
    }
}

TEST(SnippetTerms, AnswersAlikeWhenItHasMetManyWords) {
    // More words than it remembers at once (1 << 16), so that it grows and starts again.
    const std::vector<Xapian::Query> parts = {Stem("budget"), Xapian::Query("w777"),
                                              Phrase({"w5", "w6"})};
    const Xapian::Query query(Xapian::Query::OP_OR, parts.begin(), parts.end());
    const SnippetTerms terms(query, [](const std::string&) { return 1.0; });
    std::size_t asked = 0;
    const auto stem = [&](std::string_view word, std::uint64_t) -> std::string {
        ++asked;
        return Xapian::Stem("swedish")(std::string(word));
    };
    for (int round = 0; round < 2; ++round) {
        for (int i = 0; i < 100000; ++i) {
            const std::string word = "w" + std::to_string(i);
            const SnippetTerms::WordMatch match = terms.Match(word, stem);
            ASSERT_EQ(match.term, i == 777 ? 1 : -1) << word;
            ASSERT_EQ(match.phrase, i == 5 ? 0 : i == 6 ? 1 : -1) << word;
        }
        const SnippetTerms::WordMatch budget = terms.Match("budgetar", stem);
        EXPECT_EQ(budget.term, 0);
        EXPECT_EQ(terms.Match("budgetar", stem).term, 0);
    }
    // Each word not an exact term is stemmed once until the memo starts again, at 1 << 16.
    EXPECT_GE(asked, 2 * 100000u);
    EXPECT_LE(asked, 2 * 100001u);
}

TEST(SnippetTerms, KnowsTheWordsCutSnippetAskedAbout) {
    // CutSnippet hashes each word as it lower-cases it; Match hashes it whole: alike, or the
    // words would be stemmed again.
    const SnippetTerms terms(Stem("åtgärd"), [](const std::string&) { return 1.0; });
    std::size_t asked = 0;
    StemMemo counting(Xapian::Stem(new CountingStem(asked)));
    EXPECT_EQ(CutSnippet("Åtgärder för Skolor", terms, counting, 200, kStart, kEnd, kOmit),
              "[Åtgärder] för Skolor");
    EXPECT_EQ(asked, 3u);
    const auto stem = [&](std::string_view word, std::uint64_t) {
        ++asked;
        return Xapian::Stem("swedish")(std::string(word));
    };
    for (const std::string word : {"åtgärder", "för", "skolor"}) {
        SCOPED_TRACE(word);
        EXPECT_EQ(terms.Match(word, stem).term, word == "åtgärder" ? 0 : -1);
    }
    EXPECT_EQ(asked, 3u);
}

}  // namespace
}  // namespace styrdok::indexer::detail
