#include "document_diff.hpp"

#include <git2.h>

#include <string>
#include <utility>

#include "git_check.hpp"
#include "git_handle.hpp"

namespace styrdok::store {

namespace {

std::string DateText(const std::optional<core::Date>& date) {
    return date ? date->ToString() : std::string();
}

std::string Lines(const std::vector<std::string>& items) {
    std::string text;
    for (const std::string& item : items) {
        if (!text.empty()) text += '\n';
        text += item;
    }
    return text;
}

std::string ReviewText(const core::ReviewRecord& review) {
    std::string text = review.decided_on.ToString() + " " + review.decided_by;
    if (!review.paragraph.empty()) text += " " + review.paragraph;
    if (!review.dnr.empty()) text += " (" + review.dnr + ")";
    return text + ": " + std::string(core::ReviewOutcomeName(review.outcome));
}

// Every stored field under its metadata.xml element name, in the file's order. `category`
// is left out: it is not stored, it follows from the doctype.
std::vector<std::pair<const char*, std::string>> Fields(const core::Metadata& m) {
    std::vector<std::string> reviews;
    for (const core::ReviewRecord& review : m.reviews) reviews.push_back(ReviewText(review));
    return {
        {"id", m.id},
        {"title", m.title},
        {"doctype", m.doctype},
        {"dnr", m.dnr},
        {"decided_by", m.decided_by},
        {"decided_on", DateText(m.decided_on)},
        {"paragraph", m.paragraph},
        {"owner", m.owner},
        {"owner_email", m.owner_email},
        {"owner_body", m.owner_body},
        {"applies_to", m.applies_to},
        {"valid_from", DateText(m.valid_from)},
        {"valid_to", DateText(m.valid_to)},
        {"status", std::string(core::StatusName(m.status))},
        {"last_reviewed_on", DateText(m.last_reviewed_on)},
        {"review_due", DateText(m.review_due)},
        {"replaces", m.replaces},
        {"related", Lines(m.related)},
        {"goal_areas", Lines(m.goal_areas)},
        {"keywords", Lines(m.keywords)},
        {"public", m.is_public ? (*m.is_public ? "true" : "false") : ""},
        {"changes", m.changes},
        {"reviews", Lines(reviews)},
    };
}

}  // namespace

std::vector<FieldChange> MetadataChanges(const core::Metadata& before,
                                         const core::Metadata& after) {
    std::vector<FieldChange> changes;
    auto old_fields = Fields(before);
    auto new_fields = Fields(after);
    for (std::size_t i = 0; i < old_fields.size(); ++i) {
        if (old_fields[i].second != new_fields[i].second) {
            changes.push_back({old_fields[i].first, std::move(old_fields[i].second),
                               std::move(new_fields[i].second)});
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
