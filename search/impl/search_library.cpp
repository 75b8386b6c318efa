// POST /api/search/'s one statement: matches, filters, their fusion with the vector lists, the
// page, facets and the suggestion.
#include "core/json.hpp"
#include "db/connection.hpp"
#include "search/text_search.hpp"
#include "text_sql.hpp"

namespace sonique::search {
namespace {

// Facets list at most this many values each, the most frequent first.
constexpr int kFacetValues = 20;

// The names of a JSON list of filter values ($n), lower-cased by PostgreSQL (whatever the
// script).
std::string lowered(int n) {
    return "ARRAY(SELECT lower(v) FROM json_array_elements_text($" + std::to_string(n) +
           "::json) v)";
}

std::string facet(const std::string& values) {
    return "(SELECT COALESCE(json_agg(json_build_object('name', n, 'count', c) ORDER BY c DESC, "
           "n), '[]'::json) FROM (SELECT min(v) AS n, count(*) AS c FROM f, " +
           values + " GROUP BY lower(v) ORDER BY count(*) DESC, min(v) LIMIT " +
           std::to_string(kFacetValues) + ") x)";
}

// $1 query, $2..$5 filters (JSON lists or null), $6 offset, $7 page size, $8 page, $9 and $10
// the vector lists (artist and track ids, best first).
// Reciprocal Rank Fusion (docs/search.md): an item's score is the sum over the ranked lists that
// hold it of 1 / (60 + its rank in that list), ranks counted after the filters; the text list
// ranks text matches by kHitOrder, each vector list by its order. Ties: by id, then type.
// The suggestion: when nothing matched better than fuzzily, the best fuzzy artist or album
// name; when nothing matched at all, the artist name closest by trigrams (a scan of artists).
std::string search_sql(bool short_query) {
    return "WITH hits AS (" + hits_sql(short_query, true, true) +
           "), f0 AS (SELECT h.* FROM hits h WHERE ($2::json IS NULL OR EXISTS (SELECT 1 FROM "
           "unnest(h.genres) g WHERE lower(g) = ANY(" +
           lowered(2) + "))) AND ($3::json IS NULL OR lower(h.artist) = ANY(" + lowered(3) +
           ")) AND ($4::json IS NULL OR h.decades && " + lowered(4) +
           ") AND ($5::json IS NULL OR h.type = ANY(" + lowered(5) +
           "))), ft AS (SELECT h.type, h.id, row_number() OVER (ORDER BY " + kHitOrder +
           ") AS r FROM f0 h WHERE h.text_hit), fv AS (SELECT h.type, h.id, row_number() OVER "
           "(PARTITION BY h.type ORDER BY u.o) AS r FROM f0 h JOIN (SELECT 'artist'::text AS "
           "type, a.id, a.o FROM unnest($9::bigint[]) WITH ORDINALITY a(id, o) UNION ALL SELECT "
           "'track', t.id, t.o FROM unnest($10::bigint[]) WITH ORDINALITY t(id, o)) u ON u.type "
           "= h.type AND u.id = h.id), fs AS (SELECT h.*, COALESCE(1.0::float8 / (60 + ft.r), 0) "
           "+ COALESCE(1.0::float8 / (60 + fv.r), 0) AS score FROM f0 h LEFT JOIN ft ON ft.type "
           "= h.type AND ft.id = h.id LEFT JOIN fv ON fv.type = h.type AND fv.id = h.id), f AS "
           "(SELECT fs.*, row_number() OVER (ORDER BY fs.score DESC, fs.id, fs.type_order) AS "
           "rank FROM fs) SELECT json_build_object('total', (SELECT count(*) FROM f), 'items', "
           "(SELECT COALESCE(json_agg(json_build_object('id', f.id, 'title', f.title, 'artist', "
           "f.artist, 'album', f.album, 'genre', f.genre, 'path', f.path, 'type', f.type, "
           "'hybrid_score', f.score) ORDER BY f.rank), '[]'::json) FROM f WHERE f.rank > $6 AND "
           "f.rank <= $6 + $7), 'facets', json_build_object('genres', " +
           facet("unnest(f.genres) v") + ", 'artists', " +
           facet("LATERAL (SELECT f.artist WHERE f.artist IS NOT NULL) s(v)") + ", 'decades', " +
           facet("unnest(f.decades) v") +
           "), 'page', $8::bigint, 'total_pages', (SELECT (count(*) + $7 - 1) / $7 FROM f), "
           "'suggestion', CASE WHEN NOT EXISTS (SELECT 1 FROM hits WHERE text_hit AND tier < 3) "
           "THEN COALESCE((SELECT h.title FROM hits h WHERE h.text_hit AND h.type <> 'track' "
           "ORDER BY h.sim DESC, h.weight DESC, lower(h.title), h.id LIMIT 1), (SELECT a.name "
           "FROM artists a WHERE similarity(sonique_search_key(a.name), "
           "sonique_search_key($1::text)) > 0.2 ORDER BY similarity(sonique_search_key(a.name), "
           "sonique_search_key($1::text)) DESC, a.id LIMIT 1)) END)";
}

std::string id_array(const std::vector<int64_t>& ids) {
    std::string out = "{";
    for (size_t i = 0; i < ids.size(); ++i)
        out += (i ? "," : "") + std::to_string(ids[i]);
    return out + "}";
}

std::optional<std::string> list_param(const std::vector<std::string>& values) {
    if (values.empty()) return std::nullopt;
    return dump_json(Json(values));
}

}  // namespace

JsonText search_empty(int64_t page) {
    Json empty = {
        {"total", 0},
        {"items", Json::array()},
        {"facets",
         {{"genres", Json::array()}, {"artists", Json::array()}, {"decades", Json::array()}}},
        {"page", page},
        {"total_pages", 0},
        {"suggestion", nullptr}};
    return JsonText::from(empty);
}

JsonText search_library(db::Connection& conn, const SearchRequest& r, const VectorLists* vectors) {
    static const std::string sqls[2] = {search_sql(false), search_sql(true)};
    auto q = normalise_query(r.query);
    if (!q) return search_empty(r.page);
    bool short_query = utf8_length(*q) < kMinSubstringChars;
    db::Params params(*q);
    params.add(list_param(r.filters.genre))
        .add(list_param(r.filters.artist))
        .add(list_param(r.filters.decade))
        .add(list_param(r.filters.type))
        .add((r.page - 1) * r.page_size)
        .add(r.page_size)
        .add(r.page)
        .add(id_array(vectors ? vectors->artists : std::vector<int64_t>{}))
        .add(id_array(vectors ? vectors->tracks : std::vector<int64_t>{}));
    return JsonText(conn.exec(sqls[short_query], params).str(0, 0));
}

}  // namespace sonique::search
