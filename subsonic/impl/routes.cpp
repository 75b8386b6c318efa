// The dispatcher of /rest/<method>: parameters, format, protocol version, authentication, the
// method, and the one place where failures become Subsonic errors.
#include "subsonic/routes.hpp"

#include <memory>

#include "call.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "methods.hpp"

namespace sonique::subsonic {
namespace {

// A form body holds parameters only: a long playlist update is a few tens of KiB.
constexpr size_t kMaxFormBody = 1 << 20;

enum class Format { kXml, kJson, kJsonp };

struct State {
    explicit State(server::RouteEnv& env)
        : users(env.services),
          scans(env.services),
          transcodes(env.services.config.transcode_limit),
          cover_sizes(env.services),
          env{users, env.services.config, env.services, scans, transcodes, cover_sizes} {
        add_system_methods(methods);
        add_user_methods(methods);
        add_browse_methods(methods);
        add_folder_methods(methods);
        add_info_methods(methods);
        add_list_methods(methods);
        add_search_methods(methods);
        add_scan_methods(methods);
        add_media_methods(methods);
        add_cover_methods(methods);
        add_annotation_methods(methods);
        add_starred_methods(methods);
        add_playlist_methods(methods);
        add_queue_methods(methods);
        add_radio_methods(methods);
    }
    services::UserService users;
    services::ScanService scans;
    server::TranscodeSlots transcodes;
    services::CoverSizes cover_sizes;
    MethodEnv env;
    MethodTable methods;
};

// A JSONP callback is written into a script: only a dotted JavaScript identifier is accepted.
bool valid_callback(std::string_view name) {
    if (name.empty() || name.size() > 128) return false;
    for (char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '.'))
            return false;
    return !std::isdigit(static_cast<unsigned char>(name.front()));
}

// Throws SubsonicError (error answered in XML, or in JSON for a bad callback).
Format read_format(const Call& call, Format& fallback, std::string& callback) {
    auto f = call.get("f");
    if (!f || *f == "xml") return Format::kXml;
    if (*f == "json") return Format::kJson;
    if (*f == "jsonp") {
        fallback = Format::kJson;
        callback = call.required("callback");
        if (!valid_callback(callback))
            throw SubsonicError(kGeneric, "Parameter callback must be a JavaScript identifier");
        return Format::kJsonp;
    }
    throw SubsonicError(kGeneric, "Parameter f must be xml, json or jsonp");
}

// v is required (as c is) and must be 1.x: the API's major version never changed.
void check_version(const Call& call) {
    std::string v = call.required("v");
    call.required("c");
    auto parts = split(v, '.');
    auto major = parse_int(parts.front());
    if (!major || parts.size() > 3)
        throw SubsonicError(kGeneric, "Parameter v must be a version such as 1.16.1");
    if (*major < 1)
        throw SubsonicError(kClientTooOld,
                            "Incompatible Subsonic REST protocol version. Client must upgrade.");
    if (*major > 1)
        throw SubsonicError(kServerTooOld,
                            "Incompatible Subsonic REST protocol version. Server must upgrade.");
}

void authenticate(Call& call, State& st, const std::string& address) {
    services::Credentials c{call.get("u"), call.get("p"), call.get("t"), call.get("s"),
                            call.get("apiKey")};
    auto r = st.users.authenticate(c, address);
    switch (r.status) {
        case services::AuthStatus::kOk:
            call.user = std::move(r.user);
            call.roots_known = r.roots_known;
            call.roots = std::move(r.roots);
            return;
        case services::AuthStatus::kMissing:
            throw SubsonicError(kMissingParameter,
                                "Required parameter is missing: u with p or t and s, or apiKey");
        case services::AuthStatus::kConflict:
            throw SubsonicError(kConflictingMechanisms,
                                "Multiple conflicting authentication mechanisms provided");
        case services::AuthStatus::kBadApiKey:
            throw SubsonicError(kInvalidApiKey, "Invalid API key");
        case services::AuthStatus::kThrottled:
            throw SubsonicError(kWrongCredentials, "Too many failed attempts: try again in " +
                                                       std::to_string(r.retry_after_s) + " s");
        case services::AuthStatus::kWrong:
            break;
    }
    throw SubsonicError(kWrongCredentials, "Wrong username or password");
}

void run(Call& call, State& st, const std::string& name, const std::string& address) {
    auto it = st.methods.find(name);
    if (it == st.methods.end()) {
        if (is_unserved_method(name))
            throw SubsonicError(kGeneric, "Sonique does not serve " + name);
        throw SubsonicError(kGeneric, "Unknown method: " + sanitize_utf8(name.substr(0, 64)));
    }
    if (it->second.needs_auth) {
        check_version(call);
        authenticate(call, st, address);
    }
    it->second.run(call, st.env);
}

// sonique::Error from services, and anything else, as Subsonic errors.
SubsonicError as_subsonic_error() {
    try {
        throw;
    } catch (const SubsonicError& e) {
        return e;
    } catch (const Error& e) {
        switch (e.code()) {
            case ErrorCode::kNotFound:
                return {kNotFound, e.detail()};
            case ErrorCode::kBadRequest:
            case ErrorCode::kConflict:
            case ErrorCode::kInvalid:
            case ErrorCode::kTooLarge:
                return {kGeneric, e.detail()};
            case ErrorCode::kUnavailable:
                return {kGeneric, "Service unavailable, try again"};
            default:
                break;
        }
        log::error("subsonic: ", e.what());
    } catch (const std::exception& e) {
        log::error("subsonic: ", e.what());
    }
    return {kGeneric, "Internal server error"};
}

void answer(server::Context& ctx, const Node& body, bool ok, Format format,
            const std::string& callback) {
    Envelope env{ok, SONIQUE_SERVER_VERSION};
    ctx.res.status = 200;
    switch (format) {
        case Format::kXml:
            ctx.res.set_content(write_xml(body, env), "application/xml; charset=utf-8");
            return;
        case Format::kJson:
            ctx.res.set_content(write_json(body, env), "application/json; charset=utf-8");
            return;
        case Format::kJsonp:
            ctx.res.set_content("/**/" + callback + "(" + write_json(body, env) + ");",
                                "application/javascript; charset=utf-8");
            return;
    }
}

bool is_form(const httplib::Request& req) {
    return starts_with(to_lower(req.get_header_value("Content-Type")),
                       "application/x-www-form-urlencoded");
}

void handle(server::Context& ctx, State& st) {
    std::string name = ctx.path("method");
    if (name.size() > 5 && name.ends_with(".view")) name.resize(name.size() - 5);
    std::string_view target = ctx.req.target;
    auto q = target.find('?');
    std::string_view query = q == std::string_view::npos ? "" : target.substr(q + 1);
    auto parsed =
        parse_params(query, is_form(ctx.req) ? std::string_view(ctx.req.body) : "", kMaxFormBody);
    // The Range header is taken over first: error bodies must never be sliced.
    Call call{parsed.params,
              std::nullopt,
              false,
              std::nullopt,
              Node{},
              &ctx,
              server::take_ranges(ctx.req),
              false};
    Format fallback = Format::kXml;  // when f itself is refused
    std::optional<Format> format;
    std::string callback;
    try {
        format = read_format(call, fallback, callback);
        if (parsed.problem) throw SubsonicError(kGeneric, *parsed.problem);
        run(call, st, name, ctx.req.remote_addr);
        if (!call.raw) answer(ctx, call.body, true, *format, callback);
    } catch (...) {
        SubsonicError e = as_subsonic_error();
        Node body;
        Node& err = body.child("error");
        err.set("code", int64_t{e.code()}).set("message", std::string(e.what()));
        answer(ctx, body, false, format.value_or(fallback), callback);
    }
}

}  // namespace

void add_subsonic_routes(server::Router& router, server::RouteEnv& env) {
    auto state = std::make_shared<State>(env);
    for (const char* method : {"GET", "POST"})
        router.add(method, "/rest/{method}",
                   [state](server::Context& ctx) { handle(ctx, *state); });
}

}  // namespace sonique::subsonic
