#pragma once
// The JSON shapes of api-contract.md §2 (Artist, Album, Track, Genre, Tag) as SQL expressions, so
// that PostgreSQL builds whole answers (nested covers, tags, audio features) in one query. Every
// endpoint returning one of these shapes uses the definitions here: one place per shape.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "db/connection.hpp"

namespace sonique::services {

// json object of the artists row aliased `a`.
const std::string& artist_json_sql();
// json object of the albums row aliased `al`.
const std::string& album_json_sql();
// json object of the tracks row aliased `t` joined with its audio features aliased `af` and its
// analysed values aliased `atv` (use track_from_sql()): a written audio value wins over the
// analysed one (analysed_values_sql.hpp). Includes genre_tags, mood_tags, covers and
// artists:[{id,name}].
const std::string& track_json_sql();
// "tracks t LEFT JOIN audio_features af ON af.track_id = t.id LEFT JOIN analysed_track_values
// atv ON atv.track_id = t.id".
const std::string& track_from_sql();
// ORDER BY keys for tracks inside an album: disc then track, numerically.
const std::string& track_order_sql();
// json object of the genres row aliased `g`.
const std::string& genre_json_sql();

// "{1,2,3}": a bigint[] literal for a $n::bigint[] parameter.
std::string pg_int_array(const std::vector<int64_t>& ids);
// A text[] literal for a $n::text[] parameter (quotes and backslashes escaped).
std::string pg_text_array(const std::vector<std::string>& values);
// "%text%" for LIKE with %, _ and \ escaped (case folding is done in SQL).
std::string like_pattern(std::string_view text);

// " OFFSET skip LIMIT limit" written into a statement rather than passed as parameters. With
// parameters PostgreSQL plans the statement again on every execution: a custom plan that knows
// LIMIT 50 always looks cheaper than the generic plan, which assumes a tenth of the rows. Each
// page then has its own prepared statement, planned once per connection (the pages a client
// asks for are few, and a connection keeps at most 512 statements).
std::string page_sql(int64_t skip, int64_t limit);

// The JSON text of the first column of the first row ('[]' or 'null' when absent).
std::string first_json(const db::Result& result, std::string_view fallback = "[]");

// Tracks by id as a JSON array in the order of ids (ids not found are skipped). One query.
std::string tracks_by_ids(db::Connection& conn, const std::vector<int64_t>& ids);

}  // namespace sonique::services

namespace sonique::cache {
class Cache;
}

namespace sonique::services {

// Every catalog write calls this after committing and before answering: artists, albums,
// tracks, covers, genres and the library tree embed one another, so all of them go. Never
// throws for Redis failures.
void invalidate_catalog(cache::Cache& cache);

// Rethrows a unique violation (kConflict) raised by fn as conflict(detail); other errors pass.
template <typename Fn>
auto with_conflict_detail(const char* detail, Fn&& fn) -> decltype(fn()) {
    try {
        return fn();
    } catch (const Error& e) {
        if (e.code() == ErrorCode::kConflict) throw conflict(detail);
        throw;
    }
}

}  // namespace sonique::services
