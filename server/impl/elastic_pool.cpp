#include "elastic_pool.hpp"

#include <thread>

#include "core/log.hpp"
#include "core/memory.hpp"
#include "core/thread_priority.hpp"

namespace sonique::server {

ElasticThreadPool::ElasticThreadPool(size_t min_threads, size_t max_threads,
                                     std::chrono::seconds idle_timeout)
    : min_(min_threads), max_(std::max(min_threads, max_threads)), idle_timeout_(idle_timeout) {
    std::lock_guard lock(mutex_);
    for (size_t i = 0; i < min_; ++i)
        spawn();
}

ElasticThreadPool::~ElasticThreadPool() {
    shutdown();
}

void ElasticThreadPool::spawn() {
    ++threads_;
    ++idle_;
    std::thread([this] { work(); }).detach();
}

void ElasticThreadPool::enqueue(std::function<void()> fn) {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(fn));
    if (idle_ < jobs_.size() && threads_ < max_) spawn();
    jobs_cv_.notify_one();
}

void ElasticThreadPool::work() {
    bool served = false;  // this thread ran a job
    bool shrank = false;  // it left because the pool had more threads than its resting size
    std::unique_lock lock(mutex_);
    while (true) {
        bool got =
            jobs_cv_.wait_for(lock, idle_timeout_, [&] { return shutdown_ || !jobs_.empty(); });
        if (jobs_.empty() && shutdown_) break;
        if (jobs_.empty() && !got && threads_ > min_) {
            shrank = true;
            break;
        }
        // A resting thread idle that long after serving makes way for a fresh one: what the
        // requests left in its thread_local buffers (the search's per-name scratch, a few MB a
        // thread at 100,000 tracks; simdjson's parser) is freed only when the thread exits.
        if (jobs_.empty() && !got && served) {
            spawn();
            break;
        }
        if (jobs_.empty()) continue;
        auto job = std::move(jobs_.front());
        jobs_.pop_front();
        --idle_;
        lock.unlock();
        try {
            job();
        } catch (const std::exception& e) {
            log::error("HTTP worker: ", e.what());
        }
        lock.lock();
        served = true;
        ++idle_;
        // A thread whose priority could not be restored after a stream makes way for a new one.
        if (thread_priority::lowered()) {
            if (!shutdown_ && (!jobs_.empty() || threads_ <= min_)) spawn();
            break;
        }
    }
    --idle_;
    --threads_;
    // Back to the resting size after a burst: give the freed thread arenas back to the OS.
    if (shrank && threads_ == min_) {
        memory::release();
        log::info("HTTP pool back at ", min_, " threads; ", memory::allocator_name(), ": ",
                  memory::stats());
    }
    exited_cv_.notify_all();
}

void ElasticThreadPool::shutdown() {
    std::unique_lock lock(mutex_);
    shutdown_ = true;
    jobs_cv_.notify_all();
    exited_cv_.wait(lock, [&] { return threads_ == 0; });
}

}  // namespace sonique::server
