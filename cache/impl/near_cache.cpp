#include "cache/near_cache.hpp"

namespace sonique::cache {
namespace {

// Whether an entry's namespaces ("catalog" or, for values of several, "library+annotations")
// include ns.
bool depends_on(std::string_view entry_ns, std::string_view ns) {
    while (true) {
        auto plus = entry_ns.find('+');
        if (entry_ns.substr(0, plus) == ns) return true;
        if (plus == std::string_view::npos) return false;
        entry_ns.remove_prefix(plus + 1);
    }
}

}  // namespace

std::string NearCache::entry_key(std::string_view ns, std::string_view key) {
    std::string k;
    k.reserve(ns.size() + 1 + key.size());
    k.append(ns).append(1, '\n').append(key);
    return k;
}

NearCache::NearCache(size_t max_bytes, std::chrono::milliseconds ttl)
    : max_bytes_(max_bytes), ttl_(ttl) {}

std::shared_ptr<const std::string> NearCache::get(std::string_view ns, std::string_view key,
                                                  uint64_t session) {
    const auto k = entry_key(ns, key);
    std::shared_lock lock(mutex_);
    auto it = entries_.find(k);
    // A stale entry stays until put() replaces it or the budget evicts it.
    if (it == entries_.end() || it->second.session != session ||
        it->second.expires < std::chrono::steady_clock::now())
        return nullptr;
    return it->second.value;
}

uint64_t NearCache::epoch() const {
    std::shared_lock lock(mutex_);
    return epoch_;
}

void NearCache::put(std::string_view ns, std::string_view key, const std::string& value,
                    uint64_t epoch_before, uint64_t session) {
    size_t size = value.size() + ns.size() + key.size();
    if (size > max_bytes_ / 8) return;  // a few huge entries would evict everything else
    auto k = entry_key(ns, key);
    auto shared = std::make_shared<const std::string>(value);
    std::lock_guard lock(mutex_);
    if (epoch_ != epoch_before) return;
    if (auto it = entries_.find(k); it != entries_.end()) erase(it);
    while (bytes_ + size > max_bytes_ && !entries_.empty())
        erase(entries_.begin());  // any victim: entries live seconds anyway
    entries_.emplace(std::move(k), Entry{std::string(ns), std::move(shared), session,
                                         std::chrono::steady_clock::now() + ttl_});
    bytes_ += size;
}

void NearCache::invalidate(std::string_view ns) {
    std::lock_guard lock(mutex_);
    ++epoch_;
    for (auto it = entries_.begin(); it != entries_.end();) {
        auto next = std::next(it);
        if (ns.empty() || depends_on(it->second.ns, ns)) erase(it);
        it = next;
    }
}

size_t NearCache::bytes() const {
    std::shared_lock lock(mutex_);
    return bytes_;
}

void NearCache::erase(std::unordered_map<std::string, Entry>::iterator it) {
    bytes_ -= it->second.value->size() + it->first.size() - 1;
    entries_.erase(it);
}

}  // namespace sonique::cache
