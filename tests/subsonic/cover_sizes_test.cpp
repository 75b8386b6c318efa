// getCoverArt at sizes past the stored 256 px, for real: originals made by ffmpeg (a large
// folder image, an artist image, a picture embedded in an MP3, a small image), scanned; the
// answers decoded by ffprobe for their real dimensions. WebP by Accept, ETag and 304, the cache
// bounded (files evicted), concurrent first requests, a full queue, the coverArt fields, hostile
// input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <latch>
#include <optional>
#include <set>
#include <thread>

#include "db/pool.hpp"
#include "media_tools.hpp"
#include "services/context.hpp"
#include "services/cover_sizes.hpp"
#include "services/covers.hpp"
#include "subsonic_support.hpp"

namespace sonique::test {
namespace {

namespace fs = std::filesystem;

const char* kNoise = "-f lavfi -i 'nullsrc=s=1600x1200,geq=random(1)*255:128:128' -frames:v 1";

class SubsonicCoverSizes : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = fs::temp_directory_path() / ("sonique-cover-sizes-" + std::to_string(getpid()));
        fs::remove_all(dir_);
        const fs::path root = dir_ / "root";
        for (const char* d : {"Painter/Big", "Singer/Embedded", "Tiny/Small", "Bare/None"})
            fs::create_directories(root / d);
        const std::string r = root.string();
        // Two seconds of tone with `extra` inputs, tagged, written to `out` with `codec`.
        auto tone = [](const std::string& artist, const std::string& album,
                       const std::string& extra, const std::string& out) {
            run_tool("ffmpeg -v error -nostdin -f lavfi -i sine=duration=2 " + extra +
                     " -metadata artist=" + artist + " -metadata album_artist=" + artist +
                     " -metadata album=" + album + " -metadata title=" + album + "Song " + out);
        };
        auto picture = [](const std::string& size, const std::string& out) {
            run_tool("ffmpeg -v error -nostdin -f lavfi -i testsrc=s=" + size + " -frames:v 1 " +
                     out);
        };
        // A 1600x1200 noise picture: large files, so the 1 MiB cache must evict.
        run_tool(std::string("ffmpeg -v error -nostdin ") + kNoise + " -q:v 2 " + r +
                 "/Painter/Big/cover.jpg");
        picture("1000x1000", r + "/Painter/artist.jpg");
        tone("Painter", "Big", "", "-c:a flac " + r + "/Painter/Big/a.flac");
        picture("900x900", (dir_ / "pic.jpg").string());
        tone("Singer", "Embedded", "-i " + (dir_ / "pic.jpg").string(),
             "-map 0 -map 1 -c:a libmp3lame -c:v copy -id3v2_version 3 "
             "-disposition:v attached_pic " +
                 r + "/Singer/Embedded/b.mp3");
        picture("200x200", r + "/Tiny/Small/cover.jpg");
        tone("Tiny", "Small", "", "-c:a flac " + r + "/Tiny/Small/c.flac");
        tone("Bare", "None", "", "-c:a flac " + r + "/Bare/None/d.flac");
        data_ = dir_ / "data";
        server_ = new SubsonicServer("subsonic_cover_sizes", false, {r}, [](Config& c) {
            c.data_dir = data_.string();
            c.cover_cache_mb = 1;
        });
        scan_and_wait(*server_);
        Json songs =
            server_->json("search3", as_admin() + Query{{"query", ""}})["searchResult3"]["song"];
        ASSERT_EQ(songs.size(), 4u) << songs.dump();
        for (const auto& s : songs)
            songs_[s["album"].get<std::string>()] = s;
    }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
        fs::remove_all(dir_);
    }

    static std::string album_of(const std::string& name) {
        return songs_[name]["albumId"].get<std::string>();
    }
    static httplib::Result cover(const std::string& id, const std::string& size,
                                 const httplib::Headers& headers = {}) {
        Query q = as_admin() + Query{{"id", id}, {"v", "1.16.1"}, {"c", "tests"}};
        if (!size.empty()) q.emplace_back("size", size);
        return server_->server().client()->Get("/rest/getCoverArt?" + encode_query(q), headers);
    }
    // The decoded picture's width and height (ffprobe).
    static std::pair<int, int> dimensions(const std::string& bytes) {
        static int n = 0;
        const fs::path path = dir_ / ("probe-" + std::to_string(n++));
        std::ofstream(path, std::ios::binary) << bytes;
        Json p = probe(path.string());
        return {p["streams"][0]["width"].get<int>(), p["streams"][0]["height"].get<int>()};
    }
    static std::vector<fs::path> cached_files() {
        std::vector<fs::path> out;
        std::error_code ec;
        for (fs::recursive_directory_iterator it(data_ / "covers", ec), end; !ec && it != end;
             it.increment(ec))
            if (it->is_regular_file()) out.push_back(it->path());
        return out;
    }

    static inline SubsonicServer* server_ = nullptr;
    static inline fs::path dir_, data_;
    static inline std::map<std::string, Json> songs_;
};

TEST_F(SubsonicCoverSizes, ALargeSizeIsMadeFromTheOriginal) {
    auto res = cover(album_of("Big"), "600");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Type"), "image/jpeg");
    EXPECT_EQ(dimensions(res->body), std::make_pair(600, 450));
    const std::string etag = res->get_header_value("ETag");
    ASSERT_FALSE(etag.empty());
    auto again = cover(album_of("Big"), "600", {{"If-None-Match", etag}});
    EXPECT_EQ(again->status, 304);
    // 590 is in the same bucket: the same file.
    EXPECT_EQ(cover(album_of("Big"), "590")->get_header_value("ETag"), etag);
    // The song's cover is its album's.
    EXPECT_EQ(cover(songs_["Big"]["id"].get<std::string>(), "600")->body, res->body);
}

TEST_F(SubsonicCoverSizes, WebpWhenTheClientAcceptsIt) {
    auto res = cover(album_of("Big"), "800", {{"Accept", "image/avif,image/webp,*/*"}});
    ASSERT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Type"), "image/webp");
    EXPECT_EQ(dimensions(res->body), std::make_pair(800, 600));
    auto jpeg = cover(album_of("Big"), "800", {{"Accept", "image/*"}});
    EXPECT_EQ(jpeg->get_header_value("Content-Type"), "image/jpeg");
    EXPECT_NE(jpeg->get_header_value("ETag"), res->get_header_value("ETag"));
}

TEST_F(SubsonicCoverSizes, SmallSizesAndSmallOriginalsGetTheStoredImage) {
    services::CoverService covers(server_->server().runtime().services());
    auto stored = covers.image("album", std::stoll(album_of("Big").substr(3)));
    for (const char* size : {"", "0", "100", "256"}) {
        auto res = cover(album_of("Big"), size);
        EXPECT_EQ(res->body, stored.data) << size;
        EXPECT_EQ(res->get_header_value("Content-Type"), "image/webp") << size;
    }
    // A 200 px original: never enlarged.
    auto small = covers.image("album", std::stoll(album_of("Small").substr(3)));
    auto res = cover(album_of("Small"), "600");
    EXPECT_EQ(res->body, small.data);
    EXPECT_EQ(dimensions(res->body), std::make_pair(200, 200));
}

TEST_F(SubsonicCoverSizes, AHugeSizeIsClampedToTheOriginal) {
    auto res = cover(album_of("Big"), "100000");
    ASSERT_EQ(res->status, 200);
    EXPECT_EQ(dimensions(res->body), std::make_pair(1600, 1200));
}

TEST_F(SubsonicCoverSizes, EmbeddedPicturesAndArtistImages) {
    auto res = cover(album_of("Embedded"), "800");
    ASSERT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Type"), "image/jpeg");
    EXPECT_EQ(dimensions(res->body), std::make_pair(800, 800));
    const std::string artist = songs_["Big"]["artistId"].get<std::string>();
    res = cover(artist, "480");
    ASSERT_EQ(res->status, 200);
    EXPECT_EQ(dimensions(res->body), std::make_pair(480, 480));
}

// Migration 0013: the scan keeps each cover's original file and what it is.
TEST_F(SubsonicCoverSizes, TheScanKeepsWhereEachOriginalLives) {
    auto& services = server_->server().runtime().services();
    auto rows = services.pool.acquire()->exec(
        "SELECT entity_type, source_path, source_kind FROM covers WHERE entity_type <> 'track' "
        "ORDER BY source_path");
    std::set<std::string> got;
    for (int i = 0; i < rows.rows(); ++i)
        got.insert(rows.str(i, 0) + " " + rows.str(i, 1) + " " + rows.str(i, 2));
    const std::string r = (dir_ / "root").string();
    EXPECT_EQ(got, (std::set<std::string>{"album " + r + "/Painter/Big/cover.jpg image",
                                          "album " + r + "/Singer/Embedded/b.mp3 embedded",
                                          "album " + r + "/Tiny/Small/cover.jpg image",
                                          "artist " + r + "/Painter/artist.jpg image"}));
}

TEST_F(SubsonicCoverSizes, CoverArtFieldsNameTheCoversThatExist) {
    Json album = server_->json("getAlbum", as_admin() + Query{{"id", album_of("Big")}})["album"];
    EXPECT_EQ(album["coverArt"], album_of("Big"));
    EXPECT_EQ(album["song"][0]["coverArt"], album_of("Big"));
    Json bare = server_->json("getAlbum", as_admin() + Query{{"id", album_of("None")}})["album"];
    EXPECT_FALSE(bare.contains("coverArt")) << bare.dump();
    EXPECT_FALSE(bare["song"][0].contains("coverArt"));
    const std::string painter = songs_["Big"]["artistId"].get<std::string>();
    Json artist = server_->json("getArtist", as_admin() + Query{{"id", painter}})["artist"];
    EXPECT_EQ(artist["coverArt"], painter);
    EXPECT_EQ(artist["album"][0]["coverArt"], album_of("Big"));
    Json bare_artist = server_->json(
        "getArtist", as_admin() + Query{{"id", songs_["None"]["artistId"].get<std::string>()}});
    EXPECT_FALSE(bare_artist["artist"].contains("coverArt"));
    Json index = server_->json("getArtists", as_admin())["artists"]["index"];
    int with_cover = 0;
    for (const auto& letter : index)
        for (const auto& a : letter["artist"])
            with_cover += a.contains("coverArt") && a["coverArt"] == a["id"];
    EXPECT_EQ(with_cover, 1) << index.dump();
    Json song = server_->json(
        "getSong", as_admin() + Query{{"id", songs_["Embedded"]["id"].get<std::string>()}});
    EXPECT_EQ(song["song"]["coverArt"], album_of("Embedded"));
    // XML too.
    XmlNode xml = server_->xml("getAlbum", as_admin() + Query{{"id", album_of("Big")}});
    EXPECT_EQ(xml.first(ns("album"))->attrs.at("coverArt"), album_of("Big"));
}

TEST_F(SubsonicCoverSizes, ConcurrentFirstRequestsMakeTheSizeOnce) {
    std::vector<std::thread> threads;
    constexpr int kClients = 12;  // the test server has 16 HTTP threads
    std::vector<std::string> bodies(kClients), etags(kClients);
    for (int i = 0; i < kClients; ++i)
        threads.emplace_back([&, i] {
            auto res = cover(album_of("Embedded"), "1024", {{"Accept", "image/webp"}});
            if (res && res->status == 200) {
                bodies[i] = res->body;
                etags[i] = res->get_header_value("ETag");
            }
        });
    for (auto& t : threads)
        t.join();
    for (int i = 0; i < kClients; ++i) {
        EXPECT_EQ(bodies[i], bodies[0]) << i;
        EXPECT_EQ(etags[i], etags[0]) << i;
    }
    EXPECT_EQ(dimensions(bodies[0]), std::make_pair(900, 900));
    int made = 0;
    for (const auto& f : cached_files())
        made += f.filename().string().find("-1024.webp") != std::string::npos;
    EXPECT_EQ(made, 1);
}

TEST_F(SubsonicCoverSizes, TheCacheStaysWithinItsLimit) {
    ASSERT_EQ(cover(album_of("Big"), "320")->status, 200);
    const auto before = cached_files();
    ASSERT_FALSE(before.empty());
    std::set<std::string> asked;
    for (const char* size : {"320", "480", "600", "800", "1024", "1500", "2000"})
        for (const char* accept : {"image/jpeg", "image/webp"}) {
            auto res = cover(album_of("Big"), size, {{"Accept", accept}});
            ASSERT_EQ(res->status, 200);
            asked.insert(res->get_header_value("ETag"));
        }
    int64_t total = 0;
    auto files = cached_files();
    for (const auto& f : files)
        total += static_cast<int64_t>(fs::file_size(f));
    EXPECT_LE(total, 1 << 20);
    // Noise does not compress: fourteen sizes of it do not fit in 1 MiB, so some went.
    EXPECT_LT(files.size(), asked.size());
    int evicted = 0;
    for (const auto& f : before)
        evicted += !fs::exists(f);
    EXPECT_GT(evicted, 0);
    // An evicted size is made again.
    auto res = cover(album_of("Big"), "320");
    EXPECT_EQ(dimensions(res->body), std::make_pair(320, 240));
}

// 64 first requests of new sizes at once (docs/subsonic.md, "Cover sizes"): the pool makes two
// at a time and queues 16; every other request is answered at once with the stored image
// (nullopt) instead of waiting for the pool. A CoverSizes of its own, on an empty cache
// directory, so that every size is new; the requests start together (a latch). "At once" is
// checked as an order, not a time: each refused request returned before the pool was done.
TEST_F(SubsonicCoverSizes, AFullQueueAnswersTheStoredImageAtOnce) {
    auto& services = server_->server().runtime().services();
    Config config = services.config;
    config.data_dir = (dir_ / "burst").string();
    services::ServiceContext ctx{config,         services.pool,   services.redis,
                                 services.cache, services.events, services.sonic};
    services::CoverSizes sizes(ctx);
    struct Ask {
        std::string type;
        int64_t id;
        int bucket;
        services::CoverFormat format;
    };
    std::vector<Ask> keys;
    for (const auto& [type, id] : {std::pair<std::string, std::string>{"album", album_of("Big")},
                                   {"album", album_of("Embedded")},
                                   {"artist", songs_["Big"]["artistId"].get<std::string>()}})
        for (int bucket : {320, 480, 600, 800, 1024, 1500, 2000})
            for (auto format : {services::CoverFormat::kJpeg, services::CoverFormat::kWebp})
                keys.push_back({type, std::stoll(id.substr(3)), bucket, format});
    constexpr int kClients = 64;
    using Clock = std::chrono::steady_clock;
    std::vector<std::optional<services::SizedCover>> got(kClients);
    std::vector<Clock::time_point> done(kClients);
    std::latch start(kClients);
    std::vector<std::thread> threads;
    for (int i = 0; i < kClients; ++i)
        threads.emplace_back([&, i] {
            const Ask& a = keys[static_cast<size_t>(i) % keys.size()];
            start.arrive_and_wait();
            got[i] = sizes.get(a.type, a.id, a.bucket, a.format);
            done[i] = Clock::now();
        });
    for (auto& t : threads)
        t.join();
    int refused = 0, made = 0;
    Clock::time_point last_made{}, last_refused{};
    for (int i = 0; i < kClients; ++i) {
        if (got[i]) {
            ++made;
            last_made = std::max(last_made, done[i]);
            EXPECT_FALSE(got[i]->data.empty()) << i;
        } else {
            ++refused;
            last_refused = std::max(last_refused, done[i]);
        }
    }
    EXPECT_GT(made, 0);
    // 42 new sizes at once: at most 2 made and 16 queued when they arrive.
    EXPECT_GT(refused, 0) << "the queue never filled";
    EXPECT_LT(last_refused, last_made) << "a refused request waited for the pool";
    // A refusal is not remembered: once the pool is idle, the size is made.
    for (int i = 0; i < kClients; ++i)
        if (!got[i]) {
            const Ask& a = keys[static_cast<size_t>(i) % keys.size()];
            auto again = sizes.get(a.type, a.id, a.bucket, a.format);
            ASSERT_TRUE(again.has_value()) << i;
            EXPECT_EQ(again->mime_type,
                      a.format == services::CoverFormat::kJpeg ? "image/jpeg" : "image/webp");
            break;
        }
}

TEST_F(SubsonicCoverSizes, HostileInput) {
    for (const char* size : {"-1", "1.5", "abc", "600px", "99999999999999999999999"}) {
        Json j = server_->json("getCoverArt",
                               as_admin() + Query{{"id", album_of("Big")}, {"size", size}});
        EXPECT_EQ(j["error"]["code"], 0) << size;
    }
    for (const char* id : {"../../etc/passwd", "al-", "al-1/../2", "tr--1"}) {
        Json j = server_->json("getCoverArt", as_admin() + Query{{"id", id}, {"size", "600"}});
        EXPECT_EQ(j["error"]["code"], 70) << id;
    }
    // An original that resolves outside the library (a decodable 900 px image) is never read:
    // the stored image.
    auto& services = server_->server().runtime().services();
    const int64_t small = std::stoll(album_of("Small").substr(3));
    services.pool.acquire()->exec(
        "UPDATE covers c SET source_path = $3, source_kind = 'image', image_id = "
        "(SELECT image_id FROM covers WHERE entity_type = 'album' AND entity_id = $2) "
        "WHERE entity_type = 'album' AND entity_id = $1",
        db::Params(small, std::stoll(album_of("Big").substr(3)), (dir_ / "pic.jpg").string()));
    auto res = cover(album_of("Small"), "600");
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Type"), "image/webp");
}

TEST(CoverSizeBuckets, RoundedUpAndClamped) {
    using services::CoverSizes;
    EXPECT_EQ(CoverSizes::bucket(0), 0);
    EXPECT_EQ(CoverSizes::bucket(256), 0);
    EXPECT_EQ(CoverSizes::bucket(257), 320);
    EXPECT_EQ(CoverSizes::bucket(600), 600);
    EXPECT_EQ(CoverSizes::bucket(601), 800);
    EXPECT_EQ(CoverSizes::bucket(1500), 1500);
    EXPECT_EQ(CoverSizes::bucket(1501), 2000);
    EXPECT_EQ(CoverSizes::bucket(100000), 2000);
}

}  // namespace
}  // namespace sonique::test
