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
std::string RenderMarkdown(std::string_view markdown);

/// A document's text as the body of its page, under the page's own <h1>: a first heading that
/// repeats the title is left out, every other heading moves one level down (# becomes <h2>),
/// and tables sit in a labelled region that scrolls sideways on a narrow screen.
std::string RenderDocumentBody(std::string_view markdown, std::string_view title);

/// RenderMarkdown with the results of the most recent distinct keys kept (a key names one
/// version's text, such as "id@commit"), since the same versions are read again and again.
/// Safe to share between threads.
class MarkdownCache {
public:
    explicit MarkdownCache(std::size_t capacity = 512) : capacity_(capacity) {}
    /// RenderDocumentBody(markdown, title), remembered under `key`.
    std::string Render(const std::string& key, std::string_view markdown, std::string_view title);

private:
    std::mutex mutex_;
    std::size_t capacity_;
    std::list<std::string> order_;  ///< most recently used first
    struct Entry {
        std::string html;
        std::list<std::string>::iterator position;
    };
    std::unordered_map<std::string, Entry> entries_;
};

}  // namespace styrdok::server
