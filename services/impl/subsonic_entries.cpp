#include "subsonic_entries.hpp"

#include "db/connection.hpp"
#include "subsonic_sql.hpp"

namespace sonique::services {

std::string bigint_array(const std::vector<int64_t>& ids) {
    std::string out = "{";
    for (size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ',';
        out += std::to_string(ids[i]);
    }
    return out + "}";
}

std::string song_joins(const std::string& entry_alias) {
    return " JOIN tracks t ON t.id = " + entry_alias +
           ".track_id JOIN artists ar ON ar.id = t.track_artist_id LEFT JOIN albums al ON al.id = "
           "t.album_id LEFT JOIN artists aa ON aa.id = al.album_artist_id ";
}

bool tracks_exist(db::Connection& conn, const std::vector<int64_t>& ids, const FolderScope& scope) {
    if (ids.empty()) return true;
    return conn
        .exec(
            "SELECT NOT EXISTS (SELECT 1 FROM unnest($1::bigint[]) x WHERE NOT EXISTS "
            "(SELECT 1 FROM tracks t WHERE t.id = x AND " +
                scope_track_sql(scope, "t.path") + "))",
            db::Params(bigint_array(ids)))
        .boolean(0, 0);
}

}  // namespace sonique::services
