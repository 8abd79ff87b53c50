#pragma once

#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "styrdok/server/users.hpp"

namespace styrdok::server {

/// The accounts of users.xml as the running server sees them: read again when the file
/// changes, so `styrdok user add|passwd|remove` take effect without a restart (a removed
/// account's sessions stop working at their next request). Thread-safe.
class UserDirectory {
public:
    explicit UserDirectory(std::filesystem::path file);

    /// The account named `name`, if there is one.
    std::optional<User> Find(std::string_view name);

    /// The account if `password` is its password. Takes as long for an unknown name as for a
    /// wrong password, so the answer's timing does not tell which names exist.
    std::optional<User> Verify(std::string_view name, std::string_view password);

private:
    void Refresh();

    const std::filesystem::path file_;
    std::mutex mutex_;
    UserFile users_;
    std::optional<std::filesystem::file_time_type> loaded_time_;
    std::chrono::steady_clock::time_point checked_;
};

}  // namespace styrdok::server
