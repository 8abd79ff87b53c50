#include <Poco/Exception.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Timespan.h>
#include <Poco/Timestamp.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cctype>
#include <sstream>

#include "reminder_log.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/reminders/reminders.hpp"
#include "styrdok/store/snapshot.hpp"
#include "styrdok/store/store.hpp"

#ifdef STYRDOK_HAVE_NETSSL
#include <Poco/Net/Context.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureSMTPClientSession.h>
#endif

namespace styrdok::reminders {

using core::Digest;
using core::ReminderItem;

namespace {

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

ReminderReport Remind(const std::filesystem::path& registry_root, const store::Snapshot& snapshot,
                      const core::Schema& schema, const MailConfig& mail, core::Date today,
                      bool dry_run) {
    const std::filesystem::path state = registry_root / "reminders";
    std::filesystem::create_directories(state);
    RunLock lock(state / "lock");
    ReminderLog log(state / "sent.tsv");

    std::vector<core::ReminderCandidate> candidates;
    candidates.reserve(snapshot.documents().size());
    for (const store::SnapshotEntry& entry : snapshot.documents()) {
        candidates.push_back({entry.metadata, !snapshot.ReplacedBy(entry.metadata->id).empty()});
    }
    ReminderReport report;
    const auto sent = [&log](const std::string& key) { return log.Contains(key); };
    for (const Digest& digest :
         core::ComposeDigests(candidates, schema, mail.Policy(), today, sent)) {
        const MailText text = DigestText(digest, schema, mail);
        const std::string what =
            Recipients(digest) + ": " + std::to_string(digest.items.size()) + " dokument";
        if (dry_run) {
            report.lines.push_back("would send to " + what + "\nSubject: " + text.subject + "\n\n" +
                                   text.body);
            continue;
        }
        std::vector<std::string> keys;
        for (const ReminderItem& item : digest.items)
            keys.push_back(core::ReminderKey(digest.to, item));
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

ReminderReport Remind(const std::filesystem::path& registry_root,
                      const std::filesystem::path& repository, const core::Schema& schema,
                      const MailConfig& mail, core::Date today, bool dry_run) {
    store::Store store = store::Store::Open(repository);
    store::SnapshotCache snapshots;
    return Remind(registry_root, *snapshots.At(store), schema, mail, today, dry_run);
}

}  // namespace styrdok::reminders
