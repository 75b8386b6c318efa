#include "index_layout.hpp"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIDMap.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/invlists/InvertedLists.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <span>

namespace sonique::search {
namespace {

using idx_t = faiss::Index::idx_t;

// Vectors are normalised and assigned this many at a time.
constexpr size_t kBlock = 16384;

// Rows [from, from + count) of data, L2-normalised, into out.
void normalised(const VectorData& data, size_t from, size_t count, std::vector<float>& out) {
    const auto d = static_cast<size_t>(data.dimension);
    out.assign(data.values.begin() + static_cast<std::ptrdiff_t>(from * d),
               data.values.begin() + static_cast<std::ptrdiff_t>((from + count) * d));
    for (size_t i = 0; i < count; ++i)
        normalise(std::span<float>(out.data() + i * d, d));
}

// glibc's chunk for an allocation of `bytes` (8 bytes of header, 16-byte alignment, 32 least).
size_t chunk(size_t bytes) {
    return std::max<size_t>(32, (bytes + 8 + 15) / 16 * 16);
}

template <typename T>
size_t held(const std::vector<T>& v) {
    return v.capacity() * sizeof(T);
}

}  // namespace

faiss::IndexIVFFlat* build_ivf(const VectorData& data, const IndexParams& params) {
    const size_t n = data.ids.size();
    const int d = data.dimension;
    auto lists =
        static_cast<size_t>(params.ivf_lists > 0 ? params.ivf_lists : std::lround(std::sqrt(n)));
    lists = std::clamp<size_t>(lists, 1, std::max<size_t>(1, n / 39));
    auto* quantizer = new faiss::IndexFlatIP(d);
    auto ivf =
        std::make_unique<faiss::IndexIVFFlat>(quantizer, d, lists, faiss::METRIC_INNER_PRODUCT);
    ivf->own_fields = true;
    ivf->cp.niter = 10;
    ivf->cp.max_points_per_centroid = 64;
    ivf->nprobe = static_cast<size_t>(std::max(1, params.ivf_probe));
    {
        // The training sample: FAISS would draw one too, from a normalised copy of everything.
        size_t m = std::min(n, lists * 64);
        std::vector<size_t> order(n);
        std::iota(order.begin(), order.end(), size_t{0});
        std::mt19937_64 rng(1234);
        for (size_t i = 0; i < m && m < n; ++i)
            std::swap(order[i], order[i + rng() % (n - i)]);
        std::vector<float> sample(m * static_cast<size_t>(d)), row;
        for (size_t i = 0; i < m; ++i) {
            normalised(data, order[i], 1, row);
            std::copy(row.begin(), row.end(), sample.begin() + static_cast<std::ptrdiff_t>(i * d));
        }
        ivf->train(static_cast<idx_t>(m), sample.data());
    }
    // Every vector's list first, so that each list is allocated once at its final size (lists
    // grown by doubling held some 40 % more than the vectors at 64 dimensions).
    std::vector<idx_t> assigned(n);
    std::vector<float> block;
    for (size_t from = 0; from < n; from += kBlock) {
        size_t count = std::min(kBlock, n - from);
        normalised(data, from, count, block);
        ivf->quantizer->assign(static_cast<idx_t>(count), block.data(), assigned.data() + from);
    }
    if (auto* inv = dynamic_cast<faiss::ArrayInvertedLists*>(ivf->invlists)) {
        std::vector<size_t> sizes(lists);
        for (idx_t a : assigned)
            if (a >= 0) ++sizes[static_cast<size_t>(a)];
        for (size_t l = 0; l < lists; ++l) {
            inv->codes[l].reserve(sizes[l] * inv->code_size);
            inv->ids[l].reserve(sizes[l]);
        }
    }
    for (size_t from = 0; from < n; from += kBlock) {
        size_t count = std::min(kBlock, n - from);
        normalised(data, from, count, block);
        ivf->add_core(static_cast<idx_t>(count), block.data(), data.ids.data() + from,
                      assigned.data() + from);
    }
    return ivf.release();
}

void ivf_add(faiss::IndexIVFFlat& ivf, int64_t id, const float* vector) {
    idx_t list = -1;
    ivf.quantizer->assign(1, vector, &list);
    auto* inv = dynamic_cast<faiss::ArrayInvertedLists*>(ivf.invlists);
    if (inv && list >= 0) {
        auto& ids = inv->ids[static_cast<size_t>(list)];
        if (ids.size() == ids.capacity()) {
            size_t room = ids.size() + std::max<size_t>(8, ids.size() / 8);
            ids.reserve(room);
            inv->codes[static_cast<size_t>(list)].reserve(room * inv->code_size);
        }
    }
    idx_t label = id;
    ivf.add_core(1, vector, &label, &list);
}

std::optional<std::pair<size_t, size_t>> ivf_find(const faiss::IndexIVFFlat& ivf, int64_t id) {
    for (size_t l = 0; l < ivf.nlist; ++l) {
        size_t size = ivf.invlists->list_size(l);
        if (size == 0) continue;
        faiss::InvertedLists::ScopedIds ids(ivf.invlists, l);
        const idx_t* begin = ids.get();
        const idx_t* at = std::find(begin, begin + size, id);
        if (at != begin + size) return std::make_pair(l, static_cast<size_t>(at - begin));
    }
    return std::nullopt;
}

size_t index_bytes(const faiss::Index& index) {
    if (const auto* map = dynamic_cast<const faiss::IndexIDMap2*>(&index))
        // Each rev_map entry is a node of its own (next pointer, key, value, hash).
        return held(map->id_map) + map->rev_map.bucket_count() * sizeof(void*) +
               map->rev_map.size() * chunk(32) + (map->index ? index_bytes(*map->index) : 0);
    if (const auto* flat = dynamic_cast<const faiss::IndexFlatCodes*>(&index))
        return held(flat->codes);
    if (const auto* hnsw = dynamic_cast<const faiss::IndexHNSW*>(&index))
        return held(hnsw->hnsw.neighbors) + held(hnsw->hnsw.offsets) + held(hnsw->hnsw.levels) +
               held(hnsw->hnsw.assign_probas) + held(hnsw->hnsw.cum_nneighbor_per_level) +
               (hnsw->storage ? index_bytes(*hnsw->storage) : 0);
    if (const auto* ivf = dynamic_cast<const faiss::IndexIVF*>(&index)) {
        size_t total = ivf->quantizer ? index_bytes(*ivf->quantizer) : 0;
        if (const auto* inv = dynamic_cast<const faiss::ArrayInvertedLists*>(ivf->invlists)) {
            total += held(inv->codes) + held(inv->ids);
            for (size_t l = 0; l < inv->nlist; ++l)
                total += (inv->codes[l].capacity() ? chunk(inv->codes[l].capacity()) : 0) +
                         (inv->ids[l].capacity() ? chunk(held(inv->ids[l])) : 0);
        }
        return total;
    }
    return 0;
}

}  // namespace sonique::search
