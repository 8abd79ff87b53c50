#pragma once

// The parts of the reminders (styrdok/server/reminders.hpp) that need no network: which
// documents each owner is reminded of, the text of the digest, the record of what was sent,
// and the server's daily job.

#include <Poco/Logger.h>

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "../reviews/review_states.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/review.hpp"
#include "styrdok/server/server.hpp"

namespace styrdok::server {

/// One document in a digest.
struct ReminderItem {
    std::shared_ptr<const core::Metadata> document;
    core::ReviewStatus status;  ///< due_on is set; overdue_on too when overdue
    bool overdue = false;
    /// 0 for the reminder before and while due; for an overdue document, the number of
    /// whole repeat intervals since it became overdue (a new round is a new reminder).
    int round = 0;
    std::string clerk_email;  ///< the responsible body's clerk, empty when none
};

/// One message: the items of one recipient, the clerks copied when any is overdue.
struct Digest {
    std::string to;  ///< owner_email, lower case
    std::vector<std::string> cc;
    std::vector<ReminderItem> items;  ///< overdue first, then by due date and id
};

/// The record of what has been sent, one key per reminder: recipient, document, due date,
/// kind ("due"/"overdue") and round. Kept in a file rewritten atomically (temporary file,
/// fsync, rename, fsync of the folder) after each message, so that it survives a crash or
/// restart. Not thread-safe: one run at a time (Remind takes a lock file).
class ReminderLog {
public:
    /// Reads `file` (missing: nothing sent yet). Throws Error(kInternal) when unreadable.
    explicit ReminderLog(std::filesystem::path file);

    bool Contains(const std::string& key) const { return keys_.count(key) > 0; }

    /// Adds `keys` and writes the file. Throws Error(kInternal) when it cannot be written
    /// (the keys stay unrecorded).
    void Record(const std::vector<std::string>& keys);

private:
    std::filesystem::path file_;
    std::set<std::string> keys_;
};

/// The key of `item` sent to `recipient` (ReminderLog).
std::string ReminderKey(const std::string& recipient, const ReminderItem& item);

/// The digests of `today`: for every reviewable document with an owner_email whose review
/// is overdue, or falls due within `mail.days_before` days (or already has), one item in its
/// owner's digest, unless `log` has its key. Overdue items copy the clerk of the document's
/// owner_body (else decided_by). Pure apart from reading `log`; sorted by recipient.
std::vector<Digest> ComposeDigests(const ReviewCatalog::Documents& documents,
                                   const core::Schema& schema, const MailConfig& mail,
                                   core::Date today, const ReminderLog* log);

/// The Swedish subject and plain text of a digest.
struct MailText {
    std::string subject;
    std::string body;
};
MailText DigestText(const Digest& digest, const core::Schema& schema, const MailConfig& mail);

/// Runs Remind once a day inside the server: at start-up when the day's run has not been
/// made yet (a missed run), then each day once the local hour reaches `mail.hour`; a run with
/// failed messages is tried again every 15 minutes. The last run's date is kept in
/// reminders/last-run. Thread-safe.
class ReminderJob {
public:
    ReminderJob(std::filesystem::path registry_root, std::filesystem::path repository,
                const core::Schema& schema, MailConfig mail, std::optional<core::Date> today,
                Poco::Logger& logger);
    ~ReminderJob();

    void Start();
    void Stop();

private:
    void Loop();
    void RunIfDue();

    std::filesystem::path registry_root_;
    std::filesystem::path repository_;
    const core::Schema& schema_;
    MailConfig mail_;
    std::optional<core::Date> today_;
    Poco::Logger& logger_;
    std::optional<std::chrono::steady_clock::time_point> retry_at_;

    std::mutex stop_mutex_;
    std::condition_variable stop_signal_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace styrdok::server
