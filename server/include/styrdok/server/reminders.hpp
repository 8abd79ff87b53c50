#pragma once

// Review reminders (issue 6, point 4): one e-mail digest per document owner of what is due or
// overdue for aktualitetsprövning, each reminder sent once. `styrdok remind` runs it; the
// server runs it once a day.

#include <filesystem>
#include <string>
#include <vector>

#include "styrdok/core/date.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/server/server.hpp"

namespace styrdok::server {

/// What a run of the reminders did, one line per message.
struct ReminderReport {
    int sent = 0;    ///< messages handed to the SMTP server or written to the outbox
    int failed = 0;  ///< messages that could not be sent; retried at the next run
    std::vector<std::string> lines;  ///< what was (or, in a dry run, would be) sent, and why not
};

/// Composes the digests due on `today` from the documents at the repository's HEAD, leaves
/// out every reminder recorded as sent in `registry_root`/reminders/sent.tsv, and sends the
/// rest (SMTP, or .eml files in `registry_root`/outbox/ when `mail.smtp_host` is empty),
/// recording each as soon as its message is sent. A `dry_run` prints every message in the
/// report and sends and records nothing. A failed message is reported, not recorded, so the
/// next run sends it again. Runs of several processes on one registry take turns (a lock
/// file). Throws Error for a repository it cannot read or a record it cannot write.
ReminderReport Remind(const std::filesystem::path& registry_root,
                      const std::filesystem::path& repository, const core::Schema& schema,
                      const MailConfig& mail, core::Date today, bool dry_run);

}  // namespace styrdok::server
