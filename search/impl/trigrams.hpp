#pragma once
// pg_trgm's trigrams and similarity() computed in process (word_similarity()'s extent search runs
// over them in snapshot_candidates.cpp), so that the typeahead index (typeahead_index.hpp) ranks
// exactly as PostgreSQL does: the same words (runs of alphanumeric
// characters under the database's LC_CTYPE), the same padding (two blanks before a word, one
// after), the same reduction of a trigram with multi-byte characters to three bytes (PostgreSQL's
// legacy CRC-32) and the same float4 arithmetic. Inputs are already lower case (sonique_fold), so
// pg_trgm's own lowering is the identity on them. Private to search/.
#include <clocale>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sonique::search {

// A trigram as its three bytes, big-endian in the low 24 bits.
using Trigram = uint32_t;

// Which characters make words. Built from the database's LC_CTYPE (pg_database.datctype):
// under "C" or "POSIX" only ASCII letters and digits; otherwise iswalnum in that locale.
class WordChars {
  public:
    // Throws std::runtime_error when the locale cannot be made here (the caller then keeps to
    // the SQL path). Any thread.
    explicit WordChars(const std::string& ctype);
    ~WordChars();
    WordChars(const WordChars&) = delete;
    WordChars& operator=(const WordChars&) = delete;

    // Whether the code point cp (encoded in len bytes) is a word character. Thread-safe.
    bool is_word(char32_t cp, int len) const;

  private:
    locale_t locale_ = nullptr;
};

// The trigrams of text in pg_trgm's order of generation (words left to right), duplicates kept.
void trigram_sequence(std::string_view text, const WordChars& words, std::vector<Trigram>& out);
// The same, sorted and unique (pg_trgm's generate_trgm).
void trigram_set(std::string_view text, const WordChars& words, std::vector<Trigram>& out);

// The trigrams of three consecutive characters inside one word of text (no padding), sorted
// and unique: every text that contains text as a substring has them all.
void inner_trigrams(std::string_view text, const WordChars& words, std::vector<Trigram>& out);

// similarity(a, b) of two sorted unique sets, as float4.
float trigram_similarity(const std::vector<Trigram>& a, const std::vector<Trigram>& b);

}  // namespace sonique::search
