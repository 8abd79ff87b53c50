#include "document_diff.hpp"

#include <git2.h>

#include <string>
#include <utility>

#include "git_check.hpp"
#include "git_handle.hpp"
#include "styrdok/core/metadata_fields.hpp"

namespace styrdok::store {

std::vector<FieldChange> MetadataChanges(const core::Metadata& before,
                                         const core::Metadata& after) {
    // Every stored field in the file's order; lists and reviews one item a line.
    std::vector<FieldChange> changes;
    for (const core::MetadataField& field : core::MetadataFields()) {
        std::string old_text = core::FieldText(before, field);
        std::string new_text = core::FieldText(after, field);
        if (old_text != new_text) {
            changes.push_back({std::string(field.name), std::move(old_text), std::move(new_text)});
        }
    }
    return changes;
}

std::vector<TextDiffLine> TextChanges(std::string_view before, std::string_view after) {
    std::vector<TextDiffLine> lines;
    if (before == after) return lines;
    git_diff_options options;
    CheckGit(git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION), "diff options");
    options.context_lines = 3;
    // text.md is text by definition; libgit2 would otherwise call a text with a NUL binary
    // and give no lines at all.
    options.flags |= GIT_DIFF_FORCE_TEXT;
    git_patch* raw = nullptr;
    CheckGit(git_patch_from_buffers(&raw, before.data(), before.size(), "text.md", after.data(),
                                    after.size(), "text.md", &options),
             "text diff");
    PatchPtr patch(raw);
    if (!patch) return lines;
    std::size_t hunks = git_patch_num_hunks(patch.get());
    for (std::size_t h = 0; h < hunks; ++h) {
        int count = git_patch_num_lines_in_hunk(patch.get(), h);
        CheckGit(count, "text diff hunk");
        for (int l = 0; l < count; ++l) {
            const git_diff_line* line = nullptr;
            CheckGit(git_patch_get_line_in_hunk(&line, patch.get(), h, static_cast<std::size_t>(l)),
                     "text diff line");
            TextDiffLine::Kind kind;
            switch (line->origin) {
                case GIT_DIFF_LINE_CONTEXT:
                    kind = TextDiffLine::Kind::kContext;
                    break;
                case GIT_DIFF_LINE_ADDITION:
                    kind = TextDiffLine::Kind::kAdded;
                    break;
                case GIT_DIFF_LINE_DELETION:
                    kind = TextDiffLine::Kind::kRemoved;
                    break;
                default:
                    // "No newline at end of file" markers: not lines of the text.
                    continue;
            }
            std::string text(line->content, line->content_len);
            if (!text.empty() && text.back() == '\n') text.pop_back();
            lines.push_back({kind, std::move(text)});
        }
    }
    return lines;
}

}  // namespace styrdok::store
