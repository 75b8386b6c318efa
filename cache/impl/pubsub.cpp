#include "cache/pubsub.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "core/json.hpp"
#include "core/log.hpp"

namespace sonique::cache {
namespace {
std::string make_origin() {
    std::random_device rd;
    return std::to_string(getpid()) + "-" + std::to_string(rd());
}
}  // namespace

EventBus::EventBus(Redis& redis, std::vector<std::string> channels)
    : redis_(redis), channels_(std::move(channels)), origin_(make_origin()) {}

EventBus::~EventBus() {
    stop();
}

void EventBus::start() {
    if (!redis_.options().enabled || thread_.joinable()) return;
    stop_ = false;
    thread_ = std::thread([this] { run(); });
}

void EventBus::stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

int EventBus::subscribe(Listener listener) {
    std::lock_guard lock(mutex_);
    listeners_.emplace(next_token_, std::move(listener));
    return next_token_++;
}

void EventBus::unsubscribe(int token) {
    std::lock_guard lock(mutex_);
    listeners_.erase(token);
}

void EventBus::deliver(const std::string& channel, const std::string& message) {
    std::vector<Listener> copy;
    {
        std::lock_guard lock(mutex_);
        for (auto& [_, l] : listeners_)
            copy.push_back(l);
    }
    for (auto& l : copy) {
        try {
            l(channel, message);
        } catch (const std::exception& e) {
            log::warn("event listener failed: ", e.what());
        }
    }
}

void EventBus::publish(const std::string& channel, const std::string& json_object) {
    deliver(channel, json_object);
    Json tagged = Json::parse(json_object, nullptr, false);
    if (!tagged.is_object()) return;
    tagged["origin"] = origin_;
    redis_.command({"PUBLISH", channel, dump_json(tagged)});
}

// The subscriber's own connection (a subscribed connection takes no other command), on its own
// thread. A refused or broken connection is retried after a wait that doubles from 100 ms up to
// 5 s (a Redis that is down is not hammered) and starts again at 100 ms once subscribed.
void EventBus::run() {
    using namespace std::chrono_literals;
    std::chrono::milliseconds backoff = 100ms;
    bool retry = false;  // whether the previous attempt failed or its connection broke
    while (!stop_) {
        if (retry) {
            for (auto slept = 0ms; slept < backoff && !stop_; slept += 50ms)
                std::this_thread::sleep_for(50ms);
            backoff = std::min<std::chrono::milliseconds>(backoff * 2, 5s);
        }
        retry = true;
        ContextPtr c = connect_redis(redis_.options(), 500ms);
        if (!c) continue;
        std::vector<std::string> args{"SUBSCRIBE"};
        args.insert(args.end(), channels_.begin(), channels_.end());
        std::vector<const char*> argv;
        std::vector<size_t> lens;
        for (auto& a : args)
            argv.push_back(a.data()), lens.push_back(a.size());
        redisAppendCommandArgv(c.get(), static_cast<int>(argv.size()), argv.data(), lens.data());
        timeval tv{0, 200000};  // wake up regularly to notice stop()
        redisSetTimeout(c.get(), tv);
        while (!stop_) {
            void* raw = nullptr;
            if (redisGetReply(c.get(), &raw) != REDIS_OK) {
                if (c->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                    c->err = 0;  // a read timeout: the connection is fine
                    continue;
                }
                break;
            }
            Reply r(static_cast<redisReply*>(raw));
            const redisReply* m = r.get();
            if (!m || m->type != REDIS_REPLY_ARRAY || m->elements != 3) continue;
            std::string_view kind(m->element[0]->str, m->element[0]->len);
            if (kind == "subscribe" && m->element[2]->type == REDIS_REPLY_INTEGER &&
                static_cast<size_t>(m->element[2]->integer) == channels_.size()) {
                ++session_;  // from here on, every message reaches us
                subscribed_ = true;
                backoff = 100ms;
            }
            if (kind != "message") continue;
            std::string channel(m->element[1]->str, m->element[1]->len);
            Json event = Json::parse(std::string_view(m->element[2]->str, m->element[2]->len),
                                     nullptr, false);
            if (event.is_object() && event.value("origin", "") == origin_) continue;
            if (event.is_object()) event.erase("origin");
            deliver(channel, event.is_discarded()
                                 ? std::string(m->element[2]->str, m->element[2]->len)
                                 : dump_json(event));
        }
        subscribed_ = false;
    }
}

}  // namespace sonique::cache
