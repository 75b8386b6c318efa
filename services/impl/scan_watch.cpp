#include "services/scan_watch.hpp"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "core/error.hpp"
#include "core/log.hpp"
#include "scanner/scanner.hpp"

namespace sonique::services {
namespace fs = std::filesystem;
namespace {

bool has_dirty_ancestor(const std::set<std::string>& dirty, const std::string& dir) {
    for (fs::path p = fs::path(dir).parent_path(); !p.empty() && p != p.root_path();
         p = p.parent_path())
        if (dirty.count(p.string())) return true;
    return false;
}

}  // namespace

ScanWatcher::ScanWatcher(ScanService& scans, const std::vector<std::string>& roots,
                         std::chrono::milliseconds debounce)
    : scans_(scans), debounce_(debounce) {
    fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd_ < 0) throw std::runtime_error(std::string("inotify: ") + std::strerror(errno));
    tree_.emplace(fd_, roots);
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
    if (fd_ >= 0) ::close(fd_);
}

void ScanWatcher::read_events() {
    alignas(inotify_event) char buf[16384];
    ssize_t n;
    while ((n = ::read(fd_, buf, sizeof buf)) > 0) {
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
    std::set<std::string> todo;
    todo.swap(dirty_);
    for (const auto& dir : todo) {
        if (stop_.load()) return;
        if (has_dirty_ancestor(todo, dir)) continue;  // the ancestor's scan covers it
        try {
            auto s = scans_.run_foreground(dir, true, nullptr);
            log::info("watch: ", dir, ": ", s.added, " added, ", s.updated, " updated, ", s.moved,
                      " moved, ", s.removed, " removed");
        } catch (const Error& e) {
            if (e.code() == ErrorCode::kConflict)
                dirty_.insert(dir);  // retry after that scan
            else
                log::error("watch: scan of ", dir, " failed: ", e.what());
        } catch (const std::exception& e) {
            log::error("watch: scan of ", dir, " failed: ", e.what());
        }
    }
}

void ScanWatcher::run() {
    while (!stop_.load()) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 250) > 0) read_events();
        if (!dirty_.empty() && std::chrono::steady_clock::now() - last_event_ >= debounce_)
            scan_dirty();
    }
}

}  // namespace sonique::services
