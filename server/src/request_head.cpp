#include "request_head.hpp"

#include <Poco/String.h>

#include <charconv>

namespace styrdok::server {

namespace {

// Poco::Ascii::isSpace: what Poco skips before and between the words of the request line.
bool IsPocoSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool EqualsIgnoringCase(std::string_view text, std::string_view other) {
    return Poco::icompare(text, other) == 0;
}

std::string_view TrimBlanks(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return text;
}

// The words of a request line, counted up to three.
int CountWords(std::string_view line) {
    int words = 0;
    bool in_word = false;
    for (char c : line) {
        bool space = IsPocoSpace(c);
        if (!space && !in_word) ++words;
        in_word = !space;
        if (words == 3) break;
    }
    return words;
}

}  // namespace

RequestHead ScanRequestHead(std::string_view bytes) {
    RequestHead head;
    std::size_t pos = 0;
    while (pos < bytes.size() && IsPocoSpace(bytes[pos])) ++pos;
    if (pos == bytes.size()) return head;
    std::size_t end_of_line = bytes.find('\n', pos);
    if (end_of_line == std::string_view::npos) return head;
    if (CountWords(bytes.substr(pos, end_of_line - pos)) < 3) {
        head.state = RequestHead::State::kMalformed;
        return head;
    }
    pos = end_of_line + 1;

    int content_lengths = 0;
    std::optional<std::uint64_t> length;
    bool plain = true;  // nothing that makes the body's length depend on more than Content-Length
    while (true) {
        if (pos == bytes.size()) return head;
        if (bytes[pos] == '\n' || bytes[pos] == '\r') {
            if (bytes[pos] == '\r') {
                if (pos + 1 == bytes.size()) return head;
                // Poco ends the header lines at any line that starts with CR and then reads on
                // to the next LF: a head whose end is not where it looks is refused.
                if (bytes[pos + 1] != '\n') {
                    head.state = RequestHead::State::kMalformed;
                    return head;
                }
                ++pos;
            }
            head.state = RequestHead::State::kComplete;
            head.size = pos + 1;
            if (plain && content_lengths <= 1) head.body_length = content_lengths == 1 ? length : 0;
            return head;
        }
        end_of_line = bytes.find('\n', pos);
        if (end_of_line == std::string_view::npos) return head;
        std::string_view line = bytes.substr(pos, end_of_line - pos);
        pos = end_of_line + 1;
        if (line.front() == ' ' || line.front() == '\t') {
            plain = false;  // a folded value: leave its meaning to Poco
            continue;
        }
        std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;  // Poco ignores such a line
        std::string_view name = line.substr(0, colon);
        std::string_view value = TrimBlanks(line.substr(colon + 1));
        if (EqualsIgnoringCase(name, "content-length")) {
            ++content_lengths;
            std::uint64_t number = 0;
            auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
            if (value.empty() || value.size() > 18 || error != std::errc() ||
                end != value.data() + value.size()) {
                plain = false;
            } else {
                length = number;
            }
        } else if (EqualsIgnoringCase(name, "transfer-encoding") ||
                   EqualsIgnoringCase(name, "expect")) {
            plain = false;
        }
    }
}

}  // namespace styrdok::server
