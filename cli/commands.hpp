#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>

#include "styrdok/core/date.hpp"

namespace styrdok::store {
class Store;
}

namespace styrdok::cli {

/// What every subcommand shares: the registry folder and the exit status to return.
struct Context {
    std::filesystem::path data;
    /// --config, for the commands that read the configuration; empty: see ConfigFile.
    std::filesystem::path config;
    int exit_code = 0;
};

/// Exit statuses: 0 done, 1 done but something was refused or found wrong, 2 usage error or
/// failure.
inline constexpr int kExitProblems = 1;
inline constexpr int kExitFailure = 2;

// Each adds one subcommand to `app`; the subcommand runs in its callback.
void AddInitCommand(CLI::App& app, Context& context);
void AddImportCommand(CLI::App& app, Context& context);
void AddIndexCommand(CLI::App& app, Context& context);
void AddSearchCommand(CLI::App& app, Context& context);
void AddCheckCommand(CLI::App& app, Context& context);
void AddUserCommand(CLI::App& app, Context& context);
void AddStatusCommand(CLI::App& app, Context& context);
void AddServeCommand(CLI::App& app, Context& context);
void AddRemindCommand(CLI::App& app, Context& context);
void AddMigrateDraftsCommand(CLI::App& app, Context& context);
void AddBackupCommands(CLI::App& app, Context& context);  // backup and restore
void AddProposeCommand(CLI::App& app, Context& context);

/// Moves main to the fanned-out layout documents/<xx>/<id>/ when it is still flat
/// (store::Store::MigrateLayout) and says so on standard output, with the time it took.
void MigrateLayout(store::Store& store);

/// Moves main to the fanned-out layout (MigrateLayout), then the drafts older versions wrote
/// on main to refs/drafts/
/// (store::Store::MigrateDraftsOffMain), and says on standard output what it moved, and with
/// `say_when_nothing` also that nothing was to move. Names on standard error the drafts it
/// had to leave on main; returns false when there were any.
bool MigrateDrafts(store::Store& store, bool say_when_nothing);

/// Today's date on this machine's clock, in local time.
core::Date Today();

/// Adds --data (the registry folder) to `command`, and to every subcommand below it.
void AddDataOption(CLI::App& command, Context& context);
void AddDataOptionToSubcommands(CLI::App& command, Context& context);

/// Adds --config (the configuration file, registry.hpp's ConfigFile) to `command`.
void AddConfigOption(CLI::App& command, Context& context);

/// Adds a hidden --today option, for reproducible runs and tests, to `command`.
void AddTodayOption(CLI::App& command, std::optional<core::Date>& today);

}  // namespace styrdok::cli
