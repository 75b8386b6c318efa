// The typeahead's ranking over a snapshot of every name: the same matches, tiers, similarities
// and order as typeahead.cpp's statement (docs/search.md, "The typeahead index").
#include "typeahead_snapshot.hpp"

#include <algorithm>
#include <cstring>

#include "core/json.hpp"

namespace sonique::search {

// pg_trgm's default thresholds (pg_trgm.similarity_threshold, word_similarity_threshold), which
// the SQL path uses; the operators compare the float4 similarity with them (>=).
constexpr float kSimilarityThreshold = 0.3f;
constexpr float kWordSimilarityThreshold = 0.6f;

namespace {

bool contains(std::string_view s, std::string_view part) {
    return s.find(part) != std::string_view::npos;
}

// Entries met more than once in one query are taken once: a stamp per entry and per query.
struct Seen {
    std::vector<uint32_t> stamp;
    uint32_t epoch = 0;
    void start(size_t n) {
        if (stamp.size() != n || ++epoch == 0) {
            stamp.assign(n, 0);
            epoch = 1;
        }
    }
    bool first(uint32_t e) {
        if (stamp[e] == epoch) return false;
        stamp[e] = epoch;
        return true;
    }
};

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

TypeaheadSnapshot::TypeaheadSnapshot(std::vector<NameRow> rows,
                                     std::shared_ptr<const WordChars> words, int64_t generation,
                                     std::vector<GenreRow> genres, std::vector<ArtistRow> artists)
    : words_chars_(std::move(words)), generation_(generation) {
    entries_.reserve(rows.size());
    auto put = [this](const std::string& s, uint32_t& off, uint32_t& len) {
        off = static_cast<uint32_t>(text_.size());
        len = static_cast<uint32_t>(s.size());
        text_ += s;
    };
    std::vector<std::pair<Trigram, uint32_t>> fpairs, kpairs;
    std::vector<Trigram> tri;
    for (const NameRow& r : rows) {
        Entry e{};
        e.id = r.id;
        e.weight = r.weight;
        e.title_rank = static_cast<uint32_t>(r.title_rank);
        e.type_order = static_cast<uint8_t>(r.type_order);
        put(r.title, e.title, e.title_len);
        put(r.folded, e.folded, e.folded_len);
        put(r.key, e.key, e.key_len);
        if (r.artist) put(*r.artist, e.artist, e.artist_len);
        if (r.album) put(*r.album, e.album, e.album_len);
        auto index = static_cast<uint32_t>(entries_.size());
        entries_.push_back(e);
        for (size_t i = 0; i < r.folded.size(); ++i)
            if (r.folded[i] == ' ') words_.push_back({index, static_cast<uint32_t>(i + 1)});
        trigram_set(r.folded, *words_chars_, tri);
        for (Trigram t : tri)
            fpairs.emplace_back(t, index);
        trigram_set(r.key, *words_chars_, tri);
        entries_.back().key_trigrams = static_cast<uint32_t>(tri.size());
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
}

size_t TypeaheadSnapshot::bytes() const noexcept {
    return entries_.capacity() * sizeof(Entry) + text_.capacity() +
           (by_folded_.capacity() + by_key_.capacity()) * 4 +
           words_.capacity() * sizeof(WordStart) + folded_trigrams_.bytes() +
           key_trigrams_.bytes() +
           (genre_start_.capacity() + genre_ids_.capacity() + decade_start_.capacity()) * 4 +
           decades_.capacity() * 2 + artists_.capacity() * sizeof(ArtistInfo) +
           genres_.capacity() * sizeof(GenreInfo) +
           (track_ids_.capacity() + artist_ids_.capacity()) * sizeof(track_ids_[0]);
}

// Tiers 0 and 1: the folded name or its key starts with the query's, or a word of the name does.
void TypeaheadSnapshot::prefix_candidates(std::string_view qf, std::string_view qk,
                                          std::vector<uint32_t>& out) const {
    thread_local Seen seen;
    seen.start(entries_.size());
    auto from = [&](const std::vector<uint32_t>& sorted, auto get, std::string_view q) {
        auto it = std::lower_bound(sorted.begin(), sorted.end(), q,
                                   [&](uint32_t e, std::string_view v) { return get(e) < v; });
        for (; it != sorted.end() && get(*it).substr(0, q.size()) == q; ++it)
            if (seen.first(*it)) out.push_back(*it);
    };
    from(
        by_folded_, [this](uint32_t e) { return folded(e); }, qf);
    if (!qk.empty())
        from(
            by_key_, [this](uint32_t e) { return key(e); }, qk);
    auto word = [this](const WordStart& w) { return folded(w.entry).substr(w.offset); };
    auto it = std::lower_bound(words_.begin(), words_.end(), qf,
                               [&](const WordStart& w, std::string_view v) { return word(w) < v; });
    for (; it != words_.end() && word(*it).substr(0, qf.size()) == qf; ++it)
        if (seen.first(it->entry)) out.push_back(it->entry);
}

// Every entry that the full clause can match: a substring of the name or key (read from the
// postings of the query's rarest inner trigram; every entry when the query has none), a key with
// at least 0.3 of the query key's trigrams (similarity >= 0.3 needs that: cf, ck below), a name
// with at least 0.6 of the folded query's trigrams (word similarity >= 0.6 needs that). The
// caller checks each exactly.
void TypeaheadSnapshot::full_candidates(std::string_view qf, std::string_view qk,
                                        const QueryCounts& counts,
                                        std::vector<uint32_t>& out) const {
    thread_local Seen seen;
    thread_local std::vector<Trigram> tri;
    seen.start(entries_.size());
    auto substring = [&](const Postings& p, std::string_view q, auto of) {
        inner_trigrams(q, *words_chars_, tri);
        if (tri.empty()) {
            for (uint32_t e = 0; e < entries_.size(); ++e)
                if (seen.first(e)) out.push_back(e);
            return;
        }
        // A name holding q holds every inner trigram of q, so the postings of the rarest one
        // hold every such name: only they are read, and each is checked (a name holding the
        // trigrams but not q can only match fuzzily, and the fuzzy candidates below cover it).
        const uint32_t *from = nullptr, *to = nullptr;
        for (Trigram t : tri) {
            auto it = std::lower_bound(p.trigrams.begin(), p.trigrams.end(), t);
            if (it == p.trigrams.end() || *it != t) return;  // no name holds q
            size_t i = static_cast<size_t>(it - p.trigrams.begin());
            if (!from || p.starts[i + 1] - p.starts[i] < static_cast<size_t>(to - from)) {
                from = p.entries.data() + p.starts[i];
                to = p.entries.data() + p.starts[i + 1];
            }
        }
        for (; from != to; ++from)
            if (contains(of(*from), q) && seen.first(*from)) out.push_back(*from);
    };
    substring(folded_trigrams_, qf, [this](uint32_t e) { return folded(e); });
    if (!qk.empty()) {
        substring(key_trigrams_, qk, [this](uint32_t e) { return key(e); });
        // similarity = c / (a + b - c) >= 0.3 needs c >= 0.3 (a + b) / 1.3 (a margin for float4).
        double a = static_cast<double>(counts.key_set);
        for (uint32_t e : counts.key->touched) {
            double b = entries_[e].key_trigrams;
            if (counts.key->n[e] >= 0.3 * (a + b) / 1.3 - 0.01 && seen.first(e)) out.push_back(e);
        }
    }
    double u = static_cast<double>(counts.folded_set);
    for (uint32_t e : counts.folded->touched)
        if (counts.folded->n[e] >= 0.59 * u && seen.first(e)) out.push_back(e);
}

size_t TypeaheadSnapshot::Postings::length(const std::vector<Trigram>& q) const {
    size_t n = 0;
    for (Trigram t : q) {
        auto it = std::lower_bound(trigrams.begin(), trigrams.end(), t);
        if (it == trigrams.end() || *it != t) continue;
        size_t i = static_cast<size_t>(it - trigrams.begin());
        n += starts[i + 1] - starts[i];
    }
    return n;
}

void TypeaheadSnapshot::Postings::count(const std::vector<Trigram>& q, Counts& c,
                                        size_t entries_count) const {
    c.start(entries_count);
    for (Trigram t : q) {
        auto it = std::lower_bound(trigrams.begin(), trigrams.end(), t);
        if (it == trigrams.end() || *it != t) continue;
        size_t i = static_cast<size_t>(it - trigrams.begin());
        for (uint32_t j = starts[i]; j < starts[i + 1]; ++j) {
            uint32_t e = entries[j];
            if (c.n[e]++ == 0) c.touched.push_back(e);
        }
    }
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

void TypeaheadSnapshot::start_query(Query& q, std::string_view qf, std::string_view qk) const {
    q.qf = qf;
    q.qk = qk;
    q.blank_qf = " " + std::string(qf);
    q.counted = false;
    trigram_set(qf, *words_chars_, q.qf_set);
    trigram_set(qk, *words_chars_, q.qk_set);
}

// How many of the query's trigrams each name holds, over the postings for all names at once:
// cheaper than intersecting each candidate's own trigrams when candidates are many, and always
// needed for the full clause, whose candidates come from those counts.
void TypeaheadSnapshot::count_all(Query& q) const {
    if (q.counted) return;
    folded_trigrams_.count(q.qf_set, q.cf, entries_.size());
    key_trigrams_.count(q.qk_set, q.ck, entries_.size());
    q.counted = true;
}

// Each candidate's tier is exact (string comparisons) and so is the key similarity (from the
// counts: |T(qk) & T(k)| / (|T(qk)| + |T(k)| - common)); the word similarity is bounded by the
// share of the query's trigrams the name holds, and computed by settle() only when needed.
std::optional<TypeaheadSnapshot::Hit> TypeaheadSnapshot::prepare(Query& q, uint32_t e,
                                                                 bool full) const {
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
    if (f == q.qf || (has_key && k == q.qk))
        tier = 0;
    else if (f.substr(0, q.qf.size()) == q.qf || contains(f, q.blank_qf) ||
             (has_key && k.substr(0, q.qk.size()) == q.qk))
        tier = 1;
    else if (contains(f, q.qf) || (has_key && contains(k, q.qk)))
        tier = 2;
    if (!full && tier > 1) return std::nullopt;
    int c = 0, c_f = 0;
    if (q.counted) {
        c_f = q.cf.n[e];
        c = q.ck.n[e];
    } else {
        trigram_set(f, *words_chars_, q.seq);
        c_f = common(q.seq, q.qf_set);
        trigram_set(k, *words_chars_, q.seq);
        c = common(q.seq, q.qk_set);
    }
    const int a = static_cast<int>(q.qk_set.size()), ulen1 = static_cast<int>(q.qf_set.size());
    int b = static_cast<int>(entries_[e].key_trigrams);
    float s = a > 0 && b > 0 ? static_cast<float>(c) / static_cast<float>(a + b - c) : 0.0f;
    float w = ulen1 > 0 ? static_cast<float>(c_f) / static_cast<float>(ulen1) : 0.0f;
    bool certain = tier <= 2 || (has_key && s >= kSimilarityThreshold);
    if (!certain && w < kWordSimilarityThreshold) return std::nullopt;
    return Hit{e, tier, std::max(s, w), s, w <= s, certain};
}

bool TypeaheadSnapshot::settle(Query& q, Hit& h) const {
    if (h.exact) return true;
    trigram_sequence(folded(h.entry), *words_chars_, q.seq);
    float w = word_similarity(q.qf_set, q.seq);
    if (!h.certain && w < kWordSimilarityThreshold) return false;
    h.sim = std::max(h.key_sim, w);
    h.exact = true;
    return true;
}

// The candidates are taken from a heap ordered by their bound until none left can enter the
// first `limit` (the exact order is never better than the bound's).
std::string TypeaheadSnapshot::answer(std::string_view qf, std::string_view qk, bool short_query,
                                      int64_t limit) const {
    thread_local std::vector<uint32_t> candidates;
    thread_local std::vector<Hit> hits, top;
    thread_local Query q;
    start_query(q, qf, qk);
    auto collect = [&](bool full) {
        hits.clear();
        for (uint32_t e : candidates)
            if (auto h = prepare(q, e, full)) hits.push_back(*h);
    };
    candidates.clear();
    prefix_candidates(qf, qk, candidates);
    // Counting touches every posting of the query's trigrams; intersecting, some 40 trigram
    // comparisons and two small sorts per candidate.
    if (candidates.size() * 48 > folded_trigrams_.length(q.qf_set) + key_trigrams_.length(q.qk_set))
        count_all(q);
    collect(false);
    if (!short_query && hits.size() < static_cast<size_t>(limit)) {
        count_all(q);
        candidates.clear();
        full_candidates(qf, qk,
                        QueryCounts{&q.cf, &q.ck, static_cast<int>(q.qf_set.size()),
                                    static_cast<int>(q.qk_set.size())},
                        candidates);
        collect(true);
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
    Json items = Json::array();
    for (const Hit& hit : hits) {
        const Entry& e = entries_[hit.entry];
        if (e.artist == kNone) continue;
        Json item = {{"id", e.id},
                     {"title", std::string(text(e.title, e.title_len))},
                     {"artist", std::string(text(e.artist, e.artist_len))},
                     {"album", nullptr},
                     {"type", kTypes[e.type_order]}};
        if (e.album != kNone) item["album"] = std::string(text(e.album, e.album_len));
        items.push_back(std::move(item));
    }
    return Json{{"items", std::move(items)}}.dump();
}

}  // namespace sonique::search
