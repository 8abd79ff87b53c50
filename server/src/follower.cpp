#include "follower.hpp"

#include <pthread.h>
#include <signal.h>

#include <exception>
#include <utility>

namespace styrdok::server {

namespace {

// Ends a fetch's blocked system call with EINTR; nothing else in the process uses it.
constexpr int kFetchInterruptSignal = SIGUSR2;
// How often the watchdog repeats the signal until the fetch has returned: one that arrives
// between two system calls is lost.
constexpr auto kInterruptRepeat = std::chrono::milliseconds(100);

void IgnoreInterrupt(int) {}

void InstallInterruptHandler() {
    static const bool installed = [] {
        struct sigaction action {};
        action.sa_handler = IgnoreInterrupt;
        sigemptyset(&action.sa_mask);
        action.sa_flags = 0;  // no SA_RESTART: the interrupted call must return
        return sigaction(kFetchInterruptSignal, &action, nullptr) == 0;
    }();
    (void)installed;
}

std::string Short(const std::optional<std::string>& commit) {
    return commit ? commit->substr(0, 12) : std::string("(none)");
}

}  // namespace

Follower::Follower(std::filesystem::path repository, Settings settings, IndexKeeper& keeper,
                   Poco::Logger& logger)
    : repository_(std::move(repository)),
      settings_(std::move(settings)),
      keeper_(keeper),
      logger_(logger) {}

Follower::~Follower() { Stop(); }

void Follower::Start() {
    InstallInterruptHandler();
    fetcher_ = std::thread([this] { Fetch(); });
    watchdog_ = std::thread([this] { Watch(); });
}

void Follower::Stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    signal_.notify_all();
    if (fetcher_.joinable()) fetcher_.join();
    if (watchdog_.joinable()) watchdog_.join();
}

void Follower::Fetch() {
    std::unique_lock lock(mutex_);
    for (bool first = true;; first = false) {
        if (!first) signal_.wait_for(lock, settings_.interval, [this] { return stopping_; });
        if (stopping_) break;
        const Clock::time_point deadline = Clock::now() + settings_.timeout;
        fetch_deadline_ = deadline;
        lock.unlock();
        signal_.notify_all();
        std::optional<store::FetchReport> report;
        std::string error;
        try {
            report = store::FetchFromPrimary(repository_, settings_.primary,
                                             {settings_.timeout, [this] {
                                                  std::lock_guard guard(mutex_);
                                                  return stopping_;
                                              }});
        } catch (const std::exception& failure) {
            error = failure.what();
            if (Clock::now() >= deadline) {
                error = "fetch from " + store::PrimaryForDisplay(settings_.primary) +
                        " did not finish within " + std::to_string(settings_.timeout.count()) +
                        " ms";
            }
        }
        lock.lock();
        fetch_deadline_.reset();
        if (stopping_) break;
        lock.unlock();
        Handle(report, error);
        lock.lock();
    }
    fetcher_done_ = true;
    signal_.notify_all();
}

void Follower::Watch() {
    const pthread_t fetcher = fetcher_.native_handle();
    std::unique_lock lock(mutex_);
    while (!fetcher_done_) {
        if (fetch_deadline_ && (stopping_ || Clock::now() >= *fetch_deadline_)) {
            // The fetcher is inside store::FetchFromPrimary (fetch_deadline_ is reset before
            // it leaves), so it is alive to receive this.
            pthread_kill(fetcher, kFetchInterruptSignal);
            signal_.wait_for(lock, kInterruptRepeat);
        } else if (fetch_deadline_) {
            signal_.wait_until(lock, *fetch_deadline_);
        } else {
            signal_.wait(lock);
        }
    }
}

void Follower::Handle(const std::optional<store::FetchReport>& report, const std::string& error) {
    if (!report) {
        // A primary that is down fails every poll: one line for the outage, not one a poll.
        if (!failing_) {
            logger_.warning("follow: %s; serving what this follower has, trying again every %d ms",
                            error, static_cast<int>(settings_.interval.count()));
        }
        failing_ = true;
        return;
    }
    if (failing_) {
        logger_.information("follow: fetching from %s again",
                            store::PrimaryForDisplay(settings_.primary));
        failing_ = false;
    }
    if (!report->moved()) return;
    if (report->rewritten) {
        logger_.warning(
            "follow: the primary rewrote main (%s is not an ancestor of %s); followed it",
            Short(report->before), Short(report->after));
    } else {
        logger_.information("follow: fetched main %s..%s", Short(report->before),
                            Short(report->after));
    }
    try {
        keeper_.Sync();
    } catch (const std::exception& failure) {
        // The keeper's own poll sees the same HEAD and tries again.
        logger_.warning("follow: indexing what arrived failed, will retry: %s",
                        std::string(failure.what()));
    }
}

}  // namespace styrdok::server
