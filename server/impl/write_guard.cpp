// WriteGuard: SONIQUE_API_WRITE_KEY_REQUIRED. Keys are checked by UserService::authenticate, as
// the OpenSubsonic apiKey parameter is: hashed, compared in constant time, failures throttled
// per address and logged without the key.
#include "server/write_guard.hpp"

#include "core/json.hpp"
#include "core/strings.hpp"
#include "graphql/parser.hpp"
#include "server/http_server.hpp"
#include "services/users.hpp"

namespace sonique::server {
namespace {

bool is_write(const std::string& method) {
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

void refuse(Context& ctx, int status, const std::string& detail) {
    if (status == 401) ctx.res.set_header("WWW-Authenticate", "Bearer");
    write_detail(ctx.res, status, detail);
}

}  // namespace

std::string presented_api_key(const httplib::Request& req) {
    if (req.has_header("X-API-Key")) return trim(req.get_header_value("X-API-Key"));
    std::string auth = req.get_header_value("Authorization");
    if (auth.size() > 7 && to_lower(auth.substr(0, 7)) == "bearer ") return trim(auth.substr(7));
    return {};
}

bool graphql_body_is_read(const std::string& body) {
    try {
        Json request = parse_json(body);
        if (!request.is_object() || !request.contains("query") || !request["query"].is_string())
            return false;
        auto document = graphql::parse(request["query"].get<std::string>());
        for (const auto& op : document.operations)
            if (op.type != "query") return false;
        return !document.operations.empty();
    } catch (const std::exception&) {
        // Not JSON, not GraphQL, past the parser's limits: not known to be a read, so it needs
        // the key (the check fails closed should the engine's limits ever differ from these).
        return false;
    }
}

WriteGuard::WriteGuard(services::ServiceContext& ctx)
    : enabled_(ctx.config.api_write_key_required) {
    if (enabled_) users_ = std::make_shared<services::UserService>(ctx);
}

WriteGuard::~WriteGuard() = default;

// POST routes that only read (queries sent as bodies): the search layer's (contract §13).
static bool is_read_only_post(const std::string& method, const std::string& path) {
    return method == "POST" &&
           (path == "/api/search/" || path == "/api/search" || path == "/api/embeddings/search" ||
            path == "/api/tracks/{id}/embeddings/search-similar");
}

Handler WriteGuard::wrap(const std::string& method, const std::string& path, Handler handler) {
    if (!enabled_ || !is_write(method) || !starts_with(path, "/api/") ||
        is_read_only_post(method, path))
        return handler;
    const bool graphql = path == "/api/graphql";
    return [users = users_, graphql, handler = std::move(handler)](Context& ctx) {
        if (graphql && graphql_body_is_read(ctx.req.body)) return handler(ctx);
        if (allowed(*users, ctx)) handler(ctx);
    };
}

bool WriteGuard::allowed(services::UserService& users, Context& ctx) {
    std::string key = presented_api_key(ctx.req);
    if (key.empty()) {
        refuse(ctx, 401, "API key required: send an administrator's key in the X-API-Key header");
        return false;
    }
    services::Credentials credentials;
    credentials.api_key = std::move(key);
    auto result = users.authenticate(credentials, ctx.req.remote_addr);
    switch (result.status) {
        case services::AuthStatus::kOk:
            if (result.user && result.user->roles.admin) return true;
            refuse(ctx, 403, "This API key's user is not an administrator");
            return false;
        case services::AuthStatus::kThrottled:
            ctx.res.set_header("Retry-After", std::to_string(result.retry_after_s));
            refuse(ctx, 401,
                   "Too many failed attempts: try again in " +
                       std::to_string(result.retry_after_s) + " s");
            return false;
        default:
            refuse(ctx, 401, "Invalid API key");
            return false;
    }
}

}  // namespace sonique::server
