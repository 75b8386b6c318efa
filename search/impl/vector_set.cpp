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
            attachment_ = std::make_shared<const std::string>(std::move(loaded->attachment));
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

std::optional<std::vector<VectorHit>> VectorSet::search_with(const Embed& embed, size_t k) {
    maybe_check();
    std::shared_lock lock(index_mutex_);
    if (!index_) return std::nullopt;
    auto query = embed(attachment_);
    if (!query) return std::vector<VectorHit>{};
    return index_->search(*query, k);
}

std::optional<std::vector<VectorHit>> VectorSet::neighbours(int64_t id, size_t k) {
    maybe_check();
    std::shared_lock lock(index_mutex_);
    if (!index_) return std::nullopt;
    auto own = index_->vector_of(id);
    if (!own) return std::nullopt;
    auto hits = index_->search(*own, k + 1);
    std::erase_if(hits, [id](const VectorHit& h) { return h.id == id; });
    if (hits.size() > k) hits.resize(k);
    return hits;
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

// Builds outside every lock (the old index answers meanwhile), saves, then swaps in the new
// index with this process's writes newer than its snapshot replayed onto it.
void VectorSet::check_or_rebuild(bool force) {
    if (!force) {
        int64_t current = source_.generation();
        std::shared_lock lock(index_mutex_);
        if (index_ && current == generation_) return;
    }
    auto [generation, data] = source_.load();
    if (data.dimension == 0) data.dimension = options_.dimension;
    VectorIndex index = VectorIndex::build(data, options_.exact_limit);
    auto attachment = std::make_shared<const std::string>(std::move(data.attachment));
    if (!options_.file.empty()) {
        try {
            save_index_file(
                options_.file,
                {options_.name, data.dimension, static_cast<int64_t>(index.size()), generation},
                index, *attachment);
        } catch (const std::exception& e) {
            log::warn("vector set " + options_.name + ": " + e.what());
        }
    }
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
    attachment_ = std::move(attachment);
    generation_ = newest;
    ++rebuilds_;
}

}  // namespace sonique::search
