// Album input: release year normalisation and body validation.
#include <regex>

#include "albums_input.hpp"
#include "core/strings.hpp"
#include "services/albums.hpp"

namespace sonique::services {
namespace {

std::optional<std::string> two_digits(int v) {
    if (v < 0 || v > 99) return std::nullopt;
    return std::to_string(v <= 30 ? 2000 + v : 1900 + v);
}

}  // namespace

std::optional<std::string> normalize_release_year(const Json& value) {
    if (value.is_number_integer()) {
        int64_t v = value.get<int64_t>();
        if (v >= 1000 && v <= 9999) return std::to_string(v);
        if (v >= 0 && v <= 99) return two_digits(static_cast<int>(v));
        return std::nullopt;
    }
    if (!value.is_string()) return std::nullopt;
    static const std::regex year_first(R"(^(\d{4})(?:[-/.]\d{1,2}(?:[-/.]\d{1,2})?|[-T ].*)?$)");
    static const std::regex year_last(R"(^\d{1,2}[-/.]\d{1,2}[-/.](\d{4})$)");
    static const std::regex yy(R"(^(\d{2})$)");
    std::string s = trim(value.get<std::string>());
    std::smatch m;
    if (std::regex_match(s, m, year_first) || std::regex_match(s, m, year_last)) return m[1].str();
    if (std::regex_match(s, m, yy)) return two_digits(std::stoi(m[1].str()));
    return std::nullopt;
}

AlbumInput read_album(const Json& body, const Loc& loc, bool create) {
    Fields f(body, loc);
    AlbumInput in;
    in.title = f.text("title", create);
    if (in.title && trim(*in.title).empty()) {
        f.add_issue("title", "String should have at least 1 character", "string_too_short");
    }
    if (in.title) in.title = trim(*in.title);
    in.album_artist_id = f.integer("album_artist_id", create);
    if (!f.is_null("release_year")) {
        const Json& y = f.object()["release_year"];
        if (!y.is_string() && !y.is_number()) {
            f.add_issue("release_year", "Input should be a valid string or integer", "string_type");
        }
        in.release_year = normalize_release_year(y);
    }
    in.has_release_year = f.has("release_year");
    in.musicbrainz_albumid = f.text("musicbrainz_albumid");
    in.has_mbid = f.has("musicbrainz_albumid");
    f.check();
    return in;
}

Json album_input_json(const AlbumInput& in) {
    auto opt = [](const auto& v) { return v ? Json(*v) : Json(); };
    return {{"title", opt(in.title)},
            {"artist_id", opt(in.album_artist_id)},
            {"year", opt(in.release_year)},
            {"mbid", opt(in.musicbrainz_albumid)}};
}

}  // namespace sonique::services
