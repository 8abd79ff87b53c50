// `styrdok propose` as a clerk runs it on a folder of originals, and `styrdok import` of
// what it wrote: the proposals import as they are, originals kept as attachments.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "cases.hpp"
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
    for (const char* set : {"tune", "heldout", "heldout4"}) {
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
                        "valid_from;valid_to;status;file;uncertain\n"));
    EXPECT_NE(csv.find("riktlinjer-for-inkop-och-upphandling;Riktlinjer för inköp och "
                       "upphandling;riktlinje;kf;2011-04-19;§ 90;KS/2009:50;Ekonomidirektör;"
                       "2011-04-19;;gällande;riktlinjer-for-inkop-och-upphandling/files/"
                       "inkop.pdf;\n"),
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
