#include "scanner/watcher.hpp"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <stdexcept>

#include "core/error.hpp"
#include "core/log.hpp"
#include "core/paths.hpp"
#include "core/strings.hpp"

namespace sonique::scanner {
namespace fs = std::filesystem;
namespace {

// The deepest folder holding both.
fs::path common_folder(const fs::path& a, const fs::path& b) {
    fs::path out;
    for (auto i = a.begin(), j = b.begin(); i != a.end() && j != b.end() && *i == *j; ++i, ++j)
        out /= *i;
    return out;
}

// Folders changed in one debounce window are scanned as one, per root: the deepest folder that
// holds them all. A file moved from one folder to another is then matched as a move by one scan
// and keeps its track id (two scans would remove it, then add it anew).
std::set<std::string> scan_units(const std::set<std::string>& dirty,
                                 const std::vector<std::string>& roots) {
    std::set<std::string> out;
    std::vector<std::optional<fs::path>> per_root(roots.size());
    for (const auto& dir : dirty) {
        fs::path d = fs::path(dir).lexically_normal();
        // A folder named in another encoding than UTF-8 is skipped by scans (the database holds
        // UTF-8 paths): its parent's scan records it.
        while (!is_valid_utf8(d.string()) && d.has_relative_path())
            d = d.parent_path();
        size_t r = 0;
        while (r < roots.size() && !path_within(d, roots[r], Containment::inclusive))
            ++r;
        if (r == roots.size()) {
            out.insert(dir);  // not under a root (cannot happen): on its own
            continue;
        }
        per_root[r] = per_root[r] ? common_folder(*per_root[r], d) : d;
    }
    for (const auto& p : per_root)
        if (p) out.insert(p->string());
    return out;
}

}  // namespace

ScanWatcher::ScanWatcher(ScanRunner& scans, const std::vector<std::string>& roots,
                         std::chrono::milliseconds debounce)
    : scans_(scans), debounce_(debounce) {
    for (const auto& r : roots)
        roots_.push_back(normal_path(r).string());
    fd_.reset(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
    if (!fd_.valid()) throw std::runtime_error(std::string("inotify: ") + std::strerror(errno));
    tree_.emplace(fd_.get(), roots);
    log::info("watching ", tree_->size(), " library folders for changes");
    thread_ = std::thread([this] { run(); });
}

void ScanWatcher::stop() noexcept {
    stop_ = true;
    scans_.cancel();
}

ScanWatcher::~ScanWatcher() {
    stop();
    if (thread_.joinable()) thread_.join();
}

void ScanWatcher::read_events() {
    alignas(inotify_event) char buf[16384];
    ssize_t n;
    while ((n = ::read(fd_.get(), buf, sizeof buf)) > 0) {
        for (char* p = buf; p < buf + n;) {
            auto* ev = reinterpret_cast<inotify_event*>(p);
            p += sizeof(inotify_event) + ev->len;
            std::string_view name = ev->len ? std::string_view(ev->name) : std::string_view();
            if (tree_->apply(ev->wd, ev->mask, name, dirty_))
                last_event_ = std::chrono::steady_clock::now();  // debounced like any change
        }
    }
}

void ScanWatcher::scan_dirty() {
    std::set<std::string> todo = scan_units(dirty_, roots_);
    dirty_.clear();
    for (const auto& dir : todo) {
        if (stop_.load()) return;
        try {
            auto s = scans_.run_foreground(dir, true, nullptr);
            log::info("watch: ", dir, ": ", s.added, " added, ", s.updated, " updated, ", s.moved,
                      " moved, ", s.removed, " removed");
        } catch (const Error& e) {
            if (e.code() != ErrorCode::kUnavailable) {
                log::error("watch: scan of ", dir, " failed: ", e.what());
                continue;
            }
            // The database is busy (pool exhausted) or away: the change is kept and scanned
            // again after the next debounce, never lost.
            log::warn("watch: scan of ", dir, " postponed: ", e.what());
            dirty_.insert(dir);
            last_event_ = std::chrono::steady_clock::now();
        } catch (const std::exception& e) {  // run_foreground waits for a running scan
            log::error("watch: scan of ", dir, " failed: ", e.what());
        }
    }
}

void ScanWatcher::run() {
    while (!stop_.load()) {
        pollfd p{fd_.get(), POLLIN, 0};
        if (::poll(&p, 1, 250) > 0) read_events();
        if (!dirty_.empty() && std::chrono::steady_clock::now() - last_event_ >= debounce_)
            scan_dirty();
    }
}

}  // namespace sonique::scanner
