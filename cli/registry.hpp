#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "styrdok/core/schema.hpp"

namespace styrdok::cli {

/// The folder `--data` names: everything one registry consists of.
///   repository/  the document repository (bare git): the source of truth
///   index/       the Xapian index, derived from the repository, rebuildable
///   schema.xml   the registry's schema (configuration)
///   users.xml    accounts with password hashes (configuration, never in the repository)
class Registry {
public:
    /// Creates a registry in `root` (created if missing) with a copy of `schema_file`, which is
    /// checked first. Throws Error(kConflict) when `root` holds a registry already.
    static Registry Create(const std::filesystem::path& root,
                           const std::filesystem::path& schema_file);
    /// Opens the registry in `root`; Error(kNotFound) with a hint to run `styrdok init` when
    /// there is none.
    static Registry Open(const std::filesystem::path& root);
    /// True when `root` holds a registry.
    static bool Exists(const std::filesystem::path& root);

    const std::filesystem::path& root() const { return root_; }
    std::filesystem::path repository() const { return root_ / "repository"; }
    std::filesystem::path index_dir() const { return root_ / "index"; }
    std::filesystem::path schema_file() const { return root_ / "schema.xml"; }
    std::filesystem::path users_file() const { return root_ / "users.xml"; }
    /// The server's configuration (INI), written with its defaults commented by Create.
    std::filesystem::path config_file() const { return root_ / "styrdok.ini"; }
    const core::Schema& schema() const { return schema_; }

private:
    Registry(std::filesystem::path root, core::Schema schema)
        : root_(std::move(root)), schema_(std::move(schema)) {}
    std::filesystem::path root_;
    core::Schema schema_;
};

/// The registry folder when --data is not given: $STYRDOK_DATA, else the folder the build was
/// configured with (STYRDOK_DEFAULT_DATA_DIR: ./var/registry, /var/lib/styrdok in the package).
std::filesystem::path DefaultDataDir();

/// The configuration file the server and the reminders read: `given` (--config) when not
/// empty, else $STYRDOK_CONFIG, else the registry's own styrdok.ini. A file named by the
/// option or the variable must exist (Error(kNotFound) otherwise); the registry's own may be
/// missing and then gives the defaults.
std::filesystem::path ConfigFile(const Registry& registry, const std::filesystem::path& given);

/// The folder of the data files installed with the program (`schema`, `templates`): beside
/// the executable as installed (`<bindir>/../share/styrdok/<name>`), so that an installation
/// moved to any root finds its own; else the source tree's (a program in the build tree).
std::filesystem::path DataFilesDir(const std::string& name);

/// The schema `init` uses when --schema is not given: default.xml of DataFilesDir("schema").
std::filesystem::path DefaultSchemaFile();

/// The page templates `serve` uses unless the configuration names others:
/// DataFilesDir("templates").
std::filesystem::path DefaultTemplatesDir();

}  // namespace styrdok::cli
