// /api/covers (api-contract.md §8): image bytes for <img src>, and the cover metadata CRUD.
#include "core/error.hpp"
#include "input.hpp"
#include "server/routes.hpp"
#include "services/covers.hpp"

namespace sonique::server {
namespace {

using services::CoverService;

constexpr const char* kEntityTypes = "Input should be 'artist', 'album' or 'track'";

// An entity type from the path or the query (where: "path" or "query"): 422 unless artist, album
// or track.
const std::string& entity_type(const std::string& type, const char* where) {
    if (!services::is_cover_entity_type(type))
        throw ValidationError({where, "entity_type"}, kEntityTypes, "literal_error");
    return type;
}

// The item routes' {entity_type}/{entity_id}: the id is read first, as it always was.
std::pair<std::string, int64_t> entity(Context& ctx) {
    int64_t id = ctx.path_id("entity_id");
    return {entity_type(ctx.path("entity_type"), "path"), id};
}

// cover_data (required), mime_type and url, read as every other body is (Fields: "5" and 5.0
// are the id 5, problems are reported together). Call f.check() afterwards.
services::CoverInput cover_input(Fields& f) {
    services::CoverInput input;
    input.cover_data = f.text("cover_data", true).value_or("");
    f.text("mime_type");  // validated; the stored type is always the WebP's
    input.url = f.text("url");
    return input;
}

void serve_image(Context& ctx, CoverService& covers) {
    // An id no entity can have gets the placeholder, as an unknown one does.
    auto [type, id] = entity(ctx);
    auto image = covers.image(type, id);
    const std::string etag = "\"" + image.sha256 + "\"";
    ctx.res.set_header("ETag", etag);
    // The placeholder is replaced as soon as a cover is stored: let browsers ask again soon.
    ctx.res.set_header("Cache-Control",
                       image.placeholder ? "public, max-age=300" : "public, max-age=86400");
    if (etag_matches(ctx.req, etag)) {
        ctx.res.status = 304;
        return;
    }
    ctx.res.status = 200;
    ctx.res.set_content(image.data, image.mime_type.c_str());
}

}  // namespace

void add_covers_routes(Router& router, RouteEnv& env) {
    auto covers = std::make_shared<CoverService>(env.services);
    router.add("GET", "/api/covers/schema",
               [](Context& ctx) { ctx.answer(CoverService::schema()); });
    router.add("GET", "/api/covers/types", [](Context& ctx) { ctx.answer(CoverService::types()); });
    router.add("GET", "/api/covers", [covers](Context& ctx) {
        auto type = ctx.query("entity_type");
        if (type && type->empty()) type.reset();  // ?entity_type= : no filter
        if (type) entity_type(*type, "query");
        ctx.answer(covers->list(type));
    });
    router.add("POST", "/api/covers", [covers](Context& ctx) {
        Json body = object_body(ctx);
        Fields f(body, {"body"});
        auto type = f.text("entity_type", true);
        if (type && !services::is_cover_entity_type(*type))
            f.add_issue("entity_type", kEntityTypes, "literal_error");
        auto id = f.integer("entity_id", true);
        auto input = cover_input(f);
        f.check();
        ctx.answer(covers->upsert(*type, *id, input));
    });
    router.add("GET", "/api/covers/{entity_type}/{entity_id}",
               [covers](Context& ctx) { serve_image(ctx, *covers); });
    router.add("PUT", "/api/covers/{entity_type}/{entity_id}", [covers](Context& ctx) {
        auto [type, id] = entity(ctx);
        Json body = object_body(ctx);
        Fields f(body, {"body"});
        auto input = cover_input(f);
        f.check();
        ctx.answer(covers->upsert(type, id, input));
    });
    router.add("DELETE", "/api/covers/{entity_type}/{entity_id}", [covers](Context& ctx) {
        auto [type, id] = entity(ctx);
        covers->remove(type, id);
        ctx.json(200, Json{{"status", "success"}});
    });
}

}  // namespace sonique::server
