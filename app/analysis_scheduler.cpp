#include "analysis_scheduler.hpp"

#include <unistd.h>

#include "analyze.hpp"
#include "cache/pubsub.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "runtime.hpp"
#include "services/analysis.hpp"
#include "services/sonic_index.hpp"

namespace sonique::app {
namespace {

// A finished scan's notification (services/impl/scan_service.cpp): {"type":"library_update",
// "status":"completed"}.
bool is_completed_scan(const std::string& message) {
    try {
        Json m = parse_json(message);
        return m.value("type", "") == "library_update" && m.value("status", "") == "completed";
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

AnalysisScheduler::AnalysisScheduler(const Config& config, services::ServiceContext& services)
    : config_(config), services_(services) {
    listener_ =
        services_.events.subscribe([this](const std::string& channel, const std::string& message) {
            if (channel == services::kNotificationsChannel && is_completed_scan(message)) request();
        });
    thread_ = std::thread([this] { loop(); });
}

AnalysisScheduler::~AnalysisScheduler() {
    services_.events.unsubscribe(listener_);
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    cancel_ = true;
    cv_.notify_all();
    thread_.join();
}

void AnalysisScheduler::request() {
    std::lock_guard lock(mu_);
    requested_ = true;
    cv_.notify_all();
}

bool AnalysisScheduler::wait_idle(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return stop_ || (!requested_ && !running_); });
}

void AnalysisScheduler::loop() {
    while (true) {
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [&] { return stop_ || requested_; });
            if (stop_) return;
            requested_ = false;
            running_ = true;
        }
        try {
            run_once();
        } catch (const std::exception& e) {
            log::error("analysis failed: ", e.what());
        }
        {
            std::lock_guard lock(mu_);
            running_ = false;
        }
        cv_.notify_all();
    }
}

void AnalysisScheduler::run_once() {
    analysis::RunOptions options = analysis_options(config_);
    options.cancel = &cancel_;
    std::string task_id = "analysis-" + std::to_string(::getpid()) + "-" + std::to_string(++runs_);
    bool announced = false;
    // Analysed values show in the Track shape and Subsonic songs: the stored batches' values are
    // shown by cache bumps coalesced over a window (services::AnalysedValuesRefresh), and all of
    // them at the run's end, also when it failed.
    services::AnalysedValuesRefresh refresh(services_);
    int64_t written = 0;
    auto publish = [&](const analysis::RunProgress& p) {
        written = p.analysed + p.albums_changed;
        refresh.stored(written);
        if (p.total == 0 && p.done == 0) return;  // nothing to do: no event
        announced = true;
        Json event{{"type", "progress"},
                   {"task_id", task_id},
                   {"step", "analysis"},
                   {"current", p.done},
                   {"total", p.total},
                   {"percent", p.total > 0 ? static_cast<int>(p.done * 100 / p.total) : 100},
                   {"failed", p.failed},
                   {"remaining_s", p.remaining_s}};
        services_.events.publish(services::kProgressChannel, dump_json(event));
        record(task_id, "running", p);
    };
    analysis::RunSummary s;
    try {
        s = analysis::run_analysis(pool_options(config_).connect, options, publish);
    } catch (...) {
        refresh.finish(written);  // what the failed run stored before it failed
        throw;
    }
    if (s.busy) {
        log::info("analysis: another server is analysing the library");
        return;
    }
    refresh.finish(s.analysed + s.albums_changed);  // the final refresh of every album
    if (!announced) return;
    log::info("analysis ", task_id, ": ", s.analysed, " tracks analysed, ", s.failed,
              " could not be read, in ", s.seconds, " s", s.cancelled ? " (stopped)" : "");
    Json done{{"type", "analysis_update"},
              {"task_id", task_id},
              {"status", s.cancelled ? "cancelled" : "completed"},
              {"analysed", s.analysed},
              {"failed", s.failed}};
    services_.events.publish(services::kNotificationsChannel, dump_json(done));
    analysis::RunProgress last;
    last.total = s.total;
    last.done = s.analysed + s.failed;
    last.analysed = s.analysed;
    last.failed = s.failed;
    last.remaining_s = 0;
    record(task_id, s.cancelled ? "cancelled" : "completed", last);
    // New and changed vectors join the sonic sets now rather than at the next query.
    if (services_.sonic) services_.sonic->refresh();
}

void AnalysisScheduler::record(const std::string& task_id, const std::string& status,
                               const analysis::RunProgress& p) {
    services::AnalysisService::Progress out;
    out.total = p.total;
    out.done = p.done;
    out.analysed = p.analysed;
    out.failed = p.failed;
    if (p.remaining_s >= 0) out.remaining_s = p.remaining_s;
    try {
        services::AnalysisService(services_).record_progress(task_id, status, out);
    } catch (const std::exception& e) {
        // The status route is a convenience: a failed write never stops the run.
        log::warn("analysis: progress not recorded: ", e.what());
    }
}

}  // namespace sonique::app
