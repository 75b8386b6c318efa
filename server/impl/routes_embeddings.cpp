// Track embeddings and vector search (api-contract.md §13).
#include <cfloat>
#include <cmath>

#include "input.hpp"
#include "server/routes.hpp"
#include "services/embeddings.hpp"
#include "services/tracks.hpp"

namespace sonique::server {
namespace {

using services::EmbeddingInput;
using services::EmbeddingService;
using services::VectorQuery;

// Larger vectors are refused: no embedding model comes near, and one row stays small.
constexpr size_t kMaxDimension = 65536;

// A non-empty list of finite numbers that fit in a float (NaN and infinities cannot be written
// in JSON; 1e39 can, and is infinite as a float).
std::vector<float> read_vector(Fields& f, const char* key, bool required) {
    std::vector<float> out;
    if (f.is_null(key)) {
        if (required) f.add_issue(key, "Field required", "missing");
        return out;
    }
    const Json& v = f.object()[key];
    if (!v.is_array()) {
        f.add_issue(key, "Input should be a valid list", "list_type");
        return out;
    }
    if (v.empty() || v.size() > kMaxDimension) {
        f.add_issue(key,
                    v.empty() ? "List should have at least 1 item after validation, not 0"
                              : "List should have at most 65536 items",
                    v.empty() ? "too_short" : "too_long");
        return out;
    }
    out.reserve(v.size());
    for (const auto& x : v) {
        if (!x.is_number()) {
            f.add_issue(key, "Input should be a list of numbers", "float_type");
            return {};
        }
        double d = x.get<double>();
        if (!std::isfinite(d) || std::fabs(d) > FLT_MAX) {
            f.add_issue(key, "Input should be a finite number", "finite_number");
            return {};
        }
        out.push_back(static_cast<float>(d));
    }
    return out;
}

std::string read_type(Fields& f) {
    auto t = f.text("embedding_type").value_or("semantic");
    if (t.empty())
        f.add_issue("embedding_type", "String should have at least 1 character",
                    "string_too_short");
    return t;
}

int64_t read_limit(Fields& f) {
    auto limit = f.integer("limit");
    if (limit && (*limit < 1 || *limit > 100)) {
        f.add_issue("limit",
                    *limit < 1 ? "Input should be greater than or equal to 1"
                               : "Input should be less than or equal to 100",
                    *limit < 1 ? "greater_than_equal" : "less_than_equal");
    }
    return limit.value_or(10);
}

void answer_search(Context& ctx, const JsonText& body, const std::string& index) {
    ctx.res.set_header("X-Sonique-Index", index);
    ctx.answer(body);
}

void add_track_embeddings(Router& router, const std::shared_ptr<EmbeddingService>& svc) {
    auto track_id = [](Context& ctx) { return ctx.path_id("id", services::kTrackNotFound); };
    router.add("GET", "/api/tracks/{id}/embeddings", [svc, track_id](Context& ctx) {
        int64_t id = track_id(ctx);
        ctx.answer(svc->list(id, text_param(ctx.query("embedding_type"), "embedding_type")));
    });
    router.add("GET", "/api/tracks/{id}/embeddings/{type}", [svc, track_id](Context& ctx) {
        int64_t id = track_id(ctx);
        ctx.answer(svc->get(id, ctx.path("type")));
    });
    router.add("POST", "/api/tracks/{id}/embeddings", [svc, track_id](Context& ctx) {
        int64_t id = track_id(ctx);
        Json body = object_body(ctx);
        Fields f(body, {"body"});
        auto body_track = f.integer("track_id");
        EmbeddingInput in;
        in.embedding_type = read_type(f);
        in.vector = read_vector(f, "vector", true);
        in.embedding_source = f.text("embedding_source");
        in.embedding_model = f.text("embedding_model");
        f.check();
        if (body_track && *body_track != id)
            throw bad_request("track_id du corps différent de celui du chemin");
        ctx.answer(svc->put(id, in, false), 201);
    });
    router.add("PUT", "/api/tracks/{id}/embeddings/{type}", [svc, track_id](Context& ctx) {
        int64_t id = track_id(ctx);
        Json body = object_body(ctx);
        Fields f(body, {"body"});
        EmbeddingInput in;
        in.embedding_type = ctx.path("type");
        in.vector = read_vector(f, "vector", true);
        in.embedding_source = f.text("embedding_source");
        in.embedding_model = f.text("embedding_model");
        f.check();
        ctx.answer(svc->put(id, in, true));
    });
    router.add("DELETE", "/api/tracks/{id}/embeddings/{type}", [svc, track_id](Context& ctx) {
        int64_t id = track_id(ctx);
        svc->remove(id, ctx.path("type"));
        ctx.no_content();
    });
    router.add("POST", "/api/tracks/{id}/embeddings/search-similar", [svc, track_id](Context& ctx) {
        int64_t id = track_id(ctx);
        Json body = ctx.body_or_empty();
        Fields f(body, {"body"});
        VectorQuery q;
        q.embedding_type = read_type(f);
        q.limit = read_limit(f);
        bool exclude_self = f.boolean("exclude_self").value_or(true);
        f.check();
        std::string index;
        auto out = svc->search_similar(id, q, exclude_self, &index);
        answer_search(ctx, out, index);
    });
}

}  // namespace

void add_embedding_routes(Router& router, RouteEnv& env) {
    auto svc = std::make_shared<EmbeddingService>(env.services, env.similarity);
    add_track_embeddings(router, svc);
    router.add("POST", "/api/embeddings/search", [svc](Context& ctx) {
        Json body = object_body(ctx);
        Fields f(body, {"body"});
        VectorQuery q;
        q.query_vector = read_vector(f, "query_vector", true);
        q.embedding_type = read_type(f);
        q.limit = read_limit(f);
        q.min_similarity = f.number("min_similarity");
        if (!f.is_null("exclude_track_ids")) {
            const Json& ex = body["exclude_track_ids"];
            if (!ex.is_array()) {
                f.add_issue("exclude_track_ids", "Input should be a valid list", "list_type");
            } else {
                for (const auto& x : ex) {
                    if (!x.is_number_integer()) {
                        f.add_issue("exclude_track_ids", "Input should be a list of integers",
                                    "int_type");
                        break;
                    }
                    q.exclude_track_ids.push_back(x.get<int64_t>());
                }
            }
        }
        f.check();
        std::string index;
        auto out = svc->search(q, &index);
        answer_search(ctx, out, index);
    });
    // "More like this" from the best vector set the track has (docs/search.md).
    router.add("GET", "/api/tracks/{id}/similar", [svc](Context& ctx) {
        int64_t id = ctx.path_id("id", services::kTrackNotFound);
        int64_t limit = ctx.query_int("limit", 1, 100).value_or(10);
        bool distinct = ctx.query_bool("distinct_artists").value_or(false);
        ctx.answer(svc->similar_tracks(id, limit, distinct));
    });
    router.add("GET", "/api/embeddings/statistics",
               [svc](Context& ctx) { ctx.answer(svc->statistics()); });
}

}  // namespace sonique::server
