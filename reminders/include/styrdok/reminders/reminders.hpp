#pragma once

// Review reminders by e-mail (issue 6, point 4): one digest per document owner of what is due
// or overdue for aktualitetsprövning, each reminder sent once. `styrdok remind` runs it, and the
// server runs it once a day through ReminderJob. Which reminders are due is
// core/reminder_digest.hpp; this library reads the registry, writes the messages, sends them
// and keeps the record of what was sent.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "styrdok/core/date.hpp"
#include "styrdok/core/reminder_digest.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/store/snapshot.hpp"

namespace styrdok::reminders {

/// E-mail reminders of reviews ([mail] in styrdok.ini; docs/operations.md).
struct MailConfig {
    /// The SMTP server; empty: no mail is sent, each message is written to the registry's
    /// outbox/ folder as an .eml file instead.
    std::string smtp_host;
    std::uint16_t smtp_port = 25;
    /// STARTTLS before login and sending (refused by a server that does not offer it).
    bool starttls = false;
    /// Login (AUTH LOGIN) when not empty.
    std::string username;
    std::string password;
    std::string sender = "styrdok@exempelby.se";  ///< From:
    /// A document is reminded of this many days before it falls due.
    int days_before = 30;
    /// While a document is overdue, its reminder is repeated every this many days.
    int repeat_days = 14;
    /// The hour (local time, 0–23) of the server's daily run.
    int hour = 7;
    /// The address the digests link documents to (site.public_url); empty: no links.
    std::string public_url;

    core::ReminderPolicy Policy() const { return {days_before, repeat_days}; }
};

/// Reads the [mail] section (and site.public_url) of the registry's styrdok.ini over
/// `defaults`; a missing file gives the defaults. Throws Error(kBadInput) naming the key for a
/// value that is not valid.
MailConfig LoadMailConfig(const std::filesystem::path& file, MailConfig defaults = {});

/// The Swedish subject and plain text of a digest.
struct MailText {
    std::string subject;
    std::string body;
};
MailText DigestText(const core::Digest& digest, const core::Schema& schema, const MailConfig& mail);

/// What a run of the reminders did, one line per message.
struct ReminderReport {
    int sent = 0;    ///< messages handed to the SMTP server or written to the outbox
    int failed = 0;  ///< messages that could not be sent; retried at the next run
    std::vector<std::string> lines;  ///< what was (or, in a dry run, would be) sent, and why not
};

/// Composes the digests due on `today` from the documents of `snapshot`, leaves
/// out every reminder recorded as sent in `registry_root`/reminders/sent.tsv, and sends the
/// rest (SMTP, or .eml files in `registry_root`/outbox/ when `mail.smtp_host` is empty),
/// recording each as soon as its message is sent. A `dry_run` prints every message in the
/// report and sends and records nothing. A failed message is reported, not recorded, so the
/// next run sends it again. Runs of several processes on one registry take turns (a lock
/// file). Throws Error for a repository it cannot read or a record it cannot write.
ReminderReport Remind(const std::filesystem::path& registry_root, const store::Snapshot& snapshot,
                      const core::Schema& schema, const MailConfig& mail, core::Date today,
                      bool dry_run);

/// Remind on the snapshot at the HEAD of the repository at `repository`.
ReminderReport Remind(const std::filesystem::path& registry_root,
                      const std::filesystem::path& repository, const core::Schema& schema,
                      const MailConfig& mail, core::Date today, bool dry_run);

/// The registry's snapshot at HEAD, as a long-running process keeps it.
using SnapshotSource = std::function<std::shared_ptr<const store::Snapshot>()>;

/// Where ReminderJob reports: `error` is true for failures.
using ReminderLogger = std::function<void(bool error, const std::string& line)>;

/// Told of each run's report as soon as it is made (a server's metrics count its sent and
/// failed messages); called on the job's thread.
using ReminderObserver = std::function<void(const ReminderReport& report)>;

/// Runs Remind on `snapshot()` once a day inside a long-running process: at start-up when the day's
/// run has not been made yet (a missed run), then each day once the local hour reaches `mail.hour`;
/// a run with failed messages is tried again every 15 minutes. The last run's date is kept in
/// reminders/last-run. Thread-safe.
class ReminderJob {
public:
    ReminderJob(std::filesystem::path registry_root, SnapshotSource snapshot,
                const core::Schema& schema, MailConfig mail, std::optional<core::Date> today,
                ReminderLogger log);
    ~ReminderJob();

    void Start();
    void Stop();

    /// Calls `observer` with the report of every run from now on; call before Start().
    void Observe(ReminderObserver observer);

private:
    void Loop();
    void RunIfDue();

    std::filesystem::path registry_root_;
    SnapshotSource snapshot_;
    const core::Schema& schema_;
    MailConfig mail_;
    std::optional<core::Date> today_;
    ReminderLogger log_;
    ReminderObserver observer_;
    std::optional<std::chrono::steady_clock::time_point> retry_at_;

    std::mutex stop_mutex_;
    std::condition_variable stop_signal_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace styrdok::reminders
