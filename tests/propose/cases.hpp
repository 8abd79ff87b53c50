#pragma once

// The evaluation set of `styrdok propose` (tests/propose/README.md): documents written for
// this project in the house styles Swedish municipalities use, each with the fields a
// clerk would enter for it, made into real PDF, DOCX, ODT, Markdown and text files (and a
// scanned PDF: the text rendered to an image) when a test runs.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace styrdok::testing {

/// One document of the set: a `.case` file.
struct ProposeCase {
    std::string name;                             ///< the file's stem
    std::string kind;                             ///< pdf, scanned, docx, odt, md, txt
    std::map<std::string, std::string> expected;  ///< field → value; absent: empty
    std::vector<std::string> lines;               ///< the body, in the case file's notation
};

/// The cases of `folder` (tests/propose/tune, tests/propose/heldout), in name order. Throws
/// std::runtime_error for a malformed case file.
std::vector<ProposeCase> LoadProposeCases(const std::filesystem::path& folder);

/// The case as the file a municipality would have: its bytes, and its name with extension.
std::string MakeCaseFile(const ProposeCase& c);
std::string CaseFileName(const ProposeCase& c);

/// A PDF without a text layer: `text_pdf`'s pages rendered by poppler at `dpi` and stored as
/// gray images, as a scanner makes them.
std::string ScannedPdf(const std::string& text_pdf, double dpi);

}  // namespace styrdok::testing
