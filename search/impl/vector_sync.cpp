#include "search/vector_sync.hpp"

#include <atomic>

#include "cache/pubsub.hpp"
#include "core/json.hpp"

namespace sonique::search {
namespace {
std::atomic<uint64_t> next_instance{1};
}

std::shared_ptr<VectorSync> VectorSync::create(cache::EventBus& bus, std::string channel) {
    std::shared_ptr<VectorSync> sync(new VectorSync(bus, std::move(channel)));
    // The listener holds the sync weakly: the bus may deliver while it is being destroyed.
    std::weak_ptr<VectorSync> weak = sync;
    sync->token_ = bus.subscribe(
        [weak, channel = sync->channel_](const std::string& ch, const std::string& message) {
            if (ch != channel) return;
            if (auto self = weak.lock()) self->receive(message);
        });
    return sync;
}

VectorSync::VectorSync(cache::EventBus& bus, std::string channel)
    : bus_(bus),
      channel_(std::move(channel)),
      instance_(bus.origin() + "/" + std::to_string(next_instance++)) {}

VectorSync::~VectorSync() {
    bus_.unsubscribe(token_);
}

void VectorSync::add(const std::shared_ptr<VectorSet>& set) {
    std::lock_guard lock(mutex_);
    sets_[set->name()] = set;
}

std::string VectorSync::encode(const VectorChange& c) const {
    return dump_json({{"set", c.set},
                      {"generation", c.generation},
                      {"previous", c.previous},
                      {"ids", c.ids},
                      {"rebuilt", c.rebuilt},
                      {"from", instance_}});
}

std::optional<VectorChange> VectorSync::decode(const std::string& message, std::string* from) {
    Json m = Json::parse(message, nullptr, false);
    try {
        if (!m.is_object()) return std::nullopt;
        VectorChange c;
        c.set = m.at("set").get<std::string>();
        c.generation = m.at("generation").get<int64_t>();
        c.previous = m.value("previous", int64_t{-1});
        c.ids = m.value("ids", std::vector<int64_t>{});
        c.rebuilt = m.value("rebuilt", false);
        if (from) *from = m.value("from", "");
        return c;
    } catch (const Json::exception&) {
        return std::nullopt;
    }
}

void VectorSync::publish(const VectorChange& change) {
    bus_.publish(channel_, encode(change));
}

uint64_t VectorSync::session() const {
    return bus_.subscribed() ? bus_.session() : 0;
}

void VectorSync::receive(const std::string& message) {
    std::string from;
    auto change = decode(message, &from);
    if (!change || from == instance_) return;
    std::shared_ptr<VectorSet> set;
    {
        std::lock_guard lock(mutex_);
        auto it = sets_.find(change->set);
        if (it == sets_.end()) return;  // not opened here: it reads the database when it is
        set = it->second.lock();
        if (!set) sets_.erase(it);
    }
    if (set) set->changed_elsewhere(std::move(*change));
}

}  // namespace sonique::search
