#include "styrdok/testing/measure.hpp"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>

namespace styrdok::testing {

MeasuredRun RunMeasured(const std::string& command, std::string_view input) {
    // Files rather than pipes, as Run: a large stderr cannot block the child.
    Sandbox scratch;
    const std::filesystem::path in_file = scratch.Write("stdin", input);
    const std::filesystem::path out_file = scratch / "stdout";
    const std::filesystem::path err_file = scratch / "stderr";
    const std::string script = "exec " + command + " <" + ShellQuote(in_file.string()) + " >" +
                               ShellQuote(out_file.string()) + " 2>" +
                               ShellQuote(err_file.string());
    const auto started = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    while (wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) throw std::runtime_error("wait4 failed");
    }
    MeasuredRun result;
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    result.peak_resident_bytes = static_cast<std::size_t>(usage.ru_maxrss) * 1024;  // KiB
    result.out = ReadFile(out_file);
    result.err = ReadFile(err_file);
    return result;
}

}  // namespace styrdok::testing
