#include "registry.hpp"

#include <cstdlib>

#include "styrdok/core/error.hpp"
#include "styrdok/server/server.hpp"
#include "styrdok/server/users.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::cli {

namespace fs = std::filesystem;

bool Registry::Exists(const fs::path& root) { return fs::exists(root / "repository" / "HEAD"); }

Registry Registry::Create(const fs::path& root, const fs::path& schema_file) {
    if (Exists(root)) {
        throw Error(ErrorCode::kConflict, "a registry exists already in " + root.string());
    }
    core::Schema schema = core::Schema::Load(schema_file);
    fs::create_directories(root);
    fs::copy_file(schema_file, root / "schema.xml", fs::copy_options::overwrite_existing);
    store::Store::Init(root / "repository");
    // It may come to hold the SMTP password: the server's account alone reads it.
    server::WritePrivateFile(root / "styrdok.ini", server::DefaultConfigText());
    return Registry(root, std::move(schema));
}

Registry Registry::Open(const fs::path& root) {
    if (!Exists(root)) {
        throw Error(ErrorCode::kNotFound, "no registry in " + root.string() +
                                              " (create one with: styrdok init --data " +
                                              root.string() + ")");
    }
    return Registry(root, core::Schema::Load(root / "schema.xml"));
}

fs::path DefaultDataDir() {
    if (const char* data = std::getenv("STYRDOK_DATA"); data != nullptr && *data != '\0') {
        return data;
    }
    return fs::path(STYRDOK_DEFAULT_DATA_DIR);
}

fs::path ConfigFile(const Registry& registry, const fs::path& given) {
    fs::path file = given;
    if (file.empty()) {
        if (const char* named = std::getenv("STYRDOK_CONFIG"); named != nullptr && *named != '\0') {
            file = named;
        }
    }
    if (file.empty()) return registry.config_file();
    // A file named on purpose and missing is a mistake to report, not a reason for defaults.
    std::error_code error;
    if (!fs::is_regular_file(file, error)) {
        throw Error(ErrorCode::kNotFound, "no configuration file " + file.string());
    }
    return file;
}

fs::path DataFilesDir(const std::string& name) {
    std::error_code error;
    const fs::path program = fs::read_symlink("/proc/self/exe", error);
    if (!error) {
        fs::path installed = program.parent_path().parent_path() / "share" / "styrdok" / name;
        if (fs::is_directory(installed, error)) return installed;
    }
    return fs::path(STYRDOK_SOURCE_DIR) / name;
}

fs::path DefaultSchemaFile() { return DataFilesDir("schema") / "default.xml"; }

fs::path DefaultTemplatesDir() { return DataFilesDir("templates"); }

}  // namespace styrdok::cli
