// `sonique analyze [--full] [DIR...]`: analyses the library's new and changed tracks in the
// foreground, with a progress bar and the time left on stderr. Bad files are recorded with
// their reason and do not fail the command; another running analysis does (status 1).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include "analysis/runner.hpp"
#include "analyze.hpp"
#include "commands.hpp"
#include "core/log.hpp"
#include "runtime.hpp"
#include "services/analysis.hpp"

namespace sonique::app {
namespace {

std::string duration_text(double s) {
    if (s < 0) return "?";
    auto total = static_cast<long long>(s + 0.5);
    char buf[32];
    if (total >= 3600)
        std::snprintf(buf, sizeof buf, "%lldh%02lldm", total / 3600, total / 60 % 60);
    else
        std::snprintf(buf, sizeof buf, "%lldm%02llds", total / 60, total % 60);
    return buf;
}

void print_progress(const analysis::RunProgress& p, bool tty) {
    constexpr int kWidth = 30;
    double share = p.total > 0 ? static_cast<double>(p.done) / static_cast<double>(p.total) : 1.0;
    int filled = static_cast<int>(share * kWidth);
    std::string bar = std::string(filled, '#') + std::string(kWidth - filled, '.');
    std::fprintf(stderr, "%sanalyze [%s] %lld/%lld (%d%%), %lld failed, %s left%s", tty ? "\r" : "",
                 bar.c_str(), static_cast<long long>(p.done), static_cast<long long>(p.total),
                 static_cast<int>(share * 100), static_cast<long long>(p.failed),
                 duration_text(p.remaining_s).c_str(), tty ? "   " : "\n");
}

}  // namespace

analysis::RunOptions analysis_options(const Config& config) {
    analysis::RunOptions o;
    o.analysis.excerpt_seconds = config.analysis_excerpt_s;
    o.time_limit = std::chrono::seconds(config.analysis_timeout_s);
    o.workers = config.analysis_workers > 0
                    ? config.analysis_workers
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    return o;
}

int run_analyze(const Config& config, const std::vector<std::string>& dirs, bool full) {
    Runtime rt(config);
    rt.migrate(10);
    analysis::RunOptions options = analysis_options(config);
    options.full = full;
    for (const auto& d : dirs) {
        std::error_code ec;
        auto abs = std::filesystem::absolute(d, ec).lexically_normal().string();
        while (abs.size() > 1 && abs.back() == '/')
            abs.pop_back();
        if (ec || !std::filesystem::is_directory(abs, ec)) {
            log::error("analyze: ", d, " is not a readable folder");
            return 1;
        }
        if (abs == "/") {  // the whole library
            options.roots.clear();
            break;
        }
        options.roots.push_back(abs);
    }
    bool tty = ::isatty(STDERR_FILENO) != 0;
    // Analysed values (BPM, key, ReplayGain) show in cached answers of running servers: the
    // stored batches bump their namespaces, coalesced over a window, as in serve.
    services::AnalysedValuesRefresh refresh(rt.services());
    int64_t written = 0;
    analysis::RunSummary summary;
    try {
        summary = analysis::run_analysis(pool_options(config).connect, options,
                                         [&](const analysis::RunProgress& p) {
                                             written = p.analysed + p.albums_changed;
                                             refresh.stored(written);
                                             print_progress(p, tty);
                                         });
    } catch (...) {
        refresh.finish(written);  // what the failed run stored before it failed
        throw;
    }
    if (tty) std::fputc('\n', stderr);
    if (summary.busy) {
        log::error("analyze: another analysis is running (on this or another server)");
        return 1;
    }
    refresh.finish(summary.analysed + summary.albums_changed);  // the final album refresh
    log::info("analysis: ", summary.analysed, " tracks analysed, ", summary.failed,
              " could not be read, in ", summary.seconds, " s");
    return 0;
}

}  // namespace sonique::app
