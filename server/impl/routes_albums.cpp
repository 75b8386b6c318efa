// /api/albums (api-contract.md §5).
#include "input_catalog.hpp"
#include "server/routes.hpp"
#include "services/albums.hpp"
#include "services/artists.hpp"

namespace sonique::server {
namespace {

using services::AlbumService;

int64_t album_id(Context& ctx) {
    return ctx.path_id("id", services::kAlbumNotFound);
}

void add_collection(Router& router, const std::shared_ptr<AlbumService>& svc) {
    router.add("GET", "/api/albums", [svc](Context& ctx) {
        auto page = ctx.page();
        ctx.answer_etag(svc->list(page.skip, page.limit));
    });
    router.add("GET", "/api/albums/search", [svc](Context& ctx) {
        services::AlbumSearch q;
        q.title = text_param(ctx.query("title"), "title");
        q.musicbrainz_albumid = text_param(ctx.query("musicbrainz_albumid"), "musicbrainz_albumid");
        q.artist_id = ctx.query_int("artist_id", INT64_MIN, INT64_MAX);
        auto page = ctx.page();
        q.skip = page.skip;
        q.limit = page.limit;
        ctx.answer(svc->search(q));
    });
    router.add("POST", "/api/albums", [svc](Context& ctx) {
        ctx.answer(svc->create(read_album(ctx.body(), {"body"}, true)), 201);
    });
    router.add("POST", "/api/albums/batch",
               [svc](Context& ctx) { ctx.answer(svc->batch(read_album_batch(ctx.body()))); });
    router.add("GET", "/api/albums/artists/{artist_id}", [svc](Context& ctx) {
        ctx.answer(svc->by_artist(ctx.path_id("artist_id", services::kArtistNotFound)));
    });
}

void add_item(Router& router, const std::shared_ptr<AlbumService>& svc) {
    router.add("GET", "/api/albums/{id}",
               [svc](Context& ctx) { ctx.answer_etag(svc->get(album_id(ctx))); });
    router.add("GET", "/api/albums/{id}/tracks",
               [svc](Context& ctx) { ctx.answer_etag(svc->tracks(album_id(ctx))); });
    router.add("PUT", "/api/albums/{id}", [svc](Context& ctx) {
        int64_t id = album_id(ctx);
        ctx.answer(svc->update(id, read_album(ctx.body(), {"body"}, false)));
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
