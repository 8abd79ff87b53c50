#pragma once

// What every form that saves a document checks before it writes, in one place: the new-document
// and edit forms (edit_pages.cpp) and the import page's "Godkänn" (import_pages.cpp).

#include <optional>
#include <string>
#include <vector>

#include "../site.hpp"
#include "edit_form.hpp"
#include "styrdok/core/metadata.hpp"

namespace styrdok::server {

/// A new document as `user` starts it: they own it (their e-mail and first body). Throws
/// Error(kForbidden) with the Swedish reason for an account that may create no document.
core::Metadata NewDocumentOf(const Site& site, const User& user);

/// An id is taken by a document on main or by a draft of a new one.
bool DocumentExists(const Site& site, const std::string& id);

/// What stops a save, as the forms show it.
struct SaveCheck {
    bool forbidden = false;  ///< the user may not make this change: `errors` holds why (403)
    std::vector<FormError> errors;
};

/// Checks saving `metadata` (id and status set) over `current` (nullopt: a new document) by
/// `user`: their right first (core::WhyNotAllowed; `text_changed` says whether the text or the
/// originals change), then core::Validate as of the site's today and the relations
/// (RelationProblems), each a Swedish message at its field. Clears the derived category.
SaveCheck CheckSave(const Site& site, const User& user,
                    const std::optional<core::Metadata>& current, core::Metadata& metadata,
                    bool text_changed);

}  // namespace styrdok::server
