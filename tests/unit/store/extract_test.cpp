#include "styrdok/store/extract.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "styrdok/core/error.hpp"
#include "styrdok/testing/office_files.hpp"
#include "styrdok/testing/sandbox.hpp"

namespace styrdok::store {
namespace {

using namespace std::chrono_literals;
using testing::MakeDocx;
using testing::MakeOdt;
using testing::MakePdf;
using testing::MakeZip;
using testing::Repeat;

// Runs ExtractText and returns the Error's message, failing the test when nothing is thrown
// or the code is not `code`.
std::string Refusal(ErrorCode code, FileKind kind, const std::string& bytes,
                    const ExtractLimits& limits = {}) {
    try {
        ExtractText(kind, bytes, limits);
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), code) << error.what();
        return error.what();
    }
    ADD_FAILURE() << "no error";
    return {};
}

std::string BadInputMessage(FileKind kind, const std::string& bytes) {
    return Refusal(ErrorCode::kBadInput, kind, bytes);
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
              "Filen är ingen PDF.");
    EXPECT_EQ(BadInputMessage(FileKind::kPdf, MakeDocx(DocxParagraph(WordRun("Hej")))),
              "Filen är ingen PDF.");
    EXPECT_EQ(BadInputMessage(FileKind::kPdf, ""), "Filen är ingen PDF.");
}

TEST(ExtractPdf, RefusesADamagedPdf) {
    EXPECT_EQ(BadInputMessage(FileKind::kPdf, "%PDF-1.4\nnothing else at all\n"),
              "PDF-filen är skadad.");
}

TEST(ExtractPdf, RefusesAPdfLockedWithAUserPassword) {
    // Made by tests/fixtures/import/pdf/make-locked-pdf.py: RC4 under the password "hemlig".
    const std::string pdf =
        testing::ReadFile(testing::SourceDir() / "tests/fixtures/import/pdf/locked.pdf");
    EXPECT_EQ(BadInputMessage(FileKind::kPdf, pdf), "PDF-filen är låst med lösenord.");
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
    EXPECT_EQ(BadInputMessage(FileKind::kDocx, "inte en zip-fil"), "Filen är ingen DOCX-fil.");
    EXPECT_EQ(BadInputMessage(FileKind::kDocx, ""), "Filen är ingen DOCX-fil.");
    // A zip cut short loses its central directory.
    const std::string docx = MakeDocx(DocxParagraph(WordRun("Hej")));
    EXPECT_EQ(BadInputMessage(FileKind::kDocx, docx.substr(0, docx.size() / 2)),
              "Filen är ingen DOCX-fil.");
    EXPECT_EQ(BadInputMessage(FileKind::kDocx, MakeZip({{"annat.xml", "<a/>"}})),
              "Filen är ingen DOCX-fil (word/document.xml saknas).");
    EXPECT_EQ(BadInputMessage(FileKind::kDocx, MakeZip({{"word/document.xml", "<w:document>"}})),
              "Filen är ingen DOCX-fil (word/document.xml är inte korrekt XML).");
    EXPECT_EQ(BadInputMessage(FileKind::kDocx, MakeZip({{"word/document.xml", "<w:document/>"}})),
              "Filen är ingen DOCX-fil (w:body saknas).");
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
    EXPECT_EQ(BadInputMessage(FileKind::kOdt, "PK\x03\x04 trasig"), "Filen är ingen ODT-fil.");
    EXPECT_EQ(BadInputMessage(FileKind::kOdt, MakeZip({{"mimetype", "text/plain"}})),
              "Filen är ingen ODT-fil (content.xml saknas).");
    EXPECT_EQ(
        BadInputMessage(FileKind::kOdt, MakeZip({{"content.xml", "<office:document-content/>"}})),
        "Filen är inget ODT-textdokument (office:text saknas).");
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
        EXPECT_EQ(BadInputMessage(kind, broken), "Texten är inte giltig UTF-8.");
    }
    EXPECT_EQ(BadInputMessage(FileKind::kDocx, MakeDocx(DocxParagraph(WordRun(broken)))),
              "Filen är ingen DOCX-fil (word/document.xml är inte giltig UTF-8).");
    EXPECT_EQ(BadInputMessage(FileKind::kOdt, MakeOdt("<text:p>" + broken + "</text:p>")),
              "Filen är ingen ODT-fil (content.xml är inte giltig UTF-8).");
}

TEST(ExtractText, RefusesAnUnknownKind) {
    EXPECT_EQ(BadInputMessage(FileKind::kUnknown, "GIF89a"),
              "Ur den här sortens fil går ingen text att läsa (PDF, DOCX, ODT, Markdown eller "
              "text).");
}

// Nested tables, wrappers, revisions, alternate content and breaks together: the text these
// give was recorded from the recursive reader, which the iterative one replaced.
TEST(ExtractDocx, ReadsNestedTablesAndWrappersAsBefore) {
    const std::string inner = "<w:tbl><w:tr><w:tc>" + DocxParagraph(WordRun("Inre A")) +
                              "</w:tc><w:tc>" + DocxParagraph(WordRun("Inre | B")) +
                              "</w:tc></w:tr></w:tbl>";
    const std::string tables =
        "<w:tbl><w:tblPr/><w:tr><w:tc>" + DocxParagraph(WordRun("Rubrik")) + "</w:tc><w:tc>" +
        DocxParagraph(WordRun("Mer")) + DocxParagraph(WordRun("Andra stycket")) +
        "</w:tc></w:tr><w:tr><w:tc>" + inner + DocxParagraph(WordRun("Efter")) +
        "</w:tc></w:tr><w:tr/></w:tbl>" + DocxParagraph(WordRun("Slut"));
    EXPECT_EQ(ExtractText(FileKind::kDocx, MakeDocx(tables)),
              "| Rubrik | Mer Andra stycket |\n| --- | --- |\n"
              "| \\| Inre A \\| Inre \\\\| B \\| \\| --- \\| --- \\| Efter | |\n| | |\n\nSlut\n");

    const std::string wrappers =
        "<w:sdt><w:sdtPr/><w:sdtContent>" + DocxParagraph(WordRun("I sdt")) +
        "</w:sdtContent></w:sdt><w:customXml><w:smartTag>" + DocxParagraph(WordRun("Smart")) +
        "</w:smartTag></w:customXml><w:ins>" + DocxParagraph(WordRun("Infogat")) +
        "</w:ins><w:sectPr><w:p><w:r><w:t>dold</w:t></w:r></w:p></w:sectPr>"
        "<w:p><w:pPr><w:outlineLvl w:val=\"1\"/></w:pPr>" +
        WordRun("Nivå två") + "<w:r><w:br/></w:r>" + WordRun("rad") +
        "</w:p><w:p><w:pPr><w:outlineLvl w:val=\"9\"/></w:pPr>" + WordRun("Brödtext") + "</w:p>" +
        DocxParagraph(WordRun("Djup rubrik"), "Heading12") + "<w:p>" + WordRun("Sida") +
        "<w:r><w:br w:type=\"page\"/></w:r>" + WordRun("två") + "<w:r><w:noBreakHyphen/></w:r>" +
        WordRun("x") + "<w:r><w:br/></w:r></w:p><w:p><mc:AlternateContent><mc:Choice>" +
        WordRun("Val") + "</mc:Choice><mc:Fallback>" + WordRun("Reserv") +
        "</mc:Fallback></mc:AlternateContent><w:hyperlink>" + WordRun(" länk ") +
        "</w:hyperlink><w:r><w:t>  </w:t></w:r></w:p>" + DocxParagraph(WordRun("   ")) +
        "<w:p><w:pPr><w:pStyle w:val=\"Rubrik\"/><w:numPr/></w:pPr>" + WordRun("Titel") +
        "</w:p><w:p><w:pPr><w:numPr/></w:pPr>" + WordRun("Punkt") + "<w:r><w:cr/></w:r>" +
        WordRun("fortsätter") + "</w:p><w:p><w:r><w:txbxContent>" +
        DocxParagraph(WordRun("Textruta")) + "</w:txbxContent></w:r>" + WordRun("efter") + "</w:p>";
    EXPECT_EQ(ExtractText(FileKind::kDocx, MakeDocx(wrappers)),
              "I sdt\n\nSmart\n\nInfogat\n\n## Nivå två\\ rad\n\nBrödtext\n\n###### Djup rubrik"
              "\n\nSida två-x\n\nVal länk\n\n# Titel\n\n- Punkt\\\nfortsätter\n\nTextrutaefter\n");
}

TEST(ExtractOdt, ReadsTablesListsSectionsAndFramesAsBefore) {
    const std::string odt = MakeOdt(
        "<table:table><table:table-column/><table:table-row><table:table-cell><text:p>Rad ett"
        "</text:p></table:table-cell></table:table-row><table:table-header-rows>"
        "<table:table-row><table:table-cell><text:p>Huvud</text:p><text:p>två</text:p>"
        "</table:table-cell><table:covered-table-cell/><table:table-cell><text:list>"
        "<text:list-item><text:p>I cell</text:p></text:list-item></text:list></table:table-cell>"
        "</table:table-row></table:table-header-rows><table:table-rows><table:table-row>"
        "<table:table-cell><table:table><table:table-row><table:table-cell><text:p>Inre</text:p>"
        "</table:table-cell></table:table-row></table:table></table:table-cell></table:table-row>"
        "</table:table-rows></table:table>"
        "<text:list><text:list-header><text:p>Huvud i lista</text:p></text:list-header>"
        "<text:list-item><text:p>Första</text:p><text:p>fortsättning</text:p>"
        "<text:h text:outline-level=\"3\">Rubrik i lista</text:h><text:list><text:list-item>"
        "<text:p>Djupare</text:p><text:list><text:list-item><text:p>Djupast</text:p>"
        "</text:list-item></text:list></text:list-item></text:list></text:list-item>"
        "<text:list-item><text:list><text:list-item><text:p>Bara inre</text:p></text:list-item>"
        "</text:list></text:list-item></text:list>"
        "<text:section><text:p>I sektion</text:p><text:list><text:list-item><text:section>"
        "<text:p>Sektion i lista</text:p></text:section></text:list-item></text:list>"
        "</text:section>"
        "<text:p>Fotnot<text:note><text:note-body><text:p>dold</text:p></text:note-body>"
        "</text:note> och <office:annotation><text:p>kommentar</text:p></office:annotation>text"
        "<draw:frame><draw:text-box><text:p>ruta</text:p></draw:text-box></draw:frame>"
        "<![CDATA[ cdata  här ]]></text:p>"
        "<draw:frame><draw:text-box><text:p>Fristående ruta</text:p></draw:text-box></draw:frame>"
        "<text:h text:outline-level=\"9\">För djup</text:h><text:h>Utan nivå<text:line-break/>"
        "</text:h><text:p>  <text:s/>  </text:p><text:p>a<text:s text:c=\"4\"/>b<text:tab/>c"
        "<text:soft-page-break/>d</text:p><text:index-body><text:p>Index</text:p>"
        "</text:index-body><text:table-of-content><text:p>Innehåll</text:p>"
        "</text:table-of-content><text:unknown><text:p>okänd</text:p></text:unknown>");
    EXPECT_EQ(ExtractText(FileKind::kOdt, odt),
              "| Huvud två | | - I cell |\n| --- | --- | --- |\n| Rad ett | | |\n"
              "| \\| Inre \\| \\| --- \\| | | |\n\n- Huvud i lista\n\n- Första\n\nfortsättning\n\n"
              "### Rubrik i lista\n\n- Djupare\n\n- Djupast\n\n- Bara inre\n\nI sektion\n\n"
              "- Sektion i lista\n\nFotnot och textruta cdata här\n\nFristående ruta\n\n"
              "###### För djup\n\n# Utan nivå\n\na b cd\n\nIndex\n\nInnehåll\n");
}

// --- bounds (issue 15) ---------------------------------------------------------------

// The files an attacker sent to a release build, which crashed it (the nesting) or grew it
// to 15-19 GB for over a minute (the table): each is now refused by name, in well under
// the time a person waits, at default limits.
TEST(ExtractHostileFile, IsRefusedByNameWithinSeconds) {
    const std::string more_than_a_megabyte =
        "<w:p>" + Repeat(WordRun(std::string(1000, 'x')), 1100) + "</w:p>";
    const struct {
        const char* name;
        FileKind kind;
        std::string bytes;
        ErrorCode code;
        const char* message;
    } cases[] = {
        {"DOCX nesting w:r 300 000 deep", FileKind::kDocx, testing::NestedDocx(300'000),
         ErrorCode::kBadInput, "Filen är för djupt nästlad (mer än 200 nivåer)."},
        {"ODT nesting text:span 300 000 deep", FileKind::kOdt, testing::NestedOdt(300'000),
         ErrorCode::kBadInput, "Filen är för djupt nästlad (mer än 200 nivåer)."},
        {"DOCX table of 20 000 columns and 50 000 rows", FileKind::kDocx,
         testing::WideTableDocx(20'000, 50'000), ErrorCode::kTooLarge,
         "En tabell i filen har för många celler (mer än 250 000)."},
        {"DOCX of more than 1 MiB of text", FileKind::kDocx, MakeDocx(more_than_a_megabyte),
         ErrorCode::kTooLarge, "Texten blir större än 1 MB."},
        {"DOCX of 4 million empty elements", FileKind::kDocx,
         MakeDocx("<w:p>" + Repeat("<a/>", 4'000'000) + "</w:p>"), ErrorCode::kTooLarge,
         "Filen har för många XML-element och attribut (mer än 4 000 000)."},
        {"ODT whose content.xml unpacks to 64 MiB", FileKind::kOdt,
         MakeOdt("<text:p>" + std::string(std::size_t{64} << 20, ' ') + "</text:p>"),
         ErrorCode::kTooLarge, "Filen är för stor uppackad (content.xml är större än 64 MB)."},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const auto started = std::chrono::steady_clock::now();
        EXPECT_EQ(Refusal(c.code, c.kind, c.bytes), c.message);
        EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);
    }
}

// However many spaces text:s asks for, tidying makes one of them: eight of two billion each
// are read at once, as one.
TEST(ExtractHostileFile, ReadsTwoBillionSpacesAsOne) {
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(ExtractText(FileKind::kOdt, testing::SpacedOdt(8, "2000000000")), "a b\n");
    EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);
    EXPECT_EQ(ExtractText(FileKind::kOdt, testing::SpacedOdt(1, "-5")), "a b\n");
}

TEST(ExtractLimits, AllowsNestingUpToTheDepthLimit) {
    // w:document, w:body, w:p and the text node are four levels besides the runs.
    ExtractLimits limits;
    limits.max_depth = 10;
    EXPECT_EQ(ExtractText(FileKind::kDocx, testing::NestedDocx(5), limits), "x\n");
    EXPECT_EQ(Refusal(ErrorCode::kBadInput, FileKind::kDocx, testing::NestedDocx(6), limits),
              "Filen är för djupt nästlad (mer än 10 nivåer).");
}

TEST(ExtractLimits, CountsATableAsItsRowsTimesItsWidestRow) {
    ExtractLimits limits;
    limits.max_table_cells = 4;
    const auto table = [](const std::vector<int>& widths) {
        std::string rows;
        for (const int width : widths) {
            rows += "<w:tr>" +
                    Repeat("<w:tc>" + DocxParagraph(WordRun("c")) + "</w:tc>",
                           static_cast<std::size_t>(width)) +
                    "</w:tr>";
        }
        return MakeDocx("<w:tbl>" + rows + "</w:tbl>");
    };
    EXPECT_EQ(ExtractText(FileKind::kDocx, table({2, 2}), limits),
              "| c | c |\n| --- | --- |\n| c | c |\n");
    const std::string refusal = "En tabell i filen har för många celler (mer än 4).";
    EXPECT_EQ(Refusal(ErrorCode::kTooLarge, FileKind::kDocx, table({3, 1}), limits), refusal);
    EXPECT_EQ(Refusal(ErrorCode::kTooLarge, FileKind::kDocx, table({1, 1, 1, 1, 1}), limits),
              refusal);
    const std::string odt =
        MakeOdt("<table:table>" +
                Repeat("<table:table-row>" +
                           Repeat("<table:table-cell><text:p>c</text:p></table:table-cell>", 3) +
                           "</table:table-row>",
                       2) +
                "</table:table>");
    EXPECT_EQ(Refusal(ErrorCode::kTooLarge, FileKind::kOdt, odt, limits), refusal);
}

TEST(ExtractLimits, RefusesTextPastTheTextLimit) {
    ExtractLimits limits;
    limits.max_text_bytes = std::size_t{1} << 20;
    const std::string half = std::string(std::size_t{1} << 19, 'x');
    EXPECT_EQ(ExtractText(FileKind::kDocx, MakeDocx(DocxParagraph(WordRun(half))), limits),
              half + "\n");
    const std::string refusal = "Texten blir större än 1 MB.";
    EXPECT_EQ(Refusal(ErrorCode::kTooLarge, FileKind::kDocx,
                      MakeDocx(Repeat(DocxParagraph(WordRun(half)), 3)), limits),
              refusal);
    EXPECT_EQ(Refusal(ErrorCode::kTooLarge, FileKind::kOdt,
                      MakeOdt(Repeat("<text:p>" + half + "</text:p>", 3)), limits),
              refusal);
    // A table's rendering counts too, here with the text of its cells.
    EXPECT_EQ(Refusal(ErrorCode::kTooLarge, FileKind::kDocx,
                      MakeDocx("<w:tbl><w:tr><w:tc>" + DocxParagraph(WordRun(half)) +
                               "</w:tc></w:tr></w:tbl>"),
                      limits),
              refusal);
    // 270 pages of 50 lines of 80 letters, each line inside the page so that poppler reads it.
    const std::vector<std::vector<std::string>> pages(
        270, std::vector<std::string>(50, std::string(80, 'p')));
    EXPECT_EQ(Refusal(ErrorCode::kTooLarge, FileKind::kPdf, MakePdf(pages), limits), refusal);
}

TEST(ExtractLimits, RefusesAPdfOfMorePagesThanTheLimit) {
    ExtractLimits limits;
    limits.max_pages = 2;
    EXPECT_EQ(ExtractText(FileKind::kPdf, MakePdf({{"Ett"}, {"Två"}}), limits), "Ett\n\nTvå\n");
    EXPECT_EQ(
        Refusal(ErrorCode::kTooLarge, FileKind::kPdf, MakePdf({{"Ett"}, {"Två"}, {"Tre"}}), limits),
        "PDF-filen har fler än 2 sidor.");
}

TEST(ExtractLimits, StopsAnExtractionPastItsTime) {
    ExtractLimits limits;
    limits.max_time = 0ms;
    const struct {
        FileKind kind;
        std::string bytes;
    } cases[] = {
        {FileKind::kPdf, MakePdf({{"Sida"}})},
        {FileKind::kDocx, MakeDocx(Repeat(DocxParagraph(WordRun("Stycke")), 1000))},
        {FileKind::kOdt, MakeOdt(Repeat("<text:p>Stycke</text:p>", 1000))},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(static_cast<int>(c.kind));
        EXPECT_EQ(Refusal(ErrorCode::kTooLarge, c.kind, c.bytes, limits),
                  "Filen tar för lång tid att läsa (mer än 0 sekunder).");
    }
}

TEST(ExtractionSlot, RefusesAnExtractionWhileEveryPlaceIsTaken) {
    ASSERT_GE(ExtractionSlot::Capacity(), 1U);
    std::vector<std::unique_ptr<ExtractionSlot>> taken;
    for (std::size_t i = 0; i < ExtractionSlot::Capacity(); ++i) {
        taken.push_back(std::make_unique<ExtractionSlot>(0ms));
    }
    ExtractLimits limits;
    limits.slot_wait = 20ms;
    const std::string docx = MakeDocx(DocxParagraph(WordRun("Hej")));
    EXPECT_EQ(Refusal(ErrorCode::kTooManyRequests, FileKind::kDocx, docx, limits),
              "Servern läser redan in många filer. Försök igen om en stund.");
    // Text passed through costs nothing worth a place.
    EXPECT_EQ(ExtractText(FileKind::kMarkdown, "# Rubrik\n", limits), "# Rubrik\n");
    taken.pop_back();
    EXPECT_EQ(ExtractText(FileKind::kDocx, docx, limits), "Hej\n");
}

TEST(ExtractionSlot, WaitsForAPlaceToFree) {
    auto taken = std::make_shared<std::vector<std::unique_ptr<ExtractionSlot>>>();
    for (std::size_t i = 0; i < ExtractionSlot::Capacity(); ++i) {
        taken->push_back(std::make_unique<ExtractionSlot>(0ms));
    }
    std::thread release([taken] {
        std::this_thread::sleep_for(50ms);
        taken->pop_back();
    });
    ExtractLimits limits;
    limits.slot_wait = 10s;
    EXPECT_EQ(ExtractText(FileKind::kOdt, MakeOdt("<text:p>Hej</text:p>"), limits), "Hej\n");
    release.join();
}

}  // namespace
}  // namespace styrdok::store
