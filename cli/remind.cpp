#include <iostream>

#include "commands.hpp"
#include "follow.hpp"
#include "registry.hpp"
#include "styrdok/reminders/reminders.hpp"

namespace styrdok::cli {

namespace {

struct RemindArguments {
    bool dry_run = false;
    std::optional<core::Date> today;
};

void RunRemind(Context& context, const RemindArguments& arguments) {
    Registry registry = Registry::Open(context.data);
    // The primary sends them: a follower's would reach every owner twice.
    RefuseOnFollower(registry, "styrdok remind");
    const reminders::MailConfig mail =
        reminders::LoadMailConfig(ConfigFile(registry, context.config));
    const core::Date today = arguments.today.value_or(Today());
    reminders::ReminderReport report = reminders::Remind(
        registry.root(), registry.repository(), registry.schema(), mail, today, arguments.dry_run);
    for (const std::string& line : report.lines) {
        (line.rfind("failed", 0) == 0 ? std::cerr : std::cout) << line << "\n";
    }
    if (arguments.dry_run) {
        std::cout << report.lines.size() << " messages would be sent; nothing was recorded\n";
    } else {
        std::cout << report.sent << " sent, " << report.failed << " failed" << std::endl;
    }
    if (report.failed > 0) context.exit_code = kExitProblems;
}

}  // namespace

void AddRemindCommand(CLI::App& app, Context& context) {
    auto* command = app.add_subcommand(
        "remind",
        "E-mail each document owner a digest of the reviews due or overdue, each reminder once "
        "(docs/operations.md)");
    auto arguments = std::make_shared<RemindArguments>();
    command->add_flag("--dry-run", arguments->dry_run,
                      "Print the messages that would be sent; send and record nothing");
    command->add_option_function<std::string>(
        "--today",
        [arguments](const std::string& text) {
            arguments->today = core::Date::Parse(text);
            if (!arguments->today) throw CLI::ValidationError("--today", "expected YYYY-MM-DD");
        },
        "Take this date (YYYY-MM-DD) as today");
    AddConfigOption(*command, context);
    command->callback([&context, arguments] { RunRemind(context, *arguments); });
}

}  // namespace styrdok::cli
