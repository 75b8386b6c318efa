#pragma once
// Genres with their numbers of songs and albums (the OpenSubsonic getGenres answer's rows).
#include <cstdint>
#include <string>
#include <vector>

#include "services/context.hpp"

namespace sonique::services {

struct GenreCount {
    std::string name;
    int64_t songs = 0;
    int64_t albums = 0;  // distinct albums of those songs
};

// Every genre, ordered by name whatever its case, in one statement. Throws Error (kUnavailable)
// when the database is down. Any thread.
std::vector<GenreCount> genre_counts(ServiceContext& ctx);

}  // namespace sonique::services
