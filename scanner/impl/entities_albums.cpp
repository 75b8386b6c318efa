// Entities: albums, by MusicBrainz album id, else by (album artist, case-insensitive title).
//
// A batch's albums cost two statements whatever their number: one finds the existing ones, one
// creates the rest (so the albums' statement-level triggers also run once). The outcome is the one
// of looking each up in turn with kAlbumSql, in the batch's order (batch_choice.hpp): a later
// album may find one an earlier one created, with the titles lowered by PostgreSQL.
#include <unordered_set>

#include "batch_choice.hpp"
#include "core/strings.hpp"
#include "entities.hpp"
#include "pg_array.hpp"
#include "tag_split.hpp"

namespace sonique::scanner {
namespace {

// One album, looked up, else created. The match rule and preference order that prefetch()
// reproduces: rows whose id equals the album's (both absent counts as equal) first, then the
// oldest.
constexpr const char* kAlbumSql = R"SQL(
WITH found AS (
    SELECT id FROM albums
    WHERE ($3::text IS NOT NULL AND musicbrainz_albumid = $3)
       OR (album_artist_id = $1 AND lower(title) = lower($2)
           AND ($3::text IS NULL OR musicbrainz_albumid IS NULL))
    ORDER BY (musicbrainz_albumid IS NOT DISTINCT FROM $3) DESC, id LIMIT 1),
ins AS (
    INSERT INTO albums (album_artist_id, title, musicbrainz_albumid, release_year,
                        musicbrainz_releasegroupid, is_compilation, sort_title)
    SELECT $1, $2, $3, $4, $5, $6, $7 WHERE NOT EXISTS (SELECT 1 FROM found)
    ON CONFLICT DO NOTHING RETURNING id)
SELECT id FROM found UNION ALL SELECT id FROM ins)SQL";

// For each album, in order: its lowered title and the existing row kAlbumSql would find.
constexpr const char* kFindAlbumsSql = R"SQL(
SELECT lower(u.title), f.id, f.exact
FROM unnest($1::bigint[], $2::text[], $3::text[]) WITH ORDINALITY AS u(artist_id, title, mbid, n)
LEFT JOIN LATERAL (
    SELECT id, musicbrainz_albumid IS NOT DISTINCT FROM u.mbid AS exact FROM albums
    WHERE (u.mbid IS NOT NULL AND musicbrainz_albumid = u.mbid)
       OR (album_artist_id = u.artist_id AND lower(title) = lower(u.title)
           AND (u.mbid IS NULL OR musicbrainz_albumid IS NULL))
    ORDER BY 2 DESC, id LIMIT 1) f ON true
ORDER BY u.n)SQL";

// The new albums, created in order. One that a concurrent writer created meanwhile (same
// MusicBrainz id) returns no row and is looked up again with kAlbumSql.
constexpr const char* kInsertAlbumsSql = R"SQL(
INSERT INTO albums (album_artist_id, title, musicbrainz_albumid, release_year,
                    musicbrainz_releasegroupid, is_compilation, sort_title)
SELECT artist_id, title, mbid, year, release_group, compilation, sort_title
FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[],
            $7::text[]) WITH ORDINALITY
     AS u(artist_id, title, mbid, year, release_group, compilation, sort_title, n)
ORDER BY u.n
ON CONFLICT DO NOTHING RETURNING id, album_artist_id, title, musicbrainz_albumid)SQL";

std::string album_key(int64_t artist_id, const TrackInfo& t) {
    return t.mb_album ? "m:" + *t.mb_album
                      : "a:" + std::to_string(artist_id) + ":" + to_lower(*t.album);
}

OptStr album_year(const TrackInfo& t) {
    OptStr year = t.date ? year_of(*t.date) : std::nullopt;
    if (!year && t.original_date) year = year_of(*t.original_date);
    return year;
}

db::Params album_params(int64_t artist_id, const TrackInfo& t, bool compilation) {
    return db::Params(artist_id, *t.album, t.mb_album, album_year(t), t.mb_release_group,
                      compilation, t.album_sort);
}

// An album of the batch not in the cache.
struct Wanted {
    const Entities::AlbumRef* ref;
    std::string key, lower_title;  // lower_title: lowered by PostgreSQL, as the statement does
};

const OptStr& mbid(const Wanted& w) {
    return w.ref->track->mb_album;
}

std::string row_key(int64_t artist_id, std::string_view title, const OptStr& mbid) {
    return std::to_string(artist_id) + '\n' + std::string(title) + '\n' +
           (mbid ? "m" + *mbid : "-");
}

}  // namespace

void Entities::prefetch(const std::vector<AlbumRef>& refs) {
    std::vector<Wanted> wanted;
    std::unordered_set<std::string> seen;
    for (const auto& r : refs) {
        std::string key = album_key(r.artist_id, *r.track);
        if (albums_.contains(key) || !seen.insert(key).second) continue;
        wanted.push_back({&r, std::move(key), {}});
    }
    if (wanted.empty()) return;

    PgArray artists, titles, mbids;
    for (const auto& w : wanted) {
        artists.add_num(std::optional<int64_t>(w.ref->artist_id));
        titles.add(*w.ref->track->album);
        mbids.add(mbid(w));
    }
    auto found =
        conn_.exec_custom(kFindAlbumsSql, db::Params(artists.str(), titles.str(), mbids.str()));
    std::vector<BatchItem> items(wanted.size());
    for (size_t i = 0; i < wanted.size(); ++i) {
        int row = static_cast<int>(i);
        wanted[i].lower_title = found.str(row, 0);
        items[i].found = found.opt_int64(row, 1);
        items[i].found_exact = items[i].found && found.boolean(row, 2);
    }
    // kAlbumSql's rule: the same id, or the same artist and title when either has no id.
    auto matches = [&](size_t e, size_t l) {
        const Wanted &earlier = wanted[e], &later = wanted[l];
        if (mbid(later) && mbid(earlier) == mbid(later)) return true;
        return earlier.ref->artist_id == later.ref->artist_id &&
               earlier.lower_title == later.lower_title && (!mbid(later) || !mbid(earlier));
    };
    auto exact = [&](size_t e, size_t l) { return mbid(wanted[e]) == mbid(wanted[l]); };
    std::vector<size_t> created = choose_rows(items, matches, exact);

    if (!created.empty()) {
        PgArray a, t, m, year, group, comp, sort;
        for (size_t c : created) {
            const TrackInfo& track = *wanted[c].ref->track;
            a.add_num(std::optional<int64_t>(wanted[c].ref->artist_id));
            t.add(*track.album);
            m.add(track.mb_album);
            year.add(album_year(track));
            group.add(track.mb_release_group);
            comp.add(wanted[c].ref->compilation ? "true" : "false");
            sort.add(track.album_sort);
        }
        auto rows = conn_.exec_custom(
            kInsertAlbumsSql,
            db::Params(a.str(), t.str(), m.str(), year.str(), group.str(), comp.str(), sort.str()));
        // New rows differ in (artist, title, id): equal ones would have matched each other.
        std::unordered_map<std::string, int64_t> by_row;
        for (int r = 0; r < rows.rows(); ++r)
            by_row[row_key(rows.int64(r, 1), rows.text(r, 2), rows.opt_str(r, 3))] =
                rows.int64(r, 0);
        for (size_t c : created) {
            const AlbumRef& ref = *wanted[c].ref;
            auto it = by_row.find(row_key(ref.artist_id, *ref.track->album, mbid(wanted[c])));
            items[c].id = it != by_row.end()
                              ? it->second
                              : run_twice(kAlbumSql,
                                          album_params(ref.artist_id, *ref.track, ref.compilation));
        }
    }
    for (size_t i = 0; i < wanted.size(); ++i)
        albums_[wanted[i].key] = resolved_id(items, i);
}

void Entities::forget_album(int64_t artist_id, const TrackInfo& t) {
    albums_.erase(album_key(artist_id, t));
}

int64_t Entities::album(int64_t artist_id, const TrackInfo& t, bool compilation) {
    std::string key = album_key(artist_id, t);
    if (auto it = albums_.find(key); it != albums_.end()) return it->second;
    int64_t id = run_twice(kAlbumSql, album_params(artist_id, t, compilation));
    albums_[key] = id;
    return id;
}

}  // namespace sonique::scanner
