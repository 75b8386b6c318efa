#include "cache/cache.hpp"

namespace sonique::cache {
namespace {
// Reads generation and namespace version and the entry in one round trip.
constexpr const char* kLookup = R"lua(
local g = redis.call('GET', KEYS[1]) or '0'
local v = redis.call('GET', KEYS[2]) or '0'
local full = ARGV[1] .. g .. '.' .. v .. ':' .. ARGV[2]
return {full, redis.call('GET', full)}
)lua";
}  // namespace

Cache::Cache(Redis& redis, std::string prefix, int ttl_s)
    : redis_(redis), prefix_(std::move(prefix)), ttl_(std::to_string(ttl_s)) {
    redis_.on_recovery({"INCR", prefix_ + "gen"});
}

std::string Cache::get_or_load(std::string_view ns, std::string_view key,
                               const std::function<std::string()>& loader) {
    std::string ns_prefix = prefix_ + "c:" + std::string(ns) + ":";
    auto reply = redis_.command({"EVAL", kLookup, "2", prefix_ + "gen",
                                 prefix_ + "v:" + std::string(ns), ns_prefix, std::string(key)});
    const redisReply* r = reply ? reply->get() : nullptr;
    if (!r || r->type != REDIS_REPLY_ARRAY || r->elements < 1 ||
        r->element[0]->type != REDIS_REPLY_STRING)
        return loader();  // Redis down or misbehaving: serve from the source
    if (r->elements == 2 && r->element[1]->type == REDIS_REPLY_STRING)
        return std::string(r->element[1]->str, r->element[1]->len);
    std::string full(r->element[0]->str, r->element[0]->len);
    std::string value = loader();
    redis_.command({"SET", full, value, "EX", ttl_});
    return value;
}

void Cache::invalidate(std::initializer_list<std::string_view> namespaces) {
    std::vector<std::vector<std::string>> cmds;
    for (auto ns : namespaces)
        cmds.push_back({"INCR", prefix_ + "v:" + std::string(ns)});
    redis_.pipeline(cmds);
}

void Cache::invalidate_all() {
    redis_.command({"INCR", prefix_ + "gen"});
}

}  // namespace sonique::cache
