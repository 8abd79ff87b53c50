#include "styrdok/store/extract.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "office_files.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/testing/sandbox.hpp"

namespace styrdok::store {
namespace {

using testing::MakeDocx;
using testing::MakeOdt;
using testing::MakePdf;
using testing::MakeZip;

// Runs ExtractText and returns the Error's message, failing the test when nothing is thrown
// or the code is not kBadInput.
std::string BadInputMessage(FileKind kind, const std::string& bytes) {
    try {
        ExtractText(kind, bytes);
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), ErrorCode::kBadInput);
        return error.what();
    }
    ADD_FAILURE() << "no error";
    return {};
}

std::string DocxParagraph(const std::string& runs, const std::string& style = {}) {
    std::string properties;
    if (!style.empty()) properties = "<w:pPr><w:pStyle w:val=\"" + style + "\"/></w:pPr>";
    return "<w:p>" + properties + runs + "</w:p>";
}

std::string WordRun(const std::string& text) {
    return "<w:r><w:t xml:space=\"preserve\">" + text + "</w:t></w:r>";
}

TEST(ExtractFileKind, FollowsTheExtensionCaseInsensitively) {
    const struct {
        const char* name;
        FileKind kind;
    } cases[] = {
        {"beslut.pdf", FileKind::kPdf},        {"BESLUT.PDF", FileKind::kPdf},
        {"policy.docx", FileKind::kDocx},      {"Policy.DocX", FileKind::kDocx},
        {"plan.odt", FileKind::kOdt},          {"text.md", FileKind::kMarkdown},
        {"las-mig.txt", FileKind::kPlainText}, {"bild.png", FileKind::kUnknown},
        {"utan-andelse", FileKind::kUnknown},  {"gammal.doc", FileKind::kUnknown},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        EXPECT_EQ(FileKindOf(c.name), c.kind);
    }
}

TEST(ExtractPdf, ReadsTextWithSwedishLetters) {
    const std::string pdf = MakePdf({{"Riktlinjer för äldreomsorg", "Åtgärder på Öland"}});
    const std::string text = ExtractText(FileKind::kPdf, pdf);
    EXPECT_NE(text.find("Riktlinjer för äldreomsorg"), std::string::npos) << text;
    EXPECT_NE(text.find("Åtgärder på Öland"), std::string::npos) << text;
}

TEST(ExtractPdf, SeparatesPagesWithABlankLine) {
    const std::string pdf = MakePdf({{"Sida ett"}, {"Sida   två"}});
    EXPECT_EQ(ExtractText(FileKind::kPdf, pdf), "Sida ett\n\nSida två\n");
}

TEST(ExtractPdf, RefusesBytesThatAreNotAPdf) {
    EXPECT_EQ(BadInputMessage(FileKind::kPdf, "Detta är ett Word-dokument, inte en PDF."),
              "not a PDF");
    EXPECT_EQ(BadInputMessage(FileKind::kPdf, MakeDocx(DocxParagraph(WordRun("Hej")))),
              "not a PDF");
    EXPECT_EQ(BadInputMessage(FileKind::kPdf, ""), "not a PDF");
}

TEST(ExtractPdf, RefusesADamagedPdf) {
    EXPECT_EQ(BadInputMessage(FileKind::kPdf, "%PDF-1.4\nnothing else at all\n"), "damaged PDF");
}

TEST(ExtractPdf, RefusesAPdfLockedWithAUserPassword) {
    // Made by tests/fixtures/import/pdf/make-locked-pdf.py: RC4 under the password "hemlig".
    const std::string pdf =
        testing::ReadFile(testing::SourceDir() / "tests/fixtures/import/pdf/locked.pdf");
    EXPECT_EQ(BadInputMessage(FileKind::kPdf, pdf), "PDF is encrypted");
}

TEST(ExtractDocx, ReadsParagraphsRunsTabsAndLineBreaks) {
    const std::string docx =
        MakeDocx(DocxParagraph(WordRun("Kommunen ") + WordRun("ska") +
                               "<w:r><w:tab/><w:t>främja</w:t></w:r>") +
                 DocxParagraph("<w:r><w:t>Första raden</w:t><w:br/><w:t>andra raden</w:t></w:r>") +
                 DocxParagraph("") + DocxParagraph(WordRun("Sista stycket: å ä ö Å Ä Ö")));
    EXPECT_EQ(ExtractText(FileKind::kDocx, docx),
              "Kommunen ska främja\n\nFörsta raden\\\nandra raden\n\n"
              "Sista stycket: å ä ö Å Ä Ö\n");
}

TEST(ExtractDocx, TurnsHeadingStylesIntoMarkdownHeadings) {
    const std::string docx = MakeDocx(DocxParagraph(WordRun("Arbetsmiljöpolicy"), "Heading1") +
                                      DocxParagraph(WordRun("Ansvar"), "Rubrik2") +
                                      DocxParagraph(WordRun("Syfte"), "Title") +
                                      DocxParagraph(WordRun("Brödtext"), "Normal"));
    EXPECT_EQ(ExtractText(FileKind::kDocx, docx),
              "# Arbetsmiljöpolicy\n\n## Ansvar\n\n# Syfte\n\nBrödtext\n");
}

TEST(ExtractDocx, WritesListsAndTables) {
    const std::string item =
        "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>" +
        WordRun("Skyddsrond") + "</w:p>";
    const std::string table = "<w:tbl><w:tr><w:tc>" + DocxParagraph(WordRun("Nämnd")) +
                              "</w:tc><w:tc>" + DocxParagraph(WordRun("Ansvar")) +
                              "</w:tc></w:tr><w:tr><w:tc>" + DocxParagraph(WordRun("KS")) +
                              "</w:tc><w:tc>" + DocxParagraph(WordRun("Allt")) +
                              "</w:tc></w:tr></w:tbl>";
    EXPECT_EQ(ExtractText(FileKind::kDocx, MakeDocx(item + table)),
              "- Skyddsrond\n\n| Nämnd | Ansvar |\n| --- | --- |\n| KS | Allt |\n");
}

TEST(ExtractDocx, SkipsDeletedTextAndFieldCodes) {
    const std::string docx = MakeDocx(DocxParagraph(
        WordRun("Gäller ") + "<w:del><w:r><w:delText>inte </w:delText></w:r></w:del>" +
        "<w:r><w:instrText>PAGE</w:instrText></w:r>" + WordRun("alla")));
    EXPECT_EQ(ExtractText(FileKind::kDocx, docx), "Gäller alla\n");
}

TEST(ExtractDocx, RefusesWhatIsNotADocx) {
    EXPECT_EQ(BadInputMessage(FileKind::kDocx, "inte en zip-fil"), "not a DOCX file");
    EXPECT_EQ(BadInputMessage(FileKind::kDocx, ""), "not a DOCX file");
    // A zip cut short loses its central directory.
    const std::string docx = MakeDocx(DocxParagraph(WordRun("Hej")));
    EXPECT_EQ(BadInputMessage(FileKind::kDocx, docx.substr(0, docx.size() / 2)), "not a DOCX file");
    EXPECT_EQ(BadInputMessage(FileKind::kDocx, MakeZip({{"annat.xml", "<a/>"}})),
              "not a DOCX file (no word/document.xml)");
    EXPECT_NE(BadInputMessage(FileKind::kDocx, MakeZip({{"word/document.xml", "<w:document>"}}))
                  .find("not a DOCX file (word/document.xml:"),
              std::string::npos);
}

TEST(ExtractOdt, ReadsHeadingsParagraphsSpansSpacesAndLists) {
    const std::string odt = MakeOdt(
        "<text:h text:outline-level=\"1\">Kulturprogram</text:h>"
        "<text:h text:outline-level=\"2\">Mål för <text:span>året</text:span></text:h>"
        "<text:p>Kultur  för\n alla<text:s text:c=\"3\"/>i <text:span>Exempelby</text:span>"
        "<text:tab/>kommun.</text:p>"
        "<text:p>Rad ett<text:line-break/>rad två</text:p>"
        "<text:list><text:list-item><text:p>Bibliotek</text:p></text:list-item>"
        "<text:list-item><text:p>Musikskola</text:p>"
        "<text:list><text:list-item><text:p>Körsång</text:p></text:list-item></text:list>"
        "</text:list-item></text:list>"
        "<text:p/>"
        "<text:p>Slut: åäö ÅÄÖ</text:p>");
    EXPECT_EQ(ExtractText(FileKind::kOdt, odt),
              "# Kulturprogram\n\n## Mål för året\n\nKultur för alla i Exempelby kommun.\n\n"
              "Rad ett\\\nrad två\n\n- Bibliotek\n\n- Musikskola\n\n- Körsång\n\n"
              "Slut: åäö ÅÄÖ\n");
}

TEST(ExtractOdt, RefusesWhatIsNotAnOdt) {
    EXPECT_EQ(BadInputMessage(FileKind::kOdt, "PK\x03\x04 trasig"), "not an ODT file");
    EXPECT_EQ(BadInputMessage(FileKind::kOdt, MakeZip({{"mimetype", "text/plain"}})),
              "not an ODT file (no content.xml)");
    EXPECT_EQ(
        BadInputMessage(FileKind::kOdt, MakeZip({{"content.xml", "<office:document-content/>"}})),
        "not an ODT text document (no office:text)");
}

TEST(ExtractMarkdown, PassesTextThroughWithoutByteOrderMarkOrCarriageReturns) {
    EXPECT_EQ(ExtractText(FileKind::kMarkdown, "\xEF\xBB\xBF# Rubrik\r\n\r\n*Ansvar* <b>\r\n"),
              "# Rubrik\n\n*Ansvar* <b>\n");
}

TEST(ExtractPlainText, EscapesNothing) {
    EXPECT_EQ(ExtractText(FileKind::kPlainText, "# inte en rubrik? *ja* & <nej>\n"),
              "# inte en rubrik? *ja* & <nej>\n");
}

TEST(ExtractText, RefusesInvalidUtf8) {
    const std::string broken = "Bidrag f\xF6r \xE4ldre";  // Latin-1, not UTF-8
    for (const FileKind kind : {FileKind::kMarkdown, FileKind::kPlainText}) {
        EXPECT_EQ(BadInputMessage(kind, broken), "text is not valid UTF-8");
    }
    EXPECT_EQ(BadInputMessage(FileKind::kDocx, MakeDocx(DocxParagraph(WordRun(broken)))),
              "word/document.xml is not valid UTF-8");
    EXPECT_EQ(BadInputMessage(FileKind::kOdt, MakeOdt("<text:p>" + broken + "</text:p>")),
              "content.xml is not valid UTF-8");
}

TEST(ExtractText, RefusesAnUnknownKind) {
    EXPECT_EQ(BadInputMessage(FileKind::kUnknown, "GIF89a"),
              "no text can be extracted from this kind of file");
}

}  // namespace
}  // namespace styrdok::store
