// getCoverArt: the cover of an album, an artist, or a track (its album's, else its own). Up to
// 256 px the stored normalised cover (services::CoverService, as GET /api/covers serves it);
// larger sizes are made from the cover's original by services::CoverSizes, as JPEG or, when the
// request's Accept names it, WebP (docs/subsonic.md).
#include "core/strings.hpp"
#include "folders.hpp"
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

struct Found {
    services::CoverBytes image;
    std::string type;  // whose cover it is: "album", "artist" or "track"
    int64_t id = 0;
};

// The cover of the entity `id` names. Throws SubsonicError 70 for an id of another kind or of
// no entity; an entity without a cover gets the placeholder, as on GET /api/covers.
Found cover_of(const std::string& id, Call& call, MethodEnv& env) {
    // Within the user's music folders: outside them an entity is "not found".
    auto scope = user_scope(call, env);
    services::SubsonicCatalog catalog(env.services, 0, scope);
    services::CoverService covers(env.services);
    // A stored cover answers at once (the hot path, cached by CoverService); only the
    // placeholder, or a user restricted to some folders, needs to know whether the entity
    // exists (in those folders).
    const bool restricted = !scope.all();
    if (auto album = parse_id(id, IdKind::kAlbum)) {
        auto image = covers.image("album", *album);
        if ((restricted || image.placeholder) && !catalog.album_exists(*album)) not_found();
        return {std::move(image), "album", *album};
    }
    if (auto artist = parse_id(id, IdKind::kArtist)) {
        auto image = covers.image("artist", *artist);
        if ((restricted || image.placeholder) && !catalog.artist_exists(*artist)) not_found();
        return {std::move(image), "artist", *artist};
    }
    if (auto track = parse_id(id, IdKind::kTrack)) {
        auto album = catalog.album_of_track(*track);
        if (!album) not_found();
        if (*album != 0) {
            auto image = covers.image("album", *album);
            if (!image.placeholder) return {std::move(image), "album", *album};
        }
        return {covers.image("track", *track), "track", *track};
    }
    not_found();
}

void get_cover_art(Call& call, MethodEnv& env) {
    if (!call.user || !call.user->roles.cover_art)
        throw SubsonicError(kNotAuthorised, "User is not authorized for the given operation");
    const std::string id = call.required("id");
    int bucket = 0;  // the stored image
    if (auto size = call.get("size")) {
        // Past the largest bucket a size is clamped (then to the original's own size): clients
        // ask for "as large as possible" with sizes such as 100000.
        auto n = parse_int(*size);
        if (!n || *n < 0)
            throw SubsonicError(kGeneric, "Parameter size must be a positive integer");
        bucket = services::CoverSizes::bucket(*n);
    }
    auto found = cover_of(id, call, env);
    auto& res = call.http->res;
    call.raw = true;
    if (bucket > 0 && !found.image.placeholder) {
        const bool webp =
            call.http->req.get_header_value("Accept").find("image/webp") != std::string::npos;
        auto sized =
            env.cover_sizes.get(found.type, found.id, bucket,
                                webp ? services::CoverFormat::kWebp : services::CoverFormat::kJpeg);
        if (sized) {
            res.set_header("ETag", sized->etag);
            res.set_header("Cache-Control", "public, max-age=86400");
            res.set_header("Vary", "Accept");
            if (server::etag_matches(call.http->req, sized->etag)) {
                res.status = 304;
                return;
            }
            res.status = 200;
            res.set_content(sized->data, sized->mime_type.c_str());
            return;
        }
    }
    const auto& image = found.image;
    const std::string etag = "\"" + image.sha256 + "\"";
    res.set_header("ETag", etag);
    // The placeholder is replaced as soon as a cover is stored, and a larger size asked for may
    // be ready soon (the pool was busy): let clients ask again.
    res.set_header("Cache-Control", image.placeholder || bucket > 0 ? "public, max-age=300"
                                                                    : "public, max-age=86400");
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
