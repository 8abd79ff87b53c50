// The styrdok program as a user runs it: a real binary on real registries in a sandbox.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "styrdok/core/schema.hpp"
#include "styrdok/indexer/index.hpp"
#include "styrdok/testing/sandbox.hpp"
#include "styrdok/testing/server_process.hpp"

namespace styrdok {
namespace {

using testing::HttpGet;
using testing::RunResult;
using testing::Sandbox;
using testing::ServerProcess;
using testing::ShellQuote;
using testing::SourceDir;

/// Runs a shell command; named so inside fixtures, where gtest's Test::Run hides Run.
RunResult Shell(const std::string& command, std::string_view input = {}) {
    return testing::Run(command, input);
}

constexpr const char* kToday = "2026-11-23";

class Cli : public ::testing::Test {
protected:
    /// Runs `styrdok ARGS --data <sandbox registry>`.
    RunResult Styrdok(const std::string& arguments, std::string_view input = {}) {
        return Shell(std::string(STYRDOK_BINARY) + " " + arguments + " --data " +
                         ShellQuote(registry_.string()),
                     input);
    }
    std::string Git(const std::string& arguments) {
        return Shell("git -C " + ShellQuote((registry_ / "repository").string()) + " " + arguments)
            .out;
    }
    std::string Head() { return Git("rev-parse HEAD"); }

    void InitAndImportCorpus() {
        ASSERT_EQ(Styrdok("init").exit_code, 0);
        RunResult import = Styrdok("import " + ShellQuote((SourceDir() / "corpus").string()) +
                                   " --today " + kToday);
        ASSERT_EQ(import.exit_code, 0) << import.out << import.err;
    }

    Sandbox sandbox_;
    std::filesystem::path registry_ = sandbox_ / "registry";
};

TEST_F(Cli, EverySubcommandHasHelp) {
    for (const char* command :
         {"init", "import", "index", "search", "check", "user", "user add", "user passwd",
          "user remove", "user list", "status", "migrate-drafts"}) {
        SCOPED_TRACE(command);
        RunResult result = Shell(std::string(STYRDOK_BINARY) + " " + command + " --help");
        EXPECT_EQ(result.exit_code, 0);
        EXPECT_NE(result.out.find("--data"), std::string::npos) << result.out;
    }
}

TEST_F(Cli, ImportsTheCorpusAndFindsTheOwnerDirective) {
    InitAndImportCorpus();
    RunResult search = Styrdok("search ägardirektiv");
    ASSERT_EQ(search.exit_code, 0) << search.err;
    EXPECT_NE(search.out.find("Ägardirektiv för Kommunfastigheter i Exempelby AB"),
              std::string::npos)
        << search.out;
    EXPECT_NE(search.out.find("id agardirektiv-kbab"), std::string::npos);

    RunResult fsck = Shell("git -C " + ShellQuote((registry_ / "repository").string()) +
                           " fsck --full --strict");
    EXPECT_EQ(fsck.exit_code, 0) << fsck.out << fsck.err;
    EXPECT_EQ(fsck.err.find("error"), std::string::npos) << fsck.err;

    RunResult check = Styrdok(std::string("check --today ") + kToday);
    EXPECT_EQ(check.exit_code, 0) << check.out;
    EXPECT_NE(check.out.find("All checks passed."), std::string::npos) << check.out;
}

TEST_F(Cli, AnImportWithoutHistoryIsOneCommit) {
    ASSERT_EQ(Styrdok("init").exit_code, 0);
    const std::filesystem::path corpus = SourceDir() / "corpus";
    RunResult two = Styrdok("import " + ShellQuote((corpus / "taxa-kulturskola").string()) + " " +
                            ShellQuote((corpus / "kulturprogram").string()) + " --today " + kToday);
    ASSERT_EQ(two.exit_code, 0) << two.err;
    EXPECT_EQ(Git("rev-list --count HEAD"), "1\n");
    // Fanned out (store/README.md): documents/<xx>/<id>/.
    const std::string listing = Git("ls-tree -r --name-only HEAD documents/");
    EXPECT_EQ(std::count(listing.begin(), listing.end(), '\n'), 5) << listing;
    EXPECT_NE(listing.find("documents/.layout\n"), std::string::npos) << listing;
    EXPECT_NE(listing.find("/kulturprogram/metadata.xml\n"), std::string::npos) << listing;
    EXPECT_NE(listing.find("/taxa-kulturskola/text.md\n"), std::string::npos) << listing;

    // A document with three versions arrives as three commits, in the order of its history.
    RunResult history = Styrdok("import " + ShellQuote((corpus / "arbetsmiljopolicy").string()) +
                                " --today " + kToday);
    ASSERT_EQ(history.exit_code, 0) << history.err;
    EXPECT_EQ(Git("rev-list --count HEAD"), "4\n");
    EXPECT_EQ(Git("log --format=%H -- ':(glob)documents/**/arbetsmiljopolicy/**'").size(), 3 * 41u);
}

// A running server syncs the index the moment it sees a commit, so an import's own indexing
// may find the index held by it for a moment; the import waits rather than failing after its
// commit.
TEST_F(Cli, AnImportWaitsWhileAnotherProcessWritesTheIndex) {
    ASSERT_EQ(Styrdok("init").exit_code, 0);
    const std::filesystem::path corpus = SourceDir() / "corpus";
    std::optional<indexer::Index> held;
    held.emplace(
        indexer::Index::Open(registry_ / "index", core::Schema::Load(registry_ / "schema.xml")));
    std::future<RunResult> import = std::async(std::launch::async, [&] {
        return Styrdok("import " + ShellQuote((corpus / "kulturprogram").string()) + " --today " +
                       kToday);
    });
    // Held until the import has committed and met the lock, so that it must wait.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (Git("rev-list --count HEAD") != "1\n" && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    held.reset();
    const RunResult result = import.get();
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_NE(result.err.find("Waiting for the search index"), std::string::npos) << result.err;
    EXPECT_NE(result.out.find("Indexed 1 versions of 1 documents"), std::string::npos)
        << result.out;
    EXPECT_NE(Styrdok("search kulturprogram").out.find("id kulturprogram"), std::string::npos);
}

TEST_F(Cli, SearchFiltersNarrowTheHits) {
    InitAndImportCorpus();
    RunResult policies = Styrdok("search --doctype policy --per-page 100");
    ASSERT_EQ(policies.exit_code, 0) << policies.err;
    EXPECT_NE(policies.out.find("id arbetsmiljopolicy"), std::string::npos) << policies.out;
    EXPECT_EQ(policies.out.find("\n   riktlinje"), std::string::npos) << policies.out;

    RunResult by_dnr = Styrdok("search --dnr 'ks 2022-501'");
    EXPECT_NE(by_dnr.out.find("id agardirektiv-kbab"), std::string::npos) << by_dnr.out;
    EXPECT_NE(by_dnr.out.find("1 hit "), std::string::npos) << by_dnr.out;

    RunResult bad_date = Styrdok("search --valid-on 2021-02-30 policy");
    EXPECT_NE(bad_date.exit_code, 0);
    EXPECT_NE(bad_date.err.find("--valid-on"), std::string::npos) << bad_date.err;
}

TEST_F(Cli, RebuiltIndexAnswersAsTheIncrementalOne) {
    ASSERT_EQ(Styrdok("init").exit_code, 0);
    // Two imports, so the second is indexed incrementally.
    ASSERT_EQ(Styrdok("import " + ShellQuote((SourceDir() / "corpus" / "vision-2030").string()) +
                      " --today " + kToday)
                  .exit_code,
              0);
    std::string rest;
    for (const auto& entry : std::filesystem::directory_iterator(SourceDir() / "corpus")) {
        if (entry.is_directory() && entry.path().filename() != "vision-2030") {
            rest += " " + ShellQuote(entry.path().string());
        }
    }
    RunResult second = Styrdok("import" + rest + " --today " + kToday);
    ASSERT_EQ(second.exit_code, 0) << second.err;
    std::vector<std::string> queries = {"search policy --per-page 100",
                                        "search --status alla --per-page 100",
                                        "search plan --valid-on 2015-06-01 --per-page 100",
                                        "search --decided-by KF --sort title --per-page 100"};
    std::vector<std::string> before;
    for (const auto& query : queries) before.push_back(Styrdok(query).out);
    RunResult rebuild = Styrdok("index --rebuild");
    ASSERT_EQ(rebuild.exit_code, 0) << rebuild.err;
    EXPECT_NE(rebuild.out.find("Rebuilt"), std::string::npos);
    for (std::size_t i = 0; i < queries.size(); ++i) {
        SCOPED_TRACE(queries[i]);
        EXPECT_EQ(Styrdok(queries[i]).out, before[i]);
    }
}

TEST_F(Cli, CheckNoticesAnIndexBehindTheRepository) {
    ASSERT_EQ(Styrdok("init").exit_code, 0);
    ASSERT_EQ(Styrdok("import --no-index " +
                      ShellQuote((SourceDir() / "corpus" / "vision-2030").string()) + " --today " +
                      kToday)
                  .exit_code,
              0);
    RunResult check = Styrdok(std::string("check --today ") + kToday);
    EXPECT_EQ(check.exit_code, 1);
    EXPECT_NE(check.out.find("FAIL  the index"), std::string::npos) << check.out;
    ASSERT_EQ(Styrdok("index").exit_code, 0);
    EXPECT_EQ(Styrdok(std::string("check --today ") + kToday).exit_code, 0);
}

TEST_F(Cli, MigrateDraftsMovesDraftsAnOlderVersionWroteOnMain) {
    InitAndImportCorpus();
    // The corpus's two drafts are new documents: the import keeps them beside main.
    EXPECT_EQ(Git("for-each-ref --format='%(refname)' refs/drafts/"),
              "refs/drafts/rutin-visselblasning\nrefs/drafts/vision-2040\n");
    EXPECT_EQ(Git("ls-tree -r --name-only HEAD documents/").find("vision-2040"), std::string::npos);
    RunResult nothing = Styrdok("migrate-drafts");
    EXPECT_EQ(nothing.exit_code, 0) << nothing.err;
    EXPECT_NE(nothing.out.find("No drafts on main"), std::string::npos) << nothing.out;

    // Put one back on main as older versions did: a commit with status utkast on main, in
    // main's layout (documents/<xx>/<id>/; a draft's own tree is flat).
    const std::string repository = ShellQuote((registry_ / "repository").string());
    const std::string index = ShellQuote((sandbox_ / "git-index").string());
    // read-tree --prefix wants a work tree, though it reads and writes only the index.
    const std::string git = "GIT_INDEX_FILE=" + index + " git --git-dir=" + repository +
                            " --work-tree=" + ShellQuote(sandbox_.path().string()) + " ";
    RunResult old_way = Shell(
        git + "read-tree main && " + git +
        "read-tree --prefix=documents/$(printf %s vision-2040 | git hash-object --stdin | cut "
        "-c1-2)/vision-2040/ refs/drafts/vision-2040:documents/vision-2040 && " +
        git + "update-ref refs/heads/main $(" + git + "commit-tree $(" + git +
        "write-tree) -p main -m Utkast) && " + git + "update-ref -d refs/drafts/vision-2040");
    ASSERT_EQ(old_way.exit_code, 0) << old_way.err;
    RunResult check = Styrdok(std::string("check --today ") + kToday);
    EXPECT_EQ(check.exit_code, 1);
    EXPECT_NE(check.out.find("vision-2040 is a draft (status utkast) on main"), std::string::npos)
        << check.out;

    RunResult moved = Styrdok("migrate-drafts");
    ASSERT_EQ(moved.exit_code, 0) << moved.err;
    EXPECT_NE(moved.out.find("Moved 1 drafts off main"), std::string::npos) << moved.out;
    EXPECT_NE(moved.out.find("no longer on main: vision-2040"), std::string::npos) << moved.out;
    EXPECT_EQ(Git("ls-tree -r --name-only HEAD documents/").find("vision-2040"), std::string::npos);
    EXPECT_EQ(Git("log -1 --format=%s refs/drafts/vision-2040"), "Utkast\n");
    RunResult index_run = Styrdok("index");
    EXPECT_EQ(index_run.exit_code, 0) << index_run.err;
    EXPECT_EQ(index_run.out.find("Moved"), std::string::npos) << index_run.out;
    RunResult clean = Styrdok(std::string("check --today ") + kToday);
    EXPECT_EQ(clean.exit_code, 0) << clean.out;
    RunResult fsck = Shell("git --git-dir=" + repository + " fsck --full --strict");
    EXPECT_EQ(fsck.exit_code, 0) << fsck.out << fsck.err;
}

/// A document folder with valid metadata that a test then breaks in one way.
std::string MetadataXml(const std::string& id, const std::string& doctype = "policy",
                        const std::string& decided_on = "2021-03-15") {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<document>\n  <id>" + id +
           "</id>\n  <title>Testpolicy</title>\n  <doctype>" + doctype +
           "</doctype>\n  <dnr>KS 2021/0001</dnr>\n  <decided_by>kf</decided_by>\n"
           "  <decided_on>" +
           decided_on +
           "</decided_on>\n  <paragraph>§ 12</paragraph>\n  <owner>Kommundirektör</owner>\n"
           "  <status>gällande</status>\n</document>\n";
}

TEST_F(Cli, MalformedDocumentsAreNamedAndNothingIsWritten) {
    InitAndImportCorpus();
    const std::string head = Head();
    Sandbox input;
    input.Write("bad/trasig-xml/metadata.xml", "<document><id>trasig-xml</id><title>x</titl");
    input.Write("bad/trasig-xml/text.md", "Text\n");
    input.Write("bad/okand-typ/metadata.xml", MetadataXml("okand-typ", "manifest"));
    input.Write("bad/okand-typ/text.md", "Text\n");
    input.Write("bad/trettionde-februari/metadata.xml",
                MetadataXml("trettionde-februari", "policy", "2021-02-30"));
    input.Write("bad/trettionde-februari/text.md", "Text\n");
    input.Write("bad/stigtrick/metadata.xml", MetadataXml("../stigtrick"));
    input.Write("bad/stigtrick/text.md", "Text\n");
    input.Write("bad/trasig-utf8/metadata.xml", MetadataXml("trasig-utf8"));
    input.Write("bad/trasig-utf8/text.md", "Bra text \xc3\x28 och trasig\n");
    input.Write("bad/falsk-pdf/metadata.xml", MetadataXml("falsk-pdf"));
    input.Write("bad/falsk-pdf/original.pdf", "Det här är ingen PDF alls.\n");
    input.Write("bad/en-bra/metadata.xml", MetadataXml("en-bra"));
    input.Write("bad/en-bra/text.md", "En bra policy om ordning och reda.\n");

    RunResult strict =
        Styrdok("import --strict " + ShellQuote((input / "bad").string()) + " --today " + kToday);
    EXPECT_EQ(strict.exit_code, 1);
    EXPECT_EQ(Head(), head) << "a strict import with rejections must write nothing";

    const std::vector<std::pair<std::string, std::string>> expected = {
        {"trasig-xml", "line"}, {"okand-typ", "manifest"}, {"trettionde-februari", "2021-02-30"},
        {"stigtrick", "id"},    {"trasig-utf8", "UTF-8"},  {"falsk-pdf", "Filen är ingen PDF."},
    };
    for (const auto& [folder, words] : expected) {
        SCOPED_TRACE(folder);
        auto at = strict.err.find("rejected: " + (input / "bad" / folder).string());
        ASSERT_NE(at, std::string::npos) << strict.err;
        auto end = strict.err.find("rejected: ", at + 1);
        EXPECT_NE(strict.err.substr(at, end - at).find(words), std::string::npos) << strict.err;
    }
    EXPECT_EQ(strict.err.find("rejected: " + (input / "bad" / "en-bra").string()),
              std::string::npos);

    // Without --strict the good document goes in and the others are still named.
    RunResult lenient =
        Styrdok("import " + ShellQuote((input / "bad").string()) + " --today " + kToday);
    EXPECT_EQ(lenient.exit_code, 1);
    EXPECT_NE(lenient.out.find("Imported 1 documents"), std::string::npos) << lenient.out;
    EXPECT_EQ(Git("ls-tree -r --name-only HEAD documents/").find("/okand-typ/"), std::string::npos);
    EXPECT_EQ(Shell("git -C " + ShellQuote((registry_ / "repository").string()) + " fsck --full")
                  .exit_code,
              0);
}

TEST_F(Cli, UserAddKeepsOnlyAHashOutsideTheRepository) {
    ASSERT_EQ(Styrdok("init").exit_code, 0);
    const std::string password = "hemligt-lösenord-123";
    RunResult added =
        Styrdok("user add anna --role clerk --email anna@exempelby.se", password + "\n");
    ASSERT_EQ(added.exit_code, 0) << added.err;
    std::string users = testing::ReadFile(registry_ / "users.xml");
    EXPECT_EQ(users.find(password), std::string::npos);
    EXPECT_NE(users.find("$argon2id$"), std::string::npos) << users;
    EXPECT_NE(Styrdok("user list").out.find("anna\tclerk\tanna@exempelby.se"), std::string::npos);
    EXPECT_EQ(Git("log --all --oneline").find("anna"), std::string::npos);

    RunResult again = Styrdok("user add anna --role owner", password + "\n");
    EXPECT_NE(again.exit_code, 0);
    EXPECT_NE(again.err.find("exists already"), std::string::npos) << again.err;
    RunResult bad_role = Styrdok("user add bertil --role kung", password + "\n");
    EXPECT_NE(bad_role.exit_code, 0);
    RunResult short_password = Styrdok("user add cecilia --role reader", "kort\n");
    EXPECT_NE(short_password.exit_code, 0);
}

/// The password_hash attribute of `name` in users.xml text; empty when there is none.
std::string HashOf(const std::string& users, const std::string& name) {
    const std::string start = "name=\"" + name + "\"";
    auto user = users.find(start);
    if (user == std::string::npos) return {};
    auto hash = users.find("password_hash=\"", user);
    if (hash == std::string::npos) return {};
    hash += std::string("password_hash=\"").size();
    return users.substr(hash, users.find('"', hash) - hash);
}

TEST_F(Cli, UserPasswdReplacesTheHashAndKeepsNoPassword) {
    ASSERT_EQ(Styrdok("init").exit_code, 0);
    const std::string old_password = "det-gamla-lösenordet";
    const std::string new_password = "det-nya-lösenordet";
    ASSERT_EQ(Styrdok("user add anna --role owner --email anna@exempelby.se --body bun",
                      old_password + "\n")
                  .exit_code,
              0);
    const std::string old_hash = HashOf(testing::ReadFile(registry_ / "users.xml"), "anna");
    ASSERT_NE(old_hash.find("$argon2id$"), std::string::npos) << old_hash;

    RunResult changed = Styrdok("user passwd anna", new_password + "\n");
    ASSERT_EQ(changed.exit_code, 0) << changed.err;
    const std::string users = testing::ReadFile(registry_ / "users.xml");
    const std::string new_hash = HashOf(users, "anna");
    EXPECT_NE(new_hash.find("$argon2id$"), std::string::npos) << users;
    EXPECT_NE(new_hash, old_hash);
    for (const std::string& password : {old_password, new_password}) {
        EXPECT_EQ(users.find(password), std::string::npos);
        EXPECT_EQ(changed.out.find(password), std::string::npos);
        EXPECT_EQ(changed.err.find(password), std::string::npos);
    }
    // Everything but the hash stays as it was.
    EXPECT_NE(Styrdok("user list").out.find("anna\towner\tanna@exempelby.se\tbun\n"),
              std::string::npos);

    RunResult too_short = Styrdok("user passwd anna", "kort\n");
    EXPECT_EQ(too_short.exit_code, 2);
    EXPECT_NE(too_short.err.find("at least 8 characters"), std::string::npos) << too_short.err;
    EXPECT_EQ(HashOf(testing::ReadFile(registry_ / "users.xml"), "anna"), new_hash);

    RunResult nobody = Styrdok("user passwd bertil", new_password + "\n");
    EXPECT_EQ(nobody.exit_code, 2);
    EXPECT_NE(nobody.err.find("no user named 'bertil'"), std::string::npos) << nobody.err;
}

TEST_F(Cli, UserRemoveRemovesOnlyThatAccount) {
    ASSERT_EQ(Styrdok("init").exit_code, 0);
    ASSERT_EQ(Styrdok("user add anna --role clerk", "hemligt-lösenord\n").exit_code, 0);
    ASSERT_EQ(Styrdok("user add bertil --role reader", "hemligt-lösenord\n").exit_code, 0);

    RunResult removed = Styrdok("user remove anna");
    ASSERT_EQ(removed.exit_code, 0) << removed.err;
    const std::string list = Styrdok("user list").out;
    EXPECT_EQ(list.find("anna"), std::string::npos) << list;
    EXPECT_NE(list.find("bertil\treader"), std::string::npos) << list;

    RunResult again = Styrdok("user remove anna");
    EXPECT_EQ(again.exit_code, 2);
    EXPECT_NE(again.err.find("no user named 'anna'"), std::string::npos) << again.err;
}

TEST_F(Cli, UserAddTakesTheBodiesOfTheSchemaOnly) {
    ASSERT_EQ(Styrdok("init").exit_code, 0);
    const std::string password = "hemligt-lösenord";
    RunResult added =
        Styrdok("user add anna --role owner --email anna@exempelby.se --body bun --body KS",
                password + "\n");
    ASSERT_EQ(added.exit_code, 0) << added.err;
    EXPECT_NE(Styrdok("user list").out.find("anna\towner\tanna@exempelby.se\tbun,ks\n"),
              std::string::npos);
    const std::string users = testing::ReadFile(registry_ / "users.xml");
    EXPECT_NE(users.find("<body>bun</body>"), std::string::npos) << users;
    EXPECT_NE(users.find("<body>ks</body>"), std::string::npos) << users;

    RunResult unknown =
        Styrdok("user add bertil --role owner --body bun --body gatunamnden", password + "\n");
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.err.find("unknown body 'gatunamnden'"), std::string::npos) << unknown.err;
    EXPECT_EQ(Styrdok("user list").out.find("bertil"), std::string::npos);
    for (const RunResult& result : {added, unknown}) {
        EXPECT_EQ(result.out.find(password), std::string::npos);
        EXPECT_EQ(result.err.find(password), std::string::npos);
    }
    EXPECT_EQ(testing::ReadFile(registry_ / "users.xml").find(password), std::string::npos);
}

TEST_F(Cli, CommandsOnAMissingRegistrySayHowToCreateOne) {
    RunResult search = Styrdok("search policy");
    EXPECT_EQ(search.exit_code, 2);
    EXPECT_NE(search.err.find("styrdok init"), std::string::npos) << search.err;
}

/// The last line of `text`, without its newline.
std::string LastLine(std::string text) {
    while (!text.empty() && text.back() == '\n') text.pop_back();
    const std::size_t start = text.rfind('\n');
    return start == std::string::npos ? text : text.substr(start + 1);
}

TEST_F(Cli, InitIfMissingLeavesAnExistingRegistryAsItIs) {
    InitAndImportCorpus();
    const std::string head = Head();
    RunResult again = Styrdok("init");
    EXPECT_EQ(again.exit_code, 2) << again.out;
    EXPECT_NE(again.err.find("exists already"), std::string::npos) << again.err;

    RunResult if_missing = Styrdok("init --if-missing");
    EXPECT_EQ(if_missing.exit_code, 0) << if_missing.err;
    EXPECT_EQ(Head(), head);
    EXPECT_NE(Styrdok("search ägardirektiv").out.find("agardirektiv-kbab"), std::string::npos);

    RunResult fresh = Shell(std::string(STYRDOK_BINARY) + " init --if-missing --data " +
                            ShellQuote((sandbox_ / "fresh").string()));
    EXPECT_EQ(fresh.exit_code, 0) << fresh.err;
    EXPECT_TRUE(std::filesystem::exists(sandbox_ / "fresh" / "repository" / "HEAD"));
}

TEST_F(Cli, DefaultConfigIsWhatInitWritesIntoTheRegistry) {
    ASSERT_EQ(Styrdok("init").exit_code, 0);
    RunResult printed = Shell(std::string(STYRDOK_BINARY) + " --default-config");
    ASSERT_EQ(printed.exit_code, 0) << printed.err;
    EXPECT_NE(printed.out.find("[server]"), std::string::npos);
    EXPECT_EQ(printed.out, testing::ReadFile(registry_ / "styrdok.ini"));
}

TEST_F(Cli, ServeReadsTheConfigurationFileItIsGiven) {
    ASSERT_EQ(Styrdok("init").exit_code, 0);
    const std::filesystem::path config =
        sandbox_.Write("etc/styrdok.ini", "[site]\nname = Provbyns styrdokument\n");
    ServerProcess server(STYRDOK_BINARY, registry_, {"--config", config.string()});
    const testing::HttpResponse page = HttpGet(server.port(), "/");
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("Provbyns styrdokument"), std::string::npos);
}

TEST_F(Cli, ServeThatCannotStartExitsWithItsReason) {
    ASSERT_EQ(Styrdok("init").exit_code, 0);
    ServerProcess first(STYRDOK_BINARY, registry_);
    const std::string taken = std::to_string(first.port());
    const std::filesystem::path bad_port = sandbox_.Write("bad-port.ini", "[server]\nport = x\n");
    const std::filesystem::path no_templates =
        sandbox_.Write("no-templates.ini", "[site]\ntemplates = /nonexistent/templates\n");
    const std::string serve = "timeout 60 " + std::string(STYRDOK_BINARY) + " serve --port ";
    const std::string here = " --data " + ShellQuote(registry_.string());
    const std::pair<std::string, std::string> cases[] = {
        // the command, the reason it must give
        {serve + taken + here, "cannot listen on 127.0.0.1:" + taken},
        {serve + "0 --bind 999.0.0.1" + here, "cannot listen on 999.0.0.1:0"},
        {serve + "0 --data " + ShellQuote((sandbox_ / "none").string()), "no registry in"},
        {serve + "0 --config " + ShellQuote(bad_port.string()) + here, "server.port"},
        {serve + "0 --config " + ShellQuote((sandbox_ / "missing.ini").string()) + here,
         "no configuration file"},
        {serve + "0 --config " + ShellQuote(no_templates.string()) + here, "no templates"},
    };
    for (const auto& [command, expected] : cases) {
        SCOPED_TRACE(command);
        // A server that started after all is stopped by timeout (124), not left to hang.
        RunResult run = Shell(command);
        EXPECT_EQ(run.exit_code, 2);
        EXPECT_EQ(run.out.find("serving"), std::string::npos) << run.out;
        const std::string reason = LastLine(run.err);
        EXPECT_EQ(reason.rfind("styrdok: ", 0), 0u) << run.err;
        EXPECT_NE(reason.find(expected), std::string::npos) << run.err;
    }
    // The first server was not disturbed.
    EXPECT_EQ(HttpGet(first.port(), "/").status, 200);
}

}  // namespace
}  // namespace styrdok
