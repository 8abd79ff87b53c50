// OCR's bounds (store/ocr.hpp): pages, time and the size of a rendered page, each reached
// with a small file.
#include "styrdok/store/ocr.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "cases.hpp"
#include "mixed_pdf.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/testing/office_files.hpp"

namespace styrdok::store {
namespace {

using Clock = std::chrono::steady_clock;

std::string ScanOfPages(int pages) {
    std::vector<std::vector<std::string>> text;
    for (int i = 0; i < pages; ++i) text.push_back({"Sida " + std::to_string(i + 1)});
    return testing::ScannedPdf(testing::MakePdf(text), 100);
}

TEST(OcrPdf, ReadsNoMorePagesThanItsBudget) {
    OcrLimits limits;
    limits.max_pages = 1;
    const OcrText ocr = OcrPdf(ScanOfPages(3), limits);
    EXPECT_EQ(ocr.pages_total, 3);
    EXPECT_EQ(ocr.pages_read, 1);
    EXPECT_FALSE(ocr.timed_out);
    EXPECT_NE(ocr.text.find("Sida 1"), std::string::npos) << ocr.text;
    EXPECT_EQ(ocr.text.find("Sida 2"), std::string::npos) << ocr.text;
}

TEST(OcrPdf, StopsWhenItsTimeRunsOut) {
    OcrLimits limits;
    limits.max_time = std::chrono::milliseconds(1);
    const auto start = Clock::now();
    const OcrText ocr = OcrPdf(ScanOfPages(3), limits);
    EXPECT_TRUE(ocr.timed_out);
    EXPECT_LE(ocr.pages_read, 1);
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(10));
}

// A page of 200 × 200 inches would be 3.6 gigapixels at 300 dpi: it is rendered at the
// resolution max_pixels allows, or not at all when that is too coarse to read.
TEST(OcrPdf, RendersAHugePageWithinItsPixelBudget) {
    std::string pdf = testing::MakePdf({{"Stor sida"}});
    const std::string box = "/MediaBox [0 0 612 792]";
    pdf.replace(pdf.find(box), box.size(), "/MediaBox [0 0 14400 14400]");
    const auto start = Clock::now();
    const OcrText ocr = OcrPdf(pdf);
    EXPECT_EQ(ocr.pages_total, 1);
    EXPECT_EQ(ocr.pages_read, 0);
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(10));
}

TEST(OcrPdf, RefusesWhatIsNoPdf) {
    try {
        OcrPdf("GIF89a");
        FAIL() << "no error";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), ErrorCode::kBadInput);
        EXPECT_STREQ(error.what(), "Filen är ingen PDF.");
    }
}

TEST(OcrPdf, SaysWhenTheLanguageIsMissing) {
    OcrLimits limits;
    limits.language = "xx-no-such-language";
    EXPECT_FALSE(OcrAvailable(limits));
    try {
        OcrPdf(ScanOfPages(1), limits);
        FAIL() << "no error";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), ErrorCode::kUnavailable);
    }
}

// The decision of many an old governing document is a scanned page behind a typed cover:
// the cover's text layer alone says nothing of it.
const std::vector<std::string> kCover = {"Riktlinjer för hantering av allmänna handlingar",
                                         "Kommunstyrelsens förvaltning"};
const std::vector<std::string> kDecision = {"Fastställd av kommunfullmäktige 2019-03-25 § 41",
                                            "Dnr KS 2018/0412"};

TEST(ReadPdf, ReadsTheScannedPagesBehindATypedCover) {
    const PdfText pdf = ReadPdf(testing::TypedCoverBeforeScan(kCover, {kDecision}));
    EXPECT_EQ(pdf.pages_total, 2);
    EXPECT_EQ(pdf.pages_scanned, 1);
    EXPECT_EQ(pdf.pages_by_ocr, 1);
    EXPECT_TRUE(pdf.read_by_ocr());
    EXPECT_FALSE(pdf.timed_out);
    EXPECT_TRUE(pdf.text.starts_with(
        "Riktlinjer för hantering av allmänna handlingar\nKommunstyrelsens förvaltning\n\n"))
        << pdf.text;
    EXPECT_NE(pdf.text.find("kommunfullmäktige 2019-03-25"), std::string::npos) << pdf.text;
    EXPECT_NE(pdf.text.find("KS 2018/0412"), std::string::npos) << pdf.text;
}

// OCR reads only the scanned pages among the first max_pages, within its time; without OCR
// (or past its budget) a scanned page adds nothing, and the text layer is read all the same.
TEST(ReadPdf, ReadsScannedPagesOnlyWithinItsBudget) {
    const std::string pdf =
        testing::TypedCoverBeforeScan(kCover, {{"Sida två av tre"}, {"Sida tre av tre"}});
    OcrLimits two_pages;
    two_pages.max_pages = 2;
    OcrLimits no_time;
    no_time.max_time = std::chrono::milliseconds(1);
    const struct {
        const char* name;
        OcrLimits limits;
        bool ocr;
        int by_ocr;
        bool timed_out;
        const char* read;  // what the text holds past the cover, or "" for nothing
    } cases[] = {
        {"two pages", two_pages, true, 1, false, "två av tre"},
        {"no time", no_time, true, 0, true, ""},
        {"OCR off", two_pages, false, 0, false, ""},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const auto start = Clock::now();
        const PdfText read = ReadPdf(pdf, c.limits, c.ocr);
        EXPECT_LT(Clock::now() - start, std::chrono::seconds(30));
        EXPECT_EQ(read.pages_total, 3);
        EXPECT_EQ(read.pages_scanned, std::min(3, c.limits.max_pages) - 1);
        EXPECT_EQ(read.pages_by_ocr, c.by_ocr);
        EXPECT_EQ(read.timed_out, c.timed_out);
        EXPECT_TRUE(read.text.starts_with("Riktlinjer för hantering")) << read.text;
        EXPECT_EQ(read.text.find("tre av tre"), std::string::npos) << read.text;
        if (*c.read != '\0') {
            EXPECT_NE(read.text.find(c.read), std::string::npos) << read.text;
        } else {
            EXPECT_EQ(read.text,
                      "Riktlinjer för hantering av allmänna handlingar\n"
                      "Kommunstyrelsens förvaltning\n");
        }
    }
}

// A typed PDF is its text layer, as the import reads it. A nearly empty page of it is taken
// for a scan; when OCR cannot run, the text layer is kept and the problem told, while a
// whole scan is refused as OcrPdf refuses it.
TEST(ReadPdf, KeepsTheTextLayerWhenOcrCannotRun) {
    const std::string pdf = testing::MakePdf({kCover, kDecision, {"7"}});
    OcrLimits missing;
    missing.language = "xx-no-such-language";
    const PdfText read = ReadPdf(pdf, missing);
    EXPECT_EQ(read.text, ExtractText(FileKind::kPdf, pdf));
    EXPECT_EQ(read.text_layer, read.text);
    EXPECT_EQ(read.pages_total, 3);
    EXPECT_EQ(read.pages_scanned, 1);
    EXPECT_EQ(read.pages_by_ocr, 0);
    EXPECT_NE(read.ocr_problem.find("tesseract-ocr"), std::string::npos) << read.ocr_problem;
    try {
        ReadPdf(ScanOfPages(1), missing);
        FAIL() << "no error";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), ErrorCode::kUnavailable);
    }
}

// The text layer is read within ExtractText's bounds (docs/import.md, "Bounds"), refused
// with its errors, before any OCR.
TEST(ReadPdf, KeepsTheBoundsOfTheTextLayer) {
    const std::string pdf = testing::TypedCoverBeforeScan(kCover, {kDecision});
    ExtractLimits one_page;
    one_page.max_pages = 1;
    ExtractLimits little_text;
    little_text.max_text_bytes = 16;
    const struct {
        const char* name;
        ExtractLimits limits;
    } cases[] = {{"pages", one_page}, {"text", little_text}};
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        try {
            ReadPdf(pdf, OcrLimits{}, true, c.limits);
            FAIL() << "no error";
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), ErrorCode::kTooLarge);
            try {
                ExtractText(FileKind::kPdf, pdf, c.limits);
                FAIL() << "ExtractText took it";
            } catch (const Error& extract) {
                EXPECT_STREQ(error.what(), extract.what());
            }
        }
    }
}

}  // namespace
}  // namespace styrdok::store
