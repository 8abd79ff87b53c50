#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "commands.hpp"
#include "registry.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/server/users.hpp"

namespace styrdok::cli {

namespace {

/// Reads one line from standard input without echoing it when it is a terminal.
std::string ReadPassword() {
    const bool terminal = isatty(STDIN_FILENO) == 1;
    termios saved{};
    if (terminal) {
        std::cerr << "Password: " << std::flush;
        tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string password;
    std::getline(std::cin, password);
    if (terminal) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::cerr << "\n";
    }
    if (!password.empty() && password.back() == '\r') password.pop_back();
    return password;
}

struct UserAddArguments {
    std::string name;
    std::string role;
    std::string email;
};

}  // namespace

void AddUserCommand(CLI::App& app, Context& context) {
    auto* user = app.add_subcommand("user", "Manage accounts");
    user->require_subcommand(1);

    auto* add = user->add_subcommand(
        "add", "Add an account; the password is read from standard input, only its hash is kept");
    auto arguments = std::make_shared<UserAddArguments>();
    add->add_option("name", arguments->name, "Sign-in name")->required();
    add->add_option("--role", arguments->role, "reader, owner, clerk or admin")
        ->required()
        ->check(CLI::IsMember({"reader", "owner", "clerk", "admin"}));
    add->add_option("--email", arguments->email, "E-mail address");
    add->callback([&context, arguments] {
        Registry registry = Registry::Open(context.data);
        auto users = server::UserFile::Load(registry.users_file());
        if (users.Find(arguments->name) != nullptr) {
            throw Error(ErrorCode::kConflict,
                        "a user named '" + arguments->name + "' exists already");
        }
        std::string password = ReadPassword();
        if (password.size() < 8) {
            throw Error(ErrorCode::kBadInput, "the password must have at least 8 characters");
        }
        users.Add({arguments->name, *server::ParseRole(arguments->role), arguments->email,
                   server::HashPassword(password)});
        users.Save();
        std::cout << "Added " << arguments->role << " " << arguments->name << "\n";
    });

    auto* list = user->add_subcommand("list", "List the accounts");
    list->callback([&context] {
        Registry registry = Registry::Open(context.data);
        auto users = server::UserFile::Load(registry.users_file());
        for (const auto& account : users.users()) {
            std::cout << account.name << "\t" << server::RoleName(account.role) << "\t"
                      << account.email << "\n";
        }
    });
}

}  // namespace styrdok::cli
