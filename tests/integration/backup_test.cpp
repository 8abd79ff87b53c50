// Backups (issue 18, point 4; docs/operations.md "Backups"): `styrdok backup DIR` while the
// server serves and writes, and `styrdok restore DIR --data NEW`, which must give the same
// registry: git finds the repository sound and the same refs at the same commits, the
// accounts, settings and reminder records are the same bytes, and searches answer the same.
// A damaged backup is refused and leaves nothing behind.

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "registry_support.hpp"

namespace styrdok::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPolicy = "arbetsmiljopolicy";  // in force, owned by hr

/// Runs a shell command; named so inside fixtures, where gtest's Test::Run hides Run.
RunResult Shell(const std::string& command) { return Run(command); }

RunResult StyrdokRun(const fs::path& data, const std::string& arguments) {
    return Shell(std::string(STYRDOK_BINARY) + " " + arguments + " --data " +
                 ShellQuote(data.string()));
}

RunResult Git(const fs::path& repository, const std::string& arguments) {
    return Shell("git --git-dir=" + ShellQuote(repository.string()) + " " + arguments);
}

bool IsEmptyFolder(const fs::path& path) { return fs::is_directory(path) && fs::is_empty(path); }

class Backup : public ::testing::Test {
protected:
    void SetUp() override {
        CreateCorpusRegistry(data_);
        AddStaffAccounts(data_);
        // The reminder records: sent.tsv (to the outbox, as no SMTP server is configured).
        Styrdok(data_, std::string("remind --today ") + kToday);
        ASSERT_TRUE(fs::exists(data_ / "reminders" / "sent.tsv"));
        server_ = std::make_unique<ServerProcess>(STYRDOK_BINARY, data_,
                                                  std::vector<std::string>{"--today", kToday});
    }

    HttpResponse Send(const std::string& method, const std::string& target, const std::string& user,
                      const std::string& if_match, const std::string& body) const {
        auto headers = As(user);
        headers["Content-Type"] = "application/json";
        if (!if_match.empty()) headers["If-Match"] = "\"" + if_match + "\"";
        return HttpRequest(server_->port(), method, target, headers, body);
    }

    // Saves the owner's draft of the policy with `text`, continuing `draft_version` ("" for a
    // first draft from main's version); returns the draft's new version.
    std::string SaveDraft(const std::string& text, const std::string& draft_version = "") {
        const std::string path = std::string("/api/documents/") + kPolicy;
        auto object = Json(HttpGet(server_->port(), path, As("hr")));
        const std::string expected =
            draft_version.empty() ? object->getValue<std::string>("version") : draft_version;
        object->set("text", text);
        object->set("summary", "Utkast till revidering");
        std::ostringstream body;
        object->stringify(body);
        HttpResponse saved = Send("PUT", path + "?draft=1", "hr", expected, body.str());
        EXPECT_EQ(saved.status, 200) << saved.body;
        return saved.status == 200 ? Json(saved)->getValue<std::string>("version") : draft_version;
    }

    std::string Refs(const fs::path& data) {
        return Git(data / "repository", "for-each-ref --format='%(objectname) %(refname)'").out;
    }

    Sandbox sandbox_;
    fs::path data_ = sandbox_ / "registry";
    fs::path backup_ = sandbox_ / "backup";
    fs::path restored_ = sandbox_ / "restored";
    std::unique_ptr<ServerProcess> server_;
};

TEST_F(Backup, ARegistryRestoredFromABackupTakenWhileServingIsTheSame) {
    // A draft beside main, and a review decision on main, through the running server.
    SaveDraft("# Arbetsmiljöpolicy\n\nNytt stycke om blåbärssoppa i personalrummet.\n");
    HttpResponse reviewed = Send(
        "POST", std::string("/api/documents/") + kPolicy + "/reviews", "registrator", "",
        R"({"decided_by":"kf","decided_on":"2026-11-19","paragraph":"§ 131","outcome":"fortsatt gällande"})");
    ASSERT_EQ(reviewed.status, 201) << reviewed.body;

    RunResult backup = StyrdokRun(data_, "backup " + ShellQuote(backup_.string()));
    ASSERT_EQ(backup.exit_code, 0) << backup.out << backup.err;
    EXPECT_NE(backup.out.find("4 accounts"), std::string::npos) << backup.out;
    const std::string manifest = ReadFile(backup_ / "manifest");
    const std::string head = Git(data_ / "repository", "rev-parse refs/heads/main").out;
    EXPECT_NE(manifest.find("head " + head), std::string::npos) << manifest;
    EXPECT_NE(manifest.find("accounts 4\n"), std::string::npos) << manifest;
    for (const char* file :
         {"repository.bundle", "schema.xml", "styrdok.ini", "users.xml", "reminders/sent.tsv"}) {
        SCOPED_TRACE(file);
        EXPECT_NE(manifest.find(" " + std::string(file) + "\n"), std::string::npos);
    }
    EXPECT_EQ(fs::status(backup_).permissions() & fs::perms::all, fs::perms::owner_all);

    // git reads the bundle: in an empty repository, as a full bundle needs nothing else.
    ASSERT_EQ(
        Shell("git init --quiet --bare " + ShellQuote((sandbox_ / "empty").string())).exit_code, 0);
    RunResult verify = Git(sandbox_ / "empty",
                           "bundle verify " + ShellQuote((backup_ / "repository.bundle").string()));
    EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;

    RunResult restore =
        StyrdokRun(restored_, "restore " + ShellQuote(backup_.string()) + " --today " + kToday);
    ASSERT_EQ(restore.exit_code, 0) << restore.out << restore.err;

    RunResult fsck = Git(restored_ / "repository", "fsck --full --strict --no-dangling");
    EXPECT_EQ(fsck.exit_code, 0) << fsck.out << fsck.err;
    const std::string refs = Refs(restored_);
    EXPECT_EQ(refs, Refs(data_));
    EXPECT_NE(refs.find(std::string("refs/drafts/") + kPolicy), std::string::npos) << refs;
    EXPECT_EQ(Git(restored_ / "repository", "symbolic-ref HEAD").out, "refs/heads/main\n");
    for (const char* file : {"users.xml", "styrdok.ini", "schema.xml", "reminders/sent.tsv"}) {
        SCOPED_TRACE(file);
        EXPECT_EQ(ReadFile(restored_ / file), ReadFile(data_ / file));
    }
    for (const char* file : {"users.xml", "styrdok.ini"}) {
        SCOPED_TRACE(file);
        EXPECT_EQ(fs::status(restored_ / file).permissions() & fs::perms::all,
                  fs::perms::owner_read | fs::perms::owner_write);
    }

    RunResult check = StyrdokRun(restored_, std::string("check --today ") + kToday);
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;

    // The same answers from the command line, and from a server on each, drafts included.
    for (const char* words : {"ägardirektiv", "arbetsmiljö", "upphandling", "policy"}) {
        SCOPED_TRACE(words);
        RunResult before = StyrdokRun(data_, std::string("search ") + words);
        RunResult after = StyrdokRun(restored_, std::string("search ") + words);
        EXPECT_EQ(after.exit_code, 0) << after.err;
        EXPECT_NE(before.out.find("id "), std::string::npos) << before.out;
        EXPECT_EQ(after.out, before.out);
    }
    ServerProcess restored_server(STYRDOK_BINARY, restored_,
                                  std::vector<std::string>{"--today", kToday});
    for (const char* target :
         {"/api/search?q=arbetsmilj%C3%B6", "/api/search?q=bl%C3%A5b%C3%A4rssoppa&status=utkast",
          "/api/search?q=%C3%A4gardirektiv&status=alla", "/api/reviews?state=all"}) {
        for (const char* user : {"", "admin"}) {
            SCOPED_TRACE(std::string(target) + " as " + user);
            HttpResponse before = HttpGet(server_->port(), target, As(user));
            HttpResponse after = HttpGet(restored_server.port(), target, As(user));
            EXPECT_EQ(before.status, 200);
            EXPECT_EQ(after.status, before.status);
            EXPECT_EQ(after.body, before.body);
        }
    }
    // The draft's words are found by those who may see every draft.
    EXPECT_EQ(Json(HttpGet(restored_server.port(),
                           "/api/search?q=bl%C3%A5b%C3%A4rssoppa&status=utkast", As("admin")))
                  ->getValue<int>("total"),
              1);
    // The accounts sign in on the restored registry.
    EXPECT_EQ(HttpGet(restored_server.port(), std::string("/api/documents/") + kPolicy + "?draft=1",
                      As("hr"))
                  .status,
              200);
}

TEST_F(Backup, IsTakenWhileTheServerWrites) {
    std::atomic<bool> done{false};
    std::atomic<int> saves{0};
    std::thread writer([&] {
        std::string version;
        while (!done) {
            version = SaveDraft("# Arbetsmiljöpolicy\n\nUtkast " + std::to_string(saves) + ".\n",
                                version);
            ++saves;
        }
    });
    while (saves == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::vector<RunResult> backups;
    for (int i = 0; i < 3; ++i) {
        backups.push_back(StyrdokRun(
            data_, "backup " + ShellQuote((sandbox_ / ("b" + std::to_string(i))).string())));
    }
    done = true;
    writer.join();
    EXPECT_GT(saves.load(), 0);
    for (const RunResult& backup : backups) EXPECT_EQ(backup.exit_code, 0) << backup.err;

    RunResult restore = StyrdokRun(
        restored_, "restore " + ShellQuote((sandbox_ / "b2").string()) + " --today " + kToday);
    ASSERT_EQ(restore.exit_code, 0) << restore.out << restore.err;
    RunResult fsck = Git(restored_ / "repository", "fsck --full --strict --no-dangling");
    EXPECT_EQ(fsck.exit_code, 0) << fsck.out << fsck.err;
    // The draft as it was at some moment of the writes: one of the server's own commits.
    const std::string draft =
        Git(restored_ / "repository", std::string("rev-parse refs/drafts/") + kPolicy).out;
    EXPECT_EQ(Git(data_ / "repository", std::string("merge-base --is-ancestor ") +
                                            draft.substr(0, 40) + " refs/drafts/" + kPolicy)
                  .exit_code,
              0);
    RunResult check = StyrdokRun(restored_, std::string("check --today ") + kToday);
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

TEST_F(Backup, ADamagedBackupIsRefusedAndLeavesTheTargetEmpty) {
    server_.reset();
    RunResult backup = StyrdokRun(data_, "backup " + ShellQuote(backup_.string()));
    ASSERT_EQ(backup.exit_code, 0) << backup.err;
    const std::string bundle = ReadFile(backup_ / "repository.bundle");
    const std::string manifest = ReadFile(backup_ / "manifest");

    auto damaged = [&](const std::string& name, const std::string& new_bundle, bool fix_manifest) {
        const fs::path copy = sandbox_ / name;
        CopyTree(backup_, copy);
        std::ofstream(copy / "repository.bundle", std::ios::binary | std::ios::trunc) << new_bundle;
        if (fix_manifest) {
            // The manifest agrees with the damaged bundle: only the bundle's own checks are left.
            const std::string sha256 =
                Shell("sha256sum " + ShellQuote((copy / "repository.bundle").string()) +
                      " | cut -c1-64")
                    .out.substr(0, 64);
            std::string text = manifest;
            const std::size_t line = text.find("file ");
            const std::size_t end = text.find('\n', line);
            text.replace(
                line, end - line,
                "file " + sha256 + " " + std::to_string(new_bundle.size()) + " repository.bundle");
            std::ofstream(copy / "manifest", std::ios::trunc) << text;
        }
        return copy;
    };
    const struct {
        const char* why;
        fs::path backup;
        const char* message;
    } cases[] = {
        {"a truncated bundle", damaged("truncated", bundle.substr(0, bundle.size() / 2), false),
         "is damaged"},
        {"a changed byte",
         damaged(
             "flipped",
             [&] {
                 std::string bytes = bundle;
                 bytes[bytes.size() / 2] ^= 0x20;
                 return bytes;
             }(),
             false),
         "is damaged"},
        {"a truncated bundle the manifest agrees with",
         damaged("truncated-listed", bundle.substr(0, bundle.size() - 100), true),
         "not a sound git bundle"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.why);
        fs::create_directories(restored_);
        RunResult restore = StyrdokRun(restored_, "restore " + ShellQuote(c.backup.string()));
        EXPECT_NE(restore.exit_code, 0);
        EXPECT_NE(restore.err.find(c.message), std::string::npos) << restore.err;
        EXPECT_TRUE(IsEmptyFolder(restored_));
        // A target that did not exist is not left behind either.
        const fs::path fresh = sandbox_ / "fresh";
        EXPECT_NE(StyrdokRun(fresh, "restore " + ShellQuote(c.backup.string())).exit_code, 0);
        EXPECT_FALSE(fs::exists(fresh));
    }

    // A backup that did not finish (no manifest) is refused; so is a target with a registry.
    const fs::path unfinished = sandbox_ / "unfinished";
    CopyTree(backup_, unfinished);
    fs::remove(unfinished / "manifest");
    RunResult restore = StyrdokRun(restored_, "restore " + ShellQuote(unfinished.string()));
    EXPECT_NE(restore.exit_code, 0);
    EXPECT_NE(restore.err.find("no manifest"), std::string::npos) << restore.err;
    const std::string refs = Refs(data_);
    restore = StyrdokRun(data_, "restore " + ShellQuote(backup_.string()));
    EXPECT_NE(restore.exit_code, 0);
    EXPECT_NE(restore.err.find("holds a registry already"), std::string::npos) << restore.err;
    EXPECT_EQ(Refs(data_), refs);
    // And a backup never writes into a folder that holds something.
    RunResult again = StyrdokRun(data_, "backup " + ShellQuote(backup_.string()));
    EXPECT_NE(again.exit_code, 0);
    EXPECT_NE(again.err.find("is not empty"), std::string::npos) << again.err;
    EXPECT_EQ(ReadFile(backup_ / "manifest"), manifest);
}

TEST(BackupCommands, HaveHelp) {
    for (const char* command : {"backup", "restore"}) {
        SCOPED_TRACE(command);
        RunResult result = Shell(std::string(STYRDOK_BINARY) + " " + command + " --help");
        EXPECT_EQ(result.exit_code, 0);
        EXPECT_NE(result.out.find("--data"), std::string::npos) << result.out;
    }
}

}  // namespace
}  // namespace styrdok::testing
