#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <thread>

#include "analysis_scheduler.hpp"
#include "commands.hpp"
#include "core/log.hpp"
#include "dlna_network.hpp"
#include "runtime.hpp"
#include "scanner/watcher.hpp"
#include "services/scan.hpp"

namespace sonique::app {
namespace {

// Threads that libraries start before main() (OpenBLAS, linked through FAISS, starts its pool
// in a constructor) do not have SIGINT/SIGTERM blocked: the kernel may hand them a signal,
// whose default action would kill the process without its graceful stop. A handler forwards
// such a signal to the watcher thread (or keeps it until the watcher runs).
std::atomic<bool> g_watcher_set{false};
pthread_t g_watcher;
std::atomic<int> g_early_signal{0};

extern "C" void forward_signal(int sig) {
    if (g_watcher_set.load())
        pthread_kill(g_watcher, sig);
    else
        g_early_signal.store(sig);
}

// Waits for SIGINT/SIGTERM (blocked in every thread), calls on_stop (which must not block) and
// stops the server. A second signal, or the grace period running out, ends the process at once.
class SignalWatcher {
  public:
    SignalWatcher(Runtime& rt, int grace_s, std::function<void()> on_stop)
        : rt_(rt), grace_s_(grace_s), on_stop_(std::move(on_stop)) {
        thread_ = std::thread([this] { run(); });
        g_watcher = thread_.native_handle();
        g_watcher_set = true;
        if (int early = g_early_signal.exchange(0)) pthread_kill(g_watcher, early);
    }
    ~SignalWatcher() {
        {
            std::lock_guard lock(mutex_);
            finished_ = true;
        }
        g_watcher_set = false;
        pthread_kill(thread_.native_handle(), SIGUSR1);
        thread_.join();
    }

  private:
    void run() {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGUSR1);
        int sig = 0;
        sigwait(&set, &sig);
        if (sig == SIGUSR1) return;
        log::info("signal ", sig, " received: finishing in-flight requests (up to ", grace_s_,
                  " s)");
        if (on_stop_) on_stop_();
        // A signal that arrived during start-up: httplib ignores stop() until it runs.
        for (int i = 0; i < 200 && !rt_.http()->running() && !finished(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        rt_.http()->stop();
        auto first = std::chrono::steady_clock::now();
        auto deadline = first + std::chrono::seconds(grace_s_);
        const timespec tick{0, 100'000'000};
        while (!finished()) {
            int again = sigtimedwait(&set, nullptr, &tick);
            if (again == SIGUSR1) return;
            // Ctrl-C reaches a whole process group and scripts forward it: only a signal
            // that comes a second or more after the first means "stop now".
            bool insisted = std::chrono::steady_clock::now() > first + std::chrono::seconds(1);
            if ((again == SIGINT || again == SIGTERM) && insisted) {
                log::warn("second signal: exiting with requests still open");
                std::_Exit(1);
            }
            if (std::chrono::steady_clock::now() > deadline) {
                log::warn("shutdown grace period over; exiting with requests still open");
                std::_Exit(1);
            }
        }
    }

    bool finished() {
        std::lock_guard lock(mutex_);
        return finished_;
    }

    Runtime& rt_;
    int grace_s_;
    std::function<void()> on_stop_;
    std::mutex mutex_;
    bool finished_ = false;
    std::thread thread_;
};

void block_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    signal(SIGPIPE, SIG_IGN);
    struct sigaction forward {};
    forward.sa_handler = forward_signal;
    sigemptyset(&forward.sa_mask);
    sigaction(SIGINT, &forward, nullptr);
    sigaction(SIGTERM, &forward, nullptr);
}

}  // namespace

int run_serve(const Config& config) {
    block_signals();  // before any thread starts, so that only the watcher receives them
    Runtime rt(config);
    rt.migrate(30);
    ensure_first_admin(rt, environment());
    // SONIQUE_DLNA: eventing is bound before the routes (the description names its URL),
    // discovery starts once the HTTP port is known.
    std::unique_ptr<DlnaNetwork> dlna;
    if (config.dlna) dlna = std::make_unique<DlnaNetwork>(config, rt.services());
    int port = rt.bind_http(dlna.get());
    log::info("sonique serving on ", config.host, ":", port);
    if (dlna) dlna->start_discovery(port);
    // --watch / SONIQUE_WATCH: live updates of the library (its own ScanService: scans of one
    // folder are serialised with HTTP-started ones by the per-directory database lock).
    std::unique_ptr<services::ScanService> watch_scans;
    std::unique_ptr<scanner::ScanWatcher> scan_watcher;
    if (config.watch) {
        watch_scans = std::make_unique<services::ScanService>(rt.services());
        scan_watcher =
            std::make_unique<scanner::ScanWatcher>(watch_scans->runner(), config.music_roots);
    }
    // SONIQUE_ANALYSIS_AUTO: new and changed tracks are analysed after each scan (and what a
    // restart interrupted, now).
    std::unique_ptr<AnalysisScheduler> analysis;
    if (config.analysis_auto) analysis = std::make_unique<AnalysisScheduler>(config, rt.services());
    {
        // The signal cancels a running watch scan at once, while HTTP requests drain; the watch
        // thread is joined before the signal watcher goes, so the grace period covers it too.
        // SSDP's byebye goes first: draining long streams must not keep the server listed.
        SignalWatcher watcher(rt, config.shutdown_grace_s, [&scan_watcher, &dlna] {
            if (dlna) dlna->stop_discovery();
            if (scan_watcher) scan_watcher->stop();
        });
        rt.serve_http();
        scan_watcher.reset();
        analysis.reset();  // cancels a run: its children are killed, its results kept
    }
    dlna.reset();
    log::info("sonique stopped");
    return 0;
}

int run_migrate(const Config& config) {
    Runtime rt(config);
    rt.migrate(10);
    log::info("database is up to date");
    return 0;
}

}  // namespace sonique::app
