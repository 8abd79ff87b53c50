#include "follower.hpp"

#include <exception>
#include <utility>

namespace styrdok::server {

namespace {

// How long Stop waits for a fetch under way to notice that it should end.
constexpr auto kStopGrace = std::chrono::seconds(2);

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
    Stop();
    shared_ = std::make_shared<Shared>();
    thread_ = std::thread(Loop, this, shared_, repository_, settings_);
}

void Follower::Stop() {
    if (!thread_.joinable()) return;
    std::unique_lock lock(shared_->mutex);
    shared_->stopping = true;
    shared_->signal.notify_all();
    shared_->signal.wait_for(lock, kStopGrace, [this] { return shared_->done; });
    // Handling a fetch's outcome touches this object; it is short, so it is waited for.
    shared_->signal.wait(lock, [this] { return shared_->done || shared_->fetching; });
    const bool done = shared_->done;
    lock.unlock();
    if (done) {
        thread_.join();
    } else {
        logger_.warning("follow: a fetch from %s is still waiting for the network; left behind",
                        store::PrimaryForDisplay(settings_.primary));
        thread_.detach();
    }
}

// Static, with its own copies of what it needs while it fetches: when Stop leaves a fetch
// blocked in the network behind, this object may be gone by the time that fetch returns.
void Follower::Loop(Follower* self, std::shared_ptr<Shared> shared,
                    std::filesystem::path repository, Settings settings) {
    std::unique_lock lock(shared->mutex);
    for (bool first = true; !shared->stopping; first = false) {
        if (!first && shared->signal.wait_for(lock, settings.interval,
                                              [&shared] { return shared->stopping.load(); })) {
            break;
        }
        shared->fetching = true;
        lock.unlock();
        std::optional<store::FetchReport> report;
        std::string error;
        try {
            report = store::FetchFromPrimary(
                repository, settings.primary,
                {settings.timeout, [&shared] { return shared->stopping.load(); }});
        } catch (const std::exception& failure) {
            error = failure.what();
        }
        lock.lock();
        shared->fetching = false;
        if (shared->stopping) break;
        lock.unlock();
        self->Handle(report, error);
        lock.lock();
    }
    shared->done = true;
    shared->signal.notify_all();
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
