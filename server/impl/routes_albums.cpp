// /api/albums (api.md §5).
#include "server/routes.hpp"
#include "services/albums.hpp"
#include "services/artists.hpp"
#include "services/shapes_input.hpp"

namespace sonique::server {
namespace {

using services::AlbumService;

int64_t album_id(Context& ctx) {
    return services::entity_id(ctx.path("id"), "id", services::kAlbumNotFound);
}

void answer(Context& ctx, int status, const std::string& json_text) {
    ctx.res.status = status;
    ctx.res.set_content(json_text, "application/json");
}

void add_collection(Router& router, const std::shared_ptr<AlbumService>& svc) {
    router.add("GET", "/api/albums", [svc](Context& ctx) {
        auto page = ctx.page();
        ctx.json_etag(svc->list(page.skip, page.limit));
    });
    router.add("GET", "/api/albums/search", [svc](Context& ctx) {
        services::AlbumSearch q;
        q.title = services::text_param(ctx.query("title"), "title");
        q.musicbrainz_albumid =
            services::text_param(ctx.query("musicbrainz_albumid"), "musicbrainz_albumid");
        q.artist_id = ctx.query_int("artist_id", INT64_MIN, INT64_MAX);
        auto page = ctx.page();
        q.skip = page.skip;
        q.limit = page.limit;
        answer(ctx, 200, svc->search(q));
    });
    router.add("POST", "/api/albums",
               [svc](Context& ctx) { answer(ctx, 201, svc->create(ctx.body())); });
    router.add("POST", "/api/albums/batch",
               [svc](Context& ctx) { answer(ctx, 200, svc->batch(ctx.body())); });
    router.add("GET", "/api/albums/artists/{artist_id}", [svc](Context& ctx) {
        int64_t id =
            services::entity_id(ctx.path("artist_id"), "artist_id", services::kArtistNotFound);
        answer(ctx, 200, svc->by_artist(id));
    });
}

void add_item(Router& router, const std::shared_ptr<AlbumService>& svc) {
    router.add("GET", "/api/albums/{id}",
               [svc](Context& ctx) { ctx.json_etag(svc->get(album_id(ctx))); });
    router.add("GET", "/api/albums/{id}/tracks",
               [svc](Context& ctx) { ctx.json_etag(svc->tracks(album_id(ctx))); });
    router.add("PUT", "/api/albums/{id}", [svc](Context& ctx) {
        int64_t id = album_id(ctx);
        answer(ctx, 200, svc->update(id, ctx.body()));
    });
    router.add("DELETE", "/api/albums/{id}", [svc](Context& ctx) {
        svc->remove(album_id(ctx));
        ctx.no_content();
    });
}

}  // namespace

void add_album_routes(Router& router, RouteEnv& env) {
    auto svc = std::make_shared<AlbumService>(env.services);
    add_collection(router, svc);
    add_item(router, svc);
}

}  // namespace sonique::server
