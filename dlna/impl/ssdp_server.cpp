#include "dlna/ssdp_server.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/utsname.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <random>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "core/log.hpp"
#include "core/unique_fd.hpp"
#include "ssdp_messages.hpp"
#include "ssdp_socket.hpp"

namespace sonique::dlna {
namespace {

using Clock = std::chrono::steady_clock;

// Rate limits: a control point sends a few searches when it starts; a source past these is
// ignored until its window ends, and answers waiting at once are bounded.
constexpr int kSearchesPerWindow = 10;
constexpr auto kWindow = std::chrono::seconds(5);
constexpr size_t kMaxSources = 1024;
constexpr size_t kMaxPending = 256;

std::string server_header() {
    utsname u{};
    std::string os = ::uname(&u) == 0 ? std::string(u.sysname) + "/" + u.release : "Linux/1";
    return os + " UPnP/1.0 Sonique/" SONIQUE_SERVER_VERSION;
}

}  // namespace

struct SsdpServer::Impl {
    struct Answer {
        sockaddr_in to{};
        const Interface* via = nullptr;
        std::vector<std::string> types;
    };
    struct Source {
        Clock::time_point window_start;
        int count = 0;
    };

    SsdpOptions opt;
    std::vector<Interface> joined;
    UniqueFd sock;
    UniqueFd wake;
    std::thread thread;
    std::atomic<bool> stopping{false};
    std::string server = server_header();
    std::mt19937 rng{std::random_device{}()};
    std::multimap<Clock::time_point, Answer> pending;
    std::unordered_map<std::uint32_t, Source> sources;
    Clock::time_point next_alive;
    int alive_rounds = 0;

    ssdp::Advert advert(const Interface& f) const {
        return {opt.uuid,
                "http://" + f.address_text() + ":" + std::to_string(opt.http_port) +
                    opt.description_path,
                server, opt.max_age_s};
    }

    void alive_round() {
        for (const auto& f : joined) {
            auto a = advert(f);
            for (const auto& nt : ssdp::notification_types(opt.uuid))
                ssdp::send_multicast(sock.get(), f, ssdp::alive(a, nt), ssdp::kPort);
        }
        // UDP may lose a datagram: the first announcement goes out twice, one second apart;
        // then well within max-age (a third of it, with jitter so that servers started
        // together do not announce in step).
        ++alive_rounds;
        if (alive_rounds == 1) {
            next_alive = Clock::now() + std::chrono::seconds(1);
        } else {
            int base = std::max(opt.max_age_s / 3, 10) * 1000;
            std::uniform_int_distribution<int> jitter(-base / 10, 0);
            next_alive = Clock::now() + std::chrono::milliseconds(base + jitter(rng));
        }
    }

    void byebye_round() {
        for (const auto& f : joined)
            for (const auto& nt : ssdp::notification_types(opt.uuid))
                ssdp::send_multicast(sock.get(), f, ssdp::byebye(opt.uuid, nt), ssdp::kPort);
    }

    bool within_rate(std::uint32_t source, Clock::time_point now) {
        if (sources.size() >= kMaxSources) sources.clear();
        Source& s = sources[source];
        if (now - s.window_start > kWindow) s = {now, 0};
        return ++s.count <= kSearchesPerWindow;
    }

    void on_datagram(const ssdp::Received& r) {
        std::uint32_t from = ntohl(r.from.sin_addr.s_addr);
        if (r.truncated || r.data.empty()) return;
        if (!client_allowed(from, opt.allow_public)) return;
        const Interface* via = nullptr;
        for (const auto& f : joined)
            if (f.index == r.ifindex || (!r.multicast && f.address == r.local)) via = &f;
        if (!via) return;  // came in on an interface we do not serve
        auto search = ssdp::parse_search(r.data, r.multicast);
        if (!search) return;
        auto types = ssdp::answers_for(opt.uuid, search->st);
        if (types.empty()) return;
        auto now = Clock::now();
        if (!within_rate(from, now) || pending.size() >= kMaxPending) return;
        std::uniform_int_distribution<int> delay(0, std::max(search->mx * 1000 - 1, 0));
        // A search for ssdp:all names each type in its answer's ST; one for a type echoes it.
        pending.emplace(now + std::chrono::milliseconds(delay(rng)),
                        Answer{r.from, via, std::move(types)});
    }

    void send_due(Clock::time_point now) {
        std::string date = ssdp::http_date();
        while (!pending.empty() && pending.begin()->first <= now) {
            const Answer& a = pending.begin()->second;
            auto ad = advert(*a.via);
            for (const auto& st : a.types)
                ssdp::send_unicast(sock.get(), a.to, a.via->address,
                                   ssdp::search_response(ad, st, date));
            pending.erase(pending.begin());
        }
    }

    void run() {
        ssdp::Received r;
        while (!stopping.load()) {
            auto now = Clock::now();
            if (now >= next_alive) alive_round();
            send_due(now);
            auto until = next_alive;
            if (!pending.empty()) until = std::min(until, pending.begin()->first);
            auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(until - now);
            pollfd fds[2] = {{sock.get(), POLLIN, 0}, {wake.get(), POLLIN, 0}};
            int timeout = static_cast<int>(std::clamp<long long>(wait.count() + 1, 0, 60000));
            if (::poll(fds, 2, timeout) < 0) continue;
            if (fds[1].revents) break;
            if (fds[0].revents & POLLIN)
                for (int i = 0; i < 64 && ssdp::receive(sock.get(), ssdp::kMaxDatagram, r); ++i)
                    on_datagram(r);
        }
        byebye_round();
    }
};

SsdpServer::SsdpServer(SsdpOptions options) : impl_(std::make_unique<Impl>()) {
    Impl& i = *impl_;
    i.opt = std::move(options);
    i.sock = ssdp::open_socket(ssdp::kPort, i.opt.ttl);
    i.joined = ssdp::join_group(i.sock.get(), i.opt.interfaces);
    if (i.joined.empty())
        throw std::system_error(std::make_error_code(std::errc::no_such_device),
                                "ssdp: no interface could join the multicast group");
    i.wake = UniqueFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!i.wake.valid()) throw std::system_error(errno, std::generic_category(), "ssdp: eventfd");
    i.next_alive = Clock::now();
    i.thread = std::thread([&i] { i.run(); });
    std::string names;
    for (const auto& f : i.joined)
        names += (names.empty() ? "" : ", ") + f.name + " " + f.address_text();
    log::info("dlna: SSDP announcing uuid:", i.opt.uuid, " on ", names);
}

SsdpServer::~SsdpServer() {
    impl_->stopping = true;
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(impl_->wake.get(), &one, sizeof one);
    if (impl_->thread.joinable()) impl_->thread.join();
    log::info("dlna: SSDP byebye sent");
}

const std::vector<Interface>& SsdpServer::interfaces() const noexcept {
    return impl_->joined;
}

}  // namespace sonique::dlna
