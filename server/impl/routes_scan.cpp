// /api/scan, /api/scan-sessions, /api/tasks/status (api-contract.md §10).
#include "core/error.hpp"
#include "server/routes.hpp"
#include "services/scan.hpp"

namespace sonique::server {
namespace {

struct ScanBody {
    std::optional<std::string> directory;
    bool cleanup_deleted = true;  // removing tracks whose files are gone is the useful default
};

ScanBody scan_body(Context& ctx) {
    Json body = ctx.body_or_empty();
    if (body.is_null()) body = Json::object();
    if (!body.is_object())
        throw ValidationError({"body"}, "Input should be a valid dictionary", "dict_type");
    std::vector<ValidationIssue> issues;
    ScanBody out;
    for (const auto& [key, value] : body.items()) {
        if (key == "directory") {
            if (value.is_string() && value.get<std::string>().find('\0') == std::string::npos)
                out.directory = value.get<std::string>();
            else if (!value.is_null())
                issues.push_back({{"body", key}, "Input should be a valid string", "string_type"});
        } else if (key == "cleanup_deleted") {
            if (value.is_boolean())
                out.cleanup_deleted = value.get<bool>();
            else if (!value.is_null())
                issues.push_back({{"body", key}, "Input should be a valid boolean", "bool_type"});
        } else {
            issues.push_back({{"body", key}, "Extra inputs are not permitted", "extra_forbidden"});
        }
    }
    if (!issues.empty()) throw ValidationError(std::move(issues));
    return out;
}

void post_scan(services::ScanService& scans, Context& ctx) {
    ScanBody body = scan_body(ctx);
    std::string dir = scans.resolve_directory(body.directory);
    auto started = scans.start(dir, body.cleanup_deleted);
    if (started.resumed) {
        ctx.json(
            201,
            Json{{"task_id", started.task_id}, {"status", "Scan déjà en cours"}, {"resume", true}});
        return;
    }
    ctx.json(201, Json{{"task_id", started.task_id},
                       {"status", "Scan lancé avec succès sur " + started.directory}});
}

}  // namespace

void add_scan_routes(Router& router, RouteEnv& env) {
    auto scans = std::make_shared<services::ScanService>(env.services);
    router.add("POST", "/api/scan", [scans](Context& ctx) { post_scan(*scans, ctx); });
    router.add("GET", "/api/scan-sessions",
               [scans](Context& ctx) { ctx.answer(scans->list_sessions()); });
    router.add("GET", "/api/scan-sessions/{id}",
               [scans](Context& ctx) { ctx.answer(scans->get_session(ctx.path_id("id"))); });
    router.add("DELETE", "/api/scan-sessions/{id}", [scans](Context& ctx) {
        scans->delete_session(ctx.path_id("id"));
        ctx.json(200, Json{{"message", "Scan session deleted"}});
    });
    router.add("GET", "/api/scan-sessions/{id}/errors", [scans](Context& ctx) {
        Page page = ctx.page();
        ctx.answer(scans->session_errors(ctx.path_id("id"), page.skip, page.limit));
    });
    router.add("GET", "/api/tasks/status/{task_id}",
               [scans](Context& ctx) { ctx.answer(scans->task_status(ctx.path("task_id"))); });
}

}  // namespace sonique::server
