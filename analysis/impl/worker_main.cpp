// The body of sonique-analysis-worker (analysis/worker/worker_main.cpp calls it): answers one
// request after another on its descriptor 3 until end of file. It runs at idle
// CPU priority, in a process of its own, so that a file that crashes or hangs a decoder costs
// only that file (AnalysisWorker, analysis/worker.hpp, kills and replaces it).
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdint>
#include <exception>

#include "analysis/worker.hpp"
#include "worker_protocol.hpp"

namespace sonique::analysis {
namespace {

// The socket AnalysisWorker hands over (requests in, answers out).
constexpr int kSocket = 3;

void lower_priority() noexcept {
    sched_param none{};
    if (::sched_setscheduler(0, SCHED_IDLE, &none) != 0) ::setpriority(PRIO_PROCESS, 0, 19);
}

std::string answer_for(const std::string& path, double excerpt_seconds) {
    try {
        return worker::features_answer(analyse_file(path, {.excerpt_seconds = excerpt_seconds}));
    } catch (const std::exception& e) {
        return worker::error_answer(e.what());
    } catch (...) {
        return worker::error_answer("unknown failure");
    }
}

}  // namespace

int run_analysis_worker() {
    lower_priority();
    while (true) {
        double excerpt = 0;
        uint32_t size = 0;
        if (!worker::read_exact(kSocket, reinterpret_cast<char*>(&excerpt), sizeof excerpt))
            return 0;
        if (!worker::read_exact(kSocket, reinterpret_cast<char*>(&size), sizeof size)) return 1;
        if (size > worker::kMaxPath) return 1;
        std::string path(size, '\0');
        if (!worker::read_exact(kSocket, path.data(), size)) return 1;
        std::string answer = answer_for(path, excerpt);
        if (!worker::write_all(kSocket, answer.data(), answer.size())) return 1;
    }
}

}  // namespace sonique::analysis
