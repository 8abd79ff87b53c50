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
/// changes (its time, size or inode; looked at no more than once a second), so `styrdok user
/// add|passwd|remove` take effect without a restart (the gatekeeper ends the sessions of an
/// account removed, or whose password or role changed, at their next request). Thread-safe.
class UserDirectory {
public:
    /// Reads `file`, and looks at it again at most every `check_every`. Throws as
    /// UserFile::Load.
    explicit UserDirectory(std::filesystem::path file,
                           std::chrono::milliseconds check_every = std::chrono::seconds(1));

    /// The account named `name`, if there is one.
    std::optional<User> Find(std::string_view name);

    /// The account if `password` is its password. Takes as long for an unknown name as for a
    /// wrong password, so the answer's timing does not tell which names exist.
    std::optional<User> Verify(std::string_view name, std::string_view password);

private:
    void Refresh();

    const std::filesystem::path file_;
    const std::chrono::milliseconds check_every_;
    std::mutex mutex_;
    UserFile users_;
    // What identified the file read last: a new file is renamed into place on each change.
    struct Version {
        long long modified_ns = 0;
        unsigned long long inode = 0;
        long long size = 0;
        bool operator==(const Version&) const = default;
    };
    static std::optional<Version> VersionOf(const std::filesystem::path& file);

    std::optional<Version> loaded_;
    std::chrono::steady_clock::time_point checked_;
};

}  // namespace styrdok::server
