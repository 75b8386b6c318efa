#pragma once
// Helpers for the media API suites: rows inserted with SQL, images made in memory.
#include <cstdint>
#include <string>

#include "db/connection.hpp"
#include "support/images.hpp"

namespace sonique::test {

// A direct connection to the suite's database (not the server's pool).
db::Connection connect(const std::string& url);

int64_t insert_artist(db::Connection& conn, const std::string& name);
int64_t insert_album(db::Connection& conn, const std::string& title, int64_t artist_id);
int64_t insert_track(db::Connection& conn, const std::string& title, const std::string& path,
                     int64_t artist_id, const char* file_type = nullptr);

std::string base64(const std::string& bytes);

}  // namespace sonique::test
