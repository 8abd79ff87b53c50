#include "styrdok/server/server.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Exception.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Util/ServerApplication.h>
#include <signal.h>
#include <sodium.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

#include "follower.hpp"
#include "handlers/import_pages.hpp"
#include "handlers/styrmodell_pages.hpp"
#include "index_keeper.hpp"
#include "listener.hpp"
#include "logging.hpp"
#include "metrics.hpp"
#include "read_deadlines.hpp"
#include "reader_pool.hpp"
#include "render/markdown.hpp"
#include "render/templates.hpp"
#include "request_handler.hpp"
#include "site.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/reminders/reminders.hpp"
#include "styrdok/store/follow.hpp"

namespace styrdok::server {

namespace {

// How long running requests may take to finish once a termination is asked for.
constexpr auto kShutdownGrace = std::chrono::seconds(10);
// Connections the kernel completes before the listener accepts them (capped by somaxconn).
constexpr int kListenBacklog = 1024;

// Thousands of idle connections need as many descriptors: the soft limit (often 1024) is
// raised to the hard one. Returns the soft limit in force.
rlim_t RaiseDescriptorLimit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
    }
    return limit.rlim_cur;
}

// The listener's part of the configuration, with the connection limits lowered to what the
// descriptor limit leaves after the request threads' own files (git packs, Xapian tables).
ListenerConfig ListenerSettings(const ServerConfig& config, Poco::Logger& logger) {
    const rlim_t descriptors = RaiseDescriptorLimit();
    const rlim_t reserve =
        std::min<rlim_t>(descriptors / 2, 256 + 32 * static_cast<rlim_t>(config.threads));
    ListenerConfig listening;
    listening.threads = config.threads;
    listening.queue = config.queue;
    listening.header_timeout = std::chrono::seconds(config.header_timeout_seconds);
    listening.body_timeout = std::chrono::seconds(config.body_timeout_seconds);
    listening.keep_alive = std::chrono::seconds(config.keep_alive_seconds);
    listening.max_connections = static_cast<std::size_t>(config.max_connections);
    if (descriptors != RLIM_INFINITY && listening.max_connections > descriptors - reserve) {
        listening.max_connections = static_cast<std::size_t>(descriptors - reserve);
        logger.warning("listener: at most %z connections (the descriptor limit is %z)",
                       listening.max_connections, static_cast<std::size_t>(descriptors));
    }
    // One address never takes every place.
    listening.max_connections_per_address =
        std::min(static_cast<std::size_t>(config.max_connections_per_address),
                 std::max<std::size_t>(1, listening.max_connections * 3 / 4));
    listening.max_head_bytes = config.max_uri_bytes + (32u << 10);
    return listening;
}

// Each log line to standard error in one write(2): Poco's ConsoleChannel writes through
// std::clog and flushes with std::endl, two system calls per request line.
class LineChannel : public Poco::Channel {
public:
    void log(const Poco::Message& message) override {
        std::string line = message.getText();
        line += '\n';
        std::string_view rest = line;
        while (!rest.empty()) {
            const ssize_t written = ::write(STDERR_FILENO, rest.data(), rest.size());
            if (written < 0 && errno == EINTR) continue;
            if (written <= 0) return;  // nowhere to log to; the request goes on
            rest.remove_prefix(static_cast<std::size_t>(written));
        }
    }
};

Poco::Logger& SetUpLogging(LogFormat format) {
    // With TZ unset, glibc looks at /etc/localtime again on every local time (two stat calls
    // for each request's log line); read it once.
    setenv("TZ", ":/etc/localtime", /*overwrite=*/0);
    // A save is acknowledged only once git has it on disk.
    store::RequireDurableCommits();
    if (sodium_init() < 0) throw Error(ErrorCode::kInternal, "libsodium could not be initialised");
    Poco::AutoPtr<Poco::FormattingChannel> channel(
        new Poco::FormattingChannel(NewLogFormatter(format), new LineChannel));
    Poco::Logger& logger = Poco::Logger::get("styrdok");
    logger.setChannel(channel);
    logger.setLevel(Poco::Message::PRIO_INFORMATION);
    return logger;
}

std::map<std::string, std::string, std::less<>> LoadAssets(const std::filesystem::path& dir) {
    std::map<std::string, std::string, std::less<>> assets;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
        if (!entry.is_regular_file()) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        assets[entry.path().filename().string()] = bytes.str();
    }
    return assets;
}

// The listening socket, or Error naming the address and the reason (taken, not an address).
// SO_REUSEADDR but not SO_REUSEPORT, which Poco's ServerSocket(address) also sets: with it a
// second server on a taken port would start and silently share the connections.
Poco::Net::ServerSocket Listen(const ServerConfig& config) {
    try {
        Poco::Net::ServerSocket socket;
        socket.bind(Poco::Net::SocketAddress(config.bind, config.port), /*reuseAddress=*/true,
                    /*reusePort=*/false);
        socket.listen(kListenBacklog);
        return socket;
    } catch (const Poco::Exception& error) {
        const std::string address = config.bind + ":" + std::to_string(config.port);
        // Poco puts the address after the reason ("Address already in use: 127.0.0.1:80"),
        // or gives only the host as the message and the reason as the name ("Host not found").
        std::string reason = error.message();
        const std::string suffix = ": " + address;
        if (reason.size() > suffix.size() && reason.ends_with(suffix)) {
            reason.resize(reason.size() - suffix.size());
        }
        if (reason.empty() || reason == config.bind) reason = error.name();
        throw Error(ErrorCode::kUnavailable, "cannot listen on " + address + ": " + reason);
    }
}

// Builds what the first save and the first searches would otherwise build while a client
// waits: each git handle's index of history (about a second at 100 000 documents), the
// Swedish analysis of the registry's common words (a second; the first save at 100 000
// documents took 100 ms longer without), the snapshot of every document's metadata that a
// save checks relations against, and a reader's searcher with its facet data. For a thread of its
// own once the server listens; a failure only leaves the work to the first request that needs it.
void WarmUp(const Site& site, DocumentWriter& writer, IndexKeeper& keeper, bool follower,
            Poco::Logger& logger) {
    auto start = std::chrono::steady_clock::now();
    // Milliseconds since the last step.
    const auto step = [&start] {
        const auto now = std::chrono::steady_clock::now();
        return std::chrono::duration<double, std::milli>(now - std::exchange(start, now)).count();
    };
    try {
        if (!follower) writer.WarmUp();
        keeper.WarmUp();
        const double history = step();
        keeper.WarmUpWords();
        const double words = step();
        {
            ReaderPool::Lease reader = site.readers.Acquire();
            indexer::SearchRequest search;
            search.today = site.Today();
            reader->searcher.Search(search);
            search.status = "alla";
            reader->searcher.Search(search);
        }
        const double searches = step();
        // Last: a request that needs the snapshot waits for it, and then the warm-up is done
        // rather than still taking a core from the request's save.
        site.Snapshot();
        logger.information(
            "warm-up: history %.0f ms, words %.0f ms, searches %.0f ms, snapshot %.0f ms", history,
            words, searches, step());
    } catch (const std::exception& error) {
        logger.warning("warm-up: %s", std::string(error.what()));
    }
}

// Poco's ServerApplication gives the process its shape: the termination wait and, for those
// who run it so, --daemon and --pidfile handling.
class ServerApp : public Poco::Util::ServerApplication {
public:
    ServerApp(const RegistryPaths& paths, const core::Schema& schema, const ServerConfig& config,
              const std::function<void(std::uint16_t)>& on_ready)
        : paths_(paths), schema_(schema), config_(config), on_ready_(on_ready) {}

    /// What ended main() by an exception, for Serve to throw: Poco's Application would only
    /// log it and return a status.
    std::exception_ptr failure() const { return failure_; }

protected:
    int main(const std::vector<std::string>&) override {
        try {
            return Run();
        } catch (...) {
            failure_ = std::current_exception();
            return EXIT_SOFTWARE;
        }
    }

private:
    int Run() {
        Poco::Logger& logger = SetUpLogging(config_.log_format);
        // The repository says whether this registry is a follower, so that nothing can serve
        // a follower as a registry that takes writes.
        config_.primary = store::FollowedPrimary(paths_.repository).value_or("");
        const bool follower = !config_.primary.empty();
        ReaderPool readers(paths_, schema_);
        ResponseCache responses(config_.response_cache_bytes);
        IndexKeeper keeper(paths_, schema_, logger, [&readers, &responses] {
            readers.IndexChanged();
            responses.Clear();
        });
        // Shared by the readers and the writer, which moves it on with each commit it makes.
        store::SnapshotCache snapshots;
        // Before the index: the writer moves drafts an older version kept on main away.
        DocumentWriter writer(paths_, keeper, snapshots, follower);
        logger.information("index: bringing it up to the repository's HEAD");
        keeper.Sync();

        Templates templates = Templates::Load(config_.templates_dir);
        auto assets = LoadAssets(config_.templates_dir / "assets");
        MarkdownCache markdown;
        UserDirectory users(paths_.users_file);
        Gatekeeper gatekeeper(users, GatekeeperSettings(config_));
        Site site{schema_,   config_, readers, templates,  markdown,
                  responses, assets,  writer,  gatekeeper, snapshots};
        Router router;
        Metrics metrics(router);
        AddApiRoutes(router, site);
        AddWriteApiRoutes(router, site);
        AddSignInRoutes(router, site);
        AddEditPageRoutes(router, site);
        // The import page's batches (issue 20), kept in the registry folder beside the
        // repository, read on threads of their own.
        ImportBatches imports(paths_.repository.parent_path() / "import", schema_,
                              [&site] { return site.Today(); });
        AddImportRoutes(router, site, imports);
        AddReviewRoutes(router, site);
        AddDashboardRoutes(router, site);
        AddSearchPageRoutes(router, site);
        AddDocumentPageRoutes(router, site);
        AddInformationPageRoutes(router, site);
        AddStyrmodellRoutes(router, site);
        AddFeedRoutes(router, site);
        AddMonitoringRoutes(router, site, {metrics, [&keeper] { return keeper.LastSync(); }});

        Poco::Net::ServerSocket socket = Listen(config_);
        ReadDeadlines deadlines;
        const TrustedProxies proxies(config_.trusted_proxies);
        RequestHandlerFactory::Limits limits;
        limits.max_body_bytes = config_.max_body_bytes;
        limits.max_uri_bytes = config_.max_uri_bytes;
        limits.body = ReadBudget{std::chrono::seconds(config_.body_timeout_seconds),
                                 static_cast<std::size_t>(config_.body_min_rate)};
        // Slow bodies may hold half of the threads; the other half answer everyone else.
        limits.max_body_readers = std::max(1, config_.threads / 2);
        RequestHandlerFactory handlers(
            router,
            [&site](int status, std::string_view code, std::string_view message,
                    const Request& request) {
                return ErrorPage(site, status, code, message, request);
            },
            limits, logger, [&gatekeeper](Request& request) { gatekeeper.Admit(request); },
            &deadlines, proxies);
        handlers.Monitor(&metrics, config_.log_format);
        if (follower) handlers.SetReadOnly(config_.primary);
        ListenerConfig listening = ListenerSettings(config_, logger);
        listening.carries_many_clients = [&proxies](const void* address, std::size_t length) {
            return proxies.Contains(address, length);
        };
        Listener http(std::move(socket), listening, handlers, logger);
        http.Start();
        keeper.Start(config_.poll_milliseconds);
        std::thread warm_up([&site, &writer, &keeper, follower, &logger] {
            WarmUp(site, writer, keeper, follower, logger);
        });
        // A follower fetches what its primary commits, from a thread of its own.
        Follower follow(
            paths_.repository,
            {config_.primary, std::chrono::milliseconds(config_.follow_poll_milliseconds),
             std::chrono::seconds(config_.follow_timeout_seconds)},
            keeper, logger);
        if (follower) {
            logger.information("follow: a read-only follower of %s, fetching every %d ms",
                               store::PrimaryForDisplay(config_.primary),
                               config_.follow_poll_milliseconds);
            follow.Start();
        }
        // The registry folder holds the repository; the reminders keep their records there.
        reminders::ReminderJob reminder_job(
            paths_.repository.parent_path(), [&site] { return site.Snapshot(); }, schema_,
            config_.mail, config_.today,
            [&logger](bool error, const std::string& line) {
                error ? logger.error(line) : logger.information(line);
            });
        reminder_job.Observe([&metrics](const reminders::ReminderReport& report) {
            metrics.CountReminders(report.sent, report.failed);
        });
        // A follower's reminders are its primary's to send: they would go out twice.
        if (!follower) reminder_job.Start();
        std::uint16_t port = http.port();
        logger.information("serving http://%s:%hu/ with %d threads", config_.bind, port,
                           config_.threads);
        if (on_ready_) on_ready_(port);

        waitForTerminationRequest();
        logger.information("stopping: finishing the requests under way");
        reminder_job.Stop();
        follow.Stop();
        warm_up.join();
        keeper.Stop();
        http.Stop(kShutdownGrace);
        logger.information("stopped");
        return EXIT_OK;
    }

    const RegistryPaths& paths_;
    const core::Schema& schema_;
    ServerConfig config_;  // a copy: main() adds the primary
    const std::function<void(std::uint16_t)>& on_ready_;
    std::exception_ptr failure_;
};

}  // namespace

int Serve(const RegistryPaths& paths, const core::Schema& schema, const ServerConfig& config,
          const std::function<void(std::uint16_t port)>& on_ready) {
    // Every thread started from here on inherits the blocked signals, so a termination
    // request reaches only waitForTerminationRequest's sigwait.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    // A client that goes away mid-answer must not end the process.
    signal(SIGPIPE, SIG_IGN);

    CheckGroupBodies(config, schema);
    ServerApp app(paths, schema, config, on_ready);
    std::vector<std::string> args{"styrdok"};
    const int status = app.run(args);
    if (std::exception_ptr failure = app.failure()) {
        try {
            std::rethrow_exception(failure);
        } catch (const Poco::Exception& error) {
            // Poco's what() is only the exception's class name.
            throw Error(ErrorCode::kInternal, error.displayText());
        }
    }
    if (status != Poco::Util::Application::EXIT_OK) {
        throw Error(ErrorCode::kInternal,
                    "the server stopped with status " + std::to_string(status));
    }
    return status;
}

}  // namespace styrdok::server
