#pragma once
// The UPnP/DLNA media server's HTTP half (docs/dlna.md) on the main HTTP server:
//   GET  /dlna/description.xml, /dlna/ContentDirectory.xml, /dlna/ConnectionManager.xml
//   POST /dlna/control/ContentDirectory, /dlna/control/ConnectionManager   (SOAP)
//   GET  /dlna/media/{id}, /dlna/media/{id}/mp3   (HEAD too; ranges on the original)
//   GET  /dlna/art/{entity}/{size}                 (JPEG_TN and JPEG_SM album art)
// SSDP and GENA (/dlna/event/*) are not served here.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "dlna/device_identity.hpp"
#include "server/router.hpp"
#include "server/routes.hpp"

namespace sonique::dlna {

struct ContentOptions {
    // uuid and friendly_name as SSDP announces them. base_url is used only for a request
    // without a usable Host header: URLs are built from the Host the client used, so that each
    // interface's clients get an address they reach.
    DeviceIdentity identity;
    // GetSystemUpdateID's value, and the UpdateID of Search and of the Browse answers whose
    // container keeps no update id of its own (docs/dlna.md "Update ids"); called on HTTP
    // threads, so it must be thread-safe. Unset: 0.
    std::function<std::uint32_t()> system_update_id;
    // True when system_update_id is the library's counter (services::library_update_id): a
    // Browse then reads it in its page's statement instead of calling system_update_id (one
    // statement a Browse, not two). False: every such UpdateID comes from the callback.
    bool system_update_id_is_library = false;
    // The absolute eventSubURL of a service ("ContentDirectory", "ConnectionManager") for a
    // client that reached us at base_url: GENA has its own listener (docs/dlna-network.md).
    // Called on HTTP threads. Unset: base_url + "/dlna/event/<service>".
    std::function<std::string(const std::string& base_url, std::string_view service)> event_url;
    // False: only clients on loopback, private (RFC 1918, RFC 4193), link-local and CGNAT
    // addresses are answered; the others get 403.
    bool allow_public_clients = false;
    // Browse answered from an in-process snapshot of the tree while the library does not
    // change (docs/dlna.md, "The tree snapshot"); false: every page from PostgreSQL.
    bool tree_snapshot = true;
};

// Registers the routes above. Not thread-safe: call before serving. Throws nothing.
void add_dlna_routes(server::Router& router, server::RouteEnv& env, ContentOptions options);

}  // namespace sonique::dlna
