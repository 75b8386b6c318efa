// The FAISS side of VectorIndex: an IndexIDMap2 that owns a flat inner-product index (exact) or
// an HNSW graph, or an IVF-Flat index (which keeps the ids itself and removes in place). FAISS
// throws faiss::FaissException (a std::exception); nothing of it escapes but std::runtime_error.
#include "search/vector_index.hpp"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIDMap.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>
#include <faiss/invlists/InvertedLists.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "index_layout.hpp"
#include "vector_scan.hpp"

namespace sonique::search {

enum class Kind { kExact, kHnsw, kIvf };

struct VectorIndex::Impl {
    std::unique_ptr<faiss::Index> index;
    faiss::IndexIDMap2* map = nullptr;  // index, when an id map over flat or HNSW
    Kind kind = Kind::kExact;
    // Whether id is held (HNSW only: the others remove and replace in place).
    bool holds(int64_t id) const { return map && map->rev_map.count(id); }
};

void normalise(std::span<float> v) {
    double sum = 0;
    for (float x : v)
        sum += static_cast<double>(x) * x;
    if (sum <= 0 || !std::isfinite(sum)) return;
    float scale = static_cast<float>(1.0 / std::sqrt(sum));
    for (float& x : v)
        x *= scale;
}

VectorIndex::VectorIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
VectorIndex::VectorIndex(VectorIndex&&) noexcept = default;
VectorIndex& VectorIndex::operator=(VectorIndex&&) noexcept = default;
VectorIndex::~VectorIndex() = default;

VectorIndex VectorIndex::build(const VectorData& data, size_t exact_limit) {
    IndexParams params;
    params.exact_limit = exact_limit;
    return build(data, params);
}

VectorIndex VectorIndex::build(const VectorData& data, const IndexParams& params) {
    if (data.dimension <= 0) throw std::invalid_argument("vector dimension must be positive");
    if (data.values.size() != data.ids.size() * static_cast<size_t>(data.dimension))
        throw std::invalid_argument("vector data sizes disagree");
    auto impl = std::make_unique<Impl>();
    const size_t n = data.ids.size();
    // A flat query costs n × dimension: the limit counts vectors of up to 64 dimensions, and
    // shrinks in proportion for wider ones (docs/search.md, "Index kinds").
    const bool exact = n <= params.exact_limit &&
                       n * static_cast<size_t>(data.dimension) <= params.exact_limit * 64;
    impl->kind = exact                                                  ? Kind::kExact
                 : params.approximate == IndexParams::Approximate::kIvf ? Kind::kIvf
                                                                        : Kind::kHnsw;
    try {
        if (impl->kind == Kind::kIvf) {
            impl->index.reset(build_ivf(data, params));
            return VectorIndex(std::move(impl));
        }
        std::vector<float> values = data.values;
        for (size_t i = 0; i < n; ++i)
            normalise(std::span<float>(values.data() + i * data.dimension, data.dimension));
        {
            faiss::Index* inner = nullptr;
            if (impl->kind == Kind::kExact) {
                inner = new faiss::IndexFlatIP(data.dimension);
            } else {
                auto* hnsw = new faiss::IndexHNSWFlat(data.dimension, params.hnsw_m,
                                                      faiss::METRIC_INNER_PRODUCT);
                hnsw->hnsw.efConstruction = params.hnsw_ef_construction;
                hnsw->hnsw.efSearch = params.hnsw_ef_search;
                inner = hnsw;
            }
            auto map = std::make_unique<faiss::IndexIDMap2>(inner);
            map->own_fields = true;
            impl->map = map.get();
            impl->index = std::move(map);
        }
        if (n > 0)
            impl->index->add_with_ids(static_cast<faiss::Index::idx_t>(n), values.data(),
                                      data.ids.data());
    } catch (const std::invalid_argument&) {
        throw;
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("building a vector index failed: ") + e.what());
    }
    return VectorIndex(std::move(impl));
}

namespace {
// FAISS reads from the caller's bytes as they are (its VectorIOReader wants a copy of them).
struct ViewReader : faiss::IOReader {
    explicit ViewReader(std::string_view bytes) : bytes(bytes) {}
    size_t operator()(void* ptr, size_t size, size_t nitems) override {
        if (size == 0) return 0;
        size_t n = std::min(nitems, (bytes.size() - at) / size);
        std::memcpy(ptr, bytes.data() + at, n * size);
        at += n * size;
        return n;
    }
    std::string_view bytes;
    size_t at = 0;
};
}  // namespace

std::optional<VectorIndex> VectorIndex::deserialise(std::string_view bytes, int dimension,
                                                    const IndexParams& params) {
    try {
        ViewReader reader(bytes);
        std::unique_ptr<faiss::Index> raw(faiss::read_index(&reader));
        if (!raw || raw->d != dimension) return std::nullopt;
        auto impl = std::make_unique<Impl>();
        if (auto* map = dynamic_cast<faiss::IndexIDMap2*>(raw.get())) {
            map->own_fields = true;
            impl->map = map;
            if (dynamic_cast<faiss::IndexFlat*>(map->index)) {
                impl->kind = Kind::kExact;
            } else if (auto* hnsw = dynamic_cast<faiss::IndexHNSW*>(map->index)) {
                impl->kind = Kind::kHnsw;
                hnsw->hnsw.efSearch = params.hnsw_ef_search;
            } else {
                return std::nullopt;
            }
        } else if (auto* ivf = dynamic_cast<faiss::IndexIVFFlat*>(raw.get())) {
            impl->kind = Kind::kIvf;
            ivf->nprobe = static_cast<size_t>(std::max(1, params.ivf_probe));
        } else {
            return std::nullopt;
        }
        impl->index = std::move(raw);
        return VectorIndex(std::move(impl));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

int VectorIndex::dimension() const noexcept {
    return static_cast<int>(impl_->index->d);
}

size_t VectorIndex::size() const noexcept {
    auto total = static_cast<size_t>(impl_->index->ntotal);
    return total > hidden_.size() ? total - hidden_.size() : 0;
}

bool VectorIndex::exact() const noexcept {
    return impl_->kind == Kind::kExact;
}

const char* VectorIndex::kind() const noexcept {
    switch (impl_->kind) {
        case Kind::kExact:
            return "exact";
        case Kind::kHnsw:
            return "hnsw";
        case Kind::kIvf:
            return "ivf";
    }
    return "exact";
}

std::vector<VectorHit> VectorIndex::search(std::span<const float> query, size_t k) const {
    if (query.size() != static_cast<size_t>(dimension()))
        throw std::invalid_argument("query vector of the wrong dimension");
    auto total = static_cast<size_t>(impl_->index->ntotal);
    size_t want = std::min(total, k + hidden_.size());
    std::vector<VectorHit> out;
    if (want == 0 || k == 0) return out;
    std::vector<float> q(query.begin(), query.end());
    normalise(q);
    // Exact and IVF-Flat: scanned by search/'s own loops (vector_scan.hpp says why).
    if (impl_->kind == Kind::kExact)
        if (const auto* flat = dynamic_cast<const faiss::IndexFlat*>(impl_->map->index))
            return scan_flat(*flat, impl_->map->id_map.data(), q.data(), k);
    if (impl_->kind == Kind::kIvf)
        if (auto hits =
                scan_ivf(static_cast<const faiss::IndexIVFFlat&>(*impl_->index), q.data(), k))
            return std::move(*hits);
    std::vector<float> scores(want);
    std::vector<faiss::Index::idx_t> labels(want);
    impl_->index->search(1, q.data(), static_cast<faiss::Index::idx_t>(want), scores.data(),
                         labels.data());
    for (size_t i = 0; i < want; ++i) {
        if (labels[i] < 0 || hidden_.count(labels[i])) continue;
        out.push_back({labels[i], scores[i]});
    }
    std::stable_sort(out.begin(), out.end(), [](const VectorHit& a, const VectorHit& b) {
        return a.score != b.score ? a.score > b.score : a.id < b.id;
    });
    if (out.size() > k) out.resize(k);
    return out;
}

std::optional<std::vector<float>> VectorIndex::vector_of(int64_t id) const {
    if (hidden_.count(id)) return std::nullopt;
    std::vector<float> v(static_cast<size_t>(dimension()));
    try {
        if (impl_->kind == Kind::kIvf) {
            const auto& ivf = static_cast<const faiss::IndexIVFFlat&>(*impl_->index);
            auto at = ivf_find(ivf, id);
            if (!at) return std::nullopt;
            ivf.reconstruct_from_offset(static_cast<int64_t>(at->first),
                                        static_cast<int64_t>(at->second), v.data());
            return v;
        }
        // IndexIDMap2 keeps the id -> position map; an absent id throws.
        impl_->index->reconstruct(id, v.data());
    } catch (const std::exception&) {
        return std::nullopt;
    }
    return v;
}

void VectorIndex::upsert(int64_t id, std::span<const float> vector) {
    if (vector.size() != static_cast<size_t>(dimension()))
        throw std::invalid_argument("vector of the wrong dimension");
    // HNSW adds a new id to its graph; an id it holds already is hidden (it cannot remove).
    if (impl_->kind == Kind::kHnsw && (hidden_.count(id) || impl_->holds(id))) {
        hidden_.insert(id);
        return;
    }
    if (impl_->kind != Kind::kHnsw) remove(id);
    std::vector<float> v(vector.begin(), vector.end());
    normalise(v);
    if (impl_->kind == Kind::kIvf) {
        ivf_add(static_cast<faiss::IndexIVFFlat&>(*impl_->index), id, v.data());
        return;
    }
    faiss::Index::idx_t label = id;
    impl_->index->add_with_ids(1, v.data(), &label);
}

size_t VectorIndex::memory_bytes() const noexcept {
    return index_bytes(*impl_->index) + hidden_.size() * 32;
}

void VectorIndex::remove(int64_t id) {
    if (impl_->kind == Kind::kHnsw) {
        if (impl_->holds(id)) hidden_.insert(id);
        return;
    }
    faiss::Index::idx_t label = id;
    faiss::IDSelectorArray one(1, &label);
    impl_->index->remove_ids(one);
}

void VectorIndex::tune(const IndexParams& params) noexcept {
    if (impl_->kind == Kind::kHnsw)
        if (auto* hnsw = dynamic_cast<faiss::IndexHNSW*>(impl_->map->index))
            hnsw->hnsw.efSearch = params.hnsw_ef_search;
    if (auto* ivf = dynamic_cast<faiss::IndexIVFFlat*>(impl_->index.get()))
        ivf->nprobe = static_cast<size_t>(std::max(1, params.ivf_probe));
}

void VectorIndex::upsert_many(const VectorData& data) {
    if (data.dimension != dimension() ||
        data.values.size() != data.ids.size() * static_cast<size_t>(data.dimension))
        throw std::invalid_argument("vector data sizes disagree");
    if (data.ids.empty()) return;
    if (impl_->kind != Kind::kExact) {  // HNSW hides, IVF replaces in place: one at a time
        for (size_t i = 0; i < data.ids.size(); ++i)
            upsert(data.ids[i], std::span<const float>(data.values.data() + i * data.dimension,
                                                       static_cast<size_t>(data.dimension)));
        return;
    }
    faiss::IDSelectorBatch changed(static_cast<size_t>(data.ids.size()), data.ids.data());
    impl_->index->remove_ids(changed);
    std::vector<float> values = data.values;
    for (size_t i = 0; i < data.ids.size(); ++i)
        normalise(std::span<float>(values.data() + i * data.dimension, data.dimension));
    impl_->index->add_with_ids(static_cast<faiss::Index::idx_t>(data.ids.size()), values.data(),
                               data.ids.data());
}

std::string VectorIndex::serialise() const {
    try {
        faiss::VectorIOWriter writer;
        faiss::write_index(impl_->index.get(), &writer);
        return std::string(writer.data.begin(), writer.data.end());
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("saving a vector index failed: ") + e.what());
    }
}

}  // namespace sonique::search
