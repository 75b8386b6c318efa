// /api/artists (api.md §4).
#include "server/routes.hpp"
#include "services/artists.hpp"
#include "services/shapes_input.hpp"

namespace sonique::server {
namespace {

using services::ArtistService;

int64_t artist_id(Context& ctx) {
    return services::entity_id(ctx.path("id"), "id", services::kArtistNotFound);
}

void answer(Context& ctx, const std::string& json_text) {
    ctx.res.status = 200;
    ctx.res.set_content(json_text, "application/json");
}

void add_collection(Router& router, const std::shared_ptr<ArtistService>& svc) {
    router.add("GET", "/api/artists", [svc](Context& ctx) {
        auto page = ctx.page();
        ctx.json_etag(svc->list(page.skip, page.limit));
    });
    router.add("GET", "/api/artists/count", [svc](Context& ctx) { ctx.json_etag(svc->count()); });
    router.add("GET", "/api/artists/search", [svc](Context& ctx) {
        services::ArtistSearch q;
        q.name = services::text_param(ctx.query("name"), "name");
        q.musicbrainz_artistid =
            services::text_param(ctx.query("musicbrainz_artistid"), "musicbrainz_artistid");
        q.genre = services::text_param(ctx.query("genre"), "genre");
        auto page = ctx.page();
        q.skip = page.skip;
        q.limit = page.limit;
        answer(ctx, svc->search(q));
    });
    router.add("POST", "/api/artists",
               [svc](Context& ctx) { answer(ctx, svc->create(ctx.body())); });
    router.add("POST", "/api/artists/batch",
               [svc](Context& ctx) { answer(ctx, svc->batch(ctx.body())); });
}

void add_item(Router& router, const std::shared_ptr<ArtistService>& svc) {
    router.add("GET", "/api/artists/{id}",
               [svc](Context& ctx) { ctx.json_etag(svc->get(artist_id(ctx))); });
    router.add("PUT", "/api/artists/{id}", [svc](Context& ctx) {
        int64_t id = artist_id(ctx);
        answer(ctx, svc->update(id, ctx.body()));
    });
    router.add("DELETE", "/api/artists/{id}", [svc](Context& ctx) {
        svc->remove(artist_id(ctx));
        ctx.no_content();
    });
    router.add("GET", "/api/artists/{id}/tracks",
               [svc](Context& ctx) { answer(ctx, svc->tracks(artist_id(ctx))); });
    router.add("GET", "/api/artists/{id}/similar", [svc](Context& ctx) {
        int64_t id = artist_id(ctx);
        answer(ctx, svc->similar(id, ctx.query_int("limit", 1, 50).value_or(10)));
    });
    router.add("POST", "/api/artists/{id}/similar", [svc](Context& ctx) {
        int64_t id = artist_id(ctx);
        ctx.json(200, svc->add_similar(id, ctx.body()));
    });
    router.add("PUT", "/api/artists/{id}/lastfm-info", [svc](Context& ctx) {
        int64_t id = artist_id(ctx);
        ctx.json(200, svc->set_lastfm_info(id, ctx.body()));
    });
}

}  // namespace

void add_artist_routes(Router& router, RouteEnv& env) {
    auto svc = std::make_shared<ArtistService>(env.services);
    add_collection(router, svc);
    add_item(router, svc);
}

}  // namespace sonique::server
