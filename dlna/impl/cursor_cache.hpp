#pragma once
// Where recent Browse pages ended: "<container>\x1f<index of the next child>" -> the last
// child's sort keys. Clients walk a container page after page, so the next request usually
// starts where one ended, and that page is then read from the index at those keys (keyset)
// instead of skipping `StartingIndex` rows: the end of a 100,000-track container costs what its
// start does. A miss (another index, a restart) falls back to OFFSET: the cache is only a hint.
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace sonique::dlna {

class CursorCache {
  public:
    // Bounded: past kMax entries the oldest generation is dropped whole.
    static constexpr size_t kMax = 4096;

    // Thread-safe; never throws but std::bad_alloc.
    std::optional<std::vector<std::string>> find(const std::string& key) const {
        std::lock_guard lock(mutex_);
        if (auto it = current_.find(key); it != current_.end()) return it->second;
        if (auto it = previous_.find(key); it != previous_.end()) return it->second;
        return std::nullopt;
    }
    void put(std::string key, std::vector<std::string> keys) {
        std::lock_guard lock(mutex_);
        if (current_.size() >= kMax / 2) {
            previous_ = std::move(current_);
            current_.clear();
        }
        current_[std::move(key)] = std::move(keys);
    }

  private:
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::vector<std::string>> current_, previous_;
};

}  // namespace sonique::dlna
