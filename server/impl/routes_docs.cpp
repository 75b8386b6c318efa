// GET /api/openapi.json and the interactive documentation page /api/docs (swagger-ui-dist,
// installed from npm by the scripts).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "server/routes.hpp"

namespace sonique::server {
namespace fs = std::filesystem;
namespace {

fs::path find_swagger_dir(const std::string& configured) {
    std::vector<fs::path> candidates;
    if (!configured.empty()) candidates.emplace_back(configured);
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        for (fs::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path();
             dir = dir.parent_path())
            candidates.push_back(dir / "node_modules" / "swagger-ui-dist");
    }
    candidates.emplace_back("/usr/share/sonique/swagger-ui");
    candidates.push_back(fs::current_path(ec) / "node_modules" / "swagger-ui-dist");
    for (const auto& c : candidates)
        if (fs::exists(c / "swagger-ui-bundle.js", ec)) return c;
    return {};
}

const char* kSwaggerPage = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sonique API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({url: "/api/openapi.json", dom_id: "#swagger-ui"});</script>
</body></html>
)html";

std::string html_escape(const std::string& text) {
    std::string out;
    append_markup_escaped(out, text);
    return out;
}

// Without swagger-ui-dist: a plain page listing the operations, so the iframe is never empty.
std::string fallback_page() {
    std::ostringstream out;
    out << "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sonique "
           "API</title>"
           "</head><body><h1>Sonique API</h1><p>The interactive viewer (npm package "
           "swagger-ui-dist) is not installed; the document is at "
           "<a href=\"/api/openapi.json\">/api/openapi.json</a>.</p><ul>";
    for (auto& [path, ops] : openapi_document()["paths"].items()) {
        for (auto& [method, op] : ops.items()) {
            // Path-level keys such as "parameters" (an array) are not operations.
            if (!op.is_object()) continue;
            std::string summary = op.value("summary", "");
            out << "<li><code>";
            for (char ch : method)
                out << static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            out << " " << html_escape(path) << "</code> " << html_escape(summary) << "</li>";
        }
    }
    out << "</ul></body></html>";
    return out.str();
}

const char* mime_for(const std::string& name) {
    if (name.ends_with(".js")) return "application/javascript";
    if (name.ends_with(".css")) return "text/css";
    if (name.ends_with(".png")) return "image/png";
    if (name.ends_with(".html")) return "text/html; charset=utf-8";
    if (name.ends_with(".map")) return "application/json";
    return "application/octet-stream";
}

bool safe_asset_name(const std::string& name) {
    if (name.empty() || name[0] == '.') return false;
    for (char ch : name)
        if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '-' && ch != '_')
            return false;
    return true;
}

}  // namespace

void add_docs_routes(Router& router, RouteEnv& env) {
    router.add("GET", "/api/openapi.json", [](Context& ctx) {
        static const JsonText body = JsonText::from(openapi_document());
        ctx.answer_etag(body);
    });
    auto dir = std::make_shared<fs::path>(find_swagger_dir(env.services.config.docs_dir));
    router.add("GET", "/api/docs", [dir](Context& ctx) {
        ctx.res.set_content(dir->empty() ? fallback_page() : std::string(kSwaggerPage),
                            "text/html; charset=utf-8");
    });
    router.add("GET", "/api/docs/{asset}", [dir](Context& ctx) {
        const std::string& name = ctx.path("asset");
        std::ifstream in(*dir / name, std::ios::binary);
        if (dir->empty() || !safe_asset_name(name) || !in) throw not_found("Not Found");
        std::ostringstream data;
        data << in.rdbuf();
        ctx.res.set_header("Cache-Control", "public, max-age=86400");
        ctx.res.set_content(data.str(), mime_for(name));
    });
}

}  // namespace sonique::server
