// The reminders library without a network: the record of what was sent across restarts, the
// text of a digest and the [mail] configuration. Sending over SMTP is tested against a real
// server in tests/integration/remind_test.cpp.
#include "styrdok/reminders/reminders.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "reminder_log.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/testing/sandbox.hpp"

namespace styrdok::reminders {
namespace {

core::Date D(std::string_view text) { return core::Date::Parse(text).value(); }

const core::Schema& DefaultSchema() {
    static const core::Schema schema =
        core::Schema::Load(testing::SourceDir() / "schema/default.xml");
    return schema;
}

std::shared_ptr<const core::Metadata> Document(const char* id, const char* doctype,
                                               const char* decided_on, const char* owner_email,
                                               const char* owner_body) {
    auto m = std::make_shared<core::Metadata>();
    m->id = id;
    m->title = std::string("Titel ") + id;
    m->doctype = doctype;
    m->decided_by = "kf";
    m->decided_on = D(decided_on);
    m->paragraph = "§ 1";
    m->owner = "Ägare";
    m->owner_email = owner_email;
    m->owner_body = owner_body;
    return m;
}

// As of 2026-11-23 with the default schema: fullmäktige's period 2026–2030 began 2026-10-15.
std::vector<core::ReminderCandidate> Corpus() {
    auto repealed = std::make_shared<core::Metadata>(
        *Document("upphavd", "policy", "2015-03-30", "a@exempelby.se", "ks"));
    repealed->status = core::Status::kRepealed;
    repealed->valid_to = D("2020-06-15");
    return std::vector<core::ReminderCandidate>{
        // every mandate period, decided 2021: overdue since 2023-10-16
        {Document("forsenad", "policy", "2021-05-24", "a@exempelby.se", "ks")},
        // decided before the 2026 election: due since 2026-10-15, overdue from 2027-10-16
        {Document("aktuell", "policy", "2026-03-30", "a@exempelby.se", "ks")},
        // every 24 months: due 2026-12-10, within 30 days
        {Document("snart", "regel", "2024-12-10", "B@Exempelby.se", "bun")},
        // every 24 months: due 2027-06-01, too far ahead
        {Document("senare", "regel", "2025-06-01", "b@exempelby.se", "bun")},
        {Document("utan-adress", "policy", "2021-05-24", "", "ks")},
        {repealed},
    };
}

MailConfig Mail() {
    MailConfig mail;
    mail.days_before = 30;
    mail.repeat_days = 14;
    mail.public_url = "https://styrdok.exempelby.se";
    return mail;
}

constexpr core::ReminderPolicy kPolicy{30, 14};

std::function<bool(const std::string&)> Sent(const ReminderLog& log) {
    return [&log](const std::string& key) { return log.Contains(key); };
}

std::vector<std::string> Ids(const core::Digest& digest) {
    std::vector<std::string> ids;
    for (const core::ReminderItem& item : digest.items) ids.push_back(item.document->id);
    return ids;
}

TEST(ReminderLog, ARecordedReminderIsNotComposedAgainAfterARestart) {
    testing::Sandbox sandbox;
    const auto file = sandbox / "reminders/sent.tsv";
    const core::Date today = D("2026-11-23");
    {
        ReminderLog log(file);
        const auto digests =
            core::ComposeDigests(Corpus(), DefaultSchema(), kPolicy, today, Sent(log));
        ASSERT_EQ(digests.size(), 2u);
        std::vector<std::string> keys;
        for (const core::ReminderItem& item : digests[0].items) {
            keys.push_back(core::ReminderKey(digests[0].to, item));
        }
        log.Record(keys);
    }
    EXPECT_FALSE(std::filesystem::exists(sandbox / "reminders/sent.tsv.tmp"));
    ReminderLog reopened(file);
    auto digests = core::ComposeDigests(Corpus(), DefaultSchema(), kPolicy, today, Sent(reopened));
    ASSERT_EQ(digests.size(), 1u);
    EXPECT_EQ(digests[0].to, "b@exempelby.se");
    // Fourteen days on, the overdue document comes round again, with its clerk; the due one
    // has been reminded of already.
    digests =
        core::ComposeDigests(Corpus(), DefaultSchema(), kPolicy, today.AddDays(14), Sent(reopened));
    ASSERT_EQ(digests.size(), 2u);
    EXPECT_EQ(Ids(digests[0]), std::vector<std::string>{"forsenad"});
    EXPECT_EQ(digests[0].cc, std::vector<std::string>{"kansliet@exempelby.se"});
}

TEST(ReminderText, NamesEachDocumentItsDatesAndLink) {
    const auto digests =
        core::ComposeDigests(Corpus(), DefaultSchema(), Mail().Policy(), D("2026-11-23"), {});
    ASSERT_FALSE(digests.empty());
    const MailText text = DigestText(digests[0], DefaultSchema(), Mail());
    EXPECT_EQ(text.subject, "Påminnelse om aktualitetsprövning: 2 styrdokument (1 försenat)");
    for (const char* expected :
         {"Försenade", "- Titel forsenad (forsenad)", "Skulle ha prövats senast 2023-10-15",
          "Beslutat av Kommunfullmäktige 2021-05-24",
          "Ska prövas:", "Ska prövas från 2026-10-15, senast 2027-10-15",
          "https://styrdok.exempelby.se/documents/aktuell", "Registrator får en kopia"}) {
        EXPECT_NE(text.body.find(expected), std::string::npos) << expected << "\n" << text.body;
    }
}

TEST(ReminderConfig, MailKeysAreReadAndCheckedInTheMailSection) {
    testing::Sandbox sandbox;
    const auto file = sandbox.Write("styrdok.ini",
                                    "[site]\npublic_url = https://styrdok.exempelby.se/\n"
                                    "[mail]\nsmtp_host = smtp.exempelby.se\nsmtp_port = 587\n"
                                    "starttls = true\nusername = styrdok\npassword = hemligt\n"
                                    "sender = noreply@exempelby.se\ndays_before = 45\n"
                                    "repeat_days = 7\nhour = 6\n");
    const MailConfig mail = LoadMailConfig(file);
    EXPECT_EQ(mail.smtp_host, "smtp.exempelby.se");
    EXPECT_EQ(mail.smtp_port, 587);
    EXPECT_TRUE(mail.starttls);
    EXPECT_EQ(mail.username, "styrdok");
    EXPECT_EQ(mail.password, "hemligt");
    EXPECT_EQ(mail.sender, "noreply@exempelby.se");
    EXPECT_EQ(mail.days_before, 45);
    EXPECT_EQ(mail.repeat_days, 7);
    EXPECT_EQ(mail.hour, 6);
    EXPECT_EQ(mail.public_url, "https://styrdok.exempelby.se");
    EXPECT_TRUE(LoadMailConfig(sandbox / "missing.ini").smtp_host.empty());
    for (const char* bad : {"hour = 24", "repeat_days = 0", "starttls = kanske", "smtp_port = 0"}) {
        SCOPED_TRACE(bad);
        const auto broken = sandbox.Write("broken.ini", std::string("[mail]\n") + bad + "\n");
        EXPECT_THROW(LoadMailConfig(broken), Error);
    }
}

}  // namespace
}  // namespace styrdok::reminders
