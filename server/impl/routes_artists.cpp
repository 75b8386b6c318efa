// /api/artists (api-contract.md §4).
#include "input_catalog.hpp"
#include "server/routes.hpp"
#include "services/artists.hpp"
#include "services/similarity.hpp"

namespace sonique::server {
namespace {

using services::ArtistService;

int64_t artist_id(Context& ctx) {
    return ctx.path_id("id", services::kArtistNotFound);
}

void add_collection(Router& router, const std::shared_ptr<ArtistService>& svc) {
    router.add("GET", "/api/artists", [svc](Context& ctx) {
        auto page = ctx.page();
        ctx.answer_etag(svc->list(page.skip, page.limit));
    });
    router.add("GET", "/api/artists/count", [svc](Context& ctx) { ctx.answer_etag(svc->count()); });
    router.add("GET", "/api/artists/search", [svc](Context& ctx) {
        services::ArtistSearch q;
        q.name = text_param(ctx.query("name"), "name");
        q.musicbrainz_artistid =
            text_param(ctx.query("musicbrainz_artistid"), "musicbrainz_artistid");
        q.genre = text_param(ctx.query("genre"), "genre");
        auto page = ctx.page();
        q.skip = page.skip;
        q.limit = page.limit;
        ctx.answer(svc->search(q));
    });
    router.add("POST", "/api/artists",
               [svc](Context& ctx) { ctx.answer(svc->create(read_artist(ctx.body(), true))); });
    router.add("POST", "/api/artists/batch",
               [svc](Context& ctx) { ctx.answer(svc->batch(read_artist_batch(ctx.body()))); });
}

void add_item(Router& router, const std::shared_ptr<ArtistService>& svc, RouteEnv& env) {
    router.add("GET", "/api/artists/{id}",
               [svc](Context& ctx) { ctx.answer_etag(svc->get(artist_id(ctx))); });
    router.add("PUT", "/api/artists/{id}", [svc](Context& ctx) {
        int64_t id = artist_id(ctx);
        ctx.answer(svc->update(id, read_artist(ctx.body(), false)));
    });
    router.add("DELETE", "/api/artists/{id}", [svc](Context& ctx) {
        svc->remove(artist_id(ctx));
        ctx.no_content();
    });
    router.add("GET", "/api/artists/{id}/tracks",
               [svc](Context& ctx) { ctx.answer(svc->tracks(artist_id(ctx))); });
    // Stored rows merged with the computed ones (tags, sonic): services/similarity.hpp.
    router.add("GET", "/api/artists/{id}/similar", [similarity = env.similarity](Context& ctx) {
        int64_t id = artist_id(ctx);
        ctx.answer(similarity->similar_artists(id, ctx.query_int("limit", 1, 50).value_or(10)));
    });
    // One relation as an object, or relations by name as a list.
    router.add("POST", "/api/artists/{id}/similar", [svc](Context& ctx) {
        int64_t id = artist_id(ctx);
        Json body = ctx.body();
        ctx.answer(body.is_array() ? svc->add_similar(id, read_similar_by_name(body))
                                   : svc->add_similar(id, read_similar_artist(body)));
    });
    router.add("PUT", "/api/artists/{id}/lastfm-info", [svc](Context& ctx) {
        int64_t id = artist_id(ctx);
        ctx.answer(svc->set_lastfm_info(id, read_lastfm_info(ctx.body())));
    });
}

}  // namespace

void add_artist_routes(Router& router, RouteEnv& env) {
    auto svc = std::make_shared<ArtistService>(env.services);
    add_collection(router, svc);
    add_item(router, svc, env);
}

}  // namespace sonique::server
