#include "styrdok/testing/sandbox.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace styrdok::testing {

namespace fs = std::filesystem;

Sandbox::Sandbox() {
    std::string pattern = (fs::temp_directory_path() / "styrdok-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

Sandbox::~Sandbox() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
}

fs::path Sandbox::Write(std::string_view relative, std::string_view content) const {
    fs::path file = path_ / relative;
    fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) throw std::runtime_error("cannot write " + file.string());
    return file;
}

void CopyTree(const fs::path& from, const fs::path& destination) {
    fs::create_directories(destination);
    fs::copy(from, destination, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

fs::path SourceDir() { return STYRDOK_SOURCE_DIR; }

std::string ReadFile(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

std::string ShellQuote(std::string_view text) {
    std::string quoted = "'";
    for (char c : text) {
        if (c == '\'') {
            quoted += "'\\''";
        } else {
            quoted += c;
        }
    }
    return quoted + "'";
}

RunResult Run(const std::string& command, std::string_view input) {
    // Output goes through files rather than pipes so that a large stderr cannot deadlock
    // a child whose stdout we have not drained yet.
    Sandbox scratch;
    fs::path in_file = scratch.Write("stdin", input);
    fs::path out_file = scratch / "stdout";
    fs::path err_file = scratch / "stderr";
    std::string full = "(" + command + ") <" + ShellQuote(in_file.string()) + " >" +
                       ShellQuote(out_file.string()) + " 2>" + ShellQuote(err_file.string());
    int status = std::system(full.c_str());
    RunResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = ReadFile(out_file);
    result.err = ReadFile(err_file);
    return result;
}

}  // namespace styrdok::testing
