#pragma once
// The on-disk cache of resized covers (CoverSizes): one file per key, written atomically (a
// temporary file renamed into place), bounded in bytes with the least recently used files removed
// first (a hit refreshes the file's mtime, at most once a minute). Safe under concurrent requests
// of one process: readers never see a partial file, and a file evicted while being read is read
// whole (or missed). Private to services.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

namespace sonique::services {

class CoverDiskCache {
  public:
    // `dir` is created on first write; limit_bytes 0 keeps nothing.
    CoverDiskCache(std::string dir, int64_t limit_bytes);

    // The bytes kept under `key` (letters, digits, '-' and '.'), or nullopt. Any thread.
    std::optional<std::string> read(const std::string& key);
    // Keeps `data` under `key`, then evicts past the limit. Failures (a full or read-only disk)
    // are logged once and otherwise ignored: the cover is still served. Any thread.
    void write(const std::string& key, const std::string& data);
    int64_t bytes() const;

  private:
    std::string path_of(const std::string& key) const;
    void count_locked();
    void evict_locked();

    const std::string dir_;
    const int64_t limit_;
    mutable std::mutex mutex_;
    bool counted_ = false;
    int64_t bytes_ = 0;
    bool warned_ = false;
};

}  // namespace sonique::services
