#pragma once

// Who may see and change what (DOMAIN.md "Publishing"; issue 5). Pure rules over a document's
// metadata and the person asking; the server finds out who asks, and asks these.
//
//            sees                                  changes
//   nobody   public documents, not drafts          nothing
//   reader   + documents that are not public       nothing
//   owner    + drafts of the documents they own    the documents they own; creates documents
//                                                  they own
//   clerk    everything                            the metadata of every document, and the
//                                                  text of those they own; creates documents;
//                                                  records review decisions; adopts drafts
//   admin    everything                            everything
//
// Review decisions (reviews, last_reviewed_on) are recorded only as review decisions
// (core/review_decision.hpp), never by editing a document; review_due, a decided date, is set
// by clerks and admins.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "styrdok/core/metadata.hpp"
#include "styrdok/core/problem.hpp"
#include "styrdok/core/schema.hpp"

namespace styrdok::core {

/// What a signed-in person may do.
enum class Role { kReader, kOwner, kClerk, kAdmin };

/// "reader", "owner", "clerk", "admin".
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

/// The person asking, as the rules see them: a view of their account, valid while the account
/// it was made from lives.
struct Actor {
    Role role = Role::kReader;
    std::string_view email;               ///< may be empty
    std::span<const std::string> bodies;  ///< body ids whose documents they own
};

/// Public by the document's own flag, else by its doctype's default.
bool IsPublic(const Metadata& metadata, const Schema& schema);

/// True when a reader without rights may see this version: public and not a draft.
bool IsVisibleToAnyone(const Metadata& metadata, const Schema& schema);

/// True when `actor` owns the document: its owner_email is theirs (case-insensitive), or its
/// owner_body is one of their bodies.
bool Owns(const Actor& actor, const Metadata& metadata);

/// True when `actor` (nullopt: nobody signed in) may read this version.
bool MaySee(const std::optional<Actor>& actor, const Metadata& metadata, const Schema& schema);

/// True when `actor` may find drafts and documents that are not public in search: clerks and
/// admins. (An owner finds their drafts through their document pages.)
bool MaySearchEverything(const std::optional<Actor>& actor);

/// True when `actor` may find documents that are not public (not others' drafts) in search.
bool MaySearchNonPublic(const std::optional<Actor>& actor);

/// Why `actor` may not turn `before` (nullopt: a new document) into `after` by editing it;
/// nullopt when they may. `text_changed` says whether the text or the original files change.
/// Ownership is judged on the version the change starts from, so nobody takes over a document
/// by naming themselves its owner, and a clerk cannot make themselves its owner either (they
/// could then change its text).
std::optional<Problem> WhyNotAllowed(const Actor& actor, const std::optional<Metadata>& before,
                                     const Metadata& after, bool text_changed);

/// Why `actor` may not record review decisions; nullopt for clerks and admins, who register
/// the decisions of every body.
std::optional<Problem> WhyNotRecordReview(const Actor& actor);

/// Why `actor` may not adopt a draft (make it the decided version); nullopt for clerks and
/// admins, who register decisions.
std::optional<Problem> WhyNotAdopt(const Actor& actor);

}  // namespace styrdok::core
