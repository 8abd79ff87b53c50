#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "follow.hpp"
#include "registry.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/schema.hpp"
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

/// Reads a new password (see ReadPassword) and returns its hash. Throws Error(kBadInput)
/// when it is shorter than 8 characters.
std::string ReadNewPasswordHash() {
    std::string password = ReadPassword();
    if (password.size() < 8) {
        throw Error(ErrorCode::kBadInput, "the password must have at least 8 characters");
    }
    return server::HashPassword(password);
}

std::string Joined(const std::vector<std::string>& parts, std::string_view separator) {
    std::string result;
    for (const std::string& part : parts) {
        if (!result.empty()) result += separator;
        result += part;
    }
    return result;
}

/// The schema's ids of `given` (ids, abbreviations or names, as Schema::FindBody takes them).
/// Throws Error(kBadInput) naming the first body the schema does not know.
std::vector<std::string> BodyIds(const core::Schema& schema,
                                 const std::vector<std::string>& given) {
    std::vector<std::string> ids;
    for (const std::string& name : given) {
        const core::Body* body = schema.FindBody(name);
        if (body == nullptr) {
            std::vector<std::string> known;
            for (const core::Body& each : schema.bodies()) known.push_back(each.id);
            throw Error(ErrorCode::kBadInput, "--body: unknown body '" + name +
                                                  "' (the schema has: " + Joined(known, ", ") +
                                                  ")");
        }
        ids.push_back(body->id);
    }
    return ids;
}

struct UserAddArguments {
    std::string name;
    std::string role;
    std::string email;
    std::vector<std::string> bodies;
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
    add->add_option("--body", arguments->bodies,
                    "Body (nämnd) whose documents the account owns, by its schema id (repeatable)")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->allow_extra_args(false);
    add->callback([&context, arguments] {
        Registry registry = Registry::Open(context.data);
        // Accounts live on the primary; a follower serves readers only.
        RefuseOnFollower(registry, "styrdok user add");
        auto users = server::UserFile::Load(registry.users_file());
        if (users.Find(arguments->name) != nullptr) {
            throw Error(ErrorCode::kConflict,
                        "a user named '" + arguments->name + "' exists already");
        }
        // Checked before the password is asked for, so a typo costs no typing.
        std::vector<std::string> bodies = BodyIds(registry.schema(), arguments->bodies);
        users.Add({arguments->name, *server::ParseRole(arguments->role), arguments->email,
                   ReadNewPasswordHash(), std::move(bodies)});
        users.Save();
        std::cout << "Added " << arguments->role << " " << arguments->name << "\n";
    });

    auto* passwd = user->add_subcommand(
        "passwd",
        "Change an account's password; the new one is read from standard input, only its hash "
        "is kept");
    auto passwd_name = std::make_shared<std::string>();
    passwd->add_option("name", *passwd_name, "Sign-in name")->required();
    passwd->callback([&context, passwd_name] {
        Registry registry = Registry::Open(context.data);
        RefuseOnFollower(registry, "styrdok user passwd");
        auto users = server::UserFile::Load(registry.users_file());
        if (users.Find(*passwd_name) == nullptr) {
            throw Error(ErrorCode::kNotFound, "there is no user named '" + *passwd_name + "'");
        }
        users.SetPasswordHash(*passwd_name, ReadNewPasswordHash());
        users.Save();
        std::cout << "Changed the password of " << *passwd_name
                  << "; a running server ends their sessions\n";
    });

    auto* remove = user->add_subcommand("remove", "Remove an account");
    auto remove_name = std::make_shared<std::string>();
    remove->add_option("name", *remove_name, "Sign-in name")->required();
    remove->callback([&context, remove_name] {
        Registry registry = Registry::Open(context.data);
        auto users = server::UserFile::Load(registry.users_file());
        users.Remove(*remove_name);
        users.Save();
        std::cout << "Removed " << *remove_name << "; a running server ends their sessions\n";
    });

    auto* list = user->add_subcommand(
        "list", "List the accounts: name, role, e-mail and bodies, separated by tabs");
    list->callback([&context] {
        Registry registry = Registry::Open(context.data);
        auto users = server::UserFile::Load(registry.users_file());
        for (const auto& account : users.users()) {
            std::cout << account.name << "\t" << server::RoleName(account.role) << "\t"
                      << account.email << "\t" << Joined(account.bodies, ",") << "\n";
        }
    });
}

}  // namespace styrdok::cli
