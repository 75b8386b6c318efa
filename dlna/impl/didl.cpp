#include "didl.hpp"

#include <cstdio>

#include "core/strings.hpp"
#include "profiles.hpp"
#include "services/stream.hpp"
#include "xml_text.hpp"

namespace sonique::dlna {
namespace {

constexpr const char* kHead =
    "<DIDL-Lite xmlns=\"urn:schemas-upnp-org:metadata-1-0/DIDL-Lite/\" "
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
    "xmlns:upnp=\"urn:schemas-upnp-org:metadata-1-0/upnp/\" "
    "xmlns:dlna=\"urn:schemas-dlna-org:metadata-1-0/\">";

const char* container_class(const std::string& kind) {
    if (kind == "artist") return "object.container.person.musicArtist";
    if (kind == "album") return "object.container.album.musicAlbum";
    if (kind == "genre") return "object.container.genre.musicGenre";
    if (kind == "playlist") return "object.container.playlistContainer";
    return "object.container.storageFolder";
}

void element(std::string& out, const char* name, const std::string& value) {
    if (value.empty()) return;
    out += '<';
    out += name;
    out += '>';
    append_escaped(out, value);
    out += "</";
    out += name;
    out += '>';
}

void attribute(std::string& out, const char* name, const std::string& value) {
    out += ' ';
    out += name;
    out += "=\"";
    append_escaped(out, value);
    out += '"';
}

// dc:date is an ISO 8601 date: the year tag's leading four digits, as the first of January.
std::string didl_date(const std::string& year) {
    if (year.size() < 4) return "";
    for (int i = 0; i < 4; ++i)
        if (year[static_cast<size_t>(i)] < '0' || year[static_cast<size_t>(i)] > '9') return "";
    return year.substr(0, 4) + "-01-01";
}

void art(std::string& out, const Entry& e, const PropertyFilter& f, const std::string& base) {
    if (e.art.empty() || !f.wants("upnp:albumArtURI")) return;
    out += "<upnp:albumArtURI dlna:profileID=\"JPEG_TN\">";
    append_escaped(out, base + "/dlna/art/" + e.art + "/TN.jpg");
    out += "</upnp:albumArtURI>";
}

void res(std::string& out, const Entry& e, const PropertyFilter& f, const std::string& base) {
    if (!f.wants("res")) return;
    std::string mime = services::audio_mime_type(e.file_type, e.path);
    auto profile = media_profile(mime, e.path, static_cast<long>(e.bitrate.value_or(0)));
    auto common = [&](std::string& o, std::optional<int64_t> bitrate_kbps) {
        if (e.duration_s && f.wants("res@duration"))
            attribute(o, "duration", didl_duration(*e.duration_s));
        // res@bitrate is in bytes per second (ContentDirectory:1 §2.8.2).
        if (bitrate_kbps && f.wants("res@bitrate"))
            attribute(o, "bitrate", std::to_string(*bitrate_kbps * 1000 / 8));
        if (e.sample_rate && f.wants("res@sampleFrequency"))
            attribute(o, "sampleFrequency", std::to_string(*e.sample_rate));
        if (e.channels && f.wants("res@nrAudioChannels"))
            attribute(o, "nrAudioChannels", std::to_string(*e.channels));
    };
    std::string id = std::to_string(*e.track_id);
    out += "<res";
    attribute(out, "protocolInfo", protocol_info(profile.mime, profile.pn, true, false));
    if (e.size && f.wants("res@size")) attribute(out, "size", std::to_string(*e.size));
    common(out, e.bitrate);
    if (e.bit_depth && f.wants("res@bitsPerSample"))
        attribute(out, "bitsPerSample", std::to_string(*e.bit_depth));
    out += '>';
    append_escaped(out, base + "/dlna/media/" + id);
    out += "</res>";
    if (profile.renderers_play) return;
    // The transcoded MP3 (192 kbit/s, server/transcode.hpp): no byte seek, no size.
    out += "<res";
    attribute(out, "protocolInfo", protocol_info("audio/mpeg", "MP3", false, true));
    common(out, int64_t{192});
    out += '>';
    append_escaped(out, base + "/dlna/media/" + id + "/mp3");
    out += "</res>";
}

void write_container(std::string& out, const Entry& e, const PropertyFilter& f,
                     const std::string& base) {
    out += "<container";
    attribute(out, "id", e.id);
    attribute(out, "parentID", e.parent);
    attribute(out, "restricted", "1");
    attribute(out, "searchable", e.id == "0" ? "1" : "0");
    if (e.child_count && f.wants("@childCount"))
        attribute(out, "childCount", std::to_string(*e.child_count));
    out += '>';
    element(out, "dc:title", e.title);
    element(out, "upnp:class", container_class(e.kind));
    if (e.kind == "album") {
        if (f.wants("dc:creator")) element(out, "dc:creator", e.artist);
        if (f.wants("upnp:artist")) element(out, "upnp:artist", e.artist);
        if (f.wants("dc:date")) element(out, "dc:date", didl_date(e.date));
    }
    art(out, e, f, base);
    out += "</container>";
}

void write_track(std::string& out, const Entry& e, const PropertyFilter& f,
                 const std::string& base) {
    out += "<item";
    attribute(out, "id", e.id);
    attribute(out, "parentID", e.parent);
    attribute(out, "restricted", "1");
    out += '>';
    element(out, "dc:title", e.title);
    element(out, "upnp:class", "object.item.audioItem.musicTrack");
    if (f.wants("dc:creator")) element(out, "dc:creator", e.artist);
    if (f.wants("upnp:artist")) element(out, "upnp:artist", e.artist);
    if (f.wants("upnp:album")) element(out, "upnp:album", e.album);
    if (f.wants("upnp:genre")) element(out, "upnp:genre", e.genre);
    if (f.wants("dc:date")) element(out, "dc:date", didl_date(e.date));
    if (e.track_no && f.wants("upnp:originalTrackNumber"))
        element(out, "upnp:originalTrackNumber", std::to_string(*e.track_no));
    art(out, e, f, base);
    res(out, e, f, base);
    out += "</item>";
}

}  // namespace

PropertyFilter::PropertyFilter(const std::string& filter) {
    for (auto& part : split(filter, ',')) {
        std::string p = trim(part);
        if (p == "*") all_ = true;
        if (!p.empty()) names_.insert(p);
    }
}

bool PropertyFilter::wants(const std::string& property) const {
    if (all_ || names_.count(property)) return true;
    // An attribute asked for brings its element ("res@size" brings res); res's attributes come
    // with res when the filter names no attribute of it.
    if (property == "res" || property == "upnp:albumArtURI") {
        for (const auto& n : names_)
            if (n.starts_with(property + "@")) return true;
    }
    if (property.starts_with("res@")) return names_.count("res") > 0;
    return false;
}

std::string didl_duration(int64_t seconds) {
    if (seconds < 0) seconds = 0;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld.000", static_cast<long long>(seconds / 3600),
                  static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
    return buf;
}

std::string write_didl(const std::vector<Entry>& entries, const PropertyFilter& filter,
                       const std::string& base_url) {
    std::string out = kHead;
    for (const auto& e : entries) {
        if (e.is_track) {
            write_track(out, e, filter, base_url);
        } else {
            write_container(out, e, filter, base_url);
        }
    }
    out += "</DIDL-Lite>";
    return out;
}

}  // namespace sonique::dlna
