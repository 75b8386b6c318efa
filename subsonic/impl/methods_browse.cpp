// Browsing methods over the catalog: getGenres (more come with issue 16's next steps).
#include "methods.hpp"
#include "services/genre_counts.hpp"

namespace sonique::subsonic {
namespace {

void get_genres(Call& call, MethodEnv& env) {
    auto rows = services::genre_counts(env.services);
    Node& genres = call.body.child("genres");
    genres.list("genre");
    for (const auto& g : rows) {
        Node& n = genres.item("genre");
        n.set("songCount", g.songs).set("albumCount", g.albums);
        n.text = g.name;
    }
}

}  // namespace

void add_browse_methods(MethodTable& table) {
    table["getGenres"] = {get_genres, true};
}

}  // namespace sonique::subsonic
