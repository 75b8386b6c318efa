#pragma once
// How the sonic sets read PostgreSQL (sonic_sources.cpp): the raw features of track_analysis,
// standardised and weighted by analysis/sonic.hpp, keyed by track, artist or album.
#include "search/vector_set.hpp"

namespace sonique::db {
class Pool;
}

namespace sonique::services {

enum class SonicKey { kTrack, kArtist, kAlbum };

// The source of one sonic set. Tracks also catch up on new and changed rows between rebuilds
// (standardised with the statistics stored by the last rebuild), and their rebuilds store the
// statistics they computed (sonic_stats). Artists and albums rebuild: each is the normalised
// mean of its tracks' unit vectors. The returned functions run on the set's thread.
search::VectorSource sonic_source(db::Pool& pool, SonicKey key);

}  // namespace sonique::services
