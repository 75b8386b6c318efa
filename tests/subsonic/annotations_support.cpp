#include "annotations_support.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "db/pool.hpp"

namespace sonique::test {

void fill_annotations(SubsonicServer& s) {
    static bool done = false;
    if (done) return;
    auto conn = s.server().runtime().services().pool.acquire();
    conn->exec_script(
        "INSERT INTO artists (id, name) VALUES (9301, 'Anno Artist'), (9302, 'Anno Guest');"
        "INSERT INTO albums (id, title, album_artist_id, release_year) VALUES "
        "(9301, 'Anno One', 9301, '2001'), (9302, 'Anno Two', 9301, '2002'), "
        "(9303, 'Anno Three', 9302, '2003');"
        "INSERT INTO tracks (id, title, path, track_artist_id, album_id, duration) VALUES "
        "(9301, 'Bravo', '/srv/music/A/1.mp3', 9301, 9301, 200), "
        "(9302, 'Alpha', '/srv/music/A/2.mp3', 9301, 9301, 100), "
        "(9303, 'Charlie', '/srv/music/A/3.mp3', 9301, 9302, 300), "
        "(9304, 'Delta', '/srv/music/A/4.mp3', 9302, 9303, 400), "
        "(9305, 'Echo', '/srv/music/A/5.mp3', 9301, NULL, 500);"
        "INSERT INTO track_artists (track_id, artist_id, position, role) VALUES "
        "(9304, 9302, 0, 'artist'), (9304, 9301, 1, 'artist');");
    done = true;
}

Query as_user(SubsonicServer& s, const std::string& name, bool scrobble) {
    if (!s.users().find(name)) {
        services::UserRoles roles;
        roles.scrobble = scrobble;
        s.users().create(name, "pw-" + name, "", roles);
    }
    return {{"u", name}, {"p", "pw-" + name}};
}

int64_t user_id(SubsonicServer& s, const std::string& name) {
    auto conn = s.server().runtime().services().pool.acquire();
    return conn->exec("SELECT id FROM users WHERE name = $1", db::Params(name)).int64(0, 0);
}

int code(const Json& r) {
    return r.contains("error") ? r["error"]["code"].get<int>() : -1;
}

bool is_iso_time(const Json& text) {
    static const std::regex iso(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
    return text.is_string() && std::regex_match(text.get<std::string>(), iso);
}

std::vector<std::string> ids_of(const Json& list, const std::string& prefix) {
    std::vector<std::string> out;
    for (const auto& item : list) {
        std::string id = item["id"].get<std::string>();
        if (id.starts_with(prefix)) out.push_back(id);
    }
    return out;
}

int64_t count_rows(SubsonicServer& s, const std::string& sql) {
    auto conn = s.server().runtime().services().pool.acquire();
    return conn->exec(sql).int64(0, 0);
}

}  // namespace sonique::test
