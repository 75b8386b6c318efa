// List methods over the catalog: getAlbumList and getAlbumList2, every type of the spec
// (highest, frequent, recent and starred from the calling user's ratings, plays and stars).
#include "core/strings.hpp"
#include "folders.hpp"
#include "json_node.hpp"
#include "list_params.hpp"
#include "methods.hpp"
#include "services/subsonic_cache.hpp"
#include "services/subsonic_catalog.hpp"

namespace sonique::subsonic {
namespace {

using services::AlbumListType;

std::optional<AlbumListType> list_type(std::string_view name) {
    if (name == "random") return AlbumListType::kRandom;
    if (name == "newest") return AlbumListType::kNewest;
    if (name == "alphabeticalByName") return AlbumListType::kByName;
    if (name == "alphabeticalByArtist") return AlbumListType::kByArtist;
    if (name == "byYear") return AlbumListType::kByYear;
    if (name == "byGenre") return AlbumListType::kByGenre;
    if (name == "starred") return AlbumListType::kStarred;
    if (name == "highest") return AlbumListType::kHighest;
    if (name == "frequent") return AlbumListType::kFrequent;
    if (name == "recent") return AlbumListType::kRecent;
    return std::nullopt;
}

void album_list(Call& call, MethodEnv& env, bool id3) {
    const char* element = id3 ? "albumList2" : "albumList";
    std::string type = call.required("type");
    services::AlbumListQuery q;
    q.id3 = id3;
    q.size = count_param(call, "size", 10, kMaxListSize);
    q.offset = offset_param(call, "offset");
    auto t = list_type(type);
    if (!t)
        throw SubsonicError(kGeneric, "Unknown list type: " + sanitize_utf8(type.substr(0, 64)));
    q.type = *t;
    if (q.type == AlbumListType::kByYear) {
        q.from_year = year_param(call, "fromYear", true).value_or(0);
        q.to_year = year_param(call, "toYear", true).value_or(0);
    }
    if (q.type == AlbumListType::kByGenre) q.genre = call.required("genre");
    auto scope = request_scope(call, env);
    auto load = [&] {
        return services::SubsonicCatalog(env.services, call.user->id, scope).album_list(q);
    };
    if (q.type == AlbumListType::kRandom) {
        add_json_child(call.body, element, load().text);
        return;
    }
    // Every other type is cached (services/subsonic_cache.hpp), keyed by what selects the page,
    // and written as cached (add_raw_json_child): no tree is built for a JSON answer.
    std::string key = std::string(element) + ":" + type + ":" + std::to_string(q.size) + ":" +
                      std::to_string(q.offset) + ":" + std::to_string(q.from_year) + ":" +
                      std::to_string(q.to_year) + ":" + q.genre;
    add_raw_json_child(
        call.body, element,
        std::move(services::subsonic_cached(env.services, {call.user->id, scope, key}, load).text));
}

}  // namespace

void add_list_methods(MethodTable& table) {
    table["getAlbumList"] = {[](Call& c, MethodEnv& e) { album_list(c, e, false); }, true};
    table["getAlbumList2"] = {[](Call& c, MethodEnv& e) { album_list(c, e, true); }, true};
}

}  // namespace sonique::subsonic
