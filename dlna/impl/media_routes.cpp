#include "media_routes.hpp"

#include "core/error.hpp"
#include "core/strings.hpp"
#include "imaging/resized_cover.hpp"
#include "profiles.hpp"
#include "server/audio_response.hpp"
#include "services/covers.hpp"
#include "services/stream.hpp"

namespace sonique::dlna {
namespace {

constexpr const char* kTrackNotFound = "Piste non trouvée";

void dlna_headers(httplib::Response& res, const std::string& features) {
    res.set_header("transferMode.dlna.org", "Streaming");
    res.set_header("contentFeatures.dlna.org", features);
}

}  // namespace

MediaRoutes::MediaRoutes(services::ServiceContext& ctx)
    : ctx_(ctx), slots_(ctx.config.transcode_limit), sizes_(ctx) {}

void MediaRoutes::original(server::Context& ctx) {
    auto ranges = server::take_ranges(ctx.req);  // first: error bodies are never sliced
    auto audio = services::StreamService(ctx_).open(ctx.path_id("id", kTrackNotFound));
    auto profile = media_profile(audio.mime_type, audio.file_name, audio.bit_rate_kbps);
    server::send_audio(ctx.req, ctx.res, audio, std::move(ranges));
    ctx.res.set_header("Content-Type", profile.mime);
    dlna_headers(ctx.res, dlna_features(profile.pn, true, false));
}

void MediaRoutes::transcoded(server::Context& ctx) {
    server::take_ranges(ctx.req);  // a transcode has no byte ranges (DLNA.ORG_OP=00)
    auto audio = services::StreamService(ctx_).open(ctx.path_id("id", kTrackNotFound));
    server::TranscodePlan plan{server::TranscodeFormat::kMp3, 192, 0};
    std::optional<int64_t> length;
    if (audio.duration_s > 0) length = server::estimated_length(audio.duration_s, plan);
    std::string features = dlna_features("MP3", false, true);
    if (ctx.req.method == "HEAD") {
        ctx.res.status = 200;
        if (length) ctx.res.set_header("Content-Length", std::to_string(*length));
        ctx.res.set_header("Content-Type", "audio/mpeg");
        dlna_headers(ctx.res, features);
        return;
    }
    auto slot = slots_.try_acquire();
    if (!slot) throw Error(ErrorCode::kUnavailable, "Too many transcodes at once");
    server::send_transcoded(ctx.res, audio, plan, std::move(*slot), length);
    dlna_headers(ctx.res, features);
}

// /dlna/art/{album-<id>|track-<id>}/{TN.jpg|SM.jpg}: JPEG_TN fits 160 px, JPEG_SM 640x480
// (a cover fitted in 480 px fits it whatever its shape).
void MediaRoutes::art(server::Context& ctx) {
    const std::string& entity = ctx.path("entity");
    const std::string& size = ctx.path("size");
    auto dash = entity.find('-');
    std::string type = dash == std::string::npos ? "" : entity.substr(0, dash);
    auto id = dash == std::string::npos ? std::nullopt : parse_int(entity.substr(dash + 1));
    if ((type != "album" && type != "track") || !id || *id <= 0 ||
        (size != "TN.jpg" && size != "SM.jpg"))
        throw not_found("Image non trouvée");
    int side = size == "TN.jpg" ? 160 : 480;
    std::string data;
    if (side == 480) {
        auto made =
            sizes_.get(type, *id, services::CoverSizes::bucket(side), services::CoverFormat::kJpeg);
        if (made) data = std::move(made->data);
    }
    if (data.empty()) {
        auto stored = services::CoverService(ctx_).image(type, *id);
        if (stored.placeholder) throw not_found("Image non trouvée");
        auto resized = imaging::resize_cover(stored.data, side, imaging::ClientFormat::kJpeg);
        if (!resized) throw not_found("Image non trouvée");
        data = std::move(resized->data);
    }
    std::string pn = side == 160 ? "JPEG_TN" : "JPEG_SM";
    ctx.res.status = 200;
    ctx.res.set_header("Cache-Control", "max-age=86400");
    ctx.res.set_header("transferMode.dlna.org", "Interactive");
    ctx.res.set_header("contentFeatures.dlna.org",
                       "DLNA.ORG_PN=" + pn +
                           ";DLNA.ORG_OP=00;DLNA.ORG_CI=1;DLNA.ORG_FLAGS="
                           "00D00000000000000000000000000000");
    ctx.res.set_content(std::move(data), "image/jpeg");
}

}  // namespace sonique::dlna
