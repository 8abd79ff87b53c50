#include "styrdok/store/import.hpp"

#include <iostream>

#include "commands.hpp"
#include "follow.hpp"
#include "index_writer.hpp"
#include "progress.hpp"
#include "registry.hpp"
#include "styrdok/indexer/index.hpp"

namespace styrdok::cli {

namespace {

struct ImportArguments {
    std::vector<std::filesystem::path> sources;
    bool strict = false;
    bool no_index = false;
    std::string author = "Styrdok import";
    std::string email = "import@styrdok.invalid";
    std::string message;
    std::optional<core::Date> today;
};

void RunImport(Context& context, const ImportArguments& arguments) {
    Registry registry = Registry::Open(context.data);
    RefuseOnFollower(registry, "styrdok import");
    auto store = store::Store::Open(registry.repository());
    MigrateLayout(store);

    store::ImportOptions options;
    options.author = {arguments.author, arguments.email};
    options.strict = arguments.strict;
    options.today = arguments.today.value_or(Today());
    options.message = arguments.message;
    if (options.message.empty()) {
        options.message = "Import from";
        for (const auto& source : arguments.sources) options.message += " " + source.string();
    }
    store::ImportReport report;
    {
        Progress progress("Reading documents");
        options.progress = [&progress](std::size_t done, std::size_t total) {
            progress.Update(done, total);
        };
        report = store::Import(store, registry.schema(), arguments.sources, options);
    }

    for (const auto& rejection : report.rejected) {
        std::cerr << "rejected: " << rejection.source << "\n";
        std::string_view reason = rejection.reason;
        while (!reason.empty()) {
            auto end = reason.find('\n');
            std::cerr << "  - " << reason.substr(0, end) << "\n";
            if (end == std::string_view::npos) break;
            reason.remove_prefix(end + 1);
        }
    }
    if (report.commit || report.drafts > 0) {
        std::cout << "Imported " << report.documents << " documents (" << report.versions
                  << " versions)";
        if (report.commit) std::cout << " in commit " << report.commit->substr(0, 12);
        std::cout << "\n";
        if (report.drafts > 0) {
            std::cout << report.drafts << " of them with a draft, kept beside main on "
                      << "refs/drafts/\n";
        }
    } else {
        std::cout << "Imported nothing";
        if (arguments.strict && !report.rejected.empty()) std::cout << " (--strict)";
        std::cout << "\n";
    }
    if (report.unchanged > 0) {
        std::cout << report.unchanged << " documents unchanged: the registry has them already\n";
    }
    if (!report.rejected.empty()) {
        std::cerr << report.rejected.size() << " document(s) rejected\n";
        context.exit_code = kExitProblems;
    }
    if (report.commit && !arguments.no_index) {
        Progress progress("Indexing documents");
        auto sync = OpenIndexForWriting(registry, "commit " + report.commit->substr(0, 12))
                        .Sync(store, false, [&progress](std::size_t done, std::size_t total) {
                            progress.Update(done, total);
                        });
        std::cout << "Indexed " << sync.versions << " versions of " << sync.documents
                  << " documents\n";
    }
}

}  // namespace

void AddImportCommand(CLI::App& app, Context& context) {
    auto* command = app.add_subcommand(
        "import",
        "Import document folders, trees of them or CSV registers (docs/import.md); one "
        "import is one change in the repository, and the index is brought up to date");
    auto arguments = std::make_shared<ImportArguments>();
    command->add_option("sources", arguments->sources, "Document folders, trees or .csv files")
        ->required()
        ->check(CLI::ExistingPath);
    command->add_flag("--strict", arguments->strict,
                      "Import nothing unless every document is accepted");
    command->add_flag("--no-index", arguments->no_index, "Leave the index for `styrdok index`");
    command->add_option("--author", arguments->author, "Name recorded as the commit's author");
    command->add_option("--email", arguments->email, "E-mail recorded as the commit's author");
    command->add_option("--message", arguments->message, "Commit message");
    AddTodayOption(*command, arguments->today);
    command->callback([&context, arguments] { RunImport(context, *arguments); });
}

}  // namespace styrdok::cli
