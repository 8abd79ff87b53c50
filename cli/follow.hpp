#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "registry.hpp"

namespace styrdok::cli {

/// `styrdok init --follow URL`: creates a registry in `root` with `schema_file` (which must be
/// the primary's schema) whose repository follows `url` (store::SetPrimary), fetches the
/// primary's main once and indexes it. A local path is recorded absolute, so the server finds
/// it whatever its working directory. When the first fetch fails, the registry is removed
/// again (if `root` did not exist before) and Error(kUnavailable) says why.
void InitFollower(const std::filesystem::path& root, const std::filesystem::path& schema_file,
                  const std::string& url);

/// Throws Error(kConflict) naming the primary when `registry` is a follower: `what` (a
/// command, "styrdok import") changes the registry, which only its primary may do.
void RefuseOnFollower(const Registry& registry, std::string_view what);

}  // namespace styrdok::cli
