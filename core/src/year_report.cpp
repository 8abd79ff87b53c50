#include "styrdok/core/year_report.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "styrdok/core/document_review.hpp"

namespace styrdok::core {
namespace {

// The last day of a decision a version carries: its own, or a review recorded in it.
std::optional<Date> LastDecision(const Metadata& m) {
    std::optional<Date> last = m.decided_on;
    for (const ReviewRecord& r : m.reviews) {
        if (!last || *last < r.decided_on) last = r.decided_on;
    }
    return last;
}

bool IsDecided(const Metadata& m) { return m.status != Status::kDraft && m.decided_on; }

// The decision that repealed `m`, the last one recorded in it; nullptr when none is.
const ReviewRecord* RepealDecision(const Metadata& m) {
    for (auto r = m.reviews.rbegin(); r != m.reviews.rend(); ++r) {
        if (r->outcome == ReviewOutcome::kRepealed) return &*r;
    }
    return nullptr;
}

void AddEvents(const DocumentHistory& history, Date first, Date last, YearReport& report) {
    const auto in_year = [&](Date day) { return day >= first && day <= last; };
    std::set<std::tuple<Date, std::string, std::string>> reviews_seen;
    std::set<Date> revisions_seen;
    bool repeal_seen = false;
    std::optional<Date> earliest_decision;
    for (const Metadata* m : history.versions) {
        for (const ReviewRecord& r : m->reviews) {
            if (!in_year(r.decided_on)) continue;
            if (!reviews_seen.insert({r.decided_on, r.decided_by, r.paragraph}).second) continue;
            report.reviewed.push_back(
                {YearEventKind::kReviewed, m, r.decided_on, r.outcome, r.decided_by, r.paragraph});
        }
        if (IsDecided(*m)) {
            const Date decided = *m->decided_on;
            if (earliest_decision && *earliest_decision < decided && in_year(decided) &&
                revisions_seen.insert(decided).second) {
                report.revised.push_back({YearEventKind::kRevised, m, decided, std::nullopt,
                                          m->decided_by, m->paragraph});
            }
            if (!earliest_decision || decided < *earliest_decision) earliest_decision = decided;
        }
        if (m->status == Status::kRepealed && !repeal_seen) {
            // The day it stopped applying: its valid_to, else the day of the repeal decision.
            const ReviewRecord* decision = RepealDecision(*m);
            const std::optional<Date> day = m->valid_to ? m->valid_to
                                            : decision  ? std::optional<Date>(decision->decided_on)
                                                        : std::nullopt;
            if (day && in_year(*day)) {
                repeal_seen = true;
                report.repealed.push_back({YearEventKind::kRepealed, m, *day, std::nullopt,
                                           decision ? decision->decided_by : m->decided_by,
                                           decision ? decision->paragraph : ""});
            }
        }
    }
}

}  // namespace

const Metadata* VersionKnownOn(const DocumentHistory& history, Date day) {
    const Metadata* known = nullptr;
    for (const Metadata* m : history.versions) {
        if (!IsDecided(*m)) continue;
        const std::optional<Date> last = LastDecision(*m);
        if (last && *last <= day) known = m;
    }
    return known;
}

YearReport ComposeYearReport(int year, Date today, const std::vector<DocumentHistory>& histories,
                             const Schema& schema) {
    YearReport report;
    report.year = year;
    const Date first = *Date::FromYmd(year, 1, 1);
    const Date last = *Date::FromYmd(year, 12, 31);
    report.end = std::min(last, today);
    for (const DocumentHistory& history : histories) {
        AddEvents(history, first, last, report);
        if (report.end < first) continue;
        const Metadata* known = VersionKnownOn(history, report.end);
        if (!known) continue;
        const bool replaced =
            std::any_of(history.successors_decided_on.begin(), history.successors_decided_on.end(),
                        [&](Date decided) { return decided <= report.end; });
        const ReviewStatus status = ReviewStatusOf(*known, schema, report.end, replaced);
        if (status.state != ReviewState::kOverdue) continue;
        const std::optional<Date> deadline = LastAllowedDay(status);
        report.overdue.push_back({YearEventKind::kOverdue, known, deadline.value_or(report.end),
                                  std::nullopt, known->decided_by, ""});
    }
    const auto by_date = [](const YearEvent& a, const YearEvent& b) {
        return a.date != b.date ? a.date < b.date : a.document->id < b.document->id;
    };
    for (auto* list : {&report.reviewed, &report.revised, &report.repealed, &report.overdue})
        std::stable_sort(list->begin(), list->end(), by_date);
    return report;
}

}  // namespace styrdok::core
