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

struct TypeaheadSnapshot::Hit {
    uint32_t entry;
    int tier;
    float sim;
};

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

// Per entry, how many of a query's trigrams its postings hold.
struct Counts {
    std::vector<uint16_t> n;
    std::vector<uint32_t> touched;
    void start(size_t size) {
        if (n.size() != size) n.assign(size, 0);
        for (uint32_t e : touched)
            n[e] = 0;
        touched.clear();
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
                                     std::shared_ptr<const WordChars> words, int64_t generation)
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
        for (Trigram t : tri)
            kpairs.emplace_back(t, index);
    }
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
           words_.capacity() * sizeof(WordStart) + folded_trigrams_.bytes() + key_trigrams_.bytes();
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

// Every entry that the full clause can match: a substring of the name or key (every inner
// trigram of the query present, or every entry when the query has none), a key with at least
// 0.3 of the query key's trigrams (similarity >= 0.3 needs that), a name with at least 0.6 of
// the query's trigrams (word similarity >= 0.6 needs that). The caller checks each exactly.
void TypeaheadSnapshot::full_candidates(std::string_view qf, std::string_view qk,
                                        std::vector<uint32_t>& out) const {
    thread_local Seen seen;
    thread_local Counts counts;
    thread_local std::vector<Trigram> tri;
    seen.start(entries_.size());
    auto count = [&](const Postings& p, const std::vector<Trigram>& q) {
        counts.start(entries_.size());
        for (Trigram t : q) {
            auto it = std::lower_bound(p.trigrams.begin(), p.trigrams.end(), t);
            if (it == p.trigrams.end() || *it != t) continue;
            size_t i = static_cast<size_t>(it - p.trigrams.begin());
            for (uint32_t j = p.starts[i]; j < p.starts[i + 1]; ++j) {
                uint32_t e = p.entries[j];
                if (counts.n[e]++ == 0) counts.touched.push_back(e);
            }
        }
    };
    auto take_if = [&](auto enough) {
        for (uint32_t e : counts.touched)
            if (enough(counts.n[e]) && seen.first(e)) out.push_back(e);
    };
    auto substring = [&](const Postings& p, std::string_view q) {
        inner_trigrams(q, *words_chars_, tri);
        if (tri.empty()) {
            for (uint32_t e = 0; e < entries_.size(); ++e)
                if (seen.first(e)) out.push_back(e);
            return;
        }
        count(p, tri);
        size_t need = tri.size();
        take_if([need](uint16_t n) { return n == need; });
    };
    substring(folded_trigrams_, qf);
    if (!qk.empty()) {
        substring(key_trigrams_, qk);
        trigram_set(qk, *words_chars_, tri);
        count(key_trigrams_, tri);
        double a = static_cast<double>(tri.size());
        take_if([a](uint16_t n) { return n >= 0.29 * a; });
    }
    trigram_set(qf, *words_chars_, tri);
    count(folded_trigrams_, tri);
    double u = static_cast<double>(tri.size());
    take_if([u](uint16_t n) { return n >= 0.59 * u; });
}

std::string TypeaheadSnapshot::answer(std::string_view qf, std::string_view qk, bool short_query,
                                      int64_t limit) const {
    thread_local std::vector<uint32_t> candidates;
    thread_local std::vector<Hit> hits;
    thread_local std::vector<Trigram> qf_set, qk_set, t;
    trigram_set(qf, *words_chars_, qf_set);
    trigram_set(qk, *words_chars_, qk_set);
    std::string blank_qf = " " + std::string(qf);
    const bool has_key = !qk.empty();
    auto sim_of = [&](uint32_t e) {
        trigram_set(key(e), *words_chars_, t);
        float s = trigram_similarity(t, qk_set);
        trigram_sequence(folded(e), *words_chars_, t);
        return std::max(s, word_similarity(qf_set, t));
    };
    // (tier, sim) of an entry that the clause matches; tier -1 when it does not.
    auto rank = [&](uint32_t e, bool full) -> Hit {
        std::string_view f = folded(e), k = key(e);
        int tier = 3;
        if (f == qf || (has_key && k == qk))
            tier = 0;
        else if (f.substr(0, qf.size()) == qf || contains(f, blank_qf) ||
                 (has_key && k.substr(0, qk.size()) == qk))
            tier = 1;
        else if (contains(f, qf) || (has_key && contains(k, qk)))
            tier = 2;
        if (tier <= 1 || (full && tier == 2)) return {e, tier, sim_of(e)};
        if (!full) return {e, -1, 0.0f};
        trigram_set(k, *words_chars_, t);
        float s = trigram_similarity(t, qk_set);
        trigram_sequence(f, *words_chars_, t);
        float w = word_similarity(qf_set, t);
        bool match = (has_key && s >= kSimilarityThreshold) || w >= kWordSimilarityThreshold;
        return {e, match ? 3 : -1, std::max(s, w)};
    };
    auto collect = [&](bool full) {
        hits.clear();
        for (uint32_t e : candidates) {
            Hit h = rank(e, full);
            if (h.tier >= 0) hits.push_back(h);
        }
    };
    candidates.clear();
    prefix_candidates(qf, qk, candidates);
    collect(false);
    if (!short_query && hits.size() < static_cast<size_t>(limit)) {
        candidates.clear();
        full_candidates(qf, qk, candidates);
        collect(true);
    }
    auto better = [this](const Hit& a, const Hit& b) {
        const Entry &x = entries_[a.entry], &y = entries_[b.entry];
        if (a.tier != b.tier) return a.tier < b.tier;
        if (x.type_order != y.type_order) return x.type_order < y.type_order;
        if (a.sim != b.sim) return a.sim > b.sim;
        if (x.weight != y.weight) return x.weight > y.weight;
        if (x.title_rank != y.title_rank) return x.title_rank < y.title_rank;
        return x.id < y.id;
    };
    size_t n = std::min(hits.size(), static_cast<size_t>(limit));
    std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(n), hits.end(),
                      better);
    return render(hits, n);
}

// {"items":[{id, title, artist, album, type}]}; a hit without an artist row is left out, as the
// statement's join after its LIMIT leaves it out.
std::string TypeaheadSnapshot::render(const std::vector<Hit>& hits, size_t limit) const {
    static const char* const kTypes[] = {"", "track", "artist", "album"};
    Json items = Json::array();
    for (size_t i = 0; i < limit; ++i) {
        const Entry& e = entries_[hits[i].entry];
        if (e.artist == kNone) continue;
        Json item = {{"id", e.id},
                     {"title", text(e.title, e.title_len)},
                     {"artist", text(e.artist, e.artist_len)},
                     {"album", nullptr},
                     {"type", kTypes[e.type_order]}};
        if (e.album != kNone) item["album"] = text(e.album, e.album_len);
        items.push_back(std::move(item));
    }
    return Json{{"items", std::move(items)}}.dump();
}

std::optional<std::string> TypeaheadSnapshot::cached(const std::string& key) const {
    std::lock_guard lock(cache_mutex_);
    auto it = cache_.find(key);
    if (it == cache_.end()) return std::nullopt;
    return it->second;
}

void TypeaheadSnapshot::remember(const std::string& key, const std::string& answer) const {
    constexpr size_t kMaxCached = 4096;
    std::lock_guard lock(cache_mutex_);
    if (cache_.size() >= kMaxCached) cache_.clear();
    cache_.emplace(key, answer);
}

}  // namespace sonique::search
