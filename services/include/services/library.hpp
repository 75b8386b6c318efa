#pragma once
// The library tree of api-contract.md §9 (artists with their albums, for the frontend's tree view).
// Any thread. Throws db::DbError.
#include <cstdint>
#include <string>

#include "core/json_text.hpp"
#include "services/context.hpp"

namespace sonique::services {

class LibraryService {
  public:
    explicit LibraryService(ServiceContext& ctx) : ctx_(ctx) {}

    // [{id: "artist_<id>", label, children: [{id: "album_<id>", label}]}] by label. Cached.
    JsonText tree();
    // [{id: "album_<id>", label}] by label; [] for an unknown artist.
    JsonText artist_albums(int64_t artist_id);

  private:
    ServiceContext& ctx_;
};

}  // namespace sonique::services
