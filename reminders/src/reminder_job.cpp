#include <ctime>
#include <fstream>

#include "reminder_log.hpp"
#include "styrdok/reminders/reminders.hpp"

namespace styrdok::reminders {

namespace {

constexpr auto kRetryAfterFailure = std::chrono::minutes(15);

}  // namespace

ReminderJob::ReminderJob(std::filesystem::path registry_root, SnapshotSource snapshot,
                         const core::Schema& schema, MailConfig mail,
                         std::optional<core::Date> today, ReminderLogger log)
    : registry_root_(std::move(registry_root)),
      snapshot_(std::move(snapshot)),
      schema_(schema),
      mail_(std::move(mail)),
      today_(today),
      log_(std::move(log)) {}

ReminderJob::~ReminderJob() { Stop(); }

void ReminderJob::Start() {
    Stop();
    {
        std::lock_guard lock(stop_mutex_);
        stopping_ = false;
    }
    thread_ = std::thread([this] { Loop(); });
}

void ReminderJob::Stop() {
    {
        std::lock_guard lock(stop_mutex_);
        stopping_ = true;
    }
    stop_signal_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void ReminderJob::Observe(ReminderObserver observer) { observer_ = std::move(observer); }

void ReminderJob::Loop() {
    std::unique_lock lock(stop_mutex_);
    do {
        lock.unlock();
        try {
            RunIfDue();
        } catch (const std::exception& error) {
            log_(true, std::string("reminders: run failed, will retry: ") + error.what());
            retry_at_ = std::chrono::steady_clock::now() + kRetryAfterFailure;
        }
        lock.lock();
    } while (!stop_signal_.wait_for(lock, std::chrono::minutes(1), [this] { return stopping_; }));
}

void ReminderJob::RunIfDue() {
    std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    const core::Date today = today_.value_or(
        *core::Date::FromYmd(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday));
    const std::filesystem::path last_run_file = registry_root_ / "reminders" / "last-run";
    std::optional<core::Date> last_run;
    if (std::ifstream in(last_run_file); in) {
        std::string text;
        in >> text;
        last_run = core::Date::Parse(text);
    }
    // After a failure, nothing until the retry is due (a broken repository or SMTP server is
    // not tried every minute).
    if (retry_at_ && std::chrono::steady_clock::now() < *retry_at_) return;
    const bool retry = retry_at_.has_value();
    // A day whose hour has passed without a run (the server was down) is run at once; a date
    // given on the command line (tests, demonstrations) needs no hour.
    const bool todays_run =
        (!last_run || *last_run < today) && (today_ || local.tm_hour >= mail_.hour);
    if (!retry && !todays_run) return;
    retry_at_.reset();
    ReminderReport report = Remind(registry_root_, *snapshot_(), schema_, mail_, today, false);
    if (observer_) observer_(report);
    for (const std::string& line : report.lines) {
        log_(line.rfind("failed", 0) == 0, "reminders: " + line);
    }
    if (report.failed > 0) retry_at_ = std::chrono::steady_clock::now() + kRetryAfterFailure;
    std::filesystem::create_directories(last_run_file.parent_path());
    WriteAtomically(last_run_file, today.ToString() + "\n");
    log_(false, "reminders: " + std::to_string(report.sent) + " sent, " +
                    std::to_string(report.failed) + " failed");
}

}  // namespace styrdok::reminders
