// A truncated SVD of a sparse matrix by subspace iteration (randomised range finder with power
// iterations, then Rayleigh-Ritz): a few passes over the nonzeros, no LAPACK call, the same
// answer for the same matrix. The matrices are small in one direction (k + oversampling
// columns), so that the dense work is k x k.
#include <algorithm>
#include <cmath>
#include <random>

#include "search/tag_model.hpp"

namespace sonique::search {
namespace {

using Rows = std::vector<std::vector<std::pair<uint32_t, double>>>;

// Extra directions searched beside the k kept, and power iterations: enough that the k kept
// singular directions converge for the spectra of tag matrices (docs/search.md).
constexpr int kOversample = 10;
constexpr int kPowerIterations = 6;
constexpr uint64_t kSeed = 17;

// out (n x m, row-major) = X (n x T) * q (T x m, row-major).
void times(const Rows& x, const std::vector<double>& q, size_t m, std::vector<double>& out) {
    out.assign(x.size() * m, 0.0);
    for (size_t d = 0; d < x.size(); ++d)
        for (auto [t, v] : x[d])
            for (size_t j = 0; j < m; ++j)
                out[d * m + j] += v * q[t * m + j];
}

// out (T x m) = X^T (T x n) * y (n x m).
void times_transposed(const Rows& x, size_t columns, const std::vector<double>& y, size_t m,
                      std::vector<double>& out) {
    out.assign(columns * m, 0.0);
    for (size_t d = 0; d < x.size(); ++d)
        for (auto [t, v] : x[d])
            for (size_t j = 0; j < m; ++j)
                out[t * m + j] += v * y[d * m + j];
}

// Orthonormalises the m columns of a (rows x m, row-major) by modified Gram-Schmidt, twice for
// accuracy; a column that vanishes (rank deficiency) becomes zero.
void orthonormalise(std::vector<double>& a, size_t rows, size_t m) {
    for (int pass = 0; pass < 2; ++pass) {
        for (size_t j = 0; j < m; ++j) {
            for (size_t i = 0; i < j; ++i) {
                double dot = 0;
                for (size_t r = 0; r < rows; ++r)
                    dot += a[r * m + i] * a[r * m + j];
                for (size_t r = 0; r < rows; ++r)
                    a[r * m + j] -= dot * a[r * m + i];
            }
            double norm = 0;
            for (size_t r = 0; r < rows; ++r)
                norm += a[r * m + j] * a[r * m + j];
            norm = std::sqrt(norm);
            double scale = norm > 1e-10 ? 1.0 / norm : 0.0;
            for (size_t r = 0; r < rows; ++r)
                a[r * m + j] *= scale;
        }
    }
}

// Eigenvalues (descending) and eigenvectors (columns of vecs, m x m row-major) of the symmetric
// matrix b, by cyclic Jacobi rotations.
void symmetric_eigen(std::vector<double> b, size_t m, std::vector<double>& values,
                     std::vector<double>& vecs) {
    vecs.assign(m * m, 0.0);
    for (size_t i = 0; i < m; ++i)
        vecs[i * m + i] = 1.0;
    for (int sweep = 0; sweep < 100; ++sweep) {
        double off = 0, total = 0;
        for (size_t i = 0; i < m; ++i)
            for (size_t j = 0; j < m; ++j)
                (i == j ? total : off) += b[i * m + j] * b[i * m + j];
        if (off <= 1e-22 * (total + off) || off < 1e-300) break;
        for (size_t p = 0; p + 1 < m; ++p) {
            for (size_t q = p + 1; q < m; ++q) {
                double apq = b[p * m + q];
                if (std::fabs(apq) < 1e-300) continue;
                double theta = (b[q * m + q] - b[p * m + p]) / (2 * apq);
                double t =
                    (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1.0));
                double c = 1.0 / std::sqrt(t * t + 1.0), s = t * c;
                for (size_t r = 0; r < m; ++r) {  // b = b * J
                    double x = b[r * m + p], y = b[r * m + q];
                    b[r * m + p] = c * x - s * y;
                    b[r * m + q] = s * x + c * y;
                }
                for (size_t r = 0; r < m; ++r) {  // b = J^T * b
                    double x = b[p * m + r], y = b[q * m + r];
                    b[p * m + r] = c * x - s * y;
                    b[q * m + r] = s * x + c * y;
                }
                for (size_t r = 0; r < m; ++r) {
                    double x = vecs[r * m + p], y = vecs[r * m + q];
                    vecs[r * m + p] = c * x - s * y;
                    vecs[r * m + q] = s * x + c * y;
                }
            }
        }
    }
    values.resize(m);
    for (size_t i = 0; i < m; ++i)
        values[i] = b[i * m + i];
}

}  // namespace

std::vector<float> truncated_svd_basis(const Rows& rows, size_t columns, int k) {
    const auto kk = static_cast<size_t>(k);
    std::vector<float> basis(columns * kk, 0.0f);
    if (columns <= kk) {
        for (size_t t = 0; t < columns; ++t)
            basis[t * kk + t] = 1.0f;
        return basis;
    }
    const size_t m = std::min(columns, kk + kOversample);
    std::vector<double> q(columns * m), y, w;
    std::mt19937_64 random(kSeed);
    std::normal_distribution<double> gauss;
    for (double& v : q)
        v = gauss(random);
    orthonormalise(q, columns, m);
    for (int i = 0; i < kPowerIterations; ++i) {
        times(rows, q, m, y);
        times_transposed(rows, columns, y, m, w);
        q.swap(w);
        orthonormalise(q, columns, m);
    }
    // Rayleigh-Ritz: the eigenvectors of (XQ)^T (XQ) rotate Q onto the singular directions.
    times(rows, q, m, y);
    std::vector<double> b(m * m, 0.0);
    for (size_t d = 0; d < rows.size(); ++d)
        for (size_t i = 0; i < m; ++i)
            for (size_t j = 0; j < m; ++j)
                b[i * m + j] += y[d * m + i] * y[d * m + j];
    std::vector<double> values, vecs;
    symmetric_eigen(std::move(b), m, values, vecs);
    std::vector<size_t> order(m);
    for (size_t i = 0; i < m; ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t c) { return values[a] > values[c]; });
    const double largest = std::max(values[order[0]], 0.0);
    for (size_t c = 0; c < kk; ++c) {
        size_t e = order[c];
        if (values[e] <= largest * 1e-12) continue;  // beyond the rank: a zero direction
        std::vector<double> col(columns, 0.0);
        for (size_t t = 0; t < columns; ++t)
            for (size_t i = 0; i < m; ++i)
                col[t] += q[t * m + i] * vecs[i * m + e];
        // A fixed sign (the largest component positive), so that equal inputs give equal bases.
        size_t top = 0;
        for (size_t t = 1; t < columns; ++t)
            if (std::fabs(col[t]) > std::fabs(col[top])) top = t;
        double sign = col[top] < 0 ? -1.0 : 1.0;
        for (size_t t = 0; t < columns; ++t)
            basis[t * kk + c] = static_cast<float>(sign * col[t]);
    }
    return basis;
}

}  // namespace sonique::search
