// What POST /api/search/ filters and counts beside the names (docs/search.md, "Search from the
// index"): per entry its artist, genres and decades, as search_library()'s statement derives
// them (an artist's and an album's from their tracks; an album's decade from its release year
// when it has one).
#include <algorithm>
#include <unordered_map>

#include "typeahead_snapshot.hpp"

namespace sonique::search {
namespace {

// Sorted unique (entry, value) pairs as compressed rows: starts[e] .. starts[e + 1].
template <typename V>
void compress(std::vector<std::pair<uint32_t, V>>& pairs, size_t entries,
              std::vector<uint32_t>& starts, std::vector<V>& values) {
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    starts.assign(entries + 1, 0);
    values.resize(pairs.size());
    for (size_t i = 0; i < pairs.size(); ++i) {
        ++starts[pairs[i].first + 1];
        values[i] = pairs[i].second;
    }
    for (size_t e = 0; e < entries; ++e)
        starts[e + 1] += starts[e];
}

}  // namespace

uint32_t TypeaheadSnapshot::entry_of(int type_order, int64_t id) const {
    const auto& ids = type_order == 1 ? track_ids_ : artist_ids_;
    auto it = std::lower_bound(ids.begin(), ids.end(), std::pair<int64_t, uint32_t>(id, 0));
    return it != ids.end() && it->first == id ? it->second : kNone;
}

void TypeaheadSnapshot::build_facets(const std::vector<NameRow>& rows, std::vector<GenreRow> genres,
                                     std::vector<ArtistRow> artists) {
    std::unordered_map<int64_t, uint32_t> album_entry;
    for (uint32_t i = 0; i < rows.size(); ++i) {
        if (rows[i].type_order == 1) track_ids_.emplace_back(rows[i].id, i);
        if (rows[i].type_order == 2) artist_ids_.emplace_back(rows[i].id, i);
        if (rows[i].type_order == 3) album_entry.emplace(rows[i].id, i);
    }
    std::sort(track_ids_.begin(), track_ids_.end());
    std::sort(artist_ids_.begin(), artist_ids_.end());

    std::unordered_map<int64_t, uint32_t> artist_ref;
    for (const ArtistRow& a : artists) {
        uint32_t e = entry_of(2, a.id);
        if (e == kNone) continue;
        ArtistInfo info{e, 0, 0, static_cast<uint32_t>(a.name_rank)};
        put_text(a.lower, info.lower, info.lower_len);
        artist_ref.emplace(a.id, static_cast<uint32_t>(artists_.size()));
        artists_.push_back(info);
    }
    for (uint32_t i = 0; i < rows.size(); ++i) {
        auto it = artist_ref.find(rows[i].artist_id);
        entries_[i].artist_ref = it == artist_ref.end() ? kNone : it->second;
    }

    std::unordered_map<std::string, uint32_t> genre_id, group_id;
    for (const GenreRow& g : genres) {
        auto group = group_id.emplace(g.lower, static_cast<uint32_t>(genre_groups_.size()));
        if (group.second) genre_groups_.push_back(g.lower);
        GenreInfo info{0, 0, group.first->second, static_cast<uint32_t>(g.rank)};
        put_text(g.value, info.value, info.value_len);
        genre_id.emplace(g.value, static_cast<uint32_t>(genres_.size()));
        genres_.push_back(info);
    }

    // A track gives its genre and decade to itself, its artist and its album (an album with a
    // release year of its own keeps that decade alone).
    std::vector<std::pair<uint32_t, uint32_t>> genre_pairs;
    std::vector<std::pair<uint32_t, uint16_t>> decade_pairs;
    std::vector<std::pair<uint32_t, uint32_t>> shown;  // (artist or album, genre) per track
    for (uint32_t i = 0; i < rows.size(); ++i) {
        const NameRow& r = rows[i];
        if (r.type_order == 3 && r.decade >= 0)
            decade_pairs.emplace_back(i, static_cast<uint16_t>(r.decade));
        if (r.type_order != 1) continue;
        uint32_t artist = entry_of(2, r.artist_id), album = kNone;
        if (r.album_id != 0)
            if (auto it = album_entry.find(r.album_id); it != album_entry.end()) album = it->second;
        if (r.genre) {
            auto g = genre_id.find(*r.genre);
            if (g != genre_id.end()) {
                for (uint32_t to : {i, artist, album})
                    if (to != kNone) genre_pairs.emplace_back(to, g->second);
                shown_[i].genre = g->second;
                for (uint32_t to : {artist, album})
                    if (to != kNone) shown.emplace_back(to, g->second);
            }
        }
        if (r.decade >= 0) {
            auto d = static_cast<uint16_t>(r.decade);
            decade_pairs.emplace_back(i, d);
            if (artist != kNone) decade_pairs.emplace_back(artist, d);
            if (album != kNone && rows[album].decade < 0) decade_pairs.emplace_back(album, d);
        }
    }
    // An artist's or album's shown genre: its tracks' most frequent, then the first in the
    // database's collation (the statement's ORDER BY count(*) DESC, x.genre LIMIT 1).
    std::sort(shown.begin(), shown.end());
    std::unordered_map<uint32_t, uint32_t> best;  // entry -> its shown genre's track count
    for (size_t i = 0, j = 0; i < shown.size(); i = j) {
        while (j < shown.size() && shown[j] == shown[i])
            ++j;
        Shown& x = shown_[shown[i].first];
        auto n = static_cast<uint32_t>(j - i);
        uint32_t g = shown[i].second;
        uint32_t& best_n = best[shown[i].first];
        if (x.genre == kNone || n > best_n ||
            (n == best_n && genres_[g].rank < genres_[x.genre].rank)) {
            x.genre = g;
            best_n = n;
        }
    }
    compress(genre_pairs, entries_.size(), genre_start_, genre_ids_);
    compress(decade_pairs, entries_.size(), decade_start_, decades_);
    track_ids_.shrink_to_fit();
    artist_ids_.shrink_to_fit();
}

}  // namespace sonique::search
