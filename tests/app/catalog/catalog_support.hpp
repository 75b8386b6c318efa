#pragma once
// Helpers for the catalog API suites: one shared server per suite, terse JSON requests.
#include <gtest/gtest.h>

#include <string>

#include "support/test_server.hpp"

namespace sonique::test {

struct Reply {
    int status = 0;
    Json json;  // null when the body is empty or not JSON
    std::string body;
    httplib::Headers headers;
    std::string header(const char* name) const {
        auto it = headers.find(name);
        return it == headers.end() ? "" : it->second;
    }
};

// Sends a request; body is sent as application/json when not empty.
Reply call(httplib::Client& c, const std::string& method, const std::string& path,
           const std::string& body = "", const httplib::Headers& headers = {});
inline Reply get(httplib::Client& c, const std::string& path) {
    return call(c, "GET", path);
}
inline Reply post(httplib::Client& c, const std::string& path, const Json& body) {
    return call(c, "POST", path, body.dump());
}
inline Reply put(httplib::Client& c, const std::string& path, const Json& body) {
    return call(c, "PUT", path, body.dump());
}
inline Reply del(httplib::Client& c, const std::string& path) {
    return call(c, "DELETE", path);
}

// Creation helpers that assert success and return the new id.
int64_t make_artist(httplib::Client& c, const std::string& name);
int64_t make_album(httplib::Client& c, const std::string& title, int64_t artist_id,
                   const Json& extra = Json::object());
int64_t make_track(httplib::Client& c, const std::string& title, const std::string& path,
                   int64_t artist_id, const Json& extra = Json::object());

// Checks that object has exactly these keys (every contract field present, null allowed).
void expect_keys(const Json& object, std::initializer_list<const char*> keys);
extern const std::initializer_list<const char*> kArtistKeys;
extern const std::initializer_list<const char*> kAlbumKeys;
extern const std::initializer_list<const char*> kTrackKeys;
extern const std::initializer_list<const char*> kCoverKeys;

// True when text is "YYYY-MM-DDTHH:MM:SS.ffffff+00:00".
bool is_iso_timestamp(const Json& value);

// Inserts a cover row for an entity directly (the covers API belongs to another suite).
void insert_cover(const std::string& db_url, const std::string& type, int64_t id);

}  // namespace sonique::test
