#pragma once
// One FAISS index over (id -> vector), behind a move-only owner (docs/search.md). Vectors are
// L2-normalised on the way in, so that inner product is cosine similarity. Exact (a flat
// inner-product index) up to exact_limit vectors, approximate (HNSW) beyond.
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
};

// Scales v to unit length (a zero vector stays zero). Throws nothing; any thread.
void normalise(std::span<float> v);

class VectorIndex {
  public:
    // Builds an index of data (copied, then normalised). Throws std::invalid_argument when the
    // sizes disagree or the dimension is not positive, std::runtime_error when FAISS fails.
    static VectorIndex build(const VectorData& data, size_t exact_limit);
    // Reads an index that serialise() wrote; nullopt when the bytes are not a FAISS index of this
    // dimension. Throws nothing.
    static std::optional<VectorIndex> deserialise(std::string_view bytes, int dimension);

    VectorIndex(VectorIndex&&) noexcept;
    VectorIndex& operator=(VectorIndex&&) noexcept;
    ~VectorIndex();

    int dimension() const noexcept;
    size_t size() const noexcept;  // vectors that answer (hidden ones excluded)
    bool exact() const noexcept;

    // The k best vectors for query (normalised here), best first, ids ascending on equal
    // scores. Concurrent calls are safe; not with the writes below. Throws
    // std::invalid_argument for a wrong dimension.
    std::vector<VectorHit> search(std::span<const float> query, size_t k) const;
    // Adds or replaces a vector; removes one (a no-op when absent). The approximate index cannot
    // remove: it hides the id until the next rebuild (needs_rebuild() turns true). Callers hold
    // the owning set's write lock. Throws std::invalid_argument for a wrong dimension.
    void upsert(int64_t id, std::span<const float> vector);
    void remove(int64_t id);
    // Adds or replaces many vectors at once (one pass over a flat index instead of one per
    // vector). Throws std::invalid_argument when the sizes or the dimension disagree.
    void upsert_many(const VectorData& data);
    // The stored (normalised) vector of id; nullopt when absent or hidden. Concurrent calls are
    // safe, as for search(). Throws nothing.
    std::optional<std::vector<float>> vector_of(int64_t id) const;
    bool needs_rebuild() const noexcept { return !hidden_.empty(); }

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
