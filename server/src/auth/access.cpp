#include "access.hpp"

#include <algorithm>
#include <cctype>

namespace styrdok::server {

namespace {

bool SameAddress(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

bool IsPublic(const core::Metadata& metadata, const core::Schema& schema) {
    if (metadata.is_public) return *metadata.is_public;
    const core::DocType* type = schema.FindDocType(metadata.doctype);
    return type ? type->public_by_default : true;
}

}  // namespace

bool Owns(const User& user, const core::Metadata& metadata) {
    if (!user.email.empty() && !metadata.owner_email.empty() &&
        SameAddress(user.email, metadata.owner_email)) {
        return true;
    }
    return !metadata.owner_body.empty() && std::find(user.bodies.begin(), user.bodies.end(),
                                                     metadata.owner_body) != user.bodies.end();
}

bool MaySee(const std::optional<User>& user, const core::Metadata& metadata,
            const core::Schema& schema) {
    const bool draft = metadata.status == core::Status::kDraft;
    if (!user) return !draft && IsPublic(metadata, schema);
    switch (user->role) {
        case Role::kAdmin:
        case Role::kClerk:
            return true;
        case Role::kOwner:
            return !draft || Owns(*user, metadata);
        case Role::kReader:
            return !draft;
    }
    return false;
}

bool MaySearchEverything(const std::optional<User>& user) {
    return user && (user->role == Role::kAdmin || user->role == Role::kClerk);
}

bool MaySearchNonPublic(const std::optional<User>& user) { return user.has_value(); }

std::optional<std::string_view> WhyNotAllowed(const User& user,
                                              const std::optional<core::Metadata>& before,
                                              const core::Metadata& after, bool text_changed) {
    switch (user.role) {
        case Role::kAdmin:
            return std::nullopt;
        case Role::kReader:
            return "ditt konto får läsa men inte ändra dokument";
        case Role::kClerk:
            if (!before || !text_changed || Owns(user, *before)) return std::nullopt;
            return "registratorn får ändra metadata men inte texten i andras dokument";
        case Role::kOwner:
            // Ownership is judged on the version the change starts from, so nobody takes over
            // a document by naming themselves its owner.
            if (before ? Owns(user, *before) : Owns(user, after)) return std::nullopt;
            return before ? "du är inte dokumentansvarig för det här dokumentet"
                          : "ett nytt dokument måste ha dig som dokumentansvarig";
    }
    return "okänd roll";
}

}  // namespace styrdok::server
