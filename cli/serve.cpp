#include <iostream>

#include "commands.hpp"
#include "registry.hpp"
#include "styrdok/server/server.hpp"

namespace styrdok::cli {

namespace {

struct ServeArguments {
    std::optional<int> port;
    std::string bind;
    std::optional<core::Date> today;
};

void RunServe(const Context& context, const ServeArguments& arguments) {
    Registry registry = Registry::Open(context.data);
    server::ServerConfig defaults;
    defaults.templates_dir = DefaultTemplatesDir();
    server::ServerConfig config =
        server::LoadServerConfig(ConfigFile(registry, context.config), defaults);
    if (arguments.port) config.port = static_cast<std::uint16_t>(*arguments.port);
    if (!arguments.bind.empty()) config.bind = arguments.bind;
    config.today = arguments.today;
    server::Serve({registry.repository(), registry.index_dir(), registry.users_file()},
                  registry.schema(), config, [&config](std::uint16_t port) {
                      // One line on standard output, for people and for programs that start
                      // the server on port 0 and wait to learn the port.
                      std::cout << "styrdok: serving http://" << config.bind << ":" << port << "/"
                                << std::endl;
                  });
}

}  // namespace

void AddServeCommand(CLI::App& app, Context& context) {
    auto* command = app.add_subcommand(
        "serve", "Serve the registry over HTTP: the web UI and the JSON API (docs/operations.md)");
    auto arguments = std::make_shared<ServeArguments>();
    command->add_option("--port", arguments->port, "Port to listen on; 0 picks a free one")
        ->check(CLI::Range(0, 65535));
    command->add_option("--bind", arguments->bind, "Address to listen on (default 127.0.0.1)");
    AddConfigOption(*command, context);
    AddTodayOption(*command, arguments->today);
    command->callback([&context, arguments] { RunServe(context, *arguments); });
}

}  // namespace styrdok::cli
