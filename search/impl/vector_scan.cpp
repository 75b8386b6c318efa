#include "vector_scan.hpp"

#include <faiss/IndexFlat.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/invlists/InvertedLists.h>

#include <algorithm>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace sonique::search {
namespace {

// Eight independent sums: the compiler keeps them in registers (and in SIMD lanes where it
// can), instead of waiting for each addition before the next.
float dot_portable(const float* a, const float* b, size_t d) noexcept {
    float s[8] = {};
    size_t i = 0;
    for (; i + 8 <= d; i += 8)
        for (int j = 0; j < 8; ++j)
            s[j] += a[i + j] * b[i + j];
    float total = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    for (; i < d; ++i)
        total += a[i] * b[i];
    return total;
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) float dot_avx2(const float* a, const float* b,
                                                   size_t d) noexcept {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(),
           s3 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= d; i += 32) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);
    }
    for (; i + 8 <= d; i += 8)
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    __m256 s = _mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3));
    __m128 h = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
    h = _mm_hadd_ps(h, h);
    h = _mm_hadd_ps(h, h);
    float total = _mm_cvtss_f32(h);
    for (; i < d; ++i)
        total += a[i] * b[i];
    return total;
}
#endif

using DotFn = float (*)(const float*, const float*, size_t) noexcept;

DotFn pick_dot() noexcept {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return dot_avx2;
#endif
    return dot_portable;
}

const DotFn kDot = pick_dot();

bool better(const VectorHit& a, const VectorHit& b) {
    return a.score != b.score ? a.score > b.score : a.id < b.id;
}

// The k best seen so far: a heap whose top is the worst kept.
class TopK {
  public:
    explicit TopK(size_t k) : k_(k) { heap_.reserve(k); }
    void offer(float score, int64_t id) {
        VectorHit h{id, score};
        if (heap_.size() < k_) {
            heap_.push_back(h);
            std::push_heap(heap_.begin(), heap_.end(), better);
        } else if (k_ > 0 && better(h, heap_.front())) {
            std::pop_heap(heap_.begin(), heap_.end(), better);
            heap_.back() = h;
            std::push_heap(heap_.begin(), heap_.end(), better);
        }
    }
    std::vector<VectorHit> take() {
        std::sort(heap_.begin(), heap_.end(), better);
        return std::move(heap_);
    }

  private:
    size_t k_;
    std::vector<VectorHit> heap_;
};

}  // namespace

float dot(const float* a, const float* b, size_t d) noexcept {
    return kDot(a, b, d);
}

std::vector<VectorHit> scan_flat(const faiss::IndexFlat& flat, const int64_t* ids,
                                 const float* query, size_t k) {
    const auto d = static_cast<size_t>(flat.d);
    const auto n = static_cast<size_t>(flat.ntotal);
    const float* xb = flat.get_xb();
    TopK top(k);
    for (size_t i = 0; i < n; ++i)
        top.offer(kDot(query, xb + i * d, d), ids ? ids[i] : static_cast<int64_t>(i));
    return top.take();
}

std::optional<std::vector<VectorHit>> scan_ivf(const faiss::IndexIVFFlat& ivf, const float* query,
                                               size_t k) {
    const auto* quantizer = dynamic_cast<const faiss::IndexFlat*>(ivf.quantizer);
    const auto* lists = dynamic_cast<const faiss::ArrayInvertedLists*>(ivf.invlists);
    if (!quantizer || !lists || ivf.metric_type != faiss::METRIC_INNER_PRODUCT) return std::nullopt;
    const auto d = static_cast<size_t>(ivf.d);
    // The nprobe lists whose centroids score best (list number ascending on equal scores).
    TopK cells(std::min<size_t>(ivf.nprobe, ivf.nlist));
    const float* centroids = quantizer->get_xb();
    for (size_t l = 0; l < ivf.nlist; ++l)
        cells.offer(kDot(query, centroids + l * d, d), static_cast<int64_t>(l));
    TopK top(k);
    for (const auto& cell : cells.take()) {
        auto l = static_cast<size_t>(cell.id);
        const auto* codes = reinterpret_cast<const float*>(lists->codes[l].data());
        const auto& ids = lists->ids[l];
        for (size_t i = 0; i < ids.size(); ++i)
            top.offer(kDot(query, codes + i * d, d), ids[i]);
    }
    return top.take();
}

}  // namespace sonique::search
