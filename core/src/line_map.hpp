#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <vector>

#include "styrdok/core/utf8.hpp"

namespace styrdok::core::detail {

/// Turns byte offsets into a text (as pugixml reports them) into the 1-based line numbers
/// people see in an editor. Internal to core; holds no reference to the text.
class LineMap {
public:
    explicit LineMap(std::string_view text) {
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '\n') newlines_.push_back(i);
        }
    }

    /// The line holding byte `offset`; 0 when the offset is unknown (negative).
    int LineOf(std::ptrdiff_t offset) const {
        if (offset < 0) return 0;
        auto it =
            std::lower_bound(newlines_.begin(), newlines_.end(), static_cast<std::size_t>(offset));
        return static_cast<int>(it - newlines_.begin()) + 1;
    }

    /// The line of the first non-blank character of a text node that starts at `offset` and
    /// reads `value` (blank lines before text are part of the node).
    int LineOfText(std::ptrdiff_t offset, std::string_view value) const {
        const std::size_t blank = std::min(value.find_first_not_of(" \t\r\n"), value.size());
        const auto newlines = std::count(value.begin(), value.begin() + blank, '\n');
        return LineOf(offset) + static_cast<int>(newlines);
    }

    /// The lines of `text` that are not valid UTF-8, in order. A newline never occurs inside
    /// a multi-byte sequence, so lines can be checked one by one.
    static std::vector<int> InvalidUtf8Lines(std::string_view text) {
        std::vector<int> lines;
        std::size_t start = 0;
        int line = 1;
        while (start <= text.size()) {
            std::size_t end = text.find('\n', start);
            if (end == std::string_view::npos) end = text.size();
            if (!IsValidUtf8(text.substr(start, end - start))) lines.push_back(line);
            start = end + 1;
            ++line;
        }
        return lines;
    }

private:
    std::vector<std::size_t> newlines_;
};

}  // namespace styrdok::core::detail
