#include "styrdok/core/metadata.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "styrdok/core/utf8.hpp"

namespace styrdok::core {

namespace {

constexpr std::array<std::pair<Status, std::string_view>, 3> kStatusNames{{
    {Status::kInForce, "gällande"},
    {Status::kRepealed, "upphävd"},
    {Status::kDraft, "utkast"},
}};

constexpr std::array<std::pair<ReviewOutcome, std::string_view>, 3> kOutcomeNames{{
    {ReviewOutcome::kKept, "fortsatt gällande"},
    {ReviewOutcome::kToBeRevised, "revideras"},
    {ReviewOutcome::kRepealed, "upphävs"},
}};

// Names come from hand-edited XML and forms, so "Gällande " must be read as "gällande";
// text that is not UTF-8 cannot be any of the names.
std::string Normalise(std::string_view name) {
    name = Trim(name);
    if (!IsValidUtf8(name)) return {};
    return FoldCase(name);
}

template <typename Enum, std::size_t N>
std::string_view NameOf(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
    for (const auto& [candidate, name] : table) {
        if (candidate == value) return name;
    }
    return {};
}

template <typename Enum, std::size_t N>
std::optional<Enum> ValueOf(const std::array<std::pair<Enum, std::string_view>, N>& table,
                            std::string_view name) {
    const std::string folded = Normalise(name);
    for (const auto& [value, candidate] : table) {
        if (candidate == folded) return value;
    }
    return std::nullopt;
}

}  // namespace

std::string_view StatusName(Status status) { return NameOf(kStatusNames, status); }

std::optional<Status> ParseStatus(std::string_view name) { return ValueOf(kStatusNames, name); }

std::string_view ReviewOutcomeName(ReviewOutcome outcome) { return NameOf(kOutcomeNames, outcome); }

std::optional<ReviewOutcome> ParseReviewOutcome(std::string_view name) {
    return ValueOf(kOutcomeNames, name);
}

std::optional<Date> Metadata::EffectiveFrom() const { return valid_from ? valid_from : decided_on; }

std::optional<Date> Metadata::LastEvent() const {
    std::optional<Date> last = decided_on;
    const auto consider = [&last](Date date) {
        if (!last || *last < date) last = date;
    };
    if (last_reviewed_on) consider(*last_reviewed_on);
    for (const ReviewRecord& review : reviews) consider(review.decided_on);
    return last;
}

bool IsValidDocumentId(std::string_view id) {
    const auto allowed = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    };
    return !id.empty() && id.size() <= 100 && id.front() != '-' &&
           std::all_of(id.begin(), id.end(), allowed);
}

}  // namespace styrdok::core
