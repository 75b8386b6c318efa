// sonique-analysis-worker: the process AnalysisWorker (analysis/worker.hpp) execs to analyse
// files one after another; not meant to be run by hand.
#include "analysis/worker.hpp"

int main() {
    return sonique::analysis::run_analysis_worker();
}
