#include "user_directory.hpp"

#include <utility>

namespace styrdok::server {

namespace {

// How often the file's time is looked at: often enough for an administrator at a terminal.
constexpr auto kCheckEvery = std::chrono::seconds(1);

// A hash to verify against when the name is unknown, computed once.
const std::string& DecoyHash() {
    static const std::string hash = HashPassword("ingen sådan användare");
    return hash;
}

}  // namespace

UserDirectory::UserDirectory(std::filesystem::path file)
    : file_(std::move(file)), users_(UserFile::Load(file_)) {
    std::error_code error;
    auto time = std::filesystem::last_write_time(file_, error);
    if (!error) loaded_time_ = time;
    checked_ = std::chrono::steady_clock::now();
    DecoyHash();
}

void UserDirectory::Refresh() {
    const auto now = std::chrono::steady_clock::now();
    if (now - checked_ < kCheckEvery) return;
    checked_ = now;
    std::error_code error;
    auto time = std::filesystem::last_write_time(file_, error);
    std::optional<std::filesystem::file_time_type> current;
    if (!error) current = time;
    if (current == loaded_time_) return;
    // A file being replaced or written badly keeps the accounts known until it is right.
    try {
        users_ = UserFile::Load(file_);
        loaded_time_ = current;
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
