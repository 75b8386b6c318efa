#pragma once
// The query side of the exact and IVF-Flat indexes, computed here rather than by FAISS's search
// (docs/search.md, "Index kinds"). Debian's FAISS is built for the baseline x86-64 (SSE2): its
// inner product is one multiply-add at a time on one dependency chain, which made a 100,000 ×
// 768 IVF query cost 2-4 ms of CPU. These loops keep independent accumulators and, on a CPU with
// AVX2 and FMA (checked at run time), use them: the same lists scanned, the same scores to float
// rounding, several times faster. The structures (lists, centroids, ids) stay FAISS's. Private to
// search/.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "search/vector_index.hpp"

namespace faiss {
struct IndexFlat;
struct IndexIVFFlat;
}  // namespace faiss

namespace sonique::search {

// Σ a[i]·b[i] over d values. Throws nothing; any thread.
float dot(const float* a, const float* b, size_t d) noexcept;

// The k best of an exact flat index (rows of xb, row i carrying ids[i]): best first, ids
// ascending on equal scores. Throws std::bad_alloc at most; any thread (read-only).
std::vector<VectorHit> scan_flat(const faiss::IndexFlat& flat, const int64_t* ids,
                                 const float* query, size_t k);

// The k best of an IVF-Flat index over inner product, its nprobe best lists scanned (as FAISS
// chooses them: the centroids of highest inner product with the query). Same order as above.
// nullopt when the index is not laid out as search/ builds it (a flat quantizer, lists in
// memory): the caller asks FAISS instead.
std::optional<std::vector<VectorHit>> scan_ivf(const faiss::IndexIVFFlat& ivf, const float* query,
                                               size_t k);

}  // namespace sonique::search
