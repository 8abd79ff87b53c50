#include "terms.hpp"

#include <array>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <utility>

#include "styrdok/core/diarienummer.hpp"
#include "styrdok/core/utf8.hpp"

namespace styrdok::indexer::detail {

namespace {

// Glass refuses terms longer than 245 bytes; stay a little below.
constexpr std::size_t kMaxTermBytes = 240;

std::string_view CutUtf8(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    std::size_t end = max_bytes;
    // Step back over continuation bytes so the cut never splits a character.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return text.substr(0, end);
}

}  // namespace

std::string Term(std::string_view prefix, std::string_view value) {
    std::string term(prefix);
    if (!value.empty() && value.front() >= 'A' && value.front() <= 'Z') term += ':';
    term += CutUtf8(value, kMaxTermBytes - term.size());
    return term;
}

std::string UniqueTerm(std::string_view id, std::string_view version) {
    std::string value(id);
    value += '@';
    value += version;
    return Term(kPrefixUnique, value);
}

std::string DateValue(core::Date date) {
    return Xapian::sortable_serialise(static_cast<double>(date.DaysSinceEpoch()));
}

std::string OpenEndValue() {
    // Far beyond any real date, and still exact in a double.
    return Xapian::sortable_serialise(1e12);
}

std::optional<core::Date> ValueDate(const std::string& value) {
    if (value.empty()) return std::nullopt;
    const double days = Xapian::sortable_unserialise(value);
    // The open ends are far outside any calendar date.
    if (days < -1e9 || days > 1e9) return std::nullopt;
    return core::Date::FromDaysSinceEpoch(static_cast<long>(days));
}

core::Date LocalToday() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    return *core::Date::FromYmd(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
}

std::string OpenStartValue() { return Xapian::sortable_serialise(-1e12); }

std::string DayKey(core::Date date) {
    char key[16];
    std::snprintf(key, sizeof key, "%04d%02d%02d", date.year(), date.month(), date.day());
    return key;
}

std::string Fold(std::string_view text) { return core::FoldCase(core::Trim(text)); }

std::string DocTypeKey(std::string_view doctype) { return Fold(doctype); }

std::string BodyKey(const core::Schema& schema, std::string_view body) {
    if (const core::Body* found = schema.FindBody(core::Trim(body))) return found->id;
    return Fold(body);
}

std::string GoalAreaKey(const core::Schema& schema, std::string_view goal_area) {
    if (const core::GoalArea* found = schema.FindGoalArea(core::Trim(goal_area))) {
        return found->id;
    }
    return Fold(goal_area);
}

std::string DnrKey(std::string_view dnr) { return core::DiarienummerKey(dnr); }

std::string EncodeList(const std::vector<std::string>& values) {
    std::string encoded;
    for (const std::string& value : values) {
        if (!encoded.empty()) encoded += '\n';
        encoded += value;
    }
    return encoded;
}

std::vector<std::string_view> DecodeList(std::string_view encoded) {
    std::vector<std::string_view> values;
    while (!encoded.empty()) {
        std::size_t end = encoded.find('\n');
        values.push_back(encoded.substr(0, end));
        if (end == std::string_view::npos) break;
        encoded.remove_prefix(end + 1);
    }
    return values;
}

namespace {
// Between the fields of EncodeFacets: a control character, which XML text cannot hold.
constexpr char kFacetSeparator = '\x1f';
}  // namespace

std::string EncodeFacets(const FacetValues& values) {
    std::string encoded;
    for (const std::string* field :
         {&values.doctype, &values.category, &values.decided_by, &values.states, &values.owner}) {
        encoded += *field;
        encoded += kFacetSeparator;
    }
    encoded += EncodeList(values.goal_areas);
    encoded += kFacetSeparator;
    encoded += values.year;
    return encoded;
}

std::array<std::string_view, kFacetValueCount> DecodeFacets(std::string_view encoded) {
    std::array<std::string_view, kFacetValueCount> fields;
    for (std::size_t i = 0; i < kFacetValueCount; ++i) {
        const std::size_t end = encoded.find(kFacetSeparator);
        fields[i] = encoded.substr(0, end);
        if (end == std::string_view::npos) break;
        encoded.remove_prefix(end + 1);
    }
    return fields;
}

std::string EncodeStates(const std::vector<core::StateSpan>& spans) {
    std::string encoded;
    for (const core::StateSpan& span : spans) {
        if (!encoded.empty()) {
            // Spans are consecutive, so every span after the first has a first day.
            encoded += '\n';
            encoded += std::to_string(span.from ? span.from->DaysSinceEpoch() : 0);
            encoded += '\n';
        }
        encoded += core::ForceStateName(span.state);
    }
    return encoded;
}

std::string_view StateOn(std::string_view encoded, long day) {
    // The facet spy calls this for every match: no allocation, one pass.
    std::size_t end = encoded.find('\n');
    std::string_view state = encoded.substr(0, end);
    while (end != std::string_view::npos) {
        const std::size_t day_begin = end + 1;
        const std::size_t day_end = encoded.find('\n', day_begin);
        if (day_end == std::string_view::npos) break;
        long from = 0;
        std::from_chars(encoded.data() + day_begin, encoded.data() + day_end, from);
        if (day < from) break;
        end = encoded.find('\n', day_end + 1);
        state =
            encoded.substr(day_end + 1, end == std::string_view::npos ? end : end - day_end - 1);
    }
    return state;
}

std::string TitleSortKey(std::string_view title) {
    // Byte order of UTF-8 puts ä before å; Swedish wants å, ä, ö after z. The three letters
    // map to the ASCII characters that follow 'z', and common accented letters to their base.
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kMap = {{
        {"\xc3\xa5", "{"},  // å
        {"\xc3\xa4", "|"},  // ä
        {"\xc3\xa6", "|"},  // æ
        {"\xc3\xb6", "}"},  // ö
        {"\xc3\xb8", "}"},  // ø
        {"\xc3\xa9", "e"},  // é
        {"\xc3\xa8", "e"},  // è
        {"\xc3\xab", "e"},  // ë
        {"\xc3\xa1", "a"},  // á
        {"\xc3\xa0", "a"},  // à
        {"\xc3\xbc", "y"},  // ü
        {"\xc3\xaf", "i"},  // ï
    }};
    std::string folded = Fold(title);
    std::string key;
    key.reserve(folded.size());
    for (std::size_t i = 0; i < folded.size();) {
        bool mapped = false;
        for (const auto& [from, to] : kMap) {
            if (std::string_view(folded).substr(i, from.size()) == from) {
                key += to;
                i += from.size();
                mapped = true;
                break;
            }
        }
        if (!mapped) key += folded[i++];
    }
    return key;
}

std::string TieBreakKey(std::string_view title, const std::optional<core::Date>& in_force_from) {
    // Fixed-width digits, complemented so that a later day sorts first in ascending order;
    // the offset keeps days before 1970 positive.
    constexpr long kOffset = 10'000'000;
    constexpr long kMax = 99'999'999;
    std::string key = TitleSortKey(title);
    key += '\0';
    if (!in_force_from) return key + '~';
    char digits[24];
    std::snprintf(digits, sizeof digits, "%08ld",
                  kMax - (static_cast<long>(in_force_from->DaysSinceEpoch()) + kOffset));
    return key + digits;
}

}  // namespace styrdok::indexer::detail
