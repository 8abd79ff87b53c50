// Which review reminders go to whom (core/reminder_digest.hpp), with the default schema and
// documents made in the test: who gets which document, when a reminder comes round again, the
// clerk copied, and that a replaced document is never reminded of.
#include "styrdok/core/reminder_digest.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "styrdok/testing/sandbox.hpp"

namespace styrdok::core {
namespace {

Date D(std::string_view text) { return Date::Parse(text).value(); }

const Schema& DefaultSchema() {
    static const Schema schema = Schema::Load(testing::SourceDir() / "schema/default.xml");
    return schema;
}

std::shared_ptr<const Metadata> Document(const char* id, const char* doctype,
                                         const char* decided_on, const char* owner_email,
                                         const char* owner_body) {
    auto m = std::make_shared<Metadata>();
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
std::vector<ReminderCandidate> Corpus() {
    auto repealed = std::make_shared<Metadata>(
        *Document("upphavd", "policy", "2015-03-30", "a@exempelby.se", "ks"));
    repealed->status = Status::kRepealed;
    repealed->valid_to = D("2020-06-15");
    return std::vector<ReminderCandidate>{
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
        // overdue by its own rule, but replaced by an adopted successor: never reminded of
        {Document("ersatt", "policy", "2021-05-24", "a@exempelby.se", "ks"), true},
    };
}

constexpr ReminderPolicy kPolicy{30, 14};

std::vector<std::string> Ids(const Digest& digest) {
    std::vector<std::string> ids;
    for (const ReminderItem& item : digest.items) ids.push_back(item.document->id);
    return ids;
}

TEST(ReminderDigests, OnePerOwnerWithOverdueFirstAndTheClerkCopiedOnceOverdue) {
    const auto digests = ComposeDigests(Corpus(), DefaultSchema(), kPolicy, D("2026-11-23"), {});
    ASSERT_EQ(digests.size(), 2u);
    EXPECT_EQ(digests[0].to, "a@exempelby.se");
    EXPECT_EQ(Ids(digests[0]), (std::vector<std::string>{"forsenad", "aktuell"}));
    EXPECT_TRUE(digests[0].items[0].overdue);
    EXPECT_FALSE(digests[0].items[1].overdue);
    EXPECT_EQ(digests[0].cc, std::vector<std::string>{"kansliet@exempelby.se"});
    // The address is compared in lower case; nothing overdue, so no clerk.
    EXPECT_EQ(digests[1].to, "b@exempelby.se");
    EXPECT_EQ(Ids(digests[1]), std::vector<std::string>{"snart"});
    EXPECT_TRUE(digests[1].cc.empty());
}

TEST(ReminderDigests, ComeDaysBeforeTheDueDate) {
    const struct {
        const char* today;
        bool listed;
    } cases[] = {{"2026-11-09", false}, {"2026-11-10", true}, {"2026-12-10", true}};
    for (const auto& c : cases) {
        SCOPED_TRACE(c.today);
        bool listed = false;
        for (const Digest& digest :
             ComposeDigests(Corpus(), DefaultSchema(), kPolicy, D(c.today), {})) {
            for (const std::string& id : Ids(digest)) listed = listed || id == "snart";
        }
        EXPECT_EQ(listed, c.listed);
    }
}

TEST(ReminderDigests, OverdueRoundAdvancesEveryRepeatInterval) {
    const std::vector<ReminderCandidate> documents{
        {Document("forsenad", "policy", "2021-05-24", "a@exempelby.se", "ks")}};
    const struct {
        const char* today;
        int round;
    } cases[] = {{"2023-10-16", 0}, {"2023-10-29", 0}, {"2023-10-30", 1}, {"2023-11-13", 2}};
    for (const auto& c : cases) {
        SCOPED_TRACE(c.today);
        const auto digests = ComposeDigests(documents, DefaultSchema(), kPolicy, D(c.today), {});
        ASSERT_EQ(digests.size(), 1u);
        EXPECT_EQ(digests[0].items[0].round, c.round);
        EXPECT_EQ(ReminderKey("a@exempelby.se", digests[0].items[0]),
                  "a@exempelby.se\tforsenad\t2022-10-15\toverdue\t" + std::to_string(c.round));
    }
}

}  // namespace
}  // namespace styrdok::core
