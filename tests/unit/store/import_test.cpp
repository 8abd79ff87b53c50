#include "styrdok/store/import.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "styrdok/core/schema.hpp"
#include "styrdok/store/store.hpp"
#include "styrdok/testing/office_files.hpp"
#include "styrdok/testing/sandbox.hpp"

namespace styrdok::store {
namespace {

namespace fs = std::filesystem;
using testing::CopyTree;
using testing::MakeDocx;
using testing::MakeOdt;
using testing::MakePdf;
using testing::ReadFile;
using testing::Sandbox;
using testing::SourceDir;

fs::path Fixtures() { return SourceDir() / "tests/fixtures/import"; }

const core::Schema& DefaultSchema() {
    static const core::Schema schema = core::Schema::Load(SourceDir() / "schema/default.xml");
    return schema;
}

ImportOptions Options(bool strict = false) {
    ImportOptions options;
    options.strict = strict;
    options.today = *core::Date::FromYmd(2026, 11, 23);
    return options;
}

std::string Metadata(const std::string& id, const std::string& decided_on = "2021-05-24",
                     const std::string& doctype = "policy") {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<document>\n  <id>" + id +
           "</id>\n  <title>Policy för " + id + "</title>\n  <doctype>" + doctype +
           "</doctype>\n  <dnr>KS 2021/0123</dnr>\n  <decided_by>kf</decided_by>\n"
           "  <decided_on>" +
           decided_on +
           "</decided_on>\n  <paragraph>§ 67</paragraph>\n  <owner>HR-chef</owner>\n"
           "</document>\n";
}

// A sandbox with an initialised registry and a folder for sources.
struct Registry {
    Sandbox sandbox;
    Store store = Store::Init(sandbox / "registry");
    fs::path sources = sandbox / "sources";

    ImportReport Import(const std::vector<fs::path>& paths,
                        const ImportOptions& options = Options()) {
        return store::Import(store, DefaultSchema(), paths, options);
    }
    // Writes a good document folder sources/<id>/ and returns its path.
    fs::path WriteDocument(const std::string& id, const std::string& text = "Text.\n") {
        sandbox.Write("sources/" + id + "/metadata.xml", Metadata(id));
        sandbox.Write("sources/" + id + "/text.md", text);
        return sources / id;
    }
};

std::string Reasons(const ImportReport& report) {
    std::string all;
    for (const Rejection& rejection : report.rejected) {
        all += rejection.source + ": " + rejection.reason + "\n";
    }
    return all;
}

// A relation may name only a document the registry has or the import brings; a document
// whose relation names one the import rejects is rejected in turn.
TEST(ImportFolder, RefusesRelationsToDocumentsItDoesNotHave) {
    Registry registry;
    const auto with = [](const std::string& id, const std::string& relations) {
        std::string xml = Metadata(id);
        xml.insert(xml.rfind("</document>"), relations);
        return xml;
    };
    registry.sandbox.Write("sources/vision/metadata.xml", Metadata("vision"));
    registry.sandbox.Write("sources/program/metadata.xml",
                           with("program", "  <implements><ref>vision</ref></implements>\n"));
    registry.sandbox.Write("sources/plan/metadata.xml",
                           with("plan",
                                "  <implements><ref>program</ref><ref>saknas</ref>"
                                "</implements>\n"));
    registry.sandbox.Write("sources/vp/metadata.xml",
                           with("vp", "  <implements><ref>plan</ref></implements>\n"));
    registry.sandbox.Write("sources/sjalv/metadata.xml",
                           with("sjalv", "  <replaces>sjalv</replaces>\n"));
    for (const char* id : {"vision", "program", "plan", "vp", "sjalv"}) {
        registry.sandbox.Write(std::string("sources/") + id + "/text.md", "Text.\n");
    }
    const ImportReport report = registry.Import({registry.sources});
    ASSERT_EQ(report.rejected.size(), 3u) << Reasons(report);
    const std::string reasons = Reasons(report);
    EXPECT_NE(reasons.find("implements: no document has the id 'saknas'"), std::string::npos);
    EXPECT_NE(reasons.find("implements: no document has the id 'plan'"), std::string::npos);
    EXPECT_NE(reasons.find("replaces: the document names itself ('sjalv')"), std::string::npos);
    EXPECT_TRUE(registry.store.Read("vision"));
    EXPECT_TRUE(registry.store.Read("program"));
    EXPECT_FALSE(registry.store.Read("plan"));
    EXPECT_FALSE(registry.store.Read("vp"));
}

TEST(ImportFolder, WritesMetadataTextAndFiles) {
    Registry registry;
    const ImportReport report = registry.Import({Fixtures() / "tree/policyer/arbetsmiljopolicy"});
    ASSERT_TRUE(report.rejected.empty()) << Reasons(report);
    EXPECT_EQ(report.documents, 1U);
    EXPECT_EQ(report.versions, 1U);
    ASSERT_TRUE(report.commit.has_value());
    EXPECT_EQ(report.commit, registry.store.Head());

    const std::optional<Document> document = registry.store.Read("arbetsmiljopolicy");
    ASSERT_TRUE(document.has_value());
    EXPECT_EQ(document->metadata.title, "Arbetsmiljöpolicy");
    EXPECT_EQ(document->metadata.decided_on, core::Date::FromYmd(2021, 5, 24));
    EXPECT_EQ(document->text, ReadFile(Fixtures() / "tree/policyer/arbetsmiljopolicy/text.md"));
    EXPECT_EQ(document->files, std::vector<std::string>{"checklista-skyddsrond.txt"});
    EXPECT_EQ(
        registry.store.ReadFile("arbetsmiljopolicy", "checklista-skyddsrond.txt"),
        ReadFile(Fixtures() / "tree/policyer/arbetsmiljopolicy/files/checklista-skyddsrond.txt"));
    const std::vector<VersionInfo> history = registry.store.History("arbetsmiljopolicy");
    ASSERT_EQ(history.size(), 1U);
    EXPECT_EQ(history[0].author, "Styrdok import");
    EXPECT_EQ(history[0].message, "Import");
}

TEST(ImportFolder, ExtractsTheTextOfTheOriginalAndKeepsIt) {
    const struct {
        const char* name;
        std::string bytes;
    } originals[] = {
        {"beslut.pdf", MakePdf({{"Förvaltningen ska främja hållbar upphandling."}})},
        {"beslut.docx",
         MakeDocx("<w:p><w:r><w:t>Förvaltningen ska främja hållbar upphandling.</w:t></w:r>"
                  "</w:p>")},
        {"beslut.odt", MakeOdt("<text:p>Förvaltningen ska främja hållbar upphandling.</text:p>")},
        {"beslut.txt", "Förvaltningen ska främja hållbar upphandling.\n"},
    };
    for (const auto& original : originals) {
        SCOPED_TRACE(original.name);
        Registry registry;
        registry.sandbox.Write("sources/upphandlingspolicy/metadata.xml",
                               Metadata("upphandlingspolicy"));
        registry.sandbox.Write(std::string("sources/upphandlingspolicy/") + original.name,
                               original.bytes);
        const ImportReport report = registry.Import({registry.sources / "upphandlingspolicy"});
        ASSERT_TRUE(report.rejected.empty()) << Reasons(report);
        const std::optional<Document> document = registry.store.Read("upphandlingspolicy");
        ASSERT_TRUE(document.has_value());
        EXPECT_EQ(document->text, "Förvaltningen ska främja hållbar upphandling.\n");
        EXPECT_EQ(document->files, std::vector<std::string>{original.name});
        EXPECT_EQ(registry.store.ReadFile("upphandlingspolicy", original.name), original.bytes);
    }
}

TEST(ImportTree, FindsDocumentFoldersRecursivelyInOneCommit) {
    Registry registry;
    const ImportReport report = registry.Import({Fixtures() / "tree/policyer"});
    ASSERT_TRUE(report.rejected.empty()) << Reasons(report);
    EXPECT_EQ(report.documents, 2U);
    EXPECT_EQ(registry.store.ListDocuments(),
              (std::vector<std::string>{"arbetsmiljopolicy", "upphandlingspolicy"}));
    for (const char* id : {"arbetsmiljopolicy", "upphandlingspolicy"}) {
        const std::vector<VersionInfo> history = registry.store.History(id);
        ASSERT_EQ(history.size(), 1U) << id;
        EXPECT_EQ(history[0].version, *report.commit) << id;
    }
    EXPECT_EQ(registry.store.Read("upphandlingspolicy")->files,
              std::vector<std::string>{"upphandlingspolicy.txt"});
}

TEST(ImportTree, WritesHistoryVersionsOldestFirst) {
    Registry registry;
    const ImportReport report = registry.Import({Fixtures() / "tree"});
    ASSERT_TRUE(report.rejected.empty()) << Reasons(report);
    EXPECT_EQ(report.documents, 3U);
    EXPECT_EQ(report.versions, 5U);

    const std::vector<Document> versions = registry.store.Versions("riktlinjer-representation");
    ASSERT_EQ(versions.size(), 3U);
    const char* expected[] = {"Version 1:", "Version 2:", "Version 3:"};
    const std::optional<core::Date> decided[] = {core::Date::FromYmd(2009, 3, 30),
                                                 core::Date::FromYmd(2016, 11, 28),
                                                 core::Date::FromYmd(2022, 11, 28)};
    for (std::size_t i = 0; i < versions.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_NE(versions[i].text.find(expected[i]), std::string::npos) << versions[i].text;
        EXPECT_EQ(versions[i].metadata.decided_on, decided[i]);
    }
    // Three generations, HEAD holds the newest version of every document.
    EXPECT_EQ(registry.store.History("riktlinjer-representation").size(), 3U);
    EXPECT_EQ(registry.store.History("arbetsmiljopolicy").size(), 1U);
    EXPECT_EQ(registry.store.History("riktlinjer-representation").front().version,
              *registry.store.Head());
    EXPECT_NE(registry.store.Read("riktlinjer-representation")->text.find("Version 3:"),
              std::string::npos);
}

TEST(ImportTree, ReportsProgressAboutEveryPercent) {
    // Strict and with one broken document, so that the test reads 200 documents but spends
    // no time writing them.
    Registry registry;
    for (int i = 0; i < 199; ++i) registry.WriteDocument("policy-" + std::to_string(i));
    registry.sandbox.Write("sources/trasig/metadata.xml", "<document>");
    std::vector<std::pair<std::size_t, std::size_t>> calls;
    ImportOptions options = Options(true);
    options.progress = [&calls](std::size_t read, std::size_t found) {
        calls.emplace_back(read, found);
    };
    const ImportReport report = registry.Import({registry.sources}, options);
    EXPECT_EQ(report.rejected.size(), 1U);
    EXPECT_EQ(calls.size(), 100U);
    for (std::size_t i = 0; i < calls.size(); ++i) {
        EXPECT_EQ(calls[i], std::make_pair(2 * (i + 1), std::size_t{200}));
    }
    EXPECT_FALSE(registry.store.Head().has_value());
}

// Each malformed document is rejected with its folder and its problem named, and the
// registry stays exactly as it was.
TEST(ImportRejection, NamesTheProblemAndLeavesTheRegistryAsItWas) {
    const std::string good = Metadata("arbetsmiljopolicy");
    const auto replace = [](std::string text, const std::string& from, const std::string& to) {
        return text.replace(text.find(from), from.size(), to);
    };
    const struct {
        const char* name;
        std::string metadata;
        std::pair<std::string, std::string> extra_file;  // name, content
        const char* expected;
    } cases[] = {
        {"broken XML",
         replace(good, "</title>", "</titel>"),
         {},
         "metadata.xml: line 4: malformed XML"},
        {"unknown doctype", replace(good, ">policy<", ">trollformel<"), {}, "trollformel"},
        {"no such day", replace(good, "2021-05-24", "2021-02-30"), {}, "2021-02-30"},
        {"id with ../",
         replace(good, "<id>arbetsmiljopolicy", "<id>../arbetsmiljopolicy"),
         {},
         "id '../arbetsmiljopolicy' is not the folder's name"},
        {"broken UTF-8 in metadata", replace(good, "HR-chef", "HR-\xE4r"), {}, "invalid UTF-8"},
        {"broken UTF-8 in text",
         good,
         {"text.md", "Arbetsmilj\xF6policy\n"},
         "text.md: Texten är inte giltig UTF-8."},
        {"a PDF that is not a PDF",
         good,
         {"beslut.pdf", "Detta är inte en PDF."},
         "beslut.pdf: Filen är ingen PDF."},
        {"a DOCX that is not a DOCX",
         good,
         {"beslut.docx", "Detta är inte en zip."},
         "beslut.docx: Filen är ingen DOCX-fil."},
        {"a DOCX nested 300 000 deep",
         good,
         {"beslut.docx", testing::NestedDocx(300'000)},
         "beslut.docx: Filen är för djupt nästlad (mer än 200 nivåer)."},
        {"an ODT nested 300 000 deep",
         good,
         {"beslut.odt", testing::NestedOdt(300'000)},
         "beslut.odt: Filen är för djupt nästlad (mer än 200 nivåer)."},
        {"a DOCX table of 20 000 columns and 50 000 rows",
         good,
         {"beslut.docx", testing::WideTableDocx(20'000, 50'000)},
         "beslut.docx: En tabell i filen har för många celler (mer än 250 000)."},
        {"no text at all", good, {}, "text.md: missing"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        Registry registry;
        const fs::path other = registry.WriteDocument("upphandlingspolicy");
        ASSERT_TRUE(registry.Import({other}).rejected.empty());
        const std::optional<std::string> head = registry.store.Head();

        registry.sandbox.Write("bad/arbetsmiljopolicy/metadata.xml", c.metadata);
        if (!c.extra_file.first.empty()) {
            registry.sandbox.Write("bad/arbetsmiljopolicy/" + c.extra_file.first,
                                   c.extra_file.second);
        }
        const fs::path bad = registry.sandbox / "bad/arbetsmiljopolicy";
        const ImportReport report = registry.Import({bad});
        ASSERT_EQ(report.rejected.size(), 1U);
        EXPECT_EQ(report.rejected[0].source, bad.string());
        EXPECT_NE(report.rejected[0].reason.find(c.expected), std::string::npos)
            << report.rejected[0].reason;
        EXPECT_EQ(report.documents, 0U);
        EXPECT_FALSE(report.commit.has_value());
        EXPECT_EQ(registry.store.Head(), head);
        EXPECT_EQ(registry.store.ListDocuments(), std::vector<std::string>{"upphandlingspolicy"});
    }
}

TEST(ImportRejection, ReportsEveryProblemOfADocumentOnItsOwnLine) {
    Registry registry;
    std::string metadata = Metadata("arbetsmiljopolicy", "2021-02-30");
    registry.sandbox.Write("sources/arbetsmiljopolicy/metadata.xml", metadata);
    registry.sandbox.Write("sources/arbetsmiljopolicy/text.md", "Bruten \xFF text\n");
    registry.sandbox.Write("sources/arbetsmiljopolicy/history/01/metadata.xml",
                           Metadata("annat-id"));
    registry.sandbox.Write("sources/arbetsmiljopolicy/history/01/text.md", "Äldre.\n");
    const ImportReport report = registry.Import({registry.sources / "arbetsmiljopolicy"});
    ASSERT_EQ(report.rejected.size(), 1U);
    const std::string& reason = report.rejected[0].reason;
    EXPECT_NE(reason.find("history/01/metadata.xml: id 'annat-id' is not the folder's name"),
              std::string::npos)
        << reason;
    EXPECT_NE(reason.find("\nmetadata.xml: line 8:"), std::string::npos) << reason;
    EXPECT_NE(reason.find("2021-02-30"), std::string::npos) << reason;
    EXPECT_NE(reason.find("\ntext.md: Texten är inte giltig UTF-8."), std::string::npos) << reason;
}

TEST(ImportRejection, RejectsAFolderWhoseNameIsNotTheId) {
    Registry registry;
    registry.sandbox.Write("sources/Arbetsmiljö Policy/metadata.xml",
                           Metadata("arbetsmiljopolicy"));
    registry.sandbox.Write("sources/Arbetsmiljö Policy/text.md", "Text.\n");
    const ImportReport report = registry.Import({registry.sources});
    ASSERT_EQ(report.rejected.size(), 1U);
    EXPECT_NE(report.rejected[0].reason.find("is not the folder's name 'Arbetsmiljö Policy'"),
              std::string::npos)
        << report.rejected[0].reason;
    EXPECT_FALSE(registry.store.Head().has_value());
}

TEST(ImportRejection, RejectsEveryClaimantOfADuplicateId) {
    Registry registry;
    const fs::path first = registry.WriteDocument("arbetsmiljopolicy");
    const fs::path good = registry.WriteDocument("upphandlingspolicy");
    registry.sandbox.Write("annan/arbetsmiljopolicy/metadata.xml", Metadata("arbetsmiljopolicy"));
    registry.sandbox.Write("annan/arbetsmiljopolicy/text.md", "Annan text.\n");
    const fs::path second = registry.sandbox / "annan/arbetsmiljopolicy";
    registry.sandbox.Write("register.csv",
                           "id,title,doctype,dnr,decided_by,decided_on,paragraph,owner\n"
                           "arbetsmiljopolicy,Arbetsmiljöpolicy,policy,KS 2021/0123,kf,"
                           "2021-05-24,§ 67,HR-chef\n");
    const fs::path csv = registry.sandbox / "register.csv";

    const ImportReport report = registry.Import({first, good, second, csv});
    ASSERT_EQ(report.rejected.size(), 3U) << Reasons(report);
    EXPECT_EQ(report.rejected[0].source, first.string());
    EXPECT_EQ(report.rejected[1].source, second.string());
    EXPECT_EQ(report.rejected[2].source, csv.string() + ":2");
    for (const Rejection& rejection : report.rejected) {
        EXPECT_NE(rejection.reason.find("duplicate id 'arbetsmiljopolicy', also in"),
                  std::string::npos)
            << rejection.reason;
    }
    EXPECT_NE(report.rejected[0].reason.find(second.string()), std::string::npos);
    EXPECT_EQ(registry.store.ListDocuments(), std::vector<std::string>{"upphandlingspolicy"});
}

TEST(ImportStrict, WritesNothingWhenOneDocumentIsRejected) {
    Registry registry;
    registry.WriteDocument("arbetsmiljopolicy");
    registry.WriteDocument("upphandlingspolicy");
    registry.sandbox.Write("sources/trasig/metadata.xml", "<document><id>trasig</id>");
    registry.sandbox.Write("sources/trasig/text.md", "Text.\n");

    const ImportReport strict = registry.Import({registry.sources}, Options(true));
    ASSERT_EQ(strict.rejected.size(), 1U);
    EXPECT_EQ(strict.rejected[0].source, (registry.sources / "trasig").string());
    EXPECT_EQ(strict.documents, 0U);
    EXPECT_EQ(strict.versions, 0U);
    EXPECT_FALSE(strict.commit.has_value());
    EXPECT_FALSE(registry.store.Head().has_value());

    const ImportReport lenient = registry.Import({registry.sources}, Options(false));
    ASSERT_EQ(lenient.rejected.size(), 1U);
    EXPECT_EQ(lenient.documents, 2U);
    EXPECT_EQ(registry.store.ListDocuments(),
              (std::vector<std::string>{"arbetsmiljopolicy", "upphandlingspolicy"}));
}

TEST(ImportSource, RejectsWhatIsNeitherFolderTreeNorRegister) {
    Registry registry;
    registry.sandbox.Write("tom/.gitkeep", "");
    registry.sandbox.Write("lista.xlsx", "PK");
    const ImportReport report =
        registry.Import({registry.sandbox / "finns-inte", registry.sandbox / "tom",
                         registry.sandbox / "lista.xlsx"});
    ASSERT_EQ(report.rejected.size(), 3U) << Reasons(report);
    EXPECT_EQ(report.rejected[0].reason, "does not exist");
    EXPECT_NE(report.rejected[1].reason.find("no document folder"), std::string::npos);
    EXPECT_NE(report.rejected[2].reason.find("CSV register"), std::string::npos);
    EXPECT_FALSE(registry.store.Head().has_value());
}

TEST(ImportFolder, ReplacesAnExistingDocumentAndItsAttachments) {
    Registry registry;
    const fs::path folder = registry.WriteDocument("arbetsmiljopolicy", "Första.\n");
    registry.sandbox.Write("sources/arbetsmiljopolicy/files/gammal.txt", "gammal");
    ASSERT_TRUE(registry.Import({folder}).rejected.empty());
    fs::remove(folder / "files/gammal.txt");
    registry.sandbox.Write("sources/arbetsmiljopolicy/files/ny.txt", "ny");
    registry.sandbox.Write("sources/arbetsmiljopolicy/text.md", "Andra.\n");
    const ImportReport report = registry.Import({folder});
    ASSERT_TRUE(report.rejected.empty()) << Reasons(report);
    const std::optional<Document> document = registry.store.Read("arbetsmiljopolicy");
    ASSERT_TRUE(document.has_value());
    EXPECT_EQ(document->text, "Andra.\n");
    EXPECT_EQ(document->files, std::vector<std::string>{"ny.txt"});
    EXPECT_EQ(registry.store.History("arbetsmiljopolicy").size(), 2U);
}

TEST(ImportTree, ImportingTheSameTreeAgainWritesNothing) {
    Registry registry;
    ASSERT_TRUE(registry.Import({Fixtures() / "tree"}).rejected.empty());
    const std::optional<std::string> head = registry.store.Head();
    const ImportReport again = registry.Import({Fixtures() / "tree"});
    EXPECT_TRUE(again.rejected.empty()) << Reasons(again);
    EXPECT_EQ(again.documents, 0U);
    EXPECT_EQ(again.unchanged, 3U);
    EXPECT_FALSE(again.commit.has_value());
    EXPECT_EQ(registry.store.Head(), head);
    EXPECT_EQ(registry.store.History("riktlinjer-representation").size(), 3U);
}

TEST(ImportTree, WritesOnlyTheVersionsTheStoreLacks) {
    Registry registry;
    Sandbox copy;
    CopyTree(Fixtures() / "tree", copy.path());
    ASSERT_TRUE(registry.Import({copy.path()}).rejected.empty());
    // The current version becomes history and a newer one is added on top.
    const fs::path folder = copy / "riktlinjer" / "riktlinjer-representation";
    ASSERT_TRUE(fs::exists(folder / "metadata.xml")) << "fixture layout changed";
    const fs::path moved = folder / "history" / "99";
    fs::create_directories(moved);
    fs::copy_file(folder / "metadata.xml", moved / "metadata.xml");
    fs::copy_file(folder / "text.md", moved / "text.md");
    std::string text = ReadFile(folder / "text.md");
    copy.Write("riktlinjer/riktlinjer-representation/text.md", text + "\nVersion 4: nytt.\n");
    const ImportReport report = registry.Import({copy.path()});
    ASSERT_TRUE(report.rejected.empty()) << Reasons(report);
    EXPECT_EQ(report.documents, 1U);
    EXPECT_EQ(report.versions, 1U);
    EXPECT_EQ(report.unchanged, 2U);
    EXPECT_EQ(registry.store.History("riktlinjer-representation").size(), 4U);
}

// --- CSV registers ------------------------------------------------------------------------

TEST(CsvRegister, ReadsTheFixtureWithBomSemicolonsQuotesAndFiles) {
    Registry registry;
    const ImportReport report = registry.Import({Fixtures() / "register/register.csv"});
    ASSERT_TRUE(report.rejected.empty()) << Reasons(report);
    EXPECT_EQ(report.documents, 2U);

    const std::optional<Document> plan = registry.store.Read("avfallsplan");
    ASSERT_TRUE(plan.has_value());
    EXPECT_EQ(plan->metadata.title, "Avfallsplan \"Mindre avfall\"; 2023–2030");
    EXPECT_EQ(plan->metadata.keywords, (std::vector<std::string>{"avfall", "återvinning"}));
    EXPECT_EQ(plan->text, ReadFile(Fixtures() / "register/texter/avfallsplan.txt"));
    EXPECT_EQ(plan->files, std::vector<std::string>{"avfallsplan.txt"});

    const std::optional<Document> program = registry.store.Read("kulturprogram");
    ASSERT_TRUE(program.has_value());
    EXPECT_EQ(program->metadata.paragraph, "§ 45");
    EXPECT_EQ(program->text, ReadFile(Fixtures() / "register/texter/kulturprogram.md"));
    // A Markdown file is the text itself, not an original to keep beside it.
    EXPECT_TRUE(program->files.empty());
}

TEST(CsvRegister, DetectsTheSeparatorWithAnyLineEndAndByteOrderMark) {
    for (const char* separator : {",", ";"}) {
        for (const char* line_end : {"\n", "\r\n"}) {
            for (const char* bom : {"", "\xEF\xBB\xBF"}) {
                SCOPED_TRACE(std::string("separator ") + separator +
                             (line_end[0] == '\r' ? " CRLF" : " LF") + (*bom ? " BOM" : ""));
                const std::string s = separator;
                const std::string csv = std::string(bom) + "id" + s + "title" + s + "doctype" + s +
                                        "dnr" + s + "decided_by" + s + "decided_on" + s +
                                        "paragraph" + s + "owner" + line_end + "arbetsmiljopolicy" +
                                        s + "\"Policy, med" + s + " tecken\"" + s + "policy" + s +
                                        "KS 2021/0123" + s + "kf" + s + "2021-05-24" + s + "§ 67" +
                                        s + "HR-chef" + line_end;
                Registry registry;
                registry.sandbox.Write("register.csv", csv);
                const ImportReport report = registry.Import({registry.sandbox / "register.csv"});
                ASSERT_TRUE(report.rejected.empty()) << Reasons(report);
                const std::optional<Document> document = registry.store.Read("arbetsmiljopolicy");
                ASSERT_TRUE(document.has_value());
                EXPECT_EQ(document->metadata.title, "Policy, med" + s + " tecken");
                EXPECT_EQ(document->metadata.owner, "HR-chef");
            }
        }
    }
}

TEST(CsvRegister, KeepsLineBreaksAndDoubledQuotesInQuotedFields) {
    Registry registry;
    registry.sandbox.Write(
        "register.csv",
        "id,title,doctype,dnr,decided_by,decided_on,paragraph,owner,changes,related\r\n"
        "arbetsmiljopolicy,Arbetsmiljöpolicy,policy,KS 2021/0123,kf,2021-05-24,§ 67,HR-chef,"
        "\"Reviderad 2021:\r\n\"\"hot och våld\"\"\",rutin-rehabilitering|riktlinjer-hot\r\n");
    // The related documents come with the register, as a relation may name only those.
    const ImportReport report = registry.Import({registry.sandbox / "register.csv",
                                                 registry.WriteDocument("riktlinjer-hot"),
                                                 registry.WriteDocument("rutin-rehabilitering")});
    ASSERT_TRUE(report.rejected.empty()) << Reasons(report);
    const std::optional<Document> document = registry.store.Read("arbetsmiljopolicy");
    ASSERT_TRUE(document.has_value());
    EXPECT_EQ(document->metadata.changes, "Reviderad 2021:\n\"hot och våld\"");
    EXPECT_EQ(document->metadata.related,
              (std::vector<std::string>{"rutin-rehabilitering", "riktlinjer-hot"}));
    EXPECT_TRUE(document->text.empty());
}

TEST(CsvRegister, TakesRowsWithTheSameIdAsVersionsInRowOrder) {
    Registry registry;
    registry.sandbox.Write("texter/v1.txt", "Första versionen.\n");
    registry.sandbox.Write("texter/v2.txt", "Andra versionen.\n");
    registry.sandbox.Write("texter/annan.txt", "Annan policy.\n");
    registry.sandbox.Write(
        "register.csv",
        "id;title;doctype;dnr;decided_by;decided_on;paragraph;owner;file\n"
        "arbetsmiljopolicy;Arbetsmiljöpolicy;policy;KS 2015/0012;kf;2015-03-30;§ 30;HR-chef;"
        "texter/v1.txt\n"
        "kommunikationspolicy;Kommunikationspolicy;policy;KS 2019/0301;kf;2019-10-28;§ 150;"
        "Kommunikationschef;texter/annan.txt\n"
        "arbetsmiljopolicy;Arbetsmiljöpolicy 2021;policy;KS 2021/0123;kf;2021-05-24;§ 67;"
        "HR-chef;texter/v2.txt\n");
    const ImportReport report = registry.Import({registry.sandbox / "register.csv"});
    ASSERT_TRUE(report.rejected.empty()) << Reasons(report);
    EXPECT_EQ(report.documents, 2U);
    EXPECT_EQ(report.versions, 3U);
    const std::vector<Document> versions = registry.store.Versions("arbetsmiljopolicy");
    ASSERT_EQ(versions.size(), 2U);
    EXPECT_EQ(versions[0].text, "Första versionen.\n");
    EXPECT_EQ(versions[0].files, std::vector<std::string>{"v1.txt"});
    EXPECT_EQ(versions[1].text, "Andra versionen.\n");
    EXPECT_EQ(versions[1].metadata.title, "Arbetsmiljöpolicy 2021");
    // The first version's original is replaced, not kept beside the second's.
    EXPECT_EQ(versions[1].files, std::vector<std::string>{"v2.txt"});
    EXPECT_EQ(registry.store.History("kommunikationspolicy").size(), 1U);
}

TEST(CsvRegister, RejectsABadRowWithItsLineAndKeepsTheOthers) {
    Registry registry;
    registry.sandbox.Write("inte-pdf.pdf", "hej");
    registry.sandbox.Write(
        "register.csv",
        "id,title,doctype,dnr,decided_by,decided_on,paragraph,owner,file\n"
        "arbetsmiljopolicy,Arbetsmiljöpolicy,policy,KS 2021/0123,kf,2021-05-24,§ 67,HR-chef,\n"
        "upphandlingspolicy,Upphandlingspolicy,policy,KS 2020/0001,kf,2021-02-30,§ 1,Inköp,\n"
        "kort-rad,Kort rad\n"
        "mutor,Policy mot mutor,policy,KS 2020/0002,kf,2020-01-27,§ 2,Jurist,inte-pdf.pdf\n"
        "bruten,Br\xE4nd,policy,KS 2020/0003,kf,2020-01-27,§ 3,Jurist,\n"
        "../etc,Utbrytare,policy,KS 2020/0004,kf,2020-01-27,§ 4,Jurist,\n");
    const fs::path csv = registry.sandbox / "register.csv";
    const ImportReport report = registry.Import({csv});
    ASSERT_EQ(report.rejected.size(), 5U) << Reasons(report);
    const struct {
        std::string source;
        const char* expected;
    } expected[] = {
        {csv.string() + ":3", "line 3: decided_on '2021-02-30' is not a date"},
        {csv.string() + ":4", "line 4: 2 fields where the header has 9"},
        {csv.string() + ":5", "line 5: file inte-pdf.pdf: Filen är ingen PDF."},
        {csv.string() + ":6", "line 6: column title is not valid UTF-8"},
        {csv.string() + ":7", "line 7: "},
    };
    for (std::size_t i = 0; i < report.rejected.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(report.rejected[i].source, expected[i].source);
        EXPECT_EQ(report.rejected[i].reason.find(expected[i].expected), 0U)
            << report.rejected[i].reason;
    }
    EXPECT_EQ(registry.store.ListDocuments(), std::vector<std::string>{"arbetsmiljopolicy"});
}

TEST(CsvRegister, RejectsTheWholeRegisterForABadHeaderOrQuote) {
    const struct {
        const char* name;
        const char* csv;
        const char* expected;
    } cases[] = {
        {"unknown column", "id,titel\narbetsmiljopolicy,Arbetsmiljöpolicy\n",
         "line 1: unknown column 'titel' (column 2)"},
        {"no id column", "title\nArbetsmiljöpolicy\n", "line 1: no id column"},
        {"column twice", "id,title,title\na,b,c\n", "line 1: column 'title' appears twice"},
        {"quote never ends", "id,title\narbetsmiljopolicy,\"Arbetsmiljöpolicy\n",
         "line 2: a quoted field never ends"},
        {"text after quote", "id,title\narbetsmiljopolicy,\"Arbetsmiljö\"policy\n",
         "line 2: text after the closing quote of a field"},
        {"empty file", "", "line 1: no header line"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        Registry registry;
        registry.sandbox.Write("register.csv", c.csv);
        const ImportReport report = registry.Import({registry.sandbox / "register.csv"});
        ASSERT_EQ(report.rejected.size(), 1U);
        EXPECT_EQ(report.rejected[0].source, (registry.sandbox / "register.csv").string());
        EXPECT_NE(report.rejected[0].reason.find(c.expected), std::string::npos)
            << report.rejected[0].reason;
        EXPECT_FALSE(registry.store.Head().has_value());
    }
}

// `uncertain` (what `styrdok propose` writes, docs/propose.md) names the fields nobody has
// checked: a row with such a value goes to its draft, never to main as in force.
TEST(CsvRegister, ImportsARowWithAnUncertainValueAsADraft) {
    const struct {
        const char* name;
        const char* status;
        const char* uncertain;
        const char* decided;  // "main", "draft" or the start of the rejection
    } cases[] = {
        {"nothing uncertain", "", "", "main"},
        {"an uncertain field left empty", "", "valid_from|valid_to", "main"},
        {"an uncertain value", "", "decided_on|valid_to", "draft"},
        {"an uncertain value in a draft", "utkast", " owner ", "draft"},
        {"an uncertain value said to be in force", "gällande", "title|paragraph",
         "line 2: status gällande, but uncertain still names title, paragraph: check the "
         "values and empty the uncertain cell, or make the status utkast"},
        {"an unknown field", "", "decided_on|datum",
         "line 2: uncertain names 'datum', which is no metadata field"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        Registry registry;
        registry.sandbox.Write("register.csv",
                               std::string("id;title;doctype;dnr;decided_by;decided_on;paragraph;"
                                           "owner;valid_from;valid_to;status;uncertain\n"
                                           "arbetsmiljopolicy;Arbetsmiljöpolicy;policy;KS "
                                           "2021/0123;kf;2021-05-24;§ 67;HR-chef;;;") +
                                   c.status + ";" + c.uncertain + "\n");
        const ImportReport report = registry.Import({registry.sandbox / "register.csv"});
        const std::string_view decided = c.decided;
        if (decided != "main" && decided != "draft") {
            ASSERT_EQ(report.rejected.size(), 1U);
            EXPECT_EQ(report.rejected[0].reason.find(c.decided), 0U) << report.rejected[0].reason;
            EXPECT_FALSE(registry.store.Head().has_value());
            EXPECT_TRUE(registry.store.ListDrafts().empty());
            continue;
        }
        ASSERT_TRUE(report.rejected.empty()) << Reasons(report);
        EXPECT_EQ(report.documents, 1U);
        EXPECT_EQ(report.drafts, decided == "draft" ? 1U : 0U);
        EXPECT_EQ(registry.store.Read("arbetsmiljopolicy").has_value(), decided == "main");
        const std::optional<Document> draft = registry.store.ReadDraft("arbetsmiljopolicy");
        ASSERT_EQ(draft.has_value(), decided == "draft");
        if (draft) {
            EXPECT_EQ(draft->metadata.status, core::Status::kDraft);
            EXPECT_EQ(draft->metadata.decided_on, core::Date::FromYmd(2021, 5, 24));
        }
    }
}

// `text_file` is the text made from `file` (what `styrdok propose` read from a scan through
// OCR): it is the document's text, and `file` is kept beside it unread.
TEST(CsvRegister, TakesTheTextFromTextFileAndKeepsTheFileAsAnAttachment) {
    Registry registry;
    const std::string pdf = MakePdf({{"Textlagret säger något annat."}});
    registry.sandbox.Write("forslag/policy/files/skannad.pdf", pdf);
    registry.sandbox.Write("forslag/policy/text.md", "Texten som OCR läste.\n");
    registry.sandbox.Write("forslag/bara-text/text.md", "Bara text.\n");
    const std::string row = ";Policy;policy;KS 2021/0123;kf;2021-05-24;§ 67;HR-chef;";
    registry.sandbox.Write("forslag/proposals.csv",
                           "id;title;doctype;dnr;decided_by;decided_on;paragraph;owner;file;"
                           "text_file\n"
                           "policy" +
                               row +
                               "policy/files/skannad.pdf;policy/text.md\n"
                               "bara-text" +
                               row +
                               ";bara-text/text.md\n"
                               "utanfor" +
                               row + ";../hemligt.md\n");
    const fs::path csv = registry.sandbox / "forslag/proposals.csv";
    const ImportReport report = registry.Import({csv});
    ASSERT_EQ(report.rejected.size(), 1U) << Reasons(report);
    EXPECT_EQ(report.rejected[0].reason,
              "line 4: text_file ../hemligt.md: not a path inside the register's folder (write it "
              "relative to the folder, without ..)");

    const std::optional<Document> policy = registry.store.Read("policy");
    ASSERT_TRUE(policy.has_value());
    EXPECT_EQ(policy->text, "Texten som OCR läste.\n");
    EXPECT_EQ(policy->files, std::vector<std::string>{"skannad.pdf"});
    EXPECT_EQ(registry.store.ReadFile("policy", "skannad.pdf"), pdf);
    const std::optional<Document> text_only = registry.store.Read("bara-text");
    ASSERT_TRUE(text_only.has_value());
    EXPECT_EQ(text_only->text, "Bara text.\n");
    EXPECT_TRUE(text_only->files.empty());
}

// A register or a folder from someone else must not make the import read other files of
// the person importing: every file a row names lies inside the register's folder, and
// every file of a document folder inside that folder, symbolic links resolved.
TEST(CsvRegister, ReadsFilesOnlyFromInsideItsFolder) {
    Registry registry;
    const fs::path secret = registry.sandbox.Write("hemligt.txt", "Hemlig text.\n");
    registry.sandbox.Write("register/texter/policy.txt", "Policy.\n");
    fs::create_symlink(secret, registry.sandbox / "register/texter/lank.txt");
    fs::create_directory_symlink(registry.sandbox.path(), registry.sandbox / "register/uppat");
    fs::create_symlink("policy.txt", registry.sandbox / "register/texter/inre-lank.txt");
    const std::string row = ",Policy,policy,KS 2021/0123,kf,2021-05-24,§ 67,HR-chef,";
    registry.sandbox.Write("register/register.csv",
                           "id,title,doctype,dnr,decided_by,decided_on,paragraph,owner,file\n"
                           "inne" +
                               row +
                               "texter/policy.txt\n"
                               "inre-lank" +
                               row +
                               "texter/inre-lank.txt\n"
                               "absolut" +
                               row + secret.string() +
                               "\n"
                               "uppat" +
                               row +
                               "../hemligt.txt\n"
                               "omvag" +
                               row +
                               "texter/../texter/policy.txt\n"
                               "lank" +
                               row +
                               "texter/lank.txt\n"
                               "mapplank" +
                               row + "uppat/hemligt.txt\n");
    const fs::path csv = registry.sandbox / "register/register.csv";
    const ImportReport report = registry.Import({csv});
    const std::string outside =
        ": not a path inside the register's folder (write it relative to the folder, without ..)";
    const std::string link = ": leads outside the register's folder (a symbolic link)";
    const std::vector<std::pair<std::string, std::string>> expected = {
        {csv.string() + ":4", "line 4: file " + secret.string() + outside},
        {csv.string() + ":5", "line 5: file ../hemligt.txt" + outside},
        {csv.string() + ":6", "line 6: file texter/../texter/policy.txt" + outside},
        {csv.string() + ":7", "line 7: file texter/lank.txt" + link},
        {csv.string() + ":8", "line 8: file uppat/hemligt.txt" + link},
    };
    ASSERT_EQ(report.rejected.size(), expected.size()) << Reasons(report);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(report.rejected[i].source, expected[i].first);
        EXPECT_EQ(report.rejected[i].reason, expected[i].second);
    }
    EXPECT_EQ(registry.store.ListDocuments(), (std::vector<std::string>{"inne", "inre-lank"}));
    EXPECT_EQ(registry.store.Read("inre-lank")->text, "Policy.\n");
}

TEST(ImportFolder, ReadsFilesOnlyFromInsideTheDocumentsFolder) {
    Registry registry;
    const fs::path secret = registry.sandbox.Write("hemligt.pdf", "%PDF-hemlig");
    const struct {
        const char* name;
        const char* link;  // inside the document folder, to `secret`
        const char* expected;
    } cases[] = {
        {"an attachment", "files/nyckel.pdf", "files/nyckel.pdf: leads outside"},
        {"the original", "beslut.pdf", "beslut.pdf: leads outside"},
        {"the text", "text.md", "text.md: leads outside"},
        {"the metadata", "metadata.xml", "metadata.xml: leads outside"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const fs::path folder = registry.sandbox / c.name / "arbetsmiljopolicy";
        registry.sandbox.Write(std::string(c.name) + "/arbetsmiljopolicy/metadata.xml",
                               Metadata("arbetsmiljopolicy"));
        if (std::string_view(c.link) != "beslut.pdf") {
            registry.sandbox.Write(std::string(c.name) + "/arbetsmiljopolicy/text.md", "Text.\n");
        }
        fs::create_directories((folder / c.link).parent_path());
        fs::remove(folder / c.link);
        fs::create_symlink(secret, folder / c.link);
        const ImportReport report = registry.Import({folder});
        ASSERT_EQ(report.rejected.size(), 1U);
        EXPECT_NE(report.rejected[0].reason.find(c.expected), std::string::npos)
            << report.rejected[0].reason;
        EXPECT_FALSE(registry.store.Head().has_value());
    }
    // A link that stays inside the folder is read like any file.
    registry.sandbox.Write("inne/arbetsmiljopolicy/metadata.xml", Metadata("arbetsmiljopolicy"));
    registry.sandbox.Write("inne/arbetsmiljopolicy/utkast.md", "Text.\n");
    fs::create_symlink("utkast.md", registry.sandbox / "inne/arbetsmiljopolicy/text.md");
    const ImportReport report = registry.Import({registry.sandbox / "inne/arbetsmiljopolicy"});
    EXPECT_TRUE(report.rejected.empty()) << Reasons(report);
}

}  // namespace
}  // namespace styrdok::store
