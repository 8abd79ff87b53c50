#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace styrdok::server {

/// CommonMark with GitHub's tables, strikethrough and autolinks, rendered to HTML. Raw HTML in
/// the text is never passed through and unsafe link targets (javascript:) are dropped: the
/// text comes from document owners, the page goes to everyone.
///
/// Any text renders within bounds (core::TextLimits: well under a second for a megabyte, a
/// page of at most some megabytes), however it was made: one stored before the limits came
/// is shown simplified, with a Swedish notice saying what and why. A text longer than the
/// limit shows its beginning; a table too wide or too large shows as preformatted text; a
/// text beyond any other limit shows whole as preformatted text. Thread-safe: only cmark-gfm's
/// parse is serialised (see markdown.cpp), rendering runs concurrently.
std::string RenderMarkdown(std::string_view markdown);

/// A document's text as the body of its page, under the page's own <h1>: a first heading that
/// repeats the title is left out, every other heading moves one level down (# becomes <h2>),
/// and tables sit in a labelled region that scrolls sideways on a narrow screen. Bounded and
/// thread-safe as RenderMarkdown.
std::string RenderDocumentBody(std::string_view markdown, std::string_view title);

/// RenderDocumentBody with the results of the most recent distinct keys kept (a key names one
/// version's text, such as "id@commit"), since the same versions are read again and again.
/// At most `capacity` entries and `max_bytes` bytes of keys and pages are kept; a page larger
/// than that is rendered each time. Safe to share between threads.
class MarkdownCache {
public:
    explicit MarkdownCache(std::size_t capacity = 512, std::size_t max_bytes = 64u << 20)
        : capacity_(capacity), max_bytes_(max_bytes) {}
    /// RenderDocumentBody(markdown, title), remembered under `key`.
    std::string Render(const std::string& key, std::string_view markdown, std::string_view title);
    /// Bytes of keys and pages held now.
    std::size_t Bytes() const;

private:
    mutable std::mutex mutex_;
    std::size_t capacity_;
    std::size_t max_bytes_;
    std::size_t bytes_ = 0;
    std::list<std::string> order_;  ///< most recently used first
    struct Entry {
        std::string html;
        std::list<std::string>::iterator position;
    };
    std::unordered_map<std::string, Entry> entries_;
};

}  // namespace styrdok::server
