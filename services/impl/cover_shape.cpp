#include "cover_shape.hpp"

#include <stdexcept>

#include "db/sql_time.hpp"

namespace sonique::services {

std::string iso_ts_sql(std::string_view column) {
    return db::iso_timestamp_sql(column);
}

std::string cover_json_sql(std::string_view alias) {
    std::string a(alias);
    return "json_build_object('id', " + a + ".id, 'entity_type', " + a + ".entity_type, " +
           "'entity_id', " + a + ".entity_id, 'url', '/covers/' || " + a +
           ".entity_type || '/' || " + a + ".entity_id, 'mime_type', " + a +
           ".mime_type, 'date_added', " + iso_ts_sql(a + ".date_added") + ", 'date_modified', " +
           iso_ts_sql(a + ".date_modified") + ", 'cover_data', NULL)";
}

std::string covers_json_sql(std::string_view entity_type, std::string_view id_expr) {
    // One cover per entity (UNIQUE (entity_type, entity_id)): an index lookup per row.
    return "COALESCE((SELECT json_agg(" + cover_json_sql("cv") +
           ") FROM covers cv WHERE cv.entity_type = '" + std::string(entity_type) +
           "' AND cv.entity_id = " + std::string(id_expr) + "), '[]'::json)";
}

std::map<int64_t, Json> load_covers(db::Connection& conn, std::string_view entity_type,
                                    const std::vector<int64_t>& ids) {
    if (entity_type != "artist" && entity_type != "album" && entity_type != "track")
        throw std::invalid_argument("unknown cover entity type");
    static const std::string sql = "SELECT cv.entity_id, " + cover_json_sql("cv") +
                                   " FROM covers cv WHERE cv.entity_type = $1"
                                   " AND cv.entity_id = ANY($2::bigint[]) ORDER BY cv.id";
    std::map<int64_t, Json> out;
    std::string array = "{";
    for (size_t i = 0; i < ids.size(); ++i) {
        if (i) array += ',';
        array += std::to_string(ids[i]);
        out[ids[i]] = Json::array();
    }
    array += '}';
    if (ids.empty()) return out;
    auto r = conn.exec(sql, db::Params(std::string(entity_type), array));
    for (int row = 0; row < r.rows(); ++row)
        out[r.int64(row, 0)].push_back(parse_json(r.text(row, 1)));
    return out;
}

}  // namespace sonique::services
