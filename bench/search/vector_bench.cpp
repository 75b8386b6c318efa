// Vector index kinds at one size (scripts/bench.sh search, bench/README.md): for the exact index
// and each approximate configuration, the build time, query p50/p99 (one query at a time, one
// FAISS thread, as the server asks), recall@10 against the exact index built in the same run,
// and resident memory against the raw vector bytes. Times are given in wall-clock and in this
// thread's CPU time (the figure that holds on a machine loaded by other work).
//
// Usage: sonique-bench-vectors N DIM QUERIES CONFIG...
//   CONFIG: exact | hnsw:M:EF_CONSTRUCTION:EF_SEARCH[,EF_SEARCH...] | ivf:LISTS:PROBE[,PROBE...]
//   (LISTS 0: the index's default, √N)
//
// The vectors are not uniform noise (on which no approximate index finds neighbours, and which
// no embedding model produces): points around 2,000 centres in a 24-dimensional space, projected
// into DIM dimensions, plus a little noise in every dimension. Queries are drawn the same way and
// are not in the set.
//
// Memory, two figures: `held`, the bytes the index's structures hold (VectorIndex::memory_bytes:
// vectors, ids, lists or graph, id maps, by capacity), the figure of the target; and `rss`, what
// the process's resident memory grew by during the build (after malloc_trim), which also counts
// the allocator's slack and, for a later configuration of the same run, reuses what the previous
// index freed (so only the first rows of a run are clean). A small IVF build and query first
// allocate OpenBLAS's and OpenMP's own buffers, which a server holds once, not per index.
#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "search/vector_index.hpp"
#include "search/vector_set.hpp"

using namespace sonique::search;
using Clock = std::chrono::steady_clock;

namespace {

long rss_kb() {
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    return 0;
}

// n points of dimension d drawn as the header says.
std::vector<float> generate(size_t n, int d, unsigned seed) {
    constexpr int kLatent = 24, kCentres = 2000;
    std::mt19937 rng(42);  // the same space for the set and its queries
    std::normal_distribution<float> unit(0, 1);
    std::vector<float> centres(kCentres * kLatent), projection(kLatent * d);
    for (auto& c : centres)
        c = unit(rng);
    for (auto& p : projection)
        p = unit(rng) / std::sqrt(static_cast<float>(kLatent));
    std::mt19937 points(seed);
    std::uniform_int_distribution<int> pick(0, kCentres - 1);
    std::normal_distribution<float> spread(0, 0.35f), noise(0, 0.05f);
    std::vector<float> out(n * d), z(kLatent);
    for (size_t i = 0; i < n; ++i) {
        int c = pick(points);
        for (int k = 0; k < kLatent; ++k)
            z[k] = centres[c * kLatent + k] + spread(points);
        float* row = out.data() + i * d;
        for (int j = 0; j < d; ++j)
            row[j] = noise(points);
        for (int k = 0; k < kLatent; ++k)
            for (int j = 0; j < d; ++j)
                row[j] += z[k] * projection[k * d + j];
    }
    return out;
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

struct Run {
    double p50 = 0, p99 = 0, cpu_p50 = 0, cpu_p99 = 0, recall = 0;
};

// This thread's CPU time: what a query costs whatever else loads the machine.
double cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

Run queries(const VectorIndex& index, const std::vector<float>& q, int d,
            std::vector<std::set<int64_t>>* truth) {
    size_t count = q.size() / d;
    std::vector<double> ms, cpu;
    double found = 0;
    for (size_t i = 0; i < count; ++i) {
        auto start = Clock::now();
        double cpu_start = cpu_ms();
        auto hits = index.search(std::span<const float>(q.data() + i * d, d), 10);
        cpu.push_back(cpu_ms() - cpu_start);
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        if (truth->size() < count) {
            truth->emplace_back();
            for (auto& h : hits)
                truth->back().insert(h.id);
        }
        for (auto& h : hits)
            found += (*truth)[i].count(h.id);
    }
    return {percentile(ms, 0.5), percentile(ms, 0.99), percentile(cpu, 0.5), percentile(cpu, 0.99),
            found / (10.0 * count)};
}

std::vector<int> numbers(const std::string& list) {
    std::vector<int> out;
    std::stringstream s(list);
    std::string item;
    while (std::getline(s, item, ','))
        out.push_back(std::atoi(item.c_str()));
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 5) {
        std::fprintf(stderr, "usage: %s N DIM QUERIES CONFIG...\n", argv[0]);
        return 2;
    }
    size_t n = std::strtoul(argv[1], nullptr, 10);
    int d = std::atoi(argv[2]);
    size_t nq = std::strtoul(argv[3], nullptr, 10);
    set_vector_threads(1);
    VectorData data;
    data.dimension = d;
    data.values = generate(n, d, 1);
    for (size_t i = 0; i < n; ++i)
        data.ids.push_back(static_cast<int64_t>(i + 1));
    std::vector<float> q = generate(nq, d, 2);
    double raw_mb = n * d * 4.0 / 1048576;
    std::vector<std::set<int64_t>> truth;
    std::printf("%zu x %d, raw vectors %.1f MB, %zu queries, k 10\n", n, d, raw_mb, nq);
    {
        VectorData warm;
        warm.dimension = d;
        size_t m = std::min<size_t>(n, 4000);
        warm.values.assign(data.values.begin(), data.values.begin() + m * d);
        warm.ids.assign(data.ids.begin(), data.ids.begin() + m);
        IndexParams p;
        p.exact_limit = 0;
        p.approximate = IndexParams::Approximate::kIvf;
        VectorIndex::build(warm, p).search(std::span<const float>(q.data(), d), 10);
    }
    for (int a = 4; a < argc; ++a) {
        std::string config = argv[a];
        std::vector<std::string> part;
        std::stringstream s(config);
        for (std::string item; std::getline(s, item, ':');)
            part.push_back(item);
        IndexParams params;
        std::vector<int> search_values{0};
        if (part[0] == "exact") {
            params.exact_limit = n * d;  // exact at any dimension
        } else if (part[0] == "hnsw" && part.size() == 4) {
            params.exact_limit = 0;
            params.hnsw_m = std::atoi(part[1].c_str());
            params.hnsw_ef_construction = std::atoi(part[2].c_str());
            search_values = numbers(part[3]);
        } else if (part[0] == "ivf" && part.size() == 3) {
            params.exact_limit = 0;
            params.approximate = IndexParams::Approximate::kIvf;
            params.ivf_lists = std::atoi(part[1].c_str());
            search_values = numbers(part[2]);
        } else {
            std::fprintf(stderr, "unknown config %s\n", config.c_str());
            return 2;
        }
        if (part[0] != "exact" && truth.empty()) {
            std::fprintf(stderr, "put exact first: it is the recall yardstick\n");
            return 2;
        }
        malloc_trim(0);
        long before = rss_kb();
        auto start = Clock::now();
        double cpu_start = cpu_ms();
        VectorIndex index = VectorIndex::build(data, params);
        double build_s = std::chrono::duration<double>(Clock::now() - start).count();
        double build_cpu_s = (cpu_ms() - cpu_start) / 1000;
        malloc_trim(0);
        double mem_mb = (rss_kb() - before) / 1024.0;
        double held_mb = index.memory_bytes() / 1048576.0;
        for (int value : search_values) {
            params.hnsw_ef_search = value;
            params.ivf_probe = value;
            index.tune(params);
            Run r = queries(index, q, d, &truth);
            std::string name =
                part[0] == "exact" ? "exact"
                : part[0] == "hnsw"
                    ? "hnsw M" + part[1] + " efC" + part[2] + " efS" + std::to_string(value)
                    : "ivf lists " + part[1] + " probe " + std::to_string(value);
            std::printf(
                "%-24s build %7.2f s (cpu %7.2f s)  query p50 %6.3f p99 %7.3f ms (cpu p50 %6.3f "
                "p99 %6.3f ms)  recall@10 %.3f  held %6.1f MB = %.3fx raw  rss +%6.1f MB = "
                "%.2fx\n",
                name.c_str(), build_s, build_cpu_s, r.p50, r.p99, r.cpu_p50, r.cpu_p99, r.recall,
                held_mb, held_mb / raw_mb, mem_mb, mem_mb / raw_mb);
            std::fflush(stdout);
        }
    }
    return 0;
}
