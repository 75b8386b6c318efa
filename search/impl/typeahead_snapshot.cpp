// The typeahead's ranking over a snapshot of every name: the same matches, tiers, similarities
// and order as typeahead.cpp's statement (docs/search.md, "The typeahead index").
#include "typeahead_snapshot.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/strings.hpp"

namespace sonique::search {

// pg_trgm's default thresholds (pg_trgm.similarity_threshold, word_similarity_threshold), which
// the SQL path uses; the operators compare the float4 similarity with them (>=).
constexpr float kSimilarityThreshold = 0.3f;
constexpr float kWordSimilarityThreshold = 0.6f;

namespace {

bool contains(std::string_view s, std::string_view part) {
    return s.find(part) != std::string_view::npos;
}

}  // namespace

void TypeaheadSnapshot::Postings::build(std::vector<std::pair<Trigram, uint32_t>>& pairs) {
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    trigrams.clear();
    starts.clear();
    entries.resize(pairs.size());
    for (size_t i = 0; i < pairs.size(); ++i) {
        if (i == 0 || pairs[i].first != pairs[i - 1].first) {
            trigrams.push_back(pairs[i].first);
            starts.push_back(static_cast<uint32_t>(i));
        }
        entries[i] = pairs[i].second;
    }
    starts.push_back(static_cast<uint32_t>(pairs.size()));
    trigrams.shrink_to_fit();
    starts.shrink_to_fit();
}

size_t TypeaheadSnapshot::Postings::bytes() const {
    return trigrams.capacity() * sizeof(Trigram) + (starts.capacity() + entries.capacity()) * 4;
}

void TypeaheadSnapshot::put_text(std::string_view s, uint32_t& offset, uint32_t& length) {
    offset = static_cast<uint32_t>(text_.size());
    length = static_cast<uint32_t>(s.size());
    text_ += s;
}

TypeaheadSnapshot::TypeaheadSnapshot(std::vector<NameRow> rows,
                                     std::shared_ptr<const WordChars> words, int64_t generation,
                                     std::vector<GenreRow> genres, std::vector<ArtistRow> artists)
    : words_chars_(std::move(words)), generation_(generation) {
    entries_.reserve(rows.size());
    shown_.reserve(rows.size());
    key_trigram_n_.reserve(rows.size());
    std::vector<std::pair<Trigram, uint32_t>> fpairs, kpairs;
    std::vector<Trigram> tri;
    // Tracks share folders (an album's): each folder is kept once.
    std::unordered_map<std::string_view, uint32_t> dir_of;
    for (const NameRow& r : rows) {
        Entry e{};
        e.id = r.id;
        e.weight = r.weight;
        e.title_rank = static_cast<uint32_t>(r.title_rank);
        e.type_order = static_cast<uint8_t>(r.type_order);
        put_text(r.title, e.title, e.title_len);
        put_text(r.folded, e.folded, e.folded_len);
        put_text(r.key, e.key, e.key_len);
        if (r.artist) put_text(*r.artist, e.artist, e.artist_len);
        if (r.album) put_text(*r.album, e.album, e.album_len);
        Shown shown;
        if (r.path) {
            std::string_view path = *r.path;
            size_t slash = path.rfind('/');
            std::string_view dir = slash == std::string_view::npos ? "" : path.substr(0, slash);
            auto [it, added] = dir_of.emplace(dir, static_cast<uint32_t>(dirs_.size()));
            if (added) {
                auto& [offset, length] = dirs_.emplace_back();
                put_text(dir, offset, length);
            }
            shown.path_dir = slash == std::string_view::npos ? kNone : it->second;
            put_text(path.substr(slash == std::string_view::npos ? 0 : slash + 1), shown.path_name,
                     shown.path_name_len);
        }
        shown_.push_back(shown);
        auto index = static_cast<uint32_t>(entries_.size());
        entries_.push_back(e);
        for (size_t i = 0; i < r.folded.size(); ++i)
            if (r.folded[i] == ' ') words_.push_back({index, static_cast<uint32_t>(i + 1)});
        trigram_set(r.folded, *words_chars_, tri);
        for (Trigram t : tri)
            fpairs.emplace_back(t, index);
        trigram_set(r.key, *words_chars_, tri);
        key_trigram_n_.push_back(static_cast<uint32_t>(tri.size()));
        for (Trigram t : tri)
            kpairs.emplace_back(t, index);
    }
    build_facets(rows, std::move(genres), std::move(artists));
    rows.clear();
    rows.shrink_to_fit();
    text_.shrink_to_fit();
    words_.shrink_to_fit();
    by_folded_.resize(entries_.size());
    for (uint32_t i = 0; i < by_folded_.size(); ++i)
        by_folded_[i] = i;
    by_key_ = by_folded_;
    std::sort(by_folded_.begin(), by_folded_.end(),
              [this](uint32_t a, uint32_t b) { return folded(a) < folded(b); });
    std::sort(by_key_.begin(), by_key_.end(),
              [this](uint32_t a, uint32_t b) { return key(a) < key(b); });
    std::sort(words_.begin(), words_.end(), [this](const WordStart& a, const WordStart& b) {
        return folded(a.entry).substr(a.offset) < folded(b.entry).substr(b.offset);
    });
    folded_trigrams_.build(fpairs);
    key_trigrams_.build(kpairs);
    // Every trigram of a folded name is in the folded postings (built from the same names).
    seq_start_.reserve(entries_.size() + 1);
    seq_start_.push_back(0);
    for (uint32_t e = 0; e < entries_.size(); ++e) {
        trigram_sequence(folded(e), *words_chars_, tri);
        for (Trigram t : tri)
            seq_ids_.push_back(
                static_cast<uint32_t>(std::lower_bound(folded_trigrams_.trigrams.begin(),
                                                       folded_trigrams_.trigrams.end(), t) -
                                      folded_trigrams_.trigrams.begin()));
        seq_start_.push_back(static_cast<uint32_t>(seq_ids_.size()));
    }
    seq_ids_.shrink_to_fit();
}

size_t TypeaheadSnapshot::bytes() const noexcept {
    return entries_.capacity() * sizeof(Entry) + text_.capacity() +
           (by_folded_.capacity() + by_key_.capacity()) * 4 +
           words_.capacity() * sizeof(WordStart) + folded_trigrams_.bytes() +
           key_trigrams_.bytes() + (seq_start_.capacity() + seq_ids_.capacity()) * 4 +
           (genre_start_.capacity() + genre_ids_.capacity() + decade_start_.capacity()) * 4 +
           decades_.capacity() * 2 + artists_.capacity() * sizeof(ArtistInfo) +
           genres_.capacity() * sizeof(GenreInfo) +
           (track_ids_.capacity() + artist_ids_.capacity()) * sizeof(track_ids_[0]) +
           dirs_.capacity() * sizeof(dirs_[0]) + shown_.capacity() * sizeof(Shown) +
           key_trigram_n_.capacity() * 4;
}

// The statement's order: tier, type, similarity, weight, name, id. Strict and total.
bool TypeaheadSnapshot::better(const Hit& a, const Hit& b) const {
    const Entry &x = entries_[a.entry], &y = entries_[b.entry];
    if (a.tier != b.tier) return a.tier < b.tier;
    if (x.type_order != y.type_order) return x.type_order < y.type_order;
    if (a.sim != b.sim) return a.sim > b.sim;
    if (x.weight != y.weight) return x.weight > y.weight;
    if (x.title_rank != y.title_rank) return x.title_rank < y.title_rank;
    return x.id < y.id;
}

// Search's text order (text_sql.hpp, kHitOrder). Strict and total.
bool TypeaheadSnapshot::ranks_before(const Hit& a, const Hit& b) const {
    const Entry &x = entries_[a.entry], &y = entries_[b.entry];
    if (a.tier != b.tier) return a.tier < b.tier;
    if (a.sim != b.sim) return a.sim > b.sim;
    if (x.weight != y.weight) return x.weight > y.weight;
    if (x.title_rank != y.title_rank) return x.title_rank < y.title_rank;
    if (x.type_order != y.type_order) return x.type_order < y.type_order;
    return x.id < y.id;
}

// Each candidate's tier is exact (string comparisons) and so is the key similarity (from the
// counts: |T(qk) & T(k)| / (|T(qk)| + |T(k)| - common)); the word similarity is bounded by the
// share of the query's trigrams the name holds, and computed by settle() only when needed.
std::optional<TypeaheadSnapshot::Hit> TypeaheadSnapshot::prepare(Query& q, uint32_t e, bool full,
                                                                 bool substring) const {
    auto common = [](const std::vector<Trigram>& x, const std::vector<Trigram>& y) {
        int n = 0;
        for (size_t i = 0, j = 0; i < x.size() && j < y.size();) {
            if (x[i] < y[j]) {
                ++i;
            } else if (x[i] > y[j]) {
                ++j;
            } else {
                ++n, ++i, ++j;
            }
        }
        return n;
    };
    std::string_view f = folded(e), k = key(e);
    const bool has_key = !q.qk.empty();
    int tier = 3;
    if (!substring)
        ;  // holds neither the folded query nor its key: no tier below 3 (full_candidates)
    else if (f == q.qf || (has_key && k == q.qk))
        tier = 0;
    else if (f.substr(0, q.qf.size()) == q.qf || contains(f, q.blank_qf) ||
             (has_key && k.substr(0, q.qk.size()) == q.qk))
        tier = 1;
    else if (contains(f, q.qf) || (has_key && contains(k, q.qk)))
        tier = 2;
    if (!full && tier > 1) return std::nullopt;
    int c = 0, c_f = 0;
    if (q.counted) {
        c_f = q.exact_f(e);
        c = q.exact_k(e);
    } else {
        c_f = folded_common(q, e);
        trigram_set(k, *words_chars_, q.seq);
        c = common(q.seq, q.qk_set);
    }
    const int a = static_cast<int>(q.qk_set.size()), ulen1 = static_cast<int>(q.qf_set.size());
    int b = static_cast<int>(key_trigram_n_[e]);
    float s = a > 0 && b > 0 ? static_cast<float>(c) / static_cast<float>(a + b - c) : 0.0f;
    float w = ulen1 > 0 ? static_cast<float>(c_f) / static_cast<float>(ulen1) : 0.0f;
    bool certain = tier <= 2 || (has_key && s >= kSimilarityThreshold);
    if (!certain && w < kWordSimilarityThreshold) return std::nullopt;
    return Hit{e, tier, std::max(s, w), s, w <= s, certain};
}

bool TypeaheadSnapshot::settle(Query& q, Hit& h) const {
    if (h.exact) return true;
    float w = word_sim(q, h.entry);
    if (!h.certain && w < kWordSimilarityThreshold) return false;
    h.sim = std::max(h.key_sim, w);
    h.exact = true;
    return true;
}

// The candidates are taken from a heap ordered by their bound until none left can enter the
// first `limit` (the exact order is never better than the bound's).
std::string TypeaheadSnapshot::answer(std::string_view qf, std::string_view qk, bool short_query,
                                      int64_t limit) const {
    Lease lease;
    Scratch& sc = scratch();
    auto& candidates = sc.answer_candidates;
    auto &hits = sc.answer_hits, &top = sc.top;
    Query& q = sc.answer_q;
    start_query(q, qf, qk, !short_query);
    auto collect = [&](bool full, size_t substrings) {
        hits.clear();
        for (size_t i = 0; i < candidates.size(); ++i)
            if (auto h = prepare(q, candidates[i], full, i < substrings)) hits.push_back(*h);
    };
    candidates.clear();
    prefix_candidates(qf, qk, candidates);
    // Counting touches every posting of the query's trigrams; intersecting, some 40 trigram
    // comparisons and two small sorts per candidate.
    if (candidates.size() * 48 > q.count_cost) count_all(q);
    collect(false, candidates.size());
    if (!short_query && hits.size() < static_cast<size_t>(limit)) {
        count_all(q);
        candidates.clear();
        collect(true, full_candidates(q, candidates));
    }
    auto worse = [this](const Hit& x, const Hit& y) { return better(y, x); };
    std::make_heap(hits.begin(), hits.end(), worse);
    top.clear();
    const auto n = static_cast<size_t>(limit);
    while (!hits.empty()) {
        std::pop_heap(hits.begin(), hits.end(), worse);
        Hit h = hits.back();
        hits.pop_back();
        if (top.size() == n && !better(h, top.back())) break;  // nothing left can enter
        if (!settle(q, h)) continue;
        top.insert(std::upper_bound(top.begin(), top.end(), h,
                                    [this](const Hit& x, const Hit& y) { return better(x, y); }),
                   h);
        if (top.size() > n) top.pop_back();
    }
    return render(top);
}

// {"items":[{id, title, artist, album, type}]}; a hit without an artist row is left out, as the
// statement's join after its LIMIT leaves it out.
std::string TypeaheadSnapshot::render(const std::vector<Hit>& hits) const {
    static const char* const kTypes[] = {"", "track", "artist", "album"};
    std::string out = "{\"items\":[";
    bool first = true;
    for (const Hit& hit : hits) {
        const Entry& e = entries_[hit.entry];
        if (e.artist == kNone) continue;
        out += first ? "{\"album\":" : ",{\"album\":";
        first = false;
        if (e.album == kNone)
            out += "null";
        else
            append_json_string(out, text(e.album, e.album_len));
        out += ",\"artist\":";
        append_json_string(out, text(e.artist, e.artist_len));
        out += ",\"id\":";
        out += std::to_string(e.id);
        out += ",\"title\":";
        append_json_string(out, text(e.title, e.title_len));
        out += ",\"type\":\"";
        out += kTypes[e.type_order];
        out += "\"}";
    }
    out += "]}";
    return out;
}

}  // namespace sonique::search
