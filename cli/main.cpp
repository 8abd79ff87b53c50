#include <CLI/CLI.hpp>
#include <ctime>
#include <iostream>

#include "commands.hpp"
#include "registry.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/server/server.hpp"

namespace styrdok::cli {

core::Date Today() {
    std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    return *core::Date::FromYmd(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
}

void AddTodayOption(CLI::App& command, std::optional<core::Date>& today) {
    command
        .add_option_function<std::string>(
            "--today",
            [&today](const std::string& text) {
                today = core::Date::Parse(text);
                if (!today) throw CLI::ValidationError("--today", "expected YYYY-MM-DD");
            },
            "Take this date (YYYY-MM-DD) as today")
        ->group("");
}

void AddDataOption(CLI::App& command, Context& context) {
    command.add_option("--data", context.data,
                       "Registry folder (git repository, index, configuration); default "
                       "$STYRDOK_DATA or " STYRDOK_DEFAULT_DATA_DIR);
}

void AddConfigOption(CLI::App& command, Context& context) {
    command.add_option("--config", context.config,
                       "Configuration file (INI); default $STYRDOK_CONFIG or the registry's "
                       "styrdok.ini");
}

void AddDataOptionToSubcommands(CLI::App& command, Context& context) {
    for (CLI::App* subcommand : command.get_subcommands({})) {
        AddDataOption(*subcommand, context);
        AddDataOptionToSubcommands(*subcommand, context);
    }
}

}  // namespace styrdok::cli

int main(int argc, char** argv) {
    using namespace styrdok::cli;
    Context context;
    context.data = DefaultDataDir();

    CLI::App app{"Styrdok: the registry of a municipality's governing documents"};
    app.set_version_flag("--version", "styrdok 0.1.0");
    app.require_subcommand(1);
    AddDataOption(app, context);
    // The packaged /etc/styrdok/styrdok.ini is written by this (cli/CMakeLists.txt), so the
    // package and `styrdok init` hand out the same text.
    app.add_flag_callback(
        "--default-config",
        [] {
            std::cout << styrdok::server::DefaultConfigText();
            throw CLI::Success();
        },
        "Print the commented default configuration (styrdok.ini) and exit");

    AddInitCommand(app, context);
    AddImportCommand(app, context);
    AddIndexCommand(app, context);
    AddSearchCommand(app, context);
    AddCheckCommand(app, context);
    AddUserCommand(app, context);
    AddStatusCommand(app, context);
    AddServeCommand(app, context);
    AddRemindCommand(app, context);
    AddMigrateDraftsCommand(app, context);
    AddBackupCommands(app, context);
    AddProposeCommand(app, context);
    // Every subcommand takes --data itself, so it stands anywhere and shows in its --help.
    AddDataOptionToSubcommands(app, context);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return app.exit(error) == 0 ? 0 : kExitFailure;
    } catch (const styrdok::Error& error) {
        std::cerr << "styrdok: " << error.what() << "\n";
        return kExitFailure;
    } catch (const std::exception& error) {
        std::cerr << "styrdok: internal error: " << error.what() << "\n";
        return kExitFailure;
    }
    return context.exit_code;
}
