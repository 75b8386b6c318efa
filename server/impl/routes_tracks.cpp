// /api/tracks (api-contract.md §6) and their audio features. The stream route lives in
// routes_stream.cpp.
#include "input_catalog.hpp"
#include "server/routes.hpp"
#include "services/albums.hpp"
#include "services/artists.hpp"
#include "services/audio_features.hpp"
#include "services/tracks.hpp"

namespace sonique::server {
namespace {

using services::TrackService;

int64_t track_id(Context& ctx) {
    return ctx.path_id("id", services::kTrackNotFound);
}

std::vector<std::string> text_list(Context& ctx, const std::string& name) {
    auto values = ctx.query_all(name);
    for (const auto& v : values)
        text_param(v, name);
    return values;
}

services::TrackSearch read_search(Context& ctx) {
    services::TrackSearch q;
    auto text = [&](const char* name) { return text_param(ctx.query(name), name); };
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
        ctx.answer_etag(svc->list(page.skip, page.limit));
    });
    router.add("GET", "/api/tracks/count", [svc](Context& ctx) { ctx.answer_etag(svc->count()); });
    router.add("GET", "/api/tracks/search",
               [svc](Context& ctx) { ctx.answer(svc->search(read_search(ctx))); });
    router.add("POST", "/api/tracks", [svc](Context& ctx) {
        ctx.answer(svc->create(read_track(ctx.body(), {"body"}, true)));
    });
    router.add("POST", "/api/tracks/batch",
               [svc](Context& ctx) { ctx.answer(svc->batch(read_track_batch(ctx.body()))); });
    router.add("GET", "/api/tracks/artists/{artist_id}", [svc](Context& ctx) {
        ctx.answer(svc->by_artist(ctx.path_id("artist_id", services::kArtistNotFound)));
    });
    router.add("GET", "/api/tracks/artists/{artist_id}/albums/{album_id}", [svc](Context& ctx) {
        auto artist = ctx.path_id("artist_id", services::kArtistNotFound);
        auto album = ctx.path_id("album_id", services::kAlbumNotFound);
        ctx.answer(svc->by_artist_album(artist, album));
    });
}

void add_item(Router& router, const std::shared_ptr<TrackService>& svc) {
    router.add("GET", "/api/tracks/{id}",
               [svc](Context& ctx) { ctx.answer_etag(svc->get(track_id(ctx))); });
    router.add("PUT", "/api/tracks/{id}", [svc](Context& ctx) {
        int64_t id = track_id(ctx);
        ctx.answer(svc->update(id, read_track(ctx.body(), {"body"}, false)));
    });
    router.add("PUT", "/api/tracks/{id}/tags", [svc](Context& ctx) {
        int64_t id = track_id(ctx);
        ctx.answer(svc->update(id, read_track_tags(ctx.body())));
    });
    router.add("DELETE", "/api/tracks/{id}", [svc](Context& ctx) {
        svc->remove(track_id(ctx));
        ctx.no_content();
    });
}

void add_features(Router& router, const std::shared_ptr<services::AudioFeatureService>& svc) {
    const std::string path = "/api/tracks/{id}/audio-features";
    router.add("GET", path, [svc](Context& ctx) { ctx.answer(svc->get(track_id(ctx))); });
    router.add("POST", path, [svc](Context& ctx) {
        int64_t id = track_id(ctx);
        ctx.answer(svc->create(id, read_audio_features(ctx.body())), 201);
    });
    router.add("PUT", path, [svc](Context& ctx) {
        int64_t id = track_id(ctx);
        ctx.answer(svc->update(id, read_audio_features(ctx.body())));
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
