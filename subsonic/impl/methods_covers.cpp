// getCoverArt: the stored normalised cover (services::CoverService, as GET /api/covers serves
// it) of an album, an artist, or a track (its album's, else its own). `size` is accepted but
// not applied yet: the stored image is returned whatever the size asked (docs/subsonic.md).
#include "core/strings.hpp"
#include "ids.hpp"
#include "methods.hpp"
#include "server/context.hpp"
#include "services/covers.hpp"
#include "services/subsonic_catalog.hpp"

namespace sonique::subsonic {
namespace {

[[noreturn]] void not_found() {
    throw SubsonicError(kNotFound, "Cover art not found");
}

// The cover of the entity `id` names. Throws SubsonicError 70 for an id of another kind or of
// no entity; an entity without a cover gets the placeholder, as on GET /api/covers.
services::CoverBytes cover_of(const std::string& id, MethodEnv& env) {
    services::SubsonicCatalog catalog(env.services);
    services::CoverService covers(env.services);
    // A stored cover answers at once (the hot path, cached by CoverService); only the
    // placeholder needs to know whether the entity exists.
    if (auto album = parse_id(id, IdKind::kAlbum)) {
        auto image = covers.image("album", *album);
        if (image.placeholder && !catalog.album_exists(*album)) not_found();
        return image;
    }
    if (auto artist = parse_id(id, IdKind::kArtist)) {
        auto image = covers.image("artist", *artist);
        if (image.placeholder && !catalog.artist_exists(*artist)) not_found();
        return image;
    }
    if (auto track = parse_id(id, IdKind::kTrack)) {
        auto album = catalog.album_of_track(*track);
        if (!album) not_found();
        if (*album != 0) {
            auto image = covers.image("album", *album);
            if (!image.placeholder) return image;
        }
        return covers.image("track", *track);
    }
    not_found();
}

void get_cover_art(Call& call, MethodEnv& env) {
    if (!call.user || !call.user->roles.cover_art)
        throw SubsonicError(kNotAuthorised, "User is not authorized for the given operation");
    const std::string id = call.required("id");
    if (auto size = call.get("size")) {
        auto n = parse_int(*size);
        if (!n || *n < 0)
            throw SubsonicError(kGeneric, "Parameter size must be a positive integer");
    }
    auto image = cover_of(id, env);
    auto& res = call.http->res;
    call.raw = true;
    const std::string etag = "\"" + image.sha256 + "\"";
    res.set_header("ETag", etag);
    // The placeholder is replaced as soon as a cover is stored: let clients ask again soon.
    res.set_header("Cache-Control",
                   image.placeholder ? "public, max-age=300" : "public, max-age=86400");
    if (server::etag_matches(call.http->req, etag)) {
        res.status = 304;
        return;
    }
    res.status = 200;
    res.set_content(image.data, image.mime_type.c_str());
}

}  // namespace

void add_cover_methods(MethodTable& table) {
    table["getCoverArt"] = {get_cover_art, true};
}

}  // namespace sonique::subsonic
