// Internet radio stations: every user lists them, administrators create, update and delete
// them (the spec). Clients play the stream URL themselves; Sonique never fetches it.
#include "ids.hpp"
#include "json_node.hpp"
#include "methods.hpp"
#include "services/subsonic_radio.hpp"

namespace sonique::subsonic {
namespace {

// The spec's parameter is homepageUrl; its answer's field is homePageUrl: both are accepted.
services::RadioStation station(const Call& call) {
    services::RadioStation s;
    s.stream_url = call.required("streamUrl");
    s.name = call.required("name");
    s.home_page_url = call.get("homepageUrl");
    if (!s.home_page_url) s.home_page_url = call.get("homePageUrl");
    return s;
}

int64_t station_param(const Call& call) {
    auto id = parse_id(call.required("id"), IdKind::kRadio);
    if (!id) throw SubsonicError(kNotFound, "Internet radio station not found");
    return *id;
}

void get_stations(Call& call, MethodEnv& env) {
    add_json_child(call.body, "internetRadioStations",
                   services::SubsonicRadio(env.services).list().text);
}

void create_station(Call& call, MethodEnv& env) {
    call.require_admin();
    services::SubsonicRadio(env.services).create(station(call));
}

void update_station(Call& call, MethodEnv& env) {
    call.require_admin();
    int64_t id = station_param(call);
    if (!services::SubsonicRadio(env.services).update(id, station(call)))
        throw SubsonicError(kNotFound, "Internet radio station not found");
}

void delete_station(Call& call, MethodEnv& env) {
    call.require_admin();
    if (!services::SubsonicRadio(env.services).remove(station_param(call)))
        throw SubsonicError(kNotFound, "Internet radio station not found");
}

}  // namespace

void add_radio_methods(MethodTable& table) {
    table["getInternetRadioStations"] = {get_stations, true};
    table["createInternetRadioStation"] = {create_station, true};
    table["updateInternetRadioStation"] = {update_station, true};
    table["deleteInternetRadioStation"] = {delete_station, true};
}

}  // namespace sonique::subsonic
