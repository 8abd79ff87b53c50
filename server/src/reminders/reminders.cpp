#include "reminders.hpp"

#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Timespan.h>
#include <Poco/Timestamp.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>

#include "styrdok/core/error.hpp"
#include "styrdok/server/reminders.hpp"
#include "styrdok/store/store.hpp"

#ifdef STYRDOK_HAVE_NETSSL
#include <Poco/Net/Context.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureSMTPClientSession.h>
#endif

namespace styrdok::server {

namespace {

constexpr auto kRetryAfterFailure = std::chrono::minutes(15);

std::string Lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

std::string BodyName(const core::Schema& schema, const std::string& id) {
    const core::Body* body = schema.FindBody(id);
    return body ? body->name : id;
}

void SyncPath(const std::filesystem::path& path, int flags) {
    int fd = ::open(path.c_str(), flags);
    if (fd < 0) throw Error(ErrorCode::kInternal, "cannot open " + path.string());
    const int result = ::fsync(fd);
    ::close(fd);
    if (result != 0) throw Error(ErrorCode::kInternal, "cannot fsync " + path.string());
}

// Writes `file` so that it holds either its old or its new bytes after a crash: a temporary
// file in the same folder, fsync, rename over the old one, fsync of the folder.
void WriteAtomically(const std::filesystem::path& file, const std::string& bytes) {
    std::filesystem::path temporary = file;
    temporary += ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << bytes;
        out.flush();
        if (!out) throw Error(ErrorCode::kInternal, "cannot write " + temporary.string());
    }
    SyncPath(temporary, O_RDONLY);
    std::error_code error;
    std::filesystem::rename(temporary, file, error);
    if (error) throw Error(ErrorCode::kInternal, "cannot replace " + file.string());
    SyncPath(file.parent_path(), O_RDONLY | O_DIRECTORY);
}

// Holds an exclusive lock on a file while it lives, so that the server's job and a
// `styrdok remind` never send the same reminder at the same time.
class RunLock {
public:
    explicit RunLock(const std::filesystem::path& file) {
        fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0) {
            if (fd_ >= 0) ::close(fd_);
            throw Error(ErrorCode::kInternal, "cannot lock " + file.string());
        }
    }
    ~RunLock() { ::close(fd_); }
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;

private:
    int fd_ = -1;
};

void FillMessage(Poco::Net::MailMessage& message, const Digest& digest, const MailText& text,
                 const MailConfig& mail) {
    message.setSender(mail.sender);
    message.addRecipient(
        Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, digest.to));
    for (const std::string& cc : digest.cc) {
        message.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::CC_RECIPIENT, cc));
    }
    message.setSubject(Poco::Net::MailMessage::encodeWord(text.subject, "UTF-8"));
    message.setDate(Poco::Timestamp());
    message.setContentType("text/plain; charset=UTF-8");
    message.setContent(text.body, Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
}

void SendSmtp(const Poco::Net::MailMessage& message, const MailConfig& mail) {
    const Poco::Timespan timeout(30, 0);
    if (mail.starttls) {
#ifdef STYRDOK_HAVE_NETSSL
        static const bool initialised = [] {
            Poco::Net::initializeSSL();
            return true;
        }();
        (void)initialised;
        Poco::Net::Context::Ptr context = new Poco::Net::Context(
            Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_RELAXED, 9,
            /*loadDefaultCAs=*/true);
        Poco::Net::SecureSMTPClientSession session(mail.smtp_host, mail.smtp_port);
        session.setTimeout(timeout);
        session.login();
        session.startTLS(context);
        // The server forgets the first EHLO once TLS is up (RFC 3207): greet it again.
        if (mail.username.empty()) {
            session.login();
        } else {
            session.login(Poco::Net::SMTPClientSession::AUTH_LOGIN, mail.username, mail.password);
        }
        session.sendMessage(message);
        session.close();
        return;
#else
        throw Error(ErrorCode::kBadInput,
                    "mail.starttls: this build has no TLS (Poco NetSSL); use a local relay");
#endif
    }
    Poco::Net::SMTPClientSession session(mail.smtp_host, mail.smtp_port);
    session.setTimeout(timeout);
    if (mail.username.empty()) {
        session.login();
    } else {
        session.login(Poco::Net::SMTPClientSession::AUTH_LOGIN, mail.username, mail.password);
    }
    session.sendMessage(message);
    session.close();
}

std::string SafeName(const std::string& text) {
    std::string name;
    for (char c : text) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
    return name;
}

void WriteOutbox(const Poco::Net::MailMessage& message, const std::filesystem::path& outbox,
                 const Digest& digest, core::Date today) {
    std::filesystem::create_directories(outbox);
    std::ostringstream bytes;
    message.write(bytes);
    const std::string stem = today.ToString() + "-" + SafeName(digest.to);
    std::filesystem::path file = outbox / (stem + ".eml");
    for (int n = 2; std::filesystem::exists(file); ++n) {
        file = outbox / (stem + "-" + std::to_string(n) + ".eml");
    }
    WriteAtomically(file, bytes.str());
}

std::string Recipients(const Digest& digest) {
    std::string text = digest.to;
    if (!digest.cc.empty()) {
        text += " (kopia ";
        for (std::size_t i = 0; i < digest.cc.size(); ++i) {
            text += (i ? ", " : "") + digest.cc[i];
        }
        text += ")";
    }
    return text;
}

}  // namespace

ReminderLog::ReminderLog(std::filesystem::path file) : file_(std::move(file)) {
    if (!std::filesystem::exists(file_)) return;
    std::ifstream in(file_);
    if (!in) throw Error(ErrorCode::kInternal, "cannot read " + file_.string());
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line[0] != '#') keys_.insert(line);
    }
}

void ReminderLog::Record(const std::vector<std::string>& keys) {
    std::set<std::string> after = keys_;
    after.insert(keys.begin(), keys.end());
    std::string bytes = "# recipient\tdocument\tdue_on\tkind\tround: reminders sent\n";
    for (const std::string& key : after) bytes += key + "\n";
    std::filesystem::create_directories(file_.parent_path());
    WriteAtomically(file_, bytes);
    keys_ = std::move(after);
}

std::string ReminderKey(const std::string& recipient, const ReminderItem& item) {
    return recipient + "\t" + item.document->id + "\t" + item.status.due_on->ToString() + "\t" +
           (item.overdue ? "overdue" : "due") + "\t" + std::to_string(item.round);
}

std::vector<Digest> ComposeDigests(const ReviewCatalog::Documents& documents,
                                   const core::Schema& schema, const MailConfig& mail,
                                   core::Date today, const ReminderLog* log) {
    std::map<std::string, Digest> digests;
    for (const auto& document : documents) {
        if (document->owner_email.empty()) continue;
        const core::ReviewStatus status = ReviewStatusOf(*document, schema, today);
        if (status.state == core::ReviewState::kNotApplicable || !status.due_on) continue;
        ReminderItem item;
        item.document = document;
        item.status = status;
        item.overdue = status.state == core::ReviewState::kOverdue && status.overdue_on;
        if (item.overdue) {
            item.round =
                static_cast<int>((today.DaysSinceEpoch() - status.overdue_on->DaysSinceEpoch()) /
                                 std::max(1, mail.repeat_days));
        } else if (today < status.due_on->AddDays(-mail.days_before)) {
            continue;
        }
        const std::string& body_id =
            document->owner_body.empty() ? document->decided_by : document->owner_body;
        if (const core::Body* body = schema.FindBody(body_id)) item.clerk_email = body->clerk_email;
        const std::string recipient = Lower(document->owner_email);
        if (log && log->Contains(ReminderKey(recipient, item))) continue;
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

MailText DigestText(const Digest& digest, const core::Schema& schema, const MailConfig& mail) {
    std::size_t overdue = 0;
    for (const ReminderItem& item : digest.items) overdue += item.overdue ? 1 : 0;
    MailText text;
    text.subject = "Påminnelse om aktualitetsprövning: " + std::to_string(digest.items.size()) +
                   " styrdokument";
    if (overdue > 0) {
        text.subject +=
            " (" + std::to_string(overdue) + (overdue == 1 ? " försenat)" : " försenade)");
    }

    std::ostringstream body;
    body << "Hej!\n\n"
         << "Det här är en påminnelse om aktualitetsprövning av styrdokument som du är "
            "ansvarig för.\n";
    auto list = [&](bool overdue_items, const char* heading) {
        bool first = true;
        for (const ReminderItem& item : digest.items) {
            if (item.overdue != overdue_items) continue;
            if (first) body << "\n" << heading << "\n";
            first = false;
            const core::Metadata& document = *item.document;
            body << "\n- " << document.title << " (" << document.id << ")\n";
            body << "  Beslutat av " << BodyName(schema, document.decided_by);
            if (document.decided_on) body << " " << document.decided_on->ToString();
            body << "\n";
            const std::optional<core::Date> last = LastAllowedDay(item.status);
            if (item.overdue) {
                body << "  Skulle ha prövats senast "
                     << (last ? last->ToString() : item.status.due_on->ToString()) << "\n";
            } else {
                body << "  Ska prövas från " << item.status.due_on->ToString();
                if (last) body << ", senast " << last->ToString();
                body << "\n";
            }
            if (!mail.public_url.empty()) {
                body << "  " << mail.public_url << "/documents/" << document.id << "\n";
            }
        }
    };
    list(true, "Försenade (tiden för prövning har gått ut):");
    list(false, "Ska prövas:");
    body << "\nAnmäl beslutet (fortsatt gällande, revideras eller upphävs) till registrator när "
            "det är fattat.\n";
    if (!digest.cc.empty()) {
        body << "Registrator får en kopia av påminnelsen eftersom prövningen är försenad.\n";
    }
    body << "\nDet här meddelandet är skickat automatiskt av Styrdok.\n";
    text.body = body.str();
    return text;
}

ReminderReport Remind(const std::filesystem::path& registry_root,
                      const std::filesystem::path& repository, const core::Schema& schema,
                      const MailConfig& mail, core::Date today, bool dry_run) {
    const std::filesystem::path state = registry_root / "reminders";
    std::filesystem::create_directories(state);
    RunLock lock(state / "lock");
    ReminderLog log(state / "sent.tsv");

    store::Store store = store::Store::Open(repository);
    ReviewCatalog catalog;
    std::shared_ptr<const ReviewCatalog::Documents> documents = catalog.At(store);
    ReminderReport report;
    for (const Digest& digest : ComposeDigests(*documents, schema, mail, today, &log)) {
        const MailText text = DigestText(digest, schema, mail);
        const std::string what =
            Recipients(digest) + ": " + std::to_string(digest.items.size()) + " dokument";
        if (dry_run) {
            report.lines.push_back("would send to " + what + "\nSubject: " + text.subject + "\n\n" +
                                   text.body);
            continue;
        }
        std::vector<std::string> keys;
        for (const ReminderItem& item : digest.items) keys.push_back(ReminderKey(digest.to, item));
        try {
            Poco::Net::MailMessage message;
            FillMessage(message, digest, text, mail);
            if (mail.smtp_host.empty()) {
                WriteOutbox(message, registry_root / "outbox", digest, today);
            } else {
                SendSmtp(message, mail);
            }
        } catch (const std::exception& error) {
            ++report.failed;
            const auto* poco = dynamic_cast<const Poco::Exception*>(&error);
            report.lines.push_back("failed to send to " + what + ", will retry: " +
                                   (poco ? poco->displayText() : std::string(error.what())));
            continue;
        }
        // Sent: recorded at once, so that a crash later in the run does not send it again.
        log.Record(keys);
        ++report.sent;
        report.lines.push_back((mail.smtp_host.empty() ? "wrote to outbox/ for " : "sent to ") +
                               what);
    }
    return report;
}

ReminderJob::ReminderJob(std::filesystem::path registry_root, std::filesystem::path repository,
                         const core::Schema& schema, MailConfig mail,
                         std::optional<core::Date> today, Poco::Logger& logger)
    : registry_root_(std::move(registry_root)),
      repository_(std::move(repository)),
      schema_(schema),
      mail_(std::move(mail)),
      today_(today),
      logger_(logger) {}

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

void ReminderJob::Loop() {
    std::unique_lock lock(stop_mutex_);
    do {
        lock.unlock();
        try {
            RunIfDue();
        } catch (const std::exception& error) {
            logger_.error("reminders: run failed, will retry: %s", std::string(error.what()));
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
    ReminderReport report = Remind(registry_root_, repository_, schema_, mail_, today, false);
    for (const std::string& line : report.lines) {
        if (line.rfind("failed", 0) == 0) {
            logger_.error("reminders: %s", line);
        } else {
            logger_.information("reminders: %s", line);
        }
    }
    if (report.failed > 0) retry_at_ = std::chrono::steady_clock::now() + kRetryAfterFailure;
    std::filesystem::create_directories(last_run_file.parent_path());
    WriteAtomically(last_run_file, today.ToString() + "\n");
    logger_.information("reminders: %d sent, %d failed", report.sent, report.failed);
}

}  // namespace styrdok::server
