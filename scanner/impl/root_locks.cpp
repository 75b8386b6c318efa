#include "root_locks.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/log.hpp"
#include "core/paths.hpp"
#include "db/lock_keys.hpp"

namespace sonique::scanner {
namespace fs = std::filesystem;
namespace {

constexpr std::chrono::milliseconds kLockPoll{200};

db::Params root_key(const std::string& root) {
    return db::Params(db::lock_keys::scan_root_key_text(root));
}

}  // namespace

RootLocks::RootLocks(const std::vector<std::string>& library_roots) {
    for (const auto& r : library_roots)
        roots_.push_back(resolve_path(r));
}

std::string RootLocks::root_of(const std::string& directory) const {
    fs::path d = resolve_path(directory);
    for (const auto& root : roots_)
        if (path_within(d, root, Containment::inclusive)) return root.string();
    return d.string();  // a CLI folder outside MUSIC_PATH is its own root
}

std::vector<std::string> RootLocks::locked_by(const std::string& directory) const {
    std::vector<std::string> out{root_of(directory)};
    // A CLI folder that holds library roots (`sonique scan /music` with MUSIC_PATH=/music/lib)
    // scans their files too: it takes their locks as well.
    fs::path d(out.front());
    for (const auto& root : roots_) {
        std::string r = root.string();
        if (r != out.front() && path_within(root, d, Containment::inclusive) &&
            std::find(out.begin(), out.end(), r) == out.end())
            out.push_back(r);
    }
    return out;
}

bool RootLocks::try_lock(db::Connection& conn, const std::string& directory) const {
    // All or none: the ones taken are given back when one is held elsewhere.
    std::vector<std::string> taken;
    for (const auto& root : locked_by(directory)) {
        if (!conn.exec("SELECT pg_try_advisory_lock(hashtext($1))", root_key(root)).boolean(0, 0)) {
            for (const auto& t : taken)
                conn.exec("SELECT pg_advisory_unlock(hashtext($1))", root_key(t));
            return false;
        }
        taken.push_back(root);
    }
    return true;
}

bool RootLocks::wait(db::Connection& conn, const std::string& directory,
                     const std::atomic<bool>& cancel) const {
    bool told = false;
    while (!try_lock(conn, directory)) {
        if (cancel) return false;
        if (!told) log::info("scan of ", directory, ": waiting for the running scan of its root");
        told = true;
        std::this_thread::sleep_for(kLockPoll);
    }
    return true;
}

void RootLocks::release_all(db::Connection& conn) {
    conn.exec("SELECT pg_advisory_unlock_all()");
}

}  // namespace sonique::scanner
