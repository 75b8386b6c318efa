// GET /api/events: Server-Sent Events relaying the EventBus (api-contract.md §10). Each open stream
// holds one HTTP worker thread; it ends when the client goes away or the server stops.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "server/routes.hpp"
#include "services/events.hpp"

namespace sonique::server {
namespace {

constexpr size_t kMaxQueued = 1000;  // a stalled client loses old events, not our memory
constexpr auto kPing = std::chrono::seconds(15);
constexpr auto kWake = std::chrono::milliseconds(500);

struct Stream {
    std::mutex mutex;
    std::condition_variable cv;
    std::deque<std::string> frames;
    int token = 0;
    bool started = false;
    std::chrono::steady_clock::time_point last_write = std::chrono::steady_clock::now();

    void push(const std::string& message) {
        std::lock_guard lock(mutex);
        if (frames.size() >= kMaxQueued) frames.pop_front();
        frames.push_back("data: " + message + "\n\n");
        cv.notify_one();
    }
};

bool write(httplib::DataSink& sink, const std::string& text) {
    return sink.is_writable() && sink.write(text.data(), text.size());
}

// One provider call: waits briefly for events and writes them (or a ping). Returns false when
// the client is gone.
bool pump(Stream& s, httplib::DataSink& sink) {
    std::deque<std::string> ready;
    {
        std::unique_lock lock(s.mutex);
        s.cv.wait_for(lock, kWake, [&] { return !s.frames.empty(); });
        ready.swap(s.frames);
    }
    auto now = std::chrono::steady_clock::now();
    for (const auto& f : ready)
        if (!write(sink, f)) return false;
    if (!ready.empty()) s.last_write = now;
    if (now - s.last_write >= kPing) {
        if (!write(sink, ": ping\n\n")) return false;
        s.last_write = now;
    }
    return sink.is_writable();
}

void events(RouteEnv& env, Context& ctx) {
    auto stream = std::make_shared<Stream>();
    auto& svc = env.services;
    stream->token = services::subscribe_events(
        svc,
        [weak = std::weak_ptr<Stream>(stream)](const std::string&, const std::string& message) {
            if (auto s = weak.lock()) s->push(message);
        });
    ctx.res.set_header("Cache-Control", "no-cache");
    ctx.res.set_header("X-Accel-Buffering", "no");
    ctx.res.set_chunked_content_provider(
        "text/event-stream",
        [stream, &env](size_t, httplib::DataSink& sink) {
            if (!stream->started) {
                stream->started = true;
                return write(sink,
                             "data: {\"type\":\"connected\",\"message\":\"SSE connection "
                             "established\"}\n\n");
            }
            if (env.stopping()) {
                sink.done();
                return true;
            }
            return pump(*stream, sink);
        },
        [stream, &svc](bool) { services::unsubscribe_events(svc, stream->token); });
}

}  // namespace

void add_events_routes(Router& router, RouteEnv& env) {
    router.add("GET", "/api/events", [&env](Context& ctx) { events(env, ctx); });
}

}  // namespace sonique::server
