// /api/tracks (api.md §6) and their audio features. The stream route lives in routes_stream.cpp.
#include "server/routes.hpp"
#include "services/artists.hpp"
#include "services/audio_features.hpp"
#include "services/shapes_input.hpp"
#include "services/tracks.hpp"

namespace sonique::server {
namespace {

using services::TrackService;

int64_t track_id(Context& ctx) {
    return services::entity_id(ctx.path("id"), "id", services::kTrackNotFound);
}

void answer(Context& ctx, int status, const std::string& json_text) {
    ctx.res.status = status;
    ctx.res.set_content(json_text, "application/json");
}

std::vector<std::string> text_list(Context& ctx, const std::string& name) {
    auto values = ctx.query_all(name);
    for (const auto& v : values)
        services::text_param(v, name);
    return values;
}

services::TrackSearch read_search(Context& ctx) {
    services::TrackSearch q;
    auto text = [&](const char* name) { return services::text_param(ctx.query(name), name); };
    q.title = text("title");
    q.artist = text("artist");
    q.album = text("album");
    q.genre = text("genre");
    q.year = text("year");
    q.path = text("path");
    q.musicbrainz_id = text("musicbrainz_id");
    q.genre_tags = text_list(ctx, "genre_tags");
    q.mood_tags = text_list(ctx, "mood_tags");
    auto page = ctx.page();
    q.skip = page.skip;
    q.limit = page.limit;
    return q;
}

void add_collection(Router& router, const std::shared_ptr<TrackService>& svc) {
    router.add("GET", "/api/tracks", [svc](Context& ctx) {
        auto page = ctx.page();
        ctx.json_etag(svc->list(page.skip, page.limit));
    });
    router.add("GET", "/api/tracks/count", [svc](Context& ctx) { ctx.json_etag(svc->count()); });
    router.add("GET", "/api/tracks/search",
               [svc](Context& ctx) { answer(ctx, 200, svc->search(read_search(ctx))); });
    router.add("POST", "/api/tracks",
               [svc](Context& ctx) { answer(ctx, 200, svc->create(ctx.body())); });
    router.add("POST", "/api/tracks/batch",
               [svc](Context& ctx) { answer(ctx, 200, svc->batch(ctx.body())); });
    router.add("GET", "/api/tracks/artists/{artist_id}", [svc](Context& ctx) {
        auto id =
            services::entity_id(ctx.path("artist_id"), "artist_id", services::kArtistNotFound);
        answer(ctx, 200, svc->by_artist(id));
    });
    router.add("GET", "/api/tracks/artists/{artist_id}/albums/{album_id}", [svc](Context& ctx) {
        auto artist =
            services::entity_id(ctx.path("artist_id"), "artist_id", services::kArtistNotFound);
        auto album = services::entity_id(ctx.path("album_id"), "album_id", "Album non trouvé");
        answer(ctx, 200, svc->by_artist_album(artist, album));
    });
}

void add_item(Router& router, const std::shared_ptr<TrackService>& svc) {
    router.add("GET", "/api/tracks/{id}",
               [svc](Context& ctx) { ctx.json_etag(svc->get(track_id(ctx))); });
    router.add("PUT", "/api/tracks/{id}", [svc](Context& ctx) {
        int64_t id = track_id(ctx);
        answer(ctx, 200, svc->update(id, ctx.body()));
    });
    router.add("PUT", "/api/tracks/{id}/tags", [svc](Context& ctx) {
        int64_t id = track_id(ctx);
        answer(ctx, 200, svc->update_tags(id, ctx.body()));
    });
    router.add("DELETE", "/api/tracks/{id}", [svc](Context& ctx) {
        svc->remove(track_id(ctx));
        ctx.no_content();
    });
}

void add_features(Router& router, const std::shared_ptr<services::AudioFeatureService>& svc) {
    const std::string path = "/api/tracks/{id}/audio-features";
    router.add("GET", path, [svc](Context& ctx) { answer(ctx, 200, svc->get(track_id(ctx))); });
    router.add("POST", path, [svc](Context& ctx) {
        int64_t id = track_id(ctx);
        answer(ctx, 201, svc->create(id, ctx.body()));
    });
    router.add("PUT", path, [svc](Context& ctx) {
        int64_t id = track_id(ctx);
        answer(ctx, 200, svc->update(id, ctx.body()));
    });
    router.add("DELETE", path, [svc](Context& ctx) {
        svc->remove(track_id(ctx));
        ctx.no_content();
    });
}

}  // namespace

void add_track_routes(Router& router, RouteEnv& env) {
    auto svc = std::make_shared<TrackService>(env.services);
    add_collection(router, svc);
    add_item(router, svc);
    add_features(router, std::make_shared<services::AudioFeatureService>(env.services));
}

}  // namespace sonique::server
