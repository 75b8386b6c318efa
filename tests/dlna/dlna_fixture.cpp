#include "dlna_fixture.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>

#include "catalog.hpp"
#include "db/pool.hpp"
#include "dlna/routes.hpp"
#include "scanner/scanner.hpp"
#include "services/library_update_id.hpp"
#include "services/scan.hpp"
#include "soap.hpp"
#include "xml_text.hpp"

namespace sonique::test {
namespace fs = std::filesystem;

std::string shell_quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    return out + "'";
}

std::string run_command(const std::string& cmd) {
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) throw std::runtime_error("popen failed");
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0)
        out.append(buf.data(), n);
    int status = pclose(p);
    if (status != 0)
        throw std::runtime_error("command failed (" + std::to_string(status) + "): " + cmd);
    return out;
}

namespace {

void make_song(const fs::path& file, const std::string& artist, const std::string& album,
               const std::string& title, int track, const std::string& genre,
               const std::string& codec_args) {
    fs::create_directories(file.parent_path());
    run_command(
        "ffmpeg -nostdin -v error -f lavfi -i sine=frequency=" + std::to_string(300 + 50 * track) +
        ":duration=5 -ac 2 " + codec_args + " -metadata title=" + shell_quote(title) +
        " -metadata artist=" + shell_quote(artist) + " -metadata album_artist=" +
        shell_quote(artist) + " -metadata album=" + shell_quote(album) +
        " -metadata track=" + std::to_string(track) + " -metadata date=2021" +
        " -metadata genre=" + shell_quote(genre) + " " + shell_quote(file.string()));
}

const dlna::XmlElement* find(const dlna::XmlElement& e, std::string_view local) {
    if (e.local == local) return &e;
    for (const auto& c : e.children)
        if (auto f = find(*c, local)) return f;
    return nullptr;
}

}  // namespace

std::string SoapAnswer::out(const std::string& name) const {
    if (!root) return "";
    auto e = find(*root, name);
    return e ? e->text : "";
}

int SoapAnswer::fault_code() const {
    if (!root) return 0;
    auto e = find(*root, "errorCode");
    return e ? std::stoi(e->text) : 0;
}

DlnaWorld::DlnaWorld(bool library_update_id) {
    root_ = fs::temp_directory_path() / ("sonique-dlna-" + unique_suffix());
    fs::path ada = root_ / "Ada Drums" / "First Light";
    make_song(ada / "01 Dawn.flac", "Ada Drums", "First Light", "Dawn", 1, "Ambient", "-ar 44100");
    make_song(ada / "02 Noon.flac", "Ada Drums", "First Light", "Noon", 2, "Ambient", "-ar 44100");
    run_command("ffmpeg -nostdin -v error -f lavfi -i testsrc=size=1000x1000 -frames:v 1 " +
                shell_quote((ada / "cover.jpg").string()));
    make_song(root_ / "Ben Keys" / "Night Shift" / "01 Moon.mp3", "Ben Keys", "Night Shift", "Moon",
              1, "Jazz", "-ar 44100 -c:a libmp3lame -b:a 128k");
    make_song(root_ / "Cleo & Co" / "Odd <Formats>" / "01 Tide \"Low\".opus", "Cleo & Co",
              "Odd <Formats>", "Tide \"Low\" & <High>", 1, "Rock & Roll",
              "-ar 48000 -c:a libopus -b:a 64k");
    server_ = std::make_unique<TestServer>("dlna", [this](Config& c) {
        c.music_roots = {root_.string()};
        c.transcode_limit = 2;
    });
    rescan();
    env_ = std::make_unique<server::RouteEnv>(
        server::RouteEnv{server_->runtime().services(), [] { return false; }, nullptr, nullptr});
    router_ = std::make_unique<server::Router>();
    dlna::ContentOptions options;
    options.identity = {"1b4e28ba-2fa1-11d2-883f-0016d3cca427", "Sonique on <test & co>",
                        "http://127.0.0.1:1"};
    options.system_update_id = [this] { return update_id.load(); };
    library_update_id_ = library_update_id;
    if (library_update_id) {
        options.system_update_id = [this] {
            return services::library_update_id(server_->runtime().services());
        };
        options.system_update_id_is_library = true;
    }
    dlna::add_dlna_routes(*router_, *env_, std::move(options));
    server::ServerOptions so;
    so.host = "127.0.0.1";
    so.port = 0;
    so.threads = 8;
    http_ = std::make_unique<server::HttpServer>(so, *router_);
    port_ = http_->bind();
    thread_ = std::thread([this] { http_->run(); });
    while (!http_->running())
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

DlnaWorld::~DlnaWorld() {
    http_->stop();
    if (thread_.joinable()) thread_.join();
    http_.reset();
    server_.reset();
    fs::remove_all(root_);
}

void DlnaWorld::rescan() {
    services::ScanService scans(server_->runtime().services());
    scans.run_foreground(root_.string(), true, {}, false);
}

std::unique_ptr<httplib::Client> DlnaWorld::client() const {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port_);
    c->set_read_timeout(30, 0);
    return c;
}

SoapAnswer DlnaWorld::post_raw(const std::string& service, const std::string& body) {
    auto res = client()->Post("/dlna/control/" + service, body, "text/xml; charset=\"utf-8\"");
    SoapAnswer a;
    if (!res) {
        ADD_FAILURE() << "no answer: " << httplib::to_string(res.error());
        return a;
    }
    a.status = res->status;
    a.body = res->body;
    a.root = dlna::parse_xml(a.body).root;
    return a;
}

SoapAnswer DlnaWorld::call(const std::string& service, const std::string& action,
                           const std::vector<std::pair<std::string, std::string>>& args) {
    std::string body =
        "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        "s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body><u:" +
        action + " xmlns:u=\"urn:schemas-upnp-org:service:" + service + ":1\">";
    for (const auto& [k, v] : args)
        body += "<" + k + ">" + dlna::escaped(v) + "</" + k + ">";
    body += "</u:" + action + "></s:Body></s:Envelope>";
    return post_raw(service, body);
}

std::vector<DidlObject> DlnaWorld::browse(const std::string& id, const std::string& flag, int start,
                                          int count, const std::string& sort, int* total) {
    auto a = call("ContentDirectory", "Browse",
                  {{"ObjectID", id},
                   {"BrowseFlag", flag},
                   {"Filter", "*"},
                   {"StartingIndex", std::to_string(start)},
                   {"RequestedCount", std::to_string(count)},
                   {"SortCriteria", sort}});
    EXPECT_EQ(a.status, 200) << id << ": " << a.body.substr(0, 500);
    auto objects = parse_didl(a.out("Result"));
    EXPECT_EQ(a.out("NumberReturned"), std::to_string(objects.size()));
    EXPECT_EQ(a.out("UpdateID"), expected_update_id(id, flag)) << id << " " << flag;
    if (total) *total = a.out("TotalMatches").empty() ? -1 : std::stoi(a.out("TotalMatches"));
    return objects;
}

std::string DlnaWorld::expected_update_id(const std::string& id, const std::string& flag) {
    auto ref = dlna::parse_object_id(id);
    if (!ref || (ref->track && flag == "BrowseMetadata") || !dlna::keeps_update_id(ref->node))
        return std::to_string(library_update_id_
                                  ? services::library_update_id(server_->runtime().services())
                                  : update_id.load());
    if (ref->node == dlna::Node::kRoot || ref->node == dlna::Node::kMusic) return "0";
    auto r = server_->runtime().services().pool.acquire()->exec(
        "SELECT coalesce(max(update_id) % 4294967296, 0) FROM dlna_container_updates WHERE "
        "container = $1",
        db::Params(ref->container));
    return r.str(0, 0);
}

std::vector<DidlObject> DlnaWorld::children_all(const std::string& id, int page) {
    std::vector<DidlObject> all;
    for (int start = 0;; start += page) {
        int total = 0;
        auto got = browse(id, "BrowseDirectChildren", start, page, "", &total);
        all.insert(all.end(), got.begin(), got.end());
        if (got.empty() || static_cast<int>(all.size()) >= total) {
            EXPECT_EQ(static_cast<int>(all.size()), total) << id;
            break;
        }
        if (start > 10000) {
            ADD_FAILURE() << "no end to " << id;
            break;
        }
    }
    return all;
}

std::vector<DidlObject> DlnaWorld::search(const std::string& criteria, int* total) {
    auto a = call("ContentDirectory", "Search",
                  {{"ContainerID", "0"},
                   {"SearchCriteria", criteria},
                   {"Filter", "*"},
                   {"StartingIndex", "0"},
                   {"RequestedCount", "0"},
                   {"SortCriteria", ""}});
    EXPECT_EQ(a.status, 200) << criteria << ": " << a.body.substr(0, 500);
    if (total) *total = a.out("TotalMatches").empty() ? -1 : std::stoi(a.out("TotalMatches"));
    return parse_didl(a.out("Result"));
}

std::vector<DidlObject> parse_didl(const std::string& xml) {
    std::vector<DidlObject> out;
    auto parsed = dlna::parse_xml(xml);
    if (!parsed.root) {
        ADD_FAILURE() << "DIDL does not parse (" << parsed.error << "): " << xml.substr(0, 300);
        return out;
    }
    EXPECT_EQ(parsed.root->local, "DIDL-Lite");
    EXPECT_EQ(parsed.root->ns, "urn:schemas-upnp-org:metadata-1-0/DIDL-Lite/");
    for (const auto& o : parsed.root->children) {
        DidlObject d;
        d.container = o->local == "container";
        EXPECT_TRUE(d.container || o->local == "item") << o->local;
        d.id = o->attr("id");
        d.parent = o->attr("parentID");
        d.child_count = o->attr("childCount");
        EXPECT_EQ(o->attr("restricted"), "1");
        for (const auto& p : o->children) {
            std::string prefix = p->ns == "http://purl.org/dc/elements/1.1/"          ? "dc:"
                                 : p->ns == "urn:schemas-upnp-org:metadata-1-0/upnp/" ? "upnp:"
                                                                                      : "";
            std::string name = prefix + p->local;
            if (name == "dc:title") d.title = p->text;
            if (name == "upnp:class") d.cls = p->text;
            if (name == "res") {
                d.res.emplace_back(p->attr("protocolInfo"), p->text);
                if (d.res_duration.empty()) d.res_duration = p->attr("duration");
            }
            if (name == "upnp:albumArtURI")
                d.props.emplace(name + "@profileID", p->attr("profileID"));
            d.props.emplace(name, p->text);
        }
        EXPECT_FALSE(d.id.empty());
        EXPECT_FALSE(d.title.empty()) << d.id;
        EXPECT_FALSE(d.cls.empty()) << d.id;
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace sonique::test
