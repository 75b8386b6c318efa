#pragma once
// /dlna/media (the original file with ranges, or an MP3 made by ffmpeg) and /dlna/art (album
// art at the DLNA JPEG sizes), with the headers DLNA renderers expect.
#include "server/context.hpp"
#include "server/transcode.hpp"
#include "services/context.hpp"
#include "services/cover_sizes.hpp"

namespace sonique::dlna {

class MediaRoutes {
  public:
    // Not thread-safe: construct once. Transcodes at once: config.transcode_limit.
    explicit MediaRoutes(services::ServiceContext& ctx);
    // Handlers; any HTTP thread. They throw sonique::Error (404 for an unknown track or
    // image, 503 when every transcode slot is taken), answered by the HTTP core.
    void original(server::Context& ctx);
    void transcoded(server::Context& ctx);
    void art(server::Context& ctx);

  private:
    services::ServiceContext& ctx_;
    server::TranscodeSlots slots_;
    services::CoverSizes sizes_;
};

}  // namespace sonique::dlna
