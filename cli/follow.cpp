#include "follow.hpp"

#include <iostream>
#include <system_error>

#include "styrdok/core/error.hpp"
#include "styrdok/indexer/index.hpp"
#include "styrdok/store/follow.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::cli {

namespace fs = std::filesystem;

namespace {

// A URL libgit2 reads as a local path, made absolute; any other URL as given.
std::string Absolute(const std::string& url) {
    std::error_code error;
    if (url.find("://") == std::string::npos && fs::exists(url, error)) {
        return fs::absolute(url).lexically_normal().string();
    }
    return url;
}

}  // namespace

void InitFollower(const fs::path& root, const fs::path& schema_file, const std::string& url) {
    const bool made_root = !fs::exists(root);
    const std::string primary = Absolute(url);
    Registry registry = Registry::Create(root, schema_file);
    store::FetchReport fetched;
    try {
        store::SetPrimary(registry.repository(), primary);
        fetched = store::FetchFromPrimary(registry.repository(), primary);
    } catch (const Error& error) {
        if (made_root) {
            std::error_code ignored;
            fs::remove_all(root, ignored);
        }
        throw Error(
            ErrorCode::kUnavailable,
            std::string(error.what()) +
                (made_root ? "; no registry was created"
                           : "; remove the registry in " + root.string() + " before trying again"));
    }
    auto store = store::Store::Open(registry.repository());
    indexer::SyncReport report =
        indexer::Index::Open(registry.index_dir(), registry.schema()).Sync(store);
    std::cout << "Created a follower of " << store::PrimaryForDisplay(primary) << " in "
              << registry.root().string() << " (schema " << registry.schema().name()
              << "): " << report.documents << " documents at commit "
              << (fetched.after ? fetched.after->substr(0, 12) : std::string("(empty)"))
              << "; `styrdok serve` fetches again every [follow] poll_milliseconds\n";
}

void RefuseOnFollower(const Registry& registry, std::string_view what) {
    if (std::optional<std::string> primary = store::FollowedPrimary(registry.repository())) {
        throw Error(ErrorCode::kConflict, std::string(what) + ": " + registry.root().string() +
                                              " is a read-only follower of " +
                                              store::PrimaryForDisplay(*primary) +
                                              "; run it on the primary");
    }
}

}  // namespace styrdok::cli
