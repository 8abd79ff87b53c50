// `styrdok propose` as a clerk runs it on a folder of originals, and `styrdok import` of
// what it wrote: the proposals import as they are, originals kept as attachments.
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cases.hpp"
#include "mixed_pdf.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/store/store.hpp"
#include "styrdok/testing/office_files.hpp"
#include "styrdok/testing/sandbox.hpp"

namespace styrdok {
namespace {

using testing::ShellQuote;

testing::RunResult Styrdok(const std::string& arguments) {
    return testing::Run(std::string(STYRDOK_BINARY) + " " + arguments);
}

std::size_t CountLines(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(ProposeCommand, WritesFoldersThatImportAsTheyAre) {
    testing::Sandbox sandbox;
    std::size_t documents = 0;
    for (const char* set : {"tune", "heldout", "heldout2", "heldout4", "heldout5"}) {
        for (const auto& c :
             testing::LoadProposeCases(testing::SourceDir() / "tests/propose" / set)) {
            sandbox.Write(std::string("in/") + set + "/" + testing::CaseFileName(c),
                          testing::MakeCaseFile(c));
            ++documents;
        }
    }
    sandbox.Write("in/trasig.pdf", "%PDF-1.4 this is no PDF at all");
    sandbox.Write("in/gammal.doc", "\xD0\xCF\x11\xE0 an old Word file");
    sandbox.Write("in/bild.png", "not a document");
    const std::string out = (sandbox / "out").string();

    const auto proposed =
        Styrdok("propose " + ShellQuote((sandbox / "in").string()) + " --out " + ShellQuote(out) +
                " --schema " + ShellQuote((testing::SourceDir() / "schema/default.xml").string()));
    // Two files fail, each on a line of its own; the others are proposed all the same.
    EXPECT_EQ(proposed.exit_code, 1) << proposed.err;
    EXPECT_NE(proposed.err.find("failed: " + (sandbox / "in/trasig.pdf").string() + ": "),
              std::string::npos)
        << proposed.err;
    EXPECT_NE(proposed.err.find("gammal.doc: Filer i Word 97–2003-format (.doc) läses inte"),
              std::string::npos)
        << proposed.err;
    EXPECT_NE(proposed.out.find("Proposed " + std::to_string(documents) + " documents"),
              std::string::npos)
        << proposed.out;
    EXPECT_NE(proposed.out.find("read by OCR"), std::string::npos) << proposed.out;
    EXPECT_NE(proposed.out.find("skipped 1 other files"), std::string::npos) << proposed.out;

    const std::string csv = testing::ReadFile(sandbox / "out/proposals.csv");
    EXPECT_EQ(CountLines(csv), documents + 1);
    EXPECT_TRUE(
        csv.starts_with("id;title;doctype;decided_by;decided_on;paragraph;dnr;owner;"
                        "valid_from;valid_to;status;file;uncertain;text_file\n"));
    EXPECT_NE(csv.find("riktlinjer-for-inkop-och-upphandling;Riktlinjer för inköp och "
                       "upphandling;riktlinje;kf;2011-04-19;§ 90;KS/2009:50;Ekonomidirektör;"
                       "2011-04-19;;gällande;riktlinjer-for-inkop-och-upphandling/files/"
                       "inkop.pdf;;riktlinjer-for-inkop-och-upphandling/text.md\n"),
              std::string::npos)
        << csv;
    EXPECT_TRUE(std::filesystem::exists(
        sandbox / "out/riktlinjer-for-inkop-och-upphandling/files/inkop.pdf"));

    const std::string registry = (sandbox / "registry").string();
    ASSERT_EQ(Styrdok("init --data " + ShellQuote(registry)).exit_code, 0);
    const auto imported = Styrdok("import " + ShellQuote(out) + " --data " + ShellQuote(registry) +
                                  " --today 2026-11-23");
    EXPECT_EQ(imported.exit_code, 0) << imported.out << imported.err;
    EXPECT_NE(imported.out.find("Imported " + std::to_string(documents) + " documents"),
              std::string::npos)
        << imported.out << imported.err;
    // The register, as it is, brings the same documents.
    const std::string register_registry = (sandbox / "register").string();
    ASSERT_EQ(Styrdok("init --data " + ShellQuote(register_registry)).exit_code, 0);
    const auto from_register = Styrdok("import " + ShellQuote(out + "/proposals.csv") + " --data " +
                                       ShellQuote(register_registry) + " --today 2026-11-23");
    EXPECT_EQ(from_register.exit_code, 0) << from_register.out << from_register.err;
    EXPECT_NE(from_register.out.find("Imported " + std::to_string(documents) + " documents"),
              std::string::npos)
        << from_register.out << from_register.err;
}

// What `styrdok propose` writes imports as it is, as folders or as the register, and the
// two give the same documents: metadata as proposed, the original kept as an attachment,
// in force when every value is sure and a draft otherwise (a scan's OCR is never sure).
TEST(ProposeCommand, ItsFoldersAndItsRegisterImportAsTheSameDocuments) {
    testing::Sandbox sandbox;
    const std::string typed =
        testing::MakePdf({{"Riktlinjer för inköp",
                           "Fastställd av kommunfullmäktige "
                           "2021-06-23 § 139",
                           "Dnr KS 2021/0150", "Dokumentansvarig: Kanslichef"}});
    const std::string scanned = testing::TypedCoverBeforeScan(
        {"Riktlinjer för hantering av allmänna handlingar", "Kommunstyrelsens förvaltning"},
        {{"Fastställd av kommunfullmäktige 2019-03-25 § 41", "Dnr KS 2018/0412"}});
    sandbox.Write("in/inkop.pdf", typed);
    sandbox.Write("in/arkiv.pdf", scanned);
    sandbox.Write("in/medier.md", "# Policy för sociala medier\n\nText.\n");
    const std::string out = (sandbox / "out").string();
    const auto proposed =
        Styrdok("propose " + ShellQuote((sandbox / "in").string()) + " --out " + ShellQuote(out) +
                " --schema " + ShellQuote((testing::SourceDir() / "schema/default.xml").string()));
    ASSERT_EQ(proposed.exit_code, 0) << proposed.out << proposed.err;
    EXPECT_NE(proposed.out.find("arkiv.pdf -> riktlinjer-for-hantering-av-allmanna-handlingar/ "
                                "(utkast; uncertain: "),
              std::string::npos)
        << proposed.out;
    EXPECT_NE(proposed.out.find("read by OCR, 1 of 2 pages"), std::string::npos) << proposed.out;
    EXPECT_TRUE(testing::ReadFile(sandbox / "out/proposals.csv")
                    .starts_with("id;title;doctype;decided_by;decided_on;paragraph;dnr;owner;"
                                 "valid_from;valid_to;status;file;uncertain;text_file\n"));

    const auto import = [&](const std::string& name, const std::string& source) {
        const std::string registry = (sandbox / name).string();
        EXPECT_EQ(Styrdok("init --data " + ShellQuote(registry)).exit_code, 0);
        const auto imported = Styrdok("import " + ShellQuote(source) + " --data " +
                                      ShellQuote(registry) + " --today 2026-11-23");
        EXPECT_EQ(imported.exit_code, 0) << imported.out << imported.err;
        EXPECT_NE(imported.out.find("Imported 3 documents"), std::string::npos)
            << imported.out << imported.err;
        return store::Store::Open(sandbox / name / "repository");
    };
    const store::Store folders = import("folders", out);
    const store::Store registers = import("register", out + "/proposals.csv");
    for (const store::Store* store : {&folders, &registers}) {
        SCOPED_TRACE(store == &folders ? "folders" : "register");
        EXPECT_EQ(store->ListDocuments(), std::vector<std::string>{"riktlinjer-for-inkop"});
        const std::optional<store::Document> inkop = store->Read("riktlinjer-for-inkop");
        ASSERT_TRUE(inkop.has_value());
        EXPECT_EQ(inkop->metadata.status, core::Status::kInForce);
        EXPECT_EQ(inkop->metadata.decided_by, "kf");
        EXPECT_EQ(inkop->metadata.decided_on, core::Date::FromYmd(2021, 6, 23));
        EXPECT_EQ(inkop->metadata.paragraph, "§ 139");
        EXPECT_EQ(inkop->metadata.dnr, "KS 2021/0150");
        EXPECT_EQ(inkop->files, std::vector<std::string>{"inkop.pdf"});
        EXPECT_EQ(store->ReadFile("riktlinjer-for-inkop", "inkop.pdf"), typed);

        // The decision is on the scanned page, read by OCR: proposed, but a draft.
        const std::optional<store::Document> arkiv =
            store->ReadDraft("riktlinjer-for-hantering-av-allmanna-handlingar");
        ASSERT_TRUE(arkiv.has_value());
        EXPECT_EQ(arkiv->metadata.status, core::Status::kDraft);
        EXPECT_EQ(arkiv->metadata.title, "Riktlinjer för hantering av allmänna handlingar");
        EXPECT_EQ(arkiv->metadata.decided_on, core::Date::FromYmd(2019, 3, 25));
        EXPECT_NE(arkiv->text.find("KS 2018/0412"), std::string::npos) << arkiv->text;
        EXPECT_EQ(arkiv->files, std::vector<std::string>{"arkiv.pdf"});

        const std::optional<store::Document> medier = store->ReadDraft("policy-for-sociala-medier");
        ASSERT_TRUE(medier.has_value());
        EXPECT_EQ(medier->text, "# Policy för sociala medier\n\nText.\n");
        EXPECT_TRUE(medier->files.empty());
    }
    for (const char* id :
         {"riktlinjer-for-hantering-av-allmanna-handlingar", "policy-for-sociala-medier"}) {
        SCOPED_TRACE(id);
        const std::optional<store::Document> a = folders.ReadDraft(id);
        const std::optional<store::Document> b = registers.ReadDraft(id);
        ASSERT_TRUE(a && b);
        EXPECT_EQ(a->metadata, b->metadata);
        EXPECT_EQ(a->text, b->text);
        EXPECT_EQ(a->files, b->files);
    }
    EXPECT_EQ(folders.Read("riktlinjer-for-inkop")->text,
              registers.Read("riktlinjer-for-inkop")->text);
}

TEST(ProposeCommand, RefusesAnOutputFolderThatHoldsSomething) {
    testing::Sandbox sandbox;
    sandbox.Write("in/policy.txt", "Policy för test\n");
    sandbox.Write("out/annat.txt", "något annat");
    const auto result = Styrdok("propose " + ShellQuote((sandbox / "in").string()) + " --out " +
                                ShellQuote((sandbox / "out").string()));
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("must be a new or empty folder"), std::string::npos) << result.err;
    EXPECT_EQ(testing::ReadFile(sandbox / "out/annat.txt"), "något annat");
}

}  // namespace
}  // namespace styrdok
