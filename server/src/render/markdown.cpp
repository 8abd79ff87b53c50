#include "markdown.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <cctype>
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

using Node = std::unique_ptr<cmark_node, decltype(&cmark_node_free)>;

// Parses under the lock; `edit` may change the tree before it is rendered.
template <typename Edit>
std::string Render(std::string_view markdown, Edit edit) {
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
    Node document(cmark_parser_finish(parser.get()), &cmark_node_free);
    if (!document) throw Error(ErrorCode::kInternal, "cmark_parser_finish failed");
    edit(document.get(), options);
    char* html = cmark_render_html(document.get(), options,
                                   cmark_parser_get_syntax_extensions(parser.get()));
    std::string result = html ? html : "";
    std::free(html);
    return result;
}

std::string_view TrimmedView(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    return text;
}

void DropTitleAndDemoteHeadings(cmark_node* document, int options, std::string_view title) {
    cmark_node* first = cmark_node_first_child(document);
    if (first && cmark_node_get_type(first) == CMARK_NODE_HEADING &&
        cmark_node_get_heading_level(first) == 1) {
        char* text = cmark_render_plaintext(first, options, 0);
        bool repeats_title = text && TrimmedView(text) == TrimmedView(title);
        std::free(text);
        if (repeats_title) {
            cmark_node_unlink(first);
            cmark_node_free(first);
        }
    }
    std::unique_ptr<cmark_iter, decltype(&cmark_iter_free)> iter(cmark_iter_new(document),
                                                                 &cmark_iter_free);
    for (cmark_event_type event = cmark_iter_next(iter.get()); event != CMARK_EVENT_DONE;
         event = cmark_iter_next(iter.get())) {
        cmark_node* node = cmark_iter_get_node(iter.get());
        if (event == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_HEADING) {
            cmark_node_set_heading_level(node, std::min(6, cmark_node_get_heading_level(node) + 1));
        }
    }
}

void ReplaceAll(std::string& text, std::string_view from, std::string_view to) {
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
}

}  // namespace

std::string RenderMarkdown(std::string_view markdown) {
    return Render(markdown, [](cmark_node*, int) {});
}

std::string RenderDocumentBody(std::string_view markdown, std::string_view title) {
    std::string html = Render(markdown, [title](cmark_node* document, int options) {
        DropTitleAndDemoteHeadings(document, options, title);
    });
    // cmark writes "<table>" without attributes, so the wrapper can go around it textually.
    ReplaceAll(html, "<table>",
               "<div class=\"tabell-behallare\" role=\"region\" tabindex=\"0\" "
               "aria-label=\"Tabell\"><table>");
    ReplaceAll(html, "</table>", "</table></div>");
    return html;
}

std::string MarkdownCache::Render(const std::string& key, std::string_view markdown,
                                  std::string_view title) {
    {
        std::lock_guard lock(mutex_);
        auto found = entries_.find(key);
        if (found != entries_.end()) {
            order_.splice(order_.begin(), order_, found->second.position);
            return found->second.html;
        }
    }
    std::string html = RenderDocumentBody(markdown, title);
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
