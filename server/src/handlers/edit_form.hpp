#pragma once

// The metadata form of the edit pages (templates/redigera.mustache, upphav.mustache): the
// fields as the schema names them, their values as typed, how they become metadata, and
// Swedish messages for what is wrong with them.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "../http.hpp"
#include "../render/templates.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/core/validation.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::server {

/// One thing wrong with what a form sent, in Swedish. `field` names the form field it belongs
/// to (a metadata field, "text", "summary", "upload"), or is empty for the form as a whole.
struct FormError {
    std::string field;
    std::string message;
};

/// The edit form as the user filled it in: every value exactly as typed, so that a form sent
/// back (a preview, errors, a stale version) shows what they wrote and nothing is lost.
struct EditForm {
    std::map<std::string, std::string, std::less<>> values;  ///< metadata field → as typed
    std::vector<std::string> goal_areas;                     ///< the ticked målområde ids
    std::string text;
    std::string summary;
    std::string base_version;               ///< the version it started from; "" for a new one
    std::vector<store::Attachment> files;   ///< uploaded originals, carried across previews
    std::vector<std::string> remove_files;  ///< originals ticked for removal

    const std::string& Value(std::string_view field) const;
};

/// The form for revising `metadata` (version `version`, text `text`).
EditForm FormOf(const core::Metadata& metadata, const std::string& text,
                const std::string& version);

/// The form as `request` sent it. Uploads (field "upload": PDF, DOCX or ODT) join `files`;
/// when the text is left empty, their extracted text fills it. What is wrong with an upload
/// goes to `errors`.
EditForm ReadForm(const Request& request, std::vector<FormError>& errors);

/// `base` with the form's values in it (not the id: the caller decides it), each read by
/// core::SetFieldText. A value that does not read (a date that is not one) is an error in
/// `errors`, and the field keeps base's value.
core::Metadata MetadataOf(const EditForm& form, const core::Metadata& base,
                          const core::Schema& schema, std::vector<FormError>& errors);

/// Problems as Swedish messages (core::SwedishText), each on its form field; a problem of a
/// field the form does not have goes to the form as a whole.
std::vector<FormError> SwedishProblems(const std::vector<core::Problem>& problems,
                                       const core::Schema& schema);

/// Problems as Swedish messages, each on the field the problem names (for the review and
/// repeal forms, whose fields are the decision's).
std::vector<FormError> ProblemsAtFields(const std::vector<core::Problem>& problems,
                                        const core::Schema& schema);

/// The element id of a form field, which labels, error messages and the error summary's
/// links point at.
std::string FieldAnchor(const core::Schema& schema, std::string_view field);

/// The template keys of one field of the form (templates/README.md, "redigera-falt"). `hint`
/// replaces the field's usual hint when not empty.
mstch::map FieldContext(const core::Schema& schema, std::string_view field,
                        const std::string& value, const std::vector<FormError>& errors,
                        bool required, std::string_view hint = {});

/// Keys `has_errors` and `errors` (the summary at the top of a form) and `<field>_error` for
/// the fields outside the metadata groups (text, summary, upload).
void AddErrorKeys(mstch::map& context, const core::Schema& schema,
                  const std::vector<FormError>& errors);

/// Every key of the metadata form (templates/README.md, "redigera.mustache"): the groups of
/// fields, the text, the summary, the files, the errors. `existing_files` are the current
/// version's originals; `is_new` adds the id field.
mstch::map FormContext(const core::Schema& schema, const EditForm& form, bool is_new,
                       const std::vector<std::string>& existing_files,
                       const std::vector<FormError>& errors);

}  // namespace styrdok::server
