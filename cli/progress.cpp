#include "progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace styrdok::cli {

Progress::Progress(std::string label)
    : label_(std::move(label)), enabled_(isatty(STDERR_FILENO) == 1) {}

Progress::~Progress() {
    if (drawn_) std::fputs("\r\033[K", stderr);
}

void Progress::Update(std::size_t done, std::size_t total) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (drawn_ && done < total && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    drawn_ = true;
    int percent = total == 0 ? 100 : static_cast<int>(done * 100 / total);
    std::fprintf(stderr, "\r\033[K%s %zu/%zu (%d%%)", label_.c_str(), done, total, percent);
    std::fflush(stderr);
}

}  // namespace styrdok::cli
