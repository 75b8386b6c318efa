// The typeahead snapshot's per-query working memory (typeahead_snapshot.hpp, Scratch): leased
// from a pool for one answer() or search(). The pool keeps at most twice the cores' worth of
// idle scratches; one returned beyond that is freed, so a burst of request threads grows memory
// only for the queries in flight at once, and gives it back when the burst ends. Before, each
// request thread kept its own (thread_local): some 3.5 MB a thread at 118,000 names, 220 MB
// over a 64-connection burst, held until the threads ended.
#include <algorithm>
#include <cassert>
#include <thread>

#include "typeahead_snapshot.hpp"

namespace sonique::search {

struct TypeaheadSnapshot::ScratchPool {
    std::mutex mu;
    std::vector<std::unique_ptr<Scratch>> idle;
    const size_t keep =
        std::clamp<size_t>(2 * static_cast<size_t>(std::thread::hardware_concurrency()), 2, 16);
};

thread_local TypeaheadSnapshot::Scratch* TypeaheadSnapshot::current_scratch_ = nullptr;

TypeaheadSnapshot::ScratchPool& TypeaheadSnapshot::scratch_pool() {
    static ScratchPool pool;
    return pool;
}

TypeaheadSnapshot::Lease::Lease() {
    if (current_scratch_) return;  // nested: the outer lease's scratch serves
    auto& pool = scratch_pool();
    {
        std::lock_guard lock(pool.mu);
        if (!pool.idle.empty()) {
            owned_ = std::move(pool.idle.back());
            pool.idle.pop_back();
        }
    }
    if (!owned_) owned_ = std::make_unique<Scratch>();
    current_scratch_ = owned_.get();
}

TypeaheadSnapshot::Lease::~Lease() {
    if (!owned_) return;
    current_scratch_ = nullptr;
    auto& pool = scratch_pool();
    std::lock_guard lock(pool.mu);
    if (pool.idle.size() < pool.keep) pool.idle.push_back(std::move(owned_));
    // else owned_ is freed once the lock is released (members outlive the body)
}

TypeaheadSnapshot::Scratch& TypeaheadSnapshot::scratch() {
    assert(current_scratch_);
    return *current_scratch_;
}

}  // namespace sonique::search
