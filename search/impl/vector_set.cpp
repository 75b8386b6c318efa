#include "search/vector_set.hpp"

#include <omp.h>

#include "core/log.hpp"
#include "index_file.hpp"

namespace sonique::search {

void set_vector_threads(int threads) {
    omp_set_num_threads(threads < 1 ? 1 : threads);
}

VectorSet::VectorSet(VectorSetOptions options, VectorSource source)
    : options_(std::move(options)), source_(std::move(source)) {
    bool sound = false;
    if (!options_.file.empty()) {
        std::string why;
        if (auto loaded = load_index_file(options_.file, options_.name, options_.dimension, why)) {
            index_ = std::move(loaded->index);
            generation_ = loaded->header.generation;
            sound = true;
        } else if (why != "missing") {
            last_problem_ = "saved index refused: " + why;
            log::warn("vector set " + options_.name + ": " + last_problem_ + "; rebuilding");
        }
    }
    want_check_ = sound;
    want_rebuild_ = !sound;
    last_check_ = std::chrono::steady_clock::now();
    thread_ = std::thread([this] { run(); });
}

VectorSet::~VectorSet() {
    {
        std::lock_guard lock(work_mutex_);
        stop_ = true;
    }
    work_cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

std::optional<std::vector<VectorHit>> VectorSet::search(std::span<const float> query, size_t k) {
    maybe_check();
    std::shared_lock lock(index_mutex_);
    if (!index_) return std::nullopt;
    return index_->search(query, k);
}

std::optional<std::vector<float>> VectorSet::vector_of(int64_t id) {
    maybe_check();
    std::shared_lock lock(index_mutex_);
    if (!index_) return std::nullopt;
    return index_->vector_of(id);
}

void VectorSet::check() {
    {
        std::lock_guard lock(work_mutex_);
        last_check_ = std::chrono::steady_clock::now();
        want_check_ = true;
    }
    work_cv_.notify_all();
}

void VectorSet::apply(VectorIndex& index, int64_t id,
                      const std::optional<std::vector<float>>& vector) {
    if (vector)
        index.upsert(id, *vector);
    else
        index.remove(id);
}

// Under the index lock throughout, so that a swap sees either the write applied to the old index
// and recorded as pending, or neither (then the write lands on the new index).
void VectorSet::write(int64_t id, std::optional<std::vector<float>> vector, int64_t generation) {
    bool rebuild = false;
    {
        std::unique_lock lock(index_mutex_);
        if (vector && static_cast<int>(vector->size()) != options_.dimension)
            throw std::invalid_argument("vector of the wrong dimension");
        if (index_) apply(*index_, id, vector);
        generation_ = std::max(generation_, generation);
        rebuild = index_ && index_->needs_rebuild();
        std::lock_guard work(work_mutex_);
        if (want_rebuild_ || busy_ || !index_)
            pending_.push_back({id, std::move(vector), generation});
    }
    if (rebuild) this->rebuild();
}

void VectorSet::upsert(int64_t id, std::span<const float> vector, int64_t generation) {
    write(id, std::vector<float>(vector.begin(), vector.end()), generation);
}

void VectorSet::remove(int64_t id, int64_t generation) {
    write(id, std::nullopt, generation);
}

void VectorSet::rebuild() {
    {
        std::lock_guard lock(work_mutex_);
        want_rebuild_ = true;
    }
    work_cv_.notify_all();
}

void VectorSet::maybe_check() {
    auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(work_mutex_);
        if (now - last_check_ < options_.check_every || want_check_ || want_rebuild_) return;
        last_check_ = now;
        want_check_ = true;
    }
    work_cv_.notify_all();
}

void VectorSet::wait_idle() {
    std::unique_lock lock(work_mutex_);
    work_cv_.wait(lock, [this] { return stop_ || (!want_check_ && !want_rebuild_ && !busy_); });
}

VectorSetStatus VectorSet::status() const {
    VectorSetStatus s;
    {
        std::shared_lock lock(index_mutex_);
        s.ready = index_.has_value();
        s.exact = index_ ? index_->exact() : true;
        s.size = index_ ? index_->size() : 0;
        s.generation = generation_;
    }
    std::lock_guard lock(work_mutex_);
    s.building = want_rebuild_ || busy_;
    s.rebuilds = rebuilds_;
    s.catch_ups = catch_ups_;
    s.last_problem = last_problem_;
    return s;
}

void VectorSet::run() {
    for (;;) {
        bool force = false;
        {
            std::unique_lock lock(work_mutex_);
            work_cv_.wait(lock, [this] { return stop_ || want_check_ || want_rebuild_; });
            if (stop_) return;
            force = want_rebuild_;
            want_check_ = want_rebuild_ = false;
            busy_ = true;
        }
        try {
            check_or_rebuild(force);
        } catch (const std::exception& e) {
            std::lock_guard lock(work_mutex_);
            last_problem_ = std::string("rebuild failed: ") + e.what();
            log::warn("vector set " + options_.name + ": " + last_problem_);
        }
        {
            std::lock_guard lock(work_mutex_);
            busy_ = false;
        }
        work_cv_.notify_all();
    }
}

void VectorSet::save(const VectorIndex& index, int64_t generation) {
    if (options_.file.empty()) return;
    try {
        save_index_file(
            options_.file,
            {options_.name, index.dimension(), static_cast<int64_t>(index.size()), generation},
            index);
    } catch (const std::exception& e) {
        log::warn("vector set " + options_.name + ": " + e.what());
    }
}

// Applies the rows written since the index's generation, when the source can say which; false
// when a rebuild is needed instead (no such source, an approximate index, or a size that shows
// removals). Runs on the set's thread with busy_ set: writes meanwhile land on index_ directly.
bool VectorSet::try_catch_up() {
    int64_t since;
    {
        std::shared_lock lock(index_mutex_);
        if (!source_.catch_up || !index_ || !index_->exact() || generation_ < 0) return false;
        since = generation_;
    }
    auto changes = source_.catch_up(since);
    if (!changes) return false;
    if (changes->upserts.dimension == 0) changes->upserts.dimension = options_.dimension;
    {
        std::unique_lock lock(index_mutex_);
        index_->upsert_many(changes->upserts);
        if (index_->size() != changes->expected_size) return false;
        generation_ = std::max(generation_, changes->generation);
        std::lock_guard work(work_mutex_);
        if (!want_rebuild_) pending_.clear();  // applied to index_ as they came
        ++catch_ups_;
    }
    std::shared_lock lock(index_mutex_);
    save(*index_, generation_);
    return true;
}

// Builds outside every lock (the old index answers meanwhile), saves, then swaps in the new
// index with this process's writes newer than its snapshot replayed onto it.
void VectorSet::check_or_rebuild(bool force) {
    if (!force) {
        int64_t current = source_.generation();
        {
            std::shared_lock lock(index_mutex_);
            if (index_ && current == generation_) return;
        }
        if (try_catch_up()) return;
    }
    auto [generation, data] = source_.load();
    if (data.dimension == 0) data.dimension = options_.dimension;
    VectorIndex index = VectorIndex::build(data, options_.exact_limit);
    save(index, generation);
    std::unique_lock lock(index_mutex_);
    std::lock_guard work(work_mutex_);
    int64_t newest = generation;
    for (const auto& w : pending_) {
        if (w.generation <= generation) continue;  // already in the snapshot
        apply(index, w.id, w.vector);
        newest = std::max(newest, w.generation);
    }
    pending_.clear();
    if (index.needs_rebuild()) want_rebuild_ = true;
    index_ = std::move(index);
    generation_ = newest;
    ++rebuilds_;
}

}  // namespace sonique::search
