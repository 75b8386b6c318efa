// POST /api/search/ over the typeahead index's snapshot (docs/search.md, "Search from the
// index"): the same matches, text ranks, Reciprocal Rank Fusion, total, facets and suggestion as
// search_library()'s statement, computed in memory; only the page's rows are read afterwards.
#include <algorithm>
#include <unordered_map>

#include "core/json.hpp"
#include "core/strings.hpp"
#include "typeahead_snapshot.hpp"

namespace sonique::search {
namespace {

constexpr const char* const kTypes[] = {"", "track", "artist", "album"};
// Facets list at most this many values each (search_library.cpp's kFacetValues).
constexpr size_t kFacetValues = 20;

bool listed(const std::vector<std::string>& list, std::string_view value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

// "1990s" -> 199, as the statement's decades are written (a year 1000..2999 / 10 * 10, then
// "s"); anything else names no decade (-1).
int decade_of(const std::string& text) {
    if (text.size() != 5 || text[4] != 's' || text[3] != '0') return -1;
    int n = 0;
    for (int i = 0; i < 4; ++i) {
        if (text[i] < '0' || text[i] > '9') return -1;
        n = n * 10 + (text[i] - '0');
    }
    return n >= 1000 && n <= 2999 ? n / 10 : -1;
}

}  // namespace

bool TypeaheadSnapshot::passes(uint32_t e, const LoweredFilters& f,
                               const std::vector<bool>& genre_groups,
                               const std::vector<bool>& artists,
                               const std::vector<int>& decades) const {
    const Entry& x = entries_[e];
    if (!f.type.empty() && !listed(f.type, kTypes[x.type_order])) return false;
    if (!f.artist.empty() && (x.artist_ref == kNone || !artists[x.artist_ref])) return false;
    if (!f.genre.empty()) {
        bool any = false;
        for (uint32_t i = genre_start_[e]; i < genre_start_[e + 1] && !any; ++i)
            any = genre_groups[genres_[genre_ids_[i]].group];
        if (!any) return false;
    }
    if (!f.decade.empty()) {
        bool any = false;
        for (uint32_t i = decade_start_[e]; i < decade_start_[e + 1] && !any; ++i)
            any = std::find(decades.begin(), decades.end(), decades_[i]) != decades.end();
        if (!any) return false;
    }
    return true;
}

// Per facet: the values of the rows counted, grouped as the statement groups them (genres by
// lower(), shown as the group's least value in the database's collation), the most frequent
// first, then by that value.
std::string TypeaheadSnapshot::facets(const std::vector<uint32_t>& rows) const {
    Scratch& sc = scratch();
    auto &genre_n = sc.genre_n, &artist_n = sc.artist_n, &decade_n = sc.decade_n;
    genre_n.assign(genres_.size(), 0);
    artist_n.assign(artists_.size(), 0);
    decade_n.assign(300, 0);
    for (uint32_t e : rows) {
        for (uint32_t i = genre_start_[e]; i < genre_start_[e + 1]; ++i)
            ++genre_n[genre_ids_[i]];
        for (uint32_t i = decade_start_[e]; i < decade_start_[e + 1]; ++i)
            ++decade_n[decades_[i]];
        if (entries_[e].artist_ref != kNone) ++artist_n[entries_[e].artist_ref];
    }
    // (count, rank, what to show): names are written for the first kFacetValues only.
    struct Value {
        int64_t count;
        uint32_t rank;
        uint32_t what;
    };
    // [{"count":…,"name":…},…] (the keys in the order a JSON object of the library writes).
    std::string out;
    auto list = [&out](std::vector<Value>& values, auto name) {
        auto first = [](const Value& a, const Value& b) {
            return a.count != b.count ? a.count > b.count : a.rank < b.rank;
        };
        size_t n = std::min(values.size(), kFacetValues);
        std::partial_sort(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(n),
                          values.end(), first);
        out += '[';
        for (size_t i = 0; i < n; ++i) {
            out += i ? ",{\"count\":" : "{\"count\":";
            out += std::to_string(values[i].count);
            out += ",\"name\":";
            append_json_string(out, name(values[i].what));
            out += '}';
        }
        out += ']';
    };
    std::vector<Value> groups(genre_groups_.size(), Value{0, UINT32_MAX, 0});
    for (size_t g = 0; g < genres_.size(); ++g) {
        if (genre_n[g] == 0) continue;
        Value& v = groups[genres_[g].group];
        v.count += genre_n[g];
        if (genres_[g].rank < v.rank) {
            v.rank = genres_[g].rank;
            v.what = static_cast<uint32_t>(g);
        }
    }
    groups.erase(
        std::remove_if(groups.begin(), groups.end(), [](const Value& v) { return v.count == 0; }),
        groups.end());
    std::vector<Value> artists, decades;
    for (size_t a = 0; a < artists_.size(); ++a)
        if (artist_n[a] > 0)
            artists.push_back({artist_n[a], artists_[a].name_rank, static_cast<uint32_t>(a)});
    for (uint32_t d = 0; d < decade_n.size(); ++d)
        if (decade_n[d] > 0) decades.push_back({decade_n[d], d, d});
    auto genre_name = [this](uint32_t g) { return text(genres_[g].value, genres_[g].value_len); };
    auto artist_name = [this](uint32_t a) {
        const Entry& x = entries_[artists_[a].entry];
        return text(x.title, x.title_len);
    };
    auto decade_name = [](uint32_t d) { return std::to_string(d * 10) + "s"; };
    out += "{\"artists\":";
    list(artists, artist_name);
    out += ",\"decades\":";
    list(decades, decade_name);
    out += ",\"genres\":";
    list(groups, genre_name);
    out += '}';
    return out;
}

// When nothing matched better than fuzzily: the best fuzzy artist or album name; when nothing
// matched at all, the artist whose key is closest by trigrams (similarity > 0.2, compared in
// float8 as the statement's `> 0.2` is).
std::optional<std::string> TypeaheadSnapshot::suggestion(Query& q, std::vector<Hit>& hits) const {
    if (std::any_of(hits.begin(), hits.end(), [](const Hit& h) { return h.tier < 3; }))
        return std::nullopt;
    const Hit* best = nullptr;
    for (Hit& h : hits) {
        const Entry& x = entries_[h.entry];
        if (x.type_order == 1 || !settle(q, h)) continue;
        if (best) {
            const Entry& y = entries_[best->entry];
            if (h.sim != best->sim             ? h.sim < best->sim
                : x.weight != y.weight         ? x.weight < y.weight
                : x.title_rank != y.title_rank ? x.title_rank > y.title_rank
                                               : x.id > y.id)
                continue;
        }
        best = &h;
    }
    if (best)
        return std::string(text(entries_[best->entry].title, entries_[best->entry].title_len));
    // Every key holding one of the query key's trigrams (rare: nothing matched at all), so all
    // of its lists are counted here, not only count_all()'s rarest.
    Scratch& sc = scratch();
    Counts& all = sc.all;
    auto &lists = sc.lists, &none = sc.none;
    key_trigrams_.plan(q.qk_set, q.qk_set.size(), lists, none);
    Postings::count(lists, all, entries_.size());
    const int a = static_cast<int>(q.qk_set.size());
    uint32_t found = kNone;
    float found_sim = 0;
    for (uint32_t e : all.touched) {
        const Entry& x = entries_[e];
        int b = static_cast<int>(key_trigram_n_[e]), c = all.n[e];
        if (x.type_order != 2 || a == 0 || b == 0) continue;
        float s = static_cast<float>(c) / static_cast<float>(a + b - c);
        if (!(static_cast<double>(s) > 0.2)) continue;
        if (found == kNone || s > found_sim || (s == found_sim && x.id < entries_[found].id)) {
            found = e;
            found_sim = s;
        }
    }
    if (found == kNone) return std::nullopt;
    return std::string(text(entries_[found].title, entries_[found].title_len));
}

SearchPlan TypeaheadSnapshot::search(std::string_view qf, std::string_view qk, bool short_query,
                                     const LoweredFilters& filters,
                                     const std::vector<int64_t>& vector_artists,
                                     const std::vector<int64_t>& vector_tracks, int64_t offset,
                                     int64_t size) const {
    Lease lease;
    Scratch& sc = scratch();
    Query& q = sc.search_q;
    auto &candidates = sc.search_candidates, &rows = sc.rows;
    auto &hits = sc.search_hits, &text_hits = sc.text_hits;
    start_query(q, qf, qk, !short_query);
    candidates.clear();
    size_t substrings = 0;  // the first candidates that may hold the query (full_candidates)
    if (short_query) {
        prefix_candidates(qf, qk, candidates);
        substrings = candidates.size();
        if (candidates.size() * 48 > q.count_cost) count_all(q);
    } else {
        count_all(q);
        substrings = full_candidates(q, candidates);
    }
    // Every match (an item whose artist row is missing is no row of the statement's joins);
    // membership is exact, the similarity of a certain match may still be a bound.
    hits.clear();
    for (size_t i = 0; i < candidates.size(); ++i) {
        uint32_t e = candidates[i];
        if (entries_[e].artist_ref == kNone) continue;
        auto h = prepare(q, e, !short_query, i < substrings);
        if (h && (h->certain || settle(q, *h))) hits.push_back(*h);
    }
    SearchPlan plan;
    std::vector<PageRow> page;
    plan.suggestion = suggestion(q, hits);

    std::vector<bool> genre_groups(genre_groups_.size()), artist_ok(artists_.size());
    std::vector<int> decades;
    for (size_t g = 0; g < genre_groups_.size(); ++g)
        genre_groups[g] = listed(filters.genre, genre_groups_[g]);
    if (!filters.artist.empty())
        for (size_t a = 0; a < artists_.size(); ++a)
            artist_ok[a] = listed(filters.artist, text(artists_[a].lower, artists_[a].lower_len));
    for (const std::string& d : filters.decade)
        decades.push_back(decade_of(d));
    auto pass = [&](uint32_t e) { return passes(e, filters, genre_groups, artist_ok, decades); };

    text_hits.clear();
    for (const Hit& h : hits)
        if (pass(h.entry)) text_hits.push_back(h);
    // The vector lists' rows that pass the filters, ranked per list after the filters.
    std::unordered_map<uint32_t, int64_t> vector_rank;
    for (auto [ids, type] : {std::pair{&vector_artists, 2}, std::pair{&vector_tracks, 1}}) {
        int64_t r = 0;
        for (int64_t id : *ids) {
            uint32_t e = entry_of(type, id);
            if (e == kNone || entries_[e].artist_ref == kNone || !pass(e)) continue;
            vector_rank.emplace(e, ++r);
        }
    }
    auto before = [this](const Hit& a, const Hit& b) { return ranks_before(a, b); };
    const auto end = static_cast<size_t>(std::max<int64_t>(offset, 0));
    const auto want = static_cast<uint64_t>(end) + static_cast<uint64_t>(size);
    rows.clear();
    if (vector_rank.empty()) {
        // The text list alone: scores fall with the text rank, so the page is text ranks
        // offset + 1 .. offset + size, and only those need exact similarities (taken from a
        // heap ordered by the bounds until none left can enter, as the typeahead does).
        for (const Hit& h : text_hits)
            rows.push_back(h.entry);
        std::vector<Hit> top;
        if (want >= text_hits.size()) {
            for (Hit& h : text_hits)
                settle(q, h);
            std::sort(text_hits.begin(), text_hits.end(), before);
            top = text_hits;
        } else {
            auto worse = [&](const Hit& x, const Hit& y) { return before(y, x); };
            std::make_heap(text_hits.begin(), text_hits.end(), worse);
            while (!text_hits.empty()) {
                std::pop_heap(text_hits.begin(), text_hits.end(), worse);
                Hit h = text_hits.back();
                text_hits.pop_back();
                if (top.size() == want && !before(h, top.back())) break;
                settle(q, h);
                top.insert(std::upper_bound(top.begin(), top.end(), h, before), h);
                if (top.size() > want) top.pop_back();
            }
        }
        for (size_t i = end; i < top.size(); ++i)
            page.push_back({top[i].entry, static_cast<int64_t>(i + 1), 0});
    } else {
        // Fused: every text rank is needed (an item of a vector list may be far down the text).
        for (Hit& h : text_hits)
            settle(q, h);
        std::sort(text_hits.begin(), text_hits.end(), before);
        struct Fused {
            uint32_t entry;
            int64_t text_rank, vector_rank;
            double score;
        };
        std::vector<Fused> all;
        all.reserve(text_hits.size() + vector_rank.size());
        for (size_t i = 0; i < text_hits.size(); ++i) {
            int64_t v = 0;
            if (auto it = vector_rank.find(text_hits[i].entry); it != vector_rank.end()) {
                v = it->second;
                vector_rank.erase(it);
            }
            all.push_back({text_hits[i].entry, static_cast<int64_t>(i + 1), v, 0});
        }
        for (auto [e, v] : vector_rank)
            all.push_back({e, 0, v, 0});
        for (Fused& f : all) {
            f.score = fused_score(f.text_rank, f.vector_rank);
            rows.push_back(f.entry);
        }
        auto order = [this](const Fused& a, const Fused& b) {
            const Entry &x = entries_[a.entry], &y = entries_[b.entry];
            if (a.score != b.score) return a.score > b.score;
            if (x.id != y.id) return x.id < y.id;
            return x.type_order < y.type_order;
        };
        size_t n = std::min<uint64_t>(want, all.size());
        std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(),
                          order);
        for (size_t i = end; i < n; ++i)
            page.push_back({all[i].entry, all[i].text_rank, all[i].vector_rank});
    }
    plan.total = static_cast<int64_t>(rows.size());
    plan.items = page_items(page);
    plan.facets = facets(rows);
    return plan;
}

}  // namespace sonique::search
