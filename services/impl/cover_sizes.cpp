// CoverSizes (services/cover_sizes.hpp): which original a cover has, the cache key, the pool that
// makes sizes off the HTTP threads, and one job per key however many requests wait for it.
#include "services/cover_sizes.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <functional>
#include <future>
#include <iterator>
#include <map>
#include <thread>
#include <vector>

#include "core/log.hpp"
#include "cover_disk_cache.hpp"
#include "db/pool.hpp"
#include "imaging/resized_cover.hpp"
#include "media_rules.hpp"
#include "scanner/tag_reader.hpp"

namespace sonique::services {
namespace {

constexpr int kStoredSide = 256;  // normalise_cover's size: what the covers table holds
constexpr int kBuckets[] = {320, 480, 600, 800, 1024, 1500, 2000};
// Sizes being made at once (each decodes a full original: up to tens of MB of pixels), and how
// many more may wait; past that the stored image is served at once.
constexpr int kWorkers = 2;
constexpr size_t kMaxQueued = 16;
constexpr auto kMaxWait = std::chrono::seconds(20);
constexpr size_t kMaxOriginal = 64 << 20;  // bytes read from an original image file

using Result = std::optional<std::string>;  // the resized bytes; nullopt: serve the stored one

struct Source {
    std::string path;  // resolved, inside the library roots
    bool embedded = false;
    std::string key;  // names the cache file: original and stored image, size, format
};

std::string hex_hash(const std::string& text) {
    unsigned char digest[16];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(text.data()),
                       text.size(), nullptr, 0);
    char hex[sizeof digest * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

std::optional<std::string> read_whole(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string data;
    data.resize(kMaxOriginal + 1);
    in.read(data.data(), static_cast<std::streamsize>(data.size()));
    data.resize(static_cast<size_t>(in.gcount()));
    if (data.empty() || data.size() > kMaxOriginal) return std::nullopt;
    return data;
}

// The picture embedded in an audio file, read as the scanner reads it.
std::optional<std::string> embedded_picture(const std::string& path) {
    auto reader = scanner::make_taglib_reader(scanner::SplitRules{});
    scanner::FileEntry entry;
    entry.path = path;
    auto out = reader->read(entry);
    if (!out.track || out.track->picture.empty()) return std::nullopt;
    return std::move(out.track->picture);
}

}  // namespace

struct CoverSizes::Impl {
    explicit Impl(ServiceContext& c)
        : ctx(c),
          cache(c.config.data_dir + "/covers",
                static_cast<int64_t>(c.config.cover_cache_mb) * 1024 * 1024) {
        if (sodium_init() < 0) throw std::runtime_error("libsodium initialisation failed");
        for (int i = 0; i < kWorkers; ++i)
            workers.emplace_back([this] { work(); });
    }
    ~Impl() {
        {
            std::lock_guard lock(mutex);
            stopping = true;
        }
        wake.notify_all();
        for (auto& t : workers)
            t.join();
    }

    void work() {
        while (true) {
            std::function<void()> job;
            {
                std::unique_lock lock(mutex);
                wake.wait(lock, [this] { return stopping || !queue.empty(); });
                if (stopping) return;  // queued jobs' promises break: their waiters serve stored
                job = std::move(queue.front());
                queue.pop_front();
            }
            job();
        }
    }

    // The cover's original, or nullopt when it has none usable or it cannot be larger than the
    // stored image. One statement.
    std::optional<Source> source(const std::string& type, int64_t id, int bucket,
                                 CoverFormat format) {
        db::Result r;
        {
            auto conn = ctx.pool.acquire();
            r = conn->exec(
                "SELECT c.source_path, c.source_kind, ci.sha256, greatest(ci.width, ci.height) "
                "FROM covers c JOIN cover_images ci ON ci.id = c.image_id "
                "WHERE c.entity_type = $1 AND c.entity_id = $2 AND c.source_kind IS NOT NULL",
                db::Params(type, id));
        }
        if (r.empty()) return std::nullopt;
        // A stored image under 256 px was its original's full size: nothing larger exists.
        const int64_t stored_side = r.int64(0, 3);
        if (stored_side < kStoredSide || stored_side >= bucket) return std::nullopt;
        char resolved[PATH_MAX];
        if (!::realpath(r.str(0, 0).c_str(), resolved)) return std::nullopt;
        if (!inside_roots(resolved, ctx.config.music_roots)) return std::nullopt;
        struct stat st {};
        if (::stat(resolved, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
        Source s;
        s.path = resolved;
        s.embedded = r.str(0, 1) == "embedded";
        // A changed original (size or mtime) or another stored image is another key.
        s.key = hex_hash(s.path + '\n' + r.str(0, 1) + '\n' + r.str(0, 2) + '\n' +
                         std::to_string(st.st_size) + '\n' + std::to_string(st.st_mtim.tv_sec) +
                         '.' + std::to_string(st.st_mtim.tv_nsec)) +
                "-" + std::to_string(bucket) + (format == CoverFormat::kJpeg ? ".jpg" : ".webp");
        return s;
    }

    Result make(const Source& s, int bucket, CoverFormat format) {
        auto bytes = s.embedded ? embedded_picture(s.path) : read_whole(s.path);
        if (!bytes) return std::nullopt;
        auto image =
            imaging::resize_cover(*bytes, bucket,
                                  format == CoverFormat::kJpeg ? imaging::ClientFormat::kJpeg
                                                               : imaging::ClientFormat::kWebp);
        if (!image) {
            log::warn("cover: the original ", s.path, " could not be decoded");
            return std::nullopt;
        }
        cache.write(s.key, image->data);
        return std::move(image->data);
    }

    // The job's shared result for `key`: an existing one, a new one queued, or nullopt when the
    // queue is full.
    std::optional<std::shared_future<Result>> job(const Source& s, int bucket, CoverFormat format) {
        std::lock_guard lock(mutex);
        if (auto it = running.find(s.key); it != running.end()) return it->second;
        if (queue.size() >= kMaxQueued || stopping) return std::nullopt;
        auto promise = std::make_shared<std::promise<Result>>();
        std::shared_future<Result> future = promise->get_future().share();
        running.emplace(s.key, future);
        queue.push_back([this, s, bucket, format, promise] {
            Result r;
            try {
                r = make(s, bucket, format);
            } catch (const std::exception& e) {
                log::warn("cover: resizing ", s.path, " failed: ", e.what());
            }
            {
                std::lock_guard done(mutex);
                running.erase(s.key);
            }
            promise->set_value(std::move(r));
        });
        wake.notify_one();
        return future;
    }

    ServiceContext& ctx;
    CoverDiskCache cache;
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<std::function<void()>> queue;
    std::map<std::string, std::shared_future<Result>> running;
    std::vector<std::thread> workers;
    bool stopping = false;
};

CoverSizes::CoverSizes(ServiceContext& ctx) : impl_(std::make_unique<Impl>(ctx)) {}
CoverSizes::~CoverSizes() = default;

int CoverSizes::bucket(int64_t size) {
    if (size <= kStoredSide) return 0;
    for (int b : kBuckets)
        if (size <= b) return b;
    return kBuckets[std::size(kBuckets) - 1];
}

std::optional<SizedCover> CoverSizes::get(const std::string& entity_type, int64_t entity_id,
                                          int bucket, CoverFormat format) {
    if (bucket <= 0) return std::nullopt;
    auto s = impl_->source(entity_type, entity_id, bucket, format);
    if (!s) return std::nullopt;
    SizedCover out;
    out.mime_type = format == CoverFormat::kJpeg ? "image/jpeg" : "image/webp";
    out.etag = "\"" + s->key + "\"";
    if (auto hit = impl_->cache.read(s->key)) {
        out.data = std::move(*hit);
        return out;
    }
    auto future = impl_->job(*s, bucket, format);
    if (!future || future->wait_for(kMaxWait) != std::future_status::ready) return std::nullopt;
    try {
        auto r = future->get();
        if (!r) return std::nullopt;
        out.data = std::move(*r);
    } catch (const std::future_error&) {
        return std::nullopt;  // the server stopped before the job ran
    }
    return out;
}

int64_t CoverSizes::cached_bytes() const {
    return impl_->cache.bytes();
}

}  // namespace sonique::services
