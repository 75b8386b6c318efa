#pragma once
// One load of every artist, album and track name (typeahead_index.hpp): compact sorted arrays
// that answer GET /api/search/typeahead exactly as typeahead.cpp's statement does. Immutable
// once built; queries from any thread. Private to search/.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "trigrams.hpp"

namespace sonique::search {

// A name as the load statement gives it.
struct NameRow {
    int type_order;  // 1 track, 2 artist, 3 album
    int64_t id;
    std::string title, folded, key;
    int64_t weight;  // tracks the hit stands for
    std::optional<std::string> artist, album;
    int64_t title_rank;  // dense rank of lower(title) in the database's collation
    // What POST /api/search/ filters and counts (snapshot_facets.cpp): the artist the item
    // shows (a track's, an album's, an artist itself), a track's album, a track's genre, and the
    // decade (year / 10) of a track's year or an album's release year (-1: none).
    int64_t artist_id = 0;
    int64_t album_id = 0;
    std::optional<std::string> genre;
    int decade = -1;
    std::optional<std::string> path;  // a track's file (the search's items show it)
};

// A distinct tracks.genre value, its lower() and its rank in the database's collation.
struct GenreRow {
    std::string value, lower;
    int64_t rank;
};
// An artist's lower(name) and the rank of its name in the database's collation.
struct ArtistRow {
    int64_t id;
    std::string lower;
    int64_t name_rank;
};

// POST /api/search/'s filters, lowered as PostgreSQL lowers them; an empty list is off.
struct LoweredFilters {
    std::vector<std::string> genre, artist, type;
    std::vector<std::string> decade;
};

// Reciprocal Rank Fusion exactly as the statement computes it in float8 (0: not in that list).
inline double fused_score(int64_t text_rank, int64_t vector_rank) {
    double t = text_rank ? 1.0 / static_cast<double>(60 + text_rank) : 0.0;
    double v = vector_rank ? 1.0 / static_cast<double>(60 + vector_rank) : 0.0;
    return t + v;
}

// What the search computes in memory (snapshot_search.cpp), the page's items written from the
// same snapshot (snapshot_page.cpp): a cached plan is the answer but for its page numbers.
struct SearchPlan {
    int64_t total = 0;
    std::string items;   // [{id, title, artist, album, genre, path, type, hybrid_score}, …]
    std::string facets;  // {"genres":[…],"artists":[…],"decades":[…]}
    std::optional<std::string> suggestion;
};

class TypeaheadSnapshot {
  public:
    // Builds the arrays (sorts, trigram postings). Throws std::bad_alloc. Any thread.
    TypeaheadSnapshot(std::vector<NameRow> rows, std::shared_ptr<const WordChars> words,
                      int64_t generation, std::vector<GenreRow> genres = {},
                      std::vector<ArtistRow> artists = {});

    // The answer's JSON for a query already normalised and folded (folded, key), limit 1..50.
    // short_query: fewer than 3 code points (prefix matches only). Throws nothing but
    // std::bad_alloc. Any thread.
    std::string answer(std::string_view folded, std::string_view key, bool short_query,
                       int64_t limit) const;

    // POST /api/search/'s matches, ranks, total, facets and suggestion for a query already
    // normalised and folded, as search_library()'s statement computes them; the page's rows
    // (ranks offset + 1 .. offset + size). vector_artists and vector_tracks: the tags sets' ids,
    // best first. Throws nothing but std::bad_alloc. Any thread.
    SearchPlan search(std::string_view folded, std::string_view key, bool short_query,
                      const LoweredFilters& filters, const std::vector<int64_t>& vector_artists,
                      const std::vector<int64_t>& vector_tracks, int64_t offset,
                      int64_t size) const;

    static constexpr size_t kCacheBytes = size_t{4} << 20;

    int64_t generation() const noexcept { return generation_; }
    size_t entries() const noexcept { return entries_.size(); }
    // Bytes held by the arrays, strings and postings (not the answer cache).
    size_t bytes() const noexcept;

    // Answers already given for (limit, query): typeahead queries repeat (each user types the
    // same prefixes), and a snapshot never changes. Bounded in entries and in bytes (kCacheBytes
    // each, keys and values counted): emptied when either is reached. Any thread.
    std::optional<std::string> cached(const std::string& key) const;
    void remember(const std::string& key, const std::string& answer, size_t max_entries) const;
    // Search plans already computed for (query, filters, page, vector lists), the same way: the
    // page's rows are still read for every request.
    std::shared_ptr<const SearchPlan> cached_plan(const std::string& key) const;
    void remember_plan(const std::string& key, std::shared_ptr<const SearchPlan> plan,
                       size_t max_entries) const;

  private:
    struct Entry {
        int64_t id;
        int64_t weight;
        uint32_t title_rank;
        uint32_t title, folded, key;  // offsets in text_
        uint32_t title_len, folded_len, key_len;
        uint8_t type_order;
        uint32_t artist = kNone, album = kNone;  // offsets in text_ of the names joined
        uint32_t artist_len = 0, album_len = 0;
        uint32_t artist_ref = kNone;  // index in artists_ of the artist the item shows
    };
    // What the search's items show beside the names (snapshot_page.cpp), apart from the
    // entries (read for a page's rows only): a track's path as its folder (index in dirs_) and
    // the rest in text_; the genre (index in genres_): a track's own, an artist's or album's most
    // frequent among its tracks.
    struct Shown {
        uint32_t path_dir = kNone, path_name = 0, path_name_len = 0;
        uint32_t genre = kNone;
    };
    static constexpr uint32_t kNone = UINT32_MAX;
    // A word of a folded name: the entry and the byte where the word starts (after a blank).
    struct WordStart {
        uint32_t entry;
        uint32_t offset;
    };
    // Per entry, how many of a query's trigrams its postings hold (reset by the next count).
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
    // A trigram's postings: entries, sorted.
    struct Range {
        const uint32_t* begin;
        const uint32_t* end;
        size_t size() const { return static_cast<size_t>(end - begin); }
        bool holds(uint32_t e) const { return std::binary_search(begin, end, e); }
    };
    // Trigram -> entries (sorted, unique), in compressed-row form.
    struct Postings {
        std::vector<Trigram> trigrams;  // sorted
        std::vector<uint32_t> starts;   // trigrams.size() + 1
        std::vector<uint32_t> entries;
        void build(std::vector<std::pair<Trigram, uint32_t>>& pairs);
        // t's postings (empty when no entry holds it).
        Range range(Trigram t) const;
        // Splits q's trigrams for a count (prefix filtering): `counted` gets the postings of the
        // `counted_lists` rarest ones, `rest` the others. An entry holding at least m of q's
        // trigrams is in one of the q.size() - m + 1 rarest lists, so counting those finds
        // every such entry without reading the frequent lists (a trigram such as "  s" is in a
        // third of the names); an entry's exact count adds its presence in each list of
        // `rest` (binary search). Returns the postings the count will read.
        size_t plan(const std::vector<Trigram>& q, size_t counted_lists,
                    std::vector<Range>& counted, std::vector<Range>& rest) const;
        // How many of the lists each entry is in, into c.
        static void count(const std::vector<Range>& lists, Counts& c, size_t entries_count);
        size_t bytes() const;
    };
    // A candidate: sim is exact once `exact`, until then an upper bound (the key similarity
    // key_sim is always exact); `certain`: the clause matches it whatever its word similarity.
    struct Hit {
        uint32_t entry;
        int tier;
        float sim;
        float key_sim;
        bool exact;
        bool certain;
    };
    // A query's trigrams and, once counted, how many of them each name holds: cf and ck count
    // the postings of *_counted only (the rarest lists); exact_f() and exact_k() add the rest.
    struct Query {
        std::string_view qf, qk;
        std::string blank_qf;
        std::vector<Trigram> qf_set, qk_set, seq;
        std::vector<Range> f_counted, f_rest, k_counted, k_rest;
        size_t count_cost = 0;  // postings count_all() reads
        // For word_sim(): which trigram ids (folded_trigrams_) the folded query holds, and the
        // extent search's last positions by id (-1; put back after each name).
        std::vector<uint8_t> holds;
        std::vector<uint32_t> held;
        std::vector<int> lastpos;
        Counts cf, ck;
        bool counted = false;
        static int exact(const Counts& c, const std::vector<Range>& rest, uint32_t e) {
            int n = c.n[e];
            for (const Range& r : rest)
                n += r.holds(e) ? 1 : 0;
            return n;
        }
        int exact_f(uint32_t e) const { return exact(cf, f_rest, e); }
        int exact_k(uint32_t e) const { return exact(ck, k_rest, e); }
    };
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
    // One query's working memory, sized to the snapshot (some 3 MB at 118,000 names: stamps and
    // counts per name). Leased from a process-wide pool for the length of one answer() or
    // search() rather than kept per thread: a burst of 64 request threads would otherwise keep
    // 64 of them alive (snapshot_scratch.cpp).
    struct Scratch {
        Seen seen_prefix, seen_full;
        std::vector<Trigram> tri;
        std::vector<int64_t> genre_n, artist_n, decade_n;
        Counts all;
        std::vector<Range> lists, none;
        Query search_q, answer_q;
        std::vector<uint32_t> search_candidates, rows, answer_candidates;
        std::vector<Hit> search_hits, text_hits, answer_hits, top;
    };
    // Holds a Scratch for the calling thread from construction to destruction (a nested lease
    // keeps the outer one's). Throws std::bad_alloc.
    class Lease {
      public:
        Lease();
        ~Lease();
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;

      private:
        std::unique_ptr<Scratch> owned_;
    };
    // The calling thread's leased Scratch: only between a Lease's construction and destruction.
    static Scratch& scratch();
    static thread_local Scratch* current_scratch_;
    struct ScratchPool;
    static ScratchPool& scratch_pool();

    // An artist as the search's facets and filters see it.
    struct ArtistInfo {
        uint32_t entry;
        uint32_t lower, lower_len;  // lower(name) in text_
        uint32_t name_rank;
    };
    struct GenreInfo {
        uint32_t value, value_len;  // in text_
        uint32_t group;             // index of its lower() among the groups
        uint32_t rank;
    };

    std::string_view folded(uint32_t e) const {
        return {text_.data() + entries_[e].folded, entries_[e].folded_len};
    }
    std::string_view key(uint32_t e) const {
        return {text_.data() + entries_[e].key, entries_[e].key_len};
    }
    std::string_view text(uint32_t off, uint32_t len) const { return {text_.data() + off, len}; }
    // Appends s to text_ and says where (the build only).
    void put_text(std::string_view s, uint32_t& offset, uint32_t& length);
    void prefix_candidates(std::string_view qf, std::string_view qk,
                           std::vector<uint32_t>& out) const;
    // Returns how many of the candidates appended first may hold the query as a substring (the
    // others are fuzzy candidates only: tier 3 without comparing any text).
    size_t full_candidates(const Query& q, std::vector<uint32_t>& out) const;
    bool better(const Hit& a, const Hit& b) const;
    // Search's text order (kHitOrder): tier, similarity, weight, name, type, id.
    bool ranks_before(const Hit& a, const Hit& b) const;
    // full: the full clause may run (its fuzzy candidates come from the counts).
    void start_query(Query& q, std::string_view qf, std::string_view qk, bool full) const;
    void count_all(Query& q) const;
    // The candidate's tier and similarities, or nullopt when the clause (full or prefix) cannot
    // match it.
    // substring false: e is known not to hold the folded query or its key (tier 3).
    std::optional<Hit> prepare(Query& q, uint32_t e, bool full, bool substring = true) const;
    // Makes h's similarity exact; false when the clause does not match it after all.
    bool settle(Query& q, Hit& h) const;
    // word_similarity(folded query, folded name of e) as trigrams.cpp computes it, over the
    // name's trigram sequence stored as ids (no decoding, sorting or searching per name).
    float word_sim(Query& q, uint32_t e) const;
    // |T(folded query) & T(folded name of e)| from the stored sequence. Any thread.
    int folded_common(Query& q, uint32_t e) const;
    void build_facets(const std::vector<NameRow>& rows, std::vector<GenreRow> genres,
                      std::vector<ArtistRow> artists);
    uint32_t entry_of(int type_order, int64_t id) const;
    bool passes(uint32_t e, const LoweredFilters& f, const std::vector<bool>& genre_groups,
                const std::vector<bool>& artists, const std::vector<int>& decades) const;
    std::string facets(const std::vector<uint32_t>& rows) const;
    std::optional<std::string> suggestion(Query& q, std::vector<Hit>& hits) const;
    std::string render(const std::vector<Hit>& hits) const;
    // A row of a search page: the entry and its ranks (0: not in that list).
    struct PageRow {
        uint32_t entry;
        int64_t text_rank, vector_rank;
    };
    // The JSON array of the page's items as search_library()'s statement writes them
    // (snapshot_page.cpp).
    std::string page_items(const std::vector<PageRow>& page) const;

    std::vector<Entry> entries_;
    std::string text_;
    std::vector<uint32_t> by_folded_, by_key_;
    std::vector<WordStart> words_;
    Postings folded_trigrams_, key_trigrams_;
    // Per entry, its folded name's trigram sequence (pg_trgm's order, duplicates kept) as
    // indexes in folded_trigrams_.trigrams, in compressed-row form.
    std::vector<uint32_t> seq_start_, seq_ids_;
    // Search's facets (snapshot_facets.cpp): per entry its genres and decades (compressed rows),
    // the artists and genre values, and (id, entry) sorted per type for the vector lists.
    std::vector<uint32_t> genre_start_, genre_ids_, decade_start_;
    std::vector<uint16_t> decades_;
    std::vector<ArtistInfo> artists_;
    std::vector<GenreInfo> genres_;
    std::vector<std::string> genre_groups_;  // lower() of each group
    std::vector<std::pair<int64_t, uint32_t>> track_ids_, artist_ids_;
    // Per entry, what its item shows (above), and the number of distinct trigrams of its key:
    // apart from entries_ so that the scans over many candidates read 4 bytes a name, not a
    // cache line.
    std::vector<Shown> shown_;
    std::vector<uint32_t> key_trigram_n_;
    // The folders of tracks' paths, each once: (offset, length) in text_.
    std::vector<std::pair<uint32_t, uint32_t>> dirs_;
    std::shared_ptr<const WordChars> words_chars_;
    int64_t generation_;
    mutable std::mutex cache_mutex_;
    mutable std::unordered_map<std::string, std::string> cache_;
    mutable std::unordered_map<std::string, std::shared_ptr<const SearchPlan>> plans_;
    mutable size_t cache_bytes_ = 0, plans_bytes_ = 0;  // what the two caches hold, about
};

}  // namespace sonique::search
