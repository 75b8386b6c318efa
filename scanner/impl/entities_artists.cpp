// Entities: artists, by MusicBrainz artist id, else by case- and accent-insensitive name.
//
// A batch's artists cost two statements whatever their number, as its albums do
// (entities_albums.cpp): one finds the existing ones, one creates the rest, with the outcome of
// looking each up in turn with kArtistSql in the batch's order (batch_choice.hpp), the names
// folded by PostgreSQL.
#include <unordered_set>

#include "batch_choice.hpp"
#include "core/strings.hpp"
#include "entities.hpp"
#include "pg_array.hpp"

namespace sonique::scanner {
namespace {

// One artist, looked up, else created (see entities.cpp for the race and the custom plans).
constexpr const char* kArtistSql = R"SQL(
WITH found AS (
    SELECT id FROM artists
    WHERE ($2::text IS NOT NULL AND musicbrainz_artistid = $2) OR sonique_fold(name) = sonique_fold($1)
    ORDER BY (musicbrainz_artistid IS NOT DISTINCT FROM $2) DESC, id LIMIT 1),
ins AS (
    INSERT INTO artists (name, musicbrainz_artistid, sort_name)
    SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM found)
    ON CONFLICT DO NOTHING RETURNING id)
SELECT id FROM found UNION ALL SELECT id FROM ins)SQL";

// For each artist, in order: its folded name and the existing row kArtistSql would find.
constexpr const char* kFindArtistsSql = R"SQL(
SELECT sonique_fold(u.name), f.id, f.exact
FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(name, mbid, n)
LEFT JOIN LATERAL (
    SELECT id, musicbrainz_artistid IS NOT DISTINCT FROM u.mbid AS exact FROM artists
    WHERE (u.mbid IS NOT NULL AND musicbrainz_artistid = u.mbid)
       OR sonique_fold(name) = sonique_fold(u.name)
    ORDER BY 2 DESC, id LIMIT 1) f ON true
ORDER BY u.n)SQL";

// The new artists, created in order. One that a concurrent writer created meanwhile (same name
// or MusicBrainz id) returns no row and is looked up again with kArtistSql.
constexpr const char* kInsertArtistsSql = R"SQL(
INSERT INTO artists (name, musicbrainz_artistid, sort_name)
SELECT name, mbid, sort_name
FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS u(name, mbid, sort_name, n)
ORDER BY u.n
ON CONFLICT DO NOTHING RETURNING id, name)SQL";

std::string artist_key(const std::string& name, const OptStr& mbid) {
    return mbid ? "m:" + *mbid : "n:" + to_lower(name);
}

struct Wanted {
    const Entities::ArtistRef* ref;
    std::string key, folded;  // folded: by PostgreSQL, as the statement does
};

}  // namespace

void Entities::prefetch(const std::vector<ArtistRef>& refs) {
    std::vector<Wanted> wanted;
    std::unordered_set<std::string> seen;
    for (const auto& r : refs) {
        std::string key = artist_key(r.name, r.mbid);
        if (artists_.contains(key) || !seen.insert(key).second) continue;
        wanted.push_back({&r, std::move(key), {}});
    }
    if (wanted.empty()) return;

    PgArray names, mbids;
    for (const auto& w : wanted) {
        names.add(w.ref->name);
        mbids.add(w.ref->mbid);
    }
    auto found = conn_.exec_custom(kFindArtistsSql, db::Params(names.str(), mbids.str()));
    std::vector<BatchItem> items(wanted.size());
    for (size_t i = 0; i < wanted.size(); ++i) {
        int row = static_cast<int>(i);
        wanted[i].folded = found.str(row, 0);
        items[i].found = found.opt_int64(row, 1);
        items[i].found_exact = items[i].found && found.boolean(row, 2);
    }
    // kArtistSql's rule: the same id, or the same folded name.
    auto matches = [&](size_t e, size_t l) {
        const ArtistRef &earlier = *wanted[e].ref, &later = *wanted[l].ref;
        return (later.mbid && earlier.mbid == later.mbid) || wanted[e].folded == wanted[l].folded;
    };
    auto exact = [&](size_t e, size_t l) { return wanted[e].ref->mbid == wanted[l].ref->mbid; };
    std::vector<size_t> created = choose_rows(items, matches, exact);

    if (!created.empty()) {
        PgArray n, m, sort;
        for (size_t c : created) {
            n.add(wanted[c].ref->name);
            m.add(wanted[c].ref->mbid);
            sort.add(wanted[c].ref->sort_name);
        }
        auto rows = conn_.exec_custom(kInsertArtistsSql, db::Params(n.str(), m.str(), sort.str()));
        // New rows differ in name: equal folded names would have matched each other.
        std::unordered_map<std::string, int64_t> by_name;
        for (int r = 0; r < rows.rows(); ++r)
            by_name[rows.str(r, 1)] = rows.int64(r, 0);
        for (size_t c : created) {
            const ArtistRef& ref = *wanted[c].ref;
            auto it = by_name.find(ref.name);
            items[c].id =
                it != by_name.end()
                    ? it->second
                    : run_twice(kArtistSql, db::Params(ref.name, ref.mbid, ref.sort_name));
        }
    }
    for (size_t i = 0; i < wanted.size(); ++i)
        artists_[wanted[i].key] = resolved_id(items, i);
}

int64_t Entities::artist(const std::string& name, const OptStr& mbid, const OptStr& sort_name) {
    std::string key = artist_key(name, mbid);
    if (auto it = artists_.find(key); it != artists_.end()) return it->second;
    int64_t id = run_twice(kArtistSql, db::Params(name, mbid, sort_name));
    artists_[key] = id;
    return id;
}

}  // namespace sonique::scanner
