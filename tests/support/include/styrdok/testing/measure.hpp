#pragma once

// What a program costs: its time and its peak memory, for the tests that bound them.

#include <cstddef>
#include <string>
#include <string_view>

#include "styrdok/testing/sandbox.hpp"

namespace styrdok::testing {

/// How many times slower the sanitizer build runs than the optimised one: time bounds written
/// for the release build are multiplied by it. Memory bounds are not checked under the
/// sanitizers (their shadow memory and quarantine are most of what a process holds).
#if defined(__SANITIZE_ADDRESS__)
inline constexpr double kSanitizerSlowdown = 5;
inline constexpr bool kMeasuresMemory = false;
#else
inline constexpr double kSanitizerSlowdown = 1;
inline constexpr bool kMeasuresMemory = true;
#endif

/// The result of a measured run.
struct MeasuredRun : RunResult {
    int signal = 0;                       ///< the signal that ended it; 0 when it exited
    double seconds = 0;                   ///< wall time
    std::size_t peak_resident_bytes = 0;  ///< its peak resident memory (ru_maxrss from wait4)
};

/// Runs `command` as Run does and measures it: the peak is that of the command itself
/// (`exec`uted by /bin/sh, so not the shell's) and of any child it waited for, read from
/// wait4's rusage rather than from a signal or /proc. Throws std::runtime_error when it cannot
/// start the shell.
MeasuredRun RunMeasured(const std::string& command, std::string_view input = {});

}  // namespace styrdok::testing
