// /api/covers (api.md §8): image bytes for <img src>, and the cover metadata CRUD.
#include "core/error.hpp"
#include "server/routes.hpp"
#include "services/covers.hpp"

namespace sonique::server {
namespace {

using services::CoverService;

[[noreturn]] void invalid_field(const std::string& field, std::string msg, std::string type) {
    throw ValidationError({"body", field}, std::move(msg), std::move(type));
}

std::optional<std::string> optional_string(const Json& body, const std::string& field) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) invalid_field(field, "Input should be a valid string", "string_type");
    return it->get<std::string>();
}

std::string required_string(const Json& body, const std::string& field) {
    if (!body.contains(field)) invalid_field(field, "Field required", "missing");
    auto value = optional_string(body, field);
    if (!value) invalid_field(field, "Input should be a valid string", "string_type");
    return *value;
}

int64_t required_id(const Json& body, const std::string& field) {
    auto it = body.find(field);
    if (it == body.end()) invalid_field(field, "Field required", "missing");
    if (it->is_number_integer()) return it->get<int64_t>();
    invalid_field(field, "Input should be a valid integer", "int_type");
}

Json object_body(Context& ctx) {
    Json body = ctx.body();
    if (!body.is_object())
        throw ValidationError({"body"}, "Input should be a valid dictionary", "dict_type");
    return body;
}

services::CoverInput cover_input(const Json& body) {
    services::CoverInput input;
    input.cover_data = required_string(body, "cover_data");
    optional_string(body, "mime_type");  // validated; the stored type is always the WebP's
    input.url = optional_string(body, "url");
    return input;
}

void serve_image(Context& ctx, CoverService& covers) {
    auto image = covers.image(ctx.path("entity_type"), ctx.path_id("entity_id"));
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
               [](Context& ctx) { ctx.json(200, CoverService::schema()); });
    router.add("GET", "/api/covers/types",
               [](Context& ctx) { ctx.json(200, CoverService::types()); });
    router.add("GET", "/api/covers",
               [covers](Context& ctx) { ctx.json(200, covers->list(ctx.query("entity_type"))); });
    router.add("POST", "/api/covers", [covers](Context& ctx) {
        Json body = object_body(ctx);
        std::string type = required_string(body, "entity_type");
        if (!services::is_cover_entity_type(type))
            invalid_field("entity_type", "Input should be 'artist', 'album' or 'track'",
                          "literal_error");
        int64_t id = required_id(body, "entity_id");
        ctx.json(200, covers->upsert(type, id, cover_input(body)));
    });
    router.add("GET", "/api/covers/{entity_type}/{entity_id}",
               [covers](Context& ctx) { serve_image(ctx, *covers); });
    router.add("PUT", "/api/covers/{entity_type}/{entity_id}", [covers](Context& ctx) {
        const std::string& type = ctx.path("entity_type");
        int64_t id = ctx.path_id("entity_id");
        if (!services::is_cover_entity_type(type))
            throw ValidationError({"path", "entity_type"},
                                  "Input should be 'artist', 'album' or 'track'", "literal_error");
        ctx.json(200, covers->upsert(type, id, cover_input(object_body(ctx))));
    });
    router.add("DELETE", "/api/covers/{entity_type}/{entity_id}", [covers](Context& ctx) {
        covers->remove(ctx.path("entity_type"), ctx.path_id("entity_id"));
        ctx.json(200, Json{{"status", "success"}});
    });
}

}  // namespace sonique::server
