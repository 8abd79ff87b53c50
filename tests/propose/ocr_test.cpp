// OCR's bounds (store/ocr.hpp): pages, time and the size of a rendered page, each reached
// with a small file.
#include "styrdok/store/ocr.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "cases.hpp"
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

}  // namespace
}  // namespace styrdok::store
