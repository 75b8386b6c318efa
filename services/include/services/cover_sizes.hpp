#pragma once
// Covers larger than the stored 256 px ones, made on demand from each cover's original (a folder
// image, or the picture embedded in an audio file: covers.source_path and source_kind, migration
// 0013) for Subsonic getCoverArt's `size` (docs/subsonic.md). Sizes are rounded up to a few
// buckets, never past the original's own size, and kept in a bounded on-disk cache under
// SONIQUE_DATA_DIR (least recently used files go first). Making them runs on a small pool with a
// bounded queue, off the HTTP threads: past the bound the caller serves the stored image.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "services/context.hpp"

namespace sonique::services {

enum class CoverFormat { kJpeg, kWebp };

struct SizedCover {
    std::string data;
    std::string mime_type;
    std::string etag;  // quoted, strong
};

class CoverSizes {
  public:
    // The cache lives in config.data_dir/covers (created on first use; when it cannot be, covers
    // are still made but not kept, and the log says why once). Not thread-safe: construct once.
    explicit CoverSizes(ServiceContext& ctx);
    ~CoverSizes();
    CoverSizes(const CoverSizes&) = delete;
    CoverSizes& operator=(const CoverSizes&) = delete;

    // The size a request is served at: 0 (the stored image) up to 256, else the smallest bucket
    // at or above it (320, 480, 600, 800, 1024, 1500), 2000 past those (larger asks are clamped).
    static int bucket(int64_t size);

    // The entity's cover fitted in `bucket` px. nullopt when the stored image is to be served:
    // no original is known or it is gone, the original is no larger than the stored image, it
    // cannot be decoded, the pool's queue is full, or making it took over 20 s. Throws
    // db::DbError. Any thread; concurrent first requests for one size make it once.
    std::optional<SizedCover> get(const std::string& entity_type, int64_t entity_id, int bucket,
                                  CoverFormat format);

    // Bytes of the cache's files as last counted (tests and logs). Any thread.
    int64_t cached_bytes() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sonique::services
