#pragma once
// A saved vector index: a header that says what it holds, then FAISS's bytes. Private to search/.
//
//   "SONIQUE-VECTORS1"                 16 bytes
//   header length (decimal) + '\n'
//   header, JSON: {set, dimension, count, generation, bytes, checksum_kind, checksum,
//                  attachment_bytes, attachment_checksum}
//   FAISS bytes (`bytes` of them; `checksum` is their FNV-1a 64 in hex, over 8-byte words when
//   checksum_kind is "fnv1a64-words", byte by byte in files without checksum_kind)
//   the set's attachment (VectorData::attachment; absent from files written before it)
//
// A file that is missing, cut short, damaged, of another set or dimension is refused, never
// served; one of another generation is stale (the caller decides).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "search/vector_index.hpp"

namespace sonique::search {

struct IndexFileHeader {
    std::string set;
    int dimension = 0;
    int64_t count = 0;
    int64_t generation = 0;
};

// Writes path atomically (a temporary file renamed over it). Throws std::runtime_error.
void save_index_file(const std::string& path, const IndexFileHeader& header,
                     const VectorIndex& index, std::string_view attachment = {});

struct LoadedIndex {
    IndexFileHeader header;
    VectorIndex index;
    std::string attachment;
};

// Reads path when it holds a sound index of set `set` and `dimension`; otherwise nullopt and
// `why` says what was wrong. Throws nothing.
std::optional<LoadedIndex> load_index_file(const std::string& path, const std::string& set,
                                           int dimension, std::string& why);

}  // namespace sonique::search
