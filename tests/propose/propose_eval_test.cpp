// The evaluation of the proposer (issue 20): every document of the set made into its file,
// read as `styrdok propose` reads it (text layer, else OCR), and each proposed field compared
// with what a clerk would enter. Figures are printed; the bar is 90 % of the fields right and
// no field marked sure that is wrong.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <string>

#include "cases.hpp"
#include "styrdok/core/propose.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/store/extract.hpp"
#include "styrdok/store/ocr.hpp"
#include "styrdok/testing/sandbox.hpp"

namespace styrdok {
namespace {

using testing::ProposeCase;

struct Figures {
    int fields = 0;
    int right = 0;
    int sure = 0;
    int sure_wrong = 0;
};

// As `styrdok propose` reads a file: a PDF page by page, its scanned pages through OCR.
std::string TextOf(const ProposeCase& c, const std::string& bytes, double& ocr_seconds_per_page,
                   bool& read_by_ocr, std::string& text_layer) {
    const store::FileKind kind = store::FileKindOf(testing::CaseFileName(c));
    if (kind != store::FileKind::kPdf) return store::ExtractText(kind, bytes);
    const auto start = std::chrono::steady_clock::now();
    store::PdfText pdf = store::ReadPdf(bytes);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    if (pdf.pages_by_ocr > 0) ocr_seconds_per_page = took.count() / pdf.pages_by_ocr;
    read_by_ocr = pdf.read_by_ocr();
    text_layer = std::move(pdf.text_layer);
    return std::move(pdf.text);
}

Figures Evaluate(const std::string& set) {
    const core::Schema schema = core::Schema::Load(testing::SourceDir() / "schema/default.xml");
    Figures figures;
    for (const ProposeCase& c :
         testing::LoadProposeCases(testing::SourceDir() / "tests/propose" / set)) {
        SCOPED_TRACE(c.name);
        double ocr_seconds = 0;
        bool read_by_ocr = false;
        std::string text_layer;
        const std::string text =
            TextOf(c, testing::MakeCaseFile(c), ocr_seconds, read_by_ocr, text_layer);
        if (ocr_seconds > 0) {
            std::cout << "  " << c.name << ": OCR " << ocr_seconds << " s a page\n";
        }
        const core::Proposal proposal = read_by_ocr
                                            ? core::ProposeMetadata(text, text_layer, schema)
                                            : core::ProposeMetadata(text, schema);
        for (std::string_view field : core::kProposedFields) {
            const core::ProposedField& got = proposal.Field(field);
            const auto it = c.expected.find(std::string(field));
            const std::string expected = it == c.expected.end() ? "" : it->second;
            ++figures.fields;
            const bool right = got.value == expected;
            figures.right += right;
            figures.sure += got.sure();
            if (got.sure() && !right) ++figures.sure_wrong;
            if (!right) {
                std::cout << "  " << c.name << "." << field << ": '" << got.value << "'"
                          << (got.sure() ? " (SURE)" : "") << ", expected '" << expected << "'\n";
            }
        }
    }
    std::cout << set << ": " << figures.right << " of " << figures.fields << " fields right ("
              << (100.0 * figures.right / figures.fields) << " %), " << figures.sure
              << " marked sure, " << figures.sure_wrong << " of them wrong\n";
    return figures;
}

TEST(ProposeEvaluation, TunedSetIsRightAndNeverSureButWrong) {
    const Figures figures = Evaluate("tune");
    EXPECT_GE(figures.fields, 12 * 9);
    EXPECT_GE(figures.right * 10, figures.fields * 9);
    EXPECT_EQ(figures.sure_wrong, 0);
}

// Documents written before the proposer and never looked at while it was tuned.
TEST(ProposeEvaluation, HeldOutSetIsRightAndNeverSureButWrong) {
    const Figures figures = Evaluate("heldout");
    EXPECT_GE(figures.fields, 6 * 9);
    EXPECT_GE(figures.right * 10, figures.fields * 9);
    EXPECT_EQ(figures.sure_wrong, 0);
}

// Documents written after the proposer by someone who had read neither it nor the other sets,
// in house styles of their own. Held out for their first run (its figure is in README.md);
// tuning data since.
TEST(ProposeEvaluation, SecondHeldOutSetIsRightAndNeverSureButWrong) {
    const Figures figures = Evaluate("heldout2");
    EXPECT_GE(figures.fields, 14 * 9);
    EXPECT_GE(figures.right * 10, figures.fields * 9);
    EXPECT_EQ(figures.sure_wrong, 0);
}

// A third set, written by someone who read neither the proposer nor the other sets' texts.
// Held out for its first run (README.md); tuning data since.
TEST(ProposeEvaluation, ThirdHeldOutSetIsRightAndNeverSureButWrong) {
    const Figures figures = Evaluate("heldout3");
    EXPECT_GE(figures.fields, 12 * 9);
    EXPECT_GE(figures.right * 10, figures.fields * 9);
    EXPECT_EQ(figures.sure_wrong, 0);
}

// Documents for the final figure, written by someone who never read the proposer and kept
// from those tuning it (README.md).
TEST(ProposeEvaluation, HeldOut4SetIsRightAndNeverSureButWrong) {
    const Figures figures = Evaluate("heldout4");
    EXPECT_GE(figures.fields, 14 * 9);
    EXPECT_GE(figures.right * 10, figures.fields * 9);
    EXPECT_EQ(figures.sure_wrong, 0);
}

// A fifth set for the final figure (issue 20: documents it has never seen), written by someone
// who never read the proposer nor the other sets' texts and first run by the lead (README.md).
TEST(ProposeEvaluation, HeldOut5SetIsRightAndNeverSureButWrong) {
    const Figures figures = Evaluate("heldout5");
    EXPECT_GE(figures.fields, 16 * 9);
    EXPECT_GE(figures.right * 10, figures.fields * 9);
    EXPECT_EQ(figures.sure_wrong, 0);
}

}  // namespace
}  // namespace styrdok
