#pragma once

#include <optional>
#include <string_view>

#include "styrdok/core/metadata.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/server/users.hpp"

namespace styrdok::server {

// Who may see and change what (issue 5, DOMAIN.md "Publishing"). `user` is nullopt for a
// reader who has not signed in.
//
//            sees                                  changes
//   nobody   public documents, not drafts          nothing
//   reader   + documents that are not public       nothing
//   owner    + drafts of the documents they own    the documents they own; creates documents
//                                                  they own
//   clerk    everything                            the metadata of every document, and the
//                                                  text of those they own; creates documents
//   admin    everything                            everything

/// True when `user` owns the document: its owner_email is theirs (case-insensitive), or its
/// owner_body is one of their bodies.
bool Owns(const User& user, const core::Metadata& metadata);

/// True when `user` may read this version.
bool MaySee(const std::optional<User>& user, const core::Metadata& metadata,
            const core::Schema& schema);

/// True when `user` may see versions that are not public, drafts included, in search: the
/// clerk and the admin. (An owner finds their drafts through their document pages.)
bool MaySearchEverything(const std::optional<User>& user);

/// True when `user` may see documents that are not public (but not others' drafts) in search.
bool MaySearchNonPublic(const std::optional<User>& user);

/// Why `user` may not turn `before` (nullopt: a new document) into `after`, as a Swedish
/// sentence for the error; nullopt when they may. `text_changed` says whether the text or
/// the original files change.
std::optional<std::string_view> WhyNotAllowed(const User& user,
                                              const std::optional<core::Metadata>& before,
                                              const core::Metadata& after, bool text_changed);

}  // namespace styrdok::server
