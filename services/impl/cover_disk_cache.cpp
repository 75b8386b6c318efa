// CoverDiskCache (cover_disk_cache.hpp).
#include "cover_disk_cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/log.hpp"

namespace sonique::services {
namespace {

namespace fs = std::filesystem;

// Evicting down to this share of the limit leaves room for the next writes, so that a full
// cache is not walked again on every new size.
constexpr double kEvictTo = 0.9;
constexpr auto kTouchEvery = std::chrono::seconds(60);

}  // namespace

CoverDiskCache::CoverDiskCache(std::string dir, int64_t limit_bytes)
    : dir_(std::move(dir)), limit_(limit_bytes) {}

std::string CoverDiskCache::path_of(const std::string& key) const {
    // Two levels keep directories small: a large library has tens of thousands of covers.
    return dir_ + "/" + key.substr(0, 2) + "/" + key;
}

std::optional<std::string> CoverDiskCache::read(const std::string& key) {
    if (limit_ <= 0) return std::nullopt;
    const std::string path = path_of(key);
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    struct stat st {};
    std::string data;
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
        data.resize(static_cast<size_t>(st.st_size));
        size_t done = 0;
        while (done < data.size()) {
            ssize_t n = ::read(fd, data.data() + done, data.size() - done);
            if (n <= 0) break;
            done += static_cast<size_t>(n);
        }
        if (done != data.size()) data.clear();
        // Recency for eviction: the mtime, refreshed at most once a minute per file.
        const auto now = std::chrono::system_clock::now();
        const auto mtime =
            std::chrono::system_clock::time_point(std::chrono::seconds(st.st_mtim.tv_sec));
        if (!data.empty() && now - mtime > kTouchEvery) ::futimens(fd, nullptr);
    }
    ::close(fd);
    if (data.empty()) return std::nullopt;
    return data;
}

void CoverDiskCache::write(const std::string& key, const std::string& data) {
    if (limit_ <= 0 || static_cast<int64_t>(data.size()) > limit_) return;
    const std::string path = path_of(key);
    // A name of its own per writer: two threads writing one key never share a temporary file.
    static std::atomic<uint64_t> counter{0};
    const std::string tmp =
        path + ".tmp" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1));
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    bool ok = !ec;
    if (ok) {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(data.data(), static_cast<std::streamsize>(data.size()));
        out.close();
        ok = static_cast<bool>(out);
        if (ok) ok = ::rename(tmp.c_str(), path.c_str()) == 0;
        if (!ok) fs::remove(tmp, ec);
    }
    std::lock_guard lock(mutex_);
    if (!ok) {
        if (!warned_)
            log::warn("cover cache: cannot write in ", dir_, " (covers are still served)");
        warned_ = true;
        return;
    }
    if (!counted_) {
        count_locked();  // the new file is counted there
    } else {
        bytes_ += static_cast<int64_t>(data.size());
    }
    if (bytes_ > limit_) evict_locked();
}

int64_t CoverDiskCache::bytes() const {
    std::lock_guard lock(mutex_);
    return bytes_;
}

void CoverDiskCache::count_locked() {
    bytes_ = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code fec;
        if (it->is_regular_file(fec)) bytes_ += static_cast<int64_t>(it->file_size(fec));
    }
    counted_ = true;
}

void CoverDiskCache::evict_locked() {
    struct Entry {
        fs::file_time_type mtime;
        int64_t size;
        fs::path path;
    };
    std::vector<Entry> entries;
    int64_t total = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code fec;
        if (!it->is_regular_file(fec)) continue;
        Entry e{it->last_write_time(fec), static_cast<int64_t>(it->file_size(fec)), it->path()};
        if (fec) continue;
        total += e.size;
        entries.push_back(std::move(e));
    }
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.mtime < b.mtime; });
    const auto target = static_cast<int64_t>(static_cast<double>(limit_) * kEvictTo);
    for (const auto& e : entries) {
        if (total <= target) break;
        std::error_code rec;
        if (fs::remove(e.path, rec)) total -= e.size;
    }
    bytes_ = total;
}

}  // namespace sonique::services
