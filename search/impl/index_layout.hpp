#pragma once
// How search/ lays out the FAISS indexes it owns, so that they hold little more than the vectors
// themselves (docs/search.md, "Index memory"): IVF-Flat lists allocated once at their final
// size, grown by an eighth (not doubled) when a write fills one, and the bytes an index holds
// counted from its structures. Private to search/.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

#include "search/vector_index.hpp"

namespace faiss {
struct Index;
struct IndexIVFFlat;
}  // namespace faiss

namespace sonique::search {

// An IVF-Flat index (inner product) over data's vectors, L2-normalised block by block (the build
// never holds a normalised copy of all of them): √n lists unless params say, trained by k-means
// on at most 64 vectors per list (a seeded sample), each list reserved at its final size before
// the vectors are added. The caller owns the result. Throws what FAISS throws
// (faiss::FaissException, a std::exception) and std::bad_alloc.
faiss::IndexIVFFlat* build_ivf(const VectorData& data, const IndexParams& params);

// Adds one normalised vector under id (the caller removed any former one), growing a full list
// by an eighth of its size. Throws what FAISS throws.
void ivf_add(faiss::IndexIVFFlat& ivf, int64_t id, const float* vector);

// Where id is stored, as (list, offset); nullopt when absent. A scan of the lists' ids (a few
// tenth of a millisecond at 100,000 vectors): no id map is kept, it would cost more memory than
// the 64-dimension vectors' own margin. Throws nothing.
std::optional<std::pair<size_t, size_t>> ivf_find(const faiss::IndexIVFFlat& ivf, int64_t id);

// The bytes the index's structures hold (vectors, ids, lists, graph, id maps; capacities, not
// sizes; a hash map's nodes as glibc allocates them). Throws nothing.
size_t index_bytes(const faiss::Index& index);

}  // namespace sonique::search
