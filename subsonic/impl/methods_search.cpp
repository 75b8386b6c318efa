// search2, search3, getRandomSongs and getSongsByGenre over the catalog.
#include "core/strings.hpp"
#include "folders.hpp"
#include "json_node.hpp"
#include "list_params.hpp"
#include "methods.hpp"
#include "services/subsonic_catalog.hpp"

namespace sonique::subsonic {
namespace {

// The query as clients send it: surrounding blanks dropped, a Lucene-style trailing `*` too
// (older clients add it), and `""` meaning an empty query, which lists everything (clients
// sync the whole library so).
std::string search_text(std::string text) {
    text = std::string(trim(text));
    while (!text.empty() && text.back() == '*')
        text.pop_back();
    if (text == "\"\"") text.clear();
    return text;
}

void search(Call& call, MethodEnv& env, bool id3) {
    services::SearchQuery q;
    q.text = search_text(call.required("query"));
    q.id3 = id3;
    q.artist_count = count_param(call, "artistCount", 20, kMaxListSize);
    q.artist_offset = offset_param(call, "artistOffset");
    q.album_count = count_param(call, "albumCount", 20, kMaxListSize);
    q.album_offset = offset_param(call, "albumOffset");
    q.song_count = count_param(call, "songCount", 20, kMaxListSize);
    q.song_offset = offset_param(call, "songOffset");
    // Raw: a sync's pages (500 songs) are written into JSON without a tree.
    fill_content_types(add_raw_json_child(
        call.body, id3 ? "searchResult3" : "searchResult2",
        std::move(services::SubsonicCatalog(env.services, call.user->id, request_scope(call, env))
                      .search(q)
                      .text)));
}

void random_songs(Call& call, MethodEnv& env) {
    services::SongListQuery q;
    q.size = count_param(call, "size", 10, kMaxListSize);
    q.genre = call.get("genre");
    q.from_year = year_param(call, "fromYear", false);
    q.to_year = year_param(call, "toYear", false);
    fill_content_types(add_json_child(
        call.body, "randomSongs",
        services::SubsonicCatalog(env.services, call.user->id, request_scope(call, env))
            .songs(q)
            .text));
}

void songs_by_genre(Call& call, MethodEnv& env) {
    services::SongListQuery q;
    q.random = false;
    q.genre = call.required("genre");
    q.size = count_param(call, "count", 10, kMaxListSize);
    q.offset = offset_param(call, "offset");
    fill_content_types(add_json_child(
        call.body, "songsByGenre",
        services::SubsonicCatalog(env.services, call.user->id, request_scope(call, env))
            .songs(q)
            .text));
}

}  // namespace

void add_search_methods(MethodTable& table) {
    table["search2"] = {[](Call& c, MethodEnv& e) { search(c, e, false); }, true};
    table["search3"] = {[](Call& c, MethodEnv& e) { search(c, e, true); }, true};
    table["getRandomSongs"] = {random_songs, true};
    table["getSongsByGenre"] = {songs_by_genre, true};
}

}  // namespace sonique::subsonic
