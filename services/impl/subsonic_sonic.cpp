// SubsonicInfo's answers by sound: getSonicSimilarTracks, findSonicPath and the instant mix of
// getSimilarSongs (docs/subsonic.md, "Similarity"). The sonic index gives ordered track ids; one
// statement turns them into songs, keeping the order and the user's scope.
#include <cmath>
#include <cstdio>
#include <numeric>

#include "core/json.hpp"
#include "db/pool.hpp"
#include "services/sonic_index.hpp"
#include "services/subsonic_info.hpp"
#include "subsonic_sql.hpp"

namespace sonique::services {
namespace {

// The index is asked for this many times `count` (and a few more), so that the user's scope can
// leave some out and still fill the answer in most libraries.
constexpr size_t kScopeRoom = 3;

std::string id_array(const std::vector<int64_t>& ids) {
    std::string out = "{";
    for (size_t i = 0; i < ids.size(); ++i)
        out += (i ? "," : "") + std::to_string(ids[i]);
    return out + "}";
}

std::string number_array(const std::vector<double>& values) {
    std::string out = "{";
    char buf[32];
    for (size_t i = 0; i < values.size(); ++i) {
        std::snprintf(buf, sizeof buf, "%s%.6g", i ? "," : "", values[i]);
        out += buf;
    }
    return out + "}";
}

std::string ordered_sql(const FolderScope& scope, bool matches) {
    std::string item =
        matches ? "json_build_object('entry', " + kSubsonicSongJson + ", 'similarity', u.s)"
                : kSubsonicSongJson;
    return std::string("SELECT json_build_object('") + (matches ? "sonicMatch" : "song") +
           "', COALESCE((SELECT json_agg(x.j ORDER BY x.o) FROM (SELECT " + item +
           " AS j, u.o FROM unnest($1::bigint[], $2::float8[]) WITH ORDINALITY AS u(id, s, o) "
           "JOIN tracks t ON t.id = u.id JOIN artists ar ON ar.id = t.track_artist_id LEFT JOIN "
           "albums al ON al.id = t.album_id LEFT JOIN artists aa ON aa.id = al.album_artist_id "
           "WHERE " +
           scope_track_sql(scope, "t.path") + " ORDER BY u.o LIMIT $3) x), '[]'::json))";
}

// The tracks of ids (all of them) that exist in the scope.
std::string in_scope_sql(const FolderScope& scope) {
    return "SELECT t.id FROM tracks t WHERE t.id = ANY($1::bigint[]) AND " +
           scope_track_sql(scope, "t.path");
}

double dot(const std::vector<float>& a, const std::vector<float>& b) {
    return std::inner_product(a.begin(), a.end(), b.begin(), 0.0);
}

}  // namespace

JsonText SubsonicInfo::ordered_songs(const std::vector<int64_t>& ids,
                                     const std::vector<double>& similarity, int64_t count,
                                     bool matches) {
    auto conn = ctx_.pool.acquire();
    return JsonText(conn->exec(with_user(ordered_sql(scope_, matches), 4),
                               db::Params(id_array(ids), number_array(similarity), count, user_))
                        .str(0, 0));
}

std::optional<JsonText> SubsonicInfo::sonic_songs(int64_t track, int64_t count, bool matches) {
    if (!ctx_.sonic || count <= 0) return std::nullopt;
    auto hits = ctx_.sonic->similar_tracks(track, static_cast<size_t>(count) * kScopeRoom + 10);
    if (!hits) return std::nullopt;
    std::vector<int64_t> ids;
    std::vector<double> similarity;
    ids.push_back(track);  // checked for the scope with the rest, then dropped below
    similarity.push_back(1.0);
    for (const auto& h : *hits) {
        ids.push_back(h.id);
        similarity.push_back(normalised_similarity(h.similarity));
    }
    Json out = Json::parse(ordered_songs(ids, similarity, count + 1, matches).text);
    Json& list = out[matches ? "sonicMatch" : "song"];
    if (list.empty()) return JsonText(dump_json(out));
    const Json& head = matches ? list[0]["entry"] : list[0];
    if (head.value("id", "") != "tr-" + std::to_string(track)) return std::nullopt;
    list.erase(list.begin());
    return JsonText(dump_json(out));
}

std::optional<JsonText> SubsonicInfo::sonic_similar(int64_t track, int64_t count) {
    {
        auto conn = ctx_.pool.acquire();
        if (conn->exec(in_scope_sql(scope_), db::Params(id_array({track}))).empty())
            return std::nullopt;
    }
    if (auto out = sonic_songs(track, count, true)) return out;
    return JsonText(R"({"sonicMatch":[]})");
}

std::optional<JsonText> SubsonicInfo::sonic_path(int64_t from, int64_t to, int64_t count) {
    {
        auto conn = ctx_.pool.acquire();
        if (conn->exec(in_scope_sql(scope_), db::Params(id_array({from, to}))).rows() !=
            (from == to ? 1 : 2))
            return std::nullopt;
    }
    std::optional<std::vector<int64_t>> path;
    if (ctx_.sonic && count > 0)
        path = ctx_.sonic->path(
            from, to, static_cast<size_t>(count), [this](const std::vector<int64_t>& candidates) {
                auto conn = ctx_.pool.acquire();
                auto r = conn->exec(in_scope_sql(scope_), db::Params(id_array(candidates)));
                std::vector<int64_t> kept;
                for (int i = 0; i < r.rows(); ++i)
                    kept.push_back(r.int64(i, 0));
                return kept;
            });
    if (!path) return JsonText(R"({"sonicMatch":[]})");
    std::vector<double> similarity;
    std::optional<std::vector<float>> before;
    for (int64_t id : *path) {
        auto v = ctx_.sonic->track_vector(id);
        similarity.push_back(before && v ? normalised_similarity(dot(*before, *v)) : 1.0);
        before = v;
    }
    return ordered_songs(*path, similarity, static_cast<int64_t>(path->size()), true);
}

}  // namespace sonique::services
