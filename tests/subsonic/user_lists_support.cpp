#include "user_lists_support.hpp"

#include <gtest/gtest.h>

#include <mutex>

#include "db/pool.hpp"

namespace sonique::test {

void fill_user_lists(SubsonicServer& s) {
    static std::once_flag once;
    std::call_once(once, [&s] {
        services::UserRoles roles;
        roles.playlist = true;
        s.users().create(kOwnerName, kOwnerPassword, "", roles);
        s.users().create(kOtherName, kOtherPassword, "", roles);
        std::string sql =
            "INSERT INTO artists (id, name) VALUES (16001, 'List Artist');"
            "INSERT INTO albums (id, title, album_artist_id) VALUES (16001, 'List Album', 16001);"
            "INSERT INTO tracks (id, title, path, track_artist_id, album_id, duration) VALUES ";
        for (int n = 1; n <= 10; ++n)
            sql += (n > 1 ? ", (" : "(") + std::to_string(16000 + n) + ", 'Song " +
                   std::to_string(n) + "', '/srv/music/Rock/lists/" + std::to_string(n) +
                   ".mp3', 16001, 16001, " + std::to_string(10 * n) + ")";
        s.server().runtime().services().pool.acquire()->exec_script(sql + ";");
    });
}

Query as_owner() {
    return {{"u", kOwnerName}, {"p", kOwnerPassword}};
}

Query as_other() {
    return {{"u", kOtherName}, {"p", kOtherPassword}};
}

std::string song(int n) {
    return "tr-" + std::to_string(16000 + n);
}

int error_code(const Json& r) {
    return r.contains("error") ? r["error"]["code"].get<int>() : -1;
}

std::vector<std::string> ids_of(const Json& entries) {
    std::vector<std::string> out;
    for (const auto& e : entries)
        out.push_back(e["id"].get<std::string>());
    return out;
}

Json post_json(SubsonicServer& s, const std::string& method, const Query& q) {
    Query all = q + Query{{"v", "1.16.1"}, {"c", "sonique-tests"}, {"f", "json"}};
    auto res = s.server().client()->Post("/rest/" + method, encode_query(all),
                                         "application/x-www-form-urlencoded");
    if (!res) {
        ADD_FAILURE() << "no answer to POST " << method;
        return Json::object();
    }
    Json j = body_json(res);
    return j.is_object() && j.contains("subsonic-response") ? j["subsonic-response"]
                                                            : Json::object();
}

}  // namespace sonique::test
