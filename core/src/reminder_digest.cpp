#include "styrdok/core/reminder_digest.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

#include "styrdok/core/document_review.hpp"

namespace styrdok::core {

namespace {

// E-mail addresses are compared and sent to in lower case; their letters are ASCII.
std::string Lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

}  // namespace

std::string ReminderKey(const std::string& recipient, const ReminderItem& item) {
    return recipient + "\t" + item.document->id + "\t" + item.status.due_on->ToString() + "\t" +
           (item.overdue ? "overdue" : "due") + "\t" + std::to_string(item.round);
}

std::vector<Digest> ComposeDigests(const std::vector<ReminderCandidate>& documents,
                                   const Schema& schema, const ReminderPolicy& policy, Date today,
                                   const std::function<bool(const std::string&)>& already_sent) {
    std::map<std::string, Digest> digests;
    for (const ReminderCandidate& candidate : documents) {
        const std::shared_ptr<const Metadata>& document = candidate.document;
        if (document->owner_email.empty()) continue;
        const ReviewStatus status = ReviewStatusOf(*document, schema, today, candidate.replaced);
        if (status.state == ReviewState::kNotApplicable || !status.due_on) continue;
        ReminderItem item;
        item.document = document;
        item.status = status;
        item.overdue = status.state == ReviewState::kOverdue && status.overdue_on;
        if (item.overdue) {
            item.round =
                static_cast<int>((today.DaysSinceEpoch() - status.overdue_on->DaysSinceEpoch()) /
                                 std::max(1, policy.repeat_days));
        } else if (today < status.due_on->AddDays(-policy.days_before)) {
            continue;
        }
        if (const Body* body = schema.FindBody(ResponsibleBody(*document))) {
            item.clerk_email = body->clerk_email;
        }
        const std::string recipient = Lower(document->owner_email);
        if (already_sent && already_sent(ReminderKey(recipient, item))) continue;
        Digest& digest = digests[recipient];
        digest.to = recipient;
        digest.items.push_back(std::move(item));
    }
    std::vector<Digest> result;
    for (auto& [recipient, digest] : digests) {
        std::sort(digest.items.begin(), digest.items.end(),
                  [](const ReminderItem& a, const ReminderItem& b) {
                      return std::tuple(!a.overdue, *a.status.due_on, a.document->id) <
                             std::tuple(!b.overdue, *b.status.due_on, b.document->id);
                  });
        for (const ReminderItem& item : digest.items) {
            const std::string clerk = Lower(item.clerk_email);
            if (item.overdue && !clerk.empty() && clerk != digest.to &&
                std::find(digest.cc.begin(), digest.cc.end(), clerk) == digest.cc.end()) {
                digest.cc.push_back(clerk);
            }
        }
        std::sort(digest.cc.begin(), digest.cc.end());
        result.push_back(std::move(digest));
    }
    return result;
}

}  // namespace styrdok::core
