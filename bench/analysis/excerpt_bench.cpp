// Quality against time of the analysed excerpt's length (docs/analysis.md): analyses each file
// of a folder whole and with excerpts of several lengths, in this process, one file at a time.
// Quality: how far an excerpt's sonic vector lies from the same track's whole-track vector,
// as a share of the median distance between two different tracks (0 = identical; 1 = as far
// as another track). Usage: sonique-bench-analysis-excerpt DIR [SECONDS...]
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "analysis/analyse.hpp"
#include "analysis/sonic.hpp"

namespace an = sonique::analysis;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s DIR [SECONDS...]\n", argv[0]);
        return 2;
    }
    std::vector<double> lengths{0};  // 0: the whole track, the reference
    for (int i = 2; i < argc; ++i)
        lengths.push_back(std::stod(argv[i]));
    if (lengths.size() == 1) lengths.insert(lengths.end(), {15, 30, 60, 90});
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::directory_iterator(argv[1]))
        if (e.is_regular_file()) files.push_back(e.path());
    std::sort(files.begin(), files.end());

    std::map<double, std::vector<an::FeatureVector>> vectors;
    std::map<double, double> cpu_s, audio_s;
    for (const auto& f : files) {
        for (double len : lengths) {
            std::clock_t start = std::clock();  // CPU time: wall time on a shared machine lies
            try {
                auto r = an::analyse_file(f, {.excerpt_seconds = len});
                vectors[len].push_back(r.values);
                audio_s[len] += r.seconds_analysed;
            } catch (const std::exception& e) {
                std::fprintf(stderr, "%s: %s\n", f.c_str(), e.what());
                return 1;
            }
            cpu_s[len] += static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
        }
    }
    // Standardise everything with the whole tracks' statistics.
    auto stats = an::library_stats(vectors[0]);
    std::vector<an::FeatureVector> whole;
    for (const auto& v : vectors[0])
        whole.push_back(an::sonic_vector(v, stats));
    std::vector<float> between;
    for (size_t i = 0; i < whole.size(); ++i)
        for (size_t j = i + 1; j < whole.size(); ++j)
            between.push_back(an::sonic_distance(whole[i], whole[j]));
    std::nth_element(between.begin(), between.begin() + between.size() / 2, between.end());
    double median_between = between.empty() ? 1.0 : between[between.size() / 2];
    std::printf("%zu files, median distance between two tracks %.3f\n", files.size(),
                median_between);
    std::printf("%10s %12s %14s %16s\n", "excerpt_s", "cpu_s/track", "audio_s/track",
                "dist_to_whole");
    for (double len : lengths) {
        double dist = 0;
        for (size_t i = 0; i < whole.size(); ++i)
            dist += an::sonic_distance(an::sonic_vector(vectors[len][i], stats), whole[i]);
        dist /= static_cast<double>(whole.size()) * median_between;
        std::printf("%10.0f %12.3f %14.1f %16.3f\n", len, cpu_s[len] / files.size(),
                    audio_s[len] / files.size(), dist);
    }
    return 0;
}
