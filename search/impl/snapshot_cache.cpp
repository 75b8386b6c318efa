// The answer and plan caches of a typeahead snapshot (typeahead_snapshot.hpp): bounded in entries
// and in bytes, emptied rather than aged when full.
#include "typeahead_snapshot.hpp"

#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace sonique::search {

std::optional<std::string> TypeaheadSnapshot::cached(const std::string& key) const {
    std::lock_guard lock(cache_mutex_);
    auto it = cache_.find(key);
    if (it == cache_.end()) return std::nullopt;
    return it->second;
}

// Full: emptied, not aged (cheap, and the prefixes that matter come back at once).
void TypeaheadSnapshot::remember(const std::string& key, const std::string& answer,
                                 size_t max_entries) const {
    // The node, its two strings' headers and the bucket, beside the characters.
    const size_t bytes = key.size() + answer.size() + 96;
    std::lock_guard lock(cache_mutex_);
    if (cache_.size() >= max_entries || cache_bytes_ + bytes > kCacheBytes) {
        cache_.clear();
        cache_bytes_ = 0;
    }
    if (cache_.emplace(key, answer).second) cache_bytes_ += bytes;
}

std::shared_ptr<const SearchPlan> TypeaheadSnapshot::cached_plan(const std::string& key) const {
    std::lock_guard lock(cache_mutex_);
    auto it = plans_.find(key);
    return it == plans_.end() ? nullptr : it->second;
}

void TypeaheadSnapshot::remember_plan(const std::string& key,
                                      std::shared_ptr<const SearchPlan> plan,
                                      size_t max_entries) const {
    const size_t bytes = key.size() + plan->items.size() + plan->facets.size() +
                         (plan->suggestion ? plan->suggestion->size() : 0) +
                         192;  // the node, the plan and its strings
    std::lock_guard lock(cache_mutex_);
    if (plans_.size() >= max_entries || plans_bytes_ + bytes > kCacheBytes) {
        plans_.clear();
        plans_bytes_ = 0;
    }
    if (plans_.emplace(key, std::move(plan)).second) plans_bytes_ += bytes;
}

}  // namespace sonique::search
