#include "snippet.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <utility>

namespace styrdok::indexer::detail {

void SnippetTerms::Add(const Xapian::Query& query) {
    const Xapian::Query::op op = query.get_type();
    const std::size_t n = query.get_num_subqueries();
    auto add = [this](const std::string& term, Kind kind) {
        for (const Term& t : terms_) {
            if (t.term == term && t.kind == kind) return;
        }
        terms_.push_back({term, kind});
        if (kind == Kind::kStem) has_stems_ = true;
    };
    if (op == Xapian::Query::LEAF_TERM) {
        if (query.get_terms_begin() == query.get_terms_end()) return;
        const std::string term = *query.get_terms_begin();
        if (term.empty()) return;
        if (term[0] == 'Z' && term.size() > 1) {
            add(term, Kind::kStem);
        } else if (!(term[0] >= 'A' && term[0] <= 'Z')) {
            // Capitals begin the prefixes of fields and boolean terms; words are lower-cased.
            add(term, Kind::kWord);
        }
        return;
    }
    if (op == Xapian::Query::OP_WILDCARD) {
        // Xapian 1.4 names a wildcard's pattern only in its description, "Query(WILDCARD
        // SYNONYM pattern)"; an unprefixed pattern is a word's beginning.
        const std::string description = query.get_description();
        const std::size_t space = description.rfind(' ');
        if (space == std::string::npos || !description.ends_with(')')) return;
        const std::string pattern = description.substr(space + 1, description.size() - space - 2);
        if (!pattern.empty() && !(pattern[0] >= 'A' && pattern[0] <= 'Z')) {
            add(pattern, Kind::kPrefix);
        }
        return;
    }
    if (op == Xapian::Query::OP_PHRASE && n > 1) {
        std::vector<std::string> phrase;
        for (std::size_t i = 0; i < n; ++i) {
            const Xapian::Query part = query.get_subquery(i);
            if (part.get_type() != Xapian::Query::LEAF_TERM) break;
            phrase.push_back(*part.get_terms_begin());
        }
        if (phrase.size() == n) {
            // Its words count together only, as the phrase matches.
            phrases_.push_back(phrase);
            return;
        }
    }
    for (std::size_t i = 0; i < n; ++i) Add(query.get_subquery(i));
}

namespace {

// Longer words are never query words (Xapian's parser ignores them too).
constexpr std::size_t kMaxWordBytes = 64;

struct Word {
    std::size_t begin;
    std::size_t end;
    int key = -1;     ///< the term it matches (SnippetTerms::Match), -1 for none
    int phrase = -1;  ///< which distinct phrase word it is (Cut's `phrase_words`), or -1
};

struct Match {
    std::size_t first;  ///< word index
    std::size_t last;   ///< word index, inclusive
    int key;            ///< the term, or terms.Size() + p for the phrase p
    double weight;      ///< the term's, or the sum of the phrase's words'
};

// Each byte: an ASCII byte of words lower-cased, kNotAscii from 0x80 up (a code point's, to
// decode), 0 for the other ASCII bytes. A table, as every byte of every excerpt is asked.
constexpr unsigned char kNotAscii = 1;
constexpr std::array<unsigned char, 256> kWordBytes = [] {
    std::array<unsigned char, 256> word{};
    for (int c = 0; c < 256; ++c) {
        const bool is_word =
            (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        if (c >= 0x80) {
            word[static_cast<std::size_t>(c)] = kNotAscii;
        } else if (is_word) {
            word[static_cast<std::size_t>(c)] =
                static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
    }
    return word;
}();

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

bool EndsSentence(char c) { return c == '.' || c == '?' || c == '!'; }

// The code point at `text[i]` and its length; a malformed byte counts as itself.
std::pair<unsigned, std::size_t> Decode(std::string_view text, std::size_t i) {
    const auto b = static_cast<unsigned char>(text[i]);
    std::size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    if (b >= 0x80 && b < 0xC0) return {b, 1};
    if (i + len > text.size()) return {b, 1};
    unsigned cp = len == 1 ? b : len == 2 ? b & 0x1F : len == 3 ? b & 0x0F : b & 0x07;
    for (std::size_t k = 1; k < len; ++k) {
        const auto c = static_cast<unsigned char>(text[i + k]);
        if ((c & 0xC0) != 0x80) return {b, 1};
        cp = (cp << 6) | (c & 0x3F);
    }
    return {cp, len};
}

}  // namespace

std::string CutSnippet(std::string_view text, const SnippetTerms& terms, StemMemo& stem,
                       std::size_t bytes, std::string_view mark_start, std::string_view mark_end,
                       std::string_view omit) {
    // The words of the text, lower-cased, each looked up once.
    const std::vector<std::vector<int>>& phrase_indices = terms.PhraseIndices();
    std::vector<Word> words;
    // Words take some 7 bytes with the space after them: one allocation for most texts.
    words.reserve(text.size() / 5 + 1);
    std::vector<Match> matches;
    // The text's words lower-cased in place where that changes only ASCII letters, byte for
    // byte (the common case); other words lower-cased into `buffer`, where they fit
    // (kMaxWordBytes: longer words are looked up nowhere).
    const std::unique_ptr<char[]> low = std::make_unique_for_overwrite<char[]>(text.size());
    std::array<char, kMaxWordBytes> buffer;
    const auto stem_of = [&](std::string_view w, std::uint64_t hash) -> const std::string& {
        return stem.Of(w, hash);
    };
    for (std::size_t i = 0; i < text.size();) {
        const unsigned char b = kWordBytes[static_cast<unsigned char>(text[i])];
        if (b == 0) {
            ++i;
            continue;
        }
        if (b == kNotAscii && !Xapian::Unicode::is_wordchar(Decode(text, i).first)) {
            i += Decode(text, i).second;
            continue;
        }
        Word word{i, i};
        // The word's end, and whether lower-casing it changes only ASCII letters (no capital
        // or malformed byte outside ASCII), done on the way into `low` and hashed there.
        bool in_place = true;
        std::uint64_t hash = SnippetTerms::kHashStart;
        while (i < text.size()) {
            const unsigned char l = kWordBytes[static_cast<unsigned char>(text[i])];
            if (l > kNotAscii) {
                low[i] = static_cast<char>(l);
                hash = SnippetTerms::HashStep(hash, l);
                ++i;
                continue;
            }
            if (l == 0) break;
            const auto [cp, len] = Decode(text, i);
            if (!Xapian::Unicode::is_wordchar(cp)) break;
            // A malformed byte stands for a code point of its own, re-encoded below.
            if (len == 1 || Xapian::Unicode::tolower(cp) != cp) in_place = false;
            for (std::size_t k = i; k < i + len; ++k) {
                low[k] = text[k];
                hash = SnippetTerms::HashStep(hash, static_cast<unsigned char>(text[k]));
            }
            i += len;
        }
        word.end = i;
        std::string_view lowered(low.get() + word.begin, word.end - word.begin);
        bool look_up = lowered.size() <= kMaxWordBytes;
        if (!in_place) {
            // Each code point lower-cased and re-encoded, as Xapian's own lower-casing does.
            std::size_t n = 0;
            hash = SnippetTerms::kHashStart;
            for (std::size_t k = word.begin; k < word.end && n <= buffer.size();) {
                const auto c = static_cast<unsigned char>(text[k]);
                std::array<char, 4> utf8;
                std::size_t len = 1;
                if (c < 0x80) {
                    utf8[0] = static_cast<char>(kWordBytes[c]);
                    ++k;
                } else {
                    const auto decoded = Decode(text, k);
                    len = Xapian::Unicode::to_utf8(Xapian::Unicode::tolower(decoded.first),
                                                   utf8.data());
                    k += decoded.second;
                }
                for (std::size_t b = 0; b < len; ++b, ++n) {
                    if (n < buffer.size()) buffer[n] = utf8[b];
                    hash = SnippetTerms::HashStep(hash, static_cast<unsigned char>(utf8[b]));
                }
            }
            look_up = n <= buffer.size();
            lowered = std::string_view(buffer.data(), std::min(n, buffer.size()));
        }
        if (look_up) {
            const SnippetTerms::WordMatch match =
                terms.Match(lowered, SnippetTerms::HashEnd(hash), stem_of);
            word.key = match.term;
            word.phrase = match.phrase;
        }
        words.push_back(word);
        const std::size_t at = words.size() - 1;
        // An exact phrase ending here is one match, in place of its words'.
        bool in_phrase = false;
        // Only a phrase word can end a phrase.
        for (std::size_t p = 0; word.phrase >= 0 && p < phrase_indices.size() && !in_phrase; ++p) {
            const std::vector<int>& phrase = phrase_indices[p];
            if (phrase.size() > words.size() || phrase.back() != word.phrase) continue;
            bool whole = true;
            for (std::size_t k = 0; k + 1 < phrase.size() && whole; ++k) {
                whole = words[at + 1 - phrase.size() + k].phrase == phrase[k];
            }
            if (!whole) continue;
            const std::size_t first = at + 1 - phrase.size();
            while (!matches.empty() && matches.back().last >= first) matches.pop_back();
            double weight = 0;
            for (std::size_t k = first; k <= at; ++k) {
                weight += words[k].key >= 0 ? terms.Weight(words[k].key) : 0;
            }
            matches.push_back({first, at, static_cast<int>(terms.Size() + p), weight});
            in_phrase = true;
        }
        if (!in_phrase && word.key >= 0) {
            matches.push_back({at, at, word.key, terms.Weight(word.key)});
        }
    }

    // The densest run of matches that fits: the most distinct query words (a phrase weighs
    // its length), then the most matches; the earliest of equals.
    std::size_t best_first = 0;
    std::size_t best_last = 0;
    bool found = false;
    if (!matches.empty()) {
        std::vector<int> in_window(terms.Size() + terms.Phrases().size(), 0);
        double distinct = 0;
        double best_distinct = -1;
        std::size_t best_count = 0;
        std::size_t a = 0;
        for (std::size_t b = 0; b < matches.size(); ++b) {
            if (in_window[static_cast<std::size_t>(matches[b].key)]++ == 0) {
                distinct += matches[b].weight;
            }
            while (words[matches[b].last].end - words[matches[a].first].begin > bytes && a < b) {
                if (--in_window[static_cast<std::size_t>(matches[a].key)] == 0) {
                    distinct -= matches[a].weight;
                }
                ++a;
            }
            const std::size_t count = b - a + 1;
            if (distinct > best_distinct || (distinct == best_distinct && count > best_count)) {
                best_distinct = distinct;
                best_count = count;
                best_first = a;
                best_last = b;
            }
        }
        found = true;
    }

    // The window: some words before the first match for context, where a sentence begins
    // if one does there, and as many after the last as fit.
    std::size_t start = 0;
    if (found) {
        const std::size_t s = words[matches[best_first].first].begin;
        const std::size_t e = words[matches[best_last].last].end;
        const std::size_t slack = bytes > e - s ? bytes - (e - s) : 0;
        const std::size_t from = s > slack / 3 ? s - slack / 3 : 0;
        std::size_t w = matches[best_first].first;
        while (w > 0 && words[w - 1].begin >= from) --w;
        for (std::size_t k = w; k < matches[best_first].first; ++k) {
            std::size_t p = words[k].begin;
            while (p > 0 && IsSpace(text[p - 1])) --p;
            if (p > 0 && p < words[k].begin && EndsSentence(text[p - 1])) {
                w = k;
                break;
            }
        }
        start = w < words.size() ? words[w].begin : 0;
        if (from == 0 && w == 0) start = 0;
    }
    if (!words.empty() && start < words.front().begin && !found) start = words.front().begin;
    std::size_t end = start;
    for (const Word& word : words) {
        if (word.begin < start) continue;
        if (word.end - start > bytes && end > start) break;
        end = word.end;
    }
    if (found) {
        end = std::max(end, words[matches[best_last].last].end);
        // Near the text's end, the room left after it goes before the matches.
        if (end == words.back().end) {
            std::size_t w = static_cast<std::size_t>(
                std::lower_bound(words.begin(), words.end(), start,
                                 [](const Word& word, std::size_t at) { return word.begin < at; }) -
                words.begin());
            while (w > 0 && end - words[w - 1].begin <= bytes) --w;
            if (w < words.size()) start = std::min(start, words[w].begin);
        }
    }

    std::string out;
    out.reserve(bytes + 64);
    // Mid-sentence unless the text or a sentence begins here.
    std::size_t before = start;
    while (before > 0 && IsSpace(text[before - 1])) --before;
    if (before > 0 && !(before < start && EndsSentence(text[before - 1]))) out += omit;
    auto next_match =
        std::lower_bound(matches.begin(), matches.end(), start,
                         [&](const Match& m, std::size_t at) { return words[m.first].begin < at; });
    for (std::size_t i = start; i < end;) {
        if (next_match != matches.end() && words[next_match->first].begin == i &&
            words[next_match->last].end <= end) {
            out += mark_start;
            for (std::size_t k = i; k < words[next_match->last].end; ++k) {
                if (IsSpace(text[k])) {
                    if (!IsSpace(text[k - 1])) out += ' ';
                } else {
                    out += text[k];
                }
            }
            out += mark_end;
            i = words[next_match->last].end;
            ++next_match;
            continue;
        }
        if (IsSpace(text[i])) {
            if (i == start || !IsSpace(text[i - 1])) out += ' ';
            ++i;
            continue;
        }
        // The run of other bytes at once, up to the next match's start.
        std::size_t stop = end;
        if (next_match != matches.end()) {
            const std::size_t at = words[next_match->first].begin;
            if (at > i && at < stop) stop = at;
        }
        std::size_t run = i + 1;
        while (run < stop && !IsSpace(text[run])) ++run;
        out.append(text.substr(i, run - i));
        i = run;
    }
    // A sentence's end is kept; elsewhere the cut is shown.
    std::size_t after = end;
    while (after < text.size() && EndsSentence(text[after])) out += text[after++];
    if (after == end && end < text.size()) {
        while (!out.empty() && out.back() == ' ') out.pop_back();
        out += omit;
    }
    return out;
}

}  // namespace styrdok::indexer::detail
