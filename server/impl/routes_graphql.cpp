// POST /api/graphql (GraphQL over HTTP: {query, variables?, operationName?}) and GET, a small
// self-contained query page. Query mistakes are answered 200 with {"errors": [...]}, as the
// GraphQL specification says; only a body that is not a GraphQL request at all is a 400.
#include "core/error.hpp"
#include "server/routes.hpp"
#include "services/graphql_library.hpp"

namespace sonique::server {
namespace {

const char* kPage = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sonique GraphQL</title>
<style>body{font-family:sans-serif;margin:1em}textarea{width:100%;font-family:monospace}
pre{background:#f4f4f4;padding:1em;overflow:auto}</style></head>
<body><h1>Sonique GraphQL</h1>
<p>POST /api/graphql with {"query", "variables", "operationName"}. Introspection is enabled.</p>
<label>Query<br><textarea id="q" rows="14">query GetArtistDetails($artistId: Int!) {
  artist(id: $artistId) {
    id name covers { url }
    albums { id title releaseYear covers { url } tracks { id trackNumber title duration } }
  }
}</textarea></label>
<label>Variables (JSON)<br><textarea id="v" rows="3">{"artistId": 1}</textarea></label>
<p><button id="run">Run</button></p><pre id="out"></pre>
<script>
document.getElementById('run').onclick = async function () {
  var out = document.getElementById('out'), vars = {};
  try { vars = JSON.parse(document.getElementById('v').value || '{}'); }
  catch (e) { out.textContent = 'Variables are not JSON: ' + e; return; }
  var res = await fetch('/api/graphql', {method: 'POST', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({query: document.getElementById('q').value, variables: vars})});
  out.textContent = JSON.stringify(await res.json(), null, 2);
};
</script></body></html>
)html";

void bad_request(Context& ctx, const std::string& message) {
    ctx.json(400, Json{{"errors", Json::array({Json{{"message", message}}})}});
}

}  // namespace

void add_graphql_routes(Router& router, RouteEnv& env) {
    auto service = std::make_shared<services::GraphqlService>(env.services, env.similarity);
    router.add("POST", "/api/graphql", [service](Context& ctx) {
        Json body;
        try {
            body = parse_json(ctx.req.body);
        } catch (const ValidationError&) {
            return bad_request(ctx, "The request body is not valid JSON.");
        }
        if (!body.is_object() || !body.contains("query") || !body["query"].is_string())
            return bad_request(ctx, "The request body must be an object with a \"query\" string.");
        graphql::Request req;
        req.query = body["query"].get<std::string>();
        Json vars = body.value("variables", Json());
        if (!vars.is_null() && !vars.is_object())
            return bad_request(ctx, "\"variables\" must be an object.");
        req.variables = vars.is_null() ? Json::object() : vars;
        Json op = body.value("operationName", Json());
        if (!op.is_null() && !op.is_string())
            return bad_request(ctx, "\"operationName\" must be a string.");
        if (op.is_string()) req.operation_name = op.get<std::string>();
        // Query answers come from the cache when they can and carry an ETag (304 on a match).
        auto answer = service->answer(req);
        if (answer.cacheable) return ctx.answer_etag(answer.body);
        ctx.answer(answer.body);
    });
    router.add("GET", "/api/graphql", [](Context& ctx) {
        ctx.res.status = 200;
        ctx.res.set_content(kPage, "text/html; charset=utf-8");
    });
}

}  // namespace sonique::server
