// Reading the tree snapshot (tree_snapshot.hpp) from PostgreSQL: every order comes from the
// database (its collation decides lower(name)'s order, as on the SQL path), the links are
// worked out here.
#include <algorithm>
#include <stdexcept>
#include <unordered_map>

#include "db/connection.hpp"
#include "db/result.hpp"
#include "db/transaction.hpp"
#include "tree_snapshot_loader.hpp"

namespace sonique::dlna {
namespace {

// Read before the transaction: a writer that took the sequence before this read has its xid
// already, so it is committed in the transaction's snapshot or in flight then (pending); one
// that takes it later moves the generation past this value.
constexpr const char* kGenerationSql =
    "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM sonique_library_update_id";

// Other databases' transactions are left out (as the typeahead index's are): on a cluster that
// also serves other databases, their writers ending would make every load stale at once.
constexpr const char* kPendingSql =
    "SELECT COALESCE(array_agg(x)::text, '{}') FROM pg_snapshot_xip(pg_current_snapshot()) x "
    "WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.backend_xid = xid(x) AND "
    "a.datid IS DISTINCT FROM (SELECT oid FROM pg_database WHERE datname = current_database()))";

constexpr const char* kArtistsSql = "SELECT ar.id, ar.name FROM artists ar ORDER BY lower(ar.name)";

// Albums' order (m/al) by row, the year order (under an artist) as a rank, as listing.cpp's.
constexpr const char* kAlbumsSql =
    "SELECT al.id, al.title, aa.name, al.release_year, al.album_artist_id, EXISTS (SELECT 1 FROM "
    "covers c WHERE c.entity_type = 'album' AND c.entity_id = al.id AND c.image_id IS NOT NULL), "
    "row_number() OVER (ORDER BY al.release_year, lower(al.title), al.id) FROM albums al JOIN "
    "artists aa ON aa.id = al.album_artist_id ORDER BY lower(al.title), al.id";

// kTrackColumns' fields (the names come from the artists and albums above), the cover as
// listing.cpp chooses it, and the album order (disc, number, id) as a rank.
constexpr const char* kTracksSql =
    "SELECT t.id, t.title, t.track_artist_id, t.album_id, t.genre, t.year, t.track_no, "
    "t.duration, t.file_type, t.path, t.file_size, t.bitrate, t.sample_rate, t.channels, "
    "t.bit_depth, CASE WHEN EXISTS (SELECT 1 FROM covers c WHERE c.entity_type = 'album' AND "
    "c.entity_id = t.album_id AND c.image_id IS NOT NULL) THEN 1 WHEN EXISTS (SELECT 1 FROM "
    "covers c WHERE c.entity_type = 'track' AND c.entity_id = t.id AND c.image_id IS NOT NULL) "
    "THEN 2 ELSE 0 END, row_number() OVER (ORDER BY t.album_id, t.disc_no, t.track_no, t.id), "
    "row_number() OVER (ORDER BY lower(t.path), t.path) FROM tracks t ORDER BY t.id";

constexpr const char* kGenresSql = "SELECT g.id, g.name FROM genres g ORDER BY lower(g.name), g.id";
constexpr const char* kTrackGenresSql =
    "SELECT x.track_id, x.genre_id FROM track_genres x ORDER BY x.track_id, x.genre_id";
constexpr const char* kUpdatesSql =
    "SELECT container, max(update_id) % 4294967296 FROM dlna_container_updates GROUP BY "
    "container";

// Runs `sql` through a cursor, `batch` rows a fetch, calling fn(result, row) for each row.
template <typename Fn>
void each_row(db::Connection& conn, const std::string& name, const char* sql, Fn fn) {
    conn.exec_script("DECLARE " + name + " NO SCROLL CURSOR FOR " + sql);
    for (;;) {
        auto r = conn.exec_custom("FETCH FORWARD 2000 FROM " + name);
        for (int i = 0; i < r.rows(); ++i)
            fn(r, i);
        if (r.rows() < 2000) break;
    }
    conn.exec_script("CLOSE " + name);
}

int32_t int32_of(const db::Result& r, int row, int col, uint8_t& nulls, uint8_t bit) {
    if (r.is_null(row, col)) {
        nulls |= bit;
        return 0;
    }
    int64_t v = r.int64(row, col);
    if (v < INT32_MIN || v > INT32_MAX) throw std::runtime_error("tree snapshot: integer range");
    return static_cast<int32_t>(v);
}

// The extension part of a path (from its last '.' after the last '/'), which is all the DIDL
// reads of it (the MIME type and DLNA profile): the whole paths would be half of the memory.
std::string_view ext_of(std::string_view path) {
    auto dot = path.rfind('.');
    auto slash = path.rfind('/');
    if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash))
        return {};
    return path.substr(dot);
}

}  // namespace

uint32_t snapshot_u32(size_t n) {
    if (n >= TreeSnapshot::kNone) throw std::runtime_error("tree snapshot: too many rows");
    return static_cast<uint32_t>(n);
}

void TreeSnapshotLoader::read(db::Connection& conn, const std::vector<std::string>& roots) {
    for (size_t r = 0; r < roots.size(); ++r) {
        // catalog_folders.cpp's folder_prefix(root, "").
        std::string p = roots[r];
        while (p.size() > 1 && p.back() == '/')
            p.pop_back();
        if (p != "/") p += '/';
        prefixes_.push_back(p);
        TreeSnapshot::Folder f;
        f.root = snapshot_u32(r + 1);
        s_.root_folders_.push_back(snapshot_u32(s_.folders_.size()));
        s_.folders_.push_back(f);
        folder_tracks_.emplace_back();
    }
    s_.generation_ = conn.exec(kGenerationSql).int64(0, 0);
    // A snapshot lists in xip only the transactions in flight below its xmax (the last one
    // that ended, + 1): a writer whose xid is above every ended one (test DlnaSnapshot found
    // it: "757:757:") is in flight but not listed. Taking and ending an xid of our own, after
    // every xid the writers above hold, puts each of them below the next snapshot's xmax. It
    // ends rolled back: a load running beside (the typeahead index's, another server's) that
    // lists it as a writer in flight sees it aborted, not committed, and does not reload.
    {
        db::Transaction take(conn);
        conn.exec("SELECT pg_current_xact_id()");
    }
    std::vector<uint32_t> track_rank, album_rank;
    db::Transaction tx(conn);
    conn.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    s_.pending_ = conn.exec(kPendingSql).str(0, 0);
    read_named(conn, kArtistsSql, s_.artists_, s_.artist_ids_);
    each_row(conn, "dlna_albums", kAlbumsSql, [&](const db::Result& r, int i) {
        TreeSnapshot::Album x;
        x.id = r.int64(i, 0);
        x.title = intern(r.text(i, 1));
        x.artist_name = intern(r.text(i, 2));
        x.year = text(r, i, 3);
        x.artist = s_.artist_index(r.int64(i, 4));
        x.art = r.boolean(i, 5);
        album_rank.push_back(snapshot_u32(static_cast<size_t>(r.int64(i, 6))));
        s_.album_ids_.emplace_back(x.id, snapshot_u32(s_.albums_.size()));
        s_.albums_.push_back(x);
    });
    std::sort(s_.album_ids_.begin(), s_.album_ids_.end());
    each_row(conn, "dlna_tracks", kTracksSql, [&](const db::Result& r, int i) {
        TreeSnapshot::Track t;
        t.id = r.int64(i, 0);
        t.title = add(r.text(i, 1));
        t.artist = s_.artist_index(r.int64(i, 2));
        if (!r.is_null(i, 3)) t.album = s_.album_index(r.int64(i, 3));
        if (t.artist == TreeSnapshot::kNone || (!r.is_null(i, 3) && t.album == TreeSnapshot::kNone))
            throw std::runtime_error("tree snapshot: a track's artist or album is missing");
        t.genre = text(r, i, 4);
        t.year = text(r, i, 5);
        t.track_no = int32_of(r, i, 6, t.nulls, 1);
        t.duration = int32_of(r, i, 7, t.nulls, 2);
        t.file_type = text(r, i, 8);
        t.ext = intern(ext_of(r.text(i, 9)));
        if (r.is_null(i, 10))
            t.nulls |= 4;
        else
            t.size = r.int64(i, 10);
        t.bitrate = int32_of(r, i, 11, t.nulls, 8);
        t.sample_rate = int32_of(r, i, 12, t.nulls, 16);
        t.channels = int32_of(r, i, 13, t.nulls, 32);
        t.bit_depth = int32_of(r, i, 14, t.nulls, 64);
        t.art = static_cast<uint8_t>(r.int64(i, 15));
        track_rank.push_back(snapshot_u32(static_cast<size_t>(r.int64(i, 16))));
        path_rank_.push_back(snapshot_u32(static_cast<size_t>(r.int64(i, 17))));
        add_to_folders(snapshot_u32(s_.tracks_.size()), r.text(i, 9));
        s_.tracks_.push_back(t);
    });
    read_named(conn, kGenresSql, s_.genres_, s_.genre_ids_);
    // Per track its genres (rows come by track id, as tracks_ is).
    s_.track_genres_first_.assign(s_.tracks_.size() + 1, 0);
    std::vector<std::pair<uint32_t, uint32_t>> links;
    each_row(conn, "dlna_track_genres", kTrackGenresSql, [&](const db::Result& r, int i) {
        auto t = s_.track_index(r.int64(i, 0));
        auto gi = s_.genre_index(r.int64(i, 1));
        if (t == TreeSnapshot::kNone || gi == TreeSnapshot::kNone)
            throw std::runtime_error("tree snapshot: a genre link is dangling");
        links.emplace_back(t, gi);
    });
    for (auto [t, gi] : links) {
        ++s_.track_genres_first_[t + 1];
        s_.track_genres_.push_back(gi);
    }
    for (size_t t = 0; t < s_.tracks_.size(); ++t)
        s_.track_genres_first_[t + 1] += s_.track_genres_first_[t];
    each_row(conn, "dlna_updates", kUpdatesSql, [&](const db::Result& r, int i) {
        auto ref = parse_object_id(r.text(i, 0));
        if (!ref || ref->track || !keeps_update_id(ref->node)) return;
        auto k = TreeSnapshot::key_of(*ref);
        k.update_id = static_cast<uint32_t>(r.int64(i, 1));
        s_.updates_.push_back(k);
    });
    tx.commit();
    std::sort(s_.updates_.begin(), s_.updates_.end(), [](const auto& x, const auto& y) {
        return std::tie(x.node, x.a, x.b) < std::tie(y.node, y.a, y.b);
    });
    std::vector<std::pair<uint32_t, uint32_t>>().swap(links);
    order_folders(conn);
    link(track_rank, album_rank);
}

// The listings' arrays, from the rows and their ranks.
void TreeSnapshotLoader::link(std::vector<uint32_t>& track_rank,
                              std::vector<uint32_t>& album_rank) {
    auto& s = s_;
    const size_t nt = s.tracks_.size(), na = s.albums_.size(), nar = s.artists_.size();
    // An album's tracks in album order: the tracks by rank, then bucketed by album.
    std::vector<uint32_t> by_rank(nt);
    for (size_t t = 0; t < nt; ++t)
        by_rank.at(track_rank[t] - 1) = snapshot_u32(t);
    std::vector<uint32_t> fill(na + 1, 0);
    for (const auto& t : s.tracks_)
        if (t.album != TreeSnapshot::kNone) ++s.albums_[t.album].n;
    for (size_t b = 0; b < na; ++b) {
        s.albums_[b].first = fill[b];
        fill[b + 1] = fill[b] + s.albums_[b].n;
    }
    s.album_tracks_.resize(fill[na]);
    for (auto t : by_rank)
        if (auto b = s.tracks_[t].album; b != TreeSnapshot::kNone) s.album_tracks_[fill[b]++] = t;
    // An artist's tracks (by id) and how many albums they are on.
    std::vector<uint32_t> at(nar + 1, 0);
    for (const auto& t : s.tracks_)
        ++s.artists_[t.artist].n;
    for (size_t a = 0; a < nar; ++a) {
        s.artists_[a].first = at[a];
        at[a + 1] = at[a] + s.artists_[a].n;
    }
    s.artist_tracks_.resize(nt);
    for (size_t t = 0; t < nt; ++t)
        s.artist_tracks_[at[s.tracks_[t].artist]++] = snapshot_u32(t);
    std::vector<uint32_t> seen;
    for (auto& a : s.artists_) {
        seen.clear();
        for (uint32_t i = a.first; i < a.first + a.n; ++i)
            if (auto b = s.tracks_[s.artist_tracks_[i]].album; b != TreeSnapshot::kNone)
                seen.push_back(b);
        std::sort(seen.begin(), seen.end());
        a.distinct_albums = snapshot_u32(std::unique(seen.begin(), seen.end()) - seen.begin());
    }
    // An album artist's albums in year order.
    std::vector<uint32_t> albums_by_year(na);
    for (size_t b = 0; b < na; ++b) {
        s.albums_[b].year_rank = album_rank[b];
        albums_by_year.at(album_rank[b] - 1) = snapshot_u32(b);
    }
    for (const auto& b : s.albums_)
        ++s.artists_[b.artist].albums;
    uint32_t next = 0;
    for (auto& a : s.artists_) {
        a.albums_first = next;
        next += a.albums;
    }
    s.aa_albums_.resize(na);
    std::vector<uint32_t> aa_fill(nar);
    for (size_t a = 0; a < nar; ++a)
        aa_fill[a] = s.artists_[a].albums_first;
    for (auto b : albums_by_year)
        s.aa_albums_[aa_fill[s.albums_[b].artist]++] = b;
    // A genre's artists (artist indexes are the name order).
    std::vector<std::pair<uint32_t, uint32_t>> ga;
    for (size_t t = 0; t < nt; ++t)
        for (uint32_t i = s.track_genres_first_[t]; i < s.track_genres_first_[t + 1]; ++i)
            ga.emplace_back(s.track_genres_[i], s.tracks_[t].artist);
    std::sort(ga.begin(), ga.end());
    ga.erase(std::unique(ga.begin(), ga.end()), ga.end());
    size_t i = 0;
    for (uint32_t gi = 0; gi < s.genres_.size(); ++gi) {
        s.genres_[gi].first = snapshot_u32(s.genre_artists_.size());
        for (; i < ga.size() && ga[i].first == gi; ++i)
            s.genre_artists_.push_back(ga[i].second);
        s.genres_[gi].n = snapshot_u32(s.genre_artists_.size()) - s.genres_[gi].first;
        if (s.genres_[gi].n > 0) s.genres_listed_.push_back(gi);
    }
    for (uint32_t a = 0; a < nar; ++a) {
        if (s.artists_[a].n > 0) s.track_artists_.push_back(a);
        if (s.artists_[a].albums > 0) s.album_artists_.push_back(a);
    }
    // Exact sizes: the snapshot lives until the library changes.
    s.chars_.shrink_to_fit();
    s.tracks_.shrink_to_fit();
    s.genre_artists_.shrink_to_fit();
    s.track_genres_.shrink_to_fit();
    s.track_artists_.shrink_to_fit();
    s.album_artists_.shrink_to_fit();
    s.genres_listed_.shrink_to_fit();
    s.updates_.shrink_to_fit();
    s.albums_.shrink_to_fit();
    s.artists_.shrink_to_fit();
    s.genres_.shrink_to_fit();
    s.folders_.shrink_to_fit();
}

std::shared_ptr<const TreeSnapshot> TreeSnapshot::load(
    db::Connection& conn, const std::vector<std::string>& music_roots) {
    auto s = std::make_shared<TreeSnapshot>();
    TreeSnapshotLoader loader(*s);
    loader.read(conn, music_roots);
    return s;
}

}  // namespace sonique::dlna
