#pragma once
// Concurrent loads of one cache key coalesced into one ("single flight"). When a hot entry
// expires or is invalidated under load, the 64 requests that miss it at once would otherwise
// each run the same query, queue for the database pool and answer 503 after its acquire
// timeout. Only callers that saw the same near-cache epoch share a load: a caller that starts
// after an invalidation never receives a value loaded before it. Any thread.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace sonique::cache {

class Flights {
  public:
    // load()'s result. Callers arriving with the same key and epoch while a load runs wait for
    // it and share its result; if it throws, the thrower rethrows and each waiter loads itself.
    std::string run(const std::string& key, uint64_t epoch,
                    const std::function<std::string()>& load);

  private:
    struct Flight {
        std::mutex mutex;
        std::condition_variable done_cv;
        bool done = false, ok = false;
        std::string value;
    };
    void finish(const std::string& key, const std::shared_ptr<Flight>& f, const std::string* value);

    std::mutex mutex_;
    std::unordered_map<std::string, std::pair<uint64_t, std::shared_ptr<Flight>>> flights_;
};

}  // namespace sonique::cache
