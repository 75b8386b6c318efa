// The FAISS side of VectorIndex: an IndexIDMap2 that owns a flat inner-product index (exact) or
// an HNSW graph (approximate). FAISS throws faiss::FaissException (a std::exception); nothing
// of it escapes but std::runtime_error.
#include "search/vector_index.hpp"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIDMap.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sonique::search {

// Neighbours per HNSW node: FAISS's usual default, recall@10 near 0.95+ at efSearch 64.
constexpr int kHnswM = 32;
constexpr int kHnswEfSearch = 64;

struct VectorIndex::Impl {
    std::unique_ptr<faiss::IndexIDMap2> index;
    bool exact = true;
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
    if (data.dimension <= 0) throw std::invalid_argument("vector dimension must be positive");
    if (data.values.size() != data.ids.size() * static_cast<size_t>(data.dimension))
        throw std::invalid_argument("vector data sizes disagree");
    auto impl = std::make_unique<Impl>();
    impl->exact = data.ids.size() <= exact_limit;
    try {
        faiss::Index* inner = nullptr;
        if (impl->exact) {
            inner = new faiss::IndexFlatIP(data.dimension);
        } else {
            auto* hnsw =
                new faiss::IndexHNSWFlat(data.dimension, kHnswM, faiss::METRIC_INNER_PRODUCT);
            hnsw->hnsw.efSearch = kHnswEfSearch;
            inner = hnsw;
        }
        impl->index = std::make_unique<faiss::IndexIDMap2>(inner);
        impl->index->own_fields = true;
        std::vector<float> values = data.values;
        for (size_t i = 0; i < data.ids.size(); ++i)
            normalise(std::span<float>(values.data() + i * data.dimension, data.dimension));
        if (!data.ids.empty())
            impl->index->add_with_ids(static_cast<faiss::Index::idx_t>(data.ids.size()),
                                      values.data(), data.ids.data());
    } catch (const std::invalid_argument&) {
        throw;
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("building a vector index failed: ") + e.what());
    }
    return VectorIndex(std::move(impl));
}

std::optional<VectorIndex> VectorIndex::deserialise(std::string_view bytes, int dimension) {
    try {
        faiss::VectorIOReader reader;
        reader.data.assign(bytes.begin(), bytes.end());
        std::unique_ptr<faiss::Index> raw(faiss::read_index(&reader));
        auto* map = dynamic_cast<faiss::IndexIDMap2*>(raw.get());
        if (!map || map->d != dimension) return std::nullopt;
        raw.release();
        auto impl = std::make_unique<Impl>();
        impl->index.reset(map);
        impl->index->own_fields = true;
        impl->exact = dynamic_cast<faiss::IndexFlat*>(map->index) != nullptr;
        if (auto* hnsw = dynamic_cast<faiss::IndexHNSW*>(map->index))
            hnsw->hnsw.efSearch = kHnswEfSearch;
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
    return impl_->exact;
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

void VectorIndex::upsert(int64_t id, std::span<const float> vector) {
    if (vector.size() != static_cast<size_t>(dimension()))
        throw std::invalid_argument("vector of the wrong dimension");
    if (!impl_->exact) {
        hidden_.insert(id);
        return;
    }
    remove(id);
    std::vector<float> v(vector.begin(), vector.end());
    normalise(v);
    faiss::Index::idx_t label = id;
    impl_->index->add_with_ids(1, v.data(), &label);
}

void VectorIndex::remove(int64_t id) {
    if (!impl_->exact) {
        hidden_.insert(id);
        return;
    }
    faiss::Index::idx_t label = id;
    faiss::IDSelectorArray one(1, &label);
    impl_->index->remove_ids(one);
}

void VectorIndex::upsert_many(const VectorData& data) {
    if (data.dimension != dimension() ||
        data.values.size() != data.ids.size() * static_cast<size_t>(data.dimension))
        throw std::invalid_argument("vector data sizes disagree");
    if (data.ids.empty()) return;
    if (!impl_->exact) {
        hidden_.insert(data.ids.begin(), data.ids.end());
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

std::optional<std::vector<float>> VectorIndex::vector_of(int64_t id) const {
    if (hidden_.count(id)) return std::nullopt;
    if (impl_->index->rev_map.find(id) == impl_->index->rev_map.end()) return std::nullopt;
    std::vector<float> out(static_cast<size_t>(dimension()));
    try {
        impl_->index->reconstruct(id, out.data());
    } catch (const std::exception&) {
        return std::nullopt;
    }
    return out;
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
