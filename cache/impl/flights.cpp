#include "flights.hpp"

namespace sonique::cache {

std::string Flights::run(const std::string& key, uint64_t epoch,
                         const std::function<std::string()>& load) {
    std::shared_ptr<Flight> f;
    bool leader = false;
    {
        std::lock_guard lock(mutex_);
        auto it = flights_.find(key);
        if (it != flights_.end() && it->second.first == epoch) {
            f = it->second.second;
        } else {
            f = std::make_shared<Flight>();
            flights_[key] = {epoch, f};  // an older epoch's flight finishes on its own
            leader = true;
        }
    }
    if (!leader) {
        std::unique_lock lock(f->mutex);
        f->done_cv.wait(lock, [&] { return f->done; });
        if (f->ok) return f->value;
        lock.unlock();
        return load();
    }
    std::string value;
    try {
        value = load();
    } catch (...) {
        finish(key, f, nullptr);
        throw;
    }
    finish(key, f, &value);
    return value;
}

void Flights::finish(const std::string& key, const std::shared_ptr<Flight>& f,
                     const std::string* value) {
    {
        std::lock_guard lock(mutex_);
        auto it = flights_.find(key);
        if (it != flights_.end() && it->second.second == f) flights_.erase(it);
    }
    {
        std::lock_guard lock(f->mutex);
        f->ok = value != nullptr;
        if (value) f->value = *value;
        f->done = true;
    }
    f->done_cv.notify_all();
}

}  // namespace sonique::cache
