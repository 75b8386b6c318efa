// The /dlna/* routes: who may ask (client_filter.hpp), the base URL of each answer (the Host
// the client used), the description documents and the SOAP control endpoints. Media and art
// are in media_routes.cpp.
#include "dlna/routes.hpp"

#include <memory>

#include "catalog.hpp"
#include "client_filter.hpp"
#include "control.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "description.hpp"
#include "media_routes.hpp"
#include "soap.hpp"

namespace sonique::dlna {
namespace {

constexpr const char* kXmlType = "text/xml; charset=\"utf-8\"";

// A Host header worth putting into URLs: a name or address and a port, nothing else.
bool usable_host(const std::string& host) {
    if (host.empty() || host.size() > 255) return false;
    for (char c : host)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == ':' || c == '-' ||
              c == '[' || c == ']'))
            return false;
    return true;
}

struct State {
    State(server::RouteEnv& env, ContentOptions o)
        : options(std::move(o)),
          catalog(env.services, options.system_update_id_is_library, options.tree_snapshot),
          media(env.services) {}
    ContentOptions options;
    Catalog catalog;
    MediaRoutes media;

    std::string base_url(const httplib::Request& req) const {
        std::string host = req.get_header_value("Host");
        if (usable_host(host)) return "http://" + host;
        return options.identity.base_url;
    }
};

// Refuses (403) a client outside the local networks unless the options allow it.
bool refused(server::Context& ctx, const State& st) {
    if (st.options.allow_public_clients || is_local_client(ctx.req.remote_addr)) return false;
    ctx.res.status = 403;
    ctx.res.set_content("Forbidden: DLNA answers local networks only\n", "text/plain");
    return true;
}

void xml(server::Context& ctx, int status, std::string body) {
    ctx.res.status = status;
    ctx.res.set_header("EXT", "");
    ctx.res.set_content(std::move(body), kXmlType);
}

// One SOAP request: every failure is a fault envelope with HTTP 500, never another answer.
void control(server::Context& ctx, State& st, std::string_view service) {
    try {
        auto call = parse_soap(ctx.req.body, service);
        Args out;
        if (service == kContentDirectoryType) {
            ControlEnv env{st.catalog, st.options.system_update_id, st.base_url(ctx.req)};
            out = content_directory_action(call, env);
        } else {
            out = connection_manager_action(call);
        }
        xml(ctx, 200, soap_response(service, call.action, out));
    } catch (const SoapFault& f) {
        xml(ctx, 500, soap_fault(f.code(), f.what()));
    } catch (const Error& e) {
        if (e.code() != ErrorCode::kUnavailable) log::error("dlna: ", e.what());
        xml(ctx, 500, soap_fault(kActionFailed, "Action Failed"));
    } catch (const std::exception& e) {
        log::error("dlna: ", e.what());
        xml(ctx, 500, soap_fault(kActionFailed, "Action Failed"));
    }
}

}  // namespace

void add_dlna_routes(server::Router& router, server::RouteEnv& env, ContentOptions options) {
    auto st = std::make_shared<State>(env, std::move(options));
    router.add("GET", "/dlna/description.xml", [st](server::Context& ctx) {
        if (refused(ctx, *st)) return;
        DeviceIdentity id = st->options.identity;
        id.base_url = st->base_url(ctx.req);
        EventUrls events;
        if (st->options.event_url) {
            events.content_directory = st->options.event_url(id.base_url, "ContentDirectory");
            events.connection_manager = st->options.event_url(id.base_url, "ConnectionManager");
        }
        xml(ctx, 200, device_description(id, events));
    });
    router.add("GET", "/dlna/ContentDirectory.xml", [st](server::Context& ctx) {
        if (!refused(ctx, *st)) xml(ctx, 200, std::string(content_directory_scpd()));
    });
    router.add("GET", "/dlna/ConnectionManager.xml", [st](server::Context& ctx) {
        if (!refused(ctx, *st)) xml(ctx, 200, std::string(connection_manager_scpd()));
    });
    router.add("POST", "/dlna/control/ContentDirectory", [st](server::Context& ctx) {
        if (!refused(ctx, *st)) control(ctx, *st, kContentDirectoryType);
    });
    router.add("POST", "/dlna/control/ConnectionManager", [st](server::Context& ctx) {
        if (!refused(ctx, *st)) control(ctx, *st, kConnectionManagerType);
    });
    router.add("GET", "/dlna/media/{id}", [st](server::Context& ctx) {
        if (!refused(ctx, *st)) st->media.original(ctx);
    });
    router.add("GET", "/dlna/media/{id}/mp3", [st](server::Context& ctx) {
        if (!refused(ctx, *st)) st->media.transcoded(ctx);
    });
    router.add("GET", "/dlna/art/{entity}/{size}", [st](server::Context& ctx) {
        if (!refused(ctx, *st)) st->media.art(ctx);
    });
}

}  // namespace sonique::dlna
