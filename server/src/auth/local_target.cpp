#include "local_target.hpp"

#include <algorithm>

namespace styrdok::server {

namespace {

constexpr std::size_t kMaxTargetBytes = 2000;

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// One round of percent-decoding; a '%' without two hex digits stays as it is.
std::string PercentDecoded(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
            HexValue(text[i + 2]) >= 0) {
            out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

bool IsLocalPath(std::string_view path) {
    if (path.empty() || path.front() != '/') return false;
    if (path.size() > 1 && path[1] == '/') return false;  // "//host": another site
    return std::none_of(path.begin(), path.end(),
                        [](unsigned char c) { return c < 0x20 || c == 0x7f || c == '\\'; });
}

}  // namespace

std::string LocalTarget(std::string_view next) {
    if (next.size() >= kMaxTargetBytes) return "/";
    // Whatever reads the path next may decode it once more (a proxy, a browser, a second
    // redirect): every form it can take must be a local path. Each round shortens the text,
    // so this ends.
    std::string form(next);
    while (true) {
        if (!IsLocalPath(form)) return "/";
        std::string decoded = PercentDecoded(form);
        if (decoded == form) break;
        form = std::move(decoded);
    }
    return std::string(next);
}

}  // namespace styrdok::server
