#include "core/compute_pool.hpp"

#include <algorithm>

namespace sonique {

ComputePool::ComputePool(size_t threads, size_t max_waiting) : max_waiting_(max_waiting) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    threads_.reserve(threads);
    for (size_t i = 0; i < threads; ++i)
        threads_.emplace_back([this] { work(); });
}

ComputePool::~ComputePool() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    ready_.notify_all();
    for (std::thread& t : threads_)
        t.join();
}

size_t ComputePool::waiting() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

void ComputePool::submit(std::function<void()> fn) {
    Task task;
    task.fn = std::move(fn);
    std::unique_lock lock(mutex_);
    if (queue_.size() >= max_waiting_) throw unavailable("Search is busy");
    queue_.push_back(&task);
    ready_.notify_one();
    task.finished.wait(lock, [&] { return task.done; });
}

void ComputePool::work() {
    std::unique_lock lock(mutex_);
    while (true) {
        ready_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, nothing left
        Task* task = queue_.front();
        queue_.pop_front();
        lock.unlock();
        task->fn();  // catches everything (run())
        lock.lock();
        task->done = true;
        task->finished.notify_one();
    }
}

}  // namespace sonique
