// The analysis run: the calling thread reads pending tracks page by page and stores results;
// worker threads each own a worker process (AnalysisWorker) and hand it one file at a time.
#include "analysis/runner.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "analysis/worker.hpp"
#include "analysis_store.hpp"
#include "core/log.hpp"

namespace sonique::analysis {
namespace {

using Clock = std::chrono::steady_clock;

// Tracks read per page, and how often results are stored: at most this many results or this
// long after the first unstored one, so that a killed run loses a few seconds of work.
constexpr int kPage = 64;
constexpr size_t kSaveBatch = 16;
constexpr auto kSaveEvery = std::chrono::seconds(3);

class Run {
  public:
    Run(db::Connection& conn, const RunOptions& options,
        const std::function<void(const RunProgress&)>& progress)
        : conn_(conn), options_(options), progress_(progress) {}

    RunSummary execute();

  private:
    void worker();
    bool cancelled() const { return options_.cancel && options_.cancel->load(); }
    void refill();  // under no lock: reads the next page when the queue runs low
    void save(std::vector<store::Result>& batch);
    void refresh_albums(const std::vector<int64_t>* track_ids);

    db::Connection& conn_;
    const RunOptions& options_;
    const std::function<void(const RunProgress&)>& progress_;
    Clock::time_point start_ = Clock::now();
    RunProgress state_;

    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<store::PendingTrack> queue_;
    std::vector<store::Result> finished_;
    int busy_ = 0;  // files in the workers' hands
    bool exhausted_ = false;
    bool stop_ = false;
    std::exception_ptr failure_;  // a worker thread's reason to stop the run
    int64_t last_id_ = 0;
};

void Run::worker() {
    AnalysisWorker process;  // started by its first file, ended when this thread returns
    while (true) {
        store::PendingTrack track;
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
            if (stop_ && queue_.empty()) return;
            track = std::move(queue_.front());
            queue_.pop_front();
            ++busy_;
        }
        IsolatedOutcome out;
        try {
            out = process.analyse(track.path, options_.analysis, options_.time_limit,
                                  options_.cancel);
        } catch (const std::exception&) {
            // No worker process could be started (its executable missing, no processes left):
            // the run stops with that error rather than record every file as failed.
            std::lock_guard lock(mu_);
            --busy_;
            if (!failure_) failure_ = std::current_exception();
            stop_ = true;
            cv_.notify_all();
            return;
        }
        std::lock_guard lock(mu_);
        --busy_;
        if (!out.cancelled)
            finished_.push_back({std::move(track), std::move(out.features),
                                 out.error.empty() ? "unknown failure" : std::move(out.error)});
        cv_.notify_all();
    }
}

void Run::refill() {
    {
        std::lock_guard lock(mu_);
        if (exhausted_ || queue_.size() >= static_cast<size_t>(2 * options_.workers)) return;
    }
    auto page = store::next_pending(conn_, options_.full, options_.roots, last_id_, kPage);
    std::lock_guard lock(mu_);
    if (page.empty()) exhausted_ = true;
    for (auto& t : page) {
        last_id_ = t.id;
        queue_.push_back(std::move(t));
    }
    cv_.notify_all();
}

void Run::save(std::vector<store::Result>& batch) {
    if (batch.empty()) return;
    store::save(conn_, batch);
    std::vector<int64_t> analysed;
    for (const auto& r : batch)
        if (r.features) analysed.push_back(r.track.id);
    if (!analysed.empty()) refresh_albums(&analysed);
    for (const auto& r : batch) {
        ++state_.done;
        ++(r.features ? state_.analysed : state_.failed);
        if (!r.features) log::warn("analysis of ", r.track.path, " failed: ", r.error);
    }
    batch.clear();
    state_.elapsed_s = std::chrono::duration<double>(Clock::now() - start_).count();
    state_.remaining_s = state_.elapsed_s / static_cast<double>(state_.done) *
                         static_cast<double>(std::max<int64_t>(0, state_.total - state_.done));
    if (progress_) progress_(state_);
}

void Run::refresh_albums(const std::vector<int64_t>* track_ids) {
    // Album values are derived and recomputed by the next batch or run: a failure here (an
    // album removed by a scan meanwhile) must not stop the analysis.
    try {
        state_.albums_changed += store::refresh_albums(conn_, track_ids);
    } catch (const db::DbError& e) {
        log::warn("analysis: album loudness not recomputed: ", e.what());
    }
}

RunSummary Run::execute() {
    state_.total = store::count_pending(conn_, options_.full, options_.roots);
    if (progress_) progress_(state_);
    std::vector<std::thread> threads;
    for (int i = 0; i < std::max(1, options_.workers); ++i)
        threads.emplace_back([this] { worker(); });
    std::vector<store::Result> batch;
    auto first_unsaved = Clock::now();
    try {
        while (!cancelled()) {
            refill();
            std::unique_lock lock(mu_);
            cv_.wait_for(lock, std::chrono::milliseconds(200));
            if (batch.empty() && !finished_.empty()) first_unsaved = Clock::now();
            for (auto& r : finished_)
                batch.push_back(std::move(r));
            finished_.clear();
            std::exception_ptr failed = failure_;
            bool all_done = exhausted_ && queue_.empty() && busy_ == 0;
            lock.unlock();
            if (failed) {  // what finished before the failure is kept
                save(batch);
                std::rethrow_exception(failed);
            }
            if (all_done || batch.size() >= kSaveBatch || Clock::now() - first_unsaved > kSaveEvery)
                save(batch);
            if (all_done) break;
        }
    } catch (...) {
        {
            std::lock_guard lock(mu_);
            stop_ = true;
            queue_.clear();
        }
        cv_.notify_all();
        for (auto& t : threads)
            t.join();
        throw;
    }
    {
        std::lock_guard lock(mu_);
        stop_ = true;
        if (cancelled()) queue_.clear();
    }
    cv_.notify_all();
    for (auto& t : threads)
        t.join();
    for (auto& r : finished_)  // cancelled: what finished before the cancel is kept
        batch.push_back(std::move(r));
    save(batch);
    // Every album at the end: tracks removed or moved to another album since leave no batch.
    refresh_albums(nullptr);
    RunSummary s;
    s.cancelled = cancelled();
    s.albums_changed = state_.albums_changed;
    s.total = state_.total;
    s.analysed = state_.analysed;
    s.failed = state_.failed;
    s.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    return s;
}

}  // namespace

RunSummary run_analysis(const db::ConnectOptions& connect, const RunOptions& options,
                        const std::function<void(const RunProgress&)>& progress) {
    db::ConnectOptions o = connect;
    o.statement_timeout_ms = 0;  // the lock lives on this connection for the whole run
    db::Connection conn(o);
    if (!store::try_lock(conn)) return RunSummary{.busy = true};
    Run run(conn, options, progress);
    return run.execute();  // closing the connection releases the lock
}

}  // namespace sonique::analysis
