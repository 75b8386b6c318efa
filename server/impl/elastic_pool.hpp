#pragma once
// An httplib task queue whose threads grow with demand (up to max) and retire after being idle
// (down to min). httplib keeps one thread per open connection, so a fixed pool either wastes
// memory when idle or queues connections behind keep-alive clients under load.
#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>

namespace sonique::server {

class ElasticThreadPool : public httplib::TaskQueue {
  public:
    ElasticThreadPool(size_t min_threads, size_t max_threads,
                      std::chrono::seconds idle_timeout = std::chrono::seconds(30));
    ~ElasticThreadPool() override;

    void enqueue(std::function<void()> fn) override;
    // Runs the queued jobs, then joins every thread. Any thread but a worker.
    void shutdown() override;

  private:
    void spawn();  // with mutex_ held
    void work();

    const size_t min_, max_;
    const std::chrono::seconds idle_timeout_;
    std::mutex mutex_;
    std::condition_variable jobs_cv_;
    std::condition_variable exited_cv_;
    std::deque<std::function<void()>> jobs_;
    size_t threads_ = 0;
    size_t idle_ = 0;
    bool shutdown_ = false;
};

}  // namespace sonique::server
