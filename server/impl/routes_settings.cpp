// /api/settings (api-contract.md §12).
#include "core/error.hpp"
#include "core/strings.hpp"
#include "input.hpp"
#include "server/routes.hpp"
#include "services/settings.hpp"

namespace sonique::server {
namespace {

[[noreturn]] void invalid(const std::string& field, std::string msg, std::string type) {
    throw ValidationError({"body", field}, std::move(msg), std::move(type));
}

// A key from the path or the body: non-empty, at most 255 bytes, no control characters
// (libpq parameters stop at NUL), valid UTF-8 (PostgreSQL would refuse it: a 500).
bool acceptable_key(const std::string& key) {
    if (key.empty() || key.size() > 255 || !is_valid_utf8(key)) return false;
    for (unsigned char c : key)
        if (c < 0x20 || c == 0x7f) return false;
    return true;
}

std::string path_key(Context& ctx) {
    const std::string& key = ctx.path("key");
    if (!acceptable_key(key))
        throw ValidationError({"path", "key"}, "Invalid setting key", "value_error");
    return key;
}

Json value_field(const Json& body) {
    auto value = body.find("value");
    if (value == body.end()) invalid("value", "Field required", "missing");
    if (!value->is_string() && !value->is_array() && !value->is_null())
        invalid("value", "Input should be a valid string or list", "string_type");
    if (value->is_string() && value->get<std::string>().find('\0') != std::string::npos)
        invalid("value", "String should not contain NUL characters", "string_type");
    return *value;
}

services::SettingInput setting_input(Context& ctx, bool key_required) {
    Json body = object_body(ctx);
    services::SettingInput in;
    auto key = body.find("key");
    if (key != body.end() && !key->is_null()) {
        if (!key->is_string()) invalid("key", "Input should be a valid string", "string_type");
        in.key = key->get<std::string>();
        if (!acceptable_key(in.key)) invalid("key", "Invalid setting key", "value_error");
    } else if (key_required) {
        invalid("key", "Field required", "missing");
    }
    in.value = value_field(body);
    auto description = body.find("description");
    if (description != body.end() && !description->is_null()) {
        if (!description->is_string())
            invalid("description", "Input should be a valid string", "string_type");
        in.description = description->get<std::string>();
    }
    auto encrypted = body.find("is_encrypted");
    if (encrypted != body.end() && !encrypted->is_null()) {
        if (!encrypted->is_boolean())
            invalid("is_encrypted", "Input should be a valid boolean", "bool_type");
        in.is_encrypted = encrypted->get<bool>();
        in.is_encrypted_given = true;
    }
    return in;
}

}  // namespace

void add_settings_routes(Router& router, RouteEnv& env) {
    auto settings = std::make_shared<services::SettingsService>(env.services);
    router.add("GET", "/api/settings/path-variables",
               [](Context& ctx) { ctx.json(200, services::path_variables()); });
    router.add("POST", "/api/settings/validate-path-template", [](Context& ctx) {
        auto tmpl = ctx.query("template");
        if (!tmpl) throw ValidationError({"query", "template"}, "Field required", "missing");
        ctx.json(200, Json{{"is_valid", services::valid_path_template(*tmpl)},
                           {"template", sanitize_utf8(*tmpl)}});
    });
    router.add("GET", "/api/settings", [settings](Context& ctx) { ctx.answer(settings->list()); });
    router.add("POST", "/api/settings", [settings](Context& ctx) {
        ctx.answer(settings->create(setting_input(ctx, true)));
    });
    router.add("GET", "/api/settings/{key}",
               [settings](Context& ctx) { ctx.answer(settings->get(path_key(ctx))); });
    router.add("PUT", "/api/settings/{key}", [settings](Context& ctx) {
        std::string key = path_key(ctx);
        ctx.answer(settings->update(key, setting_input(ctx, false)));
    });
}

}  // namespace sonique::server
