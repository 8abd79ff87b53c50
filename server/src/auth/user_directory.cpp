#include "user_directory.hpp"

#include <sys/stat.h>

#include <utility>

namespace styrdok::server {

namespace {

// A hash to verify against when the name is unknown, computed once.
const std::string& DecoyHash() {
    static const std::string hash = HashPassword("ingen sådan användare");
    return hash;
}

}  // namespace

std::optional<UserDirectory::Version> UserDirectory::VersionOf(const std::filesystem::path& file) {
    struct stat status {};
    if (::stat(file.c_str(), &status) != 0) return std::nullopt;
    return Version{
        static_cast<long long>(status.st_mtim.tv_sec) * 1'000'000'000LL + status.st_mtim.tv_nsec,
        static_cast<unsigned long long>(status.st_ino), static_cast<long long>(status.st_size)};
}

// Once a second by default: often enough for an administrator at a terminal, and a stat(2)
// per second instead of per request.
UserDirectory::UserDirectory(std::filesystem::path file, std::chrono::milliseconds check_every)
    : file_(std::move(file)), check_every_(check_every) {
    // The version first: a change while loading is then seen, and read, at the next look.
    loaded_ = VersionOf(file_);
    users_ = UserFile::Load(file_);
    checked_ = std::chrono::steady_clock::now();
    DecoyHash();
}

void UserDirectory::Refresh() {
    const auto now = std::chrono::steady_clock::now();
    if (now - checked_ < check_every_) return;
    checked_ = now;
    std::optional<Version> current = VersionOf(file_);
    if (current == loaded_) return;
    // A file being replaced or written badly keeps the accounts known until it is right.
    try {
        users_ = UserFile::Load(file_);
        loaded_ = current;
    } catch (const std::exception&) {
    }
}

std::optional<User> UserDirectory::Find(std::string_view name) {
    std::lock_guard lock(mutex_);
    Refresh();
    if (const User* user = users_.Find(name)) return *user;
    return std::nullopt;
}

std::optional<User> UserDirectory::Verify(std::string_view name, std::string_view password) {
    std::optional<User> user = Find(name);
    // Verifying takes tens of milliseconds: outside the lock.
    if (!user) {
        VerifyPassword(DecoyHash(), password);
        return std::nullopt;
    }
    if (!VerifyPassword(user->password_hash, password)) return std::nullopt;
    return user;
}

}  // namespace styrdok::server
