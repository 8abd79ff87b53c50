#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace styrdok::testing {

/// A fresh temporary directory for one test, removed with everything in it on destruction.
class Sandbox {
public:
    Sandbox();
    ~Sandbox();
    Sandbox(const Sandbox&) = delete;
    Sandbox& operator=(const Sandbox&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

    /// Writes `content` to `relative` under the sandbox, creating folders; returns the path.
    std::filesystem::path Write(std::string_view relative, std::string_view content) const;

private:
    std::filesystem::path path_;
};

/// Copies a tree (a fixture or the corpus) into `destination`.
void CopyTree(const std::filesystem::path& from, const std::filesystem::path& destination);

/// The source checkout's root, for schema/, corpus/ and tests/fixtures/.
std::filesystem::path SourceDir();

/// Reads a whole file; throws std::runtime_error when it cannot.
std::string ReadFile(const std::filesystem::path& file);

/// The result of running a program.
struct RunResult {
    int exit_code = -1;
    std::string out;  ///< standard output
    std::string err;  ///< standard error
};

/// Runs `command` through /bin/sh with `input` on its standard input and waits for it.
RunResult Run(const std::string& command, std::string_view input = {});

/// Quotes `text` for /bin/sh.
std::string ShellQuote(std::string_view text);

}  // namespace styrdok::testing
