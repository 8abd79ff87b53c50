#include "markdown.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <cstdlib>
#include <memory>

#include "styrdok/core/error.hpp"

namespace styrdok::server {

namespace {

// cmark-gfm keeps its extension registry and some parser state in globals, so parsing runs
// under one lock; a document renders in well under a millisecond and the cache absorbs
// repeats.
std::mutex& CmarkMutex() {
    static std::mutex mutex;
    return mutex;
}

}  // namespace

std::string RenderMarkdown(std::string_view markdown) {
    std::lock_guard lock(CmarkMutex());
    static const bool registered = [] {
        cmark_gfm_core_extensions_ensure_registered();
        return true;
    }();
    (void)registered;

    const int options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART;
    std::unique_ptr<cmark_parser, decltype(&cmark_parser_free)> parser(cmark_parser_new(options),
                                                                       &cmark_parser_free);
    if (!parser) throw Error(ErrorCode::kInternal, "cmark_parser_new failed");
    for (const char* name : {"table", "strikethrough", "autolink", "tagfilter"}) {
        if (cmark_syntax_extension* extension = cmark_find_syntax_extension(name)) {
            cmark_parser_attach_syntax_extension(parser.get(), extension);
        }
    }
    cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
    std::unique_ptr<cmark_node, decltype(&cmark_node_free)> document(
        cmark_parser_finish(parser.get()), &cmark_node_free);
    if (!document) throw Error(ErrorCode::kInternal, "cmark_parser_finish failed");
    char* html = cmark_render_html(document.get(), options,
                                   cmark_parser_get_syntax_extensions(parser.get()));
    std::string result = html ? html : "";
    std::free(html);
    return result;
}

std::string MarkdownCache::Render(const std::string& key, std::string_view markdown) {
    {
        std::lock_guard lock(mutex_);
        auto found = entries_.find(key);
        if (found != entries_.end()) {
            order_.splice(order_.begin(), order_, found->second.position);
            return found->second.html;
        }
    }
    std::string html = RenderMarkdown(markdown);
    std::lock_guard lock(mutex_);
    if (entries_.find(key) == entries_.end()) {
        order_.push_front(key);
        entries_[key] = Entry{html, order_.begin()};
        if (entries_.size() > capacity_) {
            entries_.erase(order_.back());
            order_.pop_back();
        }
    }
    return html;
}

}  // namespace styrdok::server
