#pragma once
// A bounded multi-producer, single-consumer queue: readers block when the writer falls behind,
// so memory stays flat whatever the library size. Any thread.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <vector>

namespace sonique::scanner {

template <typename T>
class BoundedQueue {
  public:
    explicit BoundedQueue(size_t capacity) : capacity_(capacity) {}

    // Blocks while full; returns false (dropping item) once the queue is closed.
    bool push(T item) {
        std::unique_lock lock(mutex_);
        not_full_.wait(lock, [&] { return closed_ || items_.size() < capacity_; });
        if (closed_) return false;
        items_.push_back(std::move(item));
        not_empty_.notify_one();
        return true;
    }

    // Moves up to max items into out, waiting up to wait for the first one. Returns false when
    // the queue is finished (producers done) and empty.
    bool pop_some(std::vector<T>& out, size_t max, std::chrono::milliseconds wait) {
        std::unique_lock lock(mutex_);
        not_empty_.wait_for(lock, wait, [&] { return !items_.empty() || done_ || closed_; });
        while (!items_.empty() && out.size() < max) {
            out.push_back(std::move(items_.front()));
            items_.pop_front();
        }
        not_full_.notify_all();
        return !(items_.empty() && (done_ || closed_));
    }

    // Producers are finished: the consumer drains what is left.
    void finish() {
        std::lock_guard lock(mutex_);
        done_ = true;
        not_empty_.notify_all();
    }
    // Abort: producers stop at once.
    void close() {
        std::lock_guard lock(mutex_);
        closed_ = true;
        not_full_.notify_all();
        not_empty_.notify_all();
    }

  private:
    size_t capacity_;
    std::mutex mutex_;
    std::condition_variable not_full_, not_empty_;
    std::deque<T> items_;
    bool done_ = false, closed_ = false;
};

}  // namespace sonique::scanner
