#pragma once
// One FAISS index over (id -> vector), behind a move-only owner (docs/search.md). Vectors are
// L2-normalised on the way in, so that inner product is cosine similarity. Exact (a flat
// inner-product index) up to exact_limit vectors, approximate (HNSW or IVF) beyond.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace sonique::search {

struct VectorHit {
    int64_t id = 0;
    float score = 0;  // cosine similarity
};

// Vectors of one dimension, row after row: values.size() == ids.size() * dimension.
struct VectorData {
    int dimension = 0;
    std::vector<int64_t> ids;
    std::vector<float> values;
    // Bytes that belong with these vectors (a set's model of its space, e.g. the tags set's
    // vocabulary and basis): saved and swapped in together with the index built from them.
    std::string attachment;
};

// Scales v to unit length (a zero vector stays zero). Throws nothing; any thread.
void normalise(std::span<float> v);

// How an index is built (docs/search.md, "Index kinds": the defaults are the measured choice).
struct IndexParams {
    // Up to this many vectors of up to 64 dimensions the index is exact (a flat inner-product
    // scan); for wider vectors the limit shrinks in proportion (exact_limit × 64 values).
    size_t exact_limit = 100000;
    enum class Approximate { kHnsw, kIvf };
    Approximate approximate = Approximate::kHnsw;
    int hnsw_m = 16;                // neighbours per node
    int hnsw_ef_construction = 40;  // candidates kept while inserting
    int hnsw_ef_search = 32;        // candidates kept while searching
    int ivf_lists = 0;              // inverted lists (k-means cells); 0: √n
    int ivf_probe = 8;              // lists scanned per query
};

class VectorIndex {
  public:
    // Builds an index of data (copied, then normalised). Throws std::invalid_argument when the
    // sizes disagree or the dimension is not positive, std::runtime_error when FAISS fails.
    static VectorIndex build(const VectorData& data, const IndexParams& params);
    static VectorIndex build(const VectorData& data, size_t exact_limit);
    // Reads an index that serialise() wrote; nullopt when the bytes are not a FAISS index of this
    // dimension. The search-time parameters (efSearch, lists probed) are taken from params.
    // Throws nothing.
    static std::optional<VectorIndex> deserialise(std::string_view bytes, int dimension,
                                                  const IndexParams& params = {});

    VectorIndex(VectorIndex&&) noexcept;
    VectorIndex& operator=(VectorIndex&&) noexcept;
    ~VectorIndex();

    int dimension() const noexcept;
    size_t size() const noexcept;  // vectors that answer (hidden ones excluded)
    bool exact() const noexcept;
    const char* kind() const noexcept;  // "exact", "hnsw" or "ivf"

    // The k best vectors for query (normalised here), best first, ids ascending on equal
    // scores. Concurrent calls are safe; not with the writes below. Throws
    // std::invalid_argument for a wrong dimension.
    std::vector<VectorHit> search(std::span<const float> query, size_t k) const;
    // Adds or replaces a vector; removes one (a no-op when absent). Exact and IVF indexes do
    // both in place; HNSW adds a new id to its graph but cannot remove: it hides a replaced or
    // removed id until the next rebuild (needs_rebuild() turns true). Callers hold
    // the owning set's write lock. Throws std::invalid_argument for a wrong dimension.
    void upsert(int64_t id, std::span<const float> vector);
    void remove(int64_t id);
    // Adds or replaces many vectors at once (one pass over a flat index instead of one per
    // vector). Throws std::invalid_argument when the sizes or the dimension disagree.
    void upsert_many(const VectorData& data);
    // The stored (normalised) vector of id; nullopt when absent or hidden. Same threads as
    // search(). Throws nothing but std::bad_alloc.
    std::optional<std::vector<float>> vector_of(int64_t id) const;
    bool needs_rebuild() const noexcept { return !hidden_.empty(); }
    // The bytes the index holds: its vectors, ids, lists or graph and id maps, counted from
    // FAISS's structures (capacities; docs/search.md, "Index memory"). Same threads as
    // search(). Throws nothing.
    size_t memory_bytes() const noexcept;
    // Sets the search-time parameters (HNSW's efSearch, IVF's lists probed) of params; the
    // others need a rebuild. Not concurrently with searches. Throws nothing.
    void tune(const IndexParams& params) noexcept;

    // The FAISS bytes of the index (hidden ids are not kept: save after a rebuild). Throws
    // std::runtime_error when FAISS fails.
    std::string serialise() const;

  private:
    struct Impl;
    explicit VectorIndex(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
    std::unordered_set<int64_t> hidden_;
};

}  // namespace sonique::search
