// SwedishLexicon on top of hunspell-sv: base forms and compound splitting, with per-word
// caches so that the cost of hunspell is paid once per distinct word, not per occurrence.

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <hunspell/hunspell.hxx>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "../sharded_cache.hpp"
#include "styrdok/core/error.hpp"
#include "swedish.hpp"

namespace styrdok::indexer::detail {

namespace {

constexpr const char* kDictionaryAff = "/usr/share/hunspell/sv_SE.aff";
constexpr const char* kDictionaryDic = "/usr/share/hunspell/sv_SE.dic";
// hunspell's SPELL_COMPOUND (atypes.hxx, not part of its documented interface): spell()
// accepted the word only by joining dictionary words.
constexpr int kHunspellCompound = 1 << 0;

// Umlaut and other irregular plurals hunspell either lacks or stems to the wrong word
// ("städer" → "städa", "bröder" → "bröd"; "böcker" and "män" are entries of their own).
// Indefinite and definite plural, as both occur in governing documents.
constexpr std::pair<std::string_view, std::string_view> kIrregular[] = {
    {"städer", "stad"},
    {"städerna", "stad"},
    {"böcker", "bok"},
    {"böckerna", "bok"},
    {"män", "man"},
    {"männen", "man"},
    {"fötter", "fot"},
    {"fötterna", "fot"},
    {"bröder", "broder"},
    {"bröderna", "broder"},
    {"länder", "land"},
    {"länderna", "land"},
    {"händer", "hand"},
    {"händerna", "hand"},
    {"tänder", "tand"},
    {"stränder", "strand"},
    {"stränderna", "strand"},
    {"bönder", "bonde"},
    {"bönderna", "bonde"},
    {"döttrar", "dotter"},
    {"döttrarna", "dotter"},
    {"mödrar", "moder"},
    {"fäder", "fader"},
    {"söner", "son"},
    {"sönerna", "son"},
    {"rötter", "rot"},
    {"nätter", "natt"},
    {"tänderna", "tand"},
    {"förhandlingar", "förhandling"},
    {"ledamöter", "ledamot"},
    {"ledamöterna", "ledamot"},
    {"ledamöternas", "ledamot"},
    {"bostäder", "bostad"},
    {"bostäderna", "bostad"},
    {"tjänstemän", "tjänsteman"},
    {"tjänstemännen", "tjänsteman"},
    // Domain words of municipal governance that hunspell-sv lacks or misreads.
    {"styrdokumenten", "styrdokument"},
    {"nämnder", "nämnd"},
    {"nämnderna", "nämnd"},
    {"nämnden", "nämnd"},
    {"nämnds", "nämnd"},
    {"taxor", "taxa"},
    {"taxorna", "taxa"},
    {"policyerna", "policy"},
    {"policys", "policy"},
};

// Derivational suffixes that hunspell also knows as words ("het" hot, "else", "ling" heather,
// "era" era): as the last part of a split they would cut frihet, styrelse, handling, planera.
const std::unordered_set<std::string_view> kNeverLastPart = {
    "het", "heten", "hetens", "heter", "dom",  "domen", "skap", "skapet", "else", "ling",
    "lig", "ligt",  "liga",   "isk",   "iska", "iskt",  "ism",  "ist",    "ande", "ende",
    "era", "are",   "ning",   "ion",   "ell",  "ant",   "ent",  "ens",
};
// Prefixes and prepositions that are words of their own: "tillsyn" is not till|syn,
// "förslag" not för|s|lag.
const std::unordered_set<std::string_view> kNeverFirstPart = {
    "för",  "före",  "över", "under", "efter", "utan", "till", "från", "genom", "inom",
    "utom", "kring", "emot", "innan", "bort",  "upp",  "mot",  "med",  "fram",  "ned",
};

// Parts of a compound in characters. A first part of 4 keeps the commonest false splits of
// three-letter words out (kom|mun, fri|het, för|slag, ord|förande, sam|hälle); later parts may
// have 3, as Swedish compounds end in lag, råd, län, bok, plan-like short words.
constexpr std::size_t kMinFirstPart = 4;
constexpr std::size_t kMinLaterPart = 3;
// Words each of the lexicon's caches keeps at most: memory stays bounded on any vocabulary.
constexpr std::size_t kMaxCachedWords = std::size_t{1} << 19;

bool IsLeadByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

std::size_t CodePoints(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), IsLeadByte));
}

// Hunspell is not used for tokens that are not plain words (numbers, dnr pieces, "§").
bool IsPlainWord(std::string_view word) {
    if (word.size() < 2) return false;
    return std::none_of(word.begin(), word.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x80 && !(u >= 'a' && u <= 'z');
    });
}

// What hunspell says of one string.
struct WordInfo {
    bool atomic = false;    // a dictionary word (or an inflection of one), not a compound of them
    bool compound = false;  // accepted only as a compound of dictionary words
    std::string base;       // the chosen stem when atomic, else empty
};

// One part of a compound: where it is written in the word, and the part minus a linking -s-.
struct Part {
    std::size_t begin;
    std::size_t end;
    std::string word;
};

class HunspellLexicon final : public SwedishLexicon {
public:
    HunspellLexicon(const char* aff, const char* dic) : hunspell_(aff, dic) {
        for (const auto& [form, base] : kIrregular) irregular_.emplace(form, base);
    }

    std::string BaseForm(std::string_view word) const override {
        if (!IsPlainWord(word)) return std::string(word);
        return base_forms_.Get(word, [&] { return ComputeBaseForm(word); });
    }

    std::vector<std::string> SplitCompound(std::string_view word) const override {
        // An inflected form of a dictionary word whose base form is no compound is no
        // compound either, though its letters may spell two words: "nämnden" (nämnd) is not
        // nämn|den. "kommunstyrelsen" (kommunstyrelse = kommun|styrelse) still splits.
        if (const WordInfo info = Info(word);
            info.atomic && info.base != word && Split(info.base).empty()) {
            return {};
        }
        std::vector<std::string> words;
        for (Part& part : Split(word)) words.push_back(std::move(part.word));
        return words;
    }

private:
    std::string ComputeBaseForm(std::string_view word) const {
        if (auto it = irregular_.find(word); it != irregular_.end()) return std::string(it->second);
        WordInfo info = Info(word);
        if (info.atomic) return info.base;
        // Hunspell's stems of a compound are unreliable ("hållbarhetsprogrammet" → "program"):
        // keep the compound as written and inflect only its last part.
        std::vector<Part> parts = Split(word);
        if (parts.empty()) return std::string(word);
        const Part& last = parts.back();
        return std::string(word.substr(0, last.begin)) + BaseForm(word.substr(last.begin));
    }

    WordInfo Info(std::string_view word) const {
        return infos_.Get(word, [&] {
            WordInfo info;
            std::string w(word);
            if (irregular_.contains(word)) {
                info.atomic = true;
                info.base = std::string(irregular_.at(word));
                return info;
            }
            std::lock_guard lock(hunspell_mutex_);
            int flags = 0;
            if (!hunspell_.spell(w, &flags)) return info;
            if (flags & kHunspellCompound) {
                info.compound = true;
                return info;
            }
            info.atomic = true;
            info.base = ChooseStem(w, hunspell_.stem(w));
            return info;
        });
    }

    // The word itself when it is one of its stems (so "kvalitet", "avfall" stay), else the
    // shortest, then the first in byte order: the same choice on every run.
    static std::string ChooseStem(const std::string& word, std::vector<std::string> stems) {
        if (stems.empty() || std::find(stems.begin(), stems.end(), word) != stems.end()) {
            return word;
        }
        return *std::min_element(stems.begin(), stems.end(), [](const auto& a, const auto& b) {
            return a.size() != b.size() ? a.size() < b.size() : a < b;
        });
    }

    // A dictionary word in its base form: compounds join base forms ("kurs" in kursplan),
    // never inflected ones ("förs" in förslag is a verb form of föra).
    bool IsLemma(std::string_view text) const {
        const WordInfo info = Info(text);
        return info.atomic && info.base == text;
    }

    // A part that is not last, as the base form it stands for: the word as written
    // ("intern"), or a word and its linking letter: -s- ("hållbarhets" → hållbarhet,
    // "arbets" → arbete), a dropped or changed -a ("skol" → skola, "gatu" → gata), a
    // dropped -e ("ägar" → ägare).
    std::optional<std::string> MiddlePart(std::string_view text, std::size_t min) const {
        if (CodePoints(text) < min) return std::nullopt;
        if (IsLemma(text)) return std::string(text);
        std::string_view bare = text.substr(0, text.size() - 1);
        if (text.back() == 's') {
            if (IsLemma(bare)) return std::string(bare);
            if (std::string e = std::string(bare) + "e"; IsLemma(e)) return e;
        }
        if (std::string a = std::string(text) + "a"; IsLemma(a)) return a;
        if (std::string e = std::string(text) + "e"; IsLemma(e)) return e;
        if (text.back() == 'u' || text.back() == 'o') {
            if (std::string a = std::string(bare) + "a"; IsLemma(a)) return a;
        }
        return std::nullopt;
    }

    bool LastPart(std::string_view text) const {
        return CodePoints(text) >= kMinLaterPart && !kNeverLastPart.contains(text) &&
               Info(text).atomic;
    }

    std::vector<Part> Split(std::string_view word) const {
        if (!IsPlainWord(word) || CodePoints(word) < kMinFirstPart + kMinLaterPart) return {};
        return splits_.Get(word, [&] { return ComputeSplit(word); });
    }

    // Dynamic programming over the split points: best[i] is the best split of word[i..] into
    // known parts. Fewest parts win (a dictionary word is not cut further: översikt|plan, not
    // över|sikt|plan); among as many parts, the split whose shortest part is longest.
    std::vector<Part> ComputeSplit(std::string_view word) const {
        struct Best {
            std::size_t parts = 0;  // 0: word[i..] cannot be split into known parts
            std::size_t shortest = 0;
            std::size_t next = 0;
            std::string part;
        };
        const std::size_t n = word.size();
        std::vector<Best> best(n + 1);
        for (std::size_t i = n; i-- > 0;) {
            if (!IsLeadByte(word[i])) continue;
            // A first part has kMinFirstPart code points at least, so no split goes through
            // the points before: their best splits, hunspell asked of the longest suffixes and
            // of parts from there, would never be read.
            if (i > 0 && CodePoints(word.substr(0, i)) < kMinFirstPart) continue;
            const std::size_t min = i == 0 ? kMinFirstPart : kMinLaterPart;
            std::string_view rest = word.substr(i);
            if (i > 0 && LastPart(rest)) best[i] = {1, CodePoints(rest), n, std::string(rest)};
            for (std::size_t j = i + 1; j < n; ++j) {
                if (!IsLeadByte(word[j]) || best[j].parts == 0) continue;
                std::string_view text = word.substr(i, j - i);
                const std::size_t parts = best[j].parts + 1;
                if (best[i].parts != 0 && parts > best[i].parts) continue;
                std::optional<std::string> part = MiddlePart(text, min);
                if (!part || (i == 0 && kNeverFirstPart.contains(*part))) continue;
                const std::size_t shortest = std::min(best[j].shortest, CodePoints(text));
                if (best[i].parts == 0 || parts < best[i].parts || shortest > best[i].shortest) {
                    best[i] = {parts, shortest, j, *std::move(part)};
                }
            }
        }
        std::vector<Part> parts;
        for (std::size_t i = 0; i < n && best[i].parts != 0; i = best[i].next) {
            parts.push_back({i, best[i].next, best[i].part});
        }
        if (parts.size() < 2) return {};
        return parts;
    }

    mutable std::mutex hunspell_mutex_;  // Hunspell keeps state between calls
    mutable Hunspell hunspell_;
    std::unordered_map<std::string_view, std::string_view> irregular_;
    ShardedCache<std::string> base_forms_{kMaxCachedWords};
    ShardedCache<WordInfo> infos_{kMaxCachedWords};
    ShardedCache<std::vector<Part>> splits_{kMaxCachedWords};
};

}  // namespace

std::shared_ptr<const SwedishLexicon> SwedishLexicon::Default() {
    static const std::shared_ptr<const SwedishLexicon> lexicon = [] {
        if (!std::filesystem::exists(kDictionaryAff) || !std::filesystem::exists(kDictionaryDic)) {
            throw Error(ErrorCode::kInternal, std::string("the Swedish dictionary is missing (") +
                                                  kDictionaryDic + "); install hunspell-sv");
        }
        return std::make_shared<const HunspellLexicon>(kDictionaryAff, kDictionaryDic);
    }();
    return lexicon;
}

}  // namespace styrdok::indexer::detail
