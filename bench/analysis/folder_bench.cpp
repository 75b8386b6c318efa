// Sonique's side of `scripts/bench.sh analysis`: every file of a folder through the production
// path (a worker process per thread, AnalysisWorker, at idle priority, with the production
// excerpt and time limit, Config's defaults), WORKERS files at once as the runner does, then
// the sonic vectors (standardised with the statistics of every file analysed, as the library's
// would be). Prints one line per file: path, seconds analysed, the sonic vector (tab-separated,
// the vector comma-separated); failures and a summary go to stderr.
// Usage: sonique-bench-analysis DIR WORKERS [EXCERPT_S]   (EXCERPT_S: another excerpt, 0 whole)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "analysis/sonic.hpp"
#include "analysis/worker.hpp"
#include "core/config.hpp"

namespace an = sonique::analysis;

int main(int argc, char** argv) {
    if (argc != 3 && argc != 4) {
        std::fprintf(stderr, "usage: %s DIR WORKERS [EXCERPT_S]\n", argv[0]);
        return 2;
    }
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::directory_iterator(argv[1]))
        if (e.is_regular_file()) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    int workers = std::max(1, std::stoi(argv[2]));

    const sonique::Config defaults;  // the production settings
    int excerpt = argc == 4 ? std::stoi(argv[3]) : defaults.analysis_excerpt_s;
    an::AnalysisOptions options{.excerpt_seconds = static_cast<double>(excerpt)};
    std::chrono::milliseconds limit(defaults.analysis_timeout_s * 1000LL);

    std::vector<an::IsolatedOutcome> outcomes(files.size());
    std::atomic<size_t> next{0};
    auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w)
        threads.emplace_back([&] {
            an::AnalysisWorker worker;
            for (size_t i = next++; i < files.size(); i = next++)
                outcomes[i] = worker.analyse(files[i], options, limit);
        });
    for (auto& t : threads)
        t.join();
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    std::vector<an::FeatureVector> raw;
    double analysed_s = 0;
    for (size_t i = 0; i < files.size(); ++i) {
        if (outcomes[i].features) {
            raw.push_back(outcomes[i].features->values);
            analysed_s += outcomes[i].features->seconds_analysed;
        } else {
            std::fprintf(stderr, "%s: %s\n", files[i].c_str(), outcomes[i].error.c_str());
        }
    }
    // SONIQUE_BENCH_RAW=FILE also writes the raw features, one line per file as on stdout:
    // for studying which features carry the neighbour signal (bench/README.md).
    std::FILE* raw_out = nullptr;
    if (const char* raw_path = std::getenv("SONIQUE_BENCH_RAW"))
        raw_out = std::fopen(raw_path, "w");
    for (size_t i = 0; raw_out && i < files.size(); ++i) {
        if (!outcomes[i].features) continue;
        std::string line = files[i] + "\t0";
        for (size_t k = 0; k < an::kFeatureCount; ++k)
            line += (k ? ',' : '\t') + std::to_string(outcomes[i].features->values[k]);
        std::fprintf(raw_out, "%s\n", line.c_str());
    }
    if (raw_out) std::fclose(raw_out);
    auto stats = an::library_stats(raw);
    for (size_t i = 0; i < files.size(); ++i) {
        if (!outcomes[i].features) continue;
        auto sonic = an::sonic_vector(outcomes[i].features->values, stats);
        // Unit length, as the server's sonic set stores it (services/impl/sonic_sources.cpp,
        // search::normalise): its nearest neighbours are by cosine, and so are the benchmark's.
        float norm = 0;
        for (float v : sonic)
            norm += v * v;
        norm = std::sqrt(norm);
        for (float& v : sonic)
            v = norm > 0 ? v / norm : 0.0f;
        std::string line = files[i] + '\t' + std::to_string(outcomes[i].features->seconds_analysed);
        for (size_t k = 0; k < sonic.size(); ++k)
            line += (k ? ',' : '\t') + std::to_string(sonic[k]);
        std::puts(line.c_str());
    }
    std::fprintf(
        stderr,
        "%zu files, %zu analysed, %.1f s of audio analysed, %.2f s, %d workers, excerpt %d s\n",
        files.size(), raw.size(), analysed_s, wall, workers, excerpt);
    return raw.empty() ? 1 : 0;
}
