#include "analysis/isolated.hpp"

#include "analysis/worker.hpp"

namespace sonique::analysis {

IsolatedOutcome analyse_isolated(const std::string& path, const AnalysisOptions& options,
                                 std::chrono::milliseconds timeout,
                                 const std::atomic<bool>* cancel) {
    AnalysisWorker worker;
    return worker.analyse(path, options, timeout, cancel);
}

}  // namespace sonique::analysis
