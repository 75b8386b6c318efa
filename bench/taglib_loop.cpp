// sonique-bench-taglib DIR THREADS: the ceiling of a scan — a bare TagLib loop (property map +
// audio properties) over every audio file under DIR on THREADS threads. Prints one JSON line.
// Files are opened read-only through a stream, as the scanner's reader opens them.
#include <taglib/fileref.h>
#include <taglib/tfilestream.h>
#include <taglib/tpropertymap.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: sonique-bench-taglib DIR THREADS\n");
        return 2;
    }
    std::vector<std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(argv[1])) {
        auto ext = e.path().extension().string();
        if (e.is_regular_file() && (ext == ".mp3" || ext == ".flac" || ext == ".wav"))
            files.push_back(e.path().string());
    }
    int threads = std::max(1, std::atoi(argv[2]));
    std::atomic<size_t> next{0};
    std::atomic<size_t> fields{0};
    auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&] {
            for (size_t i; (i = next.fetch_add(1)) < files.size();) {
                TagLib::FileStream stream(files[i].c_str(), /*openReadOnly=*/true);
                TagLib::FileRef f(&stream, true, TagLib::AudioProperties::Average);
                if (f.isNull()) continue;
                auto props = f.file()->properties();
                int length = f.audioProperties() ? f.audioProperties()->lengthInSeconds() : 0;
                fields += props.size() + static_cast<size_t>(length > 0);
            }
        });
    for (auto& t : pool)
        t.join();
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf(
        "{\"files\": %zu, \"threads\": %d, \"seconds\": %.3f, \"files_per_s\": %.0f, \"fields\": "
        "%zu}\n",
        files.size(), threads, s, static_cast<double>(files.size()) / s, fields.load());
    return 0;
}
