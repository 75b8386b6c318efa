#pragma once
// The SQL shared by typeahead and the full search: every artist, album and track whose name
// matches $1 (the raw query text), one row each, with its match tier and similarity. Private to
// search/.
#include <string>

namespace sonique::search {

// A query shorter than this (in code points) is matched by prefix only: one or two letters are
// in most names, and trigram indexes cannot narrow a substring that short.
inline constexpr size_t kMinSubstringChars = 3;

// Rows (type, type_order, id, title, artist, album, genre, path, tier, sim, weight) and, with
// facets, (genres text[], decades text[]). tier: 0 exact, 1 prefix (of the name or of a word
// of it), 2 substring, 3 fuzzy (trigram similarity of the keys, or word similarity of the
// folded names, over pg_trgm's thresholds). sim: the better of both similarities. weight: how
// many tracks the hit stands for. With vectors: also the artists whose ids are in $9 and the
// tracks in $10 (bigint[]), and a last column text_hit (false for rows only those lists hold).
std::string hits_sql(bool short_query, bool facets, bool vectors = false);

// The WHERE clause that matches a name expression against $1: by prefix (of the name, of a word
// of it, of its key) for a short query, else also by substring and trigram similarity. A short
// query's clause holds exactly the rows of tiers 0 and 1 of any query.
std::string match(const std::string& name, bool short_query);

// The columns `tier` and `sim` (as hits_sql has them) of a name whose folded form is the
// expression f and whose search key is the expression k.
std::string rank_columns_of(const std::string& f, const std::string& k);

// The `genre` an artist or album shows: the most frequent genre of the tracks x that match
// `where` (ties by name).
std::string genre_of(const std::string& where);

// The order of hits, best first: deterministic (ids break the last ties).
inline constexpr const char* kHitOrder =
    "h.tier, h.sim DESC, h.weight DESC, lower(h.title), h.type_order, h.id";

}  // namespace sonique::search
