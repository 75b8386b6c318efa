#include "media_support.hpp"

#include <sodium.h>

#include <optional>
#include <vector>

namespace sonique::test {

db::Connection connect(const std::string& url) {
    db::ConnectOptions options;
    options.url = url;
    return db::Connection(options);
}

int64_t insert_artist(db::Connection& conn, const std::string& name) {
    return conn.exec("INSERT INTO artists (name) VALUES ($1) RETURNING id", db::Params(name))
        .int64(0, 0);
}

int64_t insert_album(db::Connection& conn, const std::string& title, int64_t artist_id) {
    return conn
        .exec("INSERT INTO albums (title, album_artist_id) VALUES ($1, $2) RETURNING id",
              db::Params(title, artist_id))
        .int64(0, 0);
}

int64_t insert_track(db::Connection& conn, const std::string& title, const std::string& path,
                     int64_t artist_id, const char* file_type) {
    std::optional<std::string> type;
    if (file_type) type = file_type;
    return conn
        .exec(
            "INSERT INTO tracks (title, path, track_artist_id, file_type, duration)"
            " VALUES ($1, $2, $3, $4, 180) RETURNING id",
            db::Params(title, path, artist_id, type))
        .int64(0, 0);
}

std::string base64(const std::string& bytes) {
    if (sodium_init() < 0) return {};
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.pop_back();
    return out;
}

}  // namespace sonique::test
