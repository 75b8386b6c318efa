#pragma once
// A fixed set of threads that run CPU-bound work handed over by request threads, first come
// first served (docs/search.md, "Compute threads"). With one thread per core, a query runs to
// its end instead of sharing the cores with every other request thread that is computing: at 64
// connections on 2 cores the answers' latencies cluster around their mean instead of growing with
// each query's own cost. The caller waits for the result; the queue is bounded and a full queue
// is refused at once (Error kUnavailable, 503), never waited on.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace sonique {

class ComputePool {
  public:
    // threads 0: one per core. max_waiting: tasks queued beyond those running.
    explicit ComputePool(size_t threads = 0, size_t max_waiting = 256);
    // Finishes the tasks queued, then joins the threads.
    ~ComputePool();
    ComputePool(const ComputePool&) = delete;
    ComputePool& operator=(const ComputePool&) = delete;

    // Runs fn on one of the pool's threads and returns its result (or rethrows what it threw)
    // once it has run. Throws Error kUnavailable ("Search is busy") when max_waiting tasks
    // already wait. Any thread but the pool's own.
    template <typename F>
    auto run(F&& fn) -> std::invoke_result_t<F&> {
        using R = std::invoke_result_t<F&>;
        std::optional<std::conditional_t<std::is_void_v<R>, bool, R>> result;
        std::exception_ptr error;
        submit([&] {
            try {
                if constexpr (std::is_void_v<R>) {
                    fn();
                    result.emplace(true);
                } else {
                    result.emplace(fn());
                }
            } catch (...) {
                error = std::current_exception();
            }
        });
        if (error) std::rethrow_exception(error);
        if constexpr (!std::is_void_v<R>) return std::move(*result);
    }

    size_t threads() const noexcept { return threads_.size(); }
    // Tasks queued and not yet started. Any thread.
    size_t waiting() const;

  private:
    struct Task {
        std::function<void()> fn;
        bool done = false;
        std::condition_variable finished;
    };
    // Queues the task and waits until a pool thread has run it.
    void submit(std::function<void()> fn);
    void work();

    const size_t max_waiting_;
    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<Task*> queue_;
    bool stop_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace sonique
