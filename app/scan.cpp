// `sonique scan [DIR...]`: scans in the foreground with progress on stderr. The exit status is
// non-zero only when a scan itself failed (bad files are recorded as scan errors, not failures).
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "commands.hpp"
#include "core/log.hpp"
#include "runtime.hpp"
#include "scanner/scanner.hpp"
#include "services/scan.hpp"

namespace sonique::app {
namespace {

void print_progress(const std::string& dir, const scanner::ScanProgress& p, bool tty) {
    int pct = p.total > 0 ? static_cast<int>(p.current * 100 / p.total) : 0;
    std::fprintf(stderr, "%sscan %s: %s %lld/%lld (%d%%)%s", tty ? "\r" : "", dir.c_str(),
                 p.step.c_str(), static_cast<long long>(p.current), static_cast<long long>(p.total),
                 pct, tty ? "   " : "\n");
    if (tty && p.step == "done") std::fputc('\n', stderr);
}

bool scan_one(services::ScanService& scans, const std::string& dir, bool full) {
    bool tty = ::isatty(STDERR_FILENO) != 0;
    try {
        auto s = scans.run_foreground(
            dir, true, [&](const scanner::ScanProgress& p) { print_progress(dir, p, tty); }, full);
        log::info("scan ", dir, ": ", s.found, " files, ", s.unchanged, " unchanged, ", s.added,
                  " added, ", s.updated, " updated, ", s.moved, " moved, ", s.removed, " removed, ",
                  s.errors, " errors (", s.failed_unchanged,
                  " of them failed before, not read again) in ", s.seconds, " s");
        return true;
    } catch (const std::exception& e) {
        log::error("scan ", dir, " failed: ", e.what());
        return false;
    }
}

}  // namespace

int run_scan(const Config& config, const std::vector<std::string>& dirs, bool full) {
    Runtime rt(config);
    rt.migrate(10);
    services::ScanService scans(rt.services());
    std::vector<std::string> targets = dirs.empty() ? config.music_roots : dirs;
    bool ok = true;
    for (const auto& d : targets) {
        std::error_code ec;
        auto abs = std::filesystem::absolute(d, ec).lexically_normal().string();
        if (abs.size() > 1 && abs.back() == '/') abs.pop_back();
        if (ec || !std::filesystem::is_directory(abs, ec)) {
            log::error("scan: ", d, " is not a readable folder");
            ok = false;
            continue;
        }
        ok = scan_one(scans, abs, full) && ok;
    }
    return ok ? 0 : 1;
}

}  // namespace sonique::app
