#pragma once
// One load of every artist, album and track name (typeahead_index.hpp): compact sorted arrays
// that answer GET /api/search/typeahead exactly as typeahead.cpp's statement does. Immutable
// once built; queries from any thread. Private to search/.
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
};

class TypeaheadSnapshot {
  public:
    // Builds the arrays (sorts, trigram postings). Throws std::bad_alloc. Any thread.
    TypeaheadSnapshot(std::vector<NameRow> rows, std::shared_ptr<const WordChars> words,
                      int64_t generation);

    // The answer's JSON for a query already normalised and folded (folded, key), limit 1..50.
    // short_query: fewer than 3 code points (prefix matches only). Throws nothing but
    // std::bad_alloc. Any thread.
    std::string answer(std::string_view folded, std::string_view key, bool short_query,
                       int64_t limit) const;

    int64_t generation() const noexcept { return generation_; }
    size_t entries() const noexcept { return entries_.size(); }
    // Bytes held by the arrays, strings and postings (not the answer cache).
    size_t bytes() const noexcept;

    // Answers already given for (limit, query): typeahead queries repeat (each user types the
    // same prefixes), and a snapshot never changes. Bounded; any thread.
    std::optional<std::string> cached(const std::string& key) const;
    void remember(const std::string& key, const std::string& answer, size_t max_entries) const;

  private:
    struct Entry {
        int64_t id;
        int64_t weight;
        uint32_t title_rank;
        uint32_t title, folded, key;  // offsets in text_
        uint32_t title_len, folded_len, key_len;
        uint8_t type_order;
        uint32_t key_trigrams = 0;               // distinct trigrams of the key
        uint32_t artist = kNone, album = kNone;  // offsets in text_ of the names joined
        uint32_t artist_len = 0, album_len = 0;
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
    // Trigram -> entries (sorted, unique), in compressed-row form.
    struct Postings {
        std::vector<Trigram> trigrams;  // sorted
        std::vector<uint32_t> starts;   // trigrams.size() + 1
        std::vector<uint32_t> entries;
        void build(std::vector<std::pair<Trigram, uint32_t>>& pairs);
        // How many postings q's trigrams have in all (the cost of count()).
        size_t length(const std::vector<Trigram>& q) const;
        // How many of q's trigrams (distinct) each entry holds, into c.
        void count(const std::vector<Trigram>& q, Counts& c, size_t entries_count) const;
        size_t bytes() const;
    };
    struct Hit;
    struct QueryCounts {
        const Counts* folded;  // of the folded query's trigrams in the folded names
        const Counts* key;     // of the query key's trigrams in the keys
        int folded_set, key_set;
    };

    std::string_view folded(uint32_t e) const {
        return {text_.data() + entries_[e].folded, entries_[e].folded_len};
    }
    std::string_view key(uint32_t e) const {
        return {text_.data() + entries_[e].key, entries_[e].key_len};
    }
    std::string_view text(uint32_t off, uint32_t len) const { return {text_.data() + off, len}; }
    void prefix_candidates(std::string_view qf, std::string_view qk,
                           std::vector<uint32_t>& out) const;
    void full_candidates(std::string_view qf, std::string_view qk, const QueryCounts& counts,
                         std::vector<uint32_t>& out) const;
    bool better(const Hit& a, const Hit& b) const;
    std::string render(const std::vector<Hit>& hits) const;

    std::vector<Entry> entries_;
    std::string text_;
    std::vector<uint32_t> by_folded_, by_key_;
    std::vector<WordStart> words_;
    Postings folded_trigrams_, key_trigrams_;
    std::shared_ptr<const WordChars> words_chars_;
    int64_t generation_;
    mutable std::mutex cache_mutex_;
    mutable std::unordered_map<std::string, std::string> cache_;
};

}  // namespace sonique::search
