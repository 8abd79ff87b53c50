#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace styrdok::cli {

/// A one-line progress report on standard error, redrawn in place, shown only when standard
/// error is a terminal (logs and pipes get nothing) and at most a few times a second.
class Progress {
public:
    explicit Progress(std::string label);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    void Update(std::size_t done, std::size_t total);

private:
    std::string label_;
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point last_;
};

}  // namespace styrdok::cli
