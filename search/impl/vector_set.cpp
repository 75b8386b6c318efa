#include "search/vector_set.hpp"

#include <omp.h>

#include <filesystem>

#include "core/log.hpp"
#include "core/thread_priority.hpp"
#include "index_file.hpp"

namespace sonique::search {

void set_vector_threads(int threads) {
    omp_set_num_threads(threads < 1 ? 1 : threads);
}

namespace {
// A saved file up to this size is read by the constructor (a few tens of milliseconds); a larger
// one on the set's thread, so that opening a set never holds up a request or the server's start
// (queries fall back meanwhile, as while any index is not ready).
constexpr std::uintmax_t kLoadAtOnceBytes = 8u << 20;
}  // namespace

VectorSet::VectorSet(VectorSetOptions options, VectorSource source)
    : options_(std::move(options)), source_(std::move(source)) {
    std::error_code ec;
    bool later = !options_.file.empty() &&
                 std::filesystem::file_size(options_.file, ec) > kLoadAtOnceBytes && !ec;
    if (later)
        busy_ = loading_ = true;
    else
        load_file();
    last_check_ = std::chrono::steady_clock::now();
    thread_ = std::thread([this, later] {
        // Builds and file loads take seconds of CPU: queries of the old index go first.
        thread_priority::lower();
        if (later) {
            load_file();
            {
                std::lock_guard lock(work_mutex_);
                busy_ = loading_ = false;
            }
            work_cv_.notify_all();
        }
        run();
    });
}

// Opens the saved file when sound (then queues a check of its generation), else queues a
// rebuild. Writes this process made while it loaded are replayed onto it.
void VectorSet::load_file() {
    std::optional<LoadedIndex> loaded;
    std::string problem;
    if (!options_.file.empty()) {
        std::string why;
        loaded = load_index_file(options_.file, options_.name, options_.dimension, why);
        if (!loaded && why != "missing") {
            problem = "saved index refused: " + why;
            log::warn("vector set " + options_.name + ": " + problem + "; rebuilding");
        }
    }
    std::unique_lock index(index_mutex_);
    std::lock_guard work(work_mutex_);
    if (loaded) {
        generation_ = loaded->header.generation;
        for (const auto& w : pending_) {
            if (w.generation <= generation_) continue;
            apply(loaded->index, w.id, w.vector);
            generation_ = w.generation;
        }
        pending_.clear();
        index_ = std::move(loaded->index);
        attachment_ = std::make_shared<const std::string>(std::move(loaded->attachment));
    }
    if (!problem.empty()) last_problem_ = problem;
    want_check_ = loaded.has_value();
    want_rebuild_ = !loaded;
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
    {
        std::unique_lock work(work_mutex_);
        if (loading_)
            work_cv_.wait_for(work, options_.wait_loading, [this] { return !loading_ || stop_; });
    }
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
void VectorSet::write(int64_t id, std::optional<std::vector<float>> vector, int64_t generation,
                      int64_t previous) {
    bool rebuild = false, check = false;
    {
        std::unique_lock lock(index_mutex_);
        if (vector && static_cast<int>(vector->size()) != options_.dimension)
            throw std::invalid_argument("vector of the wrong dimension");
        if (index_) apply(*index_, id, vector);
        if (previous < 0 || previous == generation_)
            generation_ = std::max(generation_, generation);
        else if (generation > generation_)
            check = true;  // another process wrote in between: catch up from the database
        rebuild = index_ && index_->needs_rebuild();
        std::lock_guard work(work_mutex_);
        if (want_rebuild_ || busy_ || !index_)
            pending_.push_back({id, std::move(vector), generation});
        if (check) want_check_ = true;
    }
    if (check) work_cv_.notify_all();
    if (rebuild) this->rebuild();
    publish({options_.name, generation, previous, {id}, false});
}

void VectorSet::upsert(int64_t id, std::span<const float> vector, int64_t generation,
                       int64_t previous) {
    write(id, std::vector<float>(vector.begin(), vector.end()), generation, previous);
}

void VectorSet::remove(int64_t id, int64_t generation, int64_t previous) {
    write(id, std::nullopt, generation, previous);
}

void VectorSet::publish(VectorChange change) const {
    if (options_.notifier) options_.notifier->publish(change);
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
        // While the notifier's changes reach the set, a query needs no check of its own.
        auto every =
            options_.check_every.count() > 0 && options_.notifier && options_.notifier->session()
                ? options_.live_check_every
                : options_.check_every;
        if (now - last_check_ < every || want_check_ || want_rebuild_) return;
        last_check_ = now;
        want_check_ = true;
    }
    work_cv_.notify_all();
}

void VectorSet::wait_idle() {
    std::unique_lock lock(work_mutex_);
    work_cv_.wait(lock, [this] {
        return stop_ || (!want_check_ && !want_rebuild_ && !busy_ && remote_.empty());
    });
}

VectorSetStatus VectorSet::status() const {
    VectorSetStatus s;
    {
        std::shared_lock lock(index_mutex_);
        s.ready = index_.has_value();
        s.exact = index_ ? index_->exact() : true;
        s.kind = index_ ? index_->kind() : "exact";
        s.size = index_ ? index_->size() : 0;
        s.generation = generation_;
    }
    std::lock_guard lock(work_mutex_);
    s.building = want_rebuild_ || busy_;
    s.rebuilds = rebuilds_;
    s.remote_applied = remote_applied_;
    s.catch_ups = catch_ups_;
    s.last_problem = last_problem_;
    return s;
}

// The set's thread: this process's checks and rebuilds, other processes' changes, and the
// background comparison of generations (often while nothing tells the set of other processes'
// writes, rarely while the notifier does; at once when its subscription was re-established).
void VectorSet::run() {
    using namespace std::chrono;
    for (;;) {
        bool force = false, check = false;
        std::vector<VectorChange> remote;
        {
            std::unique_lock lock(work_mutex_);
            auto wake = [this] {
                return stop_ || want_check_ || want_rebuild_ || !remote_.empty();
            };
            if (options_.check_every.count() > 0)
                // Wakes every second at least, to notice a new subscription soon.
                work_cv_.wait_for(lock, std::min<milliseconds>(options_.check_every, 1s), wake);
            else
                work_cv_.wait(lock, wake);
            if (stop_) return;
            if (options_.check_every.count() > 0) {
                uint64_t session = options_.notifier ? options_.notifier->session() : 0;
                auto every = session ? options_.live_check_every : options_.check_every;
                auto now = steady_clock::now();
                if (session != seen_session_ || now - last_check_ >= every) {
                    seen_session_ = session;
                    want_check_ = true;
                }
            }
            if (!want_check_ && !want_rebuild_ && remote_.empty()) continue;
            force = want_rebuild_;
            check = want_check_;
            if (check) last_check_ = steady_clock::now();
            remote.swap(remote_);
            want_check_ = want_rebuild_ = false;
            busy_ = true;
        }
        try {
            if (!force && !remote.empty() && !apply_remote(remote)) check = true;
            if (force || check) check_or_rebuild(force);
        } catch (const std::exception& e) {
            std::lock_guard lock(work_mutex_);
            last_problem_ = std::string("rebuild failed: ") + e.what();
            log::warn("vector set " + options_.name + ": " + last_problem_);
        }
        {
            std::unique_lock index(index_mutex_);
            std::lock_guard lock(work_mutex_);
            busy_ = false;
            // Writes recorded while busy were applied to the index: only a rebuild to come
            // (or a set without an index yet) still needs them.
            if (index_ && !want_rebuild_) pending_.clear();
        }
        work_cv_.notify_all();
    }
}

void VectorSet::save(const VectorIndex& index, int64_t generation, const std::string& attachment) {
    if (options_.file.empty()) return;
    try {
        save_index_file(
            options_.file,
            {options_.name, index.dimension(), static_cast<int64_t>(index.size()), generation},
            index, attachment);
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
    save(*index_, generation_, attachment_ ? *attachment_ : std::string());
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
    IndexParams params = options_.index;
    params.exact_limit = options_.exact_limit;
    VectorIndex index = VectorIndex::build(data, params);
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
    int64_t newest = generation;
    {
        std::unique_lock lock(index_mutex_);
        std::lock_guard work(work_mutex_);
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
    publish({options_.name, newest, -1, {}, true});
}

}  // namespace sonique::search
