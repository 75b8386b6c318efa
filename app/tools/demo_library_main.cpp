// sonique-demo-library DIR [COUNT] [SEED] [COVER_PERCENT] [COVER_SIDE]: writes a small synthetic
// tagged library into DIR. COVER_SIDE 0 (default): 48x48 one-colour BMP covers; else photo-like
// JPEG covers of that side.
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

#include "scanner/demo_library.hpp"

int main(int argc, char** argv) {
    if (argc < 2 || std::string(argv[1]) == "--help") {
        std::cerr << "usage: sonique-demo-library DIR [COUNT=50] [SEED=42] [COVER_PERCENT=30] "
                     "[COVER_SIDE=0]\n";
        return 2;
    }
    sonique::scanner::DemoOptions o;
    if (argc > 2) o.files = std::strtoull(argv[2], nullptr, 10);
    if (argc > 3) o.seed = std::strtoull(argv[3], nullptr, 10);
    if (argc > 4) o.cover_percent = std::atoi(argv[4]);
    if (argc > 5) o.cover_side = std::atoi(argv[5]);
    try {
        size_t n = sonique::scanner::generate_library(argv[1], o);
        std::cerr << "sonique-demo-library: wrote " << n << " files into " << argv[1] << "\n";
        return n == o.files ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "sonique-demo-library: " << e.what() << "\n";
        return 1;
    }
}
