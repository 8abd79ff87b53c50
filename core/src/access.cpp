#include "styrdok/core/access.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace styrdok::core {

namespace {

constexpr std::array<std::pair<Role, std::string_view>, 4> kRoleNames{{
    {Role::kReader, "reader"},
    {Role::kOwner, "owner"},
    {Role::kClerk, "clerk"},
    {Role::kAdmin, "admin"},
}};

// E-mail addresses are compared without regard to case; their letters are ASCII.
bool SameAddress(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

bool Names(const Actor& actor, std::string_view owner_email, std::string_view owner_body) {
    if (!actor.email.empty() && !owner_email.empty() && SameAddress(actor.email, owner_email)) {
        return true;
    }
    return !owner_body.empty() &&
           std::find(actor.bodies.begin(), actor.bodies.end(), owner_body) != actor.bodies.end();
}

// The fields a review decision sets. Editing them by hand would record (or erase) an
// aktualitetsprövning that no body decided.
std::optional<Problem> ChangedReviewRecord(const Metadata& before, const Metadata& after) {
    if (after.reviews != before.reviews) {
        return MakeProblem(ProblemCode::kMayNotSetReview, "reviews");
    }
    if (after.last_reviewed_on != before.last_reviewed_on) {
        return MakeProblem(ProblemCode::kMayNotSetReview, "last_reviewed_on");
    }
    return std::nullopt;
}

}  // namespace

std::string_view RoleName(Role role) {
    for (const auto& [value, name] : kRoleNames) {
        if (value == role) return name;
    }
    return "reader";
}

std::optional<Role> ParseRole(std::string_view name) {
    for (const auto& [value, role_name] : kRoleNames) {
        if (role_name == name) return value;
    }
    return std::nullopt;
}

bool IsPublic(const Metadata& metadata, const Schema& schema) {
    if (metadata.is_public) return *metadata.is_public;
    const DocType* type = schema.FindDocType(metadata.doctype);
    return type ? type->public_by_default : true;
}

bool IsVisibleToAnyone(const Metadata& metadata, const Schema& schema) {
    return metadata.status != Status::kDraft && IsPublic(metadata, schema);
}

bool Owns(const Actor& actor, const Metadata& metadata) {
    return Names(actor, metadata.owner_email, metadata.owner_body);
}

bool MaySee(const std::optional<Actor>& actor, const Metadata& metadata, const Schema& schema) {
    const bool draft = metadata.status == Status::kDraft;
    if (!actor) return !draft && IsPublic(metadata, schema);
    switch (actor->role) {
        case Role::kAdmin:
        case Role::kClerk:
            return true;
        case Role::kOwner:
            return !draft || Owns(*actor, metadata);
        case Role::kReader:
            return !draft;
    }
    return false;
}

bool MaySearchEverything(const std::optional<Actor>& actor) {
    return actor && (actor->role == Role::kAdmin || actor->role == Role::kClerk);
}

bool MaySearchNonPublic(const std::optional<Actor>& actor) { return actor.has_value(); }

std::optional<Problem> WhyNotAllowed(const Actor& actor, const std::optional<Metadata>& before,
                                     const Metadata& after, bool text_changed) {
    if (actor.role == Role::kReader) return MakeProblem(ProblemCode::kReadOnlyAccount, "");
    // A new document starts from nothing: no reviews, no deadline of its own.
    static const Metadata kNothing;
    const Metadata& start = before ? *before : kNothing;
    if (auto problem = ChangedReviewRecord(start, after)) return problem;
    switch (actor.role) {
        case Role::kAdmin:
            return std::nullopt;
        case Role::kClerk: {
            // Naming themselves the owner would give a clerk the text on the next save.
            const bool owned = before && Owns(actor, *before);
            if (before && !owned && Owns(actor, after)) {
                return MakeProblem(ProblemCode::kMayNotTakeOver, "owner_email");
            }
            if (!before || !text_changed || owned) return std::nullopt;
            return MakeProblem(ProblemCode::kClerkMayNotChangeText, "text");
        }
        case Role::kOwner:
            if (after.review_due != start.review_due) {
                return MakeProblem(ProblemCode::kMayNotSetReview, "review_due");
            }
            if (before ? Owns(actor, *before) : Owns(actor, after)) return std::nullopt;
            return MakeProblem(
                before ? ProblemCode::kNotOwner : ProblemCode::kNewDocumentMustNameYou, "");
        case Role::kReader:
            break;
    }
    return MakeProblem(ProblemCode::kReadOnlyAccount, "");
}

std::optional<Problem> WhyNotRecordReview(const Actor& actor) {
    if (actor.role == Role::kClerk || actor.role == Role::kAdmin) return std::nullopt;
    return MakeProblem(ProblemCode::kMayNotRecordReview, "");
}

std::optional<Problem> WhyNotAdopt(const Actor& actor) {
    if (actor.role == Role::kClerk || actor.role == Role::kAdmin) return std::nullopt;
    return MakeProblem(ProblemCode::kMayNotAdopt, "");
}

}  // namespace styrdok::core
