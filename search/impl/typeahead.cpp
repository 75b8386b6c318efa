// GET /api/search/typeahead's one statement.
#include "db/connection.hpp"
#include "search/text_search.hpp"
#include "text_sql.hpp"

namespace sonique::search {
namespace {

// Within a tier, tracks come first: the old clients of this route only knew tracks.
constexpr const char* kTypeaheadOrder =
    "h.tier, h.type_order, h.sim DESC, h.weight DESC, lower(h.title), h.id";

std::string typeahead_sql(bool short_query) {
    return std::string(
               "SELECT json_build_object('items', COALESCE(json_agg(json_build_object("
               "'id', h.id, 'title', h.title, 'artist', h.artist, 'album', h.album, "
               "'type', h.type) ORDER BY ") +
           kTypeaheadOrder + "), '[]'::json)) FROM (SELECT * FROM (" +
           hits_sql(short_query, false) + ") h ORDER BY " + kTypeaheadOrder + " LIMIT $2) h";
}

}  // namespace

JsonText typeahead_empty() {
    return JsonText(R"({"items":[]})");
}

JsonText typeahead(db::Connection& conn, std::string_view query, int64_t limit) {
    static const std::string sqls[2] = {typeahead_sql(false), typeahead_sql(true)};
    auto q = normalise_query(query);
    if (!q) return typeahead_empty();
    bool short_query = utf8_length(*q) < kMinSubstringChars;
    return JsonText(conn.exec(sqls[short_query], db::Params(*q, limit)).str(0, 0));
}

}  // namespace sonique::search
