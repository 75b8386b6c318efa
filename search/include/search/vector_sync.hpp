#pragma once
// Vector sets kept current between server processes through Redis (docs/search.md, "Several
// servers"): each change a set makes (a write of this process, a rebuild finished) is published
// on one channel of the event bus; the changes of other processes are handed to the set of that
// name, which applies them from the database. When Redis is down or not configured, session()
// is 0 and the sets fall back to comparing generations with the database every few seconds.
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "search/vector_set.hpp"

namespace sonique::cache {
class EventBus;
}

namespace sonique::search {

class VectorSync : public VectorNotifier {
  public:
    // Listens on `channel` of bus (which must subscribe to it: app/runtime.cpp names it). The
    // bus must outlive this object. Throws nothing; any thread.
    static std::shared_ptr<VectorSync> create(cache::EventBus& bus, std::string channel);
    // The channel of the servers that share this Redis key prefix (SONIQUE_REDIS_PREFIX).
    static std::string channel(const std::string& redis_prefix) {
        return redis_prefix + "vector-sets";
    }
    ~VectorSync() override;
    VectorSync(const VectorSync&) = delete;
    VectorSync& operator=(const VectorSync&) = delete;

    // Hands the changes of other processes to the set of this name (replacing a set of the same
    // name). The set is held weakly. Any thread.
    void add(const std::shared_ptr<VectorSet>& set);
    void publish(const VectorChange& change) override;
    uint64_t session() const override;

    // The change as sent on the channel, and back (nullopt for anything else). Throw nothing.
    std::string encode(const VectorChange& change) const;
    static std::optional<VectorChange> decode(const std::string& message, std::string* from);

  private:
    VectorSync(cache::EventBus& bus, std::string channel);
    void receive(const std::string& message);

    cache::EventBus& bus_;
    std::string channel_;
    std::string instance_;  // tells this object's own messages (delivered locally too) apart
    int token_ = 0;
    std::mutex mutex_;
    std::map<std::string, std::weak_ptr<VectorSet>> sets_;
};

}  // namespace sonique::search
