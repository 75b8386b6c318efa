// GET /api/search/typeahead's one statement.
#include <algorithm>
#include <cctype>

#include "db/connection.hpp"
#include "search/text_search.hpp"
#include "text_sql.hpp"

namespace sonique::search {
namespace {

// Within a tier, tracks come first: the old clients of this route only knew tracks.
constexpr const char* kTypeaheadOrder =
    "h.tier, h.type_order, h.sim DESC, h.weight DESC, lower(h.title), h.id";

// One type's best matches: every row that can be among the first $2 of that type, i.e. the
// first $2 by (tier, sim) and their ties, since weight, title and id only break those ties.
// Tracks all weigh 1, so their order is complete without it: no ties, no more than $2 rows.
// The folded name and key are computed once per row (OFFSET 0 keeps the subquery from being
// flattened back into one call per use), and nothing is joined or counted before the cut.
std::string best_of(const std::string& type, int type_order, const std::string& from,
                    const std::string& name, const std::string& artist_id,
                    const std::string& album_id, bool short_query) {
    std::string order =
        type_order == 1 ? "c.tier, c.sim DESC, lower(c.title), c.id" : "c.tier, c.sim DESC";
    return "(SELECT * FROM (SELECT '" + type + "'::text AS type, " + std::to_string(type_order) +
           " AS type_order, n.id, n.title, n.artist_id, n.album_id, " +
           rank_columns_of("n.f", "n.k") + " FROM (SELECT x.id, " + name + " AS title, " +
           artist_id + " AS artist_id, " + album_id + " AS album_id, sonique_fold(" + name +
           ") AS f, sonique_search_key(" + name + ") AS k FROM " + from + " WHERE " +
           match(name, short_query) + " OFFSET 0) n) c ORDER BY " + order +
           " FETCH FIRST $2 ROWS WITH TIES)";
}

std::string best_hits(bool short_query) {
    return best_of("track", 1, "tracks x", "x.title", "x.track_artist_id", "x.album_id",
                   short_query) +
           " UNION ALL " +
           best_of("artist", 2, "artists x", "x.name", "x.id", "NULL::bigint", short_query) +
           " UNION ALL " +
           best_of("album", 3, "albums x", "x.title", "x.album_artist_id", "x.id", short_query);
}

// Which clauses a statement runs: the prefix clause alone (a short query), both in tiers, or
// the full clause alone (a query without a letter or digit, e.g. "!!!": no trigram narrows
// it, so each clause reads every name, and once is enough).
enum class Clauses { prefix, tiers, full };

// Tiers 0 and 1 (exact and prefix) come from the prefix clause alone. Only when they hold
// fewer than $2 rows in all can a substring or fuzzy match be in the answer, and only then
// does the full clause run (the gating subquery is evaluated once, before it). Weights (track
// counts) are counted for the survivors of the per-type cut only, names joined for the answer's
// rows only.
std::string typeahead_sql(Clauses clauses) {
    std::string hits = clauses == Clauses::prefix ? "SELECT * FROM (" + best_hits(true) + ") p"
                       : clauses == Clauses::full
                           ? "SELECT * FROM (" + best_hits(false) + ") f"
                           : "WITH prefix AS MATERIALIZED (" + best_hits(true) +
                                 ") SELECT * FROM prefix WHERE (SELECT count(*) FROM "
                                 "prefix) >= $2 UNION ALL SELECT * FROM (" +
                                 best_hits(false) + ") f WHERE (SELECT count(*) FROM prefix) < $2";
    return "WITH hits AS (SELECT h.*, CASE h.type_order WHEN 1 THEN 1::bigint WHEN 2 THEN (SELECT "
           "count(*) FROM tracks x WHERE x.track_artist_id = h.id) ELSE (SELECT count(*) FROM "
           "tracks x WHERE x.album_id = h.id) END AS weight FROM (" +
           hits +
           ") h) SELECT json_build_object('items', COALESCE(json_agg(json_build_object('id', "
           "h.id, 'title', h.title, 'artist', ar.name, 'album', al.title, 'type', h.type) ORDER "
           "BY " +
           kTypeaheadOrder + "), '[]'::json)) FROM (SELECT * FROM hits h ORDER BY " +
           kTypeaheadOrder +
           " LIMIT $2) h JOIN artists ar ON ar.id = h.artist_id LEFT JOIN albums al ON al.id = "
           "h.album_id";
}

}  // namespace

JsonText typeahead_empty() {
    return JsonText(R"({"items":[]})");
}

JsonText typeahead(db::Connection& conn, std::string_view query, int64_t limit) {
    static const std::string sqls[3] = {typeahead_sql(Clauses::prefix),
                                        typeahead_sql(Clauses::tiers),
                                        typeahead_sql(Clauses::full)};
    auto q = normalise_query(query);
    if (!q) return typeahead_empty();
    bool has_word = std::any_of(q->begin(), q->end(), [](unsigned char c) {
        return c >= 0x80 || std::isalnum(c);  // any non-ASCII code point may be a letter
    });
    Clauses clauses = utf8_length(*q) < kMinSubstringChars ? Clauses::prefix
                      : has_word                           ? Clauses::tiers
                                                           : Clauses::full;
    return JsonText(conn.exec(sqls[static_cast<int>(clauses)], db::Params(*q, limit)).str(0, 0));
}

}  // namespace sonique::search
