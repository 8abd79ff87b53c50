#pragma once

// Which review reminders go to whom on a day (DOMAIN.md "Review"; issue 6, point 4): one digest
// per document owner, overdue documents first, the responsible body's clerk copied once a
// review is overdue, and each reminder identified by a key so that it is sent once. Pure: the
// sending and the record of what was sent live in the reminders library.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "styrdok/core/date.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/review.hpp"
#include "styrdok/core/schema.hpp"

namespace styrdok::core {

/// When reminders come: `days_before` days before a review falls due, and while it is
/// overdue every `repeat_days` days (a new round is a new reminder).
struct ReminderPolicy {
    int days_before = 30;
    int repeat_days = 14;
};

/// A document as the reminders see it: its current version, and whether an adopted
/// successor replaces it (then it is never due).
struct ReminderCandidate {
    std::shared_ptr<const Metadata> document;
    bool replaced = false;
};

/// One document in a digest.
struct ReminderItem {
    std::shared_ptr<const Metadata> document;
    ReviewStatus status;  ///< due_on is set; overdue_on too when overdue
    bool overdue = false;
    /// 0 for the reminder before and while due; for an overdue document, the number of
    /// whole repeat intervals since it became overdue.
    int round = 0;
    std::string clerk_email;  ///< the responsible body's clerk, empty when none
};

/// One message: the items of one recipient, the clerks copied when any is overdue.
struct Digest {
    std::string to;  ///< owner_email, lower case
    std::vector<std::string> cc;
    std::vector<ReminderItem> items;  ///< overdue first, then by due date and id
};

/// The key of `item` sent to `recipient`: recipient, document, due date, kind ("due" or
/// "overdue") and round, separated by tabs.
std::string ReminderKey(const std::string& recipient, const ReminderItem& item);

/// The digests of `today`: for every reviewable document (core::ReviewStatusOf) with an
/// owner_email whose review is overdue, or falls due within `policy.days_before` days (or
/// already has), one item in its owner's digest, unless `already_sent` says its key was sent
/// (empty: nothing was). Overdue items copy the clerk of the document's responsible body.
/// Sorted by recipient.
std::vector<Digest> ComposeDigests(const std::vector<ReminderCandidate>& documents,
                                   const Schema& schema, const ReminderPolicy& policy, Date today,
                                   const std::function<bool(const std::string&)>& already_sent);

}  // namespace styrdok::core
