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
#include "scanner/discovery.hpp"
#include "scanner/scanner.hpp"

namespace sonique::services {
namespace fs = std::filesystem;
namespace {

constexpr uint32_t kMask = IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO;

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
    for (const auto& r : roots)
        add_tree(fs::path(r).lexically_normal().string());
    log::info("watching ", dirs_.size(), " library folders for changes");
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

void ScanWatcher::add_tree(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return;
    int wd = ::inotify_add_watch(fd_, dir.c_str(), kMask | IN_ONLYDIR);
    if (wd < 0) {
        log::warn("watch: cannot watch ", dir, ": ", std::strerror(errno));
        return;
    }
    if (dirs_.count(wd)) return;  // already watched (a link loop)
    dirs_[wd] = dir;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (!scanner::skipped_name(name) && it->is_directory(ec)) add_tree(it->path().string());
    }
}

void ScanWatcher::read_events() {
    alignas(inotify_event) char buf[16384];
    ssize_t n;
    while ((n = ::read(fd_, buf, sizeof buf)) > 0) {
        for (char* p = buf; p < buf + n;) {
            auto* ev = reinterpret_cast<inotify_event*>(p);
            p += sizeof(inotify_event) + ev->len;
            auto it = dirs_.find(ev->wd);
            if (it == dirs_.end()) continue;
            std::string name = ev->len ? std::string(ev->name) : std::string();
            if (!name.empty() && scanner::skipped_name(name)) continue;
            if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO)))
                add_tree(it->second + "/" + name);
            dirty_.insert(it->second);
            last_event_ = std::chrono::steady_clock::now();
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
