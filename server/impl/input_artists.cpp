// Bodies of the artist, genre and tag routes.
#include "core/strings.hpp"
#include "input_catalog.hpp"

namespace sonique::server {
namespace {

double checked_weight(Fields& f) {
    auto w = f.number("weight", true);
    if (w && (*w < 0 || *w > 1)) {
        f.add_issue("weight", "Input should be between 0 and 1", "less_than_equal");
        w.reset();
    }
    return w.value_or(0);
}

services::ArtistInput artist_at(const Json& value, const Loc& loc, bool create) {
    Fields f(value, loc);
    services::ArtistInput in;
    in.name = trimmed_name(f, "name", create);
    in.musicbrainz_artistid = f.text("musicbrainz_artistid");
    in.musicbrainz_artistid_given = f.has("musicbrainz_artistid");
    f.check();
    return in;
}

}  // namespace

services::ArtistInput read_artist(const Json& body, bool create) {
    return artist_at(body, {"body"}, create);
}

std::vector<services::ArtistInput> read_artist_batch(const Json& body) {
    return read_batch(body,
                      [](const Json& item, const Loc& loc) { return artist_at(item, loc, true); });
}

services::SimilarArtistInput read_similar_artist(const Json& body) {
    Fields f(body, {"body"});
    services::SimilarArtistInput in;
    auto other = f.integer("similar_artist_id", true);
    in.weight = checked_weight(f);
    in.source = f.text("source");
    f.check();
    in.similar_artist_id = *other;
    return in;
}

std::vector<services::SimilarByNameInput> read_similar_by_name(const Json& body) {
    std::vector<services::SimilarByNameInput> items;
    for (size_t i = 0; i < body.size(); ++i) {
        Fields f(body[i], {"body", std::to_string(i)});
        services::SimilarByNameInput in;
        auto name = trimmed_name(f, "name", true);
        in.weight = checked_weight(f);
        in.source = f.text("source");
        f.check();
        in.name = *name;
        items.push_back(std::move(in));
    }
    return items;
}

services::LastfmInfo read_lastfm_info(const Json& body) {
    if (!body.is_object())
        throw ValidationError({"body"}, "Input should be a valid dictionary", "dict_type");
    services::LastfmInfo info{dump_json(body)};
    if (info.json.find("\\u0000") != std::string::npos)
        throw ValidationError({"body"}, "String should not contain NUL characters", "string_type");
    return info;
}

std::string read_name(const Json& body) {
    Fields f(body, {"body"});
    auto name = trimmed_name(f, "name", true);
    f.check();
    return *name;
}

}  // namespace sonique::server
