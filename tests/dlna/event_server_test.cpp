// The eventing listener over loopback: SUBSCRIBE, renewal, UNSUBSCRIBE, the initial event and
// change events with SEQ in order, bad requests, the subscriber bound, a dead subscriber.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "dlna/event_server.hpp"
#include "tcp.hpp"

namespace sonique::dlna {
namespace {

using namespace std::chrono_literals;

// A control point's callback: records each NOTIFY (head and body) and answers 200.
class Callback {
  public:
    Callback() : fd_(tcp::listen_on("127.0.0.1", 0)), port_(tcp::local_port(fd_.get())) {
        thread_ = std::thread([this] { run(); });
    }
    ~Callback() {
        stop_ = true;
        thread_.join();
    }
    int port() const { return port_; }
    std::string url() const { return "<http://127.0.0.1:" + std::to_string(port_) + "/cb>"; }
    // Waits until n NOTIFYs arrived; returns them.
    std::vector<std::string> wait_for(size_t n, std::chrono::milliseconds limit = 5000ms) {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, limit, [&] { return got_.size() >= n; });
        return got_;
    }

  private:
    void run() {
        while (!stop_) {
            pollfd p{fd_.get(), POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            UniqueFd c(::accept4(fd_.get(), nullptr, nullptr, SOCK_NONBLOCK));
            if (!c.valid()) continue;
            auto deadline = std::chrono::steady_clock::now() + 2s;
            // The head, then as many bytes of body as its CONTENT-LENGTH says.
            std::string data;
            char buf[4096];
            size_t want = std::string::npos;
            while (std::chrono::steady_clock::now() < deadline) {
                auto end = data.find("\r\n\r\n");
                if (end != std::string::npos && want == std::string::npos) {
                    auto cl = data.find("CONTENT-LENGTH: ");
                    want = end + 4 + (cl < end ? std::stoul(data.substr(cl + 16)) : 0);
                }
                if (want != std::string::npos && data.size() >= want) break;
                ssize_t n = ::recv(c.get(), buf, sizeof buf, 0);
                if (n > 0)
                    data.append(buf, static_cast<size_t>(n));
                else
                    std::this_thread::sleep_for(2ms);
            }
            tcp::send_all(c.get(), "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", deadline);
            std::lock_guard lock(mutex_);
            got_.push_back(data);
            cv_.notify_all();
        }
    }

    UniqueFd fd_;
    int port_;
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<std::string> got_;
    std::thread thread_;
};

// Sends a raw request to the eventing port; returns the whole answer.
std::string request(int port, const std::string& text) {
    auto deadline = std::chrono::steady_clock::now() + 3s;
    UniqueFd fd = tcp::connect_to(0x7f000001, port, deadline);
    if (!fd.valid()) return "";
    tcp::send_all(fd.get(), text, deadline);
    std::string head;
    tcp::read_head(fd.get(), 8192, deadline, head);
    return head;
}

std::string header(const std::string& head, const std::string& name) {
    auto p = head.find(name + ": ");
    if (p == std::string::npos) return "";
    auto end = head.find("\r\n", p);
    return head.substr(p + name.size() + 2, end - p - name.size() - 2);
}

std::string subscribe(int port, const std::string& callback,
                      const std::string& path = "/dlna/event/ContentDirectory") {
    return request(port, "SUBSCRIBE " + path + " HTTP/1.1\r\nHOST: 127.0.0.1\r\nCALLBACK: " +
                             callback + "\r\nNT: upnp:event\r\nTIMEOUT: Second-120\r\n\r\n");
}

struct Fixture : ::testing::Test {
    std::atomic<std::uint32_t> update_id{41};
    EventOptions options() {
        EventOptions o;
        o.host = "127.0.0.1";
        o.poll_ms = 100;
        o.notify_timeout_ms = 500;
        o.max_subscriptions = 3;
        return o;
    }
    EventSources sources() {
        return {[this] { return update_id.load(); },
                [] { return std::string("http-get:*:audio/flac:*"); },
                {}};
    }
};

TEST_F(Fixture, InitialEventThenChangesInOrder) {
    EventServer server(options(), sources());
    Callback cb;
    std::string answer = subscribe(server.port(), cb.url());
    ASSERT_EQ(answer.rfind("HTTP/1.1 200 OK", 0), 0u) << answer;
    std::string sid = header(answer, "SID");
    EXPECT_EQ(sid.rfind("uuid:", 0), 0u);
    EXPECT_EQ(header(answer, "TIMEOUT"), "Second-120");
    auto got = cb.wait_for(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_NE(got[0].find("SEQ: 0"), std::string::npos);
    EXPECT_NE(got[0].find("SID: " + sid), std::string::npos);
    EXPECT_NE(got[0].find("<SystemUpdateID>41</SystemUpdateID>"), std::string::npos);
    update_id = 42;
    got = cb.wait_for(2);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_NE(got[1].find("SEQ: 1"), std::string::npos);
    EXPECT_NE(got[1].find("<SystemUpdateID>42</SystemUpdateID>"), std::string::npos);
    EXPECT_NE(got[1].find("<ContainerUpdateIDs>0,42</ContainerUpdateIDs>"), std::string::npos);
    // No change, no event.
    std::this_thread::sleep_for(400ms);
    EXPECT_EQ(cb.wait_for(3, 10ms).size(), 2u);
    // Renewal keeps the SID; after UNSUBSCRIBE changes are no longer sent.
    std::string renew = request(server.port(),
                                "SUBSCRIBE /dlna/event/ContentDirectory HTTP/1.1\r\n"
                                "SID: " +
                                    sid + "\r\nTIMEOUT: Second-60\r\n\r\n");
    EXPECT_EQ(renew.rfind("HTTP/1.1 200 OK", 0), 0u) << renew;
    EXPECT_EQ(header(renew, "SID"), sid);
    EXPECT_EQ(header(renew, "TIMEOUT"), "Second-60");
    std::string bye = request(server.port(),
                              "UNSUBSCRIBE /dlna/event/ContentDirectory HTTP/1.1\r\n"
                              "SID: " +
                                  sid + "\r\n\r\n");
    EXPECT_EQ(bye.rfind("HTTP/1.1 200 OK", 0), 0u) << bye;
    EXPECT_EQ(server.subscriptions(), 0u);
    update_id = 43;
    std::this_thread::sleep_for(400ms);
    EXPECT_EQ(cb.wait_for(3, 10ms).size(), 2u);
    std::string again = request(server.port(),
                                "UNSUBSCRIBE /dlna/event/ContentDirectory HTTP/1.1\r\n"
                                "SID: " +
                                    sid + "\r\n\r\n");
    EXPECT_EQ(again.rfind("HTTP/1.1 412", 0), 0u) << again;
}

// With per-container ids, a change event lists the containers changed since the last event
// ("id,updateId,..."), together with SystemUpdateID.
TEST_F(Fixture, ChangeEventListsTheChangedContainers) {
    std::atomic<std::uint32_t> asked_since{0};
    EventSources s = sources();
    s.container_update_ids = [&](std::uint32_t since) {
        asked_since = since;
        return std::vector<std::pair<std::string, std::uint32_t>>{{"m/all", update_id.load()},
                                                                  {"m/al/3", update_id.load()}};
    };
    EventServer server(options(), std::move(s));
    Callback cb;
    ASSERT_EQ(subscribe(server.port(), cb.url()).rfind("HTTP/1.1 200", 0), 0u);
    auto got = cb.wait_for(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_NE(got[0].find("<ContainerUpdateIDs></ContainerUpdateIDs>"), std::string::npos);
    update_id = 45;
    got = cb.wait_for(2);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(asked_since.load(), 41u);
    EXPECT_NE(got[1].find("<SystemUpdateID>45</SystemUpdateID>"), std::string::npos);
    EXPECT_NE(got[1].find("<ContainerUpdateIDs>m/all,45,m/al/3,45</ContainerUpdateIDs>"),
              std::string::npos)
        << got[1];
    // Each event asks from the event before the last (one event of overlap: a batch's marks
    // may be invisible until it commits).
    update_id = 46;
    ASSERT_EQ(cb.wait_for(3).size(), 3u);
    EXPECT_EQ(asked_since.load(), 41u);
    update_id = 47;
    ASSERT_EQ(cb.wait_for(4).size(), 4u);
    EXPECT_EQ(asked_since.load(), 45u);
}

TEST_F(Fixture, ConnectionManagerInitialEvent) {
    EventServer server(options(), sources());
    Callback cb;
    ASSERT_EQ(subscribe(server.port(), cb.url(), "/dlna/event/ConnectionManager")
                  .rfind("HTTP/1.1 200", 0),
              0u);
    auto got = cb.wait_for(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_NE(got[0].find("<SourceProtocolInfo>http-get:*:audio/flac:*</SourceProtocolInfo>"),
              std::string::npos);
    EXPECT_NE(got[0].find("<CurrentConnectionIDs>0</CurrentConnectionIDs>"), std::string::npos);
}

TEST_F(Fixture, BadRequestsGetTheirStatus) {
    EventServer server(options(), sources());
    int port = server.port();
    auto status = [](const std::string& a) { return a.substr(0, 12); };
    EXPECT_EQ(status(request(port, "GET /dlna/event/ContentDirectory HTTP/1.1\r\n\r\n")),
              "HTTP/1.1 405");
    EXPECT_EQ(status(subscribe(port, "<http://127.0.0.1:9/>", "/dlna/event/Nope")), "HTTP/1.1 404");
    // No NT, wrong NT, no or bad CALLBACK: 412.
    EXPECT_EQ(status(request(port,
                             "SUBSCRIBE /dlna/event/ContentDirectory HTTP/1.1\r\n"
                             "CALLBACK: <http://127.0.0.1:9/>\r\n\r\n")),
              "HTTP/1.1 412");
    EXPECT_EQ(status(request(port,
                             "SUBSCRIBE /dlna/event/ContentDirectory HTTP/1.1\r\n"
                             "CALLBACK: <http://127.0.0.1:9/>\r\nNT: upnp:other\r\n\r\n")),
              "HTTP/1.1 412");
    EXPECT_EQ(status(subscribe(port, "http://127.0.0.1:9/")), "HTTP/1.1 412");
    EXPECT_EQ(status(subscribe(port, "<http://8.8.8.8/>")), "HTTP/1.1 412");  // public callback
    // SID together with NT or CALLBACK: 400; unknown SID: 412.
    EXPECT_EQ(status(request(port,
                             "SUBSCRIBE /dlna/event/ContentDirectory HTTP/1.1\r\n"
                             "SID: uuid:x\r\nNT: upnp:event\r\n\r\n")),
              "HTTP/1.1 400");
    EXPECT_EQ(status(request(port,
                             "SUBSCRIBE /dlna/event/ContentDirectory HTTP/1.1\r\n"
                             "SID: uuid:x\r\n\r\n")),
              "HTTP/1.1 412");
    EXPECT_EQ(status(request(port, "UNSUBSCRIBE /dlna/event/ContentDirectory HTTP/1.1\r\n\r\n")),
              "HTTP/1.1 412");
    // Garbage, an oversized head, a body: 400.
    EXPECT_EQ(status(request(port, "\x01\x02 nonsense\r\n\r\n")), "HTTP/1.1 400");
    EXPECT_EQ(
        status(request(port, "SUBSCRIBE /x HTTP/1.1\r\nX: " + std::string(9000, 'a') + "\r\n\r\n")),
        "HTTP/1.1 400");
    EXPECT_EQ(status(request(port,
                             "SUBSCRIBE /dlna/event/ContentDirectory HTTP/1.1\r\n"
                             "Content-Length: 5\r\n\r\nhello")),
              "HTTP/1.1 400");
    EXPECT_EQ(server.subscriptions(), 0u);
    // The server still answers after all that.
    Callback cb;
    EXPECT_EQ(status(subscribe(port, cb.url())), "HTTP/1.1 200");
}

TEST_F(Fixture, BoundedAndADeadSubscriberIsDroppedWithoutStoppingOthers) {
    EventServer server(options(), sources());
    Callback live;
    // A callback port nothing listens on (bound, then closed).
    int dead_port = 0;
    {
        UniqueFd f = tcp::listen_on("127.0.0.1", 0);
        dead_port = tcp::local_port(f.get());
    }
    std::string dead = "<http://127.0.0.1:" + std::to_string(dead_port) + "/cb>";
    ASSERT_EQ(subscribe(server.port(), dead).rfind("HTTP/1.1 200", 0), 0u);
    ASSERT_EQ(subscribe(server.port(), live.url()).rfind("HTTP/1.1 200", 0), 0u);
    ASSERT_EQ(subscribe(server.port(), live.url()).rfind("HTTP/1.1 200", 0), 0u);
    EXPECT_EQ(subscribe(server.port(), live.url()).rfind("HTTP/1.1 503", 0), 0u);
    EXPECT_EQ(live.wait_for(2).size(), 2u);
    // Two changes: the live ones get both; the dead one fails its initial event and both
    // changes (three in a row) and is dropped.
    update_id = 50;
    EXPECT_EQ(live.wait_for(4).size(), 4u);
    update_id = 51;
    EXPECT_EQ(live.wait_for(6).size(), 6u);
    for (int i = 0; i < 50 && server.subscriptions() != 2; ++i)
        std::this_thread::sleep_for(20ms);
    EXPECT_EQ(server.subscriptions(), 2u);
}

TEST_F(Fixture, EventUrlKeepsTheHostAndPutsItsPort) {
    EventServer server(options(), sources());
    std::string port = std::to_string(server.port());
    EXPECT_EQ(server.event_url("http://192.168.1.20:8001", EventedService::kContentDirectory),
              "http://192.168.1.20:" + port + "/dlna/event/ContentDirectory");
    EXPECT_EQ(server.event_url("http://10.0.0.1:8001/", EventedService::kConnectionManager),
              "http://10.0.0.1:" + port + "/dlna/event/ConnectionManager");
    EXPECT_EQ(server.event_url("http://host", EventedService::kConnectionManager),
              "http://host:" + port + "/dlna/event/ConnectionManager");
}

TEST(EventServerBind, ATakenPortThrows) {
    UniqueFd taken = tcp::listen_on("127.0.0.1", 0);
    EventOptions o;
    o.host = "127.0.0.1";
    o.port = tcp::local_port(taken.get());
    EXPECT_THROW(EventServer(o, {}), std::system_error);
}

}  // namespace
}  // namespace sonique::dlna
