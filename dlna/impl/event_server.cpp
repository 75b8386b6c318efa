#include "dlna/event_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/utsname.h>

#include <system_error>

#include "core/log.hpp"
#include "dlna/interfaces.hpp"
#include "event_notifier.hpp"
#include "ssdp_messages.hpp"
#include "tcp.hpp"

namespace sonique::dlna {
namespace {

// Time a client gets to send its request head: requests are served one at a time on the
// listener thread (they are rare and tiny), so a silent client delays the next by this at most.
constexpr auto kRequestTime = std::chrono::seconds(2);

std::string server_header() {
    utsname u{};
    std::string os = ::uname(&u) == 0 ? std::string(u.sysname) + "/" + u.release : "Linux/1";
    return os + " UPnP/1.0 Sonique/" SONIQUE_SERVER_VERSION;
}

}  // namespace

const char* event_path(EventedService service) {
    return service == EventedService::kContentDirectory ? "/dlna/event/ContentDirectory"
                                                        : "/dlna/event/ConnectionManager";
}

struct EventServer::Impl {
    EventOptions opt;
    UniqueFd listener;
    UniqueFd wake;
    int port = 0;
    std::string server = server_header();
    gena::SubscriptionTable table;
    std::unique_ptr<gena::EventNotifier> notifier;
    std::thread thread;

    Impl(EventOptions o) : opt(std::move(o)), table(opt.max_subscriptions) {}

    // The answer to one request, and the subscription that needs its initial event after it.
    std::string handle(const gena::Request& r, std::optional<gena::Subscription>& initial) {
        std::string date = ssdp::http_date();
        auto answer = [&](int status, std::vector<std::string> headers = {}) {
            return gena::response(status, headers, server, date);
        };
        int service = -1;
        for (auto s : {EventedService::kContentDirectory, EventedService::kConnectionManager})
            if (r.path == event_path(s)) service = static_cast<int>(s);
        if (r.method != "SUBSCRIBE" && r.method != "UNSUBSCRIBE") return answer(405);
        if (service < 0) return answer(404);
        auto now = gena::Clock::now();
        if (r.method == "UNSUBSCRIBE") {
            if (!r.sid) return answer(412);
            if (r.callback || r.nt) return answer(400);
            return answer(table.remove(*r.sid, service) ? 200 : 412);
        }
        int timeout = gena::granted_timeout(r.timeout, opt.max_timeout_s);
        std::string timeout_header = "TIMEOUT: Second-" + std::to_string(timeout);
        if (r.sid) {  // a renewal
            if (r.callback || r.nt) return answer(400);
            if (!table.renew(*r.sid, service, timeout, now)) return answer(412);
            return answer(200, {"SID: " + *r.sid, timeout_header});
        }
        if (!r.nt || *r.nt != "upnp:event" || !r.callback) return answer(412);
        auto callbacks = gena::parse_callback(*r.callback);
        if (callbacks.empty()) return answer(412);
        for (const auto& u : callbacks)
            if (!client_allowed(u.host, opt.allow_public)) return answer(412);
        auto sub = table.add(service, std::move(callbacks), timeout, now);
        if (!sub) return answer(503);
        initial = *sub;
        return answer(200, {"SID: " + sub->sid, timeout_header});
    }

    void serve_one(int fd, const sockaddr_in& peer) {
        UniqueFd conn(fd);
        auto deadline = std::chrono::steady_clock::now() + kRequestTime;
        if (!client_allowed(ntohl(peer.sin_addr.s_addr), opt.allow_public)) {
            tcp::send_all(conn.get(), gena::response(403, {}, server, ssdp::http_date()), deadline);
            return;
        }
        std::string head;
        std::optional<gena::Request> req;
        if (tcp::read_head(conn.get(), gena::kMaxHead, deadline, head))
            req = gena::parse_request(head);
        std::optional<gena::Subscription> initial;
        std::string out = req && req->content_length == 0
                              ? handle(*req, initial)
                              : gena::response(400, {}, server, ssdp::http_date());
        tcp::send_all(conn.get(), out, deadline);
        conn.reset();  // the initial event must follow the answer (UDA 4.1.1)
        if (initial) notifier->initial(*initial);
    }

    void run() {
        for (;;) {
            pollfd fds[2] = {{listener.get(), POLLIN, 0}, {wake.get(), POLLIN, 0}};
            if (::poll(fds, 2, -1) < 0) continue;
            if (fds[1].revents) return;
            sockaddr_in peer{};
            socklen_t len = sizeof peer;
            int fd = ::accept4(listener.get(), reinterpret_cast<sockaddr*>(&peer), &len,
                               SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) continue;
            try {
                serve_one(fd, peer);
            } catch (const std::exception& e) {
                log::warn("dlna: eventing request: ", e.what());
            }
        }
    }
};

EventServer::EventServer(EventOptions options, EventSources sources)
    : impl_(std::make_unique<Impl>(std::move(options))) {
    Impl& i = *impl_;
    i.listener = tcp::listen_on(i.opt.host, i.opt.port);
    i.port = tcp::local_port(i.listener.get());
    i.wake = UniqueFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!i.wake.valid()) throw std::system_error(errno, std::generic_category(), "gena: eventfd");
    i.notifier = std::make_unique<gena::EventNotifier>(i.table, std::move(sources), i.opt);
    i.thread = std::thread([&i] { i.run(); });
    log::info("dlna: eventing on ", i.opt.host, ":", i.port);
}

EventServer::~EventServer() {
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(impl_->wake.get(), &one, sizeof one);
    if (impl_->thread.joinable()) impl_->thread.join();
    impl_->notifier.reset();
}

int EventServer::port() const noexcept {
    return impl_->port;
}

size_t EventServer::subscriptions() const {
    return impl_->table.size();
}

std::string EventServer::event_url(std::string_view base_url, EventedService service) const {
    // http://host[:port][/...]: keep the scheme and host, put this listener's port.
    std::string_view rest = base_url;
    std::string scheme = "http://";
    if (auto p = rest.find("://"); p != std::string_view::npos) {
        scheme = std::string(rest.substr(0, p + 3));
        rest.remove_prefix(p + 3);
    }
    std::string_view host = rest.substr(0, rest.find('/'));
    if (!host.empty() && host.front() == '[') {
        host = host.substr(0, host.find(']') + 1);  // an IPv6 literal keeps its brackets
    } else if (auto colon = host.rfind(':'); colon != std::string_view::npos) {
        host = host.substr(0, colon);
    }
    return scheme + std::string(host) + ":" + std::to_string(impl_->port) + event_path(service);
}

}  // namespace sonique::dlna
