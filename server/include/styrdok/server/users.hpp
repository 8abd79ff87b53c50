#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "styrdok/core/access.hpp"

namespace styrdok::server {

/// What a signed-in person may do (core/access.hpp): readers read non-public documents, owners
/// revise their own, clerks edit all metadata and record reviews, admins do everything.
using core::ParseRole;
using core::Role;
using core::RoleName;

struct User {
    std::string name;  ///< sign-in name: 1–64 of [A-Za-z0-9._@-]
    Role role = Role::kReader;
    std::string email;
    std::string
        password_hash;  ///< libsodium crypto_pwhash_str output (Argon2id), never the password
    /// Body ids (schema) whose documents this account owns, besides those naming its e-mail;
    /// stored as <body> children of the user's element. Kept last so that aggregate
    /// initialisation with the first four fields stays valid.
    std::vector<std::string> bodies;

    /// The account as the rules of core/access.hpp see it; valid while this User lives.
    core::Actor Actor() const { return {role, email, bodies}; }
};

/// Hashes a password with libsodium's crypto_pwhash_str (Argon2id, interactive limits, random
/// salt). Throws Error(kBadInput) for an empty password, kInternal when out of memory.
std::string HashPassword(std::string_view password);

/// True when `password` matches `hash` (constant time in libsodium).
bool VerifyPassword(std::string_view hash, std::string_view password);

/// The registry's accounts, kept in users.xml in the registry's configuration (never in the
/// document repository). Not thread-safe; Save() replaces the file atomically.
class UserFile {
public:
    /// Reads the file; a missing file is an empty list. Throws Error(kBadInput) when the
    /// file is malformed (with its line). Users without <body> children have no bodies.
    static UserFile Load(const std::filesystem::path& file);

    const std::vector<User>& users() const { return users_; }
    /// nullptr when there is no such user.
    const User* Find(std::string_view name) const;

    /// Adds a user. Throws Error(kBadInput) for an invalid name or e-mail, a hash that is
    /// not a libsodium hash, or an empty or repeated body id; Error(kConflict) when the name
    /// is taken. Whether the bodies exist in the schema is the caller's to check.
    void Add(User user);

    /// Removes the user named `name`. Throws Error(kNotFound) when there is none.
    void Remove(std::string_view name);

    /// Replaces the password hash of the user named `name`. Throws Error(kBadInput) for a
    /// hash that is not a libsodium hash, Error(kNotFound) when there is no such user.
    void SetPasswordHash(std::string_view name, std::string hash);

    /// Writes the file (mode 0600) through a temporary file and rename.
    void Save() const;

private:
    std::filesystem::path file_;
    std::vector<User> users_;
};

/// True for a name an account may have: 1–64 of [A-Za-z0-9._@-].
bool IsValidUserName(std::string_view name);

/// Writes `content` to `file` through a temporary file beside it and a rename, so a reader
/// never sees half a file; the file is readable and writable by its owner only (0600) from
/// the moment it exists, whatever the umask: for files that hold secrets (users.xml, and
/// styrdok.ini with the SMTP password). Throws Error(kInternal) when it cannot write.
void WritePrivateFile(const std::filesystem::path& file, std::string_view content);

/// True for a plausible e-mail address (one '@', non-empty local part and domain with a dot,
/// no spaces or control characters).
bool IsPlausibleEmail(std::string_view email);

}  // namespace styrdok::server
