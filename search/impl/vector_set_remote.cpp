// Changes of other processes to a vector set (docs/search.md, "Several servers"): applied from
// the database on the set's thread, incrementally while they follow one another.
#include <algorithm>

#include "search/vector_set.hpp"

namespace sonique::search {

void VectorSet::changed_elsewhere(VectorChange change) {
    {
        std::lock_guard lock(work_mutex_);
        if (stop_) return;
        remote_.push_back(std::move(change));
    }
    work_cv_.notify_all();
}

// Applies changes when each one follows the set's generation (its `previous` is where the set
// is): their ids are read from the database in one statement (the source of truth, so a change
// overtaken by a later one applies the later state) and written into the index. Returns false
// when the set must be compared with the database instead: a gap (a change was missed, or this
// process wrote in between), a rebuild elsewhere that the set is behind, no index yet, or no way
// to read single rows. Runs on the set's thread.
bool VectorSet::apply_remote(const std::vector<VectorChange>& changes) {
    int64_t start = 0;
    {
        std::shared_lock lock(index_mutex_);
        if (!index_) return false;
        start = generation_;
    }
    int64_t upto = start;
    std::vector<int64_t> ids;
    int applied = 0;
    for (const auto& c : changes) {
        if (c.generation >= 0 && c.generation <= upto) continue;  // already there
        if (c.rebuilt || c.previous < 0 || c.previous != upto || !source_.fetch) return false;
        ids.insert(ids.end(), c.ids.begin(), c.ids.end());
        upto = c.generation;
        ++applied;
    }
    if (upto == start) return true;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    auto [snapshot, data] = source_.fetch(ids);
    if (snapshot < upto) return false;  // read before the change committed here: reload
    if (data.dimension != 0 && data.dimension != options_.dimension) return false;
    std::vector<bool> present(ids.size(), false);
    bool rebuild = false;
    {
        std::unique_lock lock(index_mutex_);
        if (!index_ || generation_ != start) return false;  // changed meanwhile: compare
        for (size_t i = 0; i < data.ids.size(); ++i) {
            auto at = std::lower_bound(ids.begin(), ids.end(), data.ids[i]);
            if (at != ids.end() && *at == data.ids[i]) present[at - ids.begin()] = true;
            index_->upsert(data.ids[i],
                           std::span<const float>(data.values.data() + i * options_.dimension,
                                                  options_.dimension));
        }
        for (size_t i = 0; i < ids.size(); ++i)
            if (!present[i]) index_->remove(ids[i]);
        generation_ = upto;
        rebuild = index_->needs_rebuild();
        std::lock_guard work(work_mutex_);
        remote_applied_ += applied;
        if (rebuild) want_rebuild_ = true;
    }
    return true;
}

}  // namespace sonique::search
