#include "cache/cache.hpp"

#include <chrono>

#include "cache/pubsub.hpp"
#include "core/json.hpp"
#include "flights.hpp"

namespace sonique::cache {
namespace {
// Reads generation and namespace versions and the entry in one round trip. With one namespace
// the entry is <prefix><gen>.<version>:<key>; with several, their versions follow one another.
constexpr const char* kLookup = R"lua(
local full = ARGV[1] .. (redis.call('GET', KEYS[1]) or '0')
for i = 2, #KEYS do
  full = full .. '.' .. (redis.call('GET', KEYS[i]) or '0')
end
full = full .. ':' .. ARGV[2]
return {full, redis.call('GET', full)}
)lua";

// Entries kept in process expire after this even if an invalidation was lost.
constexpr std::chrono::seconds kNearTtl{5};

// {"ns": [...]} or {"all": true} from Cache::publish in any process.
void on_message(NearCache& near, const std::string& message) {
    Json m = Json::parse(message, nullptr, false);
    if (!m.is_object() || m.value("all", false)) return near.invalidate("");
    const Json namespaces = m.value("ns", Json::array());
    if (!namespaces.is_array() || namespaces.empty()) return near.invalidate("");
    for (const auto& ns : namespaces)
        near.invalidate(ns.is_string() ? ns.get<std::string>() : std::string());
}

bool is_noscript(const std::optional<Reply>& reply) {
    const redisReply* r = reply ? reply->get() : nullptr;
    return r && r->type == REDIS_REPLY_ERROR &&
           std::string_view(r->str, r->len).starts_with("NOSCRIPT");
}
}  // namespace

Cache::Cache(Redis& redis, std::string prefix, int ttl_s)
    : redis_(redis), prefix_(std::move(prefix)), ttl_(std::to_string(ttl_s)) {
    redis_.on_recovery({"INCR", prefix_ + "gen"});
}

Cache::~Cache() = default;

void Cache::attach(EventBus& bus, size_t max_bytes) {
    if (max_bytes == 0) return;
    near_ = std::make_shared<NearCache>(max_bytes, kNearTtl);
    flights_ = std::make_unique<Flights>();
    bus_ = &bus;
    // The listener may outlive this cache (the bus is often destroyed last): it holds the near
    // cache weakly and nothing else of this object.
    bus.subscribe([weak = std::weak_ptr<NearCache>(near_), channel = channel()](
                      const std::string& ch, const std::string& message) {
        auto near = weak.lock();
        if (near && ch == channel) on_message(*near, message);
    });
}

std::optional<Reply> Cache::lookup(const std::string& ns_prefix,
                                   const std::vector<std::string_view>& namespaces,
                                   std::string_view key) {
    std::string sha;
    {
        std::lock_guard lock(sha_mutex_);
        sha = script_sha_;
    }
    std::vector<std::string> args{"EVALSHA", sha, std::to_string(namespaces.size() + 1),
                                  prefix_ + "gen"};
    for (auto ns : namespaces)
        args.push_back(prefix_ + "v:" + std::string(ns));
    args.push_back(ns_prefix);
    args.emplace_back(key);
    // Reads: a reply that times out is a miss, not an outage (Redis::command_best_effort).
    if (!sha.empty()) {
        auto reply = redis_.command_best_effort(args);
        if (!is_noscript(reply)) return reply;  // NOSCRIPT: Redis restarted or was flushed
    }
    args[0] = "EVAL";
    args[1] = kLookup;
    auto reply = redis_.command_best_effort(args);
    if (reply && reply->get()->type == REDIS_REPLY_ARRAY) {
        auto loaded = redis_.command_best_effort({"SCRIPT", "LOAD", kLookup});
        if (loaded && loaded->get()->type == REDIS_REPLY_STRING) {
            std::lock_guard lock(sha_mutex_);
            script_sha_.assign(loaded->get()->str, loaded->get()->len);
        }
    }
    return reply;
}

std::string Cache::get_or_load(std::string_view ns, std::string_view key,
                               const std::function<std::string()>& loader) {
    return load({ns}, key, loader);
}

std::string Cache::get_or_load(std::initializer_list<std::string_view> namespaces,
                               std::string_view key, const std::function<std::string()>& loader) {
    return load(std::vector<std::string_view>(namespaces), key, loader);
}

bool Cache::keeps_local() const noexcept {
    return near_ && bus_->subscribed();
}

std::string Cache::get_or_load_local(std::string_view ns, std::string_view key,
                                     const std::function<std::string()>& loader) {
    if (!near_ || !bus_->subscribed()) return loader();
    const uint64_t session = bus_->session();
    if (auto v = near_->get(ns, key, session)) return *v;
    const uint64_t epoch = near_->epoch();
    return flights_->run(NearCache::entry_key(ns, key), epoch, [&] {
        std::string value = loader();
        near_->put(ns, key, value, epoch, session);
        return value;
    });
}

std::string Cache::load(const std::vector<std::string_view>& namespaces, std::string_view key,
                        const std::function<std::string()>& loader) {
    std::string ns;
    for (auto n : namespaces)
        ns.append(ns.empty() ? "" : "+").append(n);
    const bool near = near_ && bus_->subscribed();
    const uint64_t session = near ? bus_->session() : 0;
    uint64_t epoch = 0;
    if (near) {
        if (auto v = near_->get(ns, key, session)) return *v;
        epoch = near_->epoch();
        return flights_->run(NearCache::entry_key(ns, key), epoch, [&] {
            return fetch(namespaces, ns, key, loader, true, epoch, session);
        });
    }
    return fetch(namespaces, ns, key, loader, false, epoch, session);
}

std::string Cache::fetch(const std::vector<std::string_view>& namespaces, std::string_view ns,
                         std::string_view key, const std::function<std::string()>& loader,
                         bool near, uint64_t epoch, uint64_t session) {
    std::string ns_prefix = prefix_ + "c:" + std::string(ns) + ":";
    auto reply = lookup(ns_prefix, namespaces, key);
    const redisReply* r = reply ? reply->get() : nullptr;
    if (!r || r->type != REDIS_REPLY_ARRAY || r->elements < 1 ||
        r->element[0]->type != REDIS_REPLY_STRING)
        return loader();  // Redis down or misbehaving: serve from the source
    std::string value;
    if (r->elements == 2 && r->element[1]->type == REDIS_REPLY_STRING) {
        value.assign(r->element[1]->str, r->element[1]->len);
    } else {
        std::string full(r->element[0]->str, r->element[0]->len);
        value = loader();
        // Under the versions read above: if an invalidation came meanwhile, nobody reads it.
        redis_.command_best_effort({"SET", full, value, "EX", ttl_});
    }
    if (near) near_->put(ns, key, value, epoch, session);
    return value;
}

void Cache::publish(const std::vector<std::string_view>& namespaces,
                    std::vector<std::vector<std::string>> commands) {
    // Other processes drop their in-process copies; the bus skips messages of its own origin.
    Json message = {{"origin", bus_ ? bus_->origin() : std::string()}};
    if (namespaces.empty()) {
        message["all"] = true;
    } else {
        message["ns"] = Json::array();
        for (auto ns : namespaces)
            message["ns"].push_back(std::string(ns));
    }
    commands.push_back({"PUBLISH", channel(), dump_json(message)});
    redis_.pipeline(commands);  // the version bumps and the message in one round trip
    // After the bumps: a local load that read the old version cannot be kept (epoch changed).
    if (!near_) return;
    if (namespaces.empty()) near_->invalidate("");
    for (auto ns : namespaces)
        near_->invalidate(ns);
}

void Cache::invalidate(std::initializer_list<std::string_view> namespaces) {
    std::vector<std::vector<std::string>> cmds;
    for (auto ns : namespaces)
        cmds.push_back({"INCR", prefix_ + "v:" + std::string(ns)});
    if (namespaces.size() == 0) return;
    publish(std::vector<std::string_view>(namespaces), std::move(cmds));
}

void Cache::invalidate_all() {
    publish({}, {{"INCR", prefix_ + "gen"}});
}

}  // namespace sonique::cache
